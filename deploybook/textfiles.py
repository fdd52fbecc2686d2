"""Reading (and writing back) the project's text files the way the tools that use them do.

A settings module is Python source: Python honours a UTF-8 byte-order mark and a PEP 263
coding line (`# -*- coding: latin-1 -*-`), so a latin-1 settings.py that Django loads fine is
read, and written back, as latin-1. A requirements file is read as pip reads it: a byte-order
mark, else a coding line in its first two lines, else UTF-8. What neither tool could read is a
clear error naming the file, the line and the byte, never a traceback.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize

from deploybook.errors import DeployError
from deploybook.records import record

__all__ = ["Decoded", "decode_python", "decode_requirements"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CODING = re.compile(rb"coding[:=]\s*([-\w.]+)")


@record
class Decoded:
    text: str
    encoding: str
    """The codec that gives the same bytes back (`utf-8-sig` keeps a byte-order mark)."""

    def encode(self, text: str, path: str) -> bytes:
        """`text` in the file's own encoding; an error naming the file if it cannot hold it."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise DeployError(
                f"{path} is {self.encoding} text, which cannot hold {text[error.start : error.end]!r} "
                "that deploy would add",
                hint=f"save {path} as UTF-8 (and drop its coding line), then run deploy again",
            ) from error


def decode_python(data: bytes, path: str) -> Decoded:
    """Python source as Python decodes it (byte-order mark, PEP 263 coding line, else UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return Decoded(data.decode(encoding), encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        raise _unreadable(data, path, "Python", error) from error


def decode_requirements(data: bytes, path: str) -> Decoded:
    """A requirements file as pip decodes it (byte-order mark, a coding line, else UTF-8)."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    else:
        for line in data.split(b"\n")[:2]:
            match = _CODING.search(line) if line.lstrip().startswith(b"#") else None
            if match:
                encoding = match.group(1).decode("ascii")
                break
    try:
        return Decoded(data.decode(encoding), encoding)
    except (LookupError, UnicodeDecodeError) as error:
        raise _unreadable(data, path, "pip", error) from error


def _unreadable(data: bytes, path: str, reader: str, error: Exception) -> DeployError:
    if isinstance(error, UnicodeDecodeError):
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        what = f"{path}:{line}: byte 0x{byte} is not {error.encoding} text"
    else:
        what = f"{path}: {error}"
    return DeployError(
        f"{what}, so {reader} could not read the file either",
        hint=f"save {path} as UTF-8 (or declare its encoding on a coding line), then run deploy again",
    )
