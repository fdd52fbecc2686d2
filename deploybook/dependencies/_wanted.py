"""The requirements a recipe asks for, parsed once, and how they compare with what is there."""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from deploybook.errors import RequirementsError

__all__ = ["Requirement", "canonical", "parse_requirements", "satisfies"]


def parse_requirements(lines: list[str]) -> list[Requirement]:
    """Parse PEP 508 lines, dropping repeats of a name (the first one wins)."""
    parsed: dict[str, Requirement] = {}
    for line in lines:
        try:
            requirement = Requirement(line.strip())
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
