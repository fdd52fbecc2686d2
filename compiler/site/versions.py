"""Earlier versions of a recipe, kept readable for books printed against them.

A recipe's `version` goes up when a step changes in a way that breaks what people did by hand
following the old page. Before bumping it, the author freezes the old version:

    python -m deploybook.compiler.site.versions freeze heroku

copies `recipes/heroku.md` and the partials it includes, unchanged, to
`recipes/_versions/heroku/v1/` (the recipe as `heroku.md`, the partials under `_partials/`,
so its includes resolve inside the snapshot and a later change to a shared partial never
changes it). The site publishes each snapshot at `/recipes/heroku/v1/`, compiled like any
recipe, under a banner that links to the current version; the current page lists every
version with the recipe's `changelog:` entry for it. The build fails when a version before the
current one has no snapshot or no changelog entry, and the links lock keeps each version's
address once published.

Only the site reads snapshots: `manage.py deploy` always applies the current version.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from deploybook.errors import DeploybookError
from deploybook.records import record

from ..diagnostics import Diagnostic
from ..ir import Recipe
from ..pipeline import compile_file
from ..segments import Segment

__all__ = [
    "VERSIONS_DIR",
    "VERSIONS_ID",
    "Snapshot",
    "freeze",
    "load_snapshots",
    "render_banner",
    "render_versions",
    "snapshot_path",
]

VERSIONS_DIR = "_versions"
VERSIONS_ID = "versions"
_FOLDER = re.compile(r"v([1-9][0-9]*)")


@record
class Snapshot:
    """An earlier version of a recipe, compiled from its frozen copy."""

    version: int
    recipe: Recipe
    segments: tuple[Segment, ...]


def snapshot_path(folder: Path, recipe_id: str, version: int) -> Path:
    return folder / VERSIONS_DIR / recipe_id / f"v{version}" / f"{recipe_id}.md"


def load_snapshots(folder: Path, recipe: Recipe, *, root: Path | None = None) -> tuple[list[Snapshot], list[str]]:
    """The recipe's frozen versions, oldest first, and what is wrong with them (as messages)."""
    snapshots: list[Snapshot] = []
    problems: list[str] = []
    home = folder / VERSIONS_DIR / recipe.id
    found = {}
    if home.is_dir():
        for child in sorted(home.iterdir()):
            match = _FOLDER.fullmatch(child.name)
            if child.is_dir() and match:
                found[int(match.group(1))] = child / f"{recipe.id}.md"
            else:
                problems.append(f"{_shown(child, root)}: not a version folder\n  hint: name it v1, v2, ...")
    for version, path in sorted(found.items()):
        shown = _shown(path, root)
        if version >= recipe.version:
            problems.append(
                f"{shown}: version {version} is not earlier than the recipe's (version {recipe.version})\n"
                f"  hint: a snapshot keeps a version readers may have printed; bump `version:` in {recipe.path}"
            )
            continue
        result = compile_file(path, display=shown)
        errors = [d for d in result.diagnostics if d.is_error]
        if errors or result.recipe is None:
            problems += [_format(d) for d in errors] or [f"{shown}: missing\n  hint: freeze it again"]
            continue
        if result.recipe.version != version:
            problems.append(f"{shown}: says version {result.recipe.version}, but is kept as v{version}")
            continue
        snapshots.append(Snapshot(version, result.recipe, result.segments))
    for version in range(1, recipe.version):
        if version not in found:
            problems.append(
                f"{recipe.path}: version {version} is not kept for readers who printed it "
                f"(no {_shown(snapshot_path(folder, recipe.id, version), root)})\n"
                "  hint: restore it from git (check out the commit before the version changed and run "
                f"`python -m deploybook.compiler.site.versions freeze {recipe.id}`)"
            )
    logged = dict(recipe.reader.changelog)
    for version in range(2, recipe.version + 1):
        if version not in logged:
            problems.append(
                f"{recipe.path}: the changelog does not say what changed in version {version}\n"
                f'  hint: add to the front matter: changelog: {{{version}: "What changed, and why"}}'
            )
    return snapshots, problems


def render_banner(current: Recipe, old: int) -> str:
    """The top of an earlier version's page (recipes/<id>/v<N>.md): which one it is, and the way on."""
    return f"""
!!! warning "Version {old} of this recipe, kept for readers who printed it"

    This is the {current.title} recipe as it was at version {old}, unchanged. The current recipe is
    version {current.version}: [read it]({_up(current)}), and see [what changed]({_up(current)}#{VERSIONS_ID}).
    `python manage.py deploy {current.id}` applies the current version, not this one.

"""


def render_versions(recipe: Recipe) -> str:
    """The "Versions" section of a recipe page: each version, what changed in it and why."""
    if recipe.version == 1 and not recipe.reader.changelog:
        return ""
    changes = dict(recipe.reader.changelog)
    rows = [f"- **Version {recipe.version}** (this page): {changes.get(recipe.version, '')}".rstrip(": ")]
    for version in range(recipe.version - 1, 0, -1):
        link = f"[Version {version}]({recipe.id}/v{version}.md)"
        rows.append(f"- **{link}**: {changes[version]}" if version in changes else f"- **{link}**: the first.")
    return f"""
## Versions {{#{VERSIONS_ID}}}

The version goes up when a step changes in a way that breaks what you did by hand following an
earlier page. Each earlier version stays readable at its own address, for books and courses that
printed it.

{chr(10).join(rows)}
"""


def _up(current: Recipe) -> str:
    # From recipes/<id>/v<N>.md to recipes/<id>.md.
    return f"../{current.id}.md"


def _shown(path: Path, root: Path | None) -> str:
    return (os.path.relpath(path, root) if root else str(path)).replace(os.sep, "/")


def _format(diagnostic: Diagnostic) -> str:
    return diagnostic.format()


def freeze(folder: Path, recipe_id: str) -> Path:
    """Copy the recipe and the partials it includes to its snapshot folder; returns the copy."""
    source = folder / f"{recipe_id}.md"
    result = compile_file(source, display=f"{folder.name}/{recipe_id}.md")
    errors = [d for d in result.diagnostics if d.is_error]
    if errors or result.recipe is None:
        raise DeploybookError(
            "\n".join(d.format() for d in errors) or f"no recipe at {source}", hint="fix the recipe first"
        )
    target = snapshot_path(folder, recipe_id, result.recipe.version)
    if target.parent.exists():
        raise DeploybookError(
            f"version {result.recipe.version} of {recipe_id} is already kept in {target.parent}",
            hint="freeze the recipe before bumping its version, once per version",
        )
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    for partial in result.recipe.partials:
        # Displayed as recipes/_partials/x.md: the same path below the snapshot's folder.
        relative = partial.split("/", 1)[1] if "/" in partial else partial
        copy = target.parent / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        original = folder / relative
        if not original.is_file():  # a pack's include of a bundled partial
            from ..catalog import bundled_dir

            original = bundled_dir() / relative
        shutil.copyfile(original, copy)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploybook.compiler.site.versions",
        description="Keep a recipe's current version readable on the site before you bump its version.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    frozen = sub.add_parser("freeze", help="copy the recipe and its partials to recipes/_versions/<id>/v<version>/")
    frozen.add_argument("recipe", help="the recipe's id, e.g. heroku")
    frozen.add_argument("--recipes", type=Path, default=Path("recipes"), help="the recipes folder (default: recipes)")
    args = parser.parse_args(argv)
    try:
        copy = freeze(args.recipes, args.recipe)
    except DeploybookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"kept {copy}; now bump `version:` in {args.recipes / (args.recipe + '.md')} and say why under `changelog:`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
