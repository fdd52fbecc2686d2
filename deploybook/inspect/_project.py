"""The facts inspection finds, and the template variables recipes are planned with."""

from __future__ import annotations

from pathlib import Path

from deploybook.inspect._settings_module import SettingsPointer
from deploybook.inspect._tree import relative_posix
from deploybook.records import record

__all__ = ["Project"]


@record
class Project:
    """A user's Django project as deploybook sees it. Paths are absolute unless noted."""

    root: Path
    """The git root, or the manage.py folder when the project is not in git."""
    git_root: Path | None
    manage_dir: Path
    settings_module: str
    settings_origin: str
    """Where the settings module is named, as `path:line` relative to manage_dir."""
    settings_entry: SettingsPointer | None
    """What manage.py and wsgi.py name, when production loads another module (see SettingsPointer)."""
    settings_path: Path
    """The file the settings module names (`settings/dev.py`, `settings/__init__.py`, ...)."""
    settings_is_package: bool
    """True for split settings: the module lives in a `settings` package."""
    package_dir: Path
    """The folder of the settings' top-level package (`src/mysite` for mysite.settings.dev)."""
    wsgi_module: str
    wsgi_callable: str
    project_name: str
    project_slug: str
    python_version: str
    python_version_source: str
    has_static_url: bool
    has_static_root: bool
    has_storages: bool
    pkg: str
    """The dependency manager: requirements, poetry, pipenv, uv or pdm."""
    dependency_dir: Path
    manifest: Path
    """The file requirements go into: requirements.txt, Pipfile or pyproject.toml."""
    lock_file: Path | None

    @property
    def project_dir(self) -> str:
        """The manage.py folder relative to the root, "." when they are the same."""
        return relative_posix(self.manage_dir, self.root)

    def relative(self, path: Path) -> str:
        """`path` relative to the root with forward slashes, as recipes and messages show it."""
        return relative_posix(path, self.root)

    def facts(self) -> dict[str, str]:
        """The template variables every recipe may use."""
        return {
            "project_name": self.project_name,
            "project_slug": self.project_slug,
            "python_version": self.python_version,
            # Without the dot (312), as platforms that name a Python "python312" want it.
            "python_version_digits": self.python_version.replace(".", ""),
            "settings_module": self.settings_module,
            "settings_path": self.relative(self.settings_path),
            "project_package": self.settings_module.partition(".")[0],
            "project_package_dir": self.relative(self.package_dir),
            "wsgi_module": self.wsgi_module,
            # Dotted, as WSGI_APPLICATION itself; servers take wsgi_module (callable `application`).
            "wsgi_application": f"{self.wsgi_module}.{self.wsgi_callable}",
            "project_dir": self.project_dir,
            # Folders between manage.py's and the settings file's: settings find the project's
            # folder as Path(__file__).parents[depth] without relying on a BASE_DIR.
            "settings_depth": str(len(self.settings_path.relative_to(self.manage_dir).parts) - 1),
            "pkg": self.pkg,
        }
