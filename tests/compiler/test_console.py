"""Console blocks: `$ ` commands become argv lists, the lines after each are its expected output."""

from __future__ import annotations

import pytest

from deploybook.compiler import output_matches
from deploybook.compiler.console import parse_console


def argvs(body: str) -> list[tuple[str, ...]]:
    commands, problems = parse_console(body)
    assert problems == []
    return [c.argv for c in commands]


def only_problem(body: str) -> tuple[str, int, int, str]:
    commands, problems = parse_console(body)
    assert all(c.line > problems[0].line for c in commands)  # a refused command is left out
    [problem] = problems
    return problem.code, problem.line, problem.col, problem.message


def test_commands_and_their_output() -> None:
    commands, problems = parse_console(
        "$ heroku create blog\nCreating ⬢ blog... done\n\nhttps://blog.herokuapp.com/\n$ heroku open\n"
    )
    assert problems == []
    assert [(c.argv, c.expected, c.line, c.text) for c in commands] == [
        (
            ("heroku", "create", "blog"),
            ("Creating ⬢ blog... done", "", "https://blog.herokuapp.com/"),
            0,
            "heroku create blog",
        ),
        (("heroku", "open"), (), 4, "heroku open"),
    ]


def test_continuation_lines_join_into_one_command() -> None:
    commands, _ = parse_console("$ fly deploy \\\n    --remote-only \\\n    --ha=false\nDone\n$ fly open\n")
    assert [(c.argv, c.line, c.expected) for c in commands] == [
        (("fly", "deploy", "--remote-only", "--ha=false"), 0, ("Done",)),
        (("fly", "open"), 4, ()),
    ]
    assert commands[0].text == "fly deploy --remote-only --ha=false"


def test_a_trailing_backslash_on_the_last_line_is_kept_as_a_word() -> None:
    assert only_problem("$ echo \\")[0] == "DB403"  # nothing to continue with: shlex refuses it


@pytest.mark.parametrize(
    ("body", "argv"),
    [
        ("$ heroku create {{ app_name }}\n", ("heroku", "create", "{{ app_name }}")),
        ("$ heroku create {{app_name}}\n", ("heroku", "create", "{{ app_name }}")),  # spacing normalised
        ("$ heroku config:set KEY={{ secret_key }}\n", ("heroku", "config:set", "KEY={{ secret_key }}")),
        ('$ echo "{{ a }} and {{ b }}"\n', ("echo", "{{ a }} and {{ b }}")),
        ("$ echo '{{ a }}'\n", ("echo", "{{ a }}")),
        ("$ fly mpg create --name {{ app_name }}-db\n", ("fly", "mpg", "create", "--name", "{{ app_name }}-db")),
        ('$ python -c "print(1 > 0)"\n', ("python", "-c", "print(1 > 0)")),  # quoted: no redirect
        ("$ curl 'https://example.com/?a=1&b=2'\n", ("curl", "https://example.com/?a=1&b=2")),
        ('$ git commit -m "#1 fix"\n', ("git", "commit", "-m", "#1 fix")),
        ("$ echo https://example.com/#top\n", ("echo", "https://example.com/#top")),  # '#' inside a word
        ("$ echo a\\;b\n", ("echo", "a;b")),  # escaped
    ],
)
def test_words(body: str, argv: tuple[str, ...]) -> None:
    assert argvs(body) == [argv]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("$ heroku logs | grep error\n", ("DB402", 0, 14, "shell syntax '|' in a command")),
        ("$ make && make install\n", ("DB402", 0, 7, "shell syntax '&&' in a command")),
        ("$ heroku config --json>config.json\n", ("DB402", 0, 22, "shell syntax '>' in a command")),
        ("$ echo $HOME\n", ("DB402", 0, 7, "shell syntax '$HOME' in a command")),
        ("$ echo $(whoami)\n", ("DB402", 0, 7, "shell syntax '$(whoami)' in a command")),
        ("$ cat ~/.netrc\n", ("DB402", 0, 6, "shell syntax '~/.netrc' in a command")),
        ("$ heroku open  # in a browser\n", ("DB402", 0, 15, "a shell comment in a command")),
        ("$ DJANGO_ENV=production python manage.py check\n", ("DB402", 0, 2, "environment assignment")),
        ('$ echo "unbalanced\n', ("DB403", 0, 2, "cannot split the command into words: No closing quotation")),
        ("Output first\n$ heroku create\n", ("DB401", 0, 0, "output before the first command")),
        ("$\n", ("DB401", 0, 0, "empty command after '$ '")),
        ("", ("DB401", 0, 0, "this block has no command")),
        ("\n\n", ("DB401", 0, 0, "this block has no command")),
    ],
)
def test_problems(body: str, problem: tuple[str, int, int, str]) -> None:
    code, line, col, message = only_problem(body)
    assert (code, line, col) == problem[:3]
    assert message.startswith(problem[3])


def test_a_problem_names_its_own_line() -> None:
    commands, problems = parse_console("$ heroku create\nok\n$ heroku logs | less\n")
    assert [c.argv for c in commands] == [("heroku", "create")]
    assert [(p.code, p.line) for p in problems] == [("DB402", 2)]


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a"], ["a", "b"], False),
        (["a", "..."], ["a", "b", "c"], True),
        (["a", "..."], ["a"], True),  # `...` may stand for no line at all
        (["...", "done"], ["x", "y", "done"], True),
        (["...", "done"], ["done", "x"], False),
        (["a", "...", "c", "...", "e"], ["a", "b", "c", "d", "d", "e"], True),
        (["a", "...", "c"], ["a", "b", "d"], False),
        (["..."], [], True),
        (["a  ", "", ""], ["a", ""], True),  # trailing spaces and blank lines are invisible on a page
        ([], ["something"], False),
    ],
)
def test_output_matches(expected: list[str], actual: list[str], matches: bool) -> None:
    assert output_matches(expected, actual) is matches


def test_a_quoted_here_document_is_the_commands_input() -> None:
    commands, problems = parse_console(
        "$ fly secrets import --app {{ app_name }} <<'EOF'\nDJANGO_SECRET_KEY={{ secret_key }}\nA=b c\nEOF\n"
        "Secrets are staged\n$ fly deploy\n"
    )
    assert problems == []
    first, second = commands
    assert first.argv == ("fly", "secrets", "import", "--app", "{{ app_name }}")
    assert first.stdin == "DJANGO_SECRET_KEY={{ secret_key }}\nA=b c\n"
    assert first.expected == ("Secrets are staged",)
    assert (second.argv, second.stdin, second.line) == (("fly", "deploy"), None, 5)


def test_a_here_document_needs_its_closing_line() -> None:
    _, problems = parse_console("$ fly secrets import <<'END'\nA=b\n")
    assert [(p.code, p.line) for p in problems] == [("DB403", 0)]
    assert "has no closing END line" in problems[0].message


@pytest.mark.parametrize(
    "body", ["$ cat <<EOF\nx\nEOF\n", "$ cat << 'EOF' > out\nx\nEOF\n", "$ cat <<-'EOF'\nx\nEOF\n"]
)
def test_other_here_document_forms_are_shell_syntax(body: str) -> None:
    # Unquoted, the pasted lines would be expanded by the reader's shell ($VAR, `...`), and a
    # redirection after it is shell syntax: only the quoted form at the end of the line is input.
    assert parse_console(body)[1][0].code == "DB402"
