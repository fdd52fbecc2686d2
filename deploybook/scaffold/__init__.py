"""`deploybook new`: a recipe skeleton that compiles cleanly and reads as a template."""

from __future__ import annotations

from pathlib import Path

from deploybook.errors import UsageError

__all__ = ["check_id", "check_recipe_id", "new_recipe"]

_TEMPLATE = Path(__file__).with_name("recipe.md.txt")
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def check_id(name: str, *, what: str) -> None:
    if not name or not set(name) <= _ID_CHARS or name[0] in "-0123456789":
        raise UsageError(
            f"{what} {name!r} is not usable",
            hint="use lower-case letters, digits and '-', starting with a letter (e.g. acme-cloud)",
        )


def check_recipe_id(recipe_id: str, folder: Path) -> None:
    """A new recipe's id: usable in a URL, and not a bundled recipe's unless it is written
    into the bundled folder (`deploy ID` runs the bundled recipe of an id)."""
    from deploybook.compiler.catalog import bundled_dir, bundled_ids

    check_id(recipe_id, what="recipe id")
    if recipe_id in bundled_ids() and not (folder.is_dir() and folder.samefile(bundled_dir())):
        raise UsageError(
            f"a bundled recipe already has the id {recipe_id!r}: `manage.py deploy {recipe_id}` would run that "
            "one, never yours; nothing was written",
            hint=f"choose an id of your own, e.g. acme-{recipe_id}",
        )


def new_recipe(recipe_id: str, folder: Path, *, title: str | None = None) -> Path:
    """Write `folder/RECIPE_ID.md` from the template; never replaces an existing file."""
    check_recipe_id(recipe_id, folder)
    target = folder / f"{recipe_id}.md"
    if target.exists():
        raise UsageError(f"{target} already exists; nothing was written", hint="choose another id or folder")
    shown = title or recipe_id.replace("-", " ").title()
    text = _TEMPLATE.read_text(encoding="utf-8").replace("RECIPE_ID", recipe_id).replace("RECIPE_TITLE", shown)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
