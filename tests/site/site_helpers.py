"""Shared by the site tests: the fixture recipes, compiled and rendered."""

from __future__ import annotations

from pathlib import Path

from deploybook.compiler.site import RecipePage, SiteRecipe, load_recipes, render_page

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"  # full-page shots of each recipe page, for review


def demo() -> SiteRecipe:
    (loaded,) = load_recipes(FIXTURES / "recipes")
    return loaded


def demo_page() -> RecipePage:
    loaded = demo()
    return render_page(loaded.recipe, loaded.segments)


def write_recipe(folder: Path, text: str, name: str = "demo") -> Path:
    """A copy of the demo recipe (and its partial) with `text` replacing the demo's text."""
    (folder / "_partials").mkdir(parents=True, exist_ok=True)
    partial = FIXTURES / "recipes" / "_partials" / "settings.md"
    (folder / "_partials" / "settings.md").write_text(partial.read_text())
    path = folder / f"{name}.md"
    path.write_text(text)
    return path


def demo_text() -> str:
    return (FIXTURES / "recipes" / "demo.md").read_text()
