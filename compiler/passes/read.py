"""Pass 1: bytes to text. Only UTF-8 is accepted; line endings are normalised."""

from __future__ import annotations

from ..unit import Unit


def read(unit: Unit) -> bool:
    raw = unit.raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        unit.diagnostics.add(
            "DB001",
            unit.span(line, col),
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "save the file as UTF-8",
        )
        return False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        unit.diagnostics.add(
            "DB002",
            unit.span(1),
            "the file is empty",
            "start with front matter: ---, id:, title:, version:, summary:, ---",
        )
        return False
    unit.text = text
    return True
