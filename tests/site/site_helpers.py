"""Shared by the site tests: the fixture recipes, compiled and rendered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import deploybook.compiler.site
from deploybook.compiler.site import RecipePage, SiteRecipe, load_recipes, render_page
from deploybook.compiler.site.lock import main as lock_main

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

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
    """A copy of the demo recipe (its partial, its earlier version) with `text` replacing the demo's text."""
    (folder / "_partials").mkdir(parents=True, exist_ok=True)
    partial = FIXTURES / "recipes" / "_partials" / "settings.md"
    (folder / "_partials" / "settings.md").write_text(partial.read_text())
    # The demo's earlier version, kept for its readers (the demo is at version 2).
    shutil.copytree(FIXTURES / "recipes" / "_versions", folder / "_versions", dirs_exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(text)
    return path


def demo_text() -> str:
    return (FIXTURES / "recipes" / "demo.md").read_text()


# The installed package's hook file: the route a site outside this checkout would take.
HOOK = Path(deploybook.compiler.site.__file__).parent / "hook.py"
RENAMED = (FIXTURES / "recipes" / "demo.md").read_text().replace('step="procfile"', 'step="processes"')
RETIRED = RENAMED.replace(
    "  make-app: create-app\n",
    '  make-app: create-app\nretired:\n  procfile: "Removed in version 3: [processes](#step-processes) does it now."\n',
)

CONFIG = f"""\
site_name: test
docs_dir: docs
hooks: [{HOOK}]
theme: {{name: material, font: false, features: [content.tabs.link, content.code.copy]}}
plugins: []
nav:
  - Home: index.md
  - Recipes: recipes/index.md
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed: {{alternate_style: true}}
validation:
  nav: {{omitted_files: warn, not_found: warn, absolute_links: warn}}
  links: {{not_found: warn, anchors: warn, absolute_links: warn, unrecognized_links: warn}}
"""


def make_site(root: Path, recipe: str, *, lock: bool = True) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\nSee [the demo's Procfile](recipes/demo.md#step-procfile).\n")
    (root / "mkdocs.yml").write_text(CONFIG)
    write_recipe(root / "recipes", recipe)
    if lock:
        assert lock_main(["--root", str(root), "--update"]) == 0


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


PHONE = {"width": 390, "height": 844}  # a current phone's width in CSS pixels
# mkdocs-material shows the repository's stars and forks beside repo_url, asking GitHub's API
# from the reader's browser. The tests never leave the machine: they answer for GitHub.
GITHUB_FACTS = {"stargazers_count": 0, "forks_count": 0, "tag_name": "v0.1.0"}


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    created = browser.new_context(base_url=base_url, **options)
    created.route("https://api.github.com/**", lambda route: route.fulfill(json=GITHUB_FACTS))
    return created
