"""Time the recipe site's build: the real recipes, then 50 and 200 generated ones.

Prints figures only. The generated recipes are copies of the real ones under new ids, in a
temporary copy of the site, so their pages are as large and varied as real pages. The
marginal cost per recipe, (build time - build time with no recipes) / recipes, stays about
flat when the build grows no worse than linearly.

    .venv/bin/python benchmarks/site_build.py
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # material's banner, printed at import

from mkdocs.commands.build import build
from mkdocs.config import load_config

from deploybook.compiler.catalog import recipe_files
from deploybook.compiler.site.lock import main as lock_main

REPO = Path(__file__).resolve().parents[1]
RUNS = 2


def make_site(root: Path, count: int | None) -> None:
    """A copy of the site with the real recipes (count None) or `count` generated ones."""
    shutil.copytree(REPO / "site", root / "site")
    shutil.copytree(REPO / "recipes", root / "recipes")
    config = (REPO / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("compiler/site/hook.py", str(REPO / "compiler/site/hook.py")))
    if count is None:
        return
    originals = [(path.stem, path.read_text()) for path in recipe_files(root / "recipes")]
    for path in recipe_files(root / "recipes"):
        path.unlink()
    for index in range(count):
        stem, text = originals[index % len(originals)]
        new_id = f"{stem}-{index:03d}"
        text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1 {index:03d}", text, count=1, flags=re.M)
        (root / "recipes" / f"{new_id}.md").write_text(text)


def time_build(count: int | None) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        make_site(root, count)
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                (root / "links.lock.json").unlink(missing_ok=True)  # this site's own links
                lock_main(["--root", str(root), "--update"])
            finally:
                sys.stdout = stdout
        recipes = len(recipe_files(root / "recipes"))
        best = float("inf")
        for _ in range(RUNS):
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "public"))
            start = time.perf_counter()
            build(config)
            best = min(best, time.perf_counter() - start)
        return recipes, best


def main() -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    _, base = time_build(0)
    print(f"site without recipes:  {base:6.2f} s")
    marginal: list[float] = []
    for label, count in (("real recipes", None), ("generated", 50), ("generated", 200)):
        recipes, seconds = time_build(count)
        per_recipe = (seconds - base) / recipes
        marginal.append(per_recipe)
        print(
            f"{label + ':':14s} {recipes:4d} recipes  {seconds:6.2f} s  "
            f"{per_recipe * 1000:6.1f} ms per recipe  {seconds / recipes * 1000:6.1f} ms per recipe overall"
        )
    print(f"per-recipe cost, 200 generated / real recipes: {marginal[-1] / marginal[0]:.2f} (1.00 = linear)")
    print(f"per-recipe cost, 200 generated / 50 generated: {marginal[-1] / marginal[1]:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
