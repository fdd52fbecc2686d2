"""The requirements a recipe asks for, parsed once, and how they compare with what is there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from deploybook.errors import RequirementsError

T = TypeVar("T")

__all__ = ["Requirement", "Wanted", "canonical", "parse_requirements", "present", "satisfies"]


class Wanted(Requirement):
    """A requirement the recipe asks for, with the ones that would do instead.

    `psycopg[binary]>=3.1 | psycopg2-binary>=2.9` asks for psycopg unless the project already
    has psycopg2-binary: the first is added only when none of them is there.
    """

    def __init__(self, line: str) -> None:
        first, *others = (part.strip() for part in line.split(" | "))
        super().__init__(first)
        self.alternatives: tuple[Requirement, ...] = (self, *(Requirement(other) for other in others))


def present(
    existing: Mapping[str, T], wanted: Requirement, requirement_of: Callable[[T], Requirement | None]
) -> tuple[T, Requirement] | None:
    """The project's entry for `wanted` or one of its alternatives, and which one it matched:
    the first alternative it satisfies, else the first it names."""
    named = None
    for option in getattr(wanted, "alternatives", (wanted,)):
        found = existing.get(canonical(option.name))
        if found is None:
            continue
        current = requirement_of(found)
        if current is not None and satisfies(current, option):
            return found, option
        named = named or (found, option)
    return named


def parse_requirements(lines: list[str]) -> list[Requirement]:
    """Parse PEP 508 lines (`a | b` for alternatives), dropping repeats of a name (the first wins)."""
    parsed: dict[str, Requirement] = {}
    for line in lines:
        try:
            requirement = Wanted(line.strip())
        except InvalidRequirement as error:
            raise RequirementsError(
                f"not a PEP 508 requirement: {line!r} ({error})",
                hint="write requirements as pip would read them, e.g. gunicorn>=22 or psycopg[binary]>=3.1",
            ) from error
        parsed.setdefault(canonical(requirement.name), requirement)
    return list(parsed.values())


def canonical(name: str) -> str:
    return str(canonicalize_name(name))


def satisfies(existing: Requirement, wanted: Requirement) -> bool:
    """Whether the user's own entry already gives what the recipe asks for.

    True when it has the wanted extras and every version it allows is one the recipe allows
    (Django==5.2.19 or django>=5.2,<6 both satisfy django>=4.2). Anything else is reported and
    left alone: the entry is the user's decision.
    """
    if not wanted.extras <= existing.extras:
        return False
    return _within(existing.specifier, wanted.specifier)


def _within(inner: SpecifierSet, outer: SpecifierSet) -> bool:
    # Specifier sets are unions of intervals bounded by the versions they name, so probing
    # those versions and their neighbours decides containment for the ranges people write.
    if not outer or inner == outer:
        return True
    probes = {Version("0"), Version("99999")}
    for spec in (*inner, *outer):
        try:
            bound = Version(spec.version.removesuffix(".*"))
        except InvalidVersion:
            return False
        release = list(bound.release)
        probes.add(bound)
        probes.add(Version(".".join(map(str, [*release, 1]))))
        for index in range(len(release)):
            for step in (-1, 1):
                neighbour = [*release[:index], release[index] + step]
                if neighbour[-1] >= 0:
                    probes.add(Version(".".join(map(str, neighbour))))
    allowed = [probe for probe in probes if inner.contains(probe, prereleases=True)]
    return bool(allowed) and all(outer.contains(probe, prereleases=True) for probe in allowed)
