"""Earlier versions of a recipe: kept as snapshots, published at /recipes/<id>/v<N>/ under a
banner, listed with their changelog on the current page; the build refuses a version that
was bumped without its snapshot or its changelog entry."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from site_helpers import build, demo, demo_text, make_site, write_recipe

from deploybook.compiler.site import load_recipes, render_page
from deploybook.compiler.site.lock import check_lock, current_links
from deploybook.compiler.site.versions import main as versions_main
from deploybook.errors import DeploybookError

# The demo as it was at version 1 (no changelog yet), but with the current steps.
FIRST = (
    demo_text().replace("version: 2\n", "version: 1\n").split("changelog:")[0] + "---" + demo_text().split("---", 2)[2]
)


def test_the_current_page_lists_every_version_and_what_changed() -> None:
    markdown = render_page(demo().recipe, demo().segments).markdown
    versions = markdown[markdown.index("## Versions {#versions}") :]
    assert "- **Version 2** (this page): The app is created in the step `create-app`" in versions
    assert "- **[Version 1](demo/v1.md)**: the first." in versions


def test_an_earlier_version_is_its_own_text_under_a_banner() -> None:
    loaded = demo()
    (old,) = loaded.snapshots
    assert old.version == 1 and old.recipe.version == 1
    markdown = render_page(old.recipe, old.segments, current=loaded.recipe).markdown
    assert markdown.startswith("---\nsearch:\n  exclude: true\ntitle: Demo Cloud (version 1)\n---\n")
    assert '!!! warning "Version 1 of this recipe, kept for readers who printed it"' in markdown
    assert "version 2: [read it](../demo.md), and see [what changed](../demo.md#versions)." in markdown
    assert "(Version 1 of this page.)" in markdown and "{: #step-make-app " in markdown
    assert "$ python manage.py deploy demo" not in markdown  # that applies the current version
    assert "## Versions" not in markdown


def test_a_site_publishes_each_earlier_version_at_its_own_address(tmp_path: Path) -> None:
    make_site(tmp_path, demo_text())
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    old = (tmp_path / "out" / "recipes" / "demo" / "v1" / "index.html").read_text()
    assert 'href="../">read it</a>' in old and 'href="../#versions">what changed</a>' in old
    assert 'id="step-make-app"' in old
    current = (tmp_path / "out" / "recipes" / "demo" / "index.html").read_text()
    assert 'href="v1/">Version 1</a>' in current
    assert "/recipes/demo/v1/" in (tmp_path / "links.lock.json").read_text()
    assert "v1/" not in (tmp_path / "out" / "index.html").read_text().split('class="md-nav')[1]  # not in the nav


def _problems(tmp_path: Path, text: str) -> str:
    write_recipe(tmp_path, text)
    with pytest.raises(DeploybookError) as raised:
        load_recipes(tmp_path, root=tmp_path)
    return str(raised.value)


def test_a_version_bumped_without_its_snapshot_or_changelog_fails(tmp_path: Path) -> None:
    bumped = demo_text().replace("version: 2\n", "version: 3\n")
    message = _problems(tmp_path, bumped)
    assert message.startswith("2 problems with earlier versions of recipes:\n")
    assert "demo.md: version 2 is not kept for readers who printed it (no _versions/demo/v2/demo.md)" in message
    assert "python -m deploybook.compiler.site.versions freeze demo" in message
    assert "demo.md: the changelog does not say what changed in version 3" in message


def test_a_snapshot_must_be_an_earlier_version_and_say_so(tmp_path: Path) -> None:
    text = demo_text().replace("version: 2\n", "version: 1\n")
    message = _problems(tmp_path, text)
    assert "changelog entry 2 is not a version from 2 to the recipe's version" in message
    text = FIRST
    message = _problems(tmp_path, text)
    assert "_versions/demo/v1/demo.md: version 1 is not earlier than the recipe's (version 1)" in message
    shutil.rmtree(tmp_path / "_versions")
    old = tmp_path / "_versions" / "demo" / "v1" / "demo.md"
    write_recipe(tmp_path, demo_text())
    old.write_text(old.read_text().replace("version: 1\n", "version: 2\n"))
    assert "_versions/demo/v1/demo.md: says version 2, but is kept as v1" in _problems_now(tmp_path)


def _problems_now(folder: Path) -> str:
    with pytest.raises(DeploybookError) as raised:
        load_recipes(folder, root=folder)
    return str(raised.value)


def test_freeze_keeps_the_recipe_and_its_partials_as_they_are(tmp_path: Path) -> None:
    recipes = tmp_path / "recipes"
    write_recipe(recipes, demo_text())

    def freeze() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = versions_main(["freeze", "demo", "--recipes", str(recipes)])
        return code, out.getvalue(), err.getvalue()

    code, out, _ = freeze()
    assert code == 0 and "now bump `version:`" in out
    kept = recipes / "_versions" / "demo" / "v2"
    assert (kept / "demo.md").read_text() == demo_text()
    assert (kept / "_partials" / "settings.md").read_text() == (recipes / "_partials" / "settings.md").read_text()
    code, _, err = freeze()
    assert code == 1 and "version 2 of demo is already kept in" in err
    # the next version builds with both earlier ones kept
    (recipes / "_partials" / "settings.md").write_text("---\ntitle: Shared settings\n---\n\nChanged since.\n")
    write_recipe(
        recipes, demo_text().replace("version: 2\n", "version: 3\n").replace("changelog:\n", "changelog:\n  3: Why.\n")
    )
    (recipes / "_partials" / "settings.md").write_text("---\ntitle: Shared settings\n---\n\nChanged since.\n")
    (loaded,) = load_recipes(recipes, root=tmp_path)
    assert [s.version for s in loaded.snapshots] == [1, 2]
    assert "## Harden the settings" in render_page(loaded.snapshots[1].recipe, loaded.snapshots[1].segments).markdown


def test_a_version_that_went_down_is_a_link_that_would_stop_working(tmp_path: Path) -> None:
    write_recipe(tmp_path / "recipes", demo_text())
    locked = current_links(tmp_path)
    shutil.rmtree(tmp_path / "recipes" / "_versions")
    write_recipe(tmp_path / "recipes", FIRST)
    shutil.rmtree(tmp_path / "recipes" / "_versions")
    report = check_lock(current_links(tmp_path), locked)
    assert report.missing == ("/recipes/demo/v1/",)
    assert "recipes/demo.md no longer publishes its version 1" in report.message()
    assert "the recipe 'demo' is gone" not in report.message()
