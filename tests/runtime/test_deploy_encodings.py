"""Project files in the encodings Python and pip accept are read and written back as they are."""

from __future__ import annotations

import codecs
import subprocess
import sys
from collections.abc import Callable

import pytest
from django.core.management import CommandError

from deploybook.samples import SampleProject
from deploybook.testing import commit_all, tree_bytes

Deploy = Callable[..., object]


def test_a_latin_1_settings_file_with_its_coding_line_stays_latin_1(
    app_sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = app_sample()
    settings = project.project_dir / "jotter" / "settings.py"
    text = "# -*- coding: latin-1 -*-\n# Réglages de Jotter\n" + settings.read_text()
    settings.write_bytes(text.encode("latin-1"))
    commit_all(project.root, "Réglages en latin-1")

    deploy(project, "heroku")

    data = settings.read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\n# R\xe9glages de Jotter\n"), "kept as latin-1"
    assert b"# >>> deploybook heroku/production-settings >>>" in data
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=project.project_dir, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_a_settings_file_with_a_byte_order_mark_keeps_it(
    app_sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = app_sample()
    settings = project.project_dir / "jotter" / "settings.py"
    settings.write_bytes(codecs.BOM_UTF8 + settings.read_bytes())
    commit_all(project.root, "A BOM")

    deploy(project, "heroku")

    assert settings.read_bytes().startswith(codecs.BOM_UTF8)
    assert settings.read_bytes().count(codecs.BOM_UTF8) == 1
    assert b"deploybook heroku/production-settings" in settings.read_bytes()


def test_a_latin_1_requirements_file_with_a_coding_line_is_read_as_pip_reads_it(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    requirements = project.root / "requirements.txt"
    requirements.write_bytes(b"# -*- coding: latin-1 -*-\n# D\xe9pendances\n" + requirements.read_bytes())
    commit_all(project.root, "Latin-1 requirements")

    deploy(project, "heroku")

    data = requirements.read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\n# D\xe9pendances\n")
    assert b"gunicorn>=23" in data


def test_a_requirements_file_pip_could_not_read_is_a_clear_error(
    sample: Callable[..., SampleProject], deploy: Deploy
) -> None:
    project = sample()
    requirements = project.root / "requirements.txt"
    requirements.write_bytes(requirements.read_bytes() + b"# d\xe9pendances\n")
    commit_all(project.root, "Latin-1 without saying so")
    before = tree_bytes(project.root)

    with pytest.raises(CommandError) as error:
        deploy(project, "heroku")

    lines = requirements.read_bytes().count(b"\n")
    assert f"requirements.txt:{lines}: byte 0xe9 is not utf-8 text, so pip could not read the file either" in str(
        error.value
    )
    assert "Traceback" not in str(error.value)
    assert tree_bytes(project.root) == before
