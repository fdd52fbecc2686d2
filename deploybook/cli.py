"""`deploybook`: check recipes and show what they would do, without a Django project.

Errors become exit statuses through deploybook.errors.exit_status, as in `manage.py deploy`:
0 clean, 1 a recipe has errors (or a command failed), 2 the command line itself is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from deploybook.compiler import (
    compile_file,
    find_recipe,
    parse_assignments,
    recipe_files,
    resolve,
    split_settings,
)
from deploybook.compiler.catalog import iter_sources
from deploybook.errors import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, DeploybookError, RecipeError, UsageError, exit_status

from .show import render_resolution


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage message
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    try:
        if args.command == "check":
            return _check(args.paths, out)
        if args.command == "new":
            return _new(args.recipe_id, Path(args.dir), args.title, out)
        if args.command == "new-pack":
            return _new_pack(args.name, Path(args.dir), args.recipe, args.title, out)
        if args.command == "demo":
            return _demo(args.recipe, args.set or [], args.keep, out)
        if args.command == "requirements":
            return _requirements(Path(args.project), out)
        return _show(args.recipe, args.set or [], out)
    except DeploybookError as error:
        err.write(f"error: {error}\n")
        return exit_status(error)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deploybook", description="Check and inspect deploybook recipes.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="compile recipes and report problems",
        description="Compile recipes and print every problem as path:line:col: ID message.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="recipe files or folders (default: the bundled recipes)",
    )
    show = commands.add_parser(
        "show",
        help="print the steps a recipe resolves to",
        description="Print the resolved steps of a recipe for a set of choices, touching nothing.",
    )
    show.add_argument(
        "recipe",
        metavar="RECIPE",
        help="a recipe id (see `deploybook check`) or a path to a recipe file",
    )
    show.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="choose an axis value (db=sqlite) or give a variable; repeatable",
    )
    new = commands.add_parser(
        "new",
        help="write a recipe skeleton to start from",
        description="Write RECIPE_ID.md, a recipe that compiles cleanly and explains each of its parts: "
        "front matter, the shared production settings, one step of each kind, the redeploy section.",
    )
    new.add_argument("recipe_id", metavar="RECIPE_ID", help="the new recipe's id, e.g. acme-cloud (stable forever)")
    new.add_argument("--dir", default=".", metavar="FOLDER", help="where to write it (default: the current folder)")
    new.add_argument("--title", metavar="TITLE", help="the platform's name (default: from the id)")
    pack = commands.add_parser(
        "new-pack",
        help="write an installable recipe pack with one recipe and its tests",
        description="Write the folder NAME: a pyproject with the deploybook.recipes entry point, "
        "src/PACKAGE/recipes/ with one new recipe, a README, and tests/test_recipes.py, which runs "
        "deploybook's recipe checks on the pack's recipes.",
    )
    pack.add_argument("name", metavar="NAME", help="the distribution's name, e.g. acme-recipes")
    pack.add_argument("--dir", default=".", metavar="FOLDER", help="where to make it (default: the current folder)")
    pack.add_argument("--recipe", metavar="RECIPE_ID", help="the first recipe's id (default: NAME without -recipes)")
    pack.add_argument("--title", metavar="TITLE", help="the platform's name (default: from the recipe id)")
    demo = commands.add_parser(
        "demo",
        help="configure a copy of the bundled sample project and show the change",
        description="Copy the bundled sample project (Jotter) into a temporary git repository, run the "
        "configuration-only deploy for RECIPE there, and print `git diff --stat` and the diff.",
    )
    demo.add_argument("recipe", nargs="?", default="fly-io", metavar="RECIPE", help="a recipe id (default: fly-io)")
    demo.add_argument(
        "--set", action="append", metavar="NAME=VALUE", help="choose a variant or give a variable; repeatable"
    )
    demo.add_argument("--keep", action="store_true", help="keep the configured copy and print where it is")
    requirements = commands.add_parser(
        "requirements",
        help="print requirements.txt lines for the installed distributions a project imports",
        description="Print `Name==version` for each installed distribution the project's Python files "
        "import (deploybook itself and distributions installed from local paths are left out). "
        "Run it with the project's Python: `python -m deploybook requirements > requirements.txt`.",
    )
    requirements.add_argument(
        "project", nargs="?", default=".", metavar="PATH", help="the project's folder (default: the current one)"
    )
    return parser


def _targets(paths: Sequence[str]) -> list[tuple[Path, str]]:
    if not paths:
        return [(source.path, source.display) for source in iter_sources()]
    targets: list[tuple[Path, str]] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            targets += [(file, str(file)) for file in recipe_files(path)]
        elif path.is_file():
            targets.append((path, name))
        else:
            raise UsageError(
                f"no such file or folder: {name}",
                hint="give recipe files or folders that hold them",
            )
    return targets


def _check(paths: Sequence[str], out: TextIO) -> int:
    targets = _targets(paths)
    errors = warnings = 0
    for path, display in targets:
        result = compile_file(path, display=display)
        for diagnostic in result.diagnostics:
            out.write(diagnostic.format() + "\n")
            errors += diagnostic.is_error
            warnings += not diagnostic.is_error
    noun = "recipe" if len(targets) == 1 else "recipes"
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    out.write(f"{len(targets)} {noun} checked: {counts}\n")
    return EXIT_ERRORS if errors else EXIT_OK


def _new(recipe_id: str, folder: Path, title: str | None, out: TextIO) -> int:
    from .scaffold import new_recipe

    path = new_recipe(recipe_id, folder, title=title)
    out.write(f"wrote {path}\nnext: edit it, then run: deploybook check {path}\n")
    return EXIT_OK


def _new_pack(name: str, folder: Path, recipe_id: str | None, title: str | None, out: TextIO) -> int:
    from .scaffold.pack import new_pack

    root = new_pack(name, folder, recipe_id=recipe_id, title=title)
    out.write(f"wrote {root}\nnext: cd {root} && pip install -e '.[test]' && pytest\n")
    return EXIT_OK


def _demo(recipe: str, pairs: Sequence[str], keep: bool, out: TextIO) -> int:
    from .demo import run_demo  # the runtime and the samples are not needed by check and show

    run_demo(recipe, out=out, assignments=parse_assignments(pairs), keep=keep)
    return EXIT_OK


def _show(name: str, pairs: Sequence[str], out: TextIO) -> int:
    source = find_recipe(name)
    result = compile_file(source.path, display=source.display)
    if result.recipe is None:
        for diagnostic in result.diagnostics:
            out.write(diagnostic.format() + "\n")
        raise RecipeError(
            f"{source.display} has errors; fix them first",
            hint=f"run: deploybook check {source.display}",
        )
    choices, given = split_settings(result.recipe, parse_assignments(pairs))
    # Values not given stay as {{ name }}, and no secret is made only to be printed.
    resolution = resolve(result.recipe, choices=choices, given=given, generate_secrets=False)
    out.write(render_resolution(resolution))
    return EXIT_OK


def _requirements(project: Path, out: TextIO) -> int:
    from deploybook.inspect import imported_requirements

    if not project.is_dir():
        raise UsageError(f"no such folder: {project}", hint="give the folder that holds manage.py")
    lines = imported_requirements(project)
    if not lines:
        raise UsageError(
            f"{project}: no installed distribution provides what this project imports",
            hint="run it with the Python that runs the project (its virtualenv's), in the project's folder",
        )
    out.write("".join(line + "\n" for line in lines))
    return EXIT_OK
