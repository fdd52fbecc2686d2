"""The PythonAnywhere recipe drives PythonAnywhere's HTTP API with curl, against the API
stand-in answering from the page: the requests that reach it, their bodies and uploads, and the
token, which travels only in a header curl reads on standard input (the process-list test checks
it is on no command line; this one that it is in no file or log either)."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import subprocess
from pathlib import Path

import pytest

from deploybook.rehearse import rehearse
from deploybook.runtime import AUTOMATE, REDEPLOY
from deploybook.testing.fake_apis import Received
from deploybook.testing.recipe_cases import ConfiguredProject, RecipeCase, configure
from deploybook.testing.recipe_checks import deploy_with_stand_ins, fresh_with_remotes

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
API = "https://www.pythonanywhere.com/api/v0/user/reader/"
TOKEN = "given-token-0123456789abcdef"
# The console id the page's transcript shows PythonAnywhere answering with.
CONSOLE = "24036640"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ConfiguredProject:
    case = RecipeCase(RECIPES / "pythonanywhere.md", "pythonanywhere", "requirements", "nested", "sqlite")
    return configure(case, tmp_path_factory.mktemp("pythonanywhere") / "project")


def _json(received: Received) -> object:
    return json.loads(received.body)


def _uploaded(received: Received) -> tuple[str, str, str]:
    """(field, file name, content) of a one-file multipart upload."""
    head = f"Content-Type: {received.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + received.body.encode())
    [part] = message.iter_parts()
    disposition = part.get("Content-Disposition")
    content = part.get_payload(decode=True)
    assert isinstance(content, bytes)
    return disposition.params["name"], part.get_filename() or "", content.decode()


def test_automate_all_configures_the_web_app_through_the_api(project: ConfiguredProject, tmp_path: Path) -> None:
    fresh = fresh_with_remotes(project, tmp_path)
    given = dict(project.assignments) | {"api_token": TOKEN}
    run = deploy_with_stand_ins(project, fresh, AUTOMATE, tmp_path / "automate", assignments=given)
    assert run.apis.differences("setup") == []

    requests = [(r.method, r.url.removeprefix(API)) for r in run.apis.received]
    assert requests == [
        ("POST", "webapps/"),
        ("PATCH", "webapps/reader.pythonanywhere.com/"),
        ("POST", "webapps/reader.pythonanywhere.com/static_files/"),
        ("POST", "files/path/var/www/reader_pythonanywhere_com_wsgi.py"),
        ("POST", "files/path/home/reader/jotter-deploy.sh"),
        ("POST", "consoles/"),
    ]
    assert {r.headers["Authorization"] for r in run.apis.received} == {f"Token {TOKEN}"}
    assert not any(TOKEN in r.body for r in run.apis.received), "the token goes in a header, never a body"

    create, configure_app, static, wsgi, script, console = run.apis.received
    digits = project.prepared.context.project.python_version.replace(".", "")
    assert _json(create) == {"domain_name": "reader.pythonanywhere.com", "python_version": f"python{digits}"}
    assert _json(configure_app) == {
        "source_directory": "/home/reader/jotter",
        "virtualenv_path": "/home/reader/.virtualenvs/jotter",
    }
    # The folder collectstatic fills: the production settings' STATIC_ROOT beside manage.py.
    assert _json(static) == {"url": "/static/", "path": "/home/reader/jotter/src/staticfiles"}
    root = fresh.parent  # the repository: manage.py is in src/
    assert _uploaded(wsgi) == ("content", "pythonanywhere_wsgi.py", (root / "pythonanywhere_wsgi.py").read_text())
    assert _uploaded(script) == ("content", "pythonanywhere-deploy.sh", (root / "pythonanywhere-deploy.sh").read_text())
    assert _json(console) == {"executable": "bash", "working_directory": "/home/reader"}

    # The answer names the console to open in a browser for the first run of the script.
    assert f'"console_url": "/user/reader/consoles/{CONSOLE}/"' in run.output
    assert f"console_id = {CONSOLE}" in run.output
    # The recipe's message for after the commands (phase="setup"), with the captured id filled in.
    first_run = f"open this console in your browser, logged in to PythonAnywhere,\n\n    https://www.pythonanywhere.com/user/reader/consoles/{CONSOLE}/"
    assert first_run in run.output
    assert "open this console" not in project.output, "configuration only: the commands have not run"
    assert TOKEN not in run.output
    written = [p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert [p for p in written if TOKEN in p.read_text(errors="replace")] == [], "the token is in no file or log"


@pytest.mark.parametrize("console", [None, "777"], ids=["found", "given"])
def test_redeploy_types_the_deploy_script_into_the_console(
    project: ConfiguredProject, tmp_path: Path, console: str | None
) -> None:
    fresh = fresh_with_remotes(project, tmp_path)
    given = {k: v for k, v in project.assignments.items() if k != "console_id"} | {"api_token": TOKEN}
    given |= {"console_id": console} if console else {}
    # Redeploying is for a project deployed once: its WSGI file and script are committed.
    deploy_with_stand_ins(project, fresh, AUTOMATE, tmp_path / "automate", assignments=given)
    run = deploy_with_stand_ins(project, fresh, REDEPLOY, tmp_path / "redeploy", assignments=given)
    assert run.apis.differences("redeploy") == []
    *uploads, listed, typed = run.apis.received
    assert [r.url.removeprefix(API) for r in uploads] == [
        "files/path/var/www/reader_pythonanywhere_com_wsgi.py",
        "files/path/home/reader/jotter-deploy.sh",
    ]
    assert (listed.method, listed.url) == ("GET", f"{API}consoles/")
    # Without --set, the console in the home folder that the list shows (the one setup made).
    assert typed.url == f"{API}consoles/{console or CONSOLE}/send_input/"
    assert _json(typed) == {"input": "bash ~/jotter-deploy.sh\n"}, "a line the console runs, Enter included"
    assert f"watch it at\n\n    https://www.pythonanywhere.com/user/reader/consoles/{console or CONSOLE}/" in run.output


@pytest.mark.parametrize("flavour", ["requirements", "poetry", "pipenv", "uv"])
def test_the_deploy_script_is_valid_bash_that_runs_what_the_page_says(flavour: str, tmp_path: Path) -> None:
    case = RecipeCase(RECIPES / "pythonanywhere.md", "pythonanywhere", flavour, "flat", "postgres")
    project = configure(case, tmp_path / "p")
    script = project.root / "pythonanywhere-deploy.sh"
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = script.read_text(encoding="utf-8")
    # The same commands as the page's build and release, run through the WSGI file as manage.py.
    for name in ("build", "release"):
        command = project.resolution.processes()[name].removeprefix("python ./manage.py")
        assert f"python pythonanywhere_wsgi.py{command}" in text
    assert 'git clone "https://git.example.com/app.git"' in text
    assert '$API_TOKEN" | curl' in text and "--header @-" in text, "the token reaches curl on stdin"


@pytest.mark.slow
def test_the_wsgi_file_serves_a_nested_layout(tmp_path: Path, deploybook_venv_cache: Path) -> None:
    # The WSGI file sits at the repository's root, the project in src/: the rehearsal serves the
    # WSGI file itself (gunicorn in place of PythonAnywhere's uWSGI), which must find the project.
    case = RecipeCase(RECIPES / "pythonanywhere.md", "pythonanywhere", "requirements", "nested", "sqlite")
    project = configure(case, tmp_path / "p")
    assert project.resolution.processes()["web"].endswith("pythonanywhere_wsgi:application")
    report = rehearse(
        project.root,
        project.resolution,
        out=io.StringIO(),
        project=project.prepared.context.project,
        venv_cache=deploybook_venv_cache,
    )
    assert report.ok, report.format() + "\n".join(f"--- {k}\n{v[-2000:]}" for k, v in report.logs.items())
