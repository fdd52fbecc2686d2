"""The mkdocs hook end to end: a small site built with `mkdocs build --strict`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_helpers import RENAMED, REPO, RETIRED, build, demo_text, make_site, write_recipe

from deploybook.compiler.site.lock import main as lock_main


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    make_site(root, demo_text())
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "out"


def test_recipe_pages_are_generated_not_copied(built: Path) -> None:
    page = (built / "recipes" / "demo" / "index.html").read_text()
    assert '<p class="db-step" data-step="procfile" id="step-procfile">' in page
    assert '<span class="filename">Procfile</span>' in page
    assert (
        '<var class="db-var" data-var="project_dir" title="The folder holding manage.py">&lt;project_dir&gt;</var>'
        in page
    )
    assert "XDBVAR" not in page and "{{ project_dir }}" not in page
    assert '<label for="__tabbed_1_1">PostgreSQL</label>' in page
    assert (built / "recipes" / "index.html").is_file()
    assert (built / "assets" / "deploybook" / "recipes.js").is_file()


def test_console_output_is_not_copied(built: Path) -> None:
    page = (built / "recipes" / "demo" / "index.html").read_text()
    assert '<span class="go">Created <var class="db-var"' in page
    assert '<span class="go">...\n</span><span class="gp">$ </span>' in page


def test_short_links_forward_to_step_anchors(built: Path) -> None:
    forward = (built / "go" / "demo" / "procfile" / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../../../recipes/demo/#step-procfile">' in forward
    alias = (built / "go" / "demo" / "make-app" / "index.html").read_text()
    assert 'location.replace("../../../recipes/demo/#step-create-app"' in alias
    assert 'url=../../recipes/demo/"' in (built / "go" / "demo" / "index.html").read_text()


def test_build_fails_when_a_published_step_disappears(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text())
    write_recipe(tmp_path / "recipes", RENAMED)
    result = build(tmp_path)
    assert result.returncode == 1
    assert "2 published links in links.lock.json would stop working:" in result.stderr
    assert "procfile: <the step that now does its job>" in result.stderr


def test_a_retired_step_leads_to_a_note_on_what_replaced_it(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text())
    write_recipe(tmp_path / "recipes", RETIRED)
    assert lock_main(["--root", str(tmp_path), "--update"]) == 0
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    forward = (tmp_path / "out" / "go" / "demo" / "procfile" / "index.html").read_text()
    assert 'url=../../../recipes/demo/#step-procfile"' in forward
    page = (tmp_path / "out" / "recipes" / "demo" / "index.html").read_text()
    assert '<div class="admonition note db-retired" id="step-procfile">' in page
    assert "This step was removed: <code>procfile</code>" in page
    assert '<a href="#step-processes">processes</a> does it now.' in page


def test_build_fails_when_a_retired_id_is_reused(tmp_path: Path) -> None:
    make_site(tmp_path, RETIRED)
    write_recipe(tmp_path / "recipes", RENAMED.replace('step="check"', 'step="procfile"'))
    result = build(tmp_path)
    assert result.returncode == 1
    assert "2 retired links in links.lock.json would lead to a new step:" in result.stderr


def test_the_authors_page_must_print_the_sites_address(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text())
    config = tmp_path / "mkdocs.yml"
    text = config.read_text().replace("nav:\n", "nav:\n  - Authors: authors.md\n")
    config.write_text("site_url: https://books.example/\n" + text)
    (tmp_path / "docs" / "authors.md").write_text("# Authors\n\nPrint https://old.example/go/demo/.\n")
    result = build(tmp_path)
    assert result.returncode == 1
    assert "authors.md does not give the address books print (https://books.example/go/<recipe>/<step>/)" in (
        result.stderr
    )
    (tmp_path / "docs" / "authors.md").write_text("# Authors\n\nPrint https://books.example/go/demo/procfile/.\n")
    assert build(tmp_path).returncode == 0


def test_build_fails_until_new_links_are_locked(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text(), lock=False)
    result = build(tmp_path)
    assert result.returncode == 1
    assert "python -m deploybook.compiler.site.lock --update" in result.stderr


def test_missing_markdown_extensions_are_named(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text())
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - md_in_html\n", ""))
    result = build(tmp_path)
    assert result.returncode == 1
    assert "recipe pages need these markdown_extensions in mkdocs.yml: md_in_html" in result.stderr


def test_a_recipe_page_links_to_editing_the_recipe_and_shows_when_it_was_verified(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text().replace("axes:\n", "verified: 2026-11-30\naxes:\n", 1))
    config = tmp_path / "mkdocs.yml"
    text = config.read_text().replace("features: [", "features: [content.action.edit, ")
    config.write_text("repo_url: https://git.example/acme/book\nedit_uri: edit/main/docs/\n" + text)
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "recipes" / "demo" / "index.html").read_text()
    # the recipe file, not the generated page (which is in no repository)
    assert 'href="https://git.example/acme/book/edit/main/recipes/demo.md"' in page
    assert re.search(
        r'Recipe version 2</span>\s*<span class="db-glance__verified">last verified on the platform 2026-11-30', page
    )
    home = (tmp_path / "out" / "index.html").read_text()
    assert 'href="https://git.example/acme/book/edit/main/docs/index.md"' in home


def test_the_sites_recipe_pages_link_to_editing_their_recipe() -> None:
    config = (REPO / "mkdocs.yml").read_text()
    repo_url = re.search(r"^repo_url: (\S+)$", config, re.M)
    assert repo_url and re.search(r"^edit_uri: edit/main/site/$", config, re.M)
    pyproject = (REPO / "pyproject.toml").read_text()
    assert f'Source = "{repo_url[1]}"' in pyproject  # one address for the project everywhere
