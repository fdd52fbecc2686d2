"""What a variable's value may be: its declared `type:` (or `pattern:`), checked before
anything is written or run.

Every variable has a type; without one it is `line` (one line of text, not empty). A value
goes into files, command lines and unit files, so a type is what keeps `--set app_name='x;
rm -rf /'` or an empty `--set host=` from ever reaching them. A recipe may say what to write
instead with `error:`; a variable whose default is "" may be left empty.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from .ir import Variable

__all__ = ["TYPES", "value_problem"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _line(value: str) -> bool:
    return not _CONTROL.search(value)


def _pattern(expression: str) -> Callable[[str], bool]:
    compiled = re.compile(expression)
    return lambda value: compiled.fullmatch(value) is not None


def _hostname(value: str) -> bool:
    name = value.lower().removesuffix(".")
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(label) for label in name.split("."))


def _address(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return _hostname(value)
    return True


def _url(value: str) -> bool:
    if not _line(value) or " " in value:
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _port(value: str) -> bool:
    return value.isdigit() and 0 < int(value) < 65536


TYPES: dict[str, tuple[Callable[[str], bool], str]] = {
    "line": (_line, "one line of text"),
    "slug": (_pattern(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"), "lowercase letters, digits and '-' (e.g. my-blog)"),
    "name": (_pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]*"), "letters, digits, '_', '.' and '-', no spaces"),
    "hostname": (_hostname, "a host name such as blog.example.com"),
    "address": (_address, "an IP address or a host name"),
    "url": (_url, "a URL such as https://example.com/"),
    "port": (_port, "a port number from 1 to 65535"),
    "path": (_pattern(r"[^\x00-\x1f\x7f\s;&|<>`$\"']+"), "a path, without spaces or shell characters"),
    "module": (_pattern(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"), "a dotted Python module name"),
    "version": (_pattern(r"\d+(?:\.\d+)*"), "a version such as 3.12"),
    "secret": (_line, "one line"),
}


def value_problem(variable: Variable, value: str) -> str | None:
    """Why `value` is not a value `variable` may have, or None when it is."""
    if value == "":
        return None if variable.default == "" else "it is empty"
    if variable.pattern is not None:
        fits = _pattern(variable.pattern)(value)
        expected = f"a value matching {variable.pattern}"
    else:
        check, expected = TYPES[variable.type]
        fits = check(value)
    if fits and not _CONTROL.search(value):
        return None
    return variable.error or f"it must be {expected}"
