"""fixtures/kitchen-sink.md uses every feature of the recipe language; this is the IR it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploybook import compiler
from deploybook.compiler import (
    AddRequirements,
    AppendBlock,
    Capture,
    EnvVars,
    Message,
    Processes,
    Recipe,
    RunCommands,
    SourceSpan,
    WriteFile,
    compile_file,
)

FIXTURES = Path(__file__).parent / "fixtures"
RECIPE = "fixtures/kitchen-sink.md"
PARTIAL = "fixtures/_partials/shared.md"


@pytest.fixture(scope="module")
def recipe() -> Recipe:
    result = compile_file(FIXTURES / "kitchen-sink.md", display=RECIPE)
    assert result.diagnostics == ()
    assert result.recipe is not None
    return result.recipe


def test_header(recipe: Recipe) -> None:
    assert (recipe.id, recipe.title, recipe.version) == ("kitchen-sink", "Kitchen sink", 3)
    assert recipe.summary == "Every feature of the recipe language in one valid recipe."
    assert recipe.requires == ("fly", "git")
    assert [(a.name, a.values, a.default, str(a.span)) for a in recipe.axes] == [
        ("db", ("postgres", "sqlite"), "postgres", f"{RECIPE}:8:1"),
        ("server", ("gunicorn", "uvicorn"), "gunicorn", f"{RECIPE}:9:1"),
    ]
    assert dict(recipe.aliases) == {"dockerfile-old": "dockerfile"}
    assert recipe.partials == (PARTIAL,)


def test_variables_recipe_first_then_the_partials(recipe: Recipe) -> None:
    shown = [(v.name, str(v.span), v.default, v.secret, v.generate, v.env) for v in recipe.variables]
    assert shown == [
        ("app_name", f"{RECIPE}:11:1", "{{ project_slug }}-app", False, None, None),
        ("project_slug", f"{RECIPE}:14:1", None, False, None, None),
        ("secret_key", f"{RECIPE}:15:1", None, True, "secret", None),
        ("deploy_host", f"{RECIPE}:18:1", None, False, None, "DEPLOY_HOST"),
        ("app_url", f"{RECIPE}:21:1", None, False, None, None),
        ("settings_path", f"{PARTIAL}:4:1", None, False, None, None),
    ]
    assert recipe.variable("secret_key") is not None
    assert recipe.variable("secret_key").help == "Django's SECRET_KEY in production"  # type: ignore[union-attr]


def test_sections_in_page_order_with_the_partials_in_place(recipe: Recipe) -> None:
    assert [(s.id, s.level, s.explicit_id, str(s.span)) for s in recipe.sections] == [
        ("deploy-the-kitchen-sink", 1, False, f"{RECIPE}:26:1"),
        ("shared-settings", 2, True, f"{PARTIAL}:7:1"),
        ("dockerfile", 2, True, f"{RECIPE}:36:1"),
        ("settings", 2, True, f"{RECIPE}:48:1"),
        ("packages", 2, True, f"{RECIPE}:54:1"),
        ("platform", 2, True, f"{RECIPE}:64:1"),
        ("create-app", 2, True, f"{RECIPE}:78:1"),
        ("check", 2, True, f"{RECIPE}:103:1"),
        ("next-steps", 2, True, f"{RECIPE}:110:1"),
    ]


def test_steps_in_page_order(recipe: Recipe) -> None:
    shown = [(s.id, s.action, s.section, str(s.span), tuple(map(str, s.when))) for s in recipe.steps]
    assert shown == [
        ("shared-settings", "append", "shared-settings", f"{PARTIAL}:9:1", ()),
        ("postgres-driver", "requirements", "shared-settings", f"{PARTIAL}:13:1", ("db=postgres",)),
        ("dockerfile", "write", "dockerfile", f"{RECIPE}:38:1", ()),
        ("start-script", "write", "dockerfile", f"{RECIPE}:43:1", ()),
        ("settings", "append", "settings", f"{RECIPE}:50:1", ()),
        ("server", "requirements", "packages", f"{RECIPE}:56:1", ("server=gunicorn",)),
        ("server", "requirements", "packages", f"{RECIPE}:60:1", ("server=uvicorn",)),
        ("platform-env", "env", "platform", f"{RECIPE}:66:1", ()),
        ("processes", "processes", "platform", f"{RECIPE}:72:1", ()),
        ("create-app", "run", "create-app", f"{RECIPE}:80:1", ()),
        ("read-url", "run", "create-app", f"{RECIPE}:90:1", ()),
        ("add-postgres", "run", "create-app", f"{RECIPE}:95:1", ("db=postgres", "server=gunicorn|uvicorn")),
        ("restart", "run", "create-app", f"{RECIPE}:99:1", ()),
        ("check-deploy", "test", "check", f"{RECIPE}:105:1", ()),
        ("next-steps", "message", "next-steps", f"{RECIPE}:112:1", ()),
    ]
    assert recipe.step_ids()[:6] == (
        "shared-settings",
        "postgres-driver",
        "dockerfile",
        "start-script",
        "settings",
        "server",
    )
    assert len(recipe.step_ids()) == len(recipe.steps) - 1  # the two "server" variants share an id


def test_variants_pick_their_steps(recipe: Recipe) -> None:
    assert [dict(v) for v in recipe.variants()] == [
        {"db": "postgres", "server": "gunicorn"},
        {"db": "postgres", "server": "uvicorn"},
        {"db": "sqlite", "server": "gunicorn"},
        {"db": "sqlite", "server": "uvicorn"},
    ]
    sqlite_uvicorn = [(s.id, s.span.line) for s in recipe.steps_for({"db": "sqlite", "server": "uvicorn"})]
    assert ("server", 60) in sqlite_uvicorn
    assert ("server", 56) not in sqlite_uvicorn
    assert "postgres-driver" not in dict(sqlite_uvicorn)
    assert "add-postgres" not in dict(sqlite_uvicorn)
    default = {s.id for s in recipe.steps_for(recipe.default_choices())}
    assert {"postgres-driver", "add-postgres"} <= default


def step(recipe: Recipe, step_id: str, index: int = 0) -> object:
    return [s for s in recipe.steps if s.id == step_id][index]


def test_files(recipe: Recipe) -> None:
    dockerfile = step(recipe, "dockerfile")
    assert isinstance(dockerfile, WriteFile)
    assert (dockerfile.file, dockerfile.mode, dockerfile.lang, dockerfile.title) == (
        "Dockerfile",
        None,
        "dockerfile",
        "Dockerfile",
    )
    assert dockerfile.body == 'FROM python:3.12-slim\nCMD ["gunicorn", "{{ project_slug }}.wsgi"]\n'
    script = step(recipe, "start-script")
    assert isinstance(script, WriteFile)
    assert (script.file, script.mode, script.label) == ("bin/{{ app_name }}-start", 0o755, "Start script")
    settings = step(recipe, "settings")
    assert isinstance(settings, AppendBlock)
    assert (settings.file, settings.template) == ("settings.py", False)
    assert settings.body == 'GREETING = "{{ kept as it is }}"\n'
    shared = step(recipe, "shared-settings")
    assert isinstance(shared, AppendBlock)
    assert (shared.file, shared.template, shared.title) == ("{{ settings_path }}", True, "settings.py")


def test_requirements_env_and_processes(recipe: Recipe) -> None:
    gunicorn, uvicorn = step(recipe, "server", 0), step(recipe, "server", 1)
    assert isinstance(gunicorn, AddRequirements)
    assert isinstance(uvicorn, AddRequirements)
    assert gunicorn.requirements == ("gunicorn>=23",)  # the comment is not part of it
    assert uvicorn.requirements == ("uvicorn[standard]>=0.30",)
    env = step(recipe, "platform-env")
    assert isinstance(env, EnvVars)
    assert env.pairs == (
        ("DJANGO_SECRET_KEY", "{{ secret_key }}"),
        ("DJANGO_ALLOWED_HOSTS", "{{ app_name }}.fly.dev"),
    )
    processes = step(recipe, "processes")
    assert isinstance(processes, Processes)
    assert processes.commands == (
        ("build", "python manage.py collectstatic --noinput"),
        ("release", "python manage.py migrate --noinput"),
        ("web", "gunicorn {{ project_slug }}.wsgi"),
    )


def test_commands(recipe: Recipe) -> None:
    create = step(recipe, "create-app")
    assert isinstance(create, RunCommands)
    assert (create.where, create.phase, create.capture) == ("local", "setup", None)
    first, second = create.commands
    # A continued line is one command; a placeholder is one word.
    assert first.argv == ("fly", "apps", "create", "{{ app_name }}", "--org", "personal")
    assert first.text == "fly apps create {{ app_name }} --org personal"
    assert first.expected == ("New app created: {{ app_name }}", "...")
    assert (first.span, first.lines) == (SourceSpan(RECIPE, 81), 2)
    assert second.argv == ("fly", "secrets", "import", "--app", "{{ app_name }}")
    assert second.stdin == "DJANGO_SECRET_KEY={{ secret_key }}\n"  # a secret goes on stdin, never in argv
    assert second.expected == ()
    assert (second.span, second.lines) == (SourceSpan(RECIPE, 85), 1)

    read_url = step(recipe, "read-url")
    assert isinstance(read_url, RunCommands)
    assert read_url.capture == Capture("app_url", ("hostname",), SourceSpan(RECIPE, 90, 42))
    assert read_url.commands[0].expected == ('{"hostname": "{{ app_name }}.fly.dev"}',)

    restart = step(recipe, "restart")
    assert isinstance(restart, RunCommands)
    assert (restart.where, restart.phase) == ("ssh", "redeploy")
    assert restart.commands[0].argv == ("sudo", "systemctl", "restart", "{{ app_name }}")

    check = step(recipe, "check-deploy")
    assert isinstance(check, compiler.TestCommands)  # imported so, pytest would collect it
    assert [(c.argv, c.expected) for c in check.commands] == [
        (
            ("python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"),
            ("System check identified no issues (0 silenced).",),
        )
    ]


def test_message(recipe: Recipe) -> None:
    message = step(recipe, "next-steps")
    assert isinstance(message, Message)
    assert message.body == "Open {{ app_url }}; the server is {{ deploy_host }}.\n"
    assert message.anchor == "step-next-steps"
