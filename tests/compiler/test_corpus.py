"""Malformed recipes under corpus/, one problem each, and every diagnostic they must give.

Each entry lists every diagnostic of its file, in order, as `path:line:col: ID` (paths relative
to this folder): a missing, extra or misplaced diagnostic fails the case. The files are small
recipes named after their case (a recipe's id must match its file name); partials they include
are under corpus/_partials/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from deploybook.cli import main
from deploybook.compiler import CODES, CompileResult, Level, compile_file

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"

EXPECTED: dict[str, list[str]] = {
    # The file as a whole
    "empty": ["empty.md:1:1: DB002"],
    "whitespace-only": ["whitespace-only.md:1:1: DB002"],
    "not-utf8": ["not-utf8.md:12:18: DB001"],  # the 18th character; the 21st byte
    # Front matter
    "front-matter-absent": ["front-matter-absent.md:1:1: DB003"],
    # named like the bundled recipe whose id it has: `deploy heroku` never runs it
    "heroku": ["heroku.md:2:1: DB010"],
    "front-matter-unclosed": ["front-matter-unclosed.md:1:1: DB003"],
    "front-matter-invalid-yaml": ["front-matter-invalid-yaml.md:4:8: DB004"],
    "front-matter-not-mapping": ["front-matter-not-mapping.md:2:1: DB005"],
    "front-matter-missing-key": ["front-matter-missing-key.md:1:1: DB006", "front-matter-missing-key.md:1:1: DB006"],
    "front-matter-unknown-key": ["front-matter-unknown-key.md:6:1: DB007"],
    "front-matter-bad-version": ["front-matter-bad-version.md:4:1: DB008"],
    "front-matter-bad-values": [
        "front-matter-bad-values.md:6:1: DB008",  # requires: not a list
        "front-matter-bad-values.md:8:1: DB008",  # an axis without a list of values
        "front-matter-bad-values.md:10:1: DB008",  # a variable name in capitals
        "front-matter-bad-values.md:11:1: DB008",  # a default that is not a string
        "front-matter-bad-values.md:14:1: DB008",  # aliases: not a mapping
    ],
    "front-matter-id-mismatch": ["front-matter-id-mismatch.md:2:1: DB009"],
    "front-matter-bad-target": ["front-matter-bad-target.md:7:1: DB008"],  # kubectl not in requires
    # Fence metadata
    "fence-unknown-key": ["fence-unknown-key.md:12:74: DB101"],
    "fence-unquoted-value": ["fence-unquoted-value.md:12:27: DB102"],
    "fence-single-quoted-value": ["fence-single-quoted-value.md:12:10: DB102"],
    "fence-duplicate-key": ["fence-duplicate-key.md:12:57: DB102"],
    "fence-missing-brace": ["fence-missing-brace.md:12:9: DB102"],
    "fence-option-form": ["fence-option-form.md:12:15: DB108"],
    "fence-bare-word": ["fence-bare-word.md:14:11: DB108"],
    "fence-unclosed": ["fence-unclosed.md:12:1: DB107"],
    "fence-hidden-in-tab": ["fence-hidden-in-tab.md:16:5: DB109"],
    # Steps
    "step-unknown-action": ["step-unknown-action.md:12:34: DB103"],
    "step-without-file": ["step-without-file.md:12:26: DB104", "step-without-file.md:18:28: DB104"],
    "step-duplicate-id": ["step-duplicate-id.md:18:1: DB105"],
    "step-exclusive-variants": [],  # one id, two exclusive when= conditions: fine
    "step-bad-id": ["step-bad-id.md:12:10: DB106"],
    "action-without-step": ["action-without-step.md:12:27: DB110"],
    "step-without-action": ["step-without-action.md:12:27: DB111"],
    "step-key-not-for-action": ["step-key-not-for-action.md:12:44: DB112"],
    "step-bad-key-values": [
        "step-bad-key-values.md:12:60: DB116",  # mode="rwx"
        "step-bad-key-values.md:16:51: DB116",  # template="no"
        "step-bad-key-values.md:20:39: DB116",  # run="remote"
        "step-bad-key-values.md:24:39: DB116",  # a message's phase="later"
    ],
    "step-before-heading": ["step-before-heading.md:10:10: DB117"],
    "message-empty": ["message-empty.md:12:28: DB408"],
    # Headings and aliases
    "heading-without-id": ["heading-without-id.md:10:1: DB113", "heading-without-id.md:14:1: DB113"],
    "heading-duplicate-id": ["heading-duplicate-id.md:14:1: DB114"],
    "writes-conflict": ["writes-conflict.md:18:1: DB115"],
    "alias-unknown-step": ["alias-unknown-step.md:8:1: DB501"],
    "alias-shadows-step": ["alias-shadows-step.md:7:1: DB502"],
    "retired-id-reused": ["retired-id-reused.md:7:1: DB503", "retired-id-reused.md:8:1: DB008"],
    # Variables, placeholders and axes
    "variable-undeclared-body": ["variable-undeclared-body.md:16:15: DB201"],
    "variable-undeclared-file": ["variable-undeclared-file.md:14:47: DB201"],
    "variable-undeclared-command": ["variable-undeclared-command.md:15:41: DB201"],
    "capture-undeclared": ["capture-undeclared.md:12:43: DB201"],
    "variable-unused": ["variable-unused.md:8:1: DB205"],
    "variable-bad-type": ["variable-bad-type.md:7:1: DB008", "variable-bad-type.md:10:1: DB008"],
    "placeholder-malformed": [
        "placeholder-malformed.md:15:15: DB206",
        "placeholder-malformed.md:15:42: DB206",
        "placeholder-malformed.md:16:15: DB206",
    ],
    "when-unknown-axis": ["when-unknown-axis.md:14:46: DB202"],
    "when-unknown-value": ["when-unknown-value.md:14:43: DB203"],
    "when-malformed": ["when-malformed.md:14:46: DB204", "when-malformed.md:18:44: DB204"],  # "db", ""
    # Includes
    "include-missing": ["include-missing.md:10:1: DB301"],
    "include-cycle": ["_partials/cycle-b.md:3:1: DB302"],
    "include-outside": ["include-outside.md:10:1: DB304"],
    "include-malformed": ["include-malformed.md:10:1: DB303", "include-malformed.md:12:1: DB303"],
    "include-consecutive": ["include-consecutive.md:10:1: DB303", "include-consecutive.md:11:1: DB303"],
    "include-inside-paragraph": ["include-inside-paragraph.md:11:1: DB303"],
    "include-broken-partial": ["_partials/broken.md:7:50: DB201", "_partials/broken.md:11:23: DB103"],
    # Block bodies
    "run-no-command": ["run-no-command.md:13:1: DB401"],
    "run-output-before-command": ["run-output-before-command.md:13:1: DB401"],
    "run-shell-operator": ["run-shell-operator.md:13:15: DB402"],
    "run-shell-redirect": ["run-shell-redirect.md:13:23: DB402"],
    "run-shell-comment": ["run-shell-comment.md:13:16: DB402"],
    "run-env-assignment": ["run-env-assignment.md:13:3: DB402"],
    "run-unbalanced-quotes": ["run-unbalanced-quotes.md:13:3: DB403"],
    "run-wrong-language": ["run-wrong-language.md:12:4: DB407"],
    "requirements-invalid": ["requirements-invalid.md:14:1: DB404"],
    "env-bad-line": ["env-bad-line.md:14:1: DB405", "env-bad-line.md:15:1: DB405"],
    "capture-malformed": ["capture-malformed.md:14:43: DB406"],
    "capture-two-commands": ["capture-two-commands.md:14:43: DB406"],
    "capture-refused-command": ["capture-refused-command.md:15:25: DB402"],  # not also DB406
    "processes-bad-line": [
        "processes-bad-line.md:14:1: DB409",  # worker: is not a process name
        "processes-bad-line.md:15:1: DB409",  # web: twice
        "processes-bad-line.md:16:1: DB409",  # no colon
    ],
    "processes-missing-web": ["processes-missing-web.md:12:27: DB409"],
    "secret-on-command-line": ["secret-on-command-line.md:17:31: DB410"],
    "secret-through-a-default": ["secret-through-a-default.md:23:33: DB410"],  # on a continued line
    "secret-in-process-command": [
        "secret-in-process-command.md:23:54: DB410",  # {{ secret_key }} in the command
        "secret-in-process-command.md:24:40: DB410",  # $DJANGO_SECRET_KEY, which an env step sets to it
    ],
    "secret-on-stdin": [],  # here-documents, env steps, prose and template="off": fine
    # Several problems in one file are all reported
    "many-errors": ["many-errors.md:14:57: DB203", "many-errors.md:18:1: DB114", "many-errors.md:21:29: DB402"],
}


def compile_case(name: str) -> CompileResult:
    return compile_file(CORPUS / f"{name}.md", display=f"{name}.md")


def locations(result: CompileResult) -> list[str]:
    return [f"{d.span}: {d.id}" for d in result.diagnostics]


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_case(name: str) -> None:
    result = compile_case(name)
    assert locations(result) == EXPECTED[name]
    errors = any(d.is_error for d in result.diagnostics)
    assert result.ok is not errors, "a recipe compiles exactly when it has no error"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "retired-id-reused",
            "retired-id-reused.md:7:1: DB503 retired step id 'procfile' is used again by a current step or alias\n"
            "    hint: a retired id is never reused: give the new step another id",
        ),
        (
            "fence-single-quoted-value",
            "fence-single-quoted-value.md:12:10: DB102 the value of 'title' is not in double quotes\n"
            '    hint: single quotes are not supported; write title="The Procfile"',
        ),
        (
            "fence-option-form",
            "fence-option-form.md:12:15: DB108 text after the language outside braces: "
            '\'title="Dockerfile" step="dockerfile" action="write" file="Dockerfile"\'\n'
            '    hint: put fence metadata in braces with quoted values, e.g. ```python {title="settings.py" '
            'step="settings"}; other forms break the page in mkdocs-material',
        ),
        (
            "not-utf8",
            "not-utf8.md:12:18: DB001 the file is not valid UTF-8 (byte 0xe9)\n    hint: save the file as UTF-8",
        ),
        (
            "front-matter-invalid-yaml",
            "front-matter-invalid-yaml.md:4:8: DB004 front matter is not valid YAML: expected ',' or ']', "
            "but got ':'\n    hint: fix the YAML syntax",
        ),
        (
            "front-matter-id-mismatch",
            "front-matter-id-mismatch.md:2:1: DB009 id 'heroku' differs from the file name "
            "'front-matter-id-mismatch.md'\n    hint: rename the file to heroku.md or set id: front-matter-id-mismatch",
        ),
        (
            "include-cycle",
            "_partials/cycle-b.md:3:1: DB302 include cycle: "
            "include-cycle.md -> cycle-a.md -> cycle-b.md -> cycle-a.md\n"
            "    hint: a partial must not include itself, directly or through another",
        ),
        (
            "run-shell-comment",
            "run-shell-comment.md:13:16: DB402 a shell comment in a command; commands run as argv lists, "
            "without a shell\n    hint: move the comment into the text around the block",
        ),
        (
            "when-unknown-axis",
            "when-unknown-axis.md:14:46: DB202 unknown axis 'database' in when=\n"
            "    hint: declare it under axes: in the front matter (known: db)",
        ),
        (
            "heroku",
            "heroku.md:2:1: DB010 warning: a bundled recipe already has the id 'heroku': `manage.py deploy heroku` "
            "runs that one, never this file\n"
            "    hint: give this recipe an id of its own (rename the file and set its id), e.g. acme-heroku",
        ),
        (
            "variable-unused",
            "variable-unused.md:8:1: DB205 warning: variable 'region' is declared but never used\n"
            "    hint: remove it, or use it as {{ region }}",
        ),
        (
            "secret-on-command-line",
            "secret-on-command-line.md:17:31: DB410 the secret {{ secret_key }} is on a command line: while the "
            "command runs, every user of the machine can read it in the process list\n"
            "    hint: give it on standard input with a quoted here-document: end the command with <<'EOF', "
            "write NAME={{ secret_key }} on the next line, then a line EOF; a tool that reads nothing there can "
            "often take it through the platform's API instead (curl --data-binary @- <<'EOF')",
        ),
        (
            "secret-through-a-default",
            "secret-through-a-default.md:23:33: DB410 {{ database_url }}, which holds the secret "
            "{{ db_password }} (its default uses it), is on a command line: while the command runs, every user "
            "of the machine can read it in the process list\n"
            "    hint: give it on standard input with a quoted here-document: end the command with <<'EOF', "
            "write NAME={{ database_url }} on the next line, then a line EOF; a tool that reads nothing there can "
            "often take it through the platform's API instead (curl --data-binary @- <<'EOF')",
        ),
        (
            "step-duplicate-id",
            "step-duplicate-id.md:18:1: DB105 step 'procfile' is also defined at step-duplicate-id.md:12:1 "
            "for the same variant\n    hint: give it a new step id, or make the two when= conditions exclusive",
        ),
    ],
)
def test_message_text(name: str, text: str) -> None:
    formatted = [d.format() for d in compile_case(name).diagnostics]
    assert text in formatted


def test_check_command_reports_every_case() -> None:
    """`deploybook check` on the folder prints the same locations, then the totals, and fails."""
    out = io.StringIO()
    code = main(["check", str(CORPUS)], stdout=out, stderr=io.StringIO())
    printed = [m.group(1) for line in out.getvalue().splitlines() if (m := re.match(r"(\S+: DB\d{3}) ", line))]
    wanted = [f"{CORPUS}/{location}" for name in sorted(EXPECTED) for location in EXPECTED[name]]
    assert code == 1
    assert printed == wanted
    ids = [location.rsplit(" ", 1)[1] for locations in EXPECTED.values() for location in locations]
    warnings = sum(1 for code in ids if CODES[code][0] is Level.WARNING)
    totals = f"{len(EXPECTED)} recipes checked: {len(ids) - warnings} errors, {warnings} warnings\n"
    assert out.getvalue().endswith(totals)
