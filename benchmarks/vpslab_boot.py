"""How long the VPS lab takes: image build, unpack, lab start, boot to SSH, stop, restart.

    sudo .venv/bin/python benchmarks/vpslab_boot.py            # uses the project's image cache
    sudo .venv/bin/python benchmarks/vpslab_boot.py --cold     # builds a fresh image in a temp dir

Prints figures only; the test suite never asserts on time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere in the checkout

from tests.vpslab import Lab, default_cache_dir, default_recipe, ensure_image


def timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def spread(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="build the image from scratch in a temporary cache")
    parser.add_argument("--boots", type=int, default=5, help="guests to boot one after another")
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="vpslab-bench-")) if args.cold else default_cache_dir()
    recipe = default_recipe()
    try:
        image = ensure_image(recipe, cache)
        if image.build_seconds is not None:
            size = image.archive.stat().st_size / 2**20
            print(f"image build (debootstrap + customise + pack): {image.build_seconds:6.1f} s, archive {size:.0f} MiB")
            image.close()
            shutil.rmtree(image.rootfs.parent)  # unpack from the archive, as a CI cache restore would
            image = ensure_image(recipe, cache)
            print(f"image unpack from the archive:                {image.unpack_seconds:6.1f} s")
        else:
            print(f"image reused from {image.archive}")
        lab_seconds = time.monotonic()
        with Lab.open(recipe, cache, image=image) as lab:
            print(f"lab open (slot, bridge, forwarder, key):      {time.monotonic() - lab_seconds:6.2f} s")
            boots, stops = [], []
            for _ in range(args.boots):
                guest = lab.boot()
                assert guest.boot_seconds is not None
                boots.append(guest.boot_seconds)
                stops.append(timed(guest.close))
            print(f"boot to SSH-ready, {args.boots} guests one by one: {spread(boots)}")
            print(f"orderly poweroff and delete:        {spread(stops)}")
            guest = lab.boot()
            print(f"restart (poweroff + boot to SSH):             {timed(guest.restart):6.2f} s")
            apt = "DEBIAN_FRONTEND=noninteractive apt-get -qq -y"
            seconds = timed(lambda: guest.ssh(f"{apt} update && {apt} install caddy postgresql", check=True))
            print(f"apt-get update + install caddy postgresql:    {seconds:6.1f} s")
        image.close()
    finally:
        if args.cold:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
