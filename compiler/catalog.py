"""Where recipes come from: the bundled set, installed recipe packs, or a path.

A recipe pack is any installed distribution with an entry point in the group
`deploybook.recipes`; the entry point names a package (or a callable returning a folder)
whose folder holds `*.md` recipes.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator
from pathlib import Path

from deploybook.errors import UsageError
from deploybook.records import record

__all__ = [
    "RecipeSource",
    "bundled_dir",
    "bundled_ids",
    "find_recipe",
    "hidden_pack_recipes",
    "iter_sources",
    "recipe_files",
    "shadows_bundled",
]

ENTRY_POINT_GROUP = "deploybook.recipes"


@record
class RecipeSource:
    id: str
    path: Path
    display: str  # the path shown in messages, e.g. recipes/heroku.md
    origin: str  # "bundled" or the distribution that provides it


def bundled_dir() -> Path:
    # The folder beside the package's __init__.py (the recipes are plain files, never zipped):
    # the compiler asks on every compile, and importlib.resources imports zipfile.
    import deploybook.recipes

    return Path(deploybook.recipes.__file__).parent


@functools.cache
def bundled_ids() -> frozenset[str]:
    return frozenset(path.stem for path in recipe_files(bundled_dir()))


def shadows_bundled(path: Path) -> bool:
    """Whether a recipe file outside the bundled folder has a bundled recipe's id, so that
    `deploy ID` runs the bundled recipe, never this one."""
    if path.stem not in bundled_ids():
        return False
    bundled = bundled_dir() / path.name
    try:
        return not path.samefile(bundled)
    except OSError:  # a text compiled under a name, not a file: nothing to run it by id
        return False


def recipe_files(folder: Path) -> list[Path]:
    """Recipe files in a folder; files and folders starting with '_' are partials."""
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("_"))


def _pack_dirs() -> Iterator[tuple[str, Path]]:
    from importlib import metadata, resources  # only recipe packs need them, and they are slow to import

    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        target = entry.load() if ":" in entry.value else importlib.import_module(entry.value)
        folder = Path(target()) if callable(target) else Path(str(resources.files(target.__name__)))
        dist = entry.dist.name if entry.dist else entry.name
        yield dist, folder


def iter_sources() -> Iterator[RecipeSource]:
    """Bundled recipes first, then packs; a pack cannot shadow a bundled id (see
    hidden_pack_recipes), and two packs offering the same id are an error naming both (which
    one would deploy is not for installation order to decide)."""
    for path in recipe_files(bundled_dir()):
        yield RecipeSource(path.stem, path, f"recipes/{path.name}", "bundled")
    from_packs: dict[str, RecipeSource] = {}
    for source in _pack_recipes():
        if source.id in bundled_ids():
            continue
        if (other := from_packs.get(source.id)) is not None:
            raise UsageError(
                f"two recipe packs offer the recipe '{source.id}': {other.origin} ({other.path}) "
                f"and {source.origin} ({source.path})",
                hint=f"uninstall one of them (pip uninstall {source.origin}), or rename the recipe in one",
            )
        from_packs[source.id] = source
    yield from from_packs.values()


def hidden_pack_recipes() -> list[RecipeSource]:
    """Pack recipes that `deploy ID` never runs, because a bundled recipe has their id: a new
    bundled recipe must not change what an existing id deploys, so the bundled one wins, and
    `deploy --list` and `deploybook check` (DB010) say so."""
    return [source for source in _pack_recipes() if source.id in bundled_ids()]


def _pack_recipes() -> Iterator[RecipeSource]:
    for dist, folder in _pack_dirs():
        for path in recipe_files(folder):
            yield RecipeSource(path.stem, path, str(path), dist)


def find_recipe(name: str) -> RecipeSource:
    """A recipe by id, or by path when `name` points at a file."""
    candidate = Path(name)
    if candidate.suffix == ".md" or "/" in name:
        if not candidate.is_file():
            raise UsageError(f"no recipe file at {name}", hint="check the path")
        return RecipeSource(candidate.stem, candidate, name, "path")
    sources = list(iter_sources())
    for source in sources:
        if source.id == name:
            return source
    raise UsageError(
        f"unknown recipe '{name}'",
        hint=f"available: {', '.join(s.id for s in sources) or 'none'}; or give a path to a recipe file",
    )
