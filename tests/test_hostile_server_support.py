"""A hostile HTTP server on 127.0.0.1 for the client's limits (issue 18): scripted raw answers.

Holds no tests itself. ``HostileServer`` is a bare asyncio server in the test's own event loop:
each request takes the next scripted behaviour for its path (the last one repeats), which
writes whatever bytes it likes, as slowly as it likes: an endless body, a trickle, a gzip bomb,
JSON nested 100,000 deep.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

Writer = Callable[[asyncio.StreamWriter], Awaitable[None]]


def head(status: int, headers: dict[str, str] | None = None, *, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} Scripted"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if length is not None:
        lines.append(f"content-length: {length}")
    lines.append("connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def answer(status: int, body: bytes | Any, headers: dict[str, str] | None = None) -> Writer:
    """A complete answer at once (``body`` bytes, or anything JSON-encodable)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    merged = {"content-type": "application/json", **(headers or {})}

    async def write(writer: asyncio.StreamWriter) -> None:
        writer.write(head(status, merged, length=len(raw)) + raw)
        await writer.drain()

    return write


def delayed(seconds: float, then: Writer) -> Writer:
    """``then``, after ``seconds`` of silence."""

    async def write(writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        await then(writer)

    return write


def deep_json(depth: int = 100_000) -> bytes:
    """A success envelope whose payload is a list nested ``depth`` deep."""
    return b'{"message": "ok", "payload": ' + b"[" * depth + b"]" * depth + b"}"


def endless() -> Writer:
    """200 with a body that never ends (no length: it lasts until the connection closes)."""

    async def write(writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, {"content-type": "application/json"}) + b'{"message": "ok", "payload": ["')
        chunk = b"x" * 65536
        while True:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0)

    return write


def trickle(interval: float) -> Writer:
    """200 announcing 1,000 bytes, then one byte every ``interval`` seconds."""

    async def write(writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, {"content-type": "application/json"}, length=1000))
        await writer.drain()
        while True:
            await asyncio.sleep(interval)
            writer.write(b" ")
            await writer.drain()

    return write


def gzip_bomb(size: int) -> tuple[Writer, int]:
    """200 whose gzip body inflates to ``size`` bytes; also returns the compressed length."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"0" * (1024 * 1024)
    parts = [compressor.compress(b'{"message": "ok", "payload": "')]
    for _ in range(size // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(b'"}'))
    parts.append(compressor.flush())
    raw = b"".join(parts)
    return answer(200, raw, {"content-encoding": "gzip"}), len(raw)


class HostileServer:
    """``script(path, *writers)`` (``default`` answers other paths); ``await start()``;
    ``base_url``; ``seen`` lists (method, path)."""

    def __init__(self) -> None:
        self.scripts: dict[str, list[Writer]] = {}
        self.default: Writer = answer(599, {"message": "no script"})  # for paths without a script
        self.seen: list[tuple[str, str]] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def script(self, path: str, *writers: Writer) -> None:
        self.scripts.setdefault(path, []).extend(writers)

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            request = await reader.readuntil(b"\r\n\r\n")
            first = request.split(b"\r\n", 1)[0].decode()
            method, target, _ = first.split(" ", 2)
            length = 0
            for line in request.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            path = target.split("?", 1)[0]
            self.seen.append((method, path))
            script = self.scripts.get(path) or [self.default]
            writer_for = script.pop(0) if len(script) > 1 else script[0]
            await writer_for(writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()
