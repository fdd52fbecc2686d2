"""The deploybook recipe compiler: Markdown recipes in, typed and located objects out.

It knows nothing about Django or the user's machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deploybook.errors import DeploybookError

from .actions import ACTION_NAMES, ACTIONS, action_named
from .actions.append import AppendBlock, ResolvedAppend
from .actions.base import ActionSpec, Resolved, ResolvedCommand, ResolvedCommands, ResolvedFile
from .actions.env import EnvVars, ResolvedEnv
from .actions.message import Message, ResolvedMessage
from .actions.processes import PROCESS_NAMES, Processes, ResolvedProcesses
from .actions.requirements import AddRequirements, ResolvedRequirements
from .actions.run import PHASES, Capture, ResolvedRun, RunCommands
from .actions.test import ResolvedTest, TestCommands
from .actions.write import ResolvedWrite, WriteFile
from .ir import Axis, Command, Condition, Recipe, Section, Step, StepHeader, Variable, secret_sources
from .resolve import Resolution, env_name, parse_assignments, resolve, split_settings
from .source import SourceSpan

if TYPE_CHECKING:
    from .catalog import RecipeSource, bundled_dir, find_recipe, iter_sources, recipe_files
    from .console import output_matches
    from .diagnostics import CODES, Diagnostic, Level
    from .pipeline import PASSES, CompileResult, compile_bytes, compile_file

# Compiling needs markdown-it-py, PyYAML and packaging, and finding recipe packs needs
# importlib.metadata: together most of the import time. Code that only uses compiled
# objects (a cached Recipe, a Resolution) must not pay for them, so these load on first use;
# so do the diagnostics compiling reports, and output_matches, which only tests that replay
# a page's console output need.
_LAZY = {
    "RecipeSource": "catalog",
    "bundled_dir": "catalog",
    "find_recipe": "catalog",
    "iter_sources": "catalog",
    "recipe_files": "catalog",
    "PASSES": "pipeline",
    "CompileResult": "pipeline",
    "compile_bytes": "pipeline",
    "compile_file": "pipeline",
    "output_matches": "console",
    "CODES": "diagnostics",
    "Diagnostic": "diagnostics",
    "Level": "diagnostics",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ACTIONS",
    "ACTION_NAMES",
    "CODES",
    "PASSES",
    "PHASES",
    "PROCESS_NAMES",
    "ActionSpec",
    "AddRequirements",
    "AppendBlock",
    "Axis",
    "Capture",
    "Command",
    "CompileResult",
    "Condition",
    "DeploybookError",
    "Diagnostic",
    "EnvVars",
    "Level",
    "Message",
    "Processes",
    "Recipe",
    "RecipeSource",
    "Resolution",
    "Resolved",
    "ResolvedAppend",
    "ResolvedCommand",
    "ResolvedCommands",
    "ResolvedEnv",
    "ResolvedFile",
    "ResolvedMessage",
    "ResolvedProcesses",
    "ResolvedRequirements",
    "ResolvedRun",
    "ResolvedTest",
    "ResolvedWrite",
    "RunCommands",
    "Section",
    "SourceSpan",
    "Step",
    "StepHeader",
    "TestCommands",
    "Variable",
    "WriteFile",
    "action_named",
    "bundled_dir",
    "compile_bytes",
    "compile_file",
    "env_name",
    "find_recipe",
    "iter_sources",
    "output_matches",
    "parse_assignments",
    "recipe_files",
    "resolve",
    "secret_sources",
    "split_settings",
]
