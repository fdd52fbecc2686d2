"""Recipes from installed packs (entry-point group `deploybook.recipes`) and from a path."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from deploy_helpers import TINY_RECIPE

from deploybook.cli import main
from deploybook.samples import SampleProject


@pytest.fixture
def pack_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder holding an installed distribution `tinypack` that provides recipe `tiny`."""
    monkeypatch.delitem(sys.modules, "tinypack", raising=False)  # another test's site had one
    site = tmp_path / "site"
    package = site / "tinypack"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Recipes for deploybook."""\n')
    (package / "tiny.md").write_text(TINY_RECIPE.format(id="tiny").lstrip("\n"))
    dist = site / "tinypack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tinypack\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[deploybook.recipes]\ntiny = tinypack\n")
    return site


def test_an_installed_pack_is_listed_and_deployed(
    pack_site: Path,
    sample: Callable[..., SampleProject],
    deploy: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(pack_site))
    project = sample()

    listing = deploy(project, "--list").out  # type: ignore[attr-defined]
    out = deploy(project, "tiny").out  # type: ignore[attr-defined]

    assert "Recipes for `manage.py deploy RECIPE`:" in listing
    assert re.search(r"^  heroku +Heroku: ", listing, re.M), listing
    assert re.search(r"^  tiny +Tiny: A tiny recipe for tests\.  \[from tinypack\]$", listing, re.M), listing
    assert "Recipe tiny (Tiny, version 1) for jotter" in out
    assert (project.root / "hello.txt").read_text() == "hello from jotter\n"


def test_manage_py_lists_an_installed_pack(
    pack_site: Path, app_sample: Callable[..., SampleProject], manage: Callable[..., CompletedProcess[str]]
) -> None:
    project = app_sample()
    env = dict(os.environ, PYTHONPATH=str(pack_site))
    done = manage(project, "deploy", "--list", env=env)
    assert done.returncode == 0, done.stderr
    assert "[from tinypack]" in done.stdout


def test_a_pack_recipe_with_a_bundled_id_is_hidden_and_said_to_be(
    pack_site: Path,
    sample: Callable[..., SampleProject],
    deploy: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bundled recipe keeps its id (a new bundled recipe must not change what a pack's id
    deploys, nor the other way round); --list and `deploybook check` say what is hidden."""
    shadow = pack_site / "tinypack" / "heroku.md"
    shadow.write_text(TINY_RECIPE.format(id="heroku").lstrip("\n"))
    monkeypatch.syspath_prepend(str(pack_site))
    project = sample()

    listing = deploy(project, "--list").out  # type: ignore[attr-defined]
    dry = deploy(project, "heroku", "--dry-run").out  # type: ignore[attr-defined]
    out, err = io.StringIO(), io.StringIO()
    status = main(["check", str(shadow.parent)], stdout=out, stderr=err)

    assert re.search(r"^  heroku +Heroku: ", listing, re.M), listing
    assert f"note: tinypack also offers a recipe 'heroku' ({shadow})" in listing, listing
    assert f"hint: run the pack's with --recipe-file {shadow}" in listing, listing
    assert "Recipe heroku (Heroku," in dry, dry
    assert status == 0, out.getvalue() + err.getvalue()
    assert f"{shadow}:2:1: DB010 warning: a bundled recipe already has the id 'heroku'" in out.getvalue()


def test_a_recipe_given_by_path(
    tmp_path: Path, sample: Callable[..., SampleProject], deploy: Callable[..., object]
) -> None:
    path = tmp_path / "mine" / "tiny.md"
    path.parent.mkdir()
    path.write_text(TINY_RECIPE.format(id="tiny").lstrip("\n"))
    project = sample()
    out = deploy(project, str(path), "--set", "greeting=hi").out  # type: ignore[attr-defined]
    assert "create  hello.txt  [say]" in out
    assert (project.root / "hello.txt").read_text() == "hi from jotter\n"
