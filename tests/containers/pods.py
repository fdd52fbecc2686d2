"""Run the containers of rendered Kubernetes objects with podman, as a kubelet would run them:
the same image, command, environment and security context, with the Secret's keys given as
environment; and a Service: one port that spreads connections over the ready replicas.

A pod has its own network namespace; here every container shares the host's, so each replica
gets its own port (its PORT, which gunicorn listens on, replaces the manifest's value).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from deploybook.containers import Container, Engine, run_container


def pod_container(pod_spec: Mapping[str, Any]) -> Mapping[str, Any]:
    (container,) = pod_spec["containers"]
    return container


def container_env(container: Mapping[str, Any], secrets: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The container's environment: `envFrom` Secrets (by name, from `secrets`), then `env`."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", ()):
        env |= secrets[source["secretRef"]["name"]]
    for item in container.get("env", ()):
        env[item["name"]] = item["value"]
    return env


def security_flags(pod_spec: Mapping[str, Any], container: Mapping[str, Any]) -> tuple[str, ...]:
    """podman's words for the pod's and the container's securityContext and their emptyDirs."""
    pod, own = pod_spec.get("securityContext", {}), container.get("securityContext", {})
    flags: list[str] = []
    user, group = own.get("runAsUser", pod.get("runAsUser")), own.get("runAsGroup", pod.get("runAsGroup"))
    if user is not None:
        flags += ["--user", f"{user}:{group}" if group is not None else str(user)]
    if own.get("readOnlyRootFilesystem"):
        flags.append("--read-only")
    if own.get("allowPrivilegeEscalation") is False:
        flags += ["--security-opt", "no-new-privileges"]
    for capability in own.get("capabilities", {}).get("drop", ()):
        flags += ["--cap-drop", capability]
    empty_dirs = {volume["name"] for volume in pod_spec.get("volumes", ()) if "emptyDir" in volume}
    for mount in container.get("volumeMounts", ()):
        if mount["name"] in empty_dirs:
            flags += ["--tmpfs", f"{mount['mountPath']}:rw,nosuid,nodev"]
    return tuple(flags)


def start(engine: Engine, image: str, pod_spec: Mapping[str, Any], env: Mapping[str, str]) -> Container:
    container = pod_container(pod_spec)
    return run_container(engine, image, env, list(container["command"]), extra=security_flags(pod_spec, container))


class _Forward(socketserver.BaseRequestHandler):
    server: _Service

    def handle(self) -> None:
        backend = self.server.next_backend()
        with socket.create_connection(("127.0.0.1", backend), timeout=10) as upstream:
            self.server.served[backend] += 1
            pumps = [
                threading.Thread(target=_pump, args=(self.request, upstream), daemon=True),
                threading.Thread(target=_pump, args=(upstream, self.request), daemon=True),
            ]
            for pump in pumps:
                pump.start()
            for pump in pumps:
                pump.join(timeout=30)


class _Service(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, backends: list[int]) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.backends, self.served, self._turn, self._lock = backends, Counter[int](), 0, threading.Lock()

    def next_backend(self) -> int:
        with self._lock:
            self._turn += 1
            return self.backends[self._turn % len(self.backends)]


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


@contextmanager
def service(backends: list[int]) -> Iterator[_Service]:
    """One port on loopback that sends each connection to the next replica in turn, as
    kube-proxy spreads a Service's connections over its ready endpoints."""
    server = _Service(backends)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
