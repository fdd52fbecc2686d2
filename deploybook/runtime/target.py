"""Where a recipe's commands go, named in the confirmation question (a recipe's `target:`).

kubectl, for one, acts on whatever context the user last switched to; a deploy that asks
"run 9 commands against Kubernetes?" without naming it invites deploying to the wrong cluster.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence

__all__ = ["describe_target"]

_TIMEOUT = 15


def describe_target(target: Sequence[str], env: Mapping[str, str]) -> str:
    """` (kubectl config current-context: NAME)`, or what went wrong; empty without a target."""
    if not target:
        return ""
    command = " ".join(target)
    try:
        done = subprocess.run(
            list(target), capture_output=True, text=True, timeout=_TIMEOUT, env=dict(env), stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f" ({command} failed: {error})"
    lines = (done.stdout if done.returncode == 0 else done.stderr).strip().splitlines()
    first = lines[0] if lines else "no output"
    return f" ({command}: {first})" if done.returncode == 0 else f" ({command} failed: {first})"
