"""Command line for the lab, for scripts around the test suite.

python -m tests.vpslab check   # can this machine run guests? (exit 1 and why, if not)
python -m tests.vpslab build   # build or reuse the cached image now, e.g. in the
                               # background while linters run, so tests find it ready
"""

from __future__ import annotations

import argparse
import sys

from .errors import LabError
from .host import default_cache_dir, unavailable_reason
from .image import ensure_image
from .recipe import default_recipe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.vpslab", description="vpslab helper")
    parser.add_argument("command", choices=["check", "build"])
    args = parser.parse_args(argv)
    reason = unavailable_reason()
    if reason is not None:
        print(f"vpslab: cannot run here: {reason}", file=sys.stderr)
        return 1
    if args.command == "check":
        print("vpslab: this machine can run guests")
        return 0
    try:
        image = ensure_image(default_recipe(), default_cache_dir())
    except LabError as exc:
        print(f"vpslab: {exc}", file=sys.stderr)
        return 1
    how = "reused" if image.build_seconds is None else f"built in {image.build_seconds:.0f} s"
    if image.unpack_seconds is not None:
        how = f"unpacked in {image.unpack_seconds:.0f} s"
    print(f"vpslab: image {image.key} {how}: {image.archive}")
    image.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
