"""Recipe pages rendered from a recipe's source and its IR (through the public API)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_helpers import demo, demo_page, demo_text, write_recipe

from deploybook.compiler.site import changes, load_recipes, render_page
from deploybook.compiler.site.console_html import commands_only_copy
from deploybook.compiler.site.fences import display_info
from deploybook.errors import DeploybookError


def test_front_matter_goes_and_partials_come_in() -> None:
    markdown = demo_page().markdown
    front, body = markdown.split("---\n", 2)[1:]
    assert set(re.findall(r"^(\w+):", front, re.M)) == {"title", "description"}
    assert "aliases:" not in body and "--8<--" not in body
    assert "## Harden the settings {#settings}" in body  # the partial, inline
    assert body.index("{#settings}") < body.index("{#procfile}")  # where it was included


def test_the_page_starts_with_version_needs_command_and_changes() -> None:
    body = demo_page().markdown.split("---\n", 2)[2]
    top = body[: body.index("Demo Cloud runs your app")]  # everything before the recipe's intro
    assert top.lstrip().startswith("# Deploy a Django project to Demo Cloud")
    assert "Recipe version 2" in top
    assert "the `demo` and `git` command-line tools" in top
    assert "$ python manage.py deploy demo\n" in top
    assert "## What this recipe changes {#what-changes}" in top
    assert "--set db=sqlite" in top


def test_fence_metadata_keeps_only_what_superfences_shows() -> None:
    markdown = demo_page().markdown
    openings = re.findall(r"^\s*```.*$", markdown, re.M)
    assert '```text {title="Procfile"}' in [line.strip() for line in openings]
    for line in openings:
        assert not re.search(r"\b(step|action|when|file|label|template|run|capture)=", line), line
        # never the option form (key="value" outside braces), which breaks the page silently
        assert not re.match(r"^\s*```\w+ \w+=", line), line


def test_display_info_drops_step_keys_and_keeps_the_brace_form() -> None:
    info = 'python {title="settings.py" step="s" action="append" file="x" hl_lines="2 3"}'
    assert display_info(info) == 'python {title="settings.py" hl_lines="2 3"}'
    assert display_info('console {step="x" action="run"}') == "console"
    assert display_info("") == ""


def test_when_variants_become_tabs_with_a_tab_for_every_value() -> None:
    markdown = demo_page().markdown
    driver = markdown[markdown.index("{#driver}") : markdown.index("{#create}")]
    # label= of a variant names that value's tab everywhere on the page, so tabs link
    assert re.findall(r'^=== "(.*)"$', driver, re.M) == ["PostgreSQL", "sqlite"]
    assert "Nothing to do here with sqlite." in driver
    assert '    ```text {title="requirements"}\n    psycopg[binary]>=3.1\n    ```' in driver


def test_each_step_has_one_permanent_anchor_and_aliases_keep_old_ones() -> None:
    markdown = demo_page().markdown
    recipe = demo().recipe
    for step_id in recipe.step_ids():
        assert markdown.count(f"{{: #step-{step_id} ") == 1, step_id
    # both variants of `database` are marked as that step, for landing on the visible one
    assert markdown.count('data-step="database"') == 2
    assert '<span id="step-make-app" class="db-step__alias"></span>' in markdown


def test_placeholders_show_as_values_in_angle_brackets() -> None:
    page = demo_page()
    assert "{{ app_name }}" not in page.markdown.replace("<title>{{ app_name }}</title>", "")
    html = page.finish_html('<p title="XDBVAR0X"><code>demo apps create XDBVAR0X</code></p>')
    assert html == (
        '<p title="&lt;app_name&gt;"><code>demo apps create '
        '<var class="db-var" data-var="app_name" title="Name of the app on Demo Cloud">'
        "&lt;app_name&gt;</var></code></p>"
    )
    assert (
        '<small id="db-help-project_dir">The folder holding manage.py</small>' in page.markdown
    )  # explained on the page


def test_template_off_blocks_keep_their_braces() -> None:
    assert "<title>{{ app_name }}</title>" in demo_page().markdown


def test_changes_come_from_the_ir() -> None:
    found = {(c.kind, c.text) for c in changes(demo().recipe)}
    assert found == {
        ("append", "mysite/settings.py"),
        ("write", "Procfile"),
        ("write", "templates/base.html"),
        ("requirements", "psycopg[binary]>=3.1"),
        ("local", "demo apps create {{ app_name }}"),
        ("local", "demo open {{ app_name }}"),
        ("local", "demo db create --app {{ app_name }}"),
        ("local", "demo volumes create data --app {{ app_name }}"),
    }


def test_changes_table_says_which_variant_needs_what() -> None:
    markdown = demo_page().markdown
    table = markdown[markdown.index("| Change | What |") : markdown.index("## Your values")]
    assert "| Writes | [`Procfile`](#step-procfile)<br>[`templates/base.html`](#step-base-template) |" in table
    assert "| Appends to | [`mysite/settings.py`](#step-settings) |" in table
    assert '[`psycopg[binary]>=3.1`](#step-driver) <span class="db-when">only with PostgreSQL</span>' in table
    assert '[`demo volumes create data --app XDBVAR0X`](#step-database) <span class="db-when">only with sqlite' in table
    assert "check --deploy" not in table  # a test step changes nothing


def test_console_output_lines_take_their_line_break_along() -> None:
    html = '<span class="gp">$ </span>ls\n<span class="go">a.txt</span>\n<span class="go">...</span>\n'
    assert commands_only_copy(html) == (
        '<span class="gp">$ </span>ls\n<span class="go">a.txt\n</span><span class="go">...\n</span>'
    )


def test_a_here_documents_lines_are_copied_with_their_command() -> None:
    html = (
        '<span class="gp">$ </span>plat<span class="w"> </span>import<span class="w"> </span>'
        '&lt;&lt;<span class="s1">&#39;EOF&#39;</span>\n'
        '<span class="go">KEY=XDBVAR0X</span>\n<span class="go">EOF</span>\n<span class="go">Staged</span>\n'
    )
    copied = commands_only_copy(html)
    assert '<span class="db-input">KEY=XDBVAR0X</span>\n<span class="db-input">EOF</span>\n' in copied
    assert copied.endswith('<span class="go">Staged\n</span>'), "the output after EOF is still output"


def test_a_here_document_after_a_command_continued_over_lines_is_copied_too() -> None:
    html = (
        '<span class="gp">$ </span>plat<span class="w"> </span>import<span class="w"> </span>'
        '<span class="se">\\</span>\n'
        '<span class="w">    </span>--app<span class="w"> </span>x<span class="w"> </span>'
        "&lt;&lt;<span class=\"s1\">'EOF'</span>\n"
        '<span class="go">KEY=XDBVAR0X</span>\n<span class="go">EOF</span>\n<span class="go">Staged</span>\n'
    )
    copied = commands_only_copy(html)
    assert '<span class="db-input">KEY=XDBVAR0X</span>\n<span class="db-input">EOF</span>\n' in copied
    assert copied.endswith('<span class="go">Staged\n</span>')
    unrelated = '<span class="w"> </span>&lt;&lt;<span class="s1">\'EOF\'</span>\n<span class="go">KEY=1</span>\n'
    assert "db-input" not in commands_only_copy(unrelated), "only a command line starts a here-document"


def test_a_recipe_without_title_heading_gets_one(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text().replace("# Deploy a Django project to Demo Cloud\n", ""))
    (loaded,) = load_recipes(tmp_path)
    markdown = render_page(loaded.recipe, loaded.segments).markdown
    assert "\n# Demo Cloud\n" in markdown


def test_axis_labels_declared_once_name_every_tab_of_their_value(tmp_path: Path) -> None:
    text = demo_text().replace("  db: [postgres, sqlite]\n", "  db: {postgres: Postgres DB, sqlite: SQLite}\n")
    assert text != demo_text()
    write_recipe(tmp_path, text)
    (loaded,) = load_recipes(tmp_path)
    assert [loaded.recipe.axis("db").label(v) for v in ("postgres", "sqlite")] == ["Postgres DB", "SQLite"]  # type: ignore[union-attr]
    markdown = render_page(loaded.recipe, loaded.segments).markdown
    tabs = set(re.findall(r'^\s*=== "(.*)"$', markdown, re.M))
    assert tabs == {"Postgres DB", "SQLite"}  # the axis's words win over a fence's label=
    assert "Nothing to do here with SQLite." in markdown


def test_an_axis_label_must_be_words(tmp_path: Path) -> None:
    write_recipe(
        tmp_path, demo_text().replace("  db: [postgres, sqlite]\n", "  db: {postgres: PostgreSQL, sqlite: 3}\n")
    )
    with pytest.raises(DeploybookError, match=r"demo.md:8:1: DB008 axis 'db' needs a label in words for each value"):
        load_recipes(tmp_path, root=tmp_path)


def test_the_top_of_the_page_gives_what_a_reader_expects_before_starting(tmp_path: Path) -> None:
    facts = (
        "verified: 2026-11-30\ncost: About $5 a month.\noutcome: Your project live at its own address.\n"
        'prerequisites: ["A Demo Cloud account"]\n'
    )
    write_recipe(tmp_path, demo_text().replace("axes:\n", facts + "axes:\n", 1))
    (loaded,) = load_recipes(tmp_path)
    top = render_page(loaded.recipe, loaded.segments).markdown
    top = top[: top.index("## What this recipe changes")]
    assert "Recipe version 2</span> <span" in top and "last verified on the platform 2026-11-30" in top
    assert "**Before you start**\n\n- A Demo Cloud account\n" in top
    assert "**Rough monthly cost** About $5 a month." in top
    assert "**What you will have at the end:** Your project live at its own address." in top


def test_reader_facts_are_optional_but_checked(tmp_path: Path) -> None:
    (loaded,) = load_recipes(write_recipe(tmp_path, demo_text()).parent)
    assert "last verified" not in render_page(loaded.recipe, loaded.segments).markdown
    write_recipe(tmp_path, demo_text().replace("axes:\n", "verified: last week\naxes:\n", 1))
    with pytest.raises(DeploybookError, match=r"demo.md:7:1: DB008 'verified' must be a date"):
        load_recipes(tmp_path, root=tmp_path)


LONG_SCRIPT = "".join(f"echo 'line {n} of {{{{ app_name }}}}'\n" for n in range(1, 46))
LONG_STEP = f"""
## Run the long script {{#long}}

```sh {{title="deploy/{{{{ app_name }}}}.sh" step="long-script" action="write" file="deploy/{{{{ app_name }}}}.sh"}}
{LONG_SCRIPT}```

```console {{step="long-run" action="run"}}
{"".join(f"$ demo ping {n}" + chr(10) for n in range(1, 46))}```
"""


def test_a_long_block_is_collapsed_under_a_summary_with_a_download_of_its_text(tmp_path: Path) -> None:
    write_recipe(tmp_path, demo_text().replace("## Check it {#check}\n", LONG_STEP + "\n## Check it {#check}\n"))
    (loaded,) = load_recipes(tmp_path)
    page = render_page(loaded.recipe, loaded.segments)
    markdown = page.markdown
    # its caption (the step's anchor) stays in view; the code is inside the collapsed block
    caption = markdown.index("{: #step-long-script ")
    details = markdown.index('??? abstract db-long "deploy/XDBVAR0X.sh: 45 lines"\n', caption)
    assert (
        markdown.index('[Download app_name.sh](demo/files/long-script/app_name.sh){ download="app_name.sh" }') < details
    )
    assert "\n    ```sh {title=\"deploy/XDBVAR0X.sh\"}\n    echo 'line 1 of XDBVAR0X'\n" in markdown
    # the file is the block as the page shows it, values as <name>
    assert page.downloads == {
        "recipes/demo/files/long-script/app_name.sh": LONG_SCRIPT.replace("{{ app_name }}", "<app_name>")
    }
    # a long console block is collapsed too; its commands are taken with the copy button
    assert '??? abstract db-long "45 lines"\n' in markdown
    # short blocks stay as they are
    assert '\n```text {title="Procfile"}\n' in markdown and markdown.count("db-long") == 2
