"""Console blocks: `$ ` lines are commands, the lines after each are its expected output.

Commands become argv lists. Nothing here ever goes through a shell, so shell syntax (pipes,
redirection, `$VAR`, `$(...)`) is refused at compile time instead of silently meaning
something else at deploy time.

The one exception is a quoted here-document at the end of a command, `<<'EOF'`, then its
lines, then `EOF` alone: they become the command's standard input, exactly as a shell that
runs the pasted block would give it (the quotes make the shell take the lines literally).
This is how a recipe hands a command a secret without putting it on a command line.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from deploybook.records import record

from .template import PLACEHOLDER

__all__ = ["ConsoleProblem", "ParsedCommand", "output_matches", "parse_console"]

PROMPT = "$ "
ELLIPSIS = "..."
_OPERATORS = {"|", "||", "&", "&&", ";", ";;", ">", ">>", "<", "<<", "2>", "2>&1", "&>"}
_SHELL_SYNTAX = re.compile(r"\$\(|`|\$[A-Za-z_{]|^[<>]|^\d?>|^~")
_OPERATOR_CHARS = "|&;<>()"
_ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_HEREDOC = re.compile(r"\s<<'([A-Za-z_][A-Za-z0-9_]*)'\s*$")


@record
class ConsoleProblem:
    code: str
    line: int  # 0-based line within the block body
    col: int
    message: str
    hint: str


@record
class ParsedCommand:
    argv: tuple[str, ...]
    expected: tuple[str, ...]
    line: int  # 0-based line of the `$ ` within the body
    text: str
    stdin: str | None = None  # the here-document's lines, each ending in a newline
    lines: int = 1  # body lines the command itself takes (continued with a trailing `\`)


def parse_console(body: str) -> tuple[list[ParsedCommand], list[ConsoleProblem]]:
    commands: list[ParsedCommand] = []
    problems: list[ConsoleProblem] = []
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    index = 0
    pending: tuple[int, str, str | None, int] | None = None
    expected: list[str] = []

    def finish() -> None:
        if pending is not None:
            start, text, stdin, taken = pending
            argv = _split(text, start, problems)
            if argv is not None:
                commands.append(ParsedCommand(argv, tuple(expected), start, text, stdin, taken))

    while index < len(lines):
        line = lines[index]
        if line.startswith(PROMPT) or line == "$":
            finish()
            start = index
            text = line[len(PROMPT) :]
            while text.endswith("\\") and index + 1 < len(lines):
                index += 1
                text = text[:-1].rstrip() + " " + lines[index].strip()
            taken = index - start + 1
            stdin = None
            heredoc = _HEREDOC.search(text)
            if heredoc is not None:
                text = text[: heredoc.start()]
                stdin, index = _here_document(lines, index, heredoc.group(1), problems)
            pending = (start, text.strip(), stdin, taken)
            expected = []
        elif pending is None:
            if line.strip():
                problems.append(
                    ConsoleProblem(
                        "DB401",
                        index,
                        0,
                        "output before the first command",
                        "start each command with '$ ' (dollar, space); output follows it",
                    )
                )
        else:
            expected.append(line)
        index += 1
    finish()
    if not commands and not problems:
        problems.append(
            ConsoleProblem(
                "DB401",
                0,
                0,
                "this block has no command",
                "write each command on a line starting with '$ '",
            )
        )
    return commands, problems


def _here_document(lines: list[str], index: int, word: str, problems: list[ConsoleProblem]) -> tuple[str, int]:
    """The lines after line `index` up to the one that is `word` alone; and that line's index."""
    body: list[str] = []
    for number in range(index + 1, len(lines)):
        if lines[number] == word:
            return "".join(line + "\n" for line in body), number
        body.append(lines[number])
    problems.append(
        ConsoleProblem(
            "DB403",
            index,
            0,
            f"the here-document <<'{word}' has no closing {word} line",
            f"end its lines with a line that is exactly {word}",
        )
    )
    return "".join(line + "\n" for line in body), len(lines) - 1


def _split(text: str, line: int, problems: list[ConsoleProblem]) -> tuple[str, ...] | None:
    if not text:
        problems.append(
            ConsoleProblem("DB401", line, 0, "empty command after '$ '", "write the command or remove the line")
        )
        return None
    # Protect placeholders (they contain spaces) so that one placeholder stays one word.
    names: list[str] = []

    def protect(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return f"\x00{len(names) - 1}\x00"

    protected = PLACEHOLDER.sub(protect, text)
    try:
        words = shlex.split(protected)
    except ValueError as error:
        problems.append(
            ConsoleProblem(
                "DB403",
                line,
                2,
                f"cannot split the command into words: {error}",
                "balance the quotes",
            )
        )
        return None
    restored = [re.sub(r"\x00(\d+)\x00", lambda m: "{{ " + names[int(m.group(1))] + " }}", w) for w in words]
    for word in restored:
        if word in _OPERATORS or (_SHELL_SYNTAX.search(word) and not word.startswith("{{")):
            problems.append(
                ConsoleProblem(
                    "DB402",
                    line,
                    2 + max(text.find(word), 0),
                    f"shell syntax {word!r} in a command; commands run as argv lists, without a shell",
                    'split it into separate commands, or write a script file with action="write" and run that',
                )
            )
            return None
    found = _unquoted_operator(text)
    if found is not None:
        offset, operator = found
        comment = operator == "#"
        problems.append(
            ConsoleProblem(
                "DB402",
                line,
                2 + offset,
                "a shell comment in a command; commands run as argv lists, without a shell"
                if comment
                else f"shell syntax {operator!r} in a command; commands run as argv lists, without a shell",
                "move the comment into the text around the block"
                if comment
                else 'split it into separate commands, or write a script file with action="write" and run that',
            )
        )
        return None
    if _ENV_ASSIGNMENT.match(restored[0]):
        problems.append(
            ConsoleProblem(
                "DB402",
                line,
                2,
                f"environment assignment {restored[0]!r} before a command",
                "commands run without a shell; use the program's own option or an env step",
            )
        )
        return None
    return tuple(restored)


def _unquoted_operator(text: str) -> tuple[int, str] | None:
    """The first shell operator or comment outside quotes, with its offset.

    shlex keeps `hi>out` or `a;b` as one word, and `# note` as two, where a shell would
    redirect, chain or ignore them; the page would then show something the tool does not do.
    """
    quote = ""
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace()):
            return index, "#"
        elif char in _OPERATOR_CHARS:
            run = len(text[index:]) - len(text[index:].lstrip(_OPERATOR_CHARS))
            return index, text[index : index + run]
    return None


def output_matches(expected: Sequence[str], actual: Sequence[str]) -> bool:
    """Compare output line by line; a `...` line stands for any number of lines.

    Trailing whitespace is ignored, since terminals and pages do not show it.
    """
    exp = [line.rstrip() for line in expected]
    act = [line.rstrip() for line in actual]
    while exp and not exp[-1]:
        exp.pop()
    while act and not act[-1]:
        act.pop()
    return _match(exp, act)


def _match(exp: list[str], act: list[str]) -> bool:
    # reachable[j]: the first i expected lines can match the first j actual lines.
    reachable = [True] + [False] * len(act)
    for line in exp:
        if line == ELLIPSIS:
            for j in range(1, len(act) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j - 1] and act[j - 1] == line for j in range(1, len(act) + 1)]
    return reachable[len(act)]
