"""Project inspection: what deploybook needs to know about a Django project, read from its files.

`inspect_project()` finds manage.py, the git root, the settings module and file, the WSGI
application, the Python version and the dependency manager, and returns a frozen `Project`
whose `facts()` are the template variables recipes use.
"""

from __future__ import annotations

from deploybook.errors import InspectError
from deploybook.inspect._imported import imported_requirements
from deploybook.inspect._inspect import inspect_project
from deploybook.inspect._managers import MANAGERS
from deploybook.inspect._project import Project
from deploybook.inspect._python_version import lowest_python
from deploybook.inspect._tree import locate_manage_py

__all__ = [
    "MANAGERS",
    "InspectError",
    "Project",
    "imported_requirements",
    "inspect_project",
    "locate_manage_py",
    "lowest_python",
]
