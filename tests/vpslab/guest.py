"""One booted guest: a systemd-nspawn container that looks like a fresh cloud VPS.

Its disk is an overlay: the shared read-only image below, the guest's own upper directory on
top. The overlay is mounted inside a private mount namespace (``unshare``) on a tmpfs, so the
host never sees the mount and it disappears with nspawn, however nspawn ends. The upper
directory stays on disk, so a restarted guest keeps everything written before.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from .errors import LabError
from .network import delete_link, link_names
from .processes import write_record
from .sshclient import Auth, base_options, password_env

__all__ = ["INSIDE_ENV", "Guest", "GuestCommandError"]

_NSPAWN_RUNTIME = Path("/run/systemd/nspawn")  # nspawn's own runtime dir, shadowed by a tmpfs

# Runs as: sh -c BOOT_SCRIPT vpslab-boot RUNTIME LOWER UPPER WORK NAME BRIDGE (inside unshare).
BOOT_SCRIPT = """\
set -eu
runtime=$1 lower=$2 upper=$3 work=$4 name=$5 bridge=$6
mount -t tmpfs -o mode=0755 vpslab "$runtime"
mkdir "$runtime/root"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$runtime/root"
exec systemd-nspawn --register=no --keep-unit --resolv-conf=off --link-journal=no \\
    --console=read-only -D "$runtime/root" -M "$name" --network-bridge="$bridge" -b
"""


# The environment of a command run inside the guest: the guest's PATH, nothing of the host's.
INSIDE_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"}


class GuestCommandError(LabError):
    """A command run over SSH with ``check=True`` failed; carries its output."""

    def __init__(self, guest: str, command: str, result: subprocess.CompletedProcess[str]) -> None:
        self.result = result
        super().__init__(
            f"{guest}: `{command}` exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}"
        )


class Guest:
    """A guest server. Create it with ``Lab.boot``; stop it with ``close`` (or a ``with``)."""

    def __init__(
        self,
        *,
        name: str,
        address: str,
        bridge: str,
        image_root: Path,
        directory: Path,
        pid_file: Path,
        ssh_key: Path | None,
        root_password: str | None,
        askpass: Path,
        host_public_key: str,
    ) -> None:
        self.name = name
        self.address = address
        self.ssh_key = ssh_key
        self.root_password = root_password
        self.host_public_key = host_public_key  # "ssh-ed25519 AAAA... root@name", for known_hosts
        self.directory = directory
        self.console_log = directory / "console.log"
        self._pid_file = pid_file  # lets a later run end this guest if our process dies
        self.boot_seconds: float | None = None  # start to SSH-ready, of the latest boot
        self._bridge = bridge
        self._image_root = image_root
        self._askpass = askpass
        self._process: subprocess.Popen[bytes] | None = None
        self._started_at = 0.0

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Boot (returns at once; use ``wait_ssh``). Reaps a guest that powered itself off."""
        if self.is_running:
            return
        self._reap()
        self._forget_old_veth()
        _NSPAWN_RUNTIME.mkdir(parents=True, exist_ok=True)  # the mount point for the tmpfs
        for path in (self._image_root, self.directory):
            if any(c in str(path) for c in ",:\\"):  # they would split overlayfs's options
                raise LabError(f"{path}: overlayfs cannot use a path with ',', ':' or '\\'; move the cache")
        work = self.directory / "work"
        shutil.rmtree(work, ignore_errors=True)  # overlayfs wants an empty work dir
        work.mkdir()
        # setpriv: the guest powers off if this thread's process dies (SIGTERM = orderly
        # poweroff), so a killed test run leaves nothing running. The signal follows the
        # *thread* that started the guest: start guests from the main thread or a long-lived one.
        paths = (_NSPAWN_RUNTIME, self._image_root, self.directory / "upper", work)
        argv = [
            *("setpriv", "--pdeathsig", "TERM"),
            *("unshare", "--mount", "--propagation", "private", "--"),
            *("sh", "-c", BOOT_SCRIPT, "vpslab-boot", *map(str, paths), self.name, self._bridge),
        ]
        # Unified cgroup hierarchy: with the hybrid default, poweroff hangs after an SSH login.
        env = {**os.environ, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"}
        with self.console_log.open("ab") as log:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # a Ctrl-C in the terminal is for pytest, not nspawn
            )
        self._started_at = time.monotonic()
        write_record(self._pid_file, self._process.pid)

    def wait_ssh(self, timeout: float = 90.0) -> float:
        """Block until root can log in over SSH; returns the seconds since ``start``."""
        deadline = time.monotonic() + timeout
        auth: Auth = "key" if self.ssh_key is not None else "password"
        while True:
            if not self.is_running:
                raise LabError(f"{self.name} stopped while booting{self._log_hint()}")
            if _port_open(self.address, 22) and self._login_works(auth):
                self.boot_seconds = time.monotonic() - self._started_at
                return self.boot_seconds
            if time.monotonic() > deadline:
                raise LabError(f"{self.name} ({self.address}) no SSH after {timeout:.0f} s{self._log_hint()}")
            time.sleep(0.1)

    def _login_works(self, auth: Auth) -> bool:
        # sshd accepts connections before the rest of the boot is done; on a loaded machine
        # a first login can stall (PAM waits for logind), so a slow try is just "not yet".
        try:
            return self.ssh("true", auth=auth, timeout=20).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def stop(self, timeout: float = 30.0) -> None:
        """Power off in order (SIGTERM to nspawn); SIGKILL if it takes longer than ``timeout``."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        self._reap()

    def restart(self, timeout: float = 90.0) -> None:
        """Boot again on the same disk: after ``stop``, or after ``reboot`` inside the guest.

        nspawn cannot reboot a container in place; a reboot inside ends nspawn, so the
        harness has to start it again.
        """
        self.stop()
        self.start()
        self.wait_ssh(timeout)

    def wait_stopped(self, timeout: float = 30.0) -> None:
        """Wait for the guest to power itself off (``poweroff`` or ``reboot`` inside it)."""
        if self._process is not None:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                raise LabError(f"{self.name} still running after {timeout:.0f} s") from None

    def close(self) -> None:
        """Stop the guest and delete its disk."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Guest:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _reap(self) -> None:
        if self._process is not None:
            self._process.wait()
            self._process = None
        self._pid_file.unlink(missing_ok=True)

    def _forget_old_veth(self) -> None:
        # The host end of the last boot's veth goes away with the container's network
        # namespace, a moment after nspawn exits; nspawn refuses to start while it exists.
        veth = f"vb-{self.name}"
        deadline = time.monotonic() + 5
        while veth in link_names() and time.monotonic() < deadline:
            time.sleep(0.1)
        delete_link(veth)

    def _log_hint(self) -> str:
        try:
            tail = self.console_log.read_text(errors="replace").splitlines()[-20:]
        except OSError:
            tail = []
        return f"; console log {self.console_log}:\n" + "\n".join(tail)

    # -- SSH -----------------------------------------------------------------------------

    def ssh_options(self, auth: Auth = "key") -> list[str]:
        """Options for ``ssh``/``scp``/``GIT_SSH_COMMAND`` to reach this guest."""
        return base_options(auth, self.ssh_key)

    def ssh_env(self, auth: Auth = "key") -> dict[str, str]:
        """Environment additions a password login needs (none for key logins)."""
        if auth == "key":
            return {}
        if self.root_password is None:
            raise LabError(f"{self.name} has no root password: boot it with root_password=...")
        return password_env(self._askpass, self.root_password)

    def ssh(
        self,
        command: str | Sequence[str],
        user: str = "root",
        *,
        auth: Auth = "key",
        check: bool = False,
        timeout: float | None = 900.0,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``command`` on the guest as ``user``. A sequence is shell-quoted word by word."""
        remote = command if isinstance(command, str) else shlex.join(command)
        argv = ["ssh", *self.ssh_options(auth), "-l", user, self.address, remote]
        result = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            input=input,
            timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
            env={**os.environ, **self.ssh_env(auth)},
        )
        if check and result.returncode != 0:
            raise GuestCommandError(self.name, remote, result)
        return result

    # -- inside -------------------------------------------------------------------------

    def inside(self, command: str, *, check: bool = True, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run a shell command as root *inside* the guest, without SSH (which the recipe closes
        to root): in the namespaces of the guest's init, as a console login would see it."""
        result = subprocess.run(
            self.inside_argv(command), capture_output=True, text=True, timeout=timeout, env=INSIDE_ENV
        )
        if check and result.returncode != 0:
            raise GuestCommandError(self.name, command, result)
        return result

    def inside_argv(self, command: str) -> list[str]:
        """The argv that runs `command` inside the guest (run it with env=INSIDE_ENV), for a
        process that should keep running beside the test, such as a sampler."""
        init = self._init_pid()
        return ["nsenter", "-t", str(init), "-m", "-u", "-i", "-n", "-p", "-C", "--", "/bin/sh", "-c", command]

    def _init_pid(self) -> int:
        """The guest's PID 1, seen from the host: the child of this guest's systemd-nspawn."""
        if self._process is None or self._process.poll() is not None:
            raise LabError(f"{self.name} is not running")
        parents: dict[int, int] = {}
        names: dict[int, str] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            parents[int(entry)], names[int(entry)] = int(rest[1]), name
        # nspawn is the last process of the boot command (sh exec's it), under unshare.
        nspawn = [pid for pid, name in names.items() if name == "systemd-nspawn" and self._descends(pid, parents)]
        children = [pid for pid, parent in parents.items() if parent in nspawn]
        if not children:
            raise LabError(f"{self.name}: its init process was not found")
        return min(children)

    def _descends(self, pid: int, parents: dict[int, int]) -> bool:
        assert self._process is not None
        while pid > 1:
            if pid == self._process.pid:
                return True
            pid = parents.get(pid, 0)
        return False


def _port_open(address: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False
