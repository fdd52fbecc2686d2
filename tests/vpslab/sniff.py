"""Find which host a client wants from the first bytes it sends (TLS SNI or HTTP Host).

The forwarder decides by name, not by address: every registry name maps to the same bridge
address inside the guest, so the name the client asks for is the only thing that tells them
apart. Parsing is deliberately strict; anything unexpected means "no name" and the
connection is refused.
"""

from __future__ import annotations

__all__ = ["NeedMoreData", "requested_host"]

_TLS_HANDSHAKE = 0x16
_CLIENT_HELLO = 0x01
_SNI_EXTENSION = 0x0000
_HOST_NAME = 0x00
MAX_PREFIX = 64 * 1024  # more than any ClientHello or request head a package client sends


class NeedMoreData(Exception):
    """The bytes so far are a valid beginning but too short to tell: read more."""


def requested_host(data: bytes) -> str | None:
    """The host name a connection asks for, from its first bytes.

    Raises NeedMoreData while the name may still come; returns None when it never will.
    """
    if not data:
        raise NeedMoreData
    name = _tls_server_name(data) if data[0] == _TLS_HANDSHAKE else _http_host(data)
    return _normalise(name) if name else None


def _normalise(name: str) -> str | None:
    name = name.strip().lower().rstrip(".")
    if not name or any(not (c.isalnum() or c in "-.") for c in name):
        return None
    return name


def _http_host(data: bytes) -> str | None:
    end = data.find(b"\r\n\r\n")
    if end < 0:
        if len(data) >= MAX_PREFIX:
            return None
        raise NeedMoreData
    lines = data[:end].decode("latin-1").split("\r\n")
    if len(lines[0].split()) != 3:  # "METHOD target HTTP/x.y"
        return None
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "host":
            return _strip_port(value.strip())
    return None


def _strip_port(authority: str) -> str:
    host, sep, port = authority.rpartition(":")
    return host if sep and port.isdigit() else authority


def _tls_handshake_bytes(data: bytes) -> bytes:
    """Handshake-layer bytes, joined across TLS records (a ClientHello may span several)."""
    payload = bytearray()
    offset = 0
    while offset + 5 <= len(data):
        if data[offset] != _TLS_HANDSHAKE:
            break
        length = int.from_bytes(data[offset + 3 : offset + 5], "big")
        payload += data[offset + 5 : offset + 5 + length]
        offset += 5 + length
    return bytes(payload)


def _tls_server_name(data: bytes) -> str | None:
    hello = _tls_handshake_bytes(data)
    if len(hello) < 4:
        raise NeedMoreData
    if hello[0] != _CLIENT_HELLO:
        return None
    length = int.from_bytes(hello[1:4], "big")
    if len(hello) < 4 + length:
        if len(data) >= MAX_PREFIX:
            return None
        raise NeedMoreData
    try:
        return _sni_from_client_hello(memoryview(hello)[4 : 4 + length])
    except IndexError:
        return None


def _sni_from_client_hello(body: memoryview) -> str | None:
    reader = _Reader(body)
    reader.skip(2 + 32)  # legacy version, random
    reader.skip(reader.uint(1))  # session id
    reader.skip(reader.uint(2))  # cipher suites
    reader.skip(reader.uint(1))  # compression methods
    extensions = _Reader(reader.take(reader.uint(2)))
    while extensions.remaining:
        kind = extensions.uint(2)
        content = extensions.take(extensions.uint(2))
        if kind != _SNI_EXTENSION:
            continue
        names = _Reader(content)
        entries = _Reader(names.take(names.uint(2)))
        while entries.remaining:
            name_type = entries.uint(1)
            name = entries.take(entries.uint(2))
            if name_type == _HOST_NAME:
                return bytes(name).decode("ascii", errors="replace")
    return None


class _Reader:
    """Bounds-checked reads of big-endian fields; overruns raise IndexError."""

    def __init__(self, data: memoryview) -> None:
        self._data = data
        self._offset = 0

    @property
    def remaining(self) -> int:
        return len(self._data) - self._offset

    def take(self, size: int) -> memoryview:
        if size > self.remaining:
            raise IndexError("field runs past the end of the message")
        chunk = self._data[self._offset : self._offset + size]
        self._offset += size
        return chunk

    def skip(self, size: int) -> None:
        self.take(size)

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")
