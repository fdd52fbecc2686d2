"""The links lock: published links may not disappear without an alias, nor appear unlisted."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from site_helpers import demo_text, write_recipe

from deploybook.compiler.site import load_recipes, published_links
from deploybook.compiler.site.lock import UPDATE_COMMAND, check_lock, main, read_lock, write_lock

RENAMED = demo_text().replace('step="procfile"', 'step="processes"')
ALIASED = RENAMED.replace("  make-app: create-app\n", "  make-app: create-app\n  procfile: processes\n")


def links_of(folder: Path) -> set[str]:
    (loaded,) = load_recipes(folder)
    return published_links(loaded.recipe)


def test_published_links_cover_page_steps_and_aliases(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text())
    links = links_of(tmp_path)
    assert {"/recipes/demo/", "/go/demo/", "/recipes/demo/#step-procfile", "/go/demo/procfile/"} <= links
    assert {"/recipes/demo/#step-make-app", "/go/demo/make-app/"} <= links  # the alias
    assert "/recipes/demo/#step-database" in links  # variants share one anchor
    steps = ["settings", "procfile", "base-template", "driver", "create-app", "database", "check"]
    assert len(links) == 2 + 2 * (len(steps) + 1)  # page, short link; steps and the alias


def test_a_vanished_step_fails_and_says_which_alias_to_add(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text())
    locked = links_of(tmp_path)
    write_recipe(tmp_path, RENAMED)
    report = check_lock(links_of(tmp_path), locked)
    assert report.missing == ("/go/demo/procfile/", "/recipes/demo/#step-procfile")
    message = report.message()
    assert "2 published links in links.lock.json would stop working:" in message
    assert "recipes/demo.md no longer has the step procfile." in message
    assert "aliases:\n         procfile: <the step that now does its job>" in message
    assert f"{UPDATE_COMMAND} --prune" in message


def test_an_alias_keeps_the_old_links(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text())
    locked = links_of(tmp_path)
    write_recipe(tmp_path, ALIASED)
    report = check_lock(links_of(tmp_path), locked)
    assert report.missing == ()
    # the new step's own links are new, and must be listed before the build passes
    assert report.added == ("/go/demo/processes/", "/recipes/demo/#step-processes")
    assert UPDATE_COMMAND in report.message()


def test_new_links_are_summarised_per_recipe(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text())
    report = check_lock(links_of(tmp_path), None)
    assert not report.ok
    assert report.message().startswith("18 new links are not in links.lock.json (which does not exist yet) yet:")
    assert "recipes/demo.md: its page and 8 steps (base-template, check, create-app," in report.message()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_updates_refuses_and_prunes(tmp_path: Path) -> None:
    recipes = tmp_path / "recipes"
    write_recipe(recipes, demo_text())
    lock = tmp_path / "links.lock.json"
    assert run("--root", str(tmp_path))[0] == 1  # no lock yet
    assert run("--root", str(tmp_path), "--update")[0] == 0
    assert read_lock(lock) == links_of(recipes)
    assert json.loads(lock.read_text())["links"] == sorted(links_of(recipes))
    assert run("--root", str(tmp_path)) == (0, "links.lock.json: all 18 links are published\n", "")

    write_recipe(recipes, RENAMED)
    code, _, err = run("--root", str(tmp_path), "--update")
    assert code == 1 and "no longer has the step procfile" in err
    assert read_lock(lock) != links_of(recipes)  # refused: the lock is unchanged

    code, out, _ = run("--root", str(tmp_path), "--update", "--prune")
    assert (code, out) == (0, "links.lock.json: 2 added, 2 dropped, 18 links\n")
    assert read_lock(lock) == links_of(recipes)


def test_write_lock_lists_one_sorted_link_a_line(tmp_path: Path) -> None:
    lock = tmp_path / "links.lock.json"
    write_lock(lock, ["/recipes/b/", "/go/a/", "/go/a/"])
    assert '  "links": [\n    "/go/a/",\n    "/recipes/b/"\n  ]\n}\n' in lock.read_text()
