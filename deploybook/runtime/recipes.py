"""Finding and compiling the recipe a deploy runs, and listing the recipes there are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import deploybook.recipes
from deploybook.errors import RecipeError, UsageError
from deploybook.records import record
from deploybook.runtime.recipe_cache import load_cached, store_cached

if TYPE_CHECKING:
    from deploybook.compiler import Diagnostic, Recipe

# The compiler's pipeline (markdown-it-py, PyYAML) and catalog (importlib.metadata, for
# recipe packs) are imported only when they are needed: a bundled recipe found in the cache
# needs neither.

__all__ = ["LoadedRecipe", "RecipeEntry", "RecipeOrigin", "list_recipes", "load_recipe"]


@record
class RecipeOrigin:
    """Where a recipe was found (the catalog's RecipeSource, without importing the catalog)."""

    id: str
    path: Path
    display: str
    """The path shown in messages, e.g. recipes/heroku.md."""
    origin: str
    """"bundled", "path", or the distribution of the recipe pack that provides it."""


@record
class LoadedRecipe:
    """A compiled recipe (from the cache or just compiled), where it came from, its warnings."""

    recipe: Recipe
    source: RecipeOrigin
    warnings: tuple[Diagnostic, ...]


@record
class RecipeEntry:
    """One line of `manage.py deploy --list`."""

    id: str
    title: str
    summary: str
    origin: str
    """"bundled", or the distribution of the recipe pack that provides it."""
    display: str
    errors: int
    hidden: bool = False
    """A pack's recipe whose id a bundled recipe has: `deploy ID` runs the bundled one."""


def load_recipe(name: str | None, recipe_file: Path | None = None) -> LoadedRecipe:
    """Compile the recipe named by id or path. Compile errors raise RecipeError listing every
    diagnostic as `path:line:col: ID message`."""
    source = _source(name, recipe_file)
    cached = load_cached(source.path, source.display)
    if cached is not None:
        return LoadedRecipe(cached[0], source, cached[1])
    from deploybook.compiler import compile_file

    result = compile_file(source.path, display=source.display)
    if result.recipe is None:
        errors = [d for d in result.diagnostics if d.is_error]
        listing = "\n".join(d.format() for d in result.diagnostics)
        raise RecipeError(
            f"{source.display} has {len(errors)} error{'s' * (len(errors) != 1)}; nothing was changed:\n{listing}",
            hint=f"fix the recipe (`deploybook check {source.display}` checks it again)",
        )
    warnings = tuple(d for d in result.diagnostics if not d.is_error)
    store_cached(source.path, source.display, result.recipe, warnings)
    return LoadedRecipe(result.recipe, source, warnings)


def _source(name: str | None, recipe_file: Path | None) -> RecipeOrigin:
    if recipe_file is not None:
        if not recipe_file.is_file():
            raise UsageError(f"--recipe-file {recipe_file}: no such file", hint="give the path of a recipe .md file")
        return RecipeOrigin(recipe_file.stem, recipe_file, str(recipe_file), "path")
    # A bundled id needs no search through installed packs (which reads every distribution's
    # metadata); the catalog gives bundled recipes precedence anyway. The bundled recipes are
    # plain files beside the package's __init__.py, so importlib.resources (and the zipfile
    # module it imports) is not needed to find them.
    bundled = Path(deploybook.recipes.__file__).parent / f"{name}.md"
    if name and "/" not in name and not name.startswith("_") and bundled.is_file():
        return RecipeOrigin(str(name), bundled, f"recipes/{bundled.name}", "bundled")
    from deploybook.compiler import find_recipe

    found = find_recipe(str(name))
    return RecipeOrigin(found.id, found.path, found.display, found.origin)


def list_recipes() -> list[RecipeEntry]:
    """Every recipe deploy can run: bundled first, then installed packs (`deploybook.recipes`),
    then the packs' recipes that a bundled id hides."""
    from deploybook.compiler import compile_file
    from deploybook.compiler.catalog import hidden_pack_recipes, iter_sources

    entries = []
    hidden = hidden_pack_recipes()
    for source in [*iter_sources(), *hidden]:
        result = compile_file(source.path, display=source.display)
        errors = sum(d.is_error for d in result.diagnostics)
        title = result.recipe.title if result.recipe else source.id
        summary = result.recipe.summary if result.recipe else ""
        entries.append(RecipeEntry(source.id, title, summary, source.origin, source.display, errors, source in hidden))
    return entries
