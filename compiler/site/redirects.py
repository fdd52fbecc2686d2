"""Short links (`/go/<recipe>/<step>/`) as static pages that forward to the step's anchor.

mkdocs-redirects forwards pages, not anchors, so these pages are made here. Each forwards
three ways: script (keeps the history clean), meta refresh (no script), and a plain link.
Targets are relative, so the site works under any base path.
"""

from __future__ import annotations

import html
import json
import posixpath

from ..ir import Recipe
from .links import short_link

__all__ = ["redirect_pages"]


def redirect_pages(recipe: Recipe, page_url: str) -> dict[str, str]:
    """Site-relative file path (e.g. go/heroku/procfile/index.html) -> page HTML.

    `page_url` is the recipe page's URL from the site root, as mkdocs gives it (recipes/heroku/).
    """
    targets: dict[str | None, str] = {None: ""}
    for step_id in recipe.step_ids():
        targets[step_id] = f"#step-{step_id}"
    for old, new in recipe.aliases.items():
        targets[old] = f"#step-{new}"
    for old in recipe.retired:
        targets[old] = f"#step-{old}"  # the note on the page that says what replaced it
    pages = {}
    for key, fragment in targets.items():
        folder = short_link(recipe.id, key).strip("/")
        relative = posixpath.relpath(page_url or ".", folder)
        target = (relative.rstrip("/") + "/" if page_url.endswith("/") else relative) + fragment
        pages[f"{folder}/index.html"] = _page(target, recipe.title)
    return pages


def _page(target: str, title: str) -> str:
    url = html.escape(target, quote=True)
    name = html.escape(title)
    script_url = json.dumps(target).replace("<", "\\u003c")
    # A link to the page itself may carry a heading's fragment along (/go/heroku/#database).
    keep_hash = "false" if "#" in target else "true"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{name} recipe - deploybook</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{url}">
<script>location.replace({script_url} + ({keep_hash} ? location.hash : ""));</script>
<meta http-equiv="refresh" content="0; url={url}">
</head>
<body>
<p>This link leads to <a href="{url}">the {name} recipe</a>.</p>
</body>
</html>
"""
