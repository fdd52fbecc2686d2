""" "Your values": the box at the top of a recipe page where a reader fills in each value once.

The page script (assets.py) keeps what they type in the browser (localStorage, per recipe),
shows it in place of every `<name>` on the page, and builds what the copy buttons copy. In a
console block each value travels as a shell variable, set on the first lines of the copy
when the reader has filled it in and refused by the shell (`${NAME:?...}`) when nobody has,
so a pasted command can never run with `<name>` in it (a redirection to the shell).
Secrets are never asked for: a browser is no place to keep them.
"""

from __future__ import annotations

import html

from ..ir import Recipe, Variable
from .placeholders import Placeholders

__all__ = ["VALUES_ID", "render_values", "shell_name"]

VALUES_ID = "your-values"
# Names a shell or login already sets: a copy must never pick up the machine's own `$HOST`
# or `$USER` for a value the reader did not give.
_TAKEN = frozenset(
    [
        "HOME",
        "HOST",
        "HOSTNAME",
        "HOSTTYPE",
        "IFS",
        "LANG",
        "LOGNAME",
        "MACHTYPE",
        "MAIL",
        "OLDPWD",
        "OPTARG",
        "OPTIND",
        "OSTYPE",
        "PATH",
        "PPID",
        "PS1",
        "PS2",
        "PWD",
        "RANDOM",
        "SECONDS",
        "SHELL",
        "TERM",
        "TMPDIR",
        "UID",
        "EUID",
        "USER",
        "USERNAME",
        "DISPLAY",
        "EDITOR",
    ]
)


def shell_name(variable: Variable) -> str:
    """The shell variable a copied command reads the value from: the variable's `env:` if it
    declares one (deploybook reads the same), else its name in capitals."""
    name = variable.env or variable.name.upper()
    return f"DEPLOY_{name}" if name in _TAKEN else name


def render_values(recipe: Recipe, placeholders: Placeholders) -> str:
    """The box for the placeholders the page used; call after everything else is rendered."""
    names = placeholders.used_in_order()
    if not names:
        return ""
    rows = "\n".join(_row(recipe, recipe.variable(name)) for name in names if recipe.variable(name))
    return f"""
## Your values {{#{VALUES_ID}}}

<form class="db-values" data-recipe="{html.escape(recipe.id)}" autocomplete="off" markdown="0">
<p>Values in angle brackets, such as <code>&lt;{html.escape(names[0])}&gt;</code>, are yours. deploybook fills them in
for your project when it applies the recipe. Following the page by hand, type each one here once:
the page shows it in every block, and the copy buttons copy it. It stays in this browser only.
A copied command reads each value from a shell variable set on its first lines; one you left
empty stops the command with <code>set NAME first</code> instead of running it with a placeholder.</p>
{rows}
<p><button type="reset" class="md-button db-values__clear">Clear my values</button></p>
</form>
"""


def _row(recipe: Recipe, variable: Variable | None) -> str:
    assert variable is not None
    name, shell = html.escape(variable.name), html.escape(shell_name(variable))
    help_text = html.escape(variable.help)
    if variable.secret:
        how = (
            f"{shell}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
            if variable.generate == "secret"
            else f"read -rs {shell}"
        )
        field = (
            f'<span class="db-values__secret" data-var="{name}" data-shell="{shell}">A secret: not kept in '
            f"the browser. Set it in your shell before pasting: <code>{html.escape(how)}</code></span>"
        )
    else:
        field = (
            f'<input id="db-value-{name}" name="{name}" data-shell="{shell}" spellcheck="false" '
            f'placeholder="&lt;{name}&gt;" aria-describedby="db-help-{name}">'
        )
    return (
        f'<div class="db-values__row"><label for="db-value-{name}"><code>&lt;{name}&gt;</code></label>'
        f'{field}<small id="db-help-{name}">{help_text}</small></div>'
    )
