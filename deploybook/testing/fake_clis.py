"""Fake platform CLIs driven by a recipe's own transcripts.

Platforms cannot be reached from the test machines, so their CLIs are replaced by small
executables that answer each command with the output the recipe's page shows for it (its
`...` lines dropped). Every call is recorded, so a test can check that deploy issued exactly
the page's commands in the page's order.

    fakes = install_fake_clis(tmp / "bin", page_resolution(request), tmp / "calls.jsonl")
    env = fakes.environ()                 # PATH with the fakes first
    ... run the deploy with env ...
    assert fakes.calls() == fakes.expected("setup")

Values not known when the replay is written (a secret generated at deploy time, a value
captured from an earlier command) appear in the resolution as `<name>` or `{{ name }}`; in the
replay they match any text.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypedDict

from deploybook.compiler import Resolution, ResolvedCommands, ResolvedRun
from deploybook.records import record
from deploybook.runtime import AUTOMATE, REDEPLOY, DeployRequest, prepare

__all__ = [
    "REAL_PROGRAMS",
    "FakeClis",
    "ReplayEntry",
    "install_fake_clis",
    "page_resolution",
    "replay_commands",
    "text_pattern",
]

# Tools the tests run for real (a local bare repository stands in for a platform's git remote,
# and deploybook.testing.fake_apis for the platform API a curl command calls).
REAL_PROGRAMS = frozenset({"git", "ssh", "scp", "rsync", "python", "python3", "sh", "bash", "env", "curl"})
_SCRIPT = Path(__file__).resolve().with_name("_replay_cli.py")
_UNKNOWN = re.compile(r"(\{\{\s*[a-z_][a-z0-9_]*\s*\}\}|<[a-z_][a-z0-9_]*>)")


@record
class FakeClis:
    bin_dir: Path
    replay_file: Path
    record_file: Path
    programs: tuple[str, ...]
    resolution: Resolution

    def environ(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """`base` (default: os.environ) with the fakes first on PATH."""
        env = dict(os.environ if base is None else base)
        env["PATH"] = os.pathsep.join([str(self.bin_dir), env.get("PATH", "")])
        return env

    def calls(self) -> list[tuple[str, ...]]:
        """Every argv the fakes received, in order."""
        if not self.record_file.exists():
            return []
        return [tuple(json.loads(line)) for line in self.record_file.read_text(encoding="utf-8").splitlines()]

    def inputs(self) -> list[str]:
        """What each call read on standard input ("" for none), in the order of `calls()`."""
        path = Path(f"{self.record_file}.stdin")
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def expected(self, phase: str = "setup") -> list[tuple[str, ...]]:
        """The faked commands of one phase's run steps, in page order, as the replay has them."""
        return [
            tuple(entry["argv"]) for entry in replay_commands(self.resolution, self.programs) if entry["phase"] == phase
        ]

    def differences(self, phase: str = "setup") -> list[str]:
        """How the recorded calls differ from the phase's commands in page order; [] if not at all."""
        expected, calls = self.expected(phase), self.calls()
        problems = []
        for index in range(max(len(expected), len(calls))):
            want = " ".join(expected[index]) if index < len(expected) else "(nothing more)"
            got = " ".join(calls[index]) if index < len(calls) else "(nothing more)"
            if index >= len(expected) or index >= len(calls) or not self.matches(expected[index], calls[index]):
                problems.append(f"call {index + 1}: expected {want}, got {got}")
        return problems

    def matches(self, expected: Iterable[str], called: Iterable[str]) -> bool:
        """Whether one recorded call matches one expected argv (unknown values match anything)."""
        patterns, actual = [_pattern(word, _stand_ins(self.resolution)) for word in expected], list(called)
        if len(patterns) != len(actual):
            return False
        return all(re.fullmatch(p, a, re.DOTALL) for p, a in zip(patterns, actual, strict=True))


class ReplayEntry(TypedDict):
    """One command the fakes answer: the page's argv, the patterns that match it, its output."""

    argv: list[str]
    patterns: list[str]
    stdin: str | None
    """A pattern the command's standard input must match, when the page gives it input."""
    stdin_text: str | None
    """That input as the page shows it (for a curl that reads its headers there, `--header @-`)."""
    output: list[str]
    exit: int
    phase: str
    """setup or redeploy (run steps), or test."""
    step: str
    source: str
    """The command's path:line in the recipe."""


def replay_commands(
    resolution: Resolution, programs: Iterable[str], *, fail_steps: Iterable[str] = ()
) -> list[ReplayEntry]:
    """The replay entries for every run and test command of `programs`, in page order."""
    wanted, failing = set(programs), set(fail_steps)
    stand_ins = _stand_ins(resolution)
    entries: list[ReplayEntry] = []
    for resolved in resolution.of_kind(ResolvedCommands):
        step = resolved.step
        phase = resolved.step.phase if isinstance(resolved, ResolvedRun) else "test"
        for command in resolved.commands:
            if not command.argv or command.argv[0] not in wanted:
                continue
            fails = step.id in failing
            output = [line for line in command.expected if line.strip() != "..."]
            entries.append(
                {
                    "argv": list(command.argv),
                    "patterns": [_pattern(word, stand_ins) for word in command.argv],
                    "stdin": _pattern(command.stdin, stand_ins) if command.stdin is not None else None,
                    "stdin_text": command.stdin,
                    "output": [f"fake failure of step {step.id}"] if fails else output,
                    "exit": 1 if fails else 0,
                    "phase": phase,
                    "step": step.id,
                    "source": str(command.command.span),
                }
            )
    return entries


def install_fake_clis(
    bin_dir: Path,
    resolution: Resolution,
    record_file: Path,
    *,
    programs: Iterable[str] | None = None,
    fail_steps: Iterable[str] = (),
) -> FakeClis:
    """Write a fake executable into `bin_dir` for each program, answering from `resolution`.

    `programs` defaults to the recipe's `requires:` other than REAL_PROGRAMS. The commands of
    the steps in `fail_steps` print an error and exit 1, to test how deploy stops.
    """
    chosen = tuple(sorted(set(programs) if programs is not None else set(resolution.recipe.requires) - REAL_PROGRAMS))
    bin_dir.mkdir(parents=True, exist_ok=True)
    replay_file = bin_dir / "replay.json"
    replay = {"recipe": resolution.recipe.id, "commands": replay_commands(resolution, chosen, fail_steps=fail_steps)}
    replay_file.write_text(json.dumps(replay, indent=1, ensure_ascii=False), encoding="utf-8")
    for program in chosen:
        executable = bin_dir / program
        executable.write_text(
            f"#!{sys.executable}\n"
            f"# Fake `{program}` written by deploybook.testing: answers from the recipe's transcripts.\n"
            "import runpy, sys\n"
            f"sys.argv = [{str(_SCRIPT)!r}, {str(replay_file)!r}, {str(record_file)!r}, {program!r}, *sys.argv[1:]]\n"
            f"runpy.run_path({str(_SCRIPT)!r}, run_name='__main__')\n",
            encoding="utf-8",
        )
        executable.chmod(0o755)
    return FakeClis(bin_dir, replay_file, record_file, chosen, resolution)


def page_resolution(request: DeployRequest) -> Resolution:
    """Every command the page shows for the request's variant, setup and redeploy alike, as a
    dry run resolves them: secrets and captured values are stand-ins, which fakes accept in any
    form. This is what fake CLIs answer from; a real deploy resolves only its own mode's steps."""
    setup = prepare(dataclasses.replace(request, mode=AUTOMATE.dry())).resolution
    again = prepare(dataclasses.replace(request, mode=REDEPLOY.dry())).resolution
    # Steps are values: the same step compares equal in both, whichever copy of the recipe.
    seen = {resolved.step for resolved in setup.steps}
    extra = [resolved for resolved in again.of_kind(ResolvedRun) if resolved.step not in seen]
    order = {step: index for index, step in enumerate(setup.recipe.steps)}
    steps = sorted((*setup.steps, *extra), key=lambda resolved: order[resolved.step])
    values = dict(again.values) | dict(setup.values)
    return dataclasses.replace(setup, steps=tuple(steps), values=values)


def text_pattern(text: str, resolution: Resolution) -> str:
    """A regular expression for `text` as the page resolves it: unknown values match any text."""
    return _pattern(text, _stand_ins(resolution))


def _stand_ins(resolution: Resolution) -> frozenset[str]:
    return frozenset(f"<{name}>" for name, value in resolution.values.items() if value == f"<{name}>")


def _pattern(word: str, stand_ins: frozenset[str]) -> str:
    pieces = []
    for index, piece in enumerate(_UNKNOWN.split(word)):
        is_unknown = index % 2 == 1 and (piece.startswith("{{") or piece in stand_ins)
        pieces.append(".+" if is_unknown else re.escape(piece))
    return "".join(pieces)
