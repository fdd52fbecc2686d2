"""Values placed into files: escaped inside quotes, refused where they would change the file."""

from __future__ import annotations

import subprocess

import pytest
import tomlkit
import yaml

from deploybook.compiler.escape import format_of

NASTY = "say \"hi\" \\ $HOME `id` 'quoted'"


def place(path: str, template_line: str, value: str, text: str = "") -> str | None:
    kind = format_of(path, text or template_line)
    assert kind is not None
    before = template_line.split("{{", 1)[0]
    return kind.place(value, before)


def test_toml_basic_strings_take_any_one_line_value() -> None:
    placed = place("fly.toml", 'app = "{{ x }}"', NASTY)
    assert placed is not None
    assert tomlkit.parse(f'app = "{placed}"') == {"app": NASTY}
    newline = place("fly.toml", 'app = "{{ x }}"', "a\nb = 1")
    assert newline is not None and tomlkit.parse(f'app = "{newline}"') == {"app": "a\nb = 1"}


@pytest.mark.parametrize("value", ["a b", 'x"', "[table]", "a\nb"])
def test_toml_outside_quotes_takes_only_plain_words(value: str) -> None:
    assert place("fly.toml", "port = {{ x }}", value) is None
    assert place("fly.toml", "port = {{ x }}", "8080") == "8080"


def test_toml_literal_strings_refuse_a_quote() -> None:
    assert place("fly.toml", "app = '{{ x }}'", "it's") is None


def test_yaml_double_and_single_quoted() -> None:
    double = place("config.yaml", 'name: "{{ x }}"', NASTY)
    single = place("config.yaml", "name: '{{ x }}'", NASTY)
    assert double is not None and single is not None
    assert yaml.safe_load(f'name: "{double}"') == {"name": NASTY}
    assert yaml.safe_load(f"name: '{single}'") == {"name": NASTY}
    assert place("config.yaml", "name: {{ x }}", "a: b") is None


def test_shell_words_keep_their_value_when_the_shell_reads_them() -> None:
    script = "#!/bin/sh\n"
    double = place("deploy/bootstrap", 'echo "{{ x }}"', NASTY, script)
    single = place("deploy/bootstrap", "echo '{{ x }}'", NASTY, script)
    assert double is not None and single is not None
    for line in (f'printf %s "{double}"', f"printf %s '{single}'"):
        done = subprocess.run(["sh", "-c", line], capture_output=True, text=True, env={"HOME": "/nowhere"})
        assert done.stdout == NASTY, line
    assert place("deploy/bootstrap", "APP={{ x }}", "x; rm -rf /", script) is None
    assert place("run.sh", "APP={{ x }}", "my-app") == "my-app"


def test_python_strings() -> None:
    placed = place("mysite/settings.py", 'NAME = "{{ x }}"', NASTY)
    assert placed is not None
    namespace: dict[str, object] = {}
    exec(f'NAME = "{placed}"', namespace)
    assert namespace["NAME"] == NASTY


def test_files_of_other_formats_have_no_rules_of_their_own() -> None:
    assert format_of("Procfile", "web: gunicorn") is None
    assert format_of("Caddyfile", ":80 {") is None
