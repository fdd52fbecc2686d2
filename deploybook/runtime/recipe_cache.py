"""A cache of compiled recipes, so that a deploy need not parse Markdown every time.

Compiling needs markdown-it-py and PyYAML; a deploy that finds its recipe here imports
neither (once the compiler's package imports its passes lazily). An entry is keyed by the
recipe's path and checked against a fingerprint of everything the result depends on: the
content of every Markdown file in the recipe's folder (so partials count), the size and
modification time of the compiler's own source files (so an edit in a checkout counts), and
the Python and deploybook versions. Any difference is a miss, and a miss just compiles.

Entries are pickles in the user's cache folder (`$DEPLOYBOOK_CACHE_DIR`, else
`$XDG_CACHE_HOME/deploybook`, else `~/.cache/deploybook`), as trusted as the user's own
.pyc files. Only recipes without errors are stored. A cache that cannot be read or written
is silently ignored: it must never make a deploy fail.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import deploybook

if TYPE_CHECKING:
    from deploybook.compiler import Diagnostic, Recipe

__all__ = ["cache_dir", "load_cached", "store_cached"]

_MAX_FILES = 400  # a recipe folder larger than this is not fingerprinted (and not cached)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("DEPLOYBOOK_CACHE_DIR"):
        return Path(env["DEPLOYBOOK_CACHE_DIR"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "deploybook"


def load_cached(path: Path, display: str) -> tuple[Recipe, tuple[Diagnostic, ...]] | None:
    fingerprint = _fingerprint(path, display)
    if fingerprint is None:
        return None
    try:
        with open(_entry(path, display), "rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(stored, tuple) or len(stored) != 3 or stored[0] != fingerprint:
        return None
    return stored[1], stored[2]


def store_cached(path: Path, display: str, recipe: Recipe, warnings: tuple[Diagnostic, ...]) -> None:
    fingerprint = _fingerprint(path, display)
    if fingerprint is None:
        return
    target = _entry(path, display)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump((fingerprint, recipe, warnings), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        return


def _entry(path: Path, display: str) -> Path:
    name = hashlib.sha256(f"{path.resolve()}\0{display}".encode()).hexdigest()[:32]
    return cache_dir() / "recipes" / f"{name}.pickle"


def _compiler_sources() -> list[Path]:
    """The compiler's own source files, found without importing it (that is what the cache saves)."""
    spec = importlib.util.find_spec("deploybook.compiler")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        raise OSError("the compiler's sources were not found")
    return sorted(source for folder in folders for source in Path(folder).resolve().rglob("*.py"))


def _fingerprint(path: Path, display: str) -> str | None:
    digest = hashlib.sha256(f"{deploybook.__version__}\0{sys.version}\0{display}\0".encode())
    try:
        folder = path.resolve().parent
        recipes = sorted(folder.rglob("*.md"))
        if len(recipes) > _MAX_FILES:
            return None
        for file in recipes:
            # Content, not modification times: two edits within one clock tick share an mtime.
            digest.update(f"{file.relative_to(folder)}\0".encode() + file.read_bytes() + b"\0")
        # A changed compiler may compile the same text differently (a development checkout).
        # Its files count by size and modification time, not content: that is the rule Python
        # itself trusts for their .pyc files (an edit the rule missed would leave the running
        # compiler stale as well), and reading all of them was a noticeable part of a dry run.
        for source in _compiler_sources():
            status = source.stat()
            digest.update(f"{source}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    except OSError:
        return None
    return digest.hexdigest()
