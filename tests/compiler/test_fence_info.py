"""The fence info parser: the language, then `{key="value" ...}`, and what it refuses."""

from __future__ import annotations

import pytest

from deploybook.compiler.fence_info import parse_info


def problems(info: str) -> list[tuple[str, int, str]]:
    return [(p.code, p.offset, p.message) for p in parse_info(info).problems]


def test_language_only() -> None:
    assert parse_info("python") == parse_info("python  ")
    info = parse_info("python")
    assert (info.lang, info.attrs, info.problems) == ("python", {}, ())


def test_no_info_at_all() -> None:
    assert parse_info("").lang == ""


def test_brace_form_keeps_values_and_their_offsets() -> None:
    info = parse_info('dockerfile {title="Dockerfile" step="dockerfile" action="write" file="Dockerfile"}')
    assert info.lang == "dockerfile"
    assert info.attrs == {"title": "Dockerfile", "step": "dockerfile", "action": "write", "file": "Dockerfile"}
    assert info.offsets == {"title": 12, "step": 31, "action": 49, "file": 64}
    assert info.problems == ()


def test_braces_inside_quoted_values() -> None:
    # What mdit-py-plugins' attrs parser refuses, and recipes need.
    info = parse_info('python {step="settings" action="append" file="{{ settings_path }}"}')
    assert info.attrs["file"] == "{{ settings_path }}"
    assert info.problems == ()


def test_untrimmed_info_and_no_space_before_the_brace() -> None:
    info = parse_info('  text{step="a"}  ')
    assert (info.lang, info.attrs, info.offsets) == ("text", {"step": "a"}, {"step": 7})


def test_no_language_before_the_brace() -> None:
    info = parse_info('{step="a" action="run"}')
    assert (info.lang, info.attrs) == ("", {"step": "a", "action": "run"})


def test_empty_value_and_empty_braces() -> None:
    assert parse_info('text {title=""}').attrs == {"title": ""}
    assert parse_info("text {}").attrs == {}


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (
            'python title="settings.py"',
            [("DB108", 7, "text after the language outside braces: 'title=\"settings.py\"'")],
        ),
        ("python notest", [("DB108", 7, "text after the language outside braces: 'notest'")]),
        ('text {step="a"} notest', [("DB108", 15, "text after the closing brace: 'notest'")]),
        ('text {step="a"', [("DB102", 5, "missing '}' after fence metadata")]),
        ('text {step="a}', [("DB102", 11, "the value of 'step' has no closing quote")]),
        ('text {step="a" step="b"}', [("DB102", 15, "'step' is given twice")]),
        ("text {step}", [("DB102", 6, "'step' has no value")]),
        (
            "text {.python #id}",
            [
                ("DB101", 6, "unexpected '.python' in fence metadata"),
                ("DB101", 14, "unexpected '#id' in fence metadata"),
            ],
        ),
        ('text {step="a" 9="x"}', [("DB102", 15, "unexpected '9=\"x\"' in fence metadata")]),
    ],
)
def test_problems(info: str, expected: list[tuple[str, int, str]]) -> None:
    assert problems(info) == expected


def test_an_unquoted_value_is_reported_and_kept() -> None:
    # Keeping it means the mistake is reported once, not again as "action on a fence without step=".
    info = parse_info('text {step=procfile action="write"}')
    assert problems('text {step=procfile action="write"}') == [
        ("DB102", 6, "the value of 'step' is not in double quotes")
    ]
    assert info.attrs == {"step": "procfile", "action": "write"}
    assert info.problems[0].hint == 'write step="procfile"'


def test_a_single_quoted_value_may_hold_spaces() -> None:
    info = parse_info("text {title='The Procfile' step=\"procfile\"}")
    assert info.attrs == {"title": "The Procfile", "step": "procfile"}
    assert [(p.code, p.offset, p.hint) for p in info.problems] == [
        ("DB102", 6, 'single quotes are not supported; write title="The Procfile"')
    ]


def test_an_empty_unquoted_value_is_not_kept() -> None:
    info = parse_info('text {step= action="run"}')
    assert info.attrs == {"action": "run"}
    assert info.problems[0].hint == 'write step="..."'
