"""The links lock: every link the recipe site has ever published, which must keep working.

Books, courses and blog posts link to recipe steps for years. `links.lock.json`, beside
mkdocs.yml, lists every page, step anchor and short link the site has ever published, and
which of them are *retired* (tombstones of removed steps, leading to a note on what replaced
them). The build fails when a listed link would disappear, when a retired id is given to a
new step (old printed links would then lead to different work), and when a new link is not
listed yet, so publishing a link is a reviewed change to the lock. Links are never dropped.

    python -m deploybook.compiler.site.lock             check, as the build does
    python -m deploybook.compiler.site.lock --update    list new links and new tombstones

A recipe pack's lock is beside its own mkdocs.yml: `--recipes src/PACKAGE/recipes` names its folder.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import field
from pathlib import Path
from typing import TypeGuard

from deploybook.errors import DeploybookError
from deploybook.records import record

from .links import published_links, recipe_of, retired_links, step_of
from .recipes import load_recipes

__all__ = [
    "LOCK_NAME",
    "Lock",
    "LockReport",
    "check_lock",
    "current_links",
    "main",
    "read_lock",
    "write_lock",
]

LOCK_NAME = "links.lock.json"
UPDATE_COMMAND = "python -m deploybook.compiler.site.lock --update"


def update_command(recipes: str = "recipes") -> str:
    """The command that updates the lock of a site whose recipes are in `recipes` (a pack's
    are in src/PACKAGE/recipes)."""
    return UPDATE_COMMAND if recipes == "recipes" else f"{UPDATE_COMMAND} --recipes {recipes}"


_VERSION_PAGE = re.compile(r"^/recipes/[^/]+/v([0-9]+)/$")  # an earlier version's page (versions.py)
ABOUT = (
    "Every link the recipe site has ever published; see site/authors.md. Links are never removed: "
    "the build fails if one disappears (keep it with an alias, or retire the step with a note), if a "
    f"retired id is reused, or if a new link is missing (run: {UPDATE_COMMAND})."
)


@record
class Lock:
    """Links as published: `links` is every one (live and retired), `retired` the tombstones."""

    links: frozenset[str] = frozenset()
    retired: frozenset[str] = frozenset()

    @property
    def live(self) -> frozenset[str]:
        return self.links - self.retired


@record
class LockReport:
    missing: tuple[str, ...]  # locked, but no longer published
    added: tuple[str, ...]  # published (live or as a tombstone), but not locked as such yet
    reused: tuple[str, ...] = field(default=())  # retired in the lock, but live again
    lock_name: str = LOCK_NAME
    recipes: str = "recipes"  # the recipes folder, from the site's root, as messages name it

    @property
    def ok(self) -> bool:
        return not self.missing and not self.added and not self.reused

    @property
    def refused(self) -> bool:
        """What no update may write into the lock."""
        return bool(self.missing or self.reused)

    def message(self) -> str:
        parts = []
        if self.reused:
            parts.append(_reused_message(self.reused, self.lock_name, self.recipes))
        if self.missing:
            parts.append(_missing_message(self.missing, self.lock_name, self.recipes))
        if self.added:
            parts.append(_added_message(self.added, self.lock_name, self.recipes))
        return "\n\n".join(parts)

    def refusal(self) -> str:
        parts = [_reused_message(self.reused, self.lock_name, self.recipes)] if self.reused else []
        if self.missing:
            parts.append(_missing_message(self.missing, self.lock_name, self.recipes))
        return "\n\n".join(parts)


def _reused_message(reused: Sequence[str], lock_name: str, recipes: str) -> str:
    lines = [f"{len(reused)} retired link{'s' * (len(reused) != 1)} in {lock_name} would lead to a new step:"]
    lines += [f"  {link}" for link in sorted(reused)]
    steps = sorted({f"{recipes}/{recipe_of(link)}.md: {step_of(link)}" for link in reused})
    lines.append(
        "  -> these step ids were retired; links printed with them lead to a note on what replaced the "
        "old step, and must never lead to different work. Give the new step another id:\n"
        + "\n".join(f"       {step}" for step in steps)
    )
    return "\n".join(lines)


def _added_message(added: Sequence[str], lock_name: str, recipes: str) -> str:
    by_recipe: dict[str, list[str]] = {}
    for link in added:
        by_recipe.setdefault(recipe_of(link), []).append(link)
    noun = "link is" if len(added) == 1 else "links are"
    lines = [f"{len(added)} new {noun} not in {lock_name} yet:"]
    for recipe_id, links in sorted(by_recipe.items()):
        steps = sorted({step for step in map(step_of, links) if step})
        page = " its page and" if any(step_of(link) is None for link in links) else ""
        what = f"{page} {len(steps)} step{'s' * (len(steps) != 1)}" if steps else page.removesuffix(" and")
        lines.append(f"  {recipes}/{recipe_id}.md:{what}" + (f" ({', '.join(steps)})" if steps else ""))
    lines.append(
        f"Publishing a link is a promise to keep it working. Run `{update_command(recipes)}` and commit "
        f"{lock_name} with the recipe."
    )
    return "\n".join(lines)


def _missing_message(missing: Sequence[str], lock_name: str, recipes: str) -> str:
    by_recipe: dict[str, list[str]] = {}
    for link in missing:
        by_recipe.setdefault(recipe_of(link), []).append(link)
    noun = "link" if len(missing) == 1 else "links"
    lines = [f"{len(missing)} published {noun} in {lock_name} would stop working:"]
    for recipe_id, links in sorted(by_recipe.items()):
        lines += [f"  {link}" for link in sorted(links)]
        steps = sorted({step for step in map(step_of, links) if step})
        versions = sorted(int(m.group(1)) for link in links if (m := _VERSION_PAGE.search(link)))
        for version in versions:
            lines.append(
                f"  -> {recipes}/{recipe_id}.md no longer publishes its version {version}, which books may "
                "print: a recipe's version only goes up (set `version:` back)"
            )
        if any(step_of(link) is None and not _VERSION_PAGE.search(link) for link in links):
            lines.append(f"  -> the recipe '{recipe_id}' is gone: restore {recipes}/{recipe_id}.md")
        elif steps:
            aliases = "".join(f"\n         {step}: <the step that now does its job>" for step in steps)
            note = '"Removed in version N: <what replaced it, and why>"'
            retired = "".join(f"\n         {step}: {note}" for step in steps)
            lines.append(
                f"  -> {recipes}/{recipe_id}.md no longer has the step{'s' * (len(steps) > 1)} "
                f"{', '.join(steps)}. Readers follow these links from books and courses. In that recipe's "
                f"front matter, either point them at the step that now does the job:\n       aliases:{aliases}\n"
                f"     or, if nothing does, retire them with a note for readers who arrive:\n       retired:{retired}"
            )
    lines.append("Published links are never dropped from the lock.")
    return "\n".join(lines)


def read_lock(path: Path) -> Lock | None:
    """The locked links, or None when there is no lock file yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise DeploybookError(
            f"cannot read {path.name}: {error}", hint=f"restore it from git, or run {UPDATE_COMMAND}"
        ) from error
    links = data.get("links") if isinstance(data, dict) else None
    retired = data.get("retired", []) if isinstance(data, dict) else None
    if not _strings(links):
        raise DeploybookError(f"{path.name} has no list of links", hint="restore it from git")
    if not _strings(retired) or not set(retired) <= set(links):
        raise DeploybookError(
            f"{path.name}: 'retired' must list links that are also in 'links'", hint="restore it from git"
        )
    return Lock(frozenset(links), frozenset(retired))


def _strings(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def write_lock(path: Path, links: Iterable[str], retired: Iterable[str] = ()) -> None:
    # One link a line, sorted: the lock's diff is the review of what a change publishes.
    tombstones = sorted(set(retired))
    data = {"about": ABOUT, "links": sorted(set(links) | set(tombstones)), "retired": tombstones}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def current_links(root: Path, recipes: str = "recipes") -> Lock:
    """What the recipes in `root/recipes` publish now, as a lock would list it."""
    live: set[str] = set()
    retired: set[str] = set()
    for loaded in load_recipes(root / recipes, root=root):
        live |= published_links(loaded.recipe)
        retired |= retired_links(loaded.recipe)
    return Lock(frozenset(live | retired), frozenset(retired))


def check_lock(current: Lock, locked: Lock | None, lock_name: str = LOCK_NAME, recipes: str = "recipes") -> LockReport:
    if locked is None:
        return LockReport((), tuple(sorted(current.links)), (), f"{lock_name} (which does not exist yet)", recipes)
    missing = locked.links - current.links
    added = (current.links - locked.links) | (current.retired - locked.retired)
    reused = locked.retired & current.live
    return LockReport(tuple(sorted(missing)), tuple(sorted(added)), tuple(sorted(reused)), lock_name, recipes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploybook.compiler.site.lock",
        description=f"Check or update {LOCK_NAME}, the list of every link the recipe site has published.",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="the folder with mkdocs.yml and recipes/")
    parser.add_argument("--recipes", default="recipes", help="the recipes folder, from --root (default: recipes)")
    parser.add_argument(
        "--update", action="store_true", help="add newly published links and newly retired steps to the lock"
    )
    args = parser.parse_args(argv)
    lock_path = args.root / LOCK_NAME
    try:
        current = current_links(args.root, args.recipes)
        locked = read_lock(lock_path)
    except DeploybookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report = check_lock(current, locked, recipes=args.recipes)
    if not args.update:
        print(report.message() if not report.ok else f"{LOCK_NAME}: all {len(current.links)} links are published")
        return 0 if report.ok else 1
    if report.refused:
        print(report.refusal(), file=sys.stderr)
        return 1
    before = locked or Lock()
    kept = Lock(before.links | current.links, before.retired | current.retired)
    write_lock(lock_path, kept.links, kept.retired)
    added = len(kept.links - before.links)
    retired = len(kept.retired - before.retired)
    print(f"{LOCK_NAME}: {added} added, {retired} retired, {len(kept.links)} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
