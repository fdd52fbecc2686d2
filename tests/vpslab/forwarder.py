"""An allow-listed TCP forwarder: the guests' only way to the package registries.

Guests have no route out. Their /etc/hosts points the registry names at the bridge's host
address, where this forwarder listens (on that address only). It reads the name the client
asks for (TLS SNI on 443, the Host header on 80), refuses every name not on the allow-list,
resolves allowed names the way the host does, and then just copies bytes both ways. TLS is
never terminated: the guest talks to the registry (or the host's TLS gateway) end to end.

It runs on an asyncio loop in a daemon thread of the test process, so it dies with that
process and needs no cleanup after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from .errors import LabError
from .sniff import MAX_PREFIX, NeedMoreData, requested_host

__all__ = ["Connection", "Forwarder", "Resolver", "resolve_like_host"]

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], list[tuple[str, int]]]
_CHUNK = 64 * 1024


def resolve_like_host(name: str, port: int) -> list[tuple[str, int]]:
    """Addresses for ``name`` from the host's own resolver (/etc/hosts, DNS, ...)."""
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    return [(str(info[4][0]), int(info[4][1])) for info in infos]


@dataclass(frozen=True, slots=True)
class Connection:
    """What happened to one client connection (kept so tests can assert refusals)."""

    client: str
    port: int
    host: str | None
    allowed: bool
    error: str | None = None


class Forwarder:
    """Listens on ``address`` at ``ports`` and forwards allowed names to the same port upstream."""

    def __init__(
        self,
        address: str,
        ports: Iterable[int],
        allowed_hosts: Iterable[str],
        *,
        resolve: Resolver = resolve_like_host,
        first_bytes_timeout: float = 15.0,
        connect_timeout: float = 15.0,
    ) -> None:
        self.address = address
        self.ports = tuple(ports)
        self.allowed_hosts = frozenset(h.lower().rstrip(".") for h in allowed_hosts)
        self._resolve = resolve
        self._first_bytes_timeout = first_bytes_timeout
        self._connect_timeout = connect_timeout
        self._connections: deque[Connection] = deque(maxlen=10_000)
        self._connections_lock = threading.Lock()  # appended on the loop thread, read on others
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.bound_ports: dict[int, int] = {}  # asked-for port -> real port (0 picks one)

    @property
    def connections(self) -> list[Connection]:
        with self._connections_lock:
            return list(self._connections)

    def start(self) -> None:
        sockets = {port: self._listen(port) for port in self.ports}
        self.bound_ports = {port: sock.getsockname()[1] for port, sock in sockets.items()}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="vpslab-forwarder", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(sockets), self._loop).result(timeout=10)

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._thread = None

    def _listen(self, port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.address, port))
        except OSError as exc:
            sock.close()
            raise LabError(
                f"registry forwarder cannot listen on {self.address}:{port}: {exc.strerror}; "
                f"is a host service bound to 0.0.0.0:{port}? Stop it, or bind it to one address"
            ) from exc
        sock.listen(128)
        sock.setblocking(False)
        return sock

    async def _serve(self, sockets: dict[int, socket.socket]) -> None:
        for port, sock in sockets.items():
            handler = self._handler_for(self.bound_ports[port])
            self._servers.append(await asyncio.start_server(handler, sock=sock))

    def _handler_for(self, port: int) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                await self._forward(reader, writer, port)
            finally:
                self._tasks.discard(task)
                writer.close()

        return handle

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._servers.clear()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int) -> None:
        client = str(writer.get_extra_info("peername")[0])
        try:
            head, host = await asyncio.wait_for(_read_head(reader), self._first_bytes_timeout)
        except (asyncio.TimeoutError, ConnectionError) as exc:
            self._record(Connection(client, port, None, False, type(exc).__name__))
            return
        if host is None or host not in self.allowed_hosts:
            log.info("refused %s -> %s:%s", client, host, port)
            self._record(Connection(client, port, host, False))
            return
        try:
            up_reader, up_writer = await self._connect(host, port)
        except OSError as exc:
            self._record(Connection(client, port, host, True, f"upstream: {exc}"))
            return
        self._record(Connection(client, port, host, True))
        try:
            up_writer.write(head)
            await _splice(reader, writer, up_reader, up_writer)
        finally:
            up_writer.close()

    async def _connect(self, host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        loop = asyncio.get_running_loop()
        addresses = await loop.run_in_executor(None, self._resolve, host, port)
        error: OSError = OSError(f"{host} has no address")
        for address, upstream_port in addresses:
            try:
                return await asyncio.wait_for(asyncio.open_connection(address, upstream_port), self._connect_timeout)
            except (OSError, asyncio.TimeoutError) as exc:
                error = exc if isinstance(exc, OSError) else OSError(f"timeout to {address}")
        raise error

    def _record(self, connection: Connection) -> None:
        with self._connections_lock:
            self._connections.append(connection)


async def _read_head(reader: asyncio.StreamReader) -> tuple[bytes, str | None]:
    """The client's first bytes and the host name they ask for (None if they never say)."""
    head = b""
    while len(head) < MAX_PREFIX:
        chunk = await reader.read(_CHUNK)
        if not chunk:
            return head, None
        head += chunk
        with contextlib.suppress(NeedMoreData):
            return head, requested_host(head)
    return head, None


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    while chunk := await source.read(_CHUNK):
        sink.write(chunk)
        await sink.drain()
    if sink.can_write_eof():
        sink.write_eof()  # pass the half-close on; the other direction may still be busy


async def _splice(
    a_reader: asyncio.StreamReader,
    a_writer: asyncio.StreamWriter,
    b_reader: asyncio.StreamReader,
    b_writer: asyncio.StreamWriter,
) -> None:
    tasks = [
        asyncio.ensure_future(_pipe(a_reader, b_writer)),
        asyncio.ensure_future(_pipe(b_reader, a_writer)),
    ]
    try:
        # An error in one direction (a reset) ends the other too; clean EOFs end each alone.
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
