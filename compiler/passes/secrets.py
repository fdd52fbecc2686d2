"""Pass 7: no secret on a command line.

While a program runs, its command line is in the process list, which every user of the
machine can read (`ps`, /proc/PID/cmdline); a program's environment and standard input are
not. So a secret may be a command's standard input (a here-document), or the platform's
environment (an env step), but never a word of a command: not of a run or test command, and
not of a processes command, which the platform's shell runs. A processes command that expands
an environment variable holding a secret (`$DJANGO_SECRET_KEY`) puts it there too.

A variable holds a secret when it is marked one, or when its default uses one (see
`secret_sources`), so the rule cannot be side-stepped with a variable in between.
"""

from __future__ import annotations

import re

from ..actions.env import EnvVars
from ..actions.processes import Processes
from ..actions.run import RunCommands
from ..actions.test import TestCommands
from ..ir import Step, secret_sources
from ..template import scan
from ..unit import Unit

_EXPANSION = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_STDIN_HINT = (
    "give it on standard input with a quoted here-document: end the command with <<'EOF', "
    "write NAME={{ %s }} on the next line, then a line EOF; a tool that reads nothing there "
    "can often take it through the platform's API instead (curl --data-binary @- <<'EOF')"
)


def secrets(unit: Unit) -> bool:
    held = secret_sources(unit.header.variables)
    if not held:
        return True
    in_env = _secret_env_names(unit, held)
    for step in unit.steps:
        if not step.template:
            continue  # template="off": no placeholder is ever filled in
        if isinstance(step, (RunCommands, TestCommands)):
            _commands(unit, step, held)
        elif isinstance(step, Processes):
            _processes(unit, step, held, in_env)
    return True


def _what(name: str, held: dict[str, str]) -> str:
    secret = held[name]
    if secret == name:
        return f"the secret {{{{ {name} }}}}"
    return f"{{{{ {name} }}}}, which holds the secret {{{{ {secret} }}}} (its default uses it),"


def _commands(unit: Unit, step: RunCommands | TestCommands, held: dict[str, str]) -> None:
    lines = step.body.split("\n")
    first = step.span.line + 1  # the file line of the body's first line
    for command in step.commands:
        start = command.span.line - first
        for offset in range(start, start + command.lines):
            for ph in scan(lines[offset]):
                if (name := ph.name) is not None and name in held:
                    unit.diagnostics.add(
                        "DB410",
                        step.span.at(first + offset, ph.col + 1),
                        f"{_what(name, held)} is on a command line: while the command runs, every user "
                        "of the machine can read it in the process list",
                        _STDIN_HINT % name,
                    )


def _processes(unit: Unit, step: Processes, held: dict[str, str], in_env: dict[str, tuple[str, Step]]) -> None:
    first = step.span.line + 1
    for offset, line in enumerate(step.body.split("\n")):
        if line.lstrip().startswith("#"):
            continue
        for ph in scan(line):
            if (name := ph.name) is not None and name in held:
                unit.diagnostics.add(
                    "DB410",
                    step.span.at(first + offset, ph.col + 1),
                    f"{_what(name, held)} is on the command line of a process the platform's shell "
                    "runs, where every user of the machine can read it in the process list",
                    "let the program read the secret from its environment: an env step sets it there",
                )
        for match in _EXPANSION.finditer(line):
            variable = match.group(1)
            if variable in in_env:
                secret, env_step = in_env[variable]
                unit.diagnostics.add(
                    "DB410",
                    step.span.at(first + offset, match.start() + 1),
                    f"${variable} holds the secret {{{{ {secret} }}}} (step '{env_step.id}', {env_step.span}, "
                    "sets it): the shell puts its value on the command line, where every user of the "
                    "machine can read it in the process list",
                    f"let the program read {variable} from its environment itself",
                )


def _secret_env_names(unit: Unit, held: dict[str, str]) -> dict[str, tuple[str, Step]]:
    """The environment variables env steps set to a secret: name -> (the secret, the step)."""
    found: dict[str, tuple[str, Step]] = {}
    for step in unit.steps:
        if isinstance(step, EnvVars) and step.template:
            for name, value in step.pairs:
                secret = next((held[ph.name] for ph in scan(value) if ph.name is not None and ph.name in held), None)
                if secret is not None:
                    found.setdefault(name, (secret, step))
    return found
