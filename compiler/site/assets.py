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

/* "Your values" (values_form.py): one row per value, stacked on a narrow screen. */
.md-typeset .db-values {
  border-left: 0.2rem solid var(--md-accent-fg-color);
  padding: 0.1rem 1rem 0.5rem;
  background: var(--md-code-bg-color);
  border-radius: 0.1rem;
}
.md-typeset .db-values__row {
  display: grid;
  grid-template-columns: minmax(7rem, max-content) minmax(0, 16rem) minmax(0, 1fr);
  gap: 0.2rem 0.8rem;
  align-items: baseline;
  margin: 0.4rem 0;
}
.md-typeset .db-values__row input {
  font: inherit;
  font-family: var(--md-code-font-family);
  font-size: 0.75rem;
  padding: 0.15rem 0.4rem;
  width: 100%;
  box-sizing: border-box;
  color: var(--md-default-fg-color);
  background: var(--md-default-bg-color);
  border: 1px solid var(--md-default-fg-color--lighter);
  border-radius: 0.1rem;
}
.md-typeset .db-values__row small {
  color: var(--md-default-fg-color--light);
}
@media (max-width: 44.9375em) {
  .md-typeset .db-values__row {
    grid-template-columns: minmax(0, 1fr);
  }
}
.md-typeset var.db-var--filled {
  font-style: normal;
}

/* Long lines wrap inside their block instead of running off its edge (a 385-character
   command cut off is a command copied blind). Only the display wraps: copy keeps the lines. */
.md-typeset pre > code {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}

/* Long blocks (long_blocks.py): collapsed under their summary, the download link above. */
.md-typeset .db-download {
  margin: 1em 0 -0.4em;
  font-size: 0.68rem;
}
.md-typeset .db-download a::before {
  content: "\\2193\\00a0";
}
.md-typeset details.db-long > .highlight {
  margin: 0.6em 0 0.4em;
}
.md-typeset .db-step--target + .db-download + details.db-long,
.md-typeset .db-step--target + details.db-long {
  box-shadow: 0 0 0 0.1rem var(--md-accent-fg-color);
}
.md-typeset .db-glance__verified {
  font-size: 0.65rem;
  color: var(--md-default-fg-color--light);
}
"""

# Raw: the script's own backslashes (regular expressions, escapes) reach the browser as written.
SCRIPT = r"""
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
// The reader's own values (values_form.py): kept in this browser, shown in place of every
// <name> on the page, and used by the copy buttons. mkdocs-material copies a block's
// `data-copy` when it has one, so each console block that uses a value gets one: shell
// variables set first, then the commands reading them as "${NAME:?set NAME first}", which
// the shell refuses to run while NAME is empty. A placeholder is never pasted as `<name>`.
(function () {
  "use strict";

  function load(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function save(key, values) {
    try {
      localStorage.setItem(key, JSON.stringify(values));
    } catch (error) {
      // Storage refused (a private window): the values still apply to this visit.
    }
  }

  function singleQuoted(value) {
    return "'" + value.replace(/'/g, "'\\''") + "'";
  }

  // The block's lines as parts: text, or a value by name; prompts and output left out.
  function lines(code) {
    var out = [[]];
    function text(value, input) {
      value.split("\n").forEach(function (piece, index) {
        if (index) out.push([]);
        if (piece) out[out.length - 1].push({ text: piece, input: input });
      });
    }
    function walk(node, input) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          text(child.nodeValue, input);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.classList.contains("gp") || child.classList.contains("go")) return;
          var name = child.matches("var.db-var") && child.getAttribute("data-var");
          if (name) out[out.length - 1].push({ name: name, input: input });
          else walk(child, input || child.classList.contains("db-input"));
        }
      });
    }
    walk(code, false);
    return out.filter(function (line) { return line.length; });
  }

  function joined(line) {
    return line.map(function (part) { return part.text || ""; }).join("");
  }

  function consoleCopy(code, values, shells) {
    var used = [];
    var all = lines(code);
    // Here-documents whose lines use a value lose the quotes of their word, so the shell
    // expands (and refuses) ${NAME}; their other `\`, `$` and backquotes are escaped.
    var expand = {};
    for (var i = 0; i < all.length; i++) {
      var start = /<<'([A-Za-z_][A-Za-z0-9_]*)'\s*$/.exec(joined(all[i]));
      if (!start || all[i].some(function (part) { return part.input; })) continue;
      for (var j = i + 1; j < all.length && joined(all[j]) !== start[1]; j++) {
        if (all[j].some(function (part) { return part.name; })) expand[i] = true;
      }
    }
    var quote = null;
    var body = all.map(function (line, index) {
      var input = line.length && line[0].input;
      return line.map(function (part) {
        if (part.name) {
          var shell = shells[part.name] || part.name.toUpperCase();
          if (used.indexOf(part.name) < 0) used.push(part.name);
          var read = "${" + shell + ":?set " + shell + " first}";
          if (input) return read;
          if (quote === '"') return read;
          if (quote === "'") return "'\"" + read + "\"'";
          return '"' + read + '"';
        }
        if (input) return part.text.replace(/[\\$`]/g, "\\$&");
        for (var k = 0; k < part.text.length; k++) {
          var c = part.text[k];
          if (c === "\\" && quote !== "'") k++;
          else if (quote === null && (c === "'" || c === '"')) quote = c;
          else if (c === quote) quote = null;
        }
        return part.text;
      }).join("");
    }).map(function (line, index) {
      return expand[index] ? line.replace(/<<'([A-Za-z_][A-Za-z0-9_]*)'(\s*)$/, "<<$1$2") : line;
    });
    var first = used.filter(function (name) { return values[name]; }).map(function (name) {
      return (shells[name] || name.toUpperCase()) + "=" + singleQuoted(values[name]);
    });
    return first.concat(body).join("\n").replace(/\s+$/, "");
  }

  function apply(values, shells) {
    document.querySelectorAll("var.db-var[data-var]").forEach(function (element) {
      var name = element.getAttribute("data-var");
      var value = values[name];
      element.textContent = value ? value : "<" + name + ">";
      element.classList.toggle("db-var--filled", Boolean(value));
    });
    document.querySelectorAll(".highlight code").forEach(function (code) {
      if (code.querySelector(".gp") && code.querySelector("var.db-var")) {
        code.setAttribute("data-copy", consoleCopy(code, values, shells));
      }
    });
    // A long block's download (long_blocks.py): the file with the reader's values once they
    // have given any it uses, else the site's copy with <name> in it.
    document.querySelectorAll(".db-download a[download]").forEach(function (link) {
      var details = link.closest(".db-download").nextElementSibling;
      var code = details && details.querySelector("code");
      if (!code) return;
      if (!link.hasAttribute("data-static")) link.setAttribute("data-static", link.getAttribute("href"));
      if (link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
      var filled = code.querySelector("var.db-var--filled");
      link.href = filled
        ? URL.createObjectURL(new Blob([code.textContent], { type: "text/plain" }))
        : link.getAttribute("data-static");
    });
  }

  function setup() {
    var form = document.querySelector("form.db-values");
    if (!form) return;
    var key = "deploybook.values." + form.getAttribute("data-recipe");
    var shells = {};
    form.querySelectorAll("[data-shell]").forEach(function (element) {
      shells[element.getAttribute("name") || element.getAttribute("data-var")] = element.getAttribute("data-shell");
    });
    var inputs = form.querySelectorAll("input[name]");
    var values = load(key);
    inputs.forEach(function (input) {
      input.value = values[input.name] || "";
    });
    function update() {
      values = {};
      inputs.forEach(function (input) {
        if (input.value.trim()) values[input.name] = input.value.trim();
      });
      save(key, values);
      apply(values, shells);
    }
    form.addEventListener("input", update);
    form.addEventListener("reset", function () {
      setTimeout(update, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    apply(values, shells);
  }

  // Printed, a long block is there in full: a page of paper has no "show".
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.db-long").forEach(function (details) {
      details.open = true;
    });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
"""
