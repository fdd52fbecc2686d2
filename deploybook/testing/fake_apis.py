"""A stand-in for the platform APIs a recipe's page calls with curl, answering from the page.

Where a platform's CLI cannot take a secret on standard input, the page calls the platform's
HTTP API with curl, the body on curl's standard input (a here-document). The tests run the
real curl against a stand-in HTTPS server on loopback, which accepts only the requests the
page's curl commands describe (method, URL, headers, body, and the credentials of `--netrc`)
and records them, so a test can check what reached the platform:

    with serve_fake_apis(page_resolution(request), tmp / "api") as apis:
        env = apis.environ(fakes.environ())   # CURL_HOME: curl talks to the stand-in only
        ... run the deploy with env ...
        assert apis.differences("setup") == []

curl is pointed at the stand-in by a `.curlrc` in CURL_HOME (`connect-to`, the stand-in's own
certificate, a netrc with a made-up token), and every other host goes to a proxy that does not
exist, so no test can reach the real platform. The stand-in answers 200 with the page's shown
output as the body, or `{}` when the command discards the body (`--output`).

A request's body is taken on standard input (`--data-binary @-`), inline as written
(`--data-raw`), or as a form of files (`--form NAME=@FILE`, multipart, as a platform's file
upload wants it). A platform whose API takes a token in a header rather than a login gets it
on standard input too (`--header @-`): the stand-in then wants the headers the page's input
lines give, the token matching any value.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import http.server
import re
import ssl
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from deploybook.compiler import Resolution
from deploybook.records import record
from deploybook.testing.fake_clis import ReplayEntry, replay_commands, text_pattern

__all__ = [
    "NETRC_LOGIN",
    "NETRC_TOKEN",
    "ApiCall",
    "FakeApis",
    "api_calls",
    "calls_an_api",
    "offline_curl_home",
    "serve_fake_apis",
]

NETRC_LOGIN = "reader@example.com"
NETRC_TOKEN = "stand-in-token-1a2b3c"
# Options followed by a value (of those a recipe may use), so the value is not taken for the URL.
_TAKES_VALUE = {"-X", "--request", "--url", "-H", "--header", "--data-binary", "-o", "--output", "-w", "--write-out"}
_TAKES_VALUE |= {"-u", "--user", "-m", "--max-time", "--retry", "-A", "--user-agent", "--data-raw", "-F", "--form"}
# Options that would make curl ignore the stand-in's configuration, or go elsewhere.
_BYPASS = {"-q", "--disable", "-K", "--config", "-k", "--insecure", "-x", "--proxy", "--noproxy", "--connect-to"}
_BYPASS |= {"--resolve", "--cacert", "--capath", "--netrc-file", "--unix-socket"}


@record
class ApiCall:
    """One curl command of the page, as the request it makes."""

    method: str
    host: str
    url: str
    """A pattern for the whole URL (values the page does not know match anything)."""
    headers: tuple[tuple[str, str], ...]
    """(lowercased name, value pattern) for each --header."""
    body: str | None
    """A pattern for the request body (curl's standard input, or --data-raw), None when it sends none."""
    form: tuple[tuple[str, str], ...]
    """(field name, file name) for each --form NAME=@FILE, in order; () when the body is no form."""
    netrc: bool
    output: tuple[str, ...]
    discards_body: bool
    phase: str
    step: str
    source: str


def calls_an_api(argv: Iterable[str]) -> bool:
    """Whether a command is curl calling an HTTPS URL, which the stand-in serves in tests."""
    words = list(argv)
    return bool(words) and words[0] == "curl" and any(word.startswith("https://") for word in words)


def api_calls(resolution: Resolution) -> list[ApiCall]:
    """The page's curl commands as requests, in page order. ValueError for one the stand-in
    cannot serve faithfully: an option that would send curl elsewhere, a body not on stdin."""
    return [_call(entry, resolution) for entry in replay_commands(resolution, ["curl"])]


def _call(entry: ReplayEntry, resolution: Resolution) -> ApiCall:
    argv, source = entry["argv"], entry["source"]
    method, urls, headers, form = "", [], [], []
    body: str | None = None
    netrc = discards = stdin_used = False
    index = 1
    while index < len(argv):
        word = argv[index]
        value = argv[index + 1] if index + 1 < len(argv) else ""
        if word in _BYPASS:
            raise ValueError(f"{source}: curl {word} would bypass the API stand-in")
        if word in ("-d", "--data", "--data-ascii", "--json", "--form-string"):
            raise ValueError(f"{source}: the stand-in takes a body as --data-binary @- (sent exactly as written)")
        if word in ("-X", "--request"):
            method = value
        elif word == "--url":
            urls.append(value)
        elif word in ("-H", "--header") and value == "@-":
            headers += _stdin_headers(entry, resolution)
            stdin_used = True
        elif word in ("-H", "--header"):
            headers.append(_header(value, resolution))
        elif word == "--data-binary":
            if value != "@-" or entry["stdin"] is None:
                raise ValueError(f"{source}: the stand-in takes a body on standard input only (--data-binary @-)")
            body = entry["stdin"]
            stdin_used = True
        elif word == "--data-raw":
            body = text_pattern(value, resolution)
        elif word in ("-F", "--form"):
            form.append(_form_file(value, source))
        elif word in ("-n", "--netrc"):
            netrc = True
        elif word in ("-o", "--output"):
            discards = True
        elif not word.startswith("-"):
            urls.append(word)
        index += 2 if word in _TAKES_VALUE else 1
    if len(urls) != 1 or not urls[0].startswith("https://"):
        raise ValueError(f"{source}: a curl command for the stand-in names exactly one https:// URL")
    if entry["stdin"] is not None and not stdin_used:
        raise ValueError(f"{source}: curl reads its input as neither the body (--data-binary @-) nor headers (-H @-)")
    if body is not None and form:
        raise ValueError(f"{source}: a curl command sends either a body or a --form, not both")
    return ApiCall(
        method or ("POST" if body is not None or form else "GET"),
        urlsplit(urls[0]).hostname or "",
        text_pattern(urls[0], resolution),
        tuple(headers),
        body,
        tuple(form),
        netrc,
        tuple(entry["output"]),
        discards,
        entry["phase"],
        entry["step"],
        source,
    )


def _header(line: str, resolution: Resolution) -> tuple[str, str]:
    name, _, text = line.partition(":")
    return name.strip().lower(), text_pattern(text.strip(), resolution)


def _stdin_headers(entry: ReplayEntry, resolution: Resolution) -> list[tuple[str, str]]:
    """The headers a `--header @-` reads: one per line of the page's input."""
    text = entry["stdin_text"]
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines or not all(":" in line for line in lines):
        wanted = "--header @- reads `Name: value` lines on standard input; the page gives none"
        raise ValueError(f"{entry['source']}: {wanted}")
    return [_header(line, resolution) for line in lines]


def _form_file(value: str, source: str) -> tuple[str, str]:
    """(field, file name) of a `--form NAME=@FILE`: a file of the project, sent as it is."""
    name, _, path = value.partition("=")
    if not name or not path.startswith("@") or ";" in path or len(path) < 2:
        raise ValueError(f"{source}: the stand-in takes a form only as --form NAME=@FILE (a file sent as it is)")
    return name, Path(path[1:]).name


def _form_parts(content_type: str, body: bytes) -> list[tuple[str, str]] | None:
    """(field, file name) of each part of a multipart body, in order; None when it is not one."""
    if not content_type.startswith("multipart/form-data"):
        return None
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    parts = []
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition")
        field = disposition.params.get("name", "") if disposition is not None else ""
        parts.append((field, part.get_filename() or ""))
    return parts


@record
class Received:
    """One request the stand-in received, and the page's call it matched (None: no call)."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: str
    call: ApiCall | None


@dataclass
class FakeApis:
    calls: list[ApiCall]
    curl_home: Path
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)

    def environ(self, base: Mapping[str, str]) -> dict[str, str]:
        """`base` with curl configured to reach the stand-in, and nothing else."""
        return dict(base) | {"CURL_HOME": str(self.curl_home)}

    def expected(self, phase: str = "setup") -> list[ApiCall]:
        return [call for call in self.calls if call.phase == phase]

    def differences(self, phase: str = "setup") -> list[str]:
        """How the requests received differ from the phase's calls in page order; [] if not at all."""
        expected = self.expected(phase)
        problems = []
        for index in range(max(len(expected), len(self.received))):
            want = f"{expected[index].method} {expected[index].url}" if index < len(expected) else "(nothing more)"
            got = self.received[index] if index < len(self.received) else None
            shown = f"{got.method} {got.url}" if got else "(nothing more)"
            if got is None or index >= len(expected) or not self._is_answer(got, expected[index]):
                problems.append(f"API request {index + 1}: expected {want}, got {shown}")
        return problems

    def _is_answer(self, got: Received, call: ApiCall) -> bool:
        # A page may make the same request in two phases (an upload, then again to redeploy):
        # the request answered from the first of them is also the second's.
        return got.call is call or (
            got.call is not None and self._matches(call, got.method, got.url, got.headers, got.body)
        )

    def answer(self, method: str, url: str, headers: Mapping[str, str], body: str) -> tuple[int, str]:
        """The status and body for one request: the first page call it matches, else 404."""
        call = next((c for c in self.calls if self._matches(c, method, url, headers, body)), None)
        self.received.append(Received(method, url, dict(headers), body, call))
        if self.delay:
            time.sleep(self.delay)  # so a process-list sampler sees curl while it runs
        if call is None:
            wanted = "\n".join(f"  {c.method} {c.url}    ({c.source})" for c in self.calls) or "  (none)"
            return 404, f'{{"id": "not_found", "message": "the page shows only:\\n{wanted}"}}'
        return 200, "{}" if call.discards_body else "".join(line + "\n" for line in call.output)

    def _matches(self, call: ApiCall, method: str, url: str, headers: Mapping[str, str], body: str) -> bool:
        lowered = {name.lower(): value for name, value in headers.items()}
        if call.netrc and lowered.get("authorization") != _basic(NETRC_LOGIN, NETRC_TOKEN):
            return False
        if call.form and _form_parts(lowered.get("content-type", ""), body.encode("utf-8")) != list(call.form):
            return False
        return (
            method == call.method
            and re.fullmatch(call.url, url, re.DOTALL) is not None
            and all(re.fullmatch(value, lowered.get(name, ""), re.DOTALL) for name, value in call.headers)
            and (call.body is None or re.fullmatch(call.body, body, re.DOTALL) is not None)
        )


def _basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


@contextmanager
def serve_fake_apis(resolution: Resolution, folder: Path, *, delay: float = 0.0) -> Iterator[FakeApis]:
    """Serve the page's API calls on loopback while the block runs (with none, curl is only
    configured to reach nothing)."""
    calls = api_calls(resolution)
    folder.mkdir(parents=True, exist_ok=True)
    hosts = sorted({call.host for call in calls if call.host})
    if not calls:
        yield FakeApis(calls, offline_curl_home(folder), delay)
        return
    cert, key = _certificate(folder, hosts)
    apis = FakeApis(calls, folder / "curl-home", delay)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(apis))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    _write_curlrc(apis.curl_home, hosts, server.server_address[1], cert, folder / "netrc")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield apis
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _handler(apis: FakeApis) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            url = f"https://{self.headers.get('Host', '')}{self.path}"
            status, answer = apis.answer(self.command, url, dict(self.headers.items()), body)
            data = answer.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass  # the test reports what matters; a request log would only add noise

    return Handler


def _certificate(folder: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for the hosts the page names, which only this curl trusts."""
    cert, key = folder / "stand-in.pem", folder / "stand-in.key"
    names = ",".join(f"DNS:{host}" for host in hosts or ["localhost"])
    argv = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    argv += ["-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=deploybook API stand-in"]
    subprocess.run([*argv, "-addext", f"subjectAltName={names}"], check=True, capture_output=True)
    return cert, key


def offline_curl_home(folder: Path) -> Path:
    """A CURL_HOME in `folder` whose curl reaches no host at all (for CURL_HOME in tests)."""
    home = folder / "curl-home"
    _write_curlrc(home, [], None, None, folder / "netrc")
    return home


def _write_curlrc(home: Path, hosts: list[str], port: int | None, cert: Path | None, netrc: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    netrc.write_text(
        "".join(f"machine {host}\n  login {NETRC_LOGIN}\n  password {NETRC_TOKEN}\n" for host in hosts),
        encoding="utf-8",
    )
    netrc.chmod(0o600)
    lines = [f'connect-to = "{host}:443:127.0.0.1:{port}"' for host in hosts]
    lines += [f'cacert = "{cert}"'] if cert is not None else []
    lines += [f'netrc-file = "{netrc}"']
    # Any other host goes to a proxy nobody listens on: a test can never reach a real platform.
    lines += ['proxy = "http://127.0.0.1:9"', f'noproxy = "{",".join(hosts) or "localhost"}"']
    (home / ".curlrc").write_text("\n".join(lines) + "\n", encoding="utf-8")
