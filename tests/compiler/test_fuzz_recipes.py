"""Mutated real recipes: the compiler reports diagnostics, and never raises.

Every recipe and partial under recipes/ is damaged the ways editing goes wrong (lines deleted,
duplicated or swapped, characters changed or inserted, the file cut short, stray bytes that are
not UTF-8) and compiled. Whatever comes in, the result is a CompileResult whose diagnostics all
have a registered id and a location inside the file they name.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deploybook.compiler import CODES, CompileResult, compile_bytes, recipe_files

RECIPES = Path(__file__).parents[2] / "recipes"
# Paths relative to recipes/: every recipe and every partial.
SOURCES = [p.relative_to(RECIPES).as_posix() for p in sorted(RECIPES.glob("*.md")) + sorted(RECIPES.glob("_*/*.md"))]

# Pieces of the recipe language, so insertions reach the parsers' corners, not only plain text.
FRAGMENTS = [
    "```",
    "~~~",
    "{",
    "}",
    '"',
    "'",
    "=",
    "{{",
    "}}",
    "{{ app_name }}",
    "$ ",
    "\\",
    "|",
    "&&",
    "#",
    "---",
    "...",
    '--8<-- "',
    '--8<-- "_partials/production-settings.md"',
    'step="x"',
    'action="run"',
    'when="db=',
    "capture=",
    ":",
    "\n",
    " ",
    "    ",
    "\t",
    "\r",
    "\x00",
    "\ufeff",
    "é",
    "⬢",
]
text_pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: int
    other: int = 0
    data: bytes = b""

    def apply(self, raw: bytes) -> bytes:
        if self.kind in ("delete", "duplicate", "swap"):
            lines = raw.split(b"\n")
            i, j = self.at % len(lines), self.other % len(lines)
            if self.kind == "delete":
                del lines[i]
            elif self.kind == "duplicate":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            return b"\n".join(lines)
        at = self.at % (len(raw) + 1)
        if self.kind == "truncate":
            return raw[:at]
        if self.kind == "replace":  # one character (or byte) becomes other text
            return raw[:at] + self.data + raw[at + 1 :]
        return raw[:at] + self.data + raw[at:]  # insert


positions = st.integers(min_value=0, max_value=1 << 20)
mutations = st.one_of(
    st.builds(Mutation, st.sampled_from(["delete", "duplicate"]), positions),
    st.builds(Mutation, st.just("swap"), positions, positions),
    st.builds(Mutation, st.just("truncate"), positions),
    st.builds(Mutation, st.sampled_from(["replace", "insert"]), positions, st.just(0), text_pieces.map(str.encode)),
    # Raw bytes, often not UTF-8 at all (a lone continuation byte, a Latin-1 letter, ...).
    st.builds(Mutation, st.just("insert"), positions, st.just(0), st.binary(min_size=1, max_size=4)),
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of recipes/: a mutated partial is written there for the recipes to include,
    and edits to recipes/ during the run cannot change what a diagnostic is checked against."""
    root = tmp_path_factory.mktemp("fuzz") / "recipes"
    shutil.copytree(RECIPES, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def assert_well_formed(result: CompileResult, files: dict[str, bytes]) -> None:
    assert isinstance(result, CompileResult)
    for diagnostic in result.diagnostics:
        assert diagnostic.id in CODES, diagnostic
        assert diagnostic.span.path in files, diagnostic
        # A location inside the file it names (one past the last line for "at the end").
        lines = files[diagnostic.span.path].count(b"\n") + 1
        assert 1 <= diagnostic.span.line <= lines + 1, diagnostic
        assert diagnostic.span.col >= 1, diagnostic
        assert diagnostic.message, diagnostic
        diagnostic.format()
    errors = [d for d in result.diagnostics if d.is_error]
    if result.recipe is not None:
        assert not errors
        result.recipe.step_ids()


def test_the_sources_are_found() -> None:
    assert recipe_files(RECIPES), "no recipes to mutate"
    assert any(source.startswith("_") for source in SOURCES), "no partials to mutate"


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(source=st.sampled_from(SOURCES), changes=st.lists(mutations, min_size=1, max_size=4))
def test_mutated_recipes_only_ever_give_diagnostics(tree: Path, source: str, changes: list[Mutation]) -> None:
    target = tree / source
    original = target.read_bytes()
    raw = original
    for change in changes:
        raw = change.apply(raw)
    display = f"recipes/{source}"
    files = {f"recipes/{name}": (tree / name).read_bytes() for name in SOURCES} | {display: raw}

    assert_well_formed(compile_bytes(raw, target, display=display), files)

    if "/" in source:
        # A damaged partial, seen through every recipe that includes it.
        target.write_bytes(raw)
        try:
            for recipe in recipe_files(tree):
                shown = f"recipes/{recipe.name}"
                assert_well_formed(compile_bytes(recipe.read_bytes(), recipe, display=shown), files)
        finally:
            target.write_bytes(original)
