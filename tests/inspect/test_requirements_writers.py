"""Adding requirements to each manager's manifest: exact text, idempotence, extras, markers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.dependencies import RequirementsChange, RequirementsError, add_requirements
from deploybook.inspect import inspect_project
from deploybook.samples import FLAVOURS, SampleProject

BASE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    "mysite/settings.py": "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
    "mysite/wsgi.py": "application = None\n",
}
RECIPE = [
    "gunicorn>=22",
    "whitenoise[brotli]>=6.6",
    "dj-database-url>=2",
    'psycopg[binary]>=3.1; python_version >= "3.10"',
    "django>=4.2",
]


def add(root: Path, requirements: list[str] = RECIPE) -> RequirementsChange:
    """Add, write the result as the runtime would, and check that a second run is a no-op."""
    change = add_requirements(inspect_project(root), requirements)
    change.path.write_bytes(change.after)
    again = add_requirements(inspect_project(root), requirements)
    assert again.after == again.before == change.after
    assert (again.added, again.relock) == ((), ())
    assert again.kept == change.kept
    return change


def test_requirements_txt_keeps_everything_the_user_wrote(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "requirements.txt": """
                # Production requirements
                --index-url https://pypi.org/simple
                -r base.txt

                Django==5.2.19  # keep in step with the LTS
                dj_database_url==2.1.0 \\
                    --hash=sha256:0123
                -e git+https://example.com/acme/psycopg-fork.git#egg=psycopg
                whitenoise==6.6.0
            """,
        }
    )
    change = add(root)
    assert change.after.decode() == (
        "# Production requirements\n"
        "--index-url https://pypi.org/simple\n"
        "-r base.txt\n"
        "\n"
        "Django==5.2.19  # keep in step with the LTS\n"
        "dj_database_url==2.1.0 \\\n"
        "    --hash=sha256:0123\n"
        "-e git+https://example.com/acme/psycopg-fork.git#egg=psycopg\n"
        "whitenoise==6.6.0\n"
        "gunicorn>=22\n"
    )
    assert change.added == ("gunicorn>=22",)
    assert change.kept == (
        "requirements.txt:9: kept the project's whitenoise entry; the recipe asks for whitenoise[brotli]>=6.6",
        "requirements.txt:8: kept the project's psycopg entry; the recipe asks for "
        'psycopg[binary]>=3.1; python_version >= "3.10"',
    )
    assert change.relock == ()
    assert change.notes == (
        "requirements.txt pins hashes, and the added lines have none: pip refuses such a mix; "
        "regenerate the file with the tool that wrote it (pip-compile --generate-hashes)",
    )


def test_requirements_txt_line_endings(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "requirements.txt": "Django"})
    assert add(root, ["gunicorn"]).after == b"Django\ngunicorn\n"
    (root / "requirements.txt").write_bytes(b"Django\r\nsqlparse\r\n")
    assert add(root, ["gunicorn", "whitenoise"]).after == b"Django\r\nsqlparse\r\ngunicorn\r\nwhitenoise\r\n"


def test_poetry_dependencies_table(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "poetry.lock": "",
            "pyproject.toml": """
                [tool.poetry]
                name = "mysite"
                package-mode = false

                [tool.poetry.dependencies]
                python = "^3.11"
                # The framework; upgraded with the LTS.
                Django = "^5.2"
                psycopg = "^3.1"   # binary wheels on the servers
                dj-database-url = {version = "^2.1"}

                [tool.poetry.group.dev.dependencies]
                pytest = "^8"
            """,
        }
    )
    change = add(root)
    assert change.after.decode() == (
        "[tool.poetry]\n"
        'name = "mysite"\n'
        "package-mode = false\n"
        "\n"
        "[tool.poetry.dependencies]\n"
        'python = "^3.11"\n'
        "# The framework; upgraded with the LTS.\n"
        'Django = "^5.2"\n'
        'psycopg = "^3.1"   # binary wheels on the servers\n'
        'dj-database-url = {version = "^2.1"}\n'
        'gunicorn = ">=22"\n'
        'whitenoise = {version = ">=6.6", extras = ["brotli"]}\n'
        "\n"
        "[tool.poetry.group.dev.dependencies]\n"
        'pytest = "^8"\n'
    )
    assert change.kept == (
        'pyproject.toml [tool.poetry.dependencies]: kept the project\'s psycopg = "^3.1"; '
        'the recipe asks for psycopg[binary]>=3.1; python_version >= "3.10"',
    )
    assert change.relock == ("poetry", "lock")
    assert change.notes == (
        "poetry.lock is now out of date: run `poetry lock` and commit the result "
        "(deploybook does not resolve versions itself)",
    )


def test_poetry_markers_and_urls(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "poetry.lock": "", "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\n'})
    add(
        root,
        [
            'pywin32; sys_platform == "win32"',
            "lib @ git+https://example.com/lib.git",
            "pkg @ https://example.com/pkg.whl",
        ],
    )
    assert (root / "pyproject.toml").read_text() == (
        "[tool.poetry.dependencies]\n"
        'python = "^3.11"\n'
        'pywin32 = {version = "*", markers = \'sys_platform == "win32"\'}\n'
        'lib = {git = "https://example.com/lib.git"}\n'
        'pkg = {url = "https://example.com/pkg.whl"}\n'
    )


def test_poetry_2_writes_project_dependencies(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="poetry-pep621")
    change = add(made.project_dir, ["gunicorn>=22", 'pywin32; sys_platform == "win32"'])
    assert (
        change.after.decode()
        .split("[tool.poetry]")[0]
        .endswith(
            "dependencies = [\n"
            '    "django (>=5.2,<6.0)",\n'
            '    "gunicorn>=22",\n'
            "    'pywin32; sys_platform == \"win32\"'\n"
            "]\n\n"
        )
    )


def test_pipfile_packages(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "Pipfile": """
                [[source]]
                url = "https://pypi.org/simple"
                verify_ssl = true
                name = "pypi"

                [packages]
                django = "==5.2.19"  # LTS
                dj-database-url = "*"

                [dev-packages]
                gunicorn = "*"

                [requires]
                python_version = "3.12"
            """,
            "Pipfile.lock": "{}",
        }
    )
    change = add(root)
    assert change.after.decode() == (
        "[[source]]\n"
        'url = "https://pypi.org/simple"\n'
        "verify_ssl = true\n"
        'name = "pypi"\n'
        "\n"
        "[packages]\n"
        'django = "==5.2.19"  # LTS\n'
        'dj-database-url = "*"\n'
        'gunicorn = ">=22"\n'
        'whitenoise = {version = ">=6.6", extras = ["brotli"]}\n'
        'psycopg = {version = ">=3.1", extras = ["binary"], markers = \'python_version >= "3.10"\'}\n'
        "\n"
        "[dev-packages]\n"
        'gunicorn = "*"\n'
        "\n"
        "[requires]\n"
        'python_version = "3.12"\n'
    )
    assert change.kept == (
        'Pipfile [packages]: kept the project\'s dj-database-url = "*"; the recipe asks for dj-database-url>=2',
    )
    assert change.relock == ("pipenv", "lock")


def test_uv_multiline_dependencies(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "uv.lock": "version = 1\n",
            "pyproject.toml": """
                [project]
                name = "mysite"
                requires-python = ">=3.12"
                dependencies = [
                    # web
                    "django>=5.2",
                    "whitenoise[brotli]>=6.7",
                ]

                [dependency-groups]
                dev = ["pytest>=8"]
            """,
        }
    )
    change = add(root)
    assert change.after.decode() == (
        "[project]\n"
        'name = "mysite"\n'
        'requires-python = ">=3.12"\n'
        "dependencies = [\n"
        "    # web\n"
        '    "django>=5.2",\n'
        '    "whitenoise[brotli]>=6.7",\n'
        '    "gunicorn>=22",\n'
        '    "dj-database-url>=2",\n'
        "    'psycopg[binary]>=3.1; python_version >= \"3.10\"',\n"
        "]\n"
        "\n"
        "[dependency-groups]\n"
        'dev = ["pytest>=8"]\n'
    )
    assert (change.kept, change.relock) == ((), ("uv", "lock"))


def test_pdm_single_line_and_missing_lists(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "pdm.lock": "", "pyproject.toml": '[project]\nname = "m"\ndependencies = ["django>=4.2"]\n'})
    assert add(root, ["gunicorn"]).after.decode() == (
        '[project]\nname = "m"\ndependencies = ["django>=4.2", "gunicorn"]\n'
    )
    (root / "pyproject.toml").write_text('[project]\nname = "m"\ndependencies = []\n')
    assert add(root, ["gunicorn"]).after.decode() == '[project]\nname = "m"\ndependencies = [\n    "gunicorn",\n]\n'
    (root / "pyproject.toml").write_text('[project]\nname = "m"\n\n[tool.pdm]\ndistribution = false\n')
    assert add(root, ["gunicorn"]).after.decode() == (
        '[project]\nname = "m"\ndependencies = [\n    "gunicorn",\n]\n\n[tool.pdm]\ndistribution = false\n'
    )


def test_relock_note_names_the_folder(sample: Callable[..., SampleProject]) -> None:
    made = sample(flavour="uv", layout="nested")
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        (made.root / name).rename(made.project_dir / name)
    change = add_requirements(inspect_project(made.project_dir), ["gunicorn"])
    assert change.notes == (
        "src/uv.lock is now out of date: run `uv lock` in src and commit the result "
        "(deploybook does not resolve versions itself)",
    )
    assert change.files == {made.project_dir / "pyproject.toml": (change.before, change.after)}


def test_every_sample_flavour_takes_requirements(sample: Callable[..., SampleProject]) -> None:
    for flavour in FLAVOURS:
        made = sample(flavour=flavour, layout="nested")
        change = add(made.project_dir)
        assert change.changed
        assert "gunicorn" in change.after.decode()


def test_dynamic_dependencies_cannot_be_written(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "uv.lock": "", "pyproject.toml": '[project]\nname = "m"\ndynamic = ["dependencies"]\n'})
    with pytest.raises(RequirementsError, match=r"^pyproject.toml: \[project\].dependencies is dynamic"):
        add_requirements(inspect_project(root), ["gunicorn"])


def test_invalid_requirement(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "requirements.txt": ""})
    with pytest.raises(RequirementsError) as error:
        add_requirements(inspect_project(root), ["gunicorn >>= 22"])
    assert str(error.value).startswith("not a PEP 508 requirement: 'gunicorn >>= 22' (")
    assert error.value.hint.startswith("write requirements as pip would read them")


def test_requirements_txt_includes_are_followed_and_their_pins_kept(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "requirements.txt": "-r requirements/production.txt\n",
            "requirements/production.txt": "--requirement base.txt\ngunicorn==22.0.0\n",
            "requirements/base.txt": "Django==5.2.19\nwhitenoise[brotli]==6.9.0\n-r requirements.txt\n",
        }
    )
    change = add(root, ["gunicorn>=23", "whitenoise[brotli]>=6.6", "django>=4.2", "dj-database-url>=2.1"])
    assert change.added == ("dj-database-url>=2.1",), "what an include has is not added again"
    assert change.kept == (
        "requirements/production.txt:2: kept the project's gunicorn entry; the recipe asks for gunicorn>=23",
    )


def test_requirements_txt_entries_for_other_platforms_count_as_absent(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "requirements.txt": 'gunicorn>=23 ; sys_platform == "win32"\nwhitenoise>=6.6 ; sys_platform == "linux"\n',
        }
    )
    change = add(root, ["gunicorn>=23", "whitenoise>=6.6"])
    assert change.added == ("gunicorn>=23",)
    assert change.after.decode().endswith('sys_platform == "linux"\ngunicorn>=23\n')


def test_poetry_optional_dependencies_are_made_plain(tree: Callable[..., Path]) -> None:
    root = tree(
        {
            **BASE,
            "pyproject.toml": """
                [tool.poetry]
                name = "mysite"

                [tool.poetry.dependencies]
                python = "^3.11"
                django = "^5.2"
                gunicorn = { version = "^23.0", optional = true }

                [tool.poetry.extras]
                server = ["gunicorn"]
            """,
            "poetry.lock": "",
        }
    )
    change = add(root, ["gunicorn>=23", "django>=4.2"])
    assert change.added == ("gunicorn (was optional, installed only with an extra)",)
    assert '\ngunicorn = "^23.0"\n' in change.after.decode(), change.after.decode()


@pytest.mark.parametrize("driver", ["psycopg2-binary==2.9.9", "psycopg2>=2.9", "psycopg==3.2.1"])
def test_the_driver_the_project_has_is_kept(tree: Callable[..., Path], driver: str) -> None:
    root = tree({**BASE, "requirements.txt": f"Django==5.2.19\n{driver}\n"})
    change = add(root, ["psycopg[binary]>=3.1 | psycopg>=3.1 | psycopg2-binary>=2.9 | psycopg2>=2.9"])
    assert change.added == ()
    assert change.kept == ()


def test_without_a_driver_the_first_alternative_is_added(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "requirements.txt": "Django==5.2.19\n"})
    change = add(root, ["psycopg[binary]>=3.1 | psycopg2-binary>=2.9"])
    assert change.added == ("psycopg[binary]>=3.1",)


# Lines that a project lacking them gets appended without `packaging` (see dependencies/_plain.py)
# must come out exactly as `packaging` would print them, and files that may hold them must
# still be read by `packaging`.
PLAIN = ["gunicorn>=23", "Dj_Database.URL>=2.1", "psycopg[binary]>=3.1", "x~=1.2", "x===1", "whitenoise"]
NOT_PLAIN = ["x>=1,<2", "x[b,a]", "x >= 1", 'x; sys_platform == "linux"', "x @ https://e.org/x.whl", "x~=1"]


def test_plain_lines_are_what_packaging_prints() -> None:
    from packaging.requirements import InvalidRequirement, Requirement

    from deploybook.dependencies._plain import WantedLines

    for line in PLAIN:
        assert WantedLines([line]).plainly_absent("") == [str(Requirement(line))] == [line]
    for line in NOT_PLAIN:
        try:
            WantedLines([line])
        except RequirementsError:
            with pytest.raises(InvalidRequirement):
                Requirement(line)
            continue
        assert WantedLines([line]).plainly_absent("") is None, line


@pytest.mark.parametrize(
    "text",
    [
        "GUNICORN==22\n",
        "Gunicorn_==22\n",
        "guni\\\ncorn==22\n",
        "-e git+https://e.org/g.git#egg=gunicorn\n",
        "# gunicorn comes later\n",
        "-r other.txt\n",
        "psycopg2-binary==2.9.9\n",
    ],
)
def test_a_name_the_text_may_hold_is_parsed(text: str) -> None:
    from deploybook.dependencies._plain import WantedLines

    wanted = WantedLines(["gunicorn>=23", "psycopg[binary]>=3.1 | psycopg2-binary>=2.9"])
    assert wanted.plainly_absent(text) is None


def test_a_fresh_project_gets_its_requirements_without_packaging(tree: Callable[..., Path]) -> None:
    root = tree({**BASE, "requirements.txt": "asgiref==3.13.0\nDjango==5.2.19\n"})
    wanted = ["gunicorn>=22", "whitenoise[brotli]>=6.6", "psycopg[binary]>=3.1 | psycopg2>=2.9"]
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from deploybook.dependencies import add_requirements\n"
        "from deploybook.inspect import inspect_project\n"
        f"change = add_requirements(inspect_project(Path({str(root)!r})), {wanted!r})\n"
        "print(change.added, 'packaging' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "('gunicorn>=22', 'whitenoise[brotli]>=6.6', 'psycopg[binary]>=3.1') False\n"
