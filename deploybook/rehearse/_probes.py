"""The requests a rehearsal sends, each standing for something the platform or a browser does.

Every request goes to 127.0.0.1, as the platform's proxy would forward it: plain HTTP, with the
Host the client asked for and `X-Forwarded-Proto: https` for what arrived over TLS.
"""

from __future__ import annotations

import gzip
import http.client
import re
from email.message import Message

from deploybook.records import record
from deploybook.rehearse._report import Check

__all__ = ["HEALTH_HOSTS", "Response", "probe_all", "request"]

# What health checkers put in Host: a private IP and port (Fly.io), a container id, an
# internal name. None of them is in ALLOWED_HOSTS, and none may matter.
HEALTH_HOSTS = ("172.19.17.130:8080", "3f4e5d6c7b8a", "app.internal")
UNKNOWN_HOST = "attacker.example"
HEALTH_PATH = "/healthz"
MISSING_PATH = "/deploybook-rehearsal/no-such-page/"
_DEBUG_PAGE = "You're seeing this error because you have <code>DEBUG = True</code>"
_STYLESHEET = re.compile(r"""<link\b[^>]*\brel=["']stylesheet["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=["']([^"']+)["']""", re.IGNORECASE)
_TIMEOUT = 30.0
# WhiteNoise keeps a compressed copy only when it is at least 5% smaller than the file.
_WORTH_COMPRESSING = 0.05


@record
class Response:
    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(port: int, path: str, host: str, *, https: bool, headers: dict[str, str] | None = None) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=_TIMEOUT)
    try:
        sent = {"Host": host, **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        connection.request("GET", path, headers=sent)
        answer = connection.getresponse()
        return Response(answer.status, answer.msg, answer.read())
    finally:
        connection.close()


def probe_all(port: int, host: str) -> list[Check]:
    """Every probe, in the order a first visitor's requests would come."""
    checks = [_health(port), _unknown_host(port), _redirect(port, host)]
    home = request(port, "/", host, https=True)
    admin = request(port, "/admin/login/", host, https=True)
    if home.status == 404 and admin.status == 200:
        # A fresh startproject has no page at /: only DEBUG shows its welcome page there.
        skipped = "skipped: the project has no page at / (404); the admin login page is probed instead"
        checks.append(Check("home page over HTTPS", True, skipped))
    else:
        checks.append(_expect("home page over HTTPS", home, 200, path="/"))
        checks.append(_static(port, host, home, "home page's stylesheet"))
    checks.append(_expect("admin login page", admin, 200, path="/admin/login/"))
    checks.append(_static(port, host, admin, "admin's stylesheet"))
    checks.append(_debug_off(port, host))
    return checks


def _expect(name: str, response: Response, status: int, *, path: str | None = None) -> Check:
    if response.status == status:
        return Check(name, True, str(status))
    detail = f"expected {status}, got {response.status}{_hint(response)}"
    return Check(name, False, detail, path=path, status=response.status)


def _hint(response: Response) -> str:
    location = response.header("Location")
    if location:
        return f" (redirect to {location})"
    first = response.text.strip().splitlines()[:1]
    return f": {first[0][:200]}" if first else ""


def _health(port: int) -> Check:
    name = "health probe: plain HTTP, internal Host"
    for host in HEALTH_HOSTS:
        response = request(port, HEALTH_PATH, host, https=False)
        if response.status != 200:
            return Check(
                name, False, f"{HEALTH_PATH} with Host {host}: expected 200, got {response.status}{_hint(response)}"
            )
    return Check(name, True, f"200 for Host {', '.join(HEALTH_HOSTS)}")


def _unknown_host(port: int) -> Check:
    response = request(port, "/", UNKNOWN_HOST, https=True)
    return _expect(f"unknown Host ({UNKNOWN_HOST}) is refused", response, 400)


def _redirect(port: int, host: str) -> Check:
    name = "plain HTTP is redirected to HTTPS"
    response = request(port, "/", host, https=False)
    location = response.header("Location")
    if response.status in (301, 302, 307, 308) and location.startswith(f"https://{host}/"):
        return Check(name, True, f"{response.status} to {location}")
    return Check(name, False, f"expected a redirect to https://{host}/, got {response.status}{_hint(response)}")


def _static(port: int, host: str, page: Response, what: str) -> Check:
    name = f"{what}: compressed, cached for a year"
    hrefs = [m.group(1) for tag in _STYLESHEET.findall(page.text) if (m := _HREF.search(tag))]
    local = [href for href in hrefs if href.startswith("/") and not href.startswith("//")]
    if not local:
        # Stylesheets from a CDN (or none at all) are the project's choice, and nothing the
        # platform serves: there is nothing of its own to check.
        seen = f"only from elsewhere: {', '.join(hrefs[:2])}" if hrefs else "none"
        return Check(f"{what}s", True, f"the page links no stylesheet of its own ({seen})")
    href = local[0]
    response = request(port, href, host, https=True, headers={"Accept-Encoding": "br, gzip"})
    problems = []
    if response.status != 200:
        problems.append(f"status {response.status}")
    encoding = response.header("Content-Encoding")
    if encoding not in ("gzip", "br") and response.status == 200:
        saving = _gzip_saving(response.body)
        if saving >= _WORTH_COMPRESSING:
            problems.append(f"not compressed (Content-Encoding: {encoding or 'none'}), though gzip saves {saving:.0%}")
        else:
            encoding = f"uncompressed, rightly: gzip saves only {saving:.0%} of its {len(response.body)} bytes"
    cache = response.header("Cache-Control")
    if "immutable" not in cache and "max-age=315360000" not in cache:
        problems.append(f"no far-future caching (Cache-Control: {cache or 'none'}); is the file name hashed?")
    if problems:
        # Only a missing file can be asked of the development server, which neither compresses nor hashes.
        missing = response.status != 200
        detail = f"{href}: {'; '.join(problems)}"
        return Check(name, False, detail, path=href if missing else None, status=response.status)
    return Check(name, True, f"{href}: {encoding}, {cache}")


def _gzip_saving(body: bytes) -> float:
    """The share of `body` gzip saves, as WhiteNoise measures it before storing a .gz copy."""
    if not body:
        return 0.0
    return 1 - len(gzip.compress(body)) / len(body)


def _debug_off(port: int, host: str) -> Check:
    name = "DEBUG is off (a missing page is a plain 404)"
    response = request(port, MISSING_PATH, host, https=True)
    if response.status != 404:
        return Check(name, False, f"expected 404, got {response.status}{_hint(response)}")
    if _DEBUG_PAGE in response.text:
        return Check(name, False, "the 404 is Django's debug page: DEBUG is on")
    return Check(name, True, "404")
