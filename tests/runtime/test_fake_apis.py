"""The platform API stand-in: the real curl, answered only as the page's curl commands say."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from deploybook.compiler import compile_file, resolve
from deploybook.testing.fake_apis import api_calls, offline_curl_home, serve_fake_apis

CURL = (
    "$ curl --netrc --fail --silent --show-error --request PATCH \\\n"
    "    --url https://api.example-paas.com/apps/{{ app_name }}/vars \\\n"
    "    --header 'Content-Type: application/json' --data-binary @- <<'EOF'\n"
    '{"SECRET_KEY": "{{ secret_key }}"}\nEOF\nUpdated\n'
)


def api_recipe(tmp_path: Path, command: str = CURL) -> Path:
    path = tmp_path / "apiplat.md"
    path.write_text(
        "---\nid: apiplat\ntitle: A\nversion: 1\nsummary: x\nrequires: [curl]\nvariables:\n"
        '  app_name: "The app"\n  secret_key:\n    help: "k"\n    generate: secret\n---\n\n## Go {#go}\n\n'
        f'```console {{step="go" action="run"}}\n{command}```\n',
        encoding="utf-8",
    )
    return path


def curl(env: dict[str, str], body: str, app: str = "shop") -> subprocess.CompletedProcess[str]:
    argv = ["curl", "--netrc", "--fail", "--silent", "--show-error", "--request", "PATCH"]
    argv += ["--url", f"https://api.example-paas.com/apps/{app}/vars"]
    argv += ["--header", "Content-Type: application/json", "--data-binary", "@-"]
    return subprocess.run(argv, env=env, input=body, capture_output=True, text=True, timeout=60)


def test_the_stand_in_answers_only_the_pages_request(tmp_path: Path) -> None:
    recipe = compile_file(api_recipe(tmp_path)).recipe
    assert recipe is not None
    page = resolve(recipe, given={"app_name": "shop"}, generate_secrets=False)  # the key matches anything
    with serve_fake_apis(page, tmp_path / "api") as apis:
        env = apis.environ({"PATH": "/usr/bin:/bin"})
        right = curl(env, '{"SECRET_KEY": "s3cret"}\n')
        wrong_body = curl(env, '{"DEBUG": "true"}\n')
        wrong_app = curl(env, '{"SECRET_KEY": "s3cret"}\n', app="other")

    assert (right.returncode, right.stdout) == (0, "Updated\n"), right.stderr
    assert wrong_body.returncode == 22 and "404" in wrong_body.stderr
    assert wrong_app.returncode == 22
    assert [r.call is not None for r in apis.received] == [True, False, False]
    assert apis.received[0].body == '{"SECRET_KEY": "s3cret"}\n', "the body arrived as curl read it"
    assert apis.received[0].headers["Authorization"].startswith("Basic "), "--netrc logged in"
    assert apis.differences() == [
        "API request 2: expected (nothing more), got PATCH https://api.example-paas.com/apps/shop/vars",
        "API request 3: expected (nothing more), got PATCH https://api.example-paas.com/apps/other/vars",
    ]


def test_curl_in_the_tests_reaches_no_other_host(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "CURL_HOME": str(offline_curl_home(tmp_path))}
    done = curl(env, "{}")
    assert done.returncode == 7, "connecting fails: the proxy curl is sent to does not exist"
    assert "127.0.0.1 port 9" in done.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--insecure", "curl --insecure would bypass the API stand-in"),
        ("-K -", "curl -K would bypass the API stand-in"),
        ("--data @-", "the stand-in takes a body as --data-binary @- (sent exactly as written)"),
    ],
)
def test_a_curl_command_the_stand_in_cannot_serve_faithfully_is_refused(
    tmp_path: Path, option: str, message: str
) -> None:
    command = CURL.replace("--data-binary @-", option)
    recipe = compile_file(api_recipe(tmp_path, command)).recipe
    assert recipe is not None
    with pytest.raises(ValueError, match=r"apiplat\.md:17:1: ") as raised:
        api_calls(resolve(recipe, given={"app_name": "shop"}, generate_secrets=False))
    assert message in str(raised.value)


TOKEN_CURL = (
    "$ curl --fail --silent --show-error --header @- --request POST \\\n"
    "    --url https://api.example-paas.com/files/{{ app_name }} \\\n"
    "    --form content=@app.py <<'EOF'\n"
    "Authorization: Token {{ secret_key }}\nEOF\nStored\n"
)


def token_curl(env: dict[str, str], cwd: Path, header: str | None, *form: str) -> subprocess.CompletedProcess[str]:
    argv = ["curl", "--fail", "--silent", "--show-error", "--header", "@-", "--request", "POST"]
    argv += ["--url", "https://api.example-paas.com/files/shop"]
    for field in form:
        argv += ["--form", field]
    return subprocess.run(argv, env=env, cwd=cwd, input=header or "", capture_output=True, text=True, timeout=60)


def test_a_token_read_as_a_header_and_a_file_sent_as_a_form(tmp_path: Path) -> None:
    recipe = compile_file(api_recipe(tmp_path, TOKEN_CURL)).recipe
    assert recipe is not None
    (tmp_path / "app.py").write_text("print('hi')\n", encoding="utf-8")
    (tmp_path / "other.py").write_text("print('no')\n", encoding="utf-8")
    page = resolve(recipe, given={"app_name": "shop"}, generate_secrets=False)
    with serve_fake_apis(page, tmp_path / "api") as apis:
        env = apis.environ({"PATH": "/usr/bin:/bin"})
        right = token_curl(env, tmp_path, "Authorization: Token t0ken\n", "content=@app.py")
        no_token = token_curl(env, tmp_path, None, "content=@app.py")
        other_file = token_curl(env, tmp_path, "Authorization: Token t0ken\n", "content=@other.py")
        other_field = token_curl(env, tmp_path, "Authorization: Token t0ken\n", "file=@app.py")

    assert (right.returncode, right.stdout) == (0, "Stored\n"), right.stderr
    assert [r.call is not None for r in apis.received] == [True, False, False, False]
    assert apis.received[0].headers["Authorization"] == "Token t0ken", "the header curl read on stdin"
    assert "print('hi')" in apis.received[0].body, "the file went as it is, in the form"
    assert no_token.returncode == other_file.returncode == other_field.returncode == 22


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("--form 'content=<app.py'", "the stand-in takes a form only as --form NAME=@FILE"),
        ("--form 'content=@app.py;type=text/plain'", "the stand-in takes a form only as --form NAME=@FILE"),
        ("--form-string content=x", "the stand-in takes a body as --data-binary @-"),
        ("--data-raw '{}' --form content=@app.py", "either a body or a --form, not both"),
    ],
)
def test_a_form_the_stand_in_cannot_serve_faithfully_is_refused(tmp_path: Path, form: str, message: str) -> None:
    command = TOKEN_CURL.replace("--form content=@app.py", form)
    recipe = compile_file(api_recipe(tmp_path, command)).recipe
    assert recipe is not None
    with pytest.raises(ValueError, match=r"apiplat\.md:17:1: ") as raised:
        api_calls(resolve(recipe, given={"app_name": "shop"}, generate_secrets=False))
    assert message in str(raised.value)


def test_input_that_is_neither_body_nor_headers_is_refused(tmp_path: Path) -> None:
    command = TOKEN_CURL.replace("--header @- ", "")
    recipe = compile_file(api_recipe(tmp_path, command)).recipe
    assert recipe is not None
    with pytest.raises(ValueError, match="reads its input as neither the body"):
        api_calls(resolve(recipe, given={"app_name": "shop"}, generate_secrets=False))
