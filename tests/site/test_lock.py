"""The links lock: published links may not disappear (an alias or a retired note keeps them),
may not appear unlisted, and a retired id may never come back as a different step."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from site_helpers import demo_text, write_recipe

from deploybook.compiler.site import load_recipes, published_links
from deploybook.compiler.site.lock import UPDATE_COMMAND, Lock, check_lock, current_links, main, read_lock, write_lock

RENAMED = demo_text().replace('step="procfile"', 'step="processes"')
ALIASED = RENAMED.replace("  make-app: create-app\n", "  make-app: create-app\n  procfile: processes\n")
RETIRED = RENAMED.replace(
    "  make-app: create-app\n", '  make-app: create-app\nretired:\n  procfile: "Removed in version 3: see processes."\n'
)


def links_of(folder: Path) -> set[str]:
    (loaded,) = load_recipes(folder)
    return published_links(loaded.recipe)


def lock_of(folder: Path) -> Lock:
    return current_links(folder.parent)


def test_published_links_cover_page_steps_and_aliases(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text())
    links = links_of(tmp_path)
    assert {"/recipes/demo/", "/go/demo/", "/recipes/demo/#step-procfile", "/go/demo/procfile/"} <= links
    assert {"/recipes/demo/#step-make-app", "/go/demo/make-app/"} <= links  # the alias
    assert "/recipes/demo/#step-database" in links  # variants share one anchor
    steps = ["settings", "procfile", "base-template", "driver", "create-app", "database", "check"]
    assert "/recipes/demo/v1/" in links  # the page of its earlier version, printed in books
    assert len(links) == 3 + 2 * (len(steps) + 1)  # pages, short link; steps and the alias


def test_a_vanished_step_fails_and_says_which_alias_to_add(tmp_path: Path) -> None:
    write_recipe(tmp_path / "recipes", demo_text())
    locked = lock_of(tmp_path / "recipes")
    write_recipe(tmp_path / "recipes", RENAMED)
    report = check_lock(lock_of(tmp_path / "recipes"), locked)
    assert report.missing == ("/go/demo/procfile/", "/recipes/demo/#step-procfile")
    message = report.message()
    assert "2 published links in links.lock.json would stop working:" in message
    assert "recipes/demo.md no longer has the step procfile." in message
    assert "aliases:\n         procfile: <the step that now does its job>" in message
    assert 'retired:\n         procfile: "Removed in version N: <what replaced it, and why>"' in message
    assert "--prune" not in message


def test_a_retired_step_keeps_its_links_as_a_tombstone(tmp_path: Path) -> None:
    write_recipe(tmp_path / "recipes", demo_text())
    locked = lock_of(tmp_path / "recipes")
    write_recipe(tmp_path / "recipes", RETIRED)
    current = lock_of(tmp_path / "recipes")
    assert current.retired == {"/go/demo/procfile/", "/recipes/demo/#step-procfile"}
    report = check_lock(current, locked)
    assert report.missing == () and not report.refused
    # newly retired links are listed as such (with the new step's links) before the build passes
    assert set(report.added) == {"/go/demo/processes/", "/recipes/demo/#step-processes", *current.retired}


def test_an_alias_keeps_the_old_links(tmp_path: Path) -> None:
    write_recipe(tmp_path / "recipes", demo_text())
    locked = lock_of(tmp_path / "recipes")
    write_recipe(tmp_path / "recipes", ALIASED)
    report = check_lock(lock_of(tmp_path / "recipes"), locked)
    assert report.missing == ()
    # the new step's own links are new, and must be listed before the build passes
    assert report.added == ("/go/demo/processes/", "/recipes/demo/#step-processes")
    assert UPDATE_COMMAND in report.message()


def test_new_links_are_summarised_per_recipe(tmp_path: Path) -> None:
    write_recipe(tmp_path / "recipes", demo_text())
    report = check_lock(lock_of(tmp_path / "recipes"), None)
    assert not report.ok
    assert report.message().startswith("19 new links are not in links.lock.json (which does not exist yet) yet:")
    assert "recipes/demo.md: its page and 8 steps (base-template, check, create-app," in report.message()


def test_a_packs_messages_name_its_recipes_folder(tmp_path: Path) -> None:
    """A pack's recipes are in src/PACKAGE/recipes: the files and the update command say so."""
    folder = tmp_path / "src" / "acme" / "recipes"
    write_recipe(folder, demo_text())
    locked = current_links(tmp_path, "src/acme/recipes")
    write_recipe(folder, RENAMED)
    report = check_lock(current_links(tmp_path, "src/acme/recipes"), locked, recipes="src/acme/recipes")
    assert "src/acme/recipes/demo.md no longer has the step procfile." in report.message()
    assert f"Run `{UPDATE_COMMAND} --recipes src/acme/recipes` and commit" in report.message()
    default = check_lock(current_links(tmp_path, "src/acme/recipes"), None)  # the repository's own site
    assert f"Run `{UPDATE_COMMAND}` and commit" in default.message()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_updates_and_refuses(tmp_path: Path) -> None:
    recipes = tmp_path / "recipes"
    write_recipe(recipes, demo_text())
    lock = tmp_path / "links.lock.json"
    assert run("--root", str(tmp_path))[0] == 1  # no lock yet
    assert run("--root", str(tmp_path), "--update")[0] == 0
    assert read_lock(lock) == Lock(frozenset(links_of(recipes)))
    assert json.loads(lock.read_text())["links"] == sorted(links_of(recipes))
    assert run("--root", str(tmp_path)) == (0, "links.lock.json: all 19 links are published\n", "")

    write_recipe(recipes, RENAMED)
    before = lock.read_bytes()
    code, _, err = run("--root", str(tmp_path), "--update")
    assert code == 1 and "no longer has the step procfile" in err
    assert lock.read_bytes() == before  # refused: the lock is unchanged
    with pytest.raises(SystemExit):  # there is no way to drop links
        run("--root", str(tmp_path), "--update", "--prune")

    write_recipe(recipes, RETIRED)
    code, out, _ = run("--root", str(tmp_path), "--update")
    assert (code, out) == (0, "links.lock.json: 2 added, 2 retired, 21 links\n")
    assert json.loads(lock.read_text())["retired"] == ["/go/demo/procfile/", "/recipes/demo/#step-procfile"]


def test_a_retired_id_can_never_name_a_new_step(tmp_path: Path) -> None:
    """Removing the tombstone and giving its id to other work is refused, by the lock alone."""
    recipes = tmp_path / "recipes"
    write_recipe(recipes, RETIRED)
    assert run("--root", str(tmp_path), "--update")[0] == 0
    before = (tmp_path / "links.lock.json").read_bytes()
    reused = RENAMED.replace('step="check"', 'step="procfile"')  # another step takes the old id
    write_recipe(recipes, reused)
    code, _, err = run("--root", str(tmp_path), "--update")
    assert code == 1
    assert "2 retired links in links.lock.json would lead to a new step:" in err
    assert "  /go/demo/procfile/\n  /recipes/demo/#step-procfile\n" in err
    assert "Give the new step another id:\n       recipes/demo.md: procfile" in err
    assert (tmp_path / "links.lock.json").read_bytes() == before


def test_write_lock_lists_one_sorted_link_a_line(tmp_path: Path) -> None:
    lock = tmp_path / "links.lock.json"
    write_lock(lock, ["/recipes/b/", "/go/a/", "/go/a/"], ["/go/c/x/"])
    text = lock.read_text()
    assert '  "links": [\n    "/go/a/",\n    "/go/c/x/",\n    "/recipes/b/"\n  ],\n' in text
    assert '  "retired": [\n    "/go/c/x/"\n  ]\n}\n' in text
