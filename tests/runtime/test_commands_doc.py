"""site/reference/commands.md documents every option `manage.py deploy` has, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from deploybook.management.commands.deploy import Command

PAGE = Path(__file__).resolve().parents[2] / "site" / "reference" / "commands.md"
DJANGO_OWN = {
    "--help",
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}


def deploy_options() -> set[str]:
    parser = Command().create_parser("manage.py", "deploy")
    return {option for action in parser._actions for option in action.option_strings if option.startswith("--")}


def test_every_option_is_in_the_reference_and_every_documented_option_exists() -> None:
    text = PAGE.read_text(encoding="utf-8")
    options = deploy_options() - DJANGO_OWN
    section = text.split("## `deploybook check`")[0]
    documented = set(re.findall(r"`(--[a-z-]+)", section)) - DJANGO_OWN
    assert options - documented == set(), "options missing from commands.md"
    assert documented - options == set(), "commands.md documents options that do not exist"


def test_the_reference_lists_every_status_the_report_uses() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for status in ("create", "update", "conflict", "replace", "identical", "skip"):
        assert f"| `{status}` |" in text
