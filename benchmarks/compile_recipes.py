"""How long compiling the bundled recipes takes, next to Django's own start-up.

    .venv/bin/python benchmarks/compile_recipes.py [--rounds 3] [--repeat 10] [--startups 5]

The target: compiling one recipe costs under 5% of Django's start-up, so `manage.py deploy`
never feels slower for reading Markdown.

What is compared, and why:

- Each compile is a fresh one (the file is read, the YAML, Markdown, steps and checks all done
  again); only the markdown-it parser object is reused, as it is within one process anyway.
  The first compile in the process is not timed: it builds that parser.
- Django's start-up is `import django; settings.configure(); django.setup()` in a new process,
  minus a bare `python -c pass` in the same run. The compiler runs inside the process that
  `manage.py` has already started, so the interpreter's own start-up is paid either way; what
  compiling competes with is what Django adds on top of it. (This makes the target stricter.)
- Every figure is the best of several runs, taken in rounds that interleave all the figures:
  on a shared machine the minimum is the least noisy estimate of the work itself (means mostly
  measure the neighbours), and interleaving keeps a busy spell from favouring one side.
- "cold" is what a user waits for once per command: a new process importing
  deploybook.compiler and compiling the first bundled recipe, also minus `python -c pass`.

It prints figures only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from deploybook.compiler import bundled_dir, compile_file, recipe_files

TARGET = 0.05
DJANGO = "import django; from django.conf import settings; settings.configure(); django.setup()"
COLD = "import sys; from deploybook.compiler import compile_file; compile_file(sys.argv[1])"


def best_of(count: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(count):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def measure(recipes: list[Path], rounds: int, repeat: int, startups: int) -> dict[str, float]:
    """Best time of every figure. The figures take turns, round after round, so a busy spell on a
    shared machine slows one round of everything rather than one figure in particular."""

    def process(*argv: str) -> Callable[[], object]:
        return lambda: subprocess.run([sys.executable, *argv], check=True, capture_output=True)

    figures: dict[str, tuple[int, Callable[[], object]]] = {
        "bare": (startups, process("-c", "pass")),
        "django": (startups, process("-c", DJANGO)),
        **{path.name: (repeat, lambda path=path: compile_file(path)) for path in recipes},
        "all": (repeat, lambda: [compile_file(path) for path in recipes]),
    }
    if recipes:
        figures["cold"] = (startups, process("-c", COLD, str(recipes[0])))
    best = dict.fromkeys(figures, float("inf"))
    for _ in range(rounds):
        for name, (count, run) in figures.items():
            best[name] = min(best[name], best_of(count, run))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every figure (default 3)")
    parser.add_argument("--repeat", type=int, default=10, help="compiles per figure and round (default 10)")
    parser.add_argument("--startups", type=int, default=5, help="process start-ups per figure and round (default 5)")
    args = parser.parse_args()

    recipes = recipe_files(bundled_dir())
    for path in recipes:  # warm-up: imports, and the markdown-it parser object
        compile_file(path)
    best = measure(recipes, args.rounds, args.repeat, args.startups)
    bare, django = best["bare"], best["django"] - best["bare"]

    print(f"Python {sys.version.split()[0]}, {len(recipes)} bundled recipes from {bundled_dir()}")
    print(f"best of {args.rounds} rounds x {args.startups} start-ups or {args.repeat} compiles")
    print()
    print("start-up:")
    print(f"  {'python -c pass':<40}{ms(bare)}")
    print(f"  {'django.setup(), beyond python -c pass':<40}{ms(django)}")
    print(f"  {'target per recipe (5% of that)':<40}{ms(django * TARGET)}")
    print()
    print("compile (fresh parse each time):")
    print(f"  {'recipe':<40}{'time':>11}{'of django':>12}   target 5%")
    for path in recipes:
        seconds = best[path.name]
        flag = "within" if seconds / django <= TARGET else "OVER"
        print(f"  {'recipes/' + path.name:<40}{ms(seconds)}{seconds / django:>11.1%}   {flag}")
    # The target is per recipe (a deploy compiles one); the sum is what `deploybook check` does.
    total = best["all"]
    print(f"  {f'all {len(recipes)}, one after another':<40}{ms(total)}{total / django:>11.1%}   -")
    if recipes:
        cold = best["cold"] - bare
        print()
        print(f"cold (new process: import the compiler, compile {recipes[0].name}):")
        print(f"  {'beyond python -c pass':<40}{ms(cold)}{cold / django:>11.1%}")


if __name__ == "__main__":
    main()
