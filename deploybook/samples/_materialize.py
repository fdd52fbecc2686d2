"""Write a git-initialised copy of the sample project for one flavour, layout and settings style."""

from __future__ import annotations

import shutil
from pathlib import Path

from deploybook.records import record
from deploybook.samples._git import commit_all

__all__ = ["FLAVOURS", "LAYOUTS", "SETTINGS_STYLES", "SampleProject", "materialize"]

FLAVOURS = ("requirements", "poetry", "poetry-pep621", "pipenv", "uv", "pdm")
LAYOUTS = ("flat", "nested")
SETTINGS_STYLES = ("module", "package")

# Resolved, so that copies name the real files whichever link the package was imported through.
_DATA = Path(__file__).resolve().parent
_NESTED_DIR = "src"
_PROJECT = "jotter"
_SETTINGS_MODULES = {"module": f"{_PROJECT}.settings", "package": f"{_PROJECT}.settings.dev"}
# The files that name the settings module, as startproject writes them.
_SETTINGS_POINTERS = ("manage.py", f"{_PROJECT}/wsgi.py", f"{_PROJECT}/asgi.py")


@record
class SampleProject:
    """Where a materialised sample project is and how it was made."""

    root: Path
    """The git root."""
    project_dir: Path
    """The directory holding manage.py (the root itself in the flat layout)."""
    flavour: str
    layout: str
    settings: str

    @property
    def settings_module(self) -> str:
        return _SETTINGS_MODULES[self.settings]


def materialize(
    dest: Path, *, flavour: str = "requirements", layout: str = "flat", settings: str = "module"
) -> SampleProject:
    """Write the sample project into `dest` (missing or empty), git init it and commit once."""
    _check_choice("flavour", flavour, FLAVOURS)
    _check_choice("layout", layout, LAYOUTS)
    _check_choice("settings", settings, SETTINGS_STYLES)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty; materialize() needs a new or empty directory")
    project_dir = dest / _NESTED_DIR if layout == "nested" else dest
    _copy_tree(_DATA / "repo", dest)
    _copy_tree(_DATA / "flavours" / flavour, dest)
    _copy_tree(_DATA / "project", project_dir)
    if settings == "package":
        (project_dir / _PROJECT / "settings.py").unlink()
        _copy_tree(_DATA / "settings_package", project_dir)
        _repoint_settings(project_dir, _SETTINGS_MODULES["package"])
    (project_dir / "manage.py").chmod(0o755)
    commit_all(dest, "Initial commit")
    return SampleProject(dest, project_dir, flavour, layout, settings)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}")


def _copy_tree(source: Path, dest: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        target = dest / _stored_name_to_real(path.relative_to(source))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _stored_name_to_real(relative: Path) -> Path:
    name = relative.name.removesuffix("-tpl")
    if name.startswith("dot-"):
        name = "." + name.removeprefix("dot-")
    return relative.with_name(name)


def _repoint_settings(project_dir: Path, module: str) -> None:
    default = f"'{_SETTINGS_MODULES['module']}'"
    for relative in _SETTINGS_POINTERS:
        path = project_dir / relative
        text = path.read_text(encoding="utf-8")
        # A silent no-op here would ship a broken sample, so insist the pointer was found.
        if default not in text:
            raise RuntimeError(f"{path} does not name {default}; the sample data changed")
        path.write_text(text.replace(default, f"'{module}'"), encoding="utf-8")
