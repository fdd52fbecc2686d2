"""Inspect a Django project from its files alone: nothing is imported and nothing is run."""

from __future__ import annotations

import ast
from pathlib import Path

from deploybook.errors import InspectError
from deploybook.inspect._managers import find_dependency_manager
from deploybook.inspect._naming import find_project_name, slugify
from deploybook.inspect._project import Project
from deploybook.inspect._python_version import find_python_version
from deploybook.inspect._settings_file import Assignment, module_file, read_assignments
from deploybook.inspect._settings_module import find_settings_module
from deploybook.inspect._tree import find_git_root, folders_up_to, locate_manage_py

__all__ = ["inspect_project"]


def inspect_project(start: Path, *, pkg: str | None = None, settings_module: str | None = None) -> Project:
    """Inspect the project whose manage.py is in `start` (or is `start`).

    `pkg` and `settings_module` are the user's `--set` choices and override what is found.
    """
    manage_dir = locate_manage_py(start)
    git_root = find_git_root(manage_dir)
    root = git_root or manage_dir
    folders = folders_up_to(manage_dir, root)
    pointer = find_settings_module(manage_dir, settings_module)
    # manage.py's folder is sys.path[0] when Django runs; src/ covers the layout whose
    # manage.py adds it to sys.path itself.
    bases = (manage_dir, manage_dir / "src")
    settings_path = module_file(pointer.module, bases)
    if settings_path is None:
        tried = ", ".join(str(base.joinpath(*pointer.module.split("."))) for base in bases)
        raise InspectError(
            f"{pointer.origin}: settings module {pointer.module!r} not found (looked for {tried} as .py or package)",
            hint="check the module name in manage.py, or name it with --set settings_module=...",
        )
    values = read_assignments(settings_path, pointer.module, bases)
    wsgi_module, wsgi_callable = _wsgi(values.get("WSGI_APPLICATION"), pointer.module, bases)
    manager = find_dependency_manager(folders, pkg)
    python = find_python_version(folders)
    name = find_project_name(folders, pointer.module, manage_dir)
    return Project(
        root=root,
        git_root=git_root,
        manage_dir=manage_dir,
        settings_module=pointer.module,
        settings_origin=pointer.origin,
        settings_entry=pointer.entry,
        settings_path=settings_path,
        settings_is_package=_is_split(pointer.module, settings_path),
        package_dir=_package_dir(pointer.module, settings_path),
        wsgi_module=wsgi_module,
        wsgi_callable=wsgi_callable,
        project_name=name,
        project_slug=slugify(name),
        python_version=python.version,
        python_version_source=python.source,
        has_static_url="STATIC_URL" in values,
        has_static_root="STATIC_ROOT" in values,
        has_storages="STORAGES" in values,
        pkg=manager.name,
        dependency_dir=manager.folder,
        manifest=manager.manifest,
        lock_file=manager.lock,
    )


def _is_split(module: str, path: Path) -> bool:
    # mysite.settings as settings/__init__.py, or mysite.settings.production: both are packages.
    return path.name == "__init__.py" or "settings" in module.split(".")[:-1]


def _package_dir(module: str, path: Path) -> Path:
    # Climb from the file rather than look for __init__.py: namespace packages have none.
    climbs = len(module.split(".")) - (1 if path.name == "__init__.py" else 2)
    folder = path.parent
    for _ in range(max(climbs, 0)):
        folder = folder.parent
    return folder


def _wsgi(assignment: Assignment | None, settings_module: str, bases: tuple[Path, ...]) -> tuple[str, str]:
    value = assignment.value if assignment is not None else None
    if assignment is None or not isinstance(value, ast.Constant) or not isinstance(value.value, str):
        # Without WSGI_APPLICATION Django uses get_wsgi_application(); startproject's wsgi.py
        # next to the settings is then what a server has to be pointed at.
        fallback = f"{settings_module.partition('.')[0]}.wsgi"
        if module_file(fallback, bases) is not None:
            return fallback, "application"
        raise InspectError(
            f"{settings_module}: no WSGI_APPLICATION and no {fallback} module",
            hint="set WSGI_APPLICATION = 'yourproject.wsgi.application' in settings, "
            "as `django-admin startproject` does",
        )
    dotted = value.value
    module, _, callable_name = dotted.rpartition(".")
    if not module or module_file(module, bases) is None:
        raise InspectError(
            f"{assignment.path}:{assignment.line}: WSGI_APPLICATION names {dotted!r} but module "
            f"{module or dotted!r} does not exist",
            hint="point WSGI_APPLICATION at the `application` in your project's wsgi.py",
        )
    return module, callable_name
