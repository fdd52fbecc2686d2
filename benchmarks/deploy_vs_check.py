"""How long the configuration-only deploy and its dry run take next to `manage.py check`,
measured in one run.

    python benchmarks/deploy_vs_check.py [--runs N] [--recipe heroku] [--project sample|startproject]

Each round makes a fresh project, with "deploybook" in INSTALLED_APPS, committed: a copy of
the bundled sample, or (`--project startproject`) what `django-admin startproject` makes plus
a requirements.txt naming Django. It times `python manage.py check` on it, then
`python manage.py deploy RECIPE --dry-run`, then `python manage.py deploy RECIPE`, all as real
subprocesses with the same interpreter. The rounds interleave them so that a busy machine
slows all alike. It prints the medians of the wall-clock time and of the CPU time (user +
system of the child process, which a busy machine disturbs much less), and the ratios to
`check`: each round's own ratio (the three commands of a round ran within a second of each
other, on the same machine load), then the median over the rounds. The target is a ratio of
at most 1.15 for both. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploybook.samples import materialize
from deploybook.testing import commit_all, install_app

TARGET = 1.15
# A real install has bytecode for every module, Django's and deploybook's alike; without this,
# an environment with PYTHONDONTWRITEBYTECODE would compile deploybook from source every run.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=CHILD_ENV)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def fresh_project(dest: Path, kind: str) -> Path:
    """A committed project in `dest` with deploybook installed; returns the manage.py folder."""
    if kind == "sample":
        project_dir = materialize(dest).project_dir
    else:
        dest.mkdir()
        subprocess.run([sys.executable, "-m", "django", "startproject", "mysite", "."], cwd=dest, check=True)
        (dest / "requirements.txt").write_text("Django>=5.2,<6\n")
        (dest / ".gitignore").write_text("db.sqlite3\n__pycache__/\n")
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
        commit_all(dest, "django-admin startproject mysite")
        project_dir = dest
    install_app(project_dir)
    return project_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="rounds to measure (default 9)")
    parser.add_argument("--recipe", default="heroku", help="the recipe to deploy (default heroku)")
    parser.add_argument(
        "--project",
        choices=("sample", "startproject"),
        default="sample",
        help="the bundled sample (default) or a bare `django-admin startproject` project",
    )
    args = parser.parse_args()
    python = sys.executable
    commands = {
        "manage.py check": ["check"],
        f"manage.py deploy {args.recipe} --dry-run": ["deploy", args.recipe, "--dry-run"],
        f"manage.py deploy {args.recipe}": ["deploy", args.recipe],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="deploybook-bench-") as folder:
        # One warm-up round fills the OS file cache and writes .pyc files; it is not counted.
        for round_number in range(args.runs + 1):
            project_dir = fresh_project(Path(folder) / f"project{round_number}", args.project)
            for name, argv in commands.items():  # the dry run first: it leaves the tree as it is
                measured = timed([python, "manage.py", *argv], project_dir)
                if round_number:
                    runs[name].append(measured)
    width = max(map(len, commands)) + len("ratio  / check")
    print(f"{'':{width}}  {'wall (ms)':>10}  {'CPU (ms)':>10}   medians of {args.runs} runs, {args.project}")
    medians = {name: [statistics.median(r[i] for r in found) for i in (0, 1)] for name, found in runs.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name:{width}}  {wall * 1000:10.1f}  {cpu * 1000:10.1f}")
    base = runs["manage.py check"]
    for name in list(commands)[1:]:
        ratio = [statistics.median(r[i] / b[i] for r, b in zip(runs[name], base, strict=True)) for i in (0, 1)]
        print(
            f"{'ratio ' + name.removeprefix('manage.py ') + ' / check':{width}}  {ratio[0]:10.2f}  {ratio[1]:10.2f}"
            f"   (target <= {TARGET})"
        )


if __name__ == "__main__":
    main()
