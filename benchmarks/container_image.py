"""The Fly.io image of the sample project, per dependency manager: cold build, rebuild after a
code-only change, and its size next to a plain single-stage `pip install` image of the same
project.

    .venv/bin/python benchmarks/container_image.py [--rounds N] [FLAVOUR ...]
        (default: 2 rounds of requirements, poetry, pipenv, uv and pdm)

Needs podman and root (the base is the tests' local stand-in for python:X.Y-slim, see
tests/containers/base.py). Each round runs in a podman store of its own that holds only the
base image, so that the cold build finds no layer of an earlier run or test and the benchmark
leaves no image behind. Prints the figures (medians over the rounds); nothing is asserted. Targets:
the rebuild takes under 20% of the cold build (the dependency layer is reused), and the image
is smaller than the single-stage one.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.containers

from deploybook.containers import Engine
from deploybook.testing.recipe_cases import RecipeCase, configure
from tests.containers.base import PYTHON_VERSION, ensure_base, lab_engine
from tests.containers.locks import refresh_lock

ROOT = Path(__file__).resolve().parents[1]
FLAVOURS = ("requirements", "poetry", "pipenv", "uv", "pdm")
# The same job done the plain way: one stage, pip as it comes (its download cache kept).
_SINGLE_STAGE = """\
FROM python:{version}-slim
ENV DJANGO_ENV=production
WORKDIR /app
COPY . .
RUN pip install --requirement requirements.txt
RUN python manage.py collectstatic --noinput
CMD ["gunicorn", "jotter.wsgi"]
"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("flavours", nargs="*", metavar="FLAVOUR", help=f"default: {' '.join(FLAVOURS)}")
    args = parser.parse_args(argv)
    unknown = set(args.flavours) - {*FLAVOURS, "poetry-pep621"}
    if unknown:
        parser.error(f"unknown flavour {', '.join(sorted(unknown))}; choose from {', '.join(FLAVOURS)}, poetry-pep621")
    flavours = args.flavours or FLAVOURS
    host = lab_engine()
    base = ensure_base(host)
    print(f"{'flavour':<14}{'cold build':>12}{'code-only rebuild':>26}{'image':>10}{'single-stage pip':>20}")
    with tempfile.TemporaryDirectory(prefix="deploybook-bench-", dir=ROOT / ".cache" / "containers") as scratch:
        for flavour in flavours:
            case = RecipeCase(ROOT / "recipes" / "fly-io.md", "fly-io", flavour, "flat", "postgres")
            project = configure(case, Path(scratch) / flavour)
            refresh_lock(project.root, flavour)
            code = next(project.root.glob("*/admin.py"))
            colds, rebuilds, sizes, singles = [], [], [], []
            for _ in range(args.rounds):
                with _store(host, base) as engine:
                    colds.append(_build(engine, project.root, "localhost/bench:multi"))
                    code.write_text(code.read_text() + f"\n# a code-only change, {time.time()}\n")
                    rebuilds.append(_build(engine, project.root, "localhost/bench:multi"))
                    sizes.append(_size(engine, "localhost/bench:multi"))
                    if flavour == "requirements":
                        single = project.root / "Dockerfile.single"
                        single.write_text(_SINGLE_STAGE.format(version=PYTHON_VERSION))
                        _build(engine, project.root, "localhost/bench:single", "--file", str(single))
                        singles.append(_size(engine, "localhost/bench:single"))
                        single.unlink()
            cold, rebuild = statistics.median(colds), statistics.median(rebuilds)
            share = statistics.median(r / c for r, c in zip(rebuilds, colds, strict=True))
            size = statistics.median(sizes)
            versus = ""
            if singles:
                single_size = statistics.median(singles)
                versus = f"{single_size / 1e6:9.1f} MB (ours {100 * size / single_size:.0f}%)"
            print(
                f"{flavour:<14}{cold:10.1f} s{rebuild:10.1f} s ({100 * share:4.1f}% of cold)"
                f"{size / 1e6:7.1f} MB{versus}"
            )
    print("targets: a code-only rebuild under 20% of the cold build; the image smaller than the single-stage one")
    return 0


@contextmanager
def _store(host: Engine, base: str) -> Iterator[Engine]:
    """An engine on a podman store of its own that holds only the base image, under the name the
    Dockerfile's FROM uses; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="deploybook-store-", dir="/var/tmp"))  # podman: runroot < 50 characters
    engine = Engine(
        host.program,
        (*host.global_flags, *(f"--{name}={folder / name}" for name in ("root", "runroot", "tmpdir"))),
        host.build_flags,
        host.run_flags,
    )
    archive = folder / "base.tar"
    copy = [host.argv("save", "--output", str(archive), base), engine.argv("load", "--input", str(archive))]
    try:
        for argv in copy:
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"copying the base image {base} into {folder} failed:\n{done.stderr[-2000:]}")
        archive.unlink()
        subprocess.run(engine.argv("tag", base, f"docker.io/library/python:{PYTHON_VERSION}-slim"), check=True)
        yield engine
    finally:
        # Not `system reset`: it also clears state that the host's podman shares. The overlay
        # driver mounts its folder over itself, so it is unmounted before the folder goes.
        subprocess.run(engine.argv("rmi", "--all", "--force"), capture_output=True, check=False)
        subprocess.run(["umount", str(folder / "root" / "overlay")], capture_output=True, check=False)
        shutil.rmtree(folder)


def _build(engine: Engine, context: Path, tag: str, *flags: str) -> float:
    started = time.perf_counter()
    argv = engine.argv("build", *engine.build_flags, *flags, "--tag", tag, str(context))
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return time.perf_counter() - started


def _size(engine: Engine, tag: str) -> int:
    argv = engine.argv("image", "inspect", "--format", "{{.Size}}", tag)
    done = subprocess.run(argv, check=True, capture_output=True)
    return int(done.stdout.decode().strip())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
