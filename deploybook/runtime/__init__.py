"""The deploy runtime: what `manage.py deploy` does, as a library without Django.

    prepare(request)          compile, inspect, resolve and plan; reads only
    deploy(request, output)   validate, then dry-run, apply, or apply + commit + run

Modules: request + modes (what was asked), recipes + recipe_cache (find and compile), context
(project facts), values (variables), plan (actions with before/after bytes), paths,
requirements, diff, validate, git, transaction + apply (all-or-nothing writes), automate +
process + capture + ssh (platform commands), logs (the redacted deploy log), output + report
(what is printed). The management command and `deploybook demo` call `deploy()`;
deploybook.testing builds fake platform CLIs from the page's commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deploybook.errors import CommandFailed, DeployError, RecipeError, UsageError

# Not lazy: `deploy` is also the name of its submodule, which importing it would set here.
from deploybook.runtime.deploy import Confirm, DeployResult, Prepared, deploy, prepare

if TYPE_CHECKING:
    from deploybook.runtime.actions import Action, FileChange, Relock
    from deploybook.runtime.apply import Checkpoint, apply_plan
    from deploybook.runtime.automate import local_argv
    from deploybook.runtime.capture import CaptureError, capture_value
    from deploybook.runtime.context import ProjectContext, inspect_for_deploy
    from deploybook.runtime.modes import AUTOMATE, CONFIG, MODES, REDEPLOY, ROLLBACK, Mode
    from deploybook.runtime.output import ROLES, Output, PlainOutput
    from deploybook.runtime.plan import Plan, make_plan
    from deploybook.runtime.recipes import RecipeEntry, list_recipes, load_recipe
    from deploybook.runtime.request import DeployRequest
    from deploybook.runtime.ssh import ssh_argv

# The other names load their module on first use, as in the compiler's package: a dry run
# needs neither the transaction that applies a plan nor the runner of platform commands.
_LAZY = {
    "Action": "actions",
    "FileChange": "actions",
    "Relock": "actions",
    "Checkpoint": "apply",
    "apply_plan": "apply",
    "local_argv": "automate",
    "CaptureError": "capture",
    "capture_value": "capture",
    "ProjectContext": "context",
    "inspect_for_deploy": "context",
    "AUTOMATE": "modes",
    "CONFIG": "modes",
    "MODES": "modes",
    "REDEPLOY": "modes",
    "ROLLBACK": "modes",
    "Mode": "modes",
    "ROLES": "output",
    "Output": "output",
    "PlainOutput": "output",
    "Plan": "plan",
    "make_plan": "plan",
    "RecipeEntry": "recipes",
    "list_recipes": "recipes",
    "load_recipe": "recipes",
    "DeployRequest": "request",
    "ssh_argv": "ssh",
}

__all__ = [
    "AUTOMATE",
    "CONFIG",
    "MODES",
    "REDEPLOY",
    "ROLES",
    "ROLLBACK",
    "Action",
    "CaptureError",
    "Checkpoint",
    "CommandFailed",
    "Confirm",
    "DeployError",
    "DeployRequest",
    "DeployResult",
    "FileChange",
    "Mode",
    "Output",
    "PlainOutput",
    "Plan",
    "Prepared",
    "ProjectContext",
    "RecipeEntry",
    "RecipeError",
    "Relock",
    "UsageError",
    "apply_plan",
    "capture_value",
    "deploy",
    "inspect_for_deploy",
    "list_recipes",
    "load_recipe",
    "local_argv",
    "make_plan",
    "prepare",
    "ssh_argv",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
