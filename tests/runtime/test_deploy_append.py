"""`append` blocks: owned between markers, replaced in place, never duplicated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from deploy_helpers import recipe

from deploybook.compiler import SourceSpan
from deploybook.compiler.markers import comment_style, place_block
from deploybook.errors import DeployError
from deploybook.samples import SampleProject

APPEND = recipe(
    "greet",
    'variables:\n  greeting:\n    help: "What to say"\n    default: "hello"\n  settings_path: "found"\n',
    '## Greet {#greet}\n\n```python {step="greet" action="append" file="{{ settings_path }}"}\n'
    'GREETING = "{{ greeting }}"\n```\n',
)


def test_a_rerun_replaces_the_block_in_place_and_keeps_text_after_it(
    sample: Callable[..., SampleProject],
    deploy: Callable[..., object],
    recipe_file: Callable[[str, str], Path],
    commit: Callable[[Path, str], None],
) -> None:
    path = recipe_file("greet", APPEND)
    project = sample()
    settings = project.root / "jotter" / "settings.py"
    original = settings.read_text()
    deploy(project, "--recipe-file", str(path))
    with settings.open("a") as handle:
        handle.write("\n# The user's own line, after the block\nLATER = 1\n")
    commit(project.root, "Configured, then edited")

    out = deploy(project, "--recipe-file", str(path), "--set", "greeting=bonjour").out  # type: ignore[attr-defined]

    text = settings.read_text()
    assert "update  jotter/settings.py  [greet]" in out
    assert text.startswith(original)
    assert text.count(">>> deploybook greet/greet >>>") == 1
    assert text.count("<<< deploybook greet/greet <<<") == 1
    assert 'GREETING = "bonjour"' in text and 'GREETING = "hello"' not in text
    assert text.endswith("<<< deploybook greet/greet <<<\n\n# The user's own line, after the block\nLATER = 1\n")


@pytest.mark.parametrize(
    ("path", "begin", "end"),
    [
        ("mysite/settings.py", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        ("Procfile", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        ("Dockerfile", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        ("Caddyfile", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        (".env", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        ("fly.toml", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        (".upsun/config.yaml", "# >>> deploybook r/s >>>", "# <<< deploybook r/s <<<"),
        ("static/site.css", "/* >>> deploybook r/s >>> */", "/* <<< deploybook r/s <<< */"),
        ("templates/base.html", "<!-- >>> deploybook r/s >>> -->", "<!-- <<< deploybook r/s <<< -->"),
        ("static/app.js", "// >>> deploybook r/s >>>", "// <<< deploybook r/s <<<"),
    ],
)
def test_markers_use_the_file_types_comment_syntax(path: str, begin: str, end: str) -> None:
    text = place_block("before\n", path=path, recipe_id="r", step_id="s", body="body\n", location=SourceSpan("r.md", 1))
    lines = text.splitlines()
    assert lines[0] == "before" and lines[1] == ""
    assert lines[2] == begin and lines[-1] == end
    assert "body" in lines
    assert (
        place_block(text, path=path, recipe_id="r", step_id="s", body="body\n", location=SourceSpan("r.md", 1)) == text
    )


def test_unknown_file_types_are_refused() -> None:
    assert comment_style("data.json") is None
    with pytest.raises(DeployError) as error:
        place_block("{}", path="data.json", recipe_id="r", step_id="s", body="x", location=SourceSpan("r.md", 9, 1))
    assert "r.md:9:1: cannot mark an appended block in data.json" in str(error.value)
    assert 'use action="write"' in str(error.value)


def test_crlf_files_keep_their_line_endings_and_other_blocks_are_untouched() -> None:
    text = "a = 1\r\n"
    first = place_block(text, path="x.py", recipe_id="r", step_id="one", body="b = 2\n", location=None)
    both = place_block(first, path="x.py", recipe_id="r", step_id="two", body="c = 3\n", location=None)
    again = place_block(both, path="x.py", recipe_id="r", step_id="one", body="b = 20\n", location=None)
    assert "\n" not in again.replace("\r\n", "")
    assert "b = 20" in again and "b = 2\r\n" not in again
    assert again.index("deploybook r/one") < again.index("deploybook r/two")
    assert again.count(">>> deploybook r/one >>>") == 1


def test_a_file_without_a_final_newline_gets_the_block_on_its_own_lines() -> None:
    text = place_block("x = 1", path="x.py", recipe_id="r", step_id="s", body="y = 2", location=None)
    assert text.startswith("x = 1\n\n# >>> deploybook r/s >>>\n")
    assert text.endswith("y = 2\n# <<< deploybook r/s <<<\n")
