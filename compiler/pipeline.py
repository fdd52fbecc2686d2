"""The compiler: an ordered list of named passes from recipe bytes to a Recipe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deploybook.records import record

from .diagnostics import Diagnostic, Diagnostics
from .ir import Recipe
from .passes.build import build
from .passes.check import check
from .passes.front_matter import front_matter
from .passes.include import include
from .passes.lex import lex
from .passes.read import read
from .passes.secrets import secrets
from .segments import Segment
from .source import SourceSpan
from .unit import Unit

__all__ = ["PASSES", "CompileResult", "compile_bytes", "compile_file"]

PASSES: tuple[tuple[str, Callable[[Unit], bool]], ...] = (
    ("read", read),
    ("front_matter", front_matter),
    ("lex", lex),
    ("include", include),
    ("build", build),
    ("check", check),
    ("secrets", secrets),
)


@record
class CompileResult:
    path: str
    recipe: Recipe | None  # None when there is any error
    diagnostics: tuple[Diagnostic, ...]
    segments: tuple[Segment, ...] = ()
    """The page as the lexer cut it, partials spliced in, each step fence with its step: what
    the site renders (empty when there is any error)."""

    @property
    def ok(self) -> bool:
        return self.recipe is not None


def compile_file(path: str | Path, *, display: str | None = None) -> CompileResult:
    """Compile one recipe file. `display` is the path shown in diagnostics (default: as given)."""
    path = Path(path)
    shown = display if display is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        diagnostics = Diagnostics()
        diagnostics.add("DB002", _span(shown), f"cannot read the recipe: {error.strerror}", "check the path")
        return CompileResult(shown, None, diagnostics.sorted())
    return compile_bytes(raw, path, display=shown)


def compile_bytes(raw: bytes, path: str | Path, *, display: str | None = None) -> CompileResult:
    """Compile recipe text that claims to live at `path` (includes resolve next to it)."""
    path = Path(path)
    shown = display if display is not None else str(path)
    is_partial = path.name.startswith("_") or path.parent.name.startswith("_")
    unit = Unit(path, shown, is_partial, Diagnostics(), raw=raw)
    for _name, run in PASSES:
        if not run(unit):
            break
    diagnostics = unit.diagnostics.sorted()
    if unit.diagnostics.has_errors or is_partial:
        return CompileResult(shown, None, diagnostics)
    return CompileResult(shown, _assemble(unit), diagnostics, tuple(unit.segments))


def _span(path: str) -> SourceSpan:
    return SourceSpan(path, 1, 1)


def _assemble(unit: Unit) -> Recipe:
    data = unit.header.data
    return Recipe(
        path=unit.display,
        id=data["id"],
        title=data["title"],
        version=data["version"],
        summary=data["summary"],
        requires=tuple(data.get("requires", ())),
        target=tuple(data["target"]) if isinstance(data.get("target"), list) else (),
        axes=unit.header.axes,
        variables=unit.header.variables,
        aliases={old: new for old, (new, _) in unit.header.aliases.items()},
        retired={old: note for old, (note, _) in unit.header.retired.items()},
        reader=unit.header.reader,
        sections=tuple(unit.sections),
        steps=tuple(unit.steps),
        partials=tuple(unit.included),
    )
