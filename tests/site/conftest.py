"""Fixtures for the site's browser tests: the real site, built once, served on loopback,
and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

from site_helpers import PHONE, REPO, RETIRED, build, demo_text, make_site, new_context, write_recipe

from deploybook.compiler.site.lock import main as lock_main

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    # Also meant for pyproject's markers; registered here so --strict-markers accepts it meanwhile.
    config.addinivalue_line("markers", "site: browser tests of the built recipe site (headless Chromium)")


def _need_browser() -> None:
    """Skip without Chromium on a developer's machine; in CI a missing browser is a failure."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed"
    else:
        problem = "" if CHROMIUM.exists() else f"{CHROMIUM} is missing (apt-get install chromium)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need a browser in CI: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session with the command contributors use."""
    _need_browser()
    out = tmp_path_factory.mktemp("public")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    if result.returncode:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}")
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A built site served on loopback, as a web server would serve it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def retired_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo recipe's site after a step was removed and retired: its old links are in the
    lock as tombstones (the real recipes may have none yet)."""
    _need_browser()
    root = tmp_path_factory.mktemp("retired-site")
    make_site(root, demo_text())
    write_recipe(root / "recipes", RETIRED)
    assert lock_main(["--root", str(root), "--update"]) == 0
    result = build(root)
    if result.returncode:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}")
    with serve(root / "out") as url:
        yield url


@pytest.fixture(scope="session")
def browser(built_site: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, site_url: str) -> Iterator[BrowserContext]:
    created = new_context(browser, site_url, viewport={"width": 1280, "height": 900})
    created.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    yield created
    created.close()


def _watched(opened: Page) -> list[str]:
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test if anything it loads logs an error to the console."""
    opened = context.new_page()
    errors = _watched(opened)
    yield opened
    assert errors == [], f"console errors on {opened.url}: {errors}"


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[Page]:
    """Like `page`, in a phone's window, touched rather than clicked."""
    created = new_context(browser, site_url, viewport=PHONE, is_mobile=True, has_touch=True)
    opened = created.new_page()
    errors = _watched(opened)
    yield opened
    created.close()
    assert errors == [], f"console errors on {opened.url}: {errors}"
