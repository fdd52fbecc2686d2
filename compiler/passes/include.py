"""Pass 4: splice shared partials in place of their `--8<-- "path"` lines.

A partial is compiled through the same read, front-matter and lex passes, so its blocks keep
their own path:line; its declared variables join the recipe's.
"""

from __future__ import annotations

from pathlib import Path

from ..segments import Include, Segment
from ..unit import Unit
from .front_matter import front_matter
from .lex import lex
from .read import read


def include(unit: Unit) -> bool:
    unit.segments = _expand(unit, unit)
    return True


def _expand(root: Unit, unit: Unit) -> list[Segment]:
    segments: list[Segment] = []
    for block in unit.segments:
        if not isinstance(block, Include):
            segments.append(block)
            continue
        target = (unit.path.parent / block.target).resolve()
        folder = root.path.parent.resolve()
        if not target.is_relative_to(folder):
            # A pack or a site is built from its recipes folder alone; a partial from elsewhere
            # would be missing there (and pymdownx.snippets refuses it too).
            root.diagnostics.add(
                "DB304",
                block.span,
                f"partial {block.target!r} is outside the recipes folder ({folder.name}/)",
                "keep shared partials in the recipes folder, e.g. under _partials/",
            )
            continue
        stack = (*unit.include_stack, unit.path.resolve())
        if target in stack:
            chain = " -> ".join(p.name for p in (*stack, target))
            root.diagnostics.add(
                "DB302",
                block.span,
                f"include cycle: {chain}",
                "a partial must not include itself, directly or through another",
            )
            continue
        display = _display(unit.display, block.target)
        if not target.is_file() and (shared := _bundled_partial(block.target)) is not None:
            target, display = shared, f"recipes/{block.target}"  # a pack includes a bundled partial by name
        if not target.is_file():
            root.diagnostics.add(
                "DB301",
                block.span,
                f"partial {block.target!r} not found",
                f"paths are relative to the including file's folder ({unit.path.parent.name}/)",
            )
            continue
        part = Unit(target, display, True, root.diagnostics, raw=target.read_bytes(), include_stack=stack)
        if read(part) and front_matter(part) and lex(part):
            root.included.append(display)
            known = {v.name for v in root.header.variables}
            root.header.variables += tuple(v for v in part.header.variables if v.name not in known)
            segments.extend(_expand(root, part))
    return segments


def _bundled_partial(name: str) -> Path | None:
    """`_partials/NAME.md` from the bundled recipes, for a recipe folder that has none of its
    own: a recipe pack shares the production settings instead of copying them."""
    if not name.startswith("_partials/") or ".." in name.split("/"):
        return None
    from ..catalog import bundled_dir

    found = bundled_dir() / name
    return found if found.is_file() else None


def _display(including: str, target: str) -> str:
    """The partial's path as users see it, next to the including file's display path."""
    base = including.rsplit("/", 1)[0] + "/" if "/" in including else ""
    parts: list[str] = []
    for piece in (base + target).split("/"):
        if piece == ".." and parts and parts[-1] != "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    joined = "/".join(parts)
    return "/" + joined if including.startswith("/") else joined
