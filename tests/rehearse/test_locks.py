"""Reading lock files without their tools: pins for pip, and a lock checked against its manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploybook.rehearse._locks import direct_requirements, locked_pins

FLAVOURS = Path(__file__).resolve().parents[2] / "deploybook" / "samples" / "flavours"


@pytest.mark.parametrize(
    ("pkg", "folder", "lock", "manifest"),
    [
        ("uv", "uv", "uv.lock", "pyproject.toml"),
        ("poetry", "poetry", "poetry.lock", "pyproject.toml"),
        ("poetry", "poetry-pep621", "poetry.lock", "pyproject.toml"),
        ("pipenv", "pipenv", "Pipfile.lock", "Pipfile"),
        ("pdm", "pdm", "pdm.lock", "pyproject.toml"),
    ],
)
def test_sample_locks_pin_django_and_its_dependencies(pkg: str, folder: str, lock: str, manifest: str) -> None:
    pins = locked_pins(pkg, FLAVOURS / folder / lock)
    names = {pin.split("==")[0].lower() for pin in pins}
    assert {"django", "asgiref", "sqlparse"} <= names
    assert any(pin.startswith("django==5.2.") for pin in pins)
    # Windows-only dependencies keep their marker, so pip skips them here.
    assert all("win32" in pin for pin in pins if pin.startswith("tzdata"))
    assert [r.name.lower() for r in direct_requirements(pkg, FLAVOURS / folder / manifest)] == ["django"]


def test_uv_follows_extras_and_leaves_out_development_groups(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(
        """
version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "psycopg", extra = ["binary"] }]
[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "psycopg"
version = "3.2.1"
source = { registry = "https://pypi.org/simple" }
[package.optional-dependencies]
binary = [{ name = "psycopg-binary", marker = "implementation_name != 'pypy'" }]

[[package]]
name = "psycopg-binary"
version = "3.2.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
""",
        encoding="utf-8",
    )
    assert locked_pins("uv", lock) == [
        "psycopg==3.2.1",
        "psycopg-binary==3.2.1 ; (implementation_name != 'pypy')",
    ]


def test_poetry_table_constraints_become_pep_508(tmp_path: Path) -> None:
    manifest = tmp_path / "pyproject.toml"
    manifest.write_text(
        '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^5.2"\n'
        'psycopg = {version = ">=3.1", extras = ["binary"]}\n',
        encoding="utf-8",
    )
    found = {str(r) for r in direct_requirements("poetry", manifest)}
    assert found == {"django<6,>=5.2", "psycopg[binary]>=3.1"}
