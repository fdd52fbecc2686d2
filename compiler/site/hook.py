"""The mkdocs hook that builds recipe pages: name this file under `hooks:` in mkdocs.yml.

mkdocs loads a hook by file path, outside any package, so everything here is imported by
absolute name: the same code runs from a checkout and from an installed deploybook.
"""

from __future__ import annotations

from deploybook.compiler.site.plugin import RecipeSitePlugin

_plugin = RecipeSitePlugin()

on_config = _plugin.on_config
on_files = _plugin.on_files
on_page_content = _plugin.on_page_content
on_page_context = _plugin.on_page_context
