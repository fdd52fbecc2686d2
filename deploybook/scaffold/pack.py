"""`deploybook new-pack`: an installable recipe pack, tested with deploybook's own checks."""

from __future__ import annotations

from pathlib import Path

from deploybook.compiler.site.lock import LOCK_NAME
from deploybook.errors import UsageError

from . import check_id, check_recipe_id, new_recipe
from .pack_site import write_pack_site

__all__ = ["new_pack"]

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.1.0"
description = "deploybook recipes: {title}"
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["deploybook"]

[project.optional-dependencies]
test = ["deploybook[testing]"]
# The pack's site: `mkdocs build --strict` makes its recipe pages with deploybook's plugin.
docs = ["deploybook[docs]"]

# deploybook finds the pack's recipes through this entry point: the package's folder holds them.
[project.entry-points."deploybook.recipes"]
{name} = "{package}.recipes"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
"{package}.recipes" = ["*.md", "_partials/*.md"]

[tool.pytest.ini_options]
# deploybook's recipe checks: compile, configure each sample flavour, check --deploy, re-run, ...
addopts = "-ra -p deploybook.testing.plugin"
deploybook_recipes = ["src/{package}/recipes"]
"""

_README = """\
# {name}

[deploybook](https://pypi.org/project/deploybook/) recipes: {title}.

Install the pack beside deploybook in your Django project's environment, and its recipes deploy
like the bundled ones:

    pip install {name}
    python manage.py deploy --list
    python manage.py deploy {recipe_id}

## Work on the recipes

    pip install -e ".[test]"
    deploybook check src/{package}/recipes
    pytest

`pytest` runs deploybook's own checks on every recipe in `src/{package}/recipes`, against each of
deploybook's sample projects: the recipe compiles cleanly, configures every dependency manager and
layout, its page's `test` steps pass, `check --deploy` is clean with the platform's environment,
a second deploy changes nothing, only the files the steps name change, and the configured project
is rehearsed: built, released and served as the platform would, then probed (marked `slow`;
`pytest -m "not slow"` leaves it out; db=postgres needs PostgreSQL's server programs installed).

## Build the site

    pip install -e ".[docs]"
    python -m deploybook.compiler.site.lock --recipes src/{package}/recipes --update
    mkdocs build --strict

The recipe pages are made by deploybook's site plugin, as deploybook's own are. `{lock}` lists
every link the site publishes (pages, steps, short links): readers print them, so the build fails
when one would disappear. The first command adds the links of new steps; commit it with the recipe.
"""

_TEST = '''\
"""deploybook's checks for every recipe of this pack (configured in pyproject.toml)."""

from deploybook.testing.invariants import *  # noqa: F403
'''


def new_pack(name: str, folder: Path, *, recipe_id: str | None = None, title: str | None = None) -> Path:
    """Write the pack `folder/NAME` with one recipe; never writes into an existing folder."""
    check_id(name, what="pack name")
    root = folder / name
    if root.exists():
        raise UsageError(f"{root} already exists; nothing was written", hint="choose another name or folder")
    package = name.replace("-", "_")
    recipe_id = recipe_id or name.removesuffix("-recipes")
    recipes = root / "src" / package / "recipes"
    check_recipe_id(recipe_id, recipes)
    shown = title or recipe_id.replace("-", " ").title()
    values = {"name": name, "package": package, "recipe_id": recipe_id, "title": shown, "lock": LOCK_NAME}
    recipes.mkdir(parents=True)
    new_recipe(recipe_id, recipes, title=title)
    (root / "src" / package / "__init__.py").write_text(f'"""deploybook recipes: {shown}."""\n', encoding="utf-8")
    (recipes / "__init__.py").write_text('"""The recipes, one Markdown file each."""\n', encoding="utf-8")
    (root / "pyproject.toml").write_text(_PYPROJECT.format(**values), encoding="utf-8")
    (root / "README.md").write_text(_README.format(**values), encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests" / "test_recipes.py").write_text(_TEST, encoding="utf-8")
    write_pack_site(root, values, f"src/{package}/recipes")
    return root
