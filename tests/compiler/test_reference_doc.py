"""The recipe-language reference documents everything the compiler accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deploybook.compiler import ACTION_NAMES, CODES, PROCESS_NAMES
from deploybook.compiler.passes.build import ALL_KEYS
from deploybook.compiler.passes.front_matter import PARTIAL_KEYS, RECIPE_KEYS, VARIABLE_KEYS

REFERENCE = Path(__file__).parents[2] / "site" / "reference" / "recipe-language.md"


@pytest.fixture(scope="module")
def text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_diagnostic_is_in_the_table(text: str, code: str) -> None:
    level = CODES[code][0].value
    assert re.search(rf"^\| {code} \| {level} \|", text, re.M), f"{code} ({level}) missing from the diagnostics table"


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_every_action_has_a_section(text: str, action: str) -> None:
    assert f"### `{action}`:" in text


@pytest.mark.parametrize("key", sorted(ALL_KEYS))
def test_every_fence_key_is_documented(text: str, key: str) -> None:
    assert f"`{key}`" in text


@pytest.mark.parametrize("key", sorted(RECIPE_KEYS | PARTIAL_KEYS | VARIABLE_KEYS))
def test_every_front_matter_key_is_documented(text: str, key: str) -> None:
    assert f"`{key}`" in text


@pytest.mark.parametrize("name", PROCESS_NAMES)
def test_every_process_name_is_documented(text: str, name: str) -> None:
    assert f"`{name}`" in text


def test_no_documented_id_is_unknown(text: str) -> None:
    documented = set(re.findall(r"^\| (DB\d{3}) \|", text, re.M))
    assert documented == set(CODES)
