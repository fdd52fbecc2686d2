"""A throwaway PostgreSQL cluster for tests and rehearsals, from the machine's own binaries.

`postgres_server()` initdb's a cluster in a fresh temporary folder, starts it on a unix socket
in that folder and on a free loopback port, and removes everything on exit. PostgreSQL refuses
to run as root, so as root the cluster belongs to the `postgres` OS user (which Debian's
package creates) and its folder is made outside any root-only parent, where that user can
reach it. Durability is switched off: nothing in a throwaway cluster is worth an fsync.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from deploybook.records import record

__all__ = ["PostgresError", "PostgresServer", "find_bindir", "postgres_server"]

_SUPERUSER = "postgres"
_START_TIMEOUT = 30.0  # seconds; pg_ctl -w waits this long at most


class PostgresError(RuntimeError):
    """PostgreSQL could not be found, initialised, started or used."""


@record
class PostgresServer:
    """A running throwaway cluster; `create_database` gives each user its own database."""

    bindir: Path
    base: Path
    """The temporary folder holding the data directory, the socket and the log."""
    port: int
    run_as: str | None
    """The OS user the server runs as, when that is not the current user."""

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base

    @property
    def log_file(self) -> Path:
        return self.base / "server.log"

    def url(self, database: str, user: str, password: str, *, host: str = "127.0.0.1") -> str:
        """A postgresql:// URL over the loopback port, as a platform's DATABASE_URL would be."""
        return f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{self.port}/{quote(database)}"

    def create_database(self, name: str, *, user: str | None = None, password: str = "rehearsal") -> str:
        """Create a login role and a database it owns; returns the database's URL."""
        owner = user or name
        self.sql(
            f"CREATE ROLE {_identifier(owner)} LOGIN PASSWORD {_literal(password)}",
            f"CREATE DATABASE {_identifier(name)} OWNER {_identifier(owner)}",
        )
        return self.url(name, owner, password)

    def drop_database(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {_identifier(name)} WITH (FORCE)")

    def sql(self, *statements: str) -> str:
        """Run statements as the superuser over the unix socket; returns psql's output."""
        argv = [str(self.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir)]
        argv += ["-p", str(self.port), "-U", _SUPERUSER, "-d", "postgres"]
        for statement in statements:
            argv += ["-c", statement]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise PostgresError(f"psql failed: {done.stderr.strip()}")
        return done.stdout


def find_bindir(candidates: Sequence[Path] | None = None) -> Path:
    """The newest PostgreSQL server binaries: Debian keeps them out of PATH, per version."""
    found = list(candidates) if candidates is not None else _debian_bindirs()
    on_path = shutil.which("initdb")
    if on_path:
        found.append(Path(on_path).parent)
    for bindir in found:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresError(
        "PostgreSQL's server programs (initdb, pg_ctl) were not found: install PostgreSQL "
        "(on Debian or Ubuntu: apt-get install postgresql)"
    )


def _debian_bindirs() -> list[Path]:
    root = Path("/usr/lib/postgresql")
    return sorted(
        (p for p in root.glob("*/bin") if p.parent.name.isdigit()), key=lambda p: int(p.parent.name), reverse=True
    )


@contextmanager
def postgres_server(*, bindir: Path | None = None) -> Iterator[PostgresServer]:
    """Start a throwaway cluster; stop it and delete its files on exit, however it is left."""
    server = start(bindir=bindir)
    try:
        yield server
    finally:
        stop(server)


def start(*, bindir: Path | None = None) -> PostgresServer:
    """Initialise and start a cluster. Prefer `postgres_server()`; pair this with `stop()`."""
    programs = bindir or find_bindir()
    run_as = _SUPERUSER if os.geteuid() == 0 else None
    # Outside pytest's root-only tmp folders: the postgres user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="deploybook-pg-", dir="/tmp" if run_as else None))
    try:
        if run_as:
            account = pwd.getpwnam(run_as)
            os.chown(base, account.pw_uid, account.pw_gid)
        server = PostgresServer(programs, base, _free_port(), run_as)
        _initdb(server)
        _pg_ctl_start(server)
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return server


def stop(server: PostgresServer) -> None:
    """Stop the server at once (its data is thrown away) and remove its folder."""
    try:
        if (server.data_dir / "postmaster.pid").exists():
            _as_owner(server, [str(server.bindir / "pg_ctl"), "-D", str(server.data_dir), "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(server.base, ignore_errors=True)


def _initdb(server: PostgresServer) -> None:
    argv = [str(server.bindir / "initdb"), "-D", str(server.data_dir), "-U", _SUPERUSER, "-E", "UTF8"]
    # Trust over the socket (only this folder's owner can reach it), passwords over TCP,
    # as a platform's database would ask for.
    argv += ["--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--locale=C.UTF-8"]
    done = _as_owner(server, argv)
    if done.returncode != 0:
        raise PostgresError(f"initdb failed: {done.stdout.strip()}")


def _pg_ctl_start(server: PostgresServer) -> None:
    options = (
        f"-k {server.socket_dir} -p {server.port} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
    )
    argv = [str(server.bindir / "pg_ctl"), "-D", str(server.data_dir), "-l", str(server.log_file)]
    argv += ["-o", options, "-w", "-t", str(int(_START_TIMEOUT)), "start"]
    done = _as_owner(server, argv)
    if done.returncode != 0:
        log = server.log_file.read_text(errors="replace") if server.log_file.exists() else ""
        raise PostgresError(f"PostgreSQL did not start: {done.stdout.strip()}\n{log[-2000:]}")
    _wait_for_socket(server)


def _wait_for_socket(server: PostgresServer) -> None:
    # pg_ctl -w already waits for readiness; this covers the socket file appearing a moment later.
    deadline = time.monotonic() + _START_TIMEOUT
    socket_file = server.socket_dir / f".s.PGSQL.{server.port}"
    while not socket_file.exists():
        if time.monotonic() > deadline:
            raise PostgresError(f"PostgreSQL's socket {socket_file} did not appear")
        time.sleep(0.05)


def _as_owner(server: PostgresServer, argv: list[str]) -> subprocess.CompletedProcess[str]:
    if server.run_as:
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        argv = [runuser, "-u", server.run_as, "--", *argv]
    return subprocess.run(
        argv, cwd=server.base, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )


def _free_port() -> int:
    # The port is free now; PostgreSQL binds it a moment later, which is good enough on a test machine.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
