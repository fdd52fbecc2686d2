"""Where recipes come from: the bundled set, installed recipe packs, or a path.

A recipe pack is any installed distribution with an entry point in the group
`deploybook.recipes`; the entry point names a package (or a callable returning a folder)
whose folder holds `*.md` recipes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from deploybook.errors import UsageError
from deploybook.records import record

__all__ = ["RecipeSource", "bundled_dir", "find_recipe", "iter_sources", "recipe_files"]

ENTRY_POINT_GROUP = "deploybook.recipes"


@record
class RecipeSource:
    id: str
    path: Path
    display: str  # the path shown in messages, e.g. recipes/heroku.md
    origin: str  # "bundled" or the distribution that provides it


def bundled_dir() -> Path:
    return Path(str(resources.files("deploybook.recipes")))


def recipe_files(folder: Path) -> list[Path]:
    """Recipe files in a folder; files and folders starting with '_' are partials."""
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("_"))


def _pack_dirs() -> Iterator[tuple[str, Path]]:
    from importlib import metadata  # only recipe packs need it, and it is slow to import

    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        target = entry.load() if ":" in entry.value else importlib.import_module(entry.value)
        folder = Path(target()) if callable(target) else Path(str(resources.files(target.__name__)))
        dist = entry.dist.name if entry.dist else entry.name
        yield dist, folder


def iter_sources() -> Iterator[RecipeSource]:
    """Bundled recipes first, then packs; a pack cannot shadow a bundled id, and two packs
    offering the same id are an error naming both (which one would deploy is not for
    installation order to decide)."""
    bundled = {path.stem for path in recipe_files(bundled_dir())}
    for path in recipe_files(bundled_dir()):
        yield RecipeSource(path.stem, path, f"recipes/{path.name}", "bundled")
    from_packs: dict[str, RecipeSource] = {}
    for dist, folder in _pack_dirs():
        for path in recipe_files(folder):
            source = RecipeSource(path.stem, path, str(path), dist)
            if source.id in bundled:
                continue
            if (other := from_packs.get(source.id)) is not None:
                raise UsageError(
                    f"two recipe packs offer the recipe '{source.id}': {other.origin} ({other.path}) "
                    f"and {source.origin} ({source.path})",
                    hint=f"uninstall one of them (pip uninstall {source.origin}), or rename the recipe in one",
                )
            from_packs[source.id] = source
    yield from from_packs.values()


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
