"""No secret is ever on a command line while a recipe's `--automate-all` runs.

For each recipe whose platform commands the stand-ins answer (the PaaS recipes), the deploy
runs with every process's command line sampled (what `ps` shows every user of the machine),
once with the secrets deploybook generates and once with secrets the user gives. No sampled
command line may hold a secret, and every secret a page's command hands over on standard input
must reach the platform's stand-in there. The sampler must have seen every platform command,
or the test would prove nothing.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.compiler import ResolvedRun, compile_file, secret_sources
from deploybook.compiler.template import scan
from deploybook.runtime import AUTOMATE
from deploybook.testing.fake_apis import calls_an_api
from deploybook.testing.fake_clis import page_resolution
from deploybook.testing.process_list import LINGER, LINGER_VARIABLE, ProcessList
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, recipe_cases
from deploybook.testing.recipe_checks import (
    StandInRun,
    automate_runs_only_fakes,
    deploy_with_stand_ins,
    fresh_with_remotes,
)

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
# The module, not the function of the same name that deploybook.compiler exports.
RESOLVE = importlib.import_module("deploybook.compiler.resolve")


def _paas_cases() -> list[RecipeCase]:
    """One case per recipe and db value: the commands do not depend on the dependency manager."""
    cases = []
    for case in recipe_cases(RECIPES, flavours=("requirements",)):
        recipe = compile_file(case.recipe_file).recipe
        if case.layout == "flat" and case.settings == "module" and recipe and automate_runs_only_fakes(recipe):
            cases.append(case)
    return cases


CASES = _paas_cases()


@pytest.mark.parametrize("source", ["generated", "given"])
@pytest.mark.parametrize(
    "paas_case", [pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(case.id)) for case in CASES]
)
def test_no_secret_is_on_a_command_line_during_automate_all(
    paas_case: RecipeCase,
    source: str,
    configured_projects: Callable[[RecipeCase], ConfiguredProject],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = configured_projects(paas_case)
    names = sorted(secret_sources(project.recipe.variables))
    assignments = {k: v for k, v in project.assignments.items() if k not in names}
    made: list[str] = []
    if source == "given":
        given = {name: f"given-{name}-{secrets.token_hex(16)}" for name in names}
        assignments |= given
        made += given.values()
    else:
        # A secret only the user can give (a database's URL) is given even here.
        only_given = [v.name for v in project.recipe.variables if v.name in names and v.generate is None]
        given = {name: f"given-{name}-{secrets.token_hex(16)}" for name in only_given}
        assignments |= given
        made += given.values()

        def generate(nbytes: int | None = None) -> str:
            made.append(f"generated-{secrets.token_hex(24)}")
            return made[-1]

        monkeypatch.setattr(RESOLVE.secrets, "token_urlsafe", generate)
    fresh = fresh_with_remotes(project, tmp_path)

    with ProcessList() as seen:
        run = deploy_with_stand_ins(
            project,
            fresh,
            AUTOMATE,
            tmp_path / "automate",
            assignments=assignments,
            environ={LINGER_VARIABLE: str(LINGER)},
            delay=LINGER,
        )

    assert run.fakes.differences("setup") == [] and run.apis.differences("setup") == []
    leaked = [" ".join("********" if any(v in w for v in made) else w for w in argv) for argv in seen.containing(*made)]
    assert not leaked, "a secret was on a command line, readable by every user with `ps`:\n" + "\n".join(leaked)
    unseen = [call for call in run.fakes.calls() if not seen.saw(call)]
    unseen += [f"curl {r.url}" for r in run.apis.received if not any(_is_curl_of(argv, r.url) for argv in seen.seen)]
    assert not unseen, f"the sampler ({seen.rounds} rounds) missed platform commands: {unseen}"
    missing = _undelivered(project, fresh, assignments, run, made, names)
    assert not missing, "\n".join(missing)


def _is_curl_of(argv: tuple[str, ...], url: str) -> bool:
    return any(word == "curl" or word.endswith("/curl") for word in argv[:1]) and url in argv


def _undelivered(
    project: ConfiguredProject,
    fresh: Path,
    assignments: dict[str, str],
    run: StandInRun,
    made: list[str],
    names: list[str],
) -> list[str]:
    """The page's commands that hand over a secret on standard input whose stand-in did not get
    one of the secrets in `made` there."""
    inputs = iter(run.fakes.inputs())
    # What curl read on its standard input: the body, or headers (`--header @-`, a token).
    bodies = iter(received.body + "\n".join(received.headers.values()) for received in run.apis.received)
    missing = []
    page = page_resolution(project.request(project=fresh, assignments=assignments))
    for resolved in page.of_kind(ResolvedRun):
        if resolved.step.phase != "setup":
            continue
        for command in resolved.commands:
            if command.argv[0] in run.fakes.programs:
                received = next(inputs)
            elif calls_an_api(command.argv):
                received = next(bodies)
            else:
                continue
            wanted = {ph.name for ph in scan(command.command.stdin or "")} & set(names)
            if wanted and not any(value in received for value in made):
                missing.append(f"{command.command.span}: the stand-in got no secret on stdin for {sorted(wanted)}")
    return missing
