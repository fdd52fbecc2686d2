"""Poetry's version constraints (^, ~, bare versions, spaces, ||) as PEP 440 specifier sets."""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

__all__ = ["poetry_to_pep440"]

# ^5.2 means >=5.2,<6.0 and ^0.3 means >=0.3,<0.4: the first non-zero part may not change.
_CARET = re.compile(r"\^\s*(\d+(?:\.\d+)*)")
# ~5.2 means >=5.2,<5.3; ~= is PEP 440's own operator and is left alone.
_TILDE = re.compile(r"(?<![~=])~(?!=)\s*(\d+(?:\.\d+)*)")


def poetry_to_pep440(constraint: str) -> list[SpecifierSet]:
    """One specifier set per `||` alternative; alternatives that cannot be read are dropped.

    "*" and "" give an empty set (anything goes). PEP 440 input comes back unchanged.
    """
    sets = []
    for alternative in constraint.split("||"):
        text = _CARET.sub(lambda m: _range(m[1], caret=True), alternative.strip())
        text = _TILDE.sub(lambda m: _range(m[1], caret=False), text)
        # Poetry also writes ">= 3.11, < 3.13" and ">=3.11 <3.13" (a space means "and").
        text = re.sub(r"(?<=[<>=!~])\s+", "", text.strip())
        text = re.sub(r"\s*,\s*|\s+", ",", text)
        if text == "*":
            text = ""
        elif text[:1].isdigit():  # a bare version is an exact one; "3.11.*" a wildcard
            text = f"=={text}"
        try:
            sets.append(SpecifierSet(text))
        except InvalidSpecifier:
            continue
    return sets


def _range(version: str, *, caret: bool) -> str:
    parts = [int(part) for part in version.split(".")]
    if caret:
        # Bump the first non-zero part (or the last one given, for ^0 and ^0.0).
        index = next((i for i, part in enumerate(parts) if part), len(parts) - 1)
    else:
        index = min(1, len(parts) - 1) if len(parts) > 1 else 0
    upper = [*parts[:index], parts[index] + 1]
    return f">={version},<{'.'.join(map(str, upper))}"
