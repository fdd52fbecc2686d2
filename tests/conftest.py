"""Settings for the whole test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from deploybook.testing.fake_apis import offline_curl_home


@pytest.fixture(autouse=True, scope="session")
def curl_reaches_no_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Recipes call platform APIs with curl; in the tests, a curl that no API stand-in serves
    (deploybook.testing.fake_apis) reaches nothing instead of the real platform."""
    saved = os.environ.get("CURL_HOME")
    os.environ["CURL_HOME"] = str(offline_curl_home(tmp_path_factory.mktemp("curl")))
    yield
    if saved is None:
        os.environ.pop("CURL_HOME", None)
    else:
        os.environ["CURL_HOME"] = saved
