"""The deploy log: one file per run in the project's `.deploybook/logs/`, ignored by git.

Every line reaches the file through the Console, which redacts secret values first. The
folder ignores itself (a `.gitignore` holding `*`, as pytest's cache does), so a log left by
a failed run never makes the working tree dirty; the project's own .gitignore gets the
folder too, as part of the deploy's change.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TextIO

from deploybook.runtime.paths import OWN_DIR, own_folder

__all__ = ["DeployLog", "log_dir"]


def log_dir(root: Path) -> Path:
    return root / OWN_DIR / "logs"


class DeployLog:
    def __init__(self, root: Path, recipe_id: str, mode: str) -> None:
        folder = own_folder(root) / "logs"
        folder.mkdir(exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.path = folder / f"{now:%Y%m%d-%H%M%S-%f}-{recipe_id}-{mode}.log"
        self.relative = self.path.relative_to(root).as_posix()
        self._file: TextIO | None = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self.write(f"deploybook deploy log, {now:%Y-%m-%d %H:%M:%S} UTC")

    def write(self, line: str) -> None:
        if self._file is not None:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
