"""The built site in a real browser: links land on steps, tabs, search, copy buttons."""

from __future__ import annotations

import posixpath
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_helpers import REPO, SCREENSHOTS

from deploybook.compiler import Recipe, RunCommands
from deploybook.compiler.site import SiteRecipe, load_recipes
from deploybook.compiler.site.links import recipe_of, step_of
from deploybook.compiler.site.lock import LOCK_NAME, read_lock

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

# A visible caption of the expected step, below the fixed header and inside the window.
LANDED = """(step) => Array.from(document.querySelectorAll(`.db-step[data-step="${step}"]`)).some((el) => {
  const box = el.getBoundingClientRect();
  return el.getClientRects().length > 0 && box.top >= 48 && box.bottom <= window.innerHeight;
})"""


@pytest.fixture(scope="module")
def recipes() -> dict[str, SiteRecipe]:
    return {loaded.recipe.id: loaded for loaded in load_recipes(REPO / "recipes", root=REPO)}


def locked(kind: str) -> list[str]:
    """The live links of the lock (retired ones lead to notes; see the retired-link tests)."""
    lock = read_lock(REPO / LOCK_NAME)
    assert lock, f"{LOCK_NAME} lists no links"
    return sorted(link for link in lock.live if link.startswith(kind))


def test_every_locked_anchor_lands_on_a_visible_step(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    anchors: dict[str, list[str]] = {}
    for link in locked("/recipes/"):
        if step_of(link):
            anchors.setdefault(recipe_of(link), []).append(link)
    assert set(anchors) == set(recipes), "every recipe publishes step anchors"
    for recipe_id, links in anchors.items():
        recipe = recipes[recipe_id].recipe
        # Arrive from outside first on a step the default tabs hide (the hard case), then
        # follow every other anchor within the page, as a reader clicking links does.
        hidden = [link for link in links if _hidden_by_default(recipe, step_of(link) or "")]
        for link in hidden[:1] + [link for link in links if link not in hidden[:1]]:
            step = step_of(link) or ""
            current = recipe.aliases.get(step, step)
            page.goto(link)
            page.wait_for_function(LANDED, arg=current, timeout=5000)


def _hidden_by_default(recipe: Recipe, step_id: str) -> bool:
    step_id = recipe.aliases.get(step_id, step_id)
    return not any(step.id == step_id for step in recipe.steps_for(recipe.default_choices()))


def test_every_locked_short_link_forwards_to_its_anchor(built_site: Path, recipes: dict[str, SiteRecipe]) -> None:
    for link in locked("/go/"):
        recipe, step = recipe_of(link), step_of(link)
        forward = (built_site / link.strip("/") / "index.html").read_text()
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', forward)
        assert target, link
        landed = posixpath.normpath(posixpath.join(link, target.group(1).split("#")[0])) + "/"
        fragment = target.group(1).partition("#")[2]
        current = recipes[recipe].recipe.aliases.get(step or "", step)
        assert (landed, fragment) == (f"/recipes/{recipe}/", f"step-{current}" if step else ""), link
        assert f'location.replace("{target.group(1)}"' in forward, link


def test_short_links_land_in_the_browser(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    for recipe_id, loaded in recipes.items():
        page.goto(f"/go/{recipe_id}/")
        page.wait_for_url(f"**/recipes/{recipe_id}/")
        step = next(s.id for s in loaded.recipe.steps if _hidden_by_default(loaded.recipe, s.id) or s.when)
        for short in (step, *loaded.recipe.aliases):
            page.goto(f"/go/{recipe_id}/{short}/")
            current = loaded.recipe.aliases.get(short, short)
            page.wait_for_url(f"**/recipes/{recipe_id}/#step-{current}")
            page.wait_for_function(LANDED, arg=current, timeout=5000)


def test_a_tab_chosen_on_one_page_is_chosen_on_the_others(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    with_db = [r for r in recipes.values() if (axis := r.recipe.axis("db")) and len(axis.values) > 1]
    if len(with_db) < 2:
        pytest.skip("needs two recipes with a db axis")
    first, second = with_db[0].recipe, with_db[1].recipe
    db = first.axis("db")
    assert db is not None
    choice = db.label(db.values[1])  # not the default; tabs show the axis's words
    page.goto(f"/recipes/{first.id}/")
    page.locator(".tabbed-labels label", has_text=re.compile(rf"^{choice}$")).first.click()
    page.goto(f"/recipes/{second.id}/")
    chosen = page.evaluate(
        """(label) => Array.from(document.querySelectorAll(".tabbed-set")).flatMap((set) => {
            const labels = Array.from(set.querySelectorAll(":scope > .tabbed-labels > label"));
            const wanted = labels.find((l) => l.innerText.trim() === label);
            return wanted ? [document.getElementById(wanted.htmlFor).checked] : [];
        })""",
        choice,
    )
    assert chosen and all(chosen), f"{choice} tabs on {second.id}: {chosen}"


CHOSEN = """() => Array.from(document.querySelectorAll(".tabbed-set")).map((set) => {
  const inputs = Array.from(set.querySelectorAll(":scope > input"));
  const checked = inputs.find((input) => input.checked);
  return set.querySelector(`label[for="${checked.id}"]`).textContent.trim();
})"""


def test_a_short_link_into_a_tab_chooses_that_variant_in_every_tab_set(
    page: Page, recipes: dict[str, SiteRecipe]
) -> None:
    tried = 0
    for loaded in recipes.values():
        recipe = loaded.recipe
        db = recipe.axis("db")
        if db is None or len(db.values) < 2:
            continue
        value = db.values[1]
        only = [
            s
            for s in recipe.steps
            if any(c.axis == "db" and c.values == {value} for c in s.when) and _hidden_by_default(recipe, s.id)
        ]
        if not only:
            continue
        tried += 1
        page.goto(f"/go/{recipe.id}/{only[0].id}/")
        page.wait_for_function(LANDED, arg=only[0].id, timeout=5000)
        labels = {db.label(v) for v in db.values}
        chosen = [label for label in page.evaluate(CHOSEN) if label in labels]
        assert chosen and set(chosen) == {db.label(value)}, f"{recipe.id}: {chosen}"
    assert tried, "no recipe has a step only its second db variant has"


def test_search_finds_a_recipe_by_platform_name(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    page.goto("/")
    search = page.locator(".md-search__input")
    for loaded in recipes.values():
        search.fill("")
        search.press_sequentially(loaded.recipe.title)
        hit = page.locator(f'.md-search-result__item > a[href*="/recipes/{loaded.recipe.id}/"]')
        hit.first.wait_for(timeout=10000)


def _copy(page: Page, step_id: str) -> str:
    block = page.locator(f"#step-{step_id} + .highlight")
    block.hover()
    block.locator('button[data-md-type="copy"], button.md-clipboard').first.click()
    return str(page.evaluate("navigator.clipboard.readText()"))


def test_copying_a_console_block_copies_only_its_commands(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    for loaded in recipes.values():
        step = next(
            (s for s in loaded.recipe.steps if isinstance(s, RunCommands) and not s.when and _has_output(s)), None
        )
        if step is not None:
            break
    else:
        pytest.skip("no recipe has a console block with output")
    page.goto(f"/recipes/{loaded.recipe.id}/")
    copied = _copy(page, step.id)
    # A value nobody filled in is copied as the shell variable that must hold it.
    expected = "\n".join(
        re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: f'"${{{m[1].upper()}:?set {m[1].upper()} first}}"', c.text)
        for c in step.commands
    )
    assert copied == expected
    assert "$ " not in copied and not any(line in copied for c in step.commands for line in c.expected if line)


# Stands in for each program a copied block runs: records its arguments and standard input.
STUB = """#!/bin/sh
{ printf '%s\\0' "$(basename "$0")" "$@"; printf '\\1'; [ -t 0 ] || cat; printf '\\2'; } >> "$STUB_LOG"
"""


def test_copied_commands_run_with_the_readers_values_and_never_without(
    page: Page, recipes: dict[str, SiteRecipe], tmp_path: Path
) -> None:
    """Paste each copied block into bash: with no values filled in, no command runs; with
    the values typed once at the top of the page, each runs with exactly the page's argv and
    input, the values quoted whatever they contain."""
    heredocs = 0
    for loaded in recipes.values():
        recipe = loaded.recipe
        steps = [
            s
            for s in recipe.steps
            if isinstance(s, RunCommands) and not s.when and any("{{" in c.text or c.stdin for c in s.commands)
        ]
        if not steps:
            continue
        programs = {c.argv[0] for s in steps for c in s.commands}
        bin_dir = tmp_path / recipe.id
        bin_dir.mkdir()
        for program in programs:
            (bin_dir / program).write_text(STUB)
            (bin_dir / program).chmod(0o755)
        page.goto(f"/recipes/{recipe.id}/")
        for step in steps:
            ran, errors = _paste(_copy(page, step.id), bin_dir, {})
            if any("{{" in c.text for c in step.commands):
                assert ran == [], f"{step.span}: ran without values: {ran}"
                assert "first" in errors, errors
        values = {v.name: f"{v.name} it's $HOME" for v in recipe.variables if not v.secret}
        secrets = {v.name: f"s3cr$t `{v.name}` \\" for v in recipe.variables if v.secret}
        for name, value in values.items():
            field = page.locator(f"#db-value-{name}")
            if field.count():
                field.fill(value)
        page.reload()  # the values are kept in the browser
        shells = {v.name: (v.env or v.name.upper()) for v in recipe.variables}
        environment = {shells[name]: value for name, value in secrets.items()}
        for step in steps:
            ran, errors = _paste(_copy(page, step.id), bin_dir, environment)
            assert errors == "", f"{step.span}: {errors}"
            filled = {**values, **secrets}
            expected = [
                ([_fill(arg, filled) for arg in c.argv], _fill(c.stdin, filled) if c.stdin is not None else "")
                for c in step.commands
            ]
            assert ran == expected, f"{step.span}: step {step.id}"
            heredocs += sum(c.stdin is not None for c in step.commands)
    assert heredocs, "the recipes give commands secrets on standard input; none does any more?"


def _fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: values.get(m[1], m[0]), text)


def _paste(text: str, bin_dir: Path, environment: dict[str, str]) -> tuple[list[tuple[list[str], str]], str]:
    log = bin_dir / "log"
    log.write_bytes(b"")
    result = subprocess.run(
        ["bash", "-c", text],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "STUB_LOG": str(log), "HOME": str(bin_dir), **environment},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    calls = []
    for record in log.read_text().split("\2")[:-1]:
        argv, _, stdin = record.partition("\1")
        calls.append((argv.split("\0")[:-1], stdin))
    return calls, result.stderr


def _has_output(step: RunCommands) -> bool:
    return any(line.strip() for command in step.commands for line in command.expected)


def test_no_page_logs_an_error_and_recipe_pages_are_photographed(
    page: Page, built_site: Path, recipes: dict[str, SiteRecipe]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = sorted(
        path.parent.relative_to(built_site).as_posix()
        for path in built_site.rglob("index.html")
        if path.relative_to(built_site).parts[0] != "go"
    )
    assert "recipes" in pages and len(pages) >= 6 + len(recipes)
    for path in pages:
        page.goto("/" if path == "." else f"/{path}/")
        page.locator("h1").first.wait_for()
    for recipe_id in recipes:
        page.goto(f"/recipes/{recipe_id}/")
        page.screenshot(path=str(SCREENSHOTS / f"{recipe_id}.png"), full_page=True)
