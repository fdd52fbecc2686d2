"""`{{ name }}` placeholders: finding them (and malformed ones), and substituting values."""

from __future__ import annotations

import shlex

import pytest

from deploybook.compiler.template import Placeholder, has_placeholders, scan, substitute


def test_scan_finds_names_with_their_line_and_column() -> None:
    text = "web: gunicorn {{ wsgi_module }}\nrelease: python {{project_dir}}/manage.py migrate {{ a }}{{ b }}"
    assert list(scan(text)) == [
        Placeholder("wsgi_module", 0, 14, "{{ wsgi_module }}"),
        Placeholder("project_dir", 1, 16, "{{project_dir}}"),
        Placeholder("a", 1, 50, "{{ a }}"),
        Placeholder("b", 1, 57, "{{ b }}"),
    ]


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("{{ App }}", "{{ App }}"),  # names are lowercase
        ("{{ 1st }}", "{{ 1st }}"),
        ("{{ name | upper }}", "{{ name | upper }}"),  # no filters
        ("{{ a.b }}", "{{ a.b }}"),
        ("{{ name }", "{{ name }"),
        ("{{ name", "{{ name"),
        ("{{}}", "{{}}"),
    ],
)
def test_scan_reports_malformed_placeholders(text: str, snippet: str) -> None:
    assert list(scan("x " + text)) == [Placeholder(None, 0, 2, snippet)]


def test_scan_ignores_single_braces() -> None:
    assert list(scan('{"hostname": "{name}"} ${HOME} }}')) == []


def test_has_placeholders() -> None:
    assert has_placeholders("a {{ b }} c")
    assert not has_placeholders("a {{ B }} c")
    assert not has_placeholders("{ b }")


def test_substitute() -> None:
    assert substitute("{{ a }}/{{b}}/{{ a }}", {"a": "x", "b": "y"}) == "x/y/x"


def test_substitute_never_reads_a_value_as_a_template() -> None:
    assert substitute("{{ a }}", {"a": "{{ b }}", "b": "no"}) == "{{ b }}"


def test_substitute_leaves_malformed_placeholders_alone() -> None:
    assert substitute("{{ A }} {{ a }}", {"a": "x"}) == "{{ A }} x"


def test_substitute_missing_value() -> None:
    with pytest.raises(KeyError, match="b"):
        substitute("{{ a }} {{ b }}", {"a": "x"})
    assert substitute("{{ a }} {{ b }}", {"a": "x"}, missing=lambda name: f"<{name}>") == "x <b>"


def test_substitute_quotes_each_value() -> None:
    text = substitute("echo {{ a }} {{ b }}", {"a": "it's", "b": "x y"}, quote=shlex.quote)
    assert text == "echo 'it'\"'\"'s' 'x y'"
    assert shlex.split(text) == ["echo", "it's", "x y"]
