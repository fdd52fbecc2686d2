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
