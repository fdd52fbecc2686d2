"""Build the guest image once, cache it, and share it between test processes.

Cache layout under ``<cache>/images/``::

    <key>.tar.zst   the packed image (portable: a CI cache can keep just this)
    <key>/rootfs/   the unpacked tree, used read-only as every guest's overlay lower layer
    <key>.json      the recipe in readable form;  <key>.build.log  debootstrap's output
    <key>.lock      exclusive while building, shared while guests use the tree

Parallel pytest-xdist workers all call ``ensure_image``: the first builds under the exclusive
lock, the others wait on it and then reuse the result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .customize import customize
from .errors import LabError
from .locking import FileLock
from .recipe import ImageRecipe

__all__ = ["Image", "ensure_image"]

_TAR_OPTIONS = ("--numeric-owner", "--xattrs", "--xattrs-include=*")  # keeps file capabilities


@dataclass
class Image:
    """A ready image; holds a shared lock so no other run prunes it while in use."""

    key: str
    rootfs: Path
    archive: Path
    build_seconds: float | None = None  # None: reused from the cache
    unpack_seconds: float | None = None
    _lock: FileLock | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()


def ensure_image(recipe: ImageRecipe, cache_dir: Path) -> Image:
    """The image for ``recipe``: reused if cached, unpacked from the archive, or built."""
    key = recipe.key()
    images = cache_dir / "images"
    lock = FileLock(images / f"{key}.lock")
    # Shared first: other processes keep a shared lock while their guests run, so asking
    # for the exclusive one straight away would wait for their whole session.
    lock.acquire(shared=True)
    try:
        image = _ready(images, key)
        if image is None:
            lock.release()
            lock.acquire()  # exclusive: build or unpack, others wait
            image = _ready(images, key) or _materialise(recipe, images, key, lock.fileno())
            _prune(images, keep=key)
            # Not atomic, but only pruning takes others' locks, and it never waits for them.
            lock.acquire(shared=True)
        os.utime(lock.path)  # last use, for pruning
    except BaseException:
        lock.release()
        raise
    image._lock = lock
    return image


def _ready(images: Path, key: str) -> Image | None:
    rootfs = images / key / "rootfs"
    return Image(key, rootfs, images / f"{key}.tar.zst") if rootfs.is_dir() else None


def _materialise(recipe: ImageRecipe, images: Path, key: str, lock_fd: int) -> Image:
    final, archive = images / key, images / f"{key}.tar.zst"
    for leftover in images.glob(f"{key}.tmp-*"):  # from a run that died mid-build
        shutil.rmtree(leftover)
    staging = images / f"{key}.tmp-{os.getpid()}"
    staging.mkdir(parents=True)
    started = time.monotonic()
    if archive.is_file():
        _unpack(archive, staging / "rootfs")
        built, unpacked = None, time.monotonic() - started
    else:
        _build(recipe, staging / "rootfs", images / f"{key}.build.log", lock_fd)
        _pack(staging / "rootfs", staging / "image.tar.zst")
        (staging / "image.tar.zst").rename(archive)
        (images / f"{key}.json").write_text(json.dumps(recipe.describe(), indent=2) + "\n")
        built, unpacked = time.monotonic() - started, None
    staging.rename(final)  # atomic: a tree under <key>/ is always complete
    return Image(key, final / "rootfs", archive, built, unpacked)


def _build(recipe: ImageRecipe, target: Path, log_path: Path, lock_fd: int) -> None:
    argv = [
        # If this process dies, debootstrap is told to stop; until it and its children have
        # exited they keep the inherited lock, so no other run cleans up under their feet.
        *("setpriv", "--pdeathsig", "TERM"),
        "debootstrap",
        f"--variant={recipe.variant}",
        f"--include={','.join(recipe.packages)}",
        recipe.codename,
        str(target),
        recipe.mirror,
    ]
    with log_path.open("w") as log:
        result = subprocess.run(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, pass_fds=(lock_fd,)
        )
    if result.returncode != 0:
        tail = "".join(log_path.read_text(errors="replace").splitlines(True)[-15:])
        raise LabError(
            f"debootstrap of {recipe.codename} from {recipe.mirror} failed "
            f"(exit {result.returncode}); full log: {log_path}\n{tail}"
        )
    customize(target, recipe.sources, recipe.ca_bundle)


def _pack(rootfs: Path, archive: Path) -> None:
    _run_tar("--create", f"--file={archive}", "--use-compress-program=zstd -T0", "-C", str(rootfs), ".")


def _unpack(archive: Path, rootfs: Path) -> None:
    rootfs.mkdir(parents=True)
    _run_tar(
        "--extract",
        "--preserve-permissions",
        f"--file={archive}",
        "--use-compress-program=zstd",
        "-C",
        str(rootfs),
    )


def _run_tar(*args: str) -> None:
    result = subprocess.run(["tar", *_TAR_OPTIONS, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise LabError(f"tar {' '.join(args)} failed: {result.stderr.strip()}")


def _prune(images: Path, keep: str, spare: int = 1) -> None:
    """Delete older images nobody is using; the ``spare`` most recent others stay (a branch switch)."""
    others = sorted(
        (lock for lock in images.glob("*.lock") if lock.stem != keep),
        key=lambda lock: lock.stat().st_mtime,
        reverse=True,
    )
    for lock_path in others[spare:]:
        lock = FileLock(lock_path)
        if not lock.acquire(blocking=False):
            continue  # in use by another run
        try:
            stem = lock_path.stem
            for path in [images / stem, *images.glob(f"{stem}.tmp-*")]:
                shutil.rmtree(path, ignore_errors=True)
            for suffix in (".tar.zst", ".json", ".build.log"):
                (images / f"{stem}{suffix}").unlink(missing_ok=True)
        finally:
            lock.release()
