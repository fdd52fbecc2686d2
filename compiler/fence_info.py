"""Reading a fence's info string: the language, then `{key="value" ...}`.

mdit-py-plugins' attribute parser rejects braces inside quoted values, which recipes need
(`file="{{ settings_path }}"`), so the brace form is read here. The rules match what
pymdownx.superfences renders: language first, metadata in braces, values double-quoted.
"""

from __future__ import annotations

import re
from dataclasses import field

from deploybook.records import record

__all__ = ["AttributeProblem", "FenceInfo", "parse_info"]

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@record
class AttributeProblem:
    code: str  # diagnostic id
    offset: int  # 0-based offset within the info string
    message: str
    hint: str


@record
class FenceInfo:
    lang: str
    attrs: dict[str, str] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)  # key -> offset in the info string
    problems: tuple[AttributeProblem, ...] = ()


def parse_info(info: str) -> FenceInfo:
    lang_match = re.match(r"\s*([^\s{]*)", info)
    assert lang_match is not None  # the pattern matches the empty string
    lang = lang_match.group(1)
    pos = _skip_space(info, lang_match.end())
    if pos == len(info):
        return FenceInfo(lang)
    if info[pos] != "{":
        return FenceInfo(
            lang,
            problems=(
                AttributeProblem(
                    "DB108",
                    pos,
                    f"text after the language outside braces: {info[pos:].strip()!r}",
                    "put fence metadata in braces with quoted values, e.g. "
                    '```python {title="settings.py" step="settings"}; other forms '
                    "break the page in mkdocs-material",
                ),
            ),
        )
    return _parse_braces(info, lang, pos)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _parse_braces(info: str, lang: str, start: int) -> FenceInfo:
    attrs: dict[str, str] = {}
    offsets: dict[str, int] = {}
    problems: list[AttributeProblem] = []
    pos = start + 1
    while True:
        pos = _skip_space(info, pos)
        if pos >= len(info):
            problems.append(
                AttributeProblem("DB102", start, "missing '}' after fence metadata", 'close it: {key="value"}')
            )
            break
        if info[pos] == "}":
            rest = info[pos + 1 :].strip()
            if rest:
                problems.append(
                    AttributeProblem(
                        "DB108",
                        pos + 1,
                        f"text after the closing brace: {rest!r}",
                        "remove it or move it inside the braces",
                    )
                )
            break
        key_match = _KEY.match(info, pos)
        if key_match is None:
            word = re.match(r"[^\s}]*", info[pos:])
            token = word.group(0) if word else info[pos]
            problems.append(
                AttributeProblem(
                    "DB101" if token[:1] in ".#" else "DB102",
                    pos,
                    f"unexpected {token!r} in fence metadata",
                    'use key="value" pairs; classes and ids are not part of the recipe language '
                    "(steps get anchors from step=)",
                )
            )
            pos += max(len(token), 1)
            continue
        key = key_match.group(0)
        pos = key_match.end()
        if pos >= len(info) or info[pos] != "=":
            problems.append(AttributeProblem("DB102", key_match.start(), f"'{key}' has no value", f'write {key}="..."'))
            continue
        pos += 1
        if pos < len(info) and info[pos] == '"':
            end = info.find('"', pos + 1)
            if end < 0:
                problems.append(
                    AttributeProblem(
                        "DB102",
                        pos,
                        f"the value of '{key}' has no closing quote",
                        'close it: key="value"',
                    )
                )
                break
            value = info[pos + 1 : end]
            pos = end + 1
        else:
            # Read the value the author meant (a single-quoted one may hold spaces) and keep it,
            # so one quoting mistake is reported once, not again as a missing step= or action=.
            single = pos < len(info) and info[pos] == "'"
            closing = info.find("'", pos + 1) if single else -1
            if closing >= 0:
                value, end = info[pos + 1 : closing], closing + 1
            else:
                bare = re.match(r"[^\s}]*", info[pos:])
                value = (bare.group(0) if bare else "").strip("'")
                end = pos + (bare.end() if bare else 0)
            quote_hint = "single quotes are not supported; " if single else ""
            problems.append(
                AttributeProblem(
                    "DB102",
                    key_match.start(),
                    f"the value of '{key}' is not in double quotes",
                    f'{quote_hint}write {key}="{value or "..."}"',
                )
            )
            pos = end
            if not value:
                continue
        if key in attrs:
            problems.append(AttributeProblem("DB102", key_match.start(), f"'{key}' is given twice", "keep one of them"))
            continue
        attrs[key] = value
        offsets[key] = key_match.start()
    return FenceInfo(lang, attrs, offsets, tuple(problems))
