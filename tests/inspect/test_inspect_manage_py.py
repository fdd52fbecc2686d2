"""Finding DJANGO_SETTINGS_MODULE in odd manage.py files (fixtures/manage_py/*.py-tpl).

Each fixture starts with `# expect: <module>` and `# origin: manage.py:<line>`, or with
`# expect-error: <start of the message>` where {dir} stands for the project folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.inspect import InspectError, inspect_project

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "manage_py").glob("*.py-tpl"))


def header(text: str) -> dict[str, str]:
    fields = {}
    for line in text.splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        fields[key] = value
    return fields


def project_files(manage_py: str, module: str) -> dict[str, str]:
    """manage.py plus the settings module it names, a wsgi.py and a requirements.txt."""
    package = module.split(".")[0]
    return {
        "manage.py": manage_py,
        module.replace(".", "/") + ".py": f"WSGI_APPLICATION = '{package}.wsgi.application'\n",
        f"{package}/wsgi.py": "application = None\n",
        "requirements.txt": "Django\n",
    }


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem.removesuffix(".py"))
def test_manage_py_fixture(tree: Callable[..., Path], fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    expected = header(text)
    if "expect" in expected:
        root = tree(project_files(text, expected["expect"]))
        project = inspect_project(root)
        assert (project.settings_module, project.settings_origin) == (
            expected["expect"],
            expected["origin"],
        )
    else:
        root = tree({"manage.py": text, "requirements.txt": "Django\n"})
        with pytest.raises(InspectError) as error:
            inspect_project(root)
        # A prefix, because Python words syntax errors differently from version to version.
        assert str(error.value).startswith(expected["expect-error"].replace("{dir}", str(root)))
        assert error.value.hint


def test_missing_manage_py_says_where_and_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InspectError) as error:
        inspect_project(tmp_path)
    assert str(error.value) == (
        f"no manage.py in {tmp_path}\n"
        "  hint: run deploybook from the folder that holds your project's manage.py "
        "(the one you run `python manage.py runserver` from)"
    )


def test_wsgi_py_names_the_settings_when_manage_py_does_not(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            "manage.py": "import sys\nfrom django.core.management import execute_from_command_line\n",
            "mysite/wsgi.py": """
                import os
                from django.core.wsgi import get_wsgi_application

                os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
                application = get_wsgi_application()
            """,
            "mysite/settings.py": "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
            "requirements.txt": "Django\n",
        }
    )
    project = inspect_project(root)
    assert (project.settings_module, project.settings_origin) == ("mysite.settings", "mysite/wsgi.py:4")


def test_settings_module_can_be_given(tree: Callable[..., Path]) -> None:
    root = tree(project_files("import os\n", "mysite.settings.prod"))
    project = inspect_project(root, settings_module="mysite.settings.prod")
    assert (project.settings_module, project.settings_origin) == (
        "mysite.settings.prod",
        "--set settings_module",
    )
