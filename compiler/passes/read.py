"""Pass 1: bytes to text. Only UTF-8 is accepted; line endings are normalised."""

from __future__ import annotations

from ..unit import Unit


def read(unit: Unit) -> bool:
    # A byte-order mark is dropped here rather than by the codec, so that error positions
    # below are positions in `raw`.
    raw = unit.raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # Everything before the bad byte decodes; count its lines and characters (not bytes)
        # the way the other passes and editors do.
        before = _normalise(raw[: error.start].decode("utf-8"))
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        unit.diagnostics.add(
            "DB001",
            unit.span(line, col),
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "save the file as UTF-8",
        )
        return False
    text = _normalise(text)
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


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
