"""The stylesheet and script recipe pages need, served by the hook from the package itself,
so the site works from a checkout and from an installed deploybook alike."""

from __future__ import annotations

__all__ = ["SCRIPT", "SCRIPT_PATH", "STYLESHEET", "STYLESHEET_PATH"]

STYLESHEET_PATH = "assets/deploybook/recipes.css"
SCRIPT_PATH = "assets/deploybook/recipes.js"

STYLESHEET = """\
/* Console blocks: copy and select the commands only (see console_html.py). */
.md-typeset .highlight .gp,
.md-typeset .highlight .go {
  user-select: none;
  -webkit-user-select: none;
}
.md-typeset .highlight code[data-md-copying] .gp,
.md-typeset .highlight code[data-md-copying] .go {
  display: none;
}

/* Placeholders such as <app_name>: values the reader supplies. */
.md-typeset var.db-var {
  font-style: italic;
  color: var(--md-accent-fg-color);
  cursor: help;
}
.md-typeset .highlight var.db-var {
  color: inherit;
  font-weight: 600;
}

/* Step captions: what deploybook does with the block, and the step's permanent link. */
.md-typeset .db-step {
  display: flex;
  justify-content: space-between;
  align-items: baseline;
  gap: 1em;
  margin: 1.2em 0 -0.6em;
  font-size: 0.68rem;
  color: var(--md-default-fg-color--light);
  scroll-margin-top: 4.5rem;
}
.md-typeset .db-step__link {
  white-space: nowrap;
  color: var(--md-default-fg-color--light);
}
.md-typeset .db-step__link::before {
  content: "#";
  margin-right: 0.1em;
  opacity: 0.6;
}
.md-typeset .db-step--target + .highlight,
.md-typeset .db-step--target + div > .highlight {
  box-shadow: 0 0 0 0.1rem var(--md-accent-fg-color);
  border-radius: 0.1rem;
}
.md-typeset .db-nothing {
  color: var(--md-default-fg-color--light);
  font-style: italic;
}
.md-typeset .db-when {
  font-size: 0.85em;
  color: var(--md-default-fg-color--light);
}

/* The top of a recipe page. */
.md-typeset .db-glance {
  border-left: 0.2rem solid var(--md-primary-fg-color);
  padding: 0.1rem 1rem;
  margin: 1em 0 2em;
  background: var(--md-code-bg-color);
  border-radius: 0.1rem;
}
.md-typeset .db-glance__summary {
  font-size: 0.85rem;
}
.md-typeset .db-glance__version {
  display: inline-block;
  margin-right: 0.5em;
  padding: 0 0.5em;
  border-radius: 1em;
  font-size: 0.65rem;
  font-weight: 700;
  background: var(--md-primary-fg-color);
  color: var(--md-primary-bg-color);
  vertical-align: 0.1em;
}
"""

SCRIPT = """\
// Land a link to a step on a visible copy of it. A step inside a content tab the reader has
// not chosen is hidden, and the browser cannot scroll to it: show the step's variant in the
// chosen tab if there is one, else switch to the tab that holds the step. Then choose the
// same variant in every tab set of the page, so the page reads as one path (PostgreSQL
// throughout, not PostgreSQL here and SQLite there).
(function () {
  "use strict";

  function isVisible(element) {
    return element.getClientRects().length > 0;
  }

  function labelOf(set, input) {
    return set.querySelector('label[for="' + input.id + '"]');
  }

  // The labels of the tabs that hold the element, outermost first.
  function tabsAround(element) {
    var labels = [];
    for (var block = element.closest(".tabbed-block"); block; block = block.parentElement.closest(".tabbed-block")) {
      var set = block.closest(".tabbed-set");
      var index = Array.prototype.indexOf.call(block.parentElement.children, block);
      var input = set.querySelectorAll(":scope > input")[index];
      var label = input && labelOf(set, input);
      if (label) labels.unshift(label.textContent.trim());
    }
    return labels;
  }

  // Choose the tab named `text` in every tab set that has one, and remember the choice the
  // way mkdocs-material does (its linked tabs restore it on the next page).
  function choose(text) {
    document.querySelectorAll(".tabbed-set").forEach(function (set) {
      set.querySelectorAll(":scope > input").forEach(function (input) {
        var label = labelOf(set, input);
        if (label && label.textContent.trim() === text && !input.checked) input.click();
      });
    });
    if (typeof window.__md_get === "function" && typeof window.__md_set === "function") {
      var chosen = window.__md_get("__tabs") || [];
      window.__md_set("__tabs", [text].concat(chosen.filter(function (old) { return old !== text; })));
    }
  }

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("step-") !== 0) return;
    var target = document.getElementById(id);
    if (!target) return;
    var step = target.closest(".db-step") || target;
    if (!isVisible(step)) {
      var twins = document.querySelectorAll('.db-step[data-step="' + step.getAttribute("data-step") + '"]');
      var twin = Array.prototype.find.call(twins, isVisible);
      if (twin) step = twin;
    }
    tabsAround(step).forEach(choose);
    document.querySelectorAll(".db-step--target").forEach(function (old) {
      old.classList.remove("db-step--target");
    });
    step.classList.add("db-step--target");
    // After mkdocs-material has synchronised linked tabs, which moves the page.
    requestAnimationFrame(function () {
      step.scrollIntoView({ block: "start" });
    });
  }

  window.addEventListener("hashchange", reveal);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(reveal);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
"""
