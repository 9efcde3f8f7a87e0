"""Sends raw requests over TCP and reads back what the server answers.

Each request gets a connection of its own, so one malformed request cannot confuse the
reading of another. After sending, the client shuts its side of the connection down:
a server still waiting for a body that will never come sees the end of the stream at
once instead of after its timeout.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from corpus import Case

READ_TIMEOUT = 20.0
MAX_HEAD = 256 * 1024


@dataclass
class Answer:
    """What came back for one request: ``status`` is ``None`` when the server closed
    the connection without a response (which servers do for some protocol errors)."""

    case: Case
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes
    raw_head: bytes = b""
    error: str | None = None

    def header_names(self) -> set[str]:
        return {name.lower() for name, _value in self.headers}


def send(port: int, case: Case) -> Answer:
    """Send ``case`` to 127.0.0.1:``port`` and read the first response."""
    received = bytearray()
    error = None
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) as sock:
        try:
            sock.sendall(case.raw)
            sock.shutdown(socket.SHUT_WR)
        except OSError as exc:
            # The server may refuse a request while it is still being sent (an
            # overlong header) and close; its answer can still be read.
            error = f"send: {exc!r}"
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
                if _complete(received, case):
                    break
        except OSError as exc:
            error = f"recv: {exc!r}"
    return _parse(case, bytes(received), error)


def send_all(port: int, cases: Iterable[Case], connections: int = 8) -> list[Answer]:
    """Send every case, ``connections`` at a time; answers come back in order."""
    with ThreadPoolExecutor(max_workers=connections) as pool:
        return list(pool.map(lambda case: send(port, case), cases))


def _split_head(data: bytes) -> tuple[bytes, bytes] | None:
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    return data[:end], data[end + 4 :]


def _complete(data: bytes, case: Case) -> bool:
    """Whether ``data`` holds a whole response, so the client need not wait for the
    server to close a kept-alive connection."""
    parts = _split_head(data)
    if parts is None:
        return len(data) > MAX_HEAD
    head, body = parts
    status, headers = _parse_head(head)
    if status is None:
        return False
    if case.method == b"HEAD" or status in (204, 304) or 100 <= status < 200:
        return True
    fields = {name.lower(): value for name, value in headers}
    if "content-length" in fields:
        try:
            return len(body) >= int(fields["content-length"])
        except ValueError:
            return False
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return body.endswith(b"0\r\n\r\n")
    return False


def _parse_head(head: bytes) -> tuple[int | None, list[tuple[str, str]]]:
    lines = head.split(b"\r\n")
    words = lines[0].split(b" ", 2)
    if len(words) < 2 or not words[0].startswith(b"HTTP/") or not words[1].isdigit():
        return None, []
    headers = []
    for line in lines[1:]:
        name, _colon, value = line.partition(b":")
        headers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
    return int(words[1]), headers


def _parse(case: Case, data: bytes, error: str | None) -> Answer:
    parts = _split_head(data)
    if parts is None:
        return Answer(case, None, [], data, data, error)
    head, body = parts
    status, headers = _parse_head(head)
    return Answer(case, status, headers, body, head, error)
