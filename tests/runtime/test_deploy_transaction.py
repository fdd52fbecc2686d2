"""A failure at any point of an apply restores the project byte for byte.

For every bundled recipe and every variant, a failure is injected at every action boundary
(before each file action and after the last one) and the whole tree is compared with how it
was. Real failures (a commit hook that refuses, a re-lock that fails) go through the command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import commits, status
from django.core.management import CommandError

from deploybook.compiler import RunCommands, bundled_dir, compile_file, recipe_files
from deploybook.runtime import Action, DeployRequest, apply_plan, prepare
from deploybook.samples import SampleProject
from deploybook.testing import install_fake_clis, page_resolution, tree_bytes

FLAVOUR_OF_PKG = {"requirements": "requirements", "poetry": "poetry", "pipenv": "pipenv", "uv": "uv", "pdm": "pdm"}
FACTS = {"project_name", "project_slug", "project_dir", "python_version", "settings_module", "settings_path"}
FACTS |= {"wsgi_module", "wsgi_application", "project_package", "project_package_dir", "settings_depth", "pkg"}
FACTS |= {"python_version_digits"}


def cases() -> list[tuple[str, dict[str, str]]]:
    found = []
    for path in recipe_files(bundled_dir()):
        recipe = compile_file(path).recipe
        if recipe is None:
            found.append((path.stem, {}))  # reported by the test itself, through prepare()
            continue
        found += [(recipe.id, variant) for variant in recipe.variants()]
    return found


class Injected(Exception):
    pass


@pytest.mark.parametrize(
    ("recipe_id", "variant"), cases(), ids=lambda v: v if isinstance(v, str) else "-".join(v.values())
)
def test_a_failure_at_every_action_boundary_restores_the_whole_tree(
    sample: Callable[..., SampleProject], recipe_id: str, variant: dict[str, str]
) -> None:
    project = sample(flavour=FLAVOUR_OF_PKG[variant.get("pkg", "requirements")], layout="nested")
    request = DeployRequest(recipe_id, project.project_dir, assignments=_inputs(recipe_id, variant))
    plan = prepare(request).plan
    before = tree_bytes(project.root, skip=(".git",))
    boundaries = len(plan.file_actions) + 1
    assert boundaries > 2, "the recipe writes files"

    for boundary in range(boundaries):

        def fail_at(index: int, action: Action | None, boundary: int = boundary) -> None:
            if index == boundary:
                raise Injected(f"boundary {boundary}")

        with pytest.raises(Injected):
            apply_plan(plan, checkpoint=fail_at)
        assert tree_bytes(project.root, skip=(".git",)) == before, f"boundary {boundary} left a change"
    assert status(project.root) == ""

    apply_plan(plan)  # and without a failure, everything is written
    assert tree_bytes(project.root, skip=(".git",)) != before


def _inputs(recipe_id: str, variant: dict[str, str]) -> dict[str, str]:
    """Values for the variables nothing else can give (a server's address, say)."""
    recipe = compile_file(bundled_dir() / f"{recipe_id}.md").recipe
    assert recipe is not None
    captured = {s.capture.variable for s in recipe.steps if isinstance(s, RunCommands) and s.capture}
    given = {k: v for k, v in variant.items() if k != "pkg"}
    for variable in recipe.variables:
        if variable.default is None and variable.generate is None and variable.name not in FACTS | captured:
            given[variable.name] = _example(variable.name, variable.type, variable.pattern)
    return given


def _example(name: str, kind: str, pattern: str | None) -> str:
    if "host" in name:
        return "203.0.113.7"
    if kind == "url":
        return f"https://example.com/{name}.git"
    # A pattern such as a user name's letters and digits: the first example that fits it.
    candidates = [f"test-{name}", "test", "7"]
    return next((c for c in candidates if pattern is None or re.fullmatch(pattern, c)), candidates[0])


def test_a_refusing_commit_hook_undoes_every_file(
    sample: Callable[..., SampleProject], deploy: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = sample()
    fakes = install_fake_clis(
        tmp_path / "bin", page_resolution(DeployRequest("heroku", project.project_dir)), tmp_path / "calls"
    )
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    hook = project.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'commit refused by the hook' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = tree_bytes(project.root)

    with pytest.raises(CommandError) as error:
        deploy(project, "heroku", "--automate-all", "--yes")

    assert "git commit failed, so the changes were undone:\ncommit refused by the hook" in str(error.value)
    assert "the log is .deploybook/logs/" in str(error.value)
    assert tree_bytes(project.root) == before
    assert status(project.root) == ""
    assert commits(project.root) == ["Initial commit"]
    assert fakes.calls() == [], "no platform command ran"


def test_a_failing_relock_undoes_every_file(
    sample: Callable[..., SampleProject], deploy: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = sample(flavour="poetry")
    prepared = prepare(DeployRequest("heroku", project.project_dir))
    fakes = install_fake_clis(tmp_path / "bin", page_resolution(prepared.request), tmp_path / "calls")
    poetry = tmp_path / "bin" / "poetry"
    if prepared.plan.own_relock is None:
        pytest.skip("the recipe runs `poetry lock` itself")
    poetry.write_text(
        "#!/bin/sh\necho 'Because jotter depends on nothing that exists, version solving failed.'\nexit 1\n"
    )
    poetry.chmod(0o755)
    monkeypatch.setenv("PATH", fakes.environ()["PATH"])
    before = tree_bytes(project.root)

    with pytest.raises(CommandError) as error:
        deploy(project, "heroku", "--automate-all", "--yes")

    assert "`poetry lock` failed with exit status 1, so every change was undone" in str(error.value)
    assert tree_bytes(project.root) == before
    assert commits(project.root) == ["Initial commit"]
