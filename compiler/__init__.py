"""The deploybook recipe compiler: Markdown recipes in, typed and located objects out.

It knows nothing about Django or the user's machine.
"""

from __future__ import annotations

from .catalog import RecipeSource, bundled_dir, find_recipe, iter_sources, recipe_files
from .console import output_matches
from .diagnostics import CODES, Diagnostic, Level
from .errors import DeploybookError
from .ir import (
    ACTIONS,
    PHASES,
    PROCESS_NAMES,
    AddRequirements,
    AppendBlock,
    Axis,
    Capture,
    Command,
    Condition,
    EnvVars,
    Message,
    Processes,
    Recipe,
    RunCommands,
    Section,
    Step,
    TestCommands,
    Variable,
    WriteFile,
)
from .pipeline import PASSES, CompileResult, compile_bytes, compile_file
from .resolve import Resolution, ResolvedCommand, ResolvedStep, resolve, split_settings
from .source import SourceSpan

__all__ = [
    "ACTIONS",
    "CODES",
    "PASSES",
    "PHASES",
    "PROCESS_NAMES",
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
    "ResolvedCommand",
    "ResolvedStep",
    "RunCommands",
    "Section",
    "SourceSpan",
    "Step",
    "TestCommands",
    "Variable",
    "WriteFile",
    "bundled_dir",
    "compile_bytes",
    "compile_file",
    "find_recipe",
    "iter_sources",
    "output_matches",
    "recipe_files",
    "resolve",
    "split_settings",
]
