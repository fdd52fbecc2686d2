"""The recipes a site is built from: every recipe file in one folder, compiled, with the
earlier versions kept for readers (versions.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from deploybook.errors import DeploybookError
from deploybook.records import record

from ..catalog import recipe_files
from ..diagnostics import Diagnostic
from ..ir import Recipe
from ..pipeline import compile_file
from ..segments import Segment
from .versions import Snapshot, load_snapshots

__all__ = ["SiteRecipe", "load_recipes"]


@record
class SiteRecipe:
    path: Path
    recipe: Recipe
    segments: tuple[Segment, ...]
    """The page as the compiler cut it: the one parse the page is rendered from."""
    warnings: tuple[Diagnostic, ...]
    snapshots: tuple[Snapshot, ...] = ()
    """The recipe's earlier versions, oldest first."""


def load_recipes(folder: Path, *, root: Path | None = None) -> list[SiteRecipe]:
    """Compile every recipe in `folder`; paths in messages are relative to `root`.

    Raises DeploybookError listing every error of every recipe: a page must never show a
    recipe the tool would refuse to run.
    """
    if not folder.is_dir():
        raise DeploybookError(f"no recipes folder at {folder}", hint="the site reads recipes/ beside mkdocs.yml")
    loaded: list[SiteRecipe] = []
    errors: list[Diagnostic] = []
    problems: list[str] = []
    for path in recipe_files(folder):
        display = os.path.relpath(path, root) if root else str(path)
        result = compile_file(path, display=display.replace(os.sep, "/"))
        errors += [d for d in result.diagnostics if d.is_error]
        if result.recipe is not None:
            warnings = tuple(d for d in result.diagnostics if not d.is_error)
            snapshots, wrong = load_snapshots(folder, result.recipe, root=root)
            problems += wrong
            loaded.append(SiteRecipe(path, result.recipe, result.segments, warnings, tuple(snapshots)))
    if errors:
        raise DeploybookError(
            _format(errors), hint="fix these recipes (`deploybook check recipes` shows the same list)"
        )
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise DeploybookError(
            f"{len(problems)} {noun} with earlier versions of recipes:\n" + "\n".join(problems),
            hint="earlier versions are kept under recipes/_versions/ (see site/reference/recipe-language.md#versions)",
        )
    return loaded


def _format(errors: Sequence[Diagnostic]) -> str:
    noun = "error" if len(errors) == 1 else "errors"
    return f"{len(errors)} recipe {noun}:\n" + "\n".join(d.format() for d in errors)
