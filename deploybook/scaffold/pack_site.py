"""The site of a pack made by `deploybook new-pack`: its recipe pages built by deploybook's plugin.

The pack's mkdocs.yml names a small hook of its own, because mkdocs loads hooks by file path
and deploybook's hook reads `recipes/` beside mkdocs.yml, while a pack keeps its recipes in its
package. The links lock starts with every link the new recipe publishes.
"""

from __future__ import annotations

from pathlib import Path

from deploybook.compiler.site.lock import LOCK_NAME, current_links, write_lock

__all__ = ["write_pack_site"]

_MKDOCS = """\
site_name: {title} recipes
# Set this to the address the site is published at (canonical links and the sitemap use it).
# site_url: https://{name}.readthedocs.io/
docs_dir: docs

# Recipe pages (recipes/<id>/), short links (go/<recipe>/<step>/) and the check of {lock}
# are made by deploybook's site plugin, from the recipes folder that site_hook.py names.
hooks:
  - site_hook.py

nav:
  - Home: index.md
  - Recipes: recipes/index.md # every recipe page is listed under this entry

theme:
  name: material
  font: false
  features:
    - content.code.copy
    - content.tabs.link
    - navigation.indexes

plugins:
  - search

# What recipe pages need (the plugin refuses to build without them).
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight:
      pygments_lang_class: true
  - pymdownx.inlinehilite
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true

validation:
  nav:
    omitted_files: warn
    not_found: warn
  links:
    not_found: warn
    anchors: warn
    unrecognized_links: warn
"""

_HOOK = '''\
"""deploybook's recipe pages for this pack's recipes (named under `hooks:` in mkdocs.yml)."""

from deploybook.compiler.site.plugin import RecipeSitePlugin

_plugin = RecipeSitePlugin(recipes="{recipes}")

on_config = _plugin.on_config
on_files = _plugin.on_files
on_page_content = _plugin.on_page_content
'''

_INDEX = """\
# {title} recipes

Deployment recipes for Django, read here or run with
[deploybook](https://pypi.org/project/deploybook/):

    pip install {name}
    python manage.py deploy --list

[The recipes](recipes/index.md)
"""


def write_pack_site(root: Path, values: dict[str, str], recipes: str) -> None:
    """Write mkdocs.yml, its hook, docs/index.md, the links lock and .gitignore into the pack at `root`."""
    # The built site and the wheels are made from the sources, never committed.
    (root / ".gitignore").write_text("site/\ndist/\n*.egg-info/\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(_MKDOCS.format(**values), encoding="utf-8")
    (root / "site_hook.py").write_text(_HOOK.format(recipes=recipes), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(_INDEX.format(**values), encoding="utf-8")
    published = current_links(root, recipes)
    write_lock(root / LOCK_NAME, published.links, published.retired)
