"""The notes that retired step ids lead to: "this step was removed, here is what replaced it".

A removed step's anchor and short link stay published (see links.py); they land here, on a
note the recipe writes in its front matter, never on a different step.
"""

from __future__ import annotations

import html

from ..ir import Recipe

__all__ = ["RETIRED_ID", "render_retired"]

RETIRED_ID = "removed-steps"


def render_retired(recipe: Recipe) -> str:
    if not recipe.retired:
        return ""
    notes = "\n".join(
        f"""<div class="admonition note db-retired" id="step-{html.escape(step)}" markdown>
<p class="admonition-title">This step was removed: <code>{html.escape(step)}</code></p>

{note}

The rest of this page is the current recipe, version {recipe.version}.

</div>
"""
        for step, note in recipe.retired.items()
    )
    return f"""
## Removed steps {{#{RETIRED_ID}}}

Links printed in books and courses may point to steps this recipe no longer has. They lead here,
to what replaced each one.

{notes}"""
