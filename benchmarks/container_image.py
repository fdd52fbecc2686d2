"""The Fly.io image of the sample project: cold build, rebuild after a code-only change, and
its size next to a plain single-stage `pip install` image of the same project.

    .venv/bin/python benchmarks/container_image.py [FLAVOUR]     (default: requirements)

Needs podman and root (the base is the tests' local stand-in for python:X.Y-slim, see
tests/containers/base.py). Prints the figures; nothing is asserted. Targets: the rebuild takes
under 20% of the cold build (the dependency layer is reused), and the image is smaller than
the single-stage one.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.containers

from deploybook.containers import Engine
from deploybook.testing.recipe_cases import RecipeCase, configure
from tests.containers.base import PYTHON_VERSION, ensure_base, lab_engine
from tests.containers.locks import refresh_lock

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
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


def main(flavour: str) -> int:
    engine = lab_engine()
    ensure_base(engine)
    with tempfile.TemporaryDirectory() as scratch:
        case = RecipeCase(RECIPES / "fly-io.md", "fly-io", flavour, "flat", "postgres")
        project = configure(case, Path(scratch) / "p")
        refresh_lock(project.root, flavour)
        tag = "localhost/deploybook-bench:multi"
        cold = _build(engine, project.root, tag, "--no-cache")
        code = next(project.root.glob("*/admin.py"))
        code.write_text(code.read_text() + "\n# a code-only change\n")
        rebuild = _build(engine, project.root, tag)
        print(f"cold build               {cold:7.1f} s")
        share = 100 * rebuild / cold
        print(f"code-only rebuild        {rebuild:7.1f} s  ({share:.0f}% of the cold build; target < 20%)")
        multi = _size(engine, tag)
        if flavour == "requirements":
            (project.root / "Dockerfile.single").write_text(_SINGLE_STAGE.format(version=PYTHON_VERSION))
            single_tag = "localhost/deploybook-bench:single"
            _build(engine, project.root, single_tag, "--file", str(project.root / "Dockerfile.single"))
            single = _size(engine, single_tag)
            print(f"image size               {multi / 1e6:7.1f} MB")
            print(f"single-stage pip image   {single / 1e6:7.1f} MB  (ours is {100 * multi / single:.0f}% of it)")
        else:
            print(f"image size               {multi / 1e6:7.1f} MB  (single-stage comparison: requirements only)")
    return 0


def _build(engine: Engine, context: Path, tag: str, *flags: str) -> float:
    started = time.perf_counter()
    argv = engine.argv("build", *engine.build_flags, *flags, "--tag", tag, str(context))
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


def _size(engine: Engine, tag: str) -> int:
    argv = engine.argv("image", "inspect", "--format", "{{.Size}}", tag)
    done = subprocess.run(argv, check=True, capture_output=True)
    return int(done.stdout.decode().strip())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements"))
