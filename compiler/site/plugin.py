"""The mkdocs side of the recipe site: generated recipe pages, short links and the links lock.

mkdocs loads `hook.py` (named in mkdocs.yml) which exposes this plugin's event methods.
Recipes are read from `recipes/` beside mkdocs.yml and the lock is `links.lock.json` there. A
recipe pack's site names its own recipes folder with a hook of its own (`deploybook new-pack`
writes it): `RecipeSitePlugin(recipes="src/PACKAGE/recipes")`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from deploybook.errors import DeploybookError

from ..ir import Recipe
from .assets import SCRIPT, SCRIPT_PATH, STYLESHEET, STYLESHEET_PATH
from .console_html import commands_only_copy
from .index_page import render_index
from .links import published_links, retired_links
from .lock import LOCK_NAME, Lock, check_lock, read_lock
from .page import RecipePage, render_page
from .placeholders import leftover_sentinels
from .recipes import SiteRecipe, load_recipes
from .redirects import redirect_pages
from .versions import Snapshot

__all__ = ["INDEX_URI", "REQUIRED_EXTENSIONS", "RecipeSitePlugin"]

log = logging.getLogger("mkdocs.plugins.deploybook")

INDEX_URI = "recipes/index.md"
AUTHORS_URI = "authors.md"
REQUIRED_EXTENSIONS = (
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
)


class RecipeSitePlugin:
    def __init__(self, recipes: str = "recipes") -> None:
        self.recipes_dir = recipes
        """The recipes folder, from the folder of mkdocs.yml."""
        self.recipes: list[SiteRecipe] = []
        self.pages: dict[str, RecipePage] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.pages = {}
        try:
            self.recipes = load_recipes(root / self.recipes_dir, root=root)
            locked = read_lock(root / LOCK_NAME)
        except DeploybookError as error:
            raise PluginError(str(error)) from error
        for loaded in self.recipes:
            for warning in loaded.warnings:
                log.warning(warning.format())
        live: set[str] = set()
        retired: set[str] = set()
        for loaded in self.recipes:
            live |= published_links(loaded.recipe)
            retired |= retired_links(loaded.recipe)
        report = check_lock(Lock(frozenset(live | retired), frozenset(retired)), locked, recipes=self.recipes_dir)
        if report.refused:
            raise PluginError(report.refusal())
        if report.added:
            # A warning, not an error: `mkdocs serve` still previews a new recipe, while
            # `mkdocs build --strict` (the tests, CI) refuses it until the lock lists it.
            log.warning(report.message())
        _check_extensions(config)
        # `mkdocs serve` may hand the same config to every rebuild.
        if STYLESHEET_PATH not in config.extra_css:
            config.extra_css.append(STYLESHEET_PATH)
        if SCRIPT_PATH not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT_PATH)
        if config.nav is not None:
            entries = [{r.recipe.title: f"recipes/{r.recipe.id}.md"} for r in self._by_title()]
            config.nav = _expand_nav(config.nav, entries)
        return config

    # Before mkdocs-redirects (and any plugin) looks for pages: its targets may be recipe pages.
    @event_priority(100)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # Linked from every recipe page when the site has it (relative to recipes/<id>.md).
        getting_started = "../getting-started.md" if files.get_file_from_path("getting-started.md") else None
        for loaded in self.recipes:
            recipe = loaded.recipe
            file = self._add_page(files, config, f"recipes/{recipe.id}.md", loaded, getting_started=getting_started)
            for uri, text in redirect_pages(recipe, file.url).items():
                files.append(File.generated(config, uri, content=text))
            for old in loaded.snapshots:
                # An earlier version's page: reached by its printed address, not from the nav.
                uri = f"recipes/{recipe.id}/v{old.version}.md"
                self._add_page(files, config, uri, old, current=recipe, inclusion=InclusionLevel.NOT_IN_NAV)
        _check_printed_address(files, config)
        if self.recipes and files.get_file_from_path(INDEX_URI) is None:
            authors = "../authors.md" if files.get_file_from_path("authors.md") else None
            index = render_index([r.recipe for r in self.recipes], authors=authors)
            files.append(File.generated(config, INDEX_URI, content=index))
        files.append(File.generated(config, STYLESHEET_PATH, content=STYLESHEET))
        files.append(File.generated(config, SCRIPT_PATH, content=SCRIPT))
        return files

    def _add_page(
        self,
        files: Files,
        config: MkDocsConfig,
        uri: str,
        source: SiteRecipe | Snapshot,
        *,
        current: Recipe | None = None,
        getting_started: str | None = None,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> File:
        try:
            page = render_page(source.recipe, source.segments, getting_started=getting_started, current=current)
        except DeploybookError as error:
            raise PluginError(str(error)) from error
        file = File.generated(config, uri, content=page.markdown, inclusion=inclusion)
        files.append(file)
        self.pages[file.src_uri] = page
        for download, content in page.downloads.items():
            files.append(File.generated(config, download, content=content))
        return file

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = commands_only_copy(html)
        recipe_page = self.pages.get(page.file.src_uri)
        if recipe_page is None:
            return html
        html = recipe_page.finish_html(html)
        _show_in_toc(page.toc, recipe_page)
        leftovers = sorted(set(leftover_sentinels(html)))
        if leftovers:
            raise PluginError(
                f"{recipe_page.recipe.path}: a placeholder was split while highlighting code ({', '.join(leftovers)})\n"
                "  hint: this is a bug in deploybook's site renderer; please report it with the recipe"
            )
        return html

    def on_page_context(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """ "Edit this page" on a recipe page opens the recipe, not a generated file: mkdocs'
        edit_uri names the docs folder (`.../edit/main/site/`), and recipes/ sits beside it."""
        recipe_page = self.pages.get(page.file.src_uri)
        if recipe_page is not None and config.repo_url and config.edit_uri:
            base = config.edit_uri.rstrip("/").rpartition("/")[0]
            page.edit_url = urljoin(config.repo_url.rstrip("/") + "/", f"{base}/{recipe_page.recipe.path}")
        return context

    def _by_title(self) -> list[SiteRecipe]:
        return sorted(self.recipes, key=lambda r: r.recipe.title.lower())


def _show_in_toc(items: Iterable[AnchorLink], recipe_page: RecipePage) -> None:
    """Headings that name a value show it in the table of contents as `<name>` too."""
    for item in items:
        item.title = recipe_page.placeholders.show_plain(item.title)
        _show_in_toc(item.children, recipe_page)


def _check_printed_address(files: Files, config: MkDocsConfig) -> None:
    """The authors page states the address books print; it must be the site's own."""
    authors = files.get_file_from_path(AUTHORS_URI)
    if authors is None or not config.site_url:
        return
    address = config.site_url.rstrip("/") + "/go/"
    if address not in authors.content_string:
        raise PluginError(
            f"{config.docs_dir}/{AUTHORS_URI} does not give the address books print ({address}<recipe>/<step>/)\n"
            f"  hint: site_url in mkdocs.yml is {config.site_url}; state that address on the page"
        )


def _check_extensions(config: MkDocsConfig) -> None:
    missing = [name for name in REQUIRED_EXTENSIONS if name not in config.markdown_extensions]
    tabbed = config.mdx_configs.get("pymdownx.tabbed", {})
    if "pymdownx.tabbed" in config.markdown_extensions and not tabbed.get("alternate_style"):
        missing.append("pymdownx.tabbed with alternate_style: true")
    if missing:
        raise PluginError(
            f"recipe pages need these markdown_extensions in mkdocs.yml: {', '.join(missing)}\n"
            "  hint: copy the markdown_extensions list of deploybook's own mkdocs.yml"
        )


def _expand_nav(nav: Any, entries: list[dict[str, str]]) -> Any:
    """Put every recipe page under the nav entry that names recipes/index.md."""
    if isinstance(nav, list):
        return [_expand_nav(item, entries) for item in nav]
    if isinstance(nav, dict):
        expanded = {}
        for title, value in nav.items():
            if value == INDEX_URI:
                expanded[title] = [INDEX_URI, *entries]
            else:
                expanded[title] = _expand_nav(value, entries)
        return expanded
    return nav
