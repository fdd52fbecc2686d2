"""resolve() and split_settings(): choices, where each value comes from, substitution, secrets.

fixtures/values.md declares one variable for each source of values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from deploybook.compiler import (
    DeploybookError,
    Recipe,
    Resolution,
    compile_bytes,
    compile_file,
    resolve,
    split_settings,
)
from deploybook.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures"
SLUG = {"project_slug": "blog"}


@pytest.fixture(scope="module")
def recipe() -> Recipe:
    result = compile_file(FIXTURES / "values.md", display="fixtures/values.md")
    assert result.recipe is not None, [d.format() for d in result.diagnostics]
    return result.recipe


def resolved(recipe: Recipe, **kwargs: object) -> Resolution:
    kwargs.setdefault("facts", SLUG)
    kwargs.setdefault("given", {"db_password": "hunter2"})
    return resolve(recipe, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "environ", "captured", "facts", "value"),
    [
        ({"region": "us"}, {"APP_REGION": "ap"}, {"region": "cap"}, {"region": "fact"}, "us"),  # --set first
        ({}, {"APP_REGION": "ap"}, {"region": "cap"}, {"region": "fact"}, "ap"),  # then the env: name
        ({}, {"DEPLOYBOOK_REGION": "ap"}, {}, {"region": "fact"}, "fact"),  # which replaces DEPLOYBOOK_REGION
        ({}, {}, {"region": "cap"}, {"region": "fact"}, "cap"),  # then a captured value
        ({}, {}, {}, {"region": "fact"}, "fact"),  # then a project fact
        ({}, {}, {}, {}, "eu"),  # then the default
    ],
)
def test_precedence(
    recipe: Recipe,
    given: dict[str, str],
    environ: dict[str, str],
    captured: dict[str, str],
    facts: dict[str, str],
    value: str,
) -> None:
    resolution = resolved(
        recipe, given={"db_password": "pw", **given}, environ=environ, captured=captured, facts={**SLUG, **facts}
    )
    assert resolution.values["region"] == value


def test_deploybook_prefixed_environment_variable(recipe: Recipe) -> None:
    resolution = resolved(recipe, environ={"DEPLOYBOOK_PROJECT_SLUG": "shop"}, facts={"project_slug": "blog"})
    assert resolution.values["project_slug"] == "shop"
    assert resolution.values["app_name"] == "shop-app"


def test_defaults_use_other_variables_transitively(recipe: Recipe) -> None:
    values = resolved(recipe).values
    assert (values["app_name"], values["app_host"]) == ("blog-app", "blog-app.example.com")
    values = resolved(recipe, given={"db_password": "pw", "app_name": "shop"}, facts={}).values
    assert values["app_host"] == "shop.example.com"  # a given value feeds the defaults that use it
    assert "project_slug" not in values  # only app_name's default needs it: not looked up, not missing


def test_generated_secret_only_when_no_value_is_given(recipe: Recipe) -> None:
    first, second = resolved(recipe).values["secret_key"], resolved(recipe).values["secret_key"]
    assert len(first) >= 50
    assert first != second
    assert resolved(recipe, given={"db_password": "pw", "secret_key": "mine"}).values["secret_key"] == "mine"


def test_substitution_into_every_kind_of_step(recipe: Recipe) -> None:
    resolution = resolved(recipe, given={"db_password": "pw", "app_name": "my app; rm -rf ~"})
    steps = {s.step.id: s for s in resolution.steps}
    assert [c.argv for c in steps["create"].commands] == [("platform", "create", "my app; rm -rf ~", "--region", "eu")]
    assert steps["create"].commands[0].expected == ("Created my app; rm -rf ~ in eu",)
    assert steps["create"].commands[0].display() == "platform create 'my app; rm -rf ~' --region eu"
    assert steps["env"].pairs[1] == ("DJANGO_ALLOWED_HOSTS", "my app; rm -rf ~.example.com")
    assert (steps["config"].file, steps["config"].text) == (
        "my app; rm -rf ~.toml",
        'host = "my app; rm -rf ~.example.com"\n',
    )
    assert steps["raw"].text == "{{ app_name }} stays as it is\n"  # template="off"


def test_choices_select_the_variant(recipe: Recipe) -> None:
    postgres = [s.step.id for s in resolved(recipe).steps]
    assert postgres == ["env", "create", "database", "config", "raw"]
    with pytest.raises(DeploybookError):  # the sqlite variant needs loop_a, which cannot be had
        resolved(recipe, choices={"db": "sqlite"}).require_complete()
    sqlite = resolved(recipe, choices={"db": "sqlite"}, given={"loop_a": "x"})
    assert [s.step.id for s in sqlite.steps] == ["env", "create", "config", "raw", "loop"]
    assert dict(sqlite.choices) == {"db": "sqlite"}
    assert "db_password" not in sqlite.values  # only the chosen variant's variables are looked up


def test_missing_values_are_all_named_in_one_error(recipe: Recipe) -> None:
    resolution = resolve(recipe)
    assert [v.name for v in resolution.missing] == ["project_slug", "app_name", "app_host", "db_password"]
    with pytest.raises(DeploybookError) as caught:
        resolution.require_complete()
    assert str(caught.value) == (
        "recipe 'values' needs a value for project_slug, app_name, app_host, db_password:\n"
        "  project_slug: The project's name as a slug (found by deploybook) (fixtures/values.md:15:1)\n"
        "  app_name: Name of the app (fixtures/values.md:9:1)\n"
        "  app_host: The app's host name (fixtures/values.md:12:1)\n"
        "  db_password: The database password (fixtures/values.md:23:1)\n"
        "  hint: pass --set project_slug=VALUE, or set DEPLOYBOOK_PROJECT_SLUG in the environment"
    )


def test_defaults_that_use_each_other_are_missing_not_endless(recipe: Recipe) -> None:
    with pytest.raises(DeploybookError) as caught:
        resolved(recipe, choices={"db": "sqlite"}).require_complete()
    assert caught.value.message.startswith("recipe 'values' needs a value for loop_b, loop_a:")


def test_missing_values_leave_placeholders_and_generate_nothing(recipe: Recipe) -> None:
    resolution = resolve(recipe, generate_secrets=False)
    steps = {s.step.id: s for s in resolution.steps}
    assert steps["create"].commands[0].argv == ("platform", "create", "{{ app_name }}", "--region", "eu")
    assert steps["env"].pairs == (("DJANGO_SECRET_KEY", "{{ secret_key }}"), ("DJANGO_ALLOWED_HOSTS", "{{ app_host }}"))
    assert steps["config"].file == "{{ app_name }}.toml"
    assert "secret_key" not in resolution.values


def test_secrets_are_redacted(recipe: Recipe) -> None:
    resolution = resolved(recipe)
    key, password = resolution.values["secret_key"], resolution.values["db_password"]
    assert resolution.secret_values == {key, password}
    text = f"DJANGO_SECRET_KEY={key} --password {password} host blog-app.example.com"
    assert resolution.redact(text) == "DJANGO_SECRET_KEY=******** --password ******** host blog-app.example.com"


def test_a_value_made_from_a_secret_is_a_secret_too(tmp_path: Path) -> None:
    path = tmp_path / "derived.md"
    path.write_text(
        "---\nid: derived\ntitle: Derived\nversion: 1\nsummary: A URL made from a password.\nvariables:\n"
        '  password:\n    help: "A password"\n    secret: true\n'
        '  url:\n    help: "A URL"\n    default: "postgres://app:{{ password }}@db/app"\n---\n\n# Derived\n\n'
        '## Set it {#set}\n\n```dotenv {step="env" action="env"}\nDATABASE_URL={{ url }}\n```\n',
        encoding="utf-8",
    )
    derived = compile_file(path).recipe
    assert derived is not None
    resolution = resolve(derived, given={"password": "hunter2"})
    assert resolution.secret_values == {"hunter2", "postgres://app:hunter2@db/app"}
    assert resolution.redact("url postgres://app:hunter2@db/app") == "url ********"


def test_an_empty_secret_redacts_nothing(recipe: Recipe) -> None:
    resolution = resolved(recipe, given={"db_password": "", "secret_key": "s3cret"})
    assert resolution.redact("password '' and s3cret") == "password '' and ********"


def test_split_settings_sorts_axes_from_variables(recipe: Recipe) -> None:
    assert split_settings(recipe, {}) == ({"db": "postgres"}, {})
    assert split_settings(recipe, {"db": "sqlite", "region": "us"}) == ({"db": "sqlite"}, {"region": "us"})


@pytest.mark.parametrize(
    ("given", "text"),
    [
        (
            {"db": "oracle"},
            "recipe 'values' has no db=oracle\n  hint: choose one of: db=postgres, db=sqlite",
        ),
        (
            {"colour": "blue"},
            "recipe 'values' has no axis or variable named 'colour'\n  hint: known names: db, app_name, app_host, "
            "project_slug, region, secret_key, db_password, loop_a, loop_b",
        ),
    ],
)
def test_split_settings_errors(recipe: Recipe, given: dict[str, str], text: str) -> None:
    with pytest.raises(DeploybookError) as caught:
        split_settings(recipe, given)
    assert str(caught.value) == text


TYPED = b"""---
id: typed
title: Typed
version: 1
summary: Variables with types.
variables:
  host:
    help: "The server"
    type: address
  port:
    help: "The port"
    type: port
    default: "8000"
  domain:
    help: "A domain, or none"
    type: hostname
    default: ""
  title:
    help: "A title"
    default: "My blog"
  code:
    help: "A code"
    pattern: "[A-Z]{3}"
    error: "write three capital letters, such as ABC"
---

# Typed

## Configure {#configure}

```toml {step="conf" action="write" file="app.toml"}
host = "{{ host }}"
port = {{ port }}
domain = "{{ domain }}"
title = "{{ title }}"
code = "{{ code }}"
```
"""


def typed(given: dict[str, str]) -> Resolution:
    result = compile_bytes(TYPED, Path("typed.md"))
    assert result.recipe is not None, [d.format() for d in result.diagnostics]
    return resolve(result.recipe, given=given)


def test_values_that_fit_their_types_are_used_and_escaped_for_the_file() -> None:
    resolution = typed({"host": "2001:db8::1", "code": "ABC", "title": 'The "best" blog'})
    assert resolution.invalid == ()
    [conf] = resolution.steps
    assert conf.text.splitlines()[0] == 'host = "2001:db8::1"'  # type: ignore[attr-defined]
    assert tomlkit.parse(conf.text)["title"] == 'The "best" blog'  # type: ignore[attr-defined]
    assert 'domain = ""' in conf.text, "an empty value is allowed where the default is empty"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"host": "", "code": "ABC"}, "host = '': it is empty (typed.md:7:1)"),
        ({"host": "bad host;rm", "code": "ABC"}, "host = 'bad host;rm': it must be an IP address or a host name"),
        ({"host": "a.example", "code": "ABC", "port": "99999"}, "port = '99999': it must be a port number"),
        ({"host": "a.example", "code": "abc"}, "code = 'abc': write three capital letters, such as ABC"),
        ({"host": "a.example", "code": "ABC", "title": "two\nlines"}, "title = 'two\\nlines': it must be one line"),
        ({"host": "a.example", "code": "ABC", "port": "80 # x"}, "port = '80 # x': it must be a port number"),
    ],
)
def test_a_value_that_does_not_fit_is_named_with_what_it_must_be(given: dict[str, str], expected: str) -> None:
    resolution = typed(given)
    with pytest.raises(UsageError) as caught:
        resolution.require_complete()
    assert expected in str(caught.value)
    assert "nothing was changed" in str(caught.value)
