"""The generated recipes index page (recipes/index.md)."""

from __future__ import annotations

from collections.abc import Sequence

from ..ir import Recipe

__all__ = ["render_index"]


def render_index(recipes: Sequence[Recipe], *, authors: str | None = None) -> str:
    """`authors`: a link to the site's page on linking to recipes, if it has one."""
    rows = "\n".join(
        f"| [{recipe.title}]({recipe.id}.md) | {recipe.summary.replace('|', '&#124;')} | {recipe.version} |"
        for recipe in sorted(recipes, key=lambda r: r.title.lower())
    )
    versions = "The version counts breaking changes to a recipe's steps"
    versions += f"; see [linking to recipes]({authors}) for what it promises.\n" if authors else ".\n"
    return f"""---
title: Recipes
description: Every platform deploybook can deploy a Django project to.
---

# Recipes

Each recipe is a page you can follow by hand, and the same page is what
`python manage.py deploy <recipe>` runs on your project. Every step of every recipe runs in
deploybook's test suite, so the page and the tool never disagree.

| Platform | What you get | Version |
|---|---|---|
{rows}

{versions}"""
