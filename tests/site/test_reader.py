"""A reader following a recipe page by hand, in a real browser: their own values, retired
links, and a phone-sized window.

Copying with values (pasted into bash) and the tab sync from a short link are in
test_browser.py; this module adds what a reader sees.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_helpers import PHONE, REPO, new_context

from deploybook.compiler.site import SiteRecipe, load_recipes
from deploybook.compiler.site.links import recipe_of, step_of
from deploybook.compiler.site.lock import LOCK_NAME, read_lock

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]


@pytest.fixture(scope="module")
def recipes() -> dict[str, SiteRecipe]:
    return {loaded.recipe.id: loaded for loaded in load_recipes(REPO / "recipes", root=REPO)}


def _value_shown(page: Page, name: str) -> list[str]:
    return list(
        page.evaluate(
            "(name) => Array.from(document.querySelectorAll(`var.db-var[data-var='${name}']`), (v) => v.textContent)",
            name,
        )
    )


def test_a_value_typed_once_shows_in_every_block_and_stays(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    recipe = recipes["heroku"].recipe
    page.goto(f"/recipes/{recipe.id}/")
    shown = _value_shown(page, "app_name")
    assert len(shown) > 3 and set(shown) == {"<app_name>"}, shown
    page.locator("#db-value-app_name").fill("my-shop")
    assert set(_value_shown(page, "app_name")) == {"my-shop"}
    # in code blocks too, and the copy button copies the value set as a shell variable first
    code = page.locator(".highlight code:has(var.db-var[data-var='app_name'])").first
    assert "my-shop" in code.inner_text()
    assert (code.get_attribute("data-copy") or "").startswith("APP_NAME='my-shop'\n")
    page.reload()  # kept in this browser
    assert page.locator("#db-value-app_name").input_value() == "my-shop"
    assert set(_value_shown(page, "app_name")) == {"my-shop"}
    page.locator(".db-values__clear").click()
    page.wait_for_function("() => document.querySelector(\"var.db-var[data-var='app_name']\").textContent[0] === '<'")
    assert set(_value_shown(page, "app_name")) == {"<app_name>"}
    page.reload()
    assert page.locator("#db-value-app_name").input_value() == ""


NOTE_IN_VIEW = """(id) => {
  const note = document.getElementById(id);
  if (!note || !note.classList.contains("db-retired")) return false;
  const box = note.getBoundingClientRect();
  return box.top >= 48 && box.top < window.innerHeight;
}"""


def test_a_retired_link_leads_to_the_removal_note(browser: Browser, retired_site_url: str) -> None:
    """The demo recipe's `procfile` step was removed: its short link and its anchor, printed
    before, land on the note that says so and link to what replaced it."""
    context = new_context(browser, retired_site_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        for link in ("/go/demo/procfile/", "/recipes/demo/#step-procfile"):
            page.goto(link)
            page.wait_for_url("**/recipes/demo/#step-procfile")
            page.wait_for_function(NOTE_IN_VIEW, arg="step-procfile", timeout=5000)
            note = page.locator("#step-procfile")
            assert "This step was removed: procfile" in note.inner_text()
        page.locator("#step-procfile a[href='#step-processes']").click()
        page.wait_for_url("**/recipes/demo/#step-processes")
        assert page.locator('.db-step[data-step="processes"]').first.is_visible()
    finally:
        context.close()


def test_every_retired_link_in_the_lock_leads_to_its_note(page: Page) -> None:
    lock = read_lock(REPO / LOCK_NAME)
    assert lock is not None
    for link in sorted(lock.retired):
        page.goto(link)
        page.wait_for_url(f"**/recipes/{recipe_of(link)}/#step-{step_of(link)}")
        page.wait_for_function(NOTE_IN_VIEW, arg=f"step-{step_of(link)}", timeout=5000)


# Code blocks that would widen the page, and lines that run past the edge of their block
# (wrapped, every line can be read whole without scrolling the block). Collapsed blocks are
# opened first, and every tab's blocks are measured in turn.
OVERFLOW = """() => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  const width = document.documentElement.clientWidth;
  const out = [];
  const measure = () => {
    if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth}px wide`);
    document.querySelectorAll(".md-typeset pre > code").forEach((code) => {
      if (!code.getClientRects().length) return;  // in a tab not chosen
      const box = code.closest("pre").getBoundingClientRect();
      if (box.right > width + 1) out.push(`block ends at ${box.right}px: ${code.textContent.slice(0, 60)}`);
      if (code.scrollWidth > code.clientWidth + 1) out.push(`line past the edge: ${code.textContent.slice(0, 60)}`);
    });
  };
  measure();
  document.querySelectorAll(".tabbed-set > input:not(:checked)").forEach((input) => { input.click(); measure(); });
  return Array.from(new Set(out));
}"""


def test_a_phone_wide_page_never_scrolls_sideways_and_long_lines_wrap(
    phone: Page, recipes: dict[str, SiteRecipe]
) -> None:
    for recipe_id in ("index", *recipes):
        phone.goto(f"/recipes/{recipe_id}/" if recipe_id != "index" else "/recipes/")
        assert phone.evaluate(OVERFLOW) == [], recipe_id


def test_long_lines_wrap_in_a_desktop_window(page: Page, recipes: dict[str, SiteRecipe]) -> None:
    for recipe_id in recipes:
        page.goto(f"/recipes/{recipe_id}/")
        assert page.evaluate(OVERFLOW) == [], recipe_id


def test_a_long_script_is_collapsed_and_downloads_with_the_readers_values(page: Page) -> None:
    page.goto("/recipes/vps/")
    # the systemd unit: long, and it names the app
    details = page.locator("details.db-long").filter(has=page.locator("var.db-var[data-var='app_name']"))
    assert details.count() >= 1 and details.first.get_attribute("open") is None
    details = details.first
    code = details.locator("code")
    assert not code.is_visible()
    summary = details.locator("summary").inner_text()
    assert re.fullmatch(r".+: \d+ lines", summary), summary
    link = details.locator("xpath=preceding-sibling::p[1][contains(@class, 'db-download')]/a")
    assert link.get_attribute("download")
    static = page.evaluate("(href) => fetch(href).then((r) => r.text())", link.get_attribute("href"))
    assert static == code.text_content()  # the file is the block, <name> placeholders and all
    assert "<app_name>" in static
    details.locator("summary").click()
    assert code.is_visible()
    page.locator("#db-value-app_name").fill("shop")
    with page.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_text()
    assert "<app_name>" not in text and "shop" in text and text == code.text_content()


def test_tabs_can_be_chosen_on_a_phone(phone: Page, recipes: dict[str, SiteRecipe]) -> None:
    recipe = next(r.recipe for r in recipes.values() if (axis := r.recipe.axis("db")) and len(axis.values) > 1)
    db = recipe.axis("db")
    assert db is not None
    phone.goto(f"/recipes/{recipe.id}/")
    label = phone.locator(".tabbed-labels label", has_text=db.label(db.values[1])).first
    label.tap()
    box = label.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    chosen = phone.evaluate(
        """(text) => Array.from(document.querySelectorAll(".tabbed-set")).flatMap((set) => {
            const label = Array.from(set.querySelectorAll(":scope > .tabbed-labels > label"))
                .find((l) => l.textContent.trim() === text);
            if (!label) return [];
            const input = document.getElementById(label.htmlFor);
            const index = Array.from(set.querySelectorAll(":scope > input")).indexOf(input);
            const block = set.querySelectorAll(":scope > .tabbed-content > .tabbed-block")[index];
            return [input.checked && block.getClientRects().length > 0];
        })""",
        db.label(db.values[1]),
    )
    assert chosen and all(chosen), chosen


def test_an_earlier_versions_page_leads_to_the_current_one(browser: Browser, retired_site_url: str) -> None:
    context = new_context(browser, retired_site_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/recipes/demo/v1/")
        banner = page.locator(".admonition.warning").first
        assert "Version 1 of this recipe, kept for readers who printed it" in banner.inner_text()
        banner.get_by_role("link", name="what changed").click()
        page.wait_for_url("**/recipes/demo/#versions")
        assert page.locator("#versions").is_visible()
        page.get_by_role("link", name="Version 1").click()
        page.wait_for_url("**/recipes/demo/v1/")
    finally:
        context.close()
