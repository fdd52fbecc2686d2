"""The top of a recipe page: version, what you need, the command that applies it, what it
changes (the box for the reader's own values follows it: values_form.py)."""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..ir import Recipe
from .changes import changes_table
from .placeholders import Placeholders

__all__ = ["CHANGES_ID", "render_glance"]

CHANGES_ID = "what-changes"
# Filled in by deploybook from the project, so the reader never picks these.
DETECTED_AXES = {"pkg"}


def render_glance(
    recipe: Recipe,
    placeholders: Placeholders,
    labels: Mapping[tuple[str, str], str],
    getting_started: str | None = None,
) -> str:
    table = changes_table(recipe, placeholders.hide, labels)
    return f"""<div class="db-glance" markdown>

<span class="db-glance__version">Recipe version {recipe.version}</span>{_verified(recipe)}
{html.escape(recipe.summary)}
{{: .db-glance__summary }}
{_outcome(recipe)}
**You need** {_needs(recipe, getting_started)}
{_prerequisites(recipe)}{_cost(recipe)}
**Apply it** from the folder that holds your project's `manage.py`:

```console
$ python manage.py deploy {recipe.id}
```

It changes your project in one step you review with `git diff`; `--dry-run` shows the change
without writing it. `--automate-all` also runs the platform commands.{_variants(recipe, labels)}

</div>

## What this recipe changes {{#{CHANGES_ID}}}

{table}"""


def _verified(recipe: Recipe) -> str:
    # Beside the version: how fresh the page's platform facts are.
    day = recipe.reader.verified
    return f' <span class="db-glance__verified">last verified on the platform {day}</span>' if day else ""


def _outcome(recipe: Recipe) -> str:
    return f"\n**What you will have at the end:** {recipe.reader.outcome}\n" if recipe.reader.outcome else ""


def _prerequisites(recipe: Recipe) -> str:
    if not recipe.reader.prerequisites:
        return ""
    items = "\n".join(f"- {item}" for item in recipe.reader.prerequisites)
    return f"\n**Before you start**\n\n{items}\n"


def _cost(recipe: Recipe) -> str:
    return f"\n**Rough monthly cost** {recipe.reader.cost}\n" if recipe.reader.cost else ""


def _needs(recipe: Recipe, getting_started: str | None) -> str:
    project = "a Django project committed to git, with deploybook installed"
    if getting_started:
        project += f" ([getting started]({getting_started}))"
    if not recipe.requires:
        return project + "."
    tools = [f"`{tool}`" for tool in recipe.requires]
    listed = tools[0] if len(tools) == 1 else ", ".join(tools[:-1]) + " and " + tools[-1]
    noun = "tool" if len(tools) == 1 else "tools"
    return f"{project}, and the {listed} command-line {noun} to run the platform commands."


def _variants(recipe: Recipe, labels: Mapping[tuple[str, str], str]) -> str:
    sentences = []
    for axis in recipe.axes:
        if axis.name in DETECTED_AXES:
            sentences.append(f" deploybook picks the `{axis.name}` variant from your project.")
            continue
        others = " or ".join(f"`--set {axis.name}={value}`" for value in axis.values[1:])
        default = labels.get((axis.name, axis.default), axis.default)
        if others:
            sentences.append(f" It sets up {default}; choose another {axis.name} with {others}.")
    return "".join(sentences)


def _cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "&#124;").replace("\n", " ")
