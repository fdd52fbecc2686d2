"""The deploybook recipe compiler: Markdown recipes in, typed and located objects out.

It knows nothing about Django or the user's machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from .resolve import Resolution, ResolvedCommand, ResolvedStep, resolve, split_settings
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
