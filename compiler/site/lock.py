"""The links lock: every link the recipe site has published, which must keep working.

Books, courses and blog posts link to recipe steps for years. `links.lock.json`, beside
mkdocs.yml, lists every published page, step anchor and short link. The site build fails
when a listed link would disappear (unless the recipe keeps it alive with an alias) and
when a new link is not listed yet, so publishing a link is a reviewed change to the lock.

    python -m deploybook.compiler.site.lock             check, as the build does
    python -m deploybook.compiler.site.lock --update    list new links in the lock
    python -m deploybook.compiler.site.lock --update --prune
                                                        also drop vanished links (breaks them!)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from deploybook.errors import DeploybookError

from .links import published_links, recipe_of, step_of
from .recipes import load_recipes

__all__ = ["LOCK_NAME", "LockReport", "check_lock", "current_links", "main", "read_lock", "write_lock"]

LOCK_NAME = "links.lock.json"
UPDATE_COMMAND = "python -m deploybook.compiler.site.lock --update"
ABOUT = (
    "Every link the recipe site has published; see site/authors.md. The build fails if one "
    f"disappears (keep it with an alias in the recipe) or a new one is missing (run: {UPDATE_COMMAND})."
)


@dataclass(frozen=True, slots=True)
class LockReport:
    missing: tuple[str, ...]  # locked, but no longer published
    added: tuple[str, ...]  # published, but not locked yet
    lock_name: str = LOCK_NAME

    @property
    def ok(self) -> bool:
        return not self.missing and not self.added

    def message(self) -> str:
        parts = []
        if self.missing:
            parts.append(_missing_message(self.missing, self.lock_name))
        if self.added:
            parts.append(_added_message(self.added, self.lock_name))
        return "\n\n".join(parts)


def _added_message(added: Sequence[str], lock_name: str) -> str:
    by_recipe: dict[str, list[str]] = {}
    for link in added:
        by_recipe.setdefault(recipe_of(link), []).append(link)
    noun = "link is" if len(added) == 1 else "links are"
    lines = [f"{len(added)} new {noun} not in {lock_name} yet:"]
    for recipe_id, links in sorted(by_recipe.items()):
        steps = sorted({step for step in map(step_of, links) if step})
        page = " its page and" if any(step_of(link) is None for link in links) else ""
        what = f"{page} {len(steps)} step{'s' * (len(steps) != 1)}" if steps else page.removesuffix(" and")
        lines.append(f"  recipes/{recipe_id}.md:{what}" + (f" ({', '.join(steps)})" if steps else ""))
    lines.append(
        f"Publishing a link is a promise to keep it working. Run `{UPDATE_COMMAND}` and commit "
        f"{lock_name} with the recipe."
    )
    return "\n".join(lines)


def _missing_message(missing: Sequence[str], lock_name: str) -> str:
    by_recipe: dict[str, list[str]] = {}
    for link in missing:
        by_recipe.setdefault(recipe_of(link), []).append(link)
    noun = "link" if len(missing) == 1 else "links"
    lines = [f"{len(missing)} published {noun} in {lock_name} would stop working:"]
    for recipe_id, links in sorted(by_recipe.items()):
        lines += [f"  {link}" for link in sorted(links)]
        steps = sorted({step for step in map(step_of, links) if step})
        if any(step_of(link) is None for link in links):
            lines.append(f"  -> the recipe '{recipe_id}' is gone: restore recipes/{recipe_id}.md")
        elif steps:
            aliases = "".join(f"\n         {step}: <the step that now does its job>" for step in steps)
            lines.append(
                f"  -> recipes/{recipe_id}.md no longer has the step{'s' * (len(steps) > 1)} "
                f"{', '.join(steps)}. Readers follow these links from books and courses; keep them "
                f"working with aliases in that recipe's front matter:\n       aliases:{aliases}"
            )
    lines.append(f"Only if breaking these links is intended (say why in the commit): {UPDATE_COMMAND} --prune")
    return "\n".join(lines)


def read_lock(path: Path) -> set[str] | None:
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
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        raise DeploybookError(f"{path.name} has no list of links", hint="restore it from git")
    return set(links)


def write_lock(path: Path, links: Iterable[str]) -> None:
    # One link a line, sorted: the lock's diff is the review of what a change publishes.
    data = {"about": ABOUT, "links": sorted(set(links))}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def current_links(root: Path) -> set[str]:
    links: set[str] = set()
    for loaded in load_recipes(root / "recipes", root=root):
        links |= published_links(loaded.recipe)
    return links


def check_lock(current: set[str], locked: set[str] | None, lock_name: str = LOCK_NAME) -> LockReport:
    if locked is None:
        return LockReport((), tuple(sorted(current)), f"{lock_name} (which does not exist yet)")
    return LockReport(tuple(sorted(locked - current)), tuple(sorted(current - locked)), lock_name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploybook.compiler.site.lock",
        description=f"Check or update {LOCK_NAME}, the list of links the recipe site keeps working.",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="the folder with mkdocs.yml and recipes/")
    parser.add_argument("--update", action="store_true", help="add newly published links to the lock")
    parser.add_argument(
        "--prune", action="store_true", help="with --update: also drop links that vanished (this breaks them)"
    )
    args = parser.parse_args(argv)
    if args.prune and not args.update:
        parser.error("--prune goes with --update")
    lock_path = args.root / LOCK_NAME
    try:
        current = current_links(args.root)
        locked = read_lock(lock_path)
    except DeploybookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report = check_lock(current, locked)
    if not args.update:
        print(report.message() if not report.ok else f"{LOCK_NAME}: all {len(current)} links are published")
        return 0 if report.ok else 1
    if report.missing and not args.prune:
        print(_missing_message(report.missing, LOCK_NAME), file=sys.stderr)
        return 1
    kept = current if args.prune else current | (locked or set())
    write_lock(lock_path, kept)
    dropped = len(report.missing) if args.prune else 0
    print(f"{LOCK_NAME}: {len(report.added)} added, {dropped} dropped, {len(kept)} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
