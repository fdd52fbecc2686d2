"""The recipe site: recipe pages, short links and the links lock, built by an mkdocs hook.

Only `hook` and `plugin` import mkdocs; the rest do not. The links lock has its own
command line, `python -m deploybook.compiler.site.lock`, so it is not imported here.
"""

from __future__ import annotations

from .changes import Change, changes
from .links import anchor_link, page_link, published_links, short_link
from .page import RecipePage, render_page
from .recipes import SiteRecipe, load_recipes
from .redirects import redirect_pages

__all__ = [
    "Change",
    "RecipePage",
    "SiteRecipe",
    "anchor_link",
    "changes",
    "load_recipes",
    "page_link",
    "published_links",
    "redirect_pages",
    "render_page",
    "short_link",
]
