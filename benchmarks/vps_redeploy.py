"""How long the VPS recipe takes: the first deploy to a fresh server, then code-only redeploys.

Boots a fresh Debian guest (tests/vpslab; needs root and systemd-nspawn), deploys the sample
project with `python manage.py deploy vps --automate-all`, then changes a template, commits and
runs `--redeploy` a few times. Prints the figures and how they compare with the targets: a
redeploy under 15 s and under 20 % of the first deploy. Measures; asserts nothing.

    .venv/bin/python benchmarks/vps_redeploy.py [--db postgres|sqlite] [--redeploys 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))  # tests.vpslab and tests.e2e are not installed packages

from tests.e2e.vps_support import Deployer, http_get  # noqa: E402
from tests.vpslab import Lab, LabUnavailable  # noqa: E402

TARGET_SECONDS = 15.0
TARGET_SHARE = 0.20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--redeploys", type=int, default=3, help="code-only redeploys to time (default 3)")
    args = parser.parse_args()
    try:
        lab = Lab.open()
    except LabUnavailable as error:
        print(f"cannot boot a server here: {error}", file=sys.stderr)
        return 2
    with lab, tempfile.TemporaryDirectory(prefix="vps-bench-") as scratch:
        started = time.monotonic()
        guest = lab.boot()
        boot = time.monotonic() - started
        deployer = Deployer.create(Path(scratch), key=lab.ssh_key)
        address = guest.address
        first = deployer.deploy(
            "--automate-all", "--yes", f"--set=host={address}", f"--set=ssh_key={deployer.key}", f"--set=db={args.db}"
        ).check()
        provisioning, push = split_first_deploy(first.output, first.seconds)
        template = deployer.sample.project_dir / "templates" / "base.html"
        redeploys = []
        heading = "<h1>"
        for number in range(1, args.redeploys + 1):
            changed = f'<h1 data-deploy="{number}">'
            deployer.edit_and_commit(template, heading, changed, f"Change the heading ({number})")
            heading = changed
            redeploys.append(deployer.deploy("--redeploy", "--yes", f"--set=host={address}").check().seconds)
            assert heading in http_get(address).body, "the redeploy did not serve the change"
        again = deployer.run(["sh", "deploy/vps/bootstrap", address, str(deployer.key)]).check().seconds

    median = statistics.median(redeploys)
    share = median / first.seconds
    print(f"VPS recipe, db={args.db}, one fresh Debian 12 guest")
    print(f"  boot to SSH                    {boot:6.1f} s")
    print(f"  first deploy (--automate-all)  {first.seconds:6.1f} s")
    print(f"    all but the server's build   {provisioning:6.1f} s   (mostly provisioning)")
    print(f"    the server's first build     {push:6.1f} s")
    print(f"  redeploy (--redeploy), median  {median:6.1f} s   ({', '.join(f'{s:.1f}' for s in redeploys)})")
    print(f"  provisioning again (no-op)     {again:6.1f} s")
    print(f"  redeploy / first deploy        {share:6.1%}")
    within = median < TARGET_SECONDS and share < TARGET_SHARE
    verdict = "met" if within else "MISSED"
    print(f"  target: < {TARGET_SECONDS:.0f} s and < {TARGET_SHARE:.0%} of the first deploy: {verdict}")
    return 0


def split_first_deploy(output: str, total: float) -> tuple[float, float]:
    """(everything but the push's server side, the push's server side): the server's deploy
    script reports its own time ("==> Deployed REV in N s")."""
    for line in output.splitlines():
        if "==> Deployed" in line and " in " in line:
            seconds = float(line.split(" in ")[1].split(" s")[0])
            return total - seconds, seconds
    return total, 0.0


if __name__ == "__main__":
    sys.exit(main())
