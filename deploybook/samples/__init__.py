"""The bundled sample Django project ("Jotter", a tiny notes site) and its flavours.

The project is what a beginner has before deploying: `startproject` settings with DEBUG on, a
hard-coded development SECRET_KEY and SQLite. The recipes harden it; the tests and the README
demo deploy a fresh, git-initialised copy made by `materialize()`.

Data lives beside this module: `project/` (the manage.py directory), `repo/` (files at the git
root), `settings_package/` (the split-settings variant) and `flavours/<name>/` (one dependency
manager's manifest and lock). Python files are stored as `*.py-tpl` and dotfiles as `dot-*` so
that linters, type checkers, test collectors and packaging never mistake them for ours.

The lock files are real: they were produced once by uv 0.13, Poetry 2.5, Pipenv 2026.10 and
PDM 2.29 against PyPI for the manifests stored next to them (Poetry through PyPI's simple index,
with the temporary source removed and the content-hash recomputed by Poetry's own locker, which
`poetry check --lock` accepts). Regenerate them the same way after changing a manifest.
"""

from __future__ import annotations

from deploybook.samples._materialize import (
    FLAVOURS,
    LAYOUTS,
    SETTINGS_STYLES,
    SampleProject,
    materialize,
)

__all__ = ["FLAVOURS", "LAYOUTS", "SETTINGS_STYLES", "SampleProject", "materialize"]
