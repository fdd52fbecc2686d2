"""Reading settings without importing them: split settings, WSGI, static files, storages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.inspect import InspectError, inspect_project

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\n"


def project(tree: Callable[..., Path], module: str, files: dict[str, str]) -> Path:
    return tree({"manage.py": MANAGE.format(module=module), "requirements.txt": "Django\n", **files})


def test_split_settings_follow_relative_star_imports(tree: Callable[..., Path]) -> None:
    root = project(
        tree,
        "mysite.settings.production",
        {
            "mysite/__init__.py": "",
            "mysite/wsgi.py": "application = None\n",
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": """
                WSGI_APPLICATION = "mysite.wsgi.application"
                STATIC_URL = "static/"
            """,
            "mysite/settings/production.py": """
                from .base import *  # noqa: F403

                STATIC_ROOT = BASE_DIR / "staticfiles"  # noqa: F405
                STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
            """,
        },
    )
    found = inspect_project(root)
    assert found.settings_path == root / "mysite/settings/production.py"
    assert found.settings_is_package
    assert (found.wsgi_module, found.wsgi_callable) == ("mysite.wsgi", "application")
    assert (found.has_static_url, found.has_static_root, found.has_storages) == (True, True, True)


def test_settings_package_init_with_absolute_star_import(tree: Callable[..., Path]) -> None:
    root = project(
        tree,
        "mysite.settings",
        {
            "mysite/wsgi.py": "application = None\n",
            "mysite/settings/__init__.py": "from mysite.settings.common import *  # noqa: F403\n",
            "mysite/settings/common.py": "WSGI_APPLICATION = 'mysite.wsgi.app'\n",
        },
    )
    found = inspect_project(root)
    assert found.settings_path == root / "mysite/settings/__init__.py"
    assert found.settings_is_package
    assert found.facts()["wsgi_application"] == "mysite.wsgi.app"
    assert not found.has_static_url


def test_names_set_in_branches_count(tree: Callable[..., Path]) -> None:
    root = project(
        tree,
        "mysite.settings",
        {
            "mysite/wsgi.py": "application = None\n",
            "mysite/settings.py": """
                DEBUG = True
                if not DEBUG:
                    STATIC_ROOT = "/srv/static"
                try:
                    from .local_settings import *  # noqa: F403
                except ImportError:
                    STORAGES: dict[str, dict[str, str]] = {}
            """,
        },
    )
    found = inspect_project(root)
    assert not found.settings_is_package
    assert (found.has_static_root, found.has_storages) == (True, True)
    # No WSGI_APPLICATION: Django falls back to get_wsgi_application(), servers to wsgi.py.
    assert (found.wsgi_module, found.wsgi_callable) == ("mysite.wsgi", "application")


def test_wsgi_application_naming_a_missing_module(tree: Callable[..., Path]) -> None:
    root = project(
        tree,
        "mysite.settings",
        {"mysite/settings.py": "DEBUG = True\nWSGI_APPLICATION = 'mysite.server.application'\n"},
    )
    with pytest.raises(InspectError) as error:
        inspect_project(root)
    assert str(error.value) == (
        f"{root}/mysite/settings.py:2: WSGI_APPLICATION names 'mysite.server.application' but module "
        "'mysite.server' does not exist\n"
        "  hint: point WSGI_APPLICATION at the `application` in your project's wsgi.py"
    )


def test_no_wsgi_at_all(tree: Callable[..., Path]) -> None:
    root = project(tree, "mysite.settings", {"mysite/settings.py": "DEBUG = True\n"})
    with pytest.raises(InspectError, match=r"^mysite.settings: no WSGI_APPLICATION and no mysite.wsgi module"):
        inspect_project(root)


def test_settings_module_that_does_not_exist(tree: Callable[..., Path]) -> None:
    root = project(tree, "mysite.settings", {})
    with pytest.raises(InspectError) as error:
        inspect_project(root)
    assert str(error.value) == (
        f"manage.py:2: settings module 'mysite.settings' not found (looked for {root}/mysite/settings, "
        f"{root}/src/mysite/settings as .py or package)\n"
        "  hint: check the module name in manage.py, or name it with --set settings_module=..."
    )


def test_settings_with_a_syntax_error(tree: Callable[..., Path]) -> None:
    root = project(tree, "mysite.settings", {"mysite/settings.py": "DEBUG = True\nALLOWED_HOSTS = [\n"})
    with pytest.raises(InspectError, match=rf"^{root}/mysite/settings.py:2: cannot parse settings: "):
        inspect_project(root)


def test_star_import_cycle_terminates(tree: Callable[..., Path]) -> None:
    root = project(
        tree,
        "mysite.settings.a",
        {
            "mysite/wsgi.py": "application = None\n",
            "mysite/settings/__init__.py": "",
            "mysite/settings/a.py": "from .b import *  # noqa: F403\nSTATIC_URL = 'a/'\n",
            "mysite/settings/b.py": "from .a import *  # noqa: F403\nSTATIC_ROOT = 'b'\n",
        },
    )
    found = inspect_project(root)
    assert (found.has_static_url, found.has_static_root) == (True, True)
