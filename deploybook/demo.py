"""`deploybook demo [RECIPE]`: configure a throwaway copy of the sample project and show the change.

The demo is a list of stages over one `Demo`; each stage prints what it does: "configure"
(the config-only deploy), "show the change" (`git diff`) and "rehearse" (serve the configured
copy locally the platform's way, probe it, and stop it). The sample has deploybook in its
INSTALLED_APPS, as Getting started says, so that `manage.py deploy` works in a kept copy.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from deploybook.runtime import DeployRequest, DeployResult, PlainOutput, deploy
from deploybook.samples import SampleProject, materialize
from deploybook.testing.projects import install_app

__all__ = ["DEFAULT_RECIPE", "DEFAULT_STAGES", "Demo", "Stage", "configure", "rehearse", "run_demo", "show_change"]

# A platform that takes new projects (Heroku no longer aims at them).
DEFAULT_RECIPE = "fly-io"

# The demo must run anywhere: SQLite needs no database server. `--set db=postgres` rehearses
# against a throwaway PostgreSQL cluster instead, where Debian's postgresql package is installed.
DEMO_DEFAULTS = {"db": "sqlite"}


@dataclass
class Demo:
    recipe: str
    sample: SampleProject
    out: TextIO
    assignments: Mapping[str, str] = field(default_factory=dict)
    result: DeployResult | None = None

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()


Stage = Callable[[Demo], None]


def configure(demo: Demo) -> None:
    """The config-only deploy, exactly as `manage.py deploy RECIPE` does it."""
    demo.say(f"==> python manage.py deploy {demo.recipe}")
    request = DeployRequest(demo.recipe, demo.sample.project_dir, assignments=dict(demo.assignments))
    demo.result = deploy(request, PlainOutput(demo.out))


def show_change(demo: Demo) -> None:
    """The one change the deploy made, as the user reviews it."""
    root = demo.sample.root
    # New files are untracked; intent-to-add makes `git diff` show them like the user's `git add -N`.
    _git(root, "add", "--intent-to-add", "--all")
    demo.say()
    demo.say("==> git diff --stat")
    demo.say(_git(root, "diff", "--stat").rstrip())
    demo.say()
    demo.say("==> git diff")
    demo.say(_git(root, "diff").rstrip())


def rehearse(demo: Demo) -> None:
    """Serve the configured copy the platform's way, as `manage.py deploy RECIPE --rehearse` does."""
    from deploybook.errors import DeployError
    from deploybook.runtime.rehearsal import rehearse_request

    demo.say()
    demo.say(f"==> python manage.py deploy {demo.recipe} --rehearse")
    # Building an image needs its base image from a registry, and the demo must run offline
    # too: it rehearses the image's commands in a virtualenv.
    environ = {**os.environ, "DEPLOYBOOK_CONTAINER_ENGINE": "none"}
    request = DeployRequest(demo.recipe, demo.sample.project_dir, assignments=dict(demo.assignments), environ=environ)
    report = rehearse_request(request, demo.out)
    if not report.ok:
        raise DeployError("the rehearsal failed", hint="the report above says which check failed and why")
    demo.say("The rehearsal served the project only while it probed it; nothing is left running.")


DEFAULT_STAGES: tuple[Stage, ...] = (configure, show_change, rehearse)


def run_demo(
    recipe: str = DEFAULT_RECIPE,
    *,
    out: TextIO,
    assignments: Mapping[str, str] | None = None,
    keep: bool = False,
    stages: Sequence[Stage] = DEFAULT_STAGES,
) -> Demo:
    """Materialize the sample into a temporary folder and run the stages there.

    The folder is removed afterwards unless `keep`, in which case its path is printed with
    commands to try there, each naming the Python that has deploybook and Django installed.
    """
    folder = Path(tempfile.mkdtemp(prefix="deploybook-demo-"))
    try:
        sample = materialize(folder / "jotter")
        install_app(sample.project_dir)  # and commits, as a user installing it would
        demo = Demo(recipe, sample, out, DEMO_DEFAULTS | dict(assignments or {}))
        demo.say(f"==> the sample project (Jotter), a fresh git repository in {sample.root}")
        demo.say("    with deploybook in INSTALLED_APPS, as Getting started says")
        demo.say()
        for stage in stages:
            stage(demo)
        demo.say()
        if keep:
            _say_kept(demo)
        else:
            demo.say("The temporary copy is removed. To keep it and try the commands yourself:")
            demo.say(f"    ./dev demo {recipe} --keep")
        return demo
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _say_kept(demo: Demo) -> None:
    """Commands that work when pasted: absolute paths, the Python this demo runs with."""
    python = shlex.quote(sys.executable)
    choices = "".join(f" --set {shlex.quote(f'{name}={value}')}" for name, value in demo.assignments.items())
    demo.say(f"The configured project is kept in {demo.sample.root} (the change is not committed).")
    demo.say(f"Its commands need a Python with deploybook and Django installed, such as {sys.executable}:")
    demo.say()
    demo.say(f"    cd {shlex.quote(str(demo.sample.project_dir))}")
    demo.say("    git diff")
    demo.say(f"    {python} manage.py deploy {demo.recipe}{choices} --rehearse")
    demo.say(f"    {python} manage.py migrate")
    demo.say(f"    {python} manage.py runserver 127.0.0.1:8000")
    demo.say()
    demo.say("The last two make the development database and serve the project in development")
    demo.say("at http://127.0.0.1:8000/ until Ctrl-C.")


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout
