"""What a visitor sees while the VPS recipe redeploys, and how long a redeploy takes.

Boots a fresh Debian guest (tests/vpslab; needs root and systemd-nspawn) per database, deploys the
sample project with `python manage.py deploy vps --automate-all`, then, while a bounded load
generator on this machine sends requests to the site (its own address only), runs each kind of
redeploy: code-only changes, a change that adds a migration, a change whose migration fails (the
push is refused), and a rollback. Prints, for each, the requests served and failed and the time it
took, next to the first deploy; and how the code-only redeploy compares with the targets (under
15 s and under 20 % of the first deploy). Measures; asserts nothing.

    .venv/bin/python benchmarks/vps_redeploy.py [--db postgres|sqlite|both] [--redeploys 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))  # tests.vpslab and tests.e2e are not installed packages

from deploybook.testing import commit_all  # noqa: E402
from tests.e2e.vps_support import Deployer, Finished, Load, host_key_fingerprint, http_get  # noqa: E402
from tests.vpslab import Lab, LabUnavailable  # noqa: E402

TARGET_SECONDS = 15.0
TARGET_SHARE = 0.20
MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [%s]
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--redeploys", type=int, default=3, help="code-only redeploys to time (default 3)")
    args = parser.parse_args()
    try:
        lab = Lab.open()
    except LabUnavailable as error:
        print(f"cannot boot a server here: {error}", file=sys.stderr)
        return 2
    with lab:
        for db in ("postgres", "sqlite") if args.db == "both" else (args.db,):
            measure(lab, db, args.redeploys)
    return 0


def measure(lab: Lab, db: str, redeploys: int) -> None:
    with tempfile.TemporaryDirectory(prefix="vps-bench-") as scratch:
        started = time.monotonic()
        guest = lab.boot()
        boot = time.monotonic() - started
        deployer = Deployer.create(Path(scratch), key=lab.ssh_key)
        address = guest.address
        host = f"--set=host={address}"
        first = deployer.deploy(
            "--automate-all", "--yes", host, f"--set=ssh_key={deployer.key}", f"--set=db={db}",
            f"--set=host_key={host_key_fingerprint(guest.host_public_key)}",
        ).check()  # fmt: skip
        rows: list[tuple[str, float, Load]] = []
        template = deployer.sample.project_dir / "templates" / "base.html"
        heading = "<h1>"
        code_only = []
        for number in range(1, redeploys + 1):
            changed = f'<h1 data-deploy="{number}">'
            deployer.edit_and_commit(template, heading, changed, f"Change the heading ({number})")
            heading = changed
            done, load = under_load(address, lambda: deployer.deploy("--redeploy", "--yes", host).check())
            assert heading in http_get(address).body, "the redeploy did not serve the change"
            code_only.append(done.seconds)
            rows.append((f"code-only redeploy {number}", done.seconds, load))

        migrations = deployer.sample.project_dir / "notes" / "migrations"
        (migrations / "0002_note_pinned.py").write_text(
            MIGRATION % 'migrations.AddField("note", "pinned", models.BooleanField(default=False))'
        )
        commit_all(deployer.root, "Pin notes")
        done, load = under_load(address, lambda: deployer.deploy("--redeploy", "--yes", host).check())
        rows.append(("redeploy adding a migration", done.seconds, load))

        (migrations / "0003_fails.py").write_text(
            (MIGRATION % "migrations.RunPython(lambda apps, schema_editor: 1 / 0)").replace(
                '"0001_initial"', '"0002_note_pinned"'
            )
        )
        commit_all(deployer.root, "A migration that fails")
        done, load = under_load(address, lambda: deployer.deploy("--redeploy", "--yes", host))
        assert done.returncode != 0, "the failing migration was deployed"
        rows.append(("redeploy whose migration fails", done.seconds, load))

        rollback = ("--rollback", "--yes", host, f"--set=ssh_key={deployer.key}")
        done, load = under_load(address, lambda: deployer.deploy(*rollback).check())
        rows.append(("rollback", done.seconds, load))
        again = deployer.run(["sh", "deploy/vps/bootstrap", address, str(deployer.key)]).check().seconds
        guest.close()

    median = statistics.median(code_only)
    share = median / first.seconds
    print(f"VPS recipe, db={db}, one fresh Debian 12 guest")
    print(f"  boot to SSH                       {boot:6.1f} s")
    print(f"  first deploy (--automate-all)     {first.seconds:6.1f} s")
    print(f"  provisioning again (no-op)        {again:6.1f} s")
    print("  under load (4 clients, one connection per request):")
    for name, seconds, load in rows:
        share_of_first = seconds / first.seconds
        print(
            f"    {name:<31} {seconds:6.1f} s ({share_of_first:4.0%} of the first deploy)   "
            f"{load.served:5d} served, {len(load.failures)} failed"
        )
    within = median < TARGET_SECONDS and share < TARGET_SHARE
    verdict = "met" if within else "MISSED"
    print(f"  code-only redeploy, median        {median:6.1f} s   ({share:.1%} of the first deploy)")
    print(f"  target: < {TARGET_SECONDS:.0f} s and < {TARGET_SHARE:.0%} of the first deploy: {verdict}")


def under_load(address: str, action: Callable[[], Finished]) -> tuple[Finished, Load]:
    with Load(address) as load:
        done = action()
    return done, load


if __name__ == "__main__":
    sys.exit(main())
