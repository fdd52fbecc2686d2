"""Helpers for the VPS recipe's end-to-end tests and benchmark: a user's machine and a server.

The "user" is a throwaway sample project with its own HOME (so the test machine's ~/.ssh is
never read or written), running the real `python manage.py deploy vps` in a subprocess. The
server is a vpslab guest, reached the way a user reaches it: ssh as the deploy user with the
user's key, and HTTP on its address.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import venv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deploybook.samples import SampleProject, materialize
from deploybook.testing import commit_all, install_app
from tests.vpslab.guest import INSIDE_ENV, Guest

__all__ = [
    "APP",
    "LOCAL_TOOLS",
    "ArgvSampler",
    "Deployer",
    "Finished",
    "Load",
    "Response",
    "ensure_local_tools",
    "host_key_fingerprint",
    "http_get",
    "is_loopback",
    "listeners",
    "secrets_from_env_file",
    "server_ssh",
    "texts_under",
    "ufw_ports",
    "wait_out_ssh_rate_limit",
]

APP = "jotter"  # the sample project's slug, so the app's name on the server
PROJECT = Path(__file__).resolve().parents[2]
# The dependency managers' own CLIs, which `--automate-all` runs locally to refresh a lock file
# after adding the production packages (pinned like the recipe pins them on the server).
LOCAL_TOOLS = ("uv==0.13.9", "pipenv==2026.10.3")


@dataclass(frozen=True, slots=True)
class Finished:
    argv: tuple[str, ...]
    returncode: int
    output: str
    seconds: float

    def check(self) -> Finished:
        if self.returncode != 0:
            raise AssertionError(
                f"`{shlex.join(self.argv)}` exited with {self.returncode} after {self.seconds:.1f} s:\n{self.output}"
            )
        return self


@dataclass
class Deployer:
    """A user's machine: a sample project, a HOME of its own and an SSH key."""

    sample: SampleProject
    home: Path
    key: Path
    environ: dict[str, str]
    outputs: list[str] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        base: Path,
        *,
        flavour: str = "requirements",
        layout: str = "flat",
        key: Path | None = None,
        tools: Path | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> Deployer:
        """A fresh sample project under `base`, with deploybook in INSTALLED_APPS, committed.

        `key`: a private key to copy in as ~/.ssh/id_ed25519 (the one the server's root already
        accepts); without it, bootstrap makes one. `tools`: a folder put first on PATH.
        """
        home = base / "home"
        (home / ".ssh").mkdir(parents=True)
        (home / ".ssh").chmod(0o700)
        target = home / ".ssh" / "id_ed25519"
        if key is not None:
            shutil.copyfile(key, target)
            target.chmod(0o600)
            shutil.copyfile(key.with_suffix(".pub"), target.with_suffix(".pub"))
        sample = materialize(base / "project", flavour=flavour, layout=layout)
        install_app(sample.project_dir)
        environ = {
            name: value for name, value in os.environ.items() if not name.startswith(("SSH_", "GIT_", "DEPLOYBOOK_"))
        }
        environ |= {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
        environ.pop("SSHPASS", None)
        environ.pop("VPS_HOST", None)
        paths = [str(_ssh_in_home(home))] + ([str(tools)] if tools is not None else [])
        environ["PATH"] = os.pathsep.join([*paths, environ.get("PATH", "")])
        environ |= dict(extra_env or {})
        return cls(sample, home, target, environ)

    @property
    def root(self) -> Path:
        return self.sample.root

    def run(self, argv: Sequence[str], *, cwd: Path | None = None, timeout: float = 900) -> Finished:
        started = time.monotonic()
        done = subprocess.run(
            list(argv), cwd=cwd or self.root, env=self.environ, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
        )  # fmt: skip
        self.outputs.append(done.stdout)
        return Finished(tuple(argv), done.returncode, done.stdout, time.monotonic() - started)

    def deploy(self, *options: str, timeout: float = 900) -> Finished:
        """`python manage.py deploy vps OPTIONS` in the project, as the user runs it."""
        argv = [sys.executable, "manage.py", "deploy", "vps", *options]
        return self.run(argv, cwd=self.sample.project_dir, timeout=timeout)

    def edit_and_commit(self, path: Path, old: str, new: str, message: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{path} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        commit_all(self.root, message)


def _ssh_in_home(home: Path) -> Path:
    """A folder with an `ssh` that keeps to `home`; returns it, to put first on PATH.

    OpenSSH finds ~/.ssh through the password database, not $HOME, so the scripts' ssh would
    read this machine's ~/.ssh/config and write its known_hosts. The wrapper points both at the
    test's HOME; everything else is the real ssh with the scripts' own options.
    """
    real = shutil.which("ssh")
    assert real is not None, "the tests need OpenSSH's client"
    folder = home / "bin"
    folder.mkdir()
    wrapper = folder / "ssh"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'exec {shlex.quote(real)} -F "$HOME/.ssh/config" -o UserKnownHostsFile="$HOME/.ssh/known_hosts" '
        '-o IdentityAgent=none "$@"\n'
    )
    wrapper.chmod(0o755)
    (home / ".ssh" / "config").write_text("# the tests' own, empty ssh configuration\n")
    return folder


def server_ssh(address: str, key: Path, command: str, *, user: str = "admin", timeout: float = 120) -> str:
    """Run `command` on the server as `user` (the admin user has sudo); its stdout, or raise.

    The commands share one connection per user (ControlMaster): the server's firewall limits
    new SSH connections to 6 in 30 s from one address, as it should."""
    control = Path(tempfile.gettempdir()) / "deploybook-e2e-ssh-%C"
    argv = [
        "ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
        "-o", "ConnectTimeout=10", "-o", "ControlMaster=auto", "-o", f"ControlPath={control}",
        "-o", "ControlPersist=30", "-i", str(key), f"{user}@{address}", command,
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AssertionError(f"{user}@{address}: `{command}` exited with {done.returncode}: {done.stderr}")
    return done.stdout


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: str


def http_get(address: str, path: str = "/", *, host: str | None = None, port: int = 80) -> Response:
    """One plain HTTP request to the server's own address; redirects are not followed."""
    connection = http.client.HTTPConnection(address, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host or address})
        answer = connection.getresponse()
        body = answer.read().decode("utf-8", errors="replace")
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, body)
    finally:
        connection.close()


class Load:
    """A bounded load generator: `threads` clients send `GET /` to the server's own address,
    one connection per request, until the block ends or `limit` requests have been sent.

    Every answer must be a 200 with a complete page (its closing `</html>`); anything else, a
    connection refused or reset included, is recorded as a failure with what it was. `seen`
    counts the pages by the marker they carry, to tell the old release from the new one.
    """

    def __init__(self, address: str, *, markers: Sequence[str] = (), threads: int = 4, limit: int = 20000) -> None:
        self.address, self.markers, self.threads, self.limit = address, tuple(markers), threads, limit
        self.sent = 0
        self.served = 0
        self.failures: list[str] = []
        self.seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def __enter__(self) -> Load:
        self._workers = [threading.Thread(target=self._client, daemon=True) for _ in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=60)

    def _client(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if self.sent >= self.limit:
                    return
                self.sent += 1
            try:
                answer = http_get(self.address)
                problem = None if answer.status == 200 and "</html>" in answer.body else f"HTTP {answer.status}"
            except (OSError, http.client.HTTPException) as error:
                answer, problem = None, f"{type(error).__name__}: {error}"
            with self._lock:
                if problem is not None:
                    self.failures.append(problem)
                    continue
                assert answer is not None
                self.served += 1
                for marker in self.markers:
                    if marker in answer.body:
                        self.seen[marker] = self.seen.get(marker, 0) + 1

    def summary(self) -> str:
        return f"{self.served} of {self.sent} requests served, {len(self.failures)} failed: {self.failures[:5]}"


class ArgvSampler:
    """Every command line seen inside a guest while the block runs: a loop in the guest reads
    /proc/*/cmdline about fifty times a second into a file there, which `lines()` returns.
    Short-lived processes can slip between two passes; a value in a long-running provision
    shows up many times over."""

    LOG = "/var/tmp/deploybook-argv-sample"

    def __init__(self, guest: Guest) -> None:
        self.guest = guest
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ArgvSampler:
        loop = (
            f"while :; do for f in /proc/[0-9]*/cmdline; do tr '\\000' ' ' < $f 2>/dev/null; echo; done "
            f">> {self.LOG}; sleep 0.02; done"
        )
        self._process = subprocess.Popen(
            self.guest.inside_argv(loop), env=INSIDE_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._process is not None
        self._process.kill()
        self._process.wait()
        self.guest.inside("pkill -f 'deploybook-argv-sample' || true", check=False)

    def lines(self) -> list[str]:
        return self.guest.inside(f"cat {self.LOG}").stdout.splitlines()


def wait_out_ssh_rate_limit() -> None:
    """The server's firewall lets one address open 6 new SSH connections in 30 s and refuses
    the next, as it should; a test that pushes and logs in quickly waits it out, as a user
    would."""
    time.sleep(31)


def host_key_fingerprint(public_key: str) -> str:
    """The SHA256 fingerprint of an OpenSSH public key line, as ssh-keygen -l prints it."""
    done = subprocess.run(["ssh-keygen", "-l", "-f", "-"], input=public_key, capture_output=True, text=True, check=True)
    return done.stdout.split()[1]


def listeners(ss_output: str) -> list[tuple[str, str]]:
    """(local address, process name) for each listening socket in `ss -Hltnup` output."""
    found = []
    for line in ss_output.splitlines():
        fields = line.split()
        if len(fields) < 6:
            continue
        local = fields[4].rsplit(":", 1)[0]
        names = re.findall(r'\("([^"]+)"', " ".join(fields[6:]))
        found.append((local, names[0] if names else "?"))
    return found


def is_loopback(address: str) -> bool:
    address = address.strip("[]").split("%")[0]
    return address.startswith("127.") or address == "::1"


def ufw_ports(status: str, action: str = "ALLOW") -> set[str]:
    """The ports `ufw status` lets in with `action` (ALLOW or LIMIT), without protocol or (v6)."""
    ports = set()
    for line in status.splitlines():
        if f" {action} " in f" {line} ":
            ports.add(line.split()[0].split("/")[0])
    return ports


def secrets_from_env_file(text: str) -> dict[str, str]:
    """The secret values in the server's /etc/APP/env: SECRET_KEY and the database password."""
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    found = {"DJANGO_SECRET_KEY": values["DJANGO_SECRET_KEY"]}
    match = re.match(r"postgres://[^:]+:([^@]+)@", values.get("DATABASE_URL", ""))
    if match:
        found["database password"] = match.group(1)
    return found


def texts_under(*roots: Path) -> dict[str, bytes]:
    """Every file under `roots` (git's compressed objects aside), for a search for secrets."""
    found: dict[str, bytes] = {}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink() and "objects" not in path.relative_to(root).parts:
                found[str(path)] = path.read_bytes()
    return found


def ensure_local_tools(cache: Path | None = None) -> Path:
    """A cached virtualenv with LOCAL_TOOLS; returns a folder holding only their commands, to
    put first on PATH (the virtualenv's own `python` must not shadow the user's)."""
    cache = cache or PROJECT / ".cache" / "e2e-tools"
    folder = cache / re.sub(r"[^a-z0-9.]+", "-", "-".join(LOCAL_TOOLS).lower())
    commands = folder / "commands"
    if (folder / "ready").exists():
        return commands
    shutil.rmtree(folder, ignore_errors=True)
    venv.create(folder / "venv", with_pip=True)
    done = subprocess.run(
        [str(folder / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         *LOCAL_TOOLS],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"installing {', '.join(LOCAL_TOOLS)} failed:\n{done.stdout}{done.stderr}")
    commands.mkdir()
    for name in ("uv", "uvx", "pipenv"):
        (commands / name).symlink_to(folder / "venv" / "bin" / name)
    (folder / "ready").write_text("\n".join(LOCAL_TOOLS) + "\n")
    return commands
