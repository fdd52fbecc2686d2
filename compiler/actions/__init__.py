"""The actions a step may have, in the order the reference documents them.

Each is one module holding its fence keys, the typed step it reads, that step's resolved form
and how both describe themselves (see base.py). Adding an action is one new module and one
line here.
"""

from __future__ import annotations

from . import append, env, message, processes, requirements, run, test, write
from .base import ActionSpec

__all__ = ["ACTIONS", "ACTION_NAMES", "action_named"]

ACTIONS: tuple[ActionSpec, ...] = (
    write.ACTION,
    append.ACTION,
    requirements.ACTION,
    env.ACTION,
    processes.ACTION,
    run.ACTION,
    test.ACTION,
    message.ACTION,
)
ACTION_NAMES = tuple(spec.name for spec in ACTIONS)
_BY_NAME = {spec.name: spec for spec in ACTIONS}


def action_named(name: str) -> ActionSpec | None:
    return _BY_NAME.get(name)
