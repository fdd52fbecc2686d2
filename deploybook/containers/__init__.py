"""Build and run a project's container image with podman or docker, on this machine."""

from __future__ import annotations

from deploybook.containers._engine import Engine, find_engine
from deploybook.containers._run import Container, build_image, run_container

__all__ = ["Container", "Engine", "build_image", "find_engine", "run_container"]
