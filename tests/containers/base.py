"""A local stand-in for the official `python:X.Y-slim` image, which no registry here can serve.

It has the same layout: a Debian bookworm root file system (the VPS lab's cached image) with a
CPython of the pinned version in /usr/local (this machine's own build, copied). It is imported
into podman once and tagged both `localhost/deploybook-python:<key>` and with the name the
recipes' Dockerfiles use in FROM, so those build unchanged. The key hashes everything that
goes in, so a change builds a new base and an unchanged one is reused across runs.

    python -m tests.containers.base     builds (or finds) the base and prints its tags
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from deploybook.containers import Engine
from tests.vpslab.host import default_cache_dir
from tests.vpslab.image import ensure_image
from tests.vpslab.locking import FileLock
from tests.vpslab.recipe import default_recipe

__all__ = ["PYTHON_VERSION", "ensure_base", "lab_engine"]

PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
# What podman needs on a host with hybrid cgroups and a capped process limit (see
# site/contributing.md#containers).
_GLOBAL = ("--runtime", "runc", "--cgroup-manager=cgroupfs")
_BUILD = ("--isolation=chroot", "--network", "host")
_RUN = ("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024")
_SKIPPED = (  # not in python:X.Y-slim either, or unusable without the host's extra libraries
    "lib/python*/test",
    "lib/python*/idlelib",
    "lib/python*/tkinter",
    "lib/python*/turtledemo",
    "lib/python*/lib-dynload/_tkinter*",
    "__pycache__",
)
_PIP_SCRIPT = "import sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n"
_ENV = {
    "PATH": "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "PYTHON_VERSION": sys.version.split()[0],
    # The root file system trusts this machine's CAs (the lab bakes them in); tools that bring
    # their own CA list (Poetry's requests) must use it too, behind a TLS-inspecting proxy.
    "REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt",
}


def lab_engine() -> Engine:
    program = shutil.which("podman")
    if program is None:
        raise RuntimeError("podman is not installed: ./dev test installs it (Debian packages podman, runc)")
    return Engine(program, _GLOBAL, _BUILD, _RUN)


def ensure_base(engine: Engine) -> str:
    """The base image's tag, importing it first when this machine has not got it yet."""
    rootfs_image = ensure_image(default_recipe(), default_cache_dir())
    key = _key(rootfs_image.key)
    tag = f"localhost/deploybook-python:{PYTHON_VERSION}-{key}"
    cache = Path(__file__).resolve().parents[2] / ".cache" / "containers"
    cache.mkdir(parents=True, exist_ok=True)
    lock = FileLock(cache / "base.lock")
    lock.acquire()
    try:
        if not _exists(engine, tag):
            _import(engine, rootfs_image.rootfs, tag)
        for alias in (f"docker.io/library/python:{PYTHON_VERSION}-slim",):
            subprocess.run(engine.argv("tag", tag, alias), check=True, capture_output=True)
    finally:
        lock.release()
        rootfs_image.close()
    return tag


def _key(rootfs_key: str) -> str:
    digest = hashlib.sha256()
    digest.update(rootfs_key.encode())
    digest.update(sys.version.encode())
    digest.update(sys.base_prefix.encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:12]


def _exists(engine: Engine, tag: str) -> bool:
    return subprocess.run(engine.argv("image", "exists", tag), capture_output=True).returncode == 0


def _import(engine: Engine, rootfs: Path, tag: str) -> None:
    prefix = Path(sys.base_prefix)
    version = f"python{PYTHON_VERSION}"
    with tempfile.TemporaryDirectory(prefix="deploybook-base-", dir=rootfs.parent) as scratch:
        stage = Path(scratch) / "rootfs"
        subprocess.run(["cp", "-a", "--reflink=auto", str(rootfs), str(stage)], check=True)
        local = stage / "usr" / "local"
        members = ["include", "lib/pkgconfig", f"lib/{version}", f"bin/{version}"]
        members += [p.relative_to(prefix).as_posix() for p in (prefix / "lib").glob("libpython*")]
        excludes = [f"--exclude={pattern}" for pattern in _SKIPPED]
        excludes.append(f"--exclude=lib/{version}/site-packages/*")
        _copy_tree(prefix, members, excludes, local)
        packages = prefix / "lib" / version / "site-packages"
        kept = [p.name for p in packages.iterdir() if p.name.split("-")[0] in ("pip", "setuptools")]
        _copy_tree(packages, kept, ["--exclude=__pycache__"], local / "lib" / version / "site-packages")
        for name in ("python3", "python"):
            (local / "bin" / name).symlink_to(version)
        (local / "bin" / "pip").write_text(f"#!/usr/local/bin/{version}\n{_PIP_SCRIPT}")
        (local / "bin" / "pip").chmod(0o755)
        subprocess.run(["ldconfig", "-r", str(stage)], check=True)  # finds libpython in /usr/local/lib
        changes = [f"--change=ENV {name}={value}" for name, value in _ENV.items()]
        changes.append('--change=CMD ["python3"]')
        tar = subprocess.Popen(["tar", "--numeric-owner", "-C", str(stage), "-cf", "-", "."], stdout=subprocess.PIPE)
        subprocess.run(engine.argv("import", *changes, "-", tag), stdin=tar.stdout, check=True, capture_output=True)
        if tar.wait() != 0:
            raise RuntimeError("packing the base image's file system failed")


def _copy_tree(source: Path, members: list[str], excludes: list[str], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    pack = subprocess.Popen(["tar", "-C", str(source), *excludes, "-cf", "-", *members], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-C", str(target), "-xf", "-"], stdin=pack.stdout, check=True)
    if pack.wait() != 0:
        raise RuntimeError(f"copying {source} failed")


if __name__ == "__main__":
    print(ensure_base(lab_engine()))
