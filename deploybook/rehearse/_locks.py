"""What a platform would install: exact pins read from the project's lock file, and the project's
direct requirements, read from its manifest, to check the lock against.

The dependency managers themselves are not needed: the lock files are plain TOML or JSON, and
pip installs the pins (`name==version ; marker`) without resolving anything. A lock file that no
longer matches its manifest (gunicorn added but not locked) is what Poetry, Pipenv, uv and PDM
refuse on a platform; `stale_requirements` finds exactly that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from deploybook.inspect.constraints import poetry_to_pep440

__all__ = ["direct_requirements", "locked_pins"]


def locked_pins(pkg: str, lock: Path) -> list[str]:
    """The runtime packages the lock file pins, as pip requirement lines."""
    if pkg == "pipenv":
        return _pipenv(json.loads(lock.read_text(encoding="utf-8")))
    data = _toml(lock.read_text(encoding="utf-8"))
    if pkg == "poetry":
        return _poetry(data)
    if pkg == "pdm":
        return _pdm(data)
    if pkg == "uv":
        return _uv(data)
    raise ValueError(f"no lock file reader for {pkg!r}")


def direct_requirements(pkg: str, manifest: Path) -> list[Requirement]:
    """The runtime requirements the project declares itself (not its development ones)."""
    if pkg == "pipenv":
        table = _toml(manifest.read_text(encoding="utf-8")).get("packages", {})
        return _from_table(table)
    data = _toml(manifest.read_text(encoding="utf-8"))
    project = data.get("project", {})
    if "dependencies" in project:
        return _parse(project["dependencies"])
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    return _from_table({k: v for k, v in poetry.items() if k.lower() != "python"})


def _line(name: str, version: str, marker: object = None, extras: Iterable[str] = ()) -> str:
    extra = f"[{','.join(sorted(extras))}]" if extras else ""
    text = f"{name}{extra}=={version}"
    return f"{text} ; {marker}" if isinstance(marker, str) and marker.strip() else text


def _pipenv(data: Mapping[str, Any]) -> list[str]:
    pins = []
    for name, entry in data.get("default", {}).items():
        version = str(entry.get("version", "")).removeprefix("==")
        if version:
            pins.append(_line(name, version, entry.get("markers"), entry.get("extras", ())))
    return pins


def _poetry(data: Mapping[str, Any]) -> list[str]:
    pins = []
    for package in data.get("package", []):
        # Poetry 2 lists each package's groups; older locks say category = "main".
        groups = package.get("groups") or [package.get("category", "main")]
        if "main" not in groups or package.get("optional", False):
            continue
        marker = package.get("markers")
        if isinstance(marker, dict):  # per group: the runtime group's marker applies
            marker = marker.get("main")
        pins.append(_line(package["name"], package["version"], marker))
    return pins


def _pdm(data: Mapping[str, Any]) -> list[str]:
    return [
        _line(package["name"], package["version"], package.get("marker"))
        for package in data.get("package", [])
        if "default" in package.get("groups", ["default"])
    ]


def _uv(data: Mapping[str, Any]) -> list[str]:
    """Walk the graph from the project itself, leaving out its development groups."""
    packages = {str(canonicalize_name(p["name"])): p for p in data.get("package", [])}
    roots = [p for p in packages.values() if _is_project(p)]
    # name -> markers of the edges that reach it; None in the set: reached unconditionally.
    reached: dict[str, set[str | None]] = {}
    queue: list[tuple[Mapping[str, Any], frozenset[str]]] = [(root, frozenset()) for root in roots]
    seen: set[tuple[str, frozenset[str]]] = set()
    while queue:
        package, extras = queue.pop()
        key = (canonicalize_name(package["name"]), extras)
        if key in seen:
            continue
        seen.add(key)
        edges = list(package.get("dependencies", []))
        for extra in extras:
            edges += package.get("optional-dependencies", {}).get(extra, [])
        for edge in edges:
            target = str(canonicalize_name(edge["name"]))
            if target not in packages:
                continue
            reached.setdefault(target, set()).add(edge.get("marker"))
            queue.append((packages[target], frozenset(edge.get("extra", ()))))
    pins = []
    for name, markers in sorted(reached.items()):
        package = packages[name]
        if _is_project(package):
            continue
        marker = None if None in markers else " or ".join(f"({m})" for m in sorted(m for m in markers if m))
        pins.append(_line(package["name"], package["version"], marker))
    return pins


def _is_project(package: Mapping[str, Any]) -> bool:
    source = package.get("source", {})
    return "virtual" in source or "editable" in source


def _parse(lines: Iterable[str]) -> list[Requirement]:
    parsed = []
    for line in lines:
        try:
            parsed.append(Requirement(line))
        except InvalidRequirement:
            continue  # a URL or path entry: nothing to compare a lock with
    return parsed


def _from_table(table: Mapping[str, Any]) -> list[Requirement]:
    """Poetry's and Pipfile's `name = constraint` tables, as PEP 508 requirements."""
    lines = []
    for name, value in table.items():
        version = value.get("version", "*") if isinstance(value, dict) else value
        extras = value.get("extras", []) if isinstance(value, dict) else []
        if not isinstance(version, str):
            continue
        alternatives = poetry_to_pep440(version)
        specifier = str(alternatives[0]) if len(alternatives) == 1 else ""
        extra = f"[{','.join(extras)}]" if extras else ""
        lines.append(f"{name}{extra}{specifier}")
    return _parse(lines)


def _toml(text: str) -> dict[str, Any]:
    # tomlkit, not tomllib: deploybook supports Python 3.10, which has no tomllib.
    return tomlkit.parse(text).unwrap()
