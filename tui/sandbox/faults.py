"""Everything the sandbox does to misbehave on purpose, plus its request counter.

Scripted faults (``POST /v1/sandbox/faults``) are queued and consumed one per matching request,
so tests are deterministic. Option faults (latency, a random failure rate, a rate limit) come
from ``create_app``. Requests to ``/v1/sandbox/…`` are never faulted.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SANDBOX_PREFIX = "/v1/sandbox/"
SANDBOX_HEADER = "x-seqedit-sandbox"
FAULT_KEYS = frozenset({"status", "retryAfter", "body", "drop", "delayMs"})


class FaultSpecError(ValueError):
    """A scripted fault that cannot be understood."""


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, matched by path prefix and method (None matches any)."""

    spec: dict[str, Any]
    path: str | None = None
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or path.startswith(self.path))


def parse_faults(body: Any) -> list[Fault]:
    """Read a ``POST /v1/sandbox/faults`` body into faults, or raise FaultSpecError."""
    if not isinstance(body, dict) or not isinstance(body.get("faults"), list):
        raise FaultSpecError('body must be {"faults": [...], "path"?: str, "method"?: str}')
    path, method = body.get("path"), body.get("method")
    if path is not None and not isinstance(path, str):
        raise FaultSpecError("path must be a string")
    if method is not None and not isinstance(method, str):
        raise FaultSpecError("method must be a string")
    faults = []
    for spec in body["faults"]:
        if not isinstance(spec, dict) or not spec or set(spec) - FAULT_KEYS:
            raise FaultSpecError(f"each fault is an object with keys among {', '.join(sorted(FAULT_KEYS))}")
        if "drop" in spec and spec["drop"] not in ("before", "after"):
            raise FaultSpecError('drop must be "before" or "after"')
        if "status" in spec and not (isinstance(spec["status"], int) and 100 <= spec["status"] <= 599):
            raise FaultSpecError("status must be an HTTP status code")
        if "delayMs" in spec and not (isinstance(spec["delayMs"], (int, float)) and spec["delayMs"] >= 0):
            raise FaultSpecError("delayMs must be a non-negative number")
        if "body" in spec and not isinstance(spec["body"], str):
            raise FaultSpecError("body must be a string")
        faults.append(Fault(dict(spec), path, method.upper() if method else None))
    return faults


class FaultQueue:
    """Scripted faults in order; ``take`` removes the first one that matches a request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: deque[Fault] = deque()

    def extend(self, faults: list[Fault]) -> int:
        with self._lock:
            self._faults.extend(faults)
            return len(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(method, path):
                    del self._faults[index]
                    return fault
        return None

    def __len__(self) -> int:
        return len(self._faults)


class RequestCounter:
    """Requests served, by ``"METHOD /path/{template}"``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


class RateLimiter:
    """At most ``per_second`` requests in each wall-clock second."""

    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self._lock = threading.Lock()
        self._window = 0
        self._used = 0

    def check(self) -> tuple[bool, int, float]:
        """(allowed, remaining, seconds until the window resets)."""
        now = time.time()
        window = int(now)
        with self._lock:
            if window != self._window:
                self._window, self._used = window, 0
            allowed = self._used < self.per_second
            if allowed:
                self._used += 1
            return allowed, max(0, self.per_second - self._used), window + 1 - now


def error_body(status: int, message: str | list[str], *, error: str | None = None, code: int | None = None) -> bytes:
    """The JSON error shape of the contract: ``{message, error, statusCode[, code]}``."""
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body: dict[str, Any] = {"message": message, "error": error or phrase, "statusCode": status}
    if code is not None:
        body["code"] = code
    return json.dumps(body).encode()


async def send_raw(send: Send, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    """Send a complete response with a JSON content type."""
    all_headers = {"content-type": "application/json", "content-length": str(len(body)), **(headers or {})}
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in all_headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class DroppedOnPurpose(httpx.RemoteProtocolError):
    """A scripted drop: what the sandbox raises to break a connection mid-response. Its server
    logs it as one line, not as a failure with a traceback (tui.sandbox.server)."""


async def drop_mid_response(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Promise ``body`` with a Content-Length, send part of it, then break the connection."""
    full = body or b'{"message": "sandbox: this body is never finished"}'
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    kept.append((b"content-length", str(len(full)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": kept})
    await send({"type": "http.response.body", "body": full[: max(1, len(full) // 2)], "more_body": True})
    # Over a real server this closes the socket mid-body; in-process (ASGITransport) the client
    # sees the same exception a real dropped connection gives it.
    raise DroppedOnPurpose("sandbox fault: connection dropped mid-response")


def _with_headers(send: Send, extra: dict[str, str]) -> Send:
    """``send`` with ``extra`` headers added to the response start."""
    encoded = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": list(message.get("headers", [])) + encoded}
        await send(message)

    return sending


class FaultMiddleware:
    """Auth, request counting and every kind of fault, in front of the Starlette routes."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        api_key: str,
        queue: FaultQueue,
        counter: RequestCounter,
        latency_ms: int = 0,
        fail_rate: float = 0.0,
        rate_limit: int = 0,
        seed: int = 7,
    ) -> None:
        self.app = app
        self.api_key = api_key
        self.queue = queue
        self.counter = counter
        self.latency_ms = latency_ms
        self.fail_rate = fail_rate
        self.limiter = RateLimiter(rate_limit) if rate_limit > 0 else None
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        # Says "this is the sandbox" on every answer: the client calls /v1/sandbox/* endpoints
        # only on a server that said so, never on a real account.
        send = _with_headers(send, {SANDBOX_HEADER: "1"})
        try:
            if path.startswith("/v1") and headers.get("x-api-key") != self.api_key:
                # The text never echoes what was sent: a mistyped real key must not end up in logs.
                await send_raw(send, 401, error_body(401, "Invalid token: send a valid x-api-key header", code=1001))
                return
            if path.startswith(SANDBOX_PREFIX):
                await self.app(scope, receive, send)
                return
            await self._faulty(scope, receive, send, method, path)
        finally:
            self._count(scope, method, path)

    def _count(self, scope: Scope, method: str, path: str) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or path
        if template not in ("/v1/sandbox/requests", "/v1/sandbox/faults"):
            self.counter.add(f"{method} {template}")

    async def _faulty(self, scope: Scope, receive: Receive, send: Send, method: str, path: str) -> None:
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        if self.limiter is not None:
            allowed, remaining, reset = self.limiter.check()
            if allowed:
                send = _with_headers(
                    send, {"x-ratelimit-remaining": str(remaining), "x-ratelimit-reset": str(max(1, math.ceil(reset)))}
                )
            else:
                wait = max(1, math.ceil(reset))
                await send_raw(
                    send,
                    429,
                    error_body(429, "Too many requests: slow down", error="Too Many Requests"),
                    {"retry-after": str(wait), "x-ratelimit-remaining": str(remaining), "x-ratelimit-reset": str(wait)},
                )
                return
        if self.fail_rate > 0:
            with self._rng_lock:
                failing = self._rng.random() < self.fail_rate
            if failing:
                await send_raw(send, 503, error_body(503, "Service unavailable (sandbox --fail-rate)"))
                return
        fault = self.queue.take(method, path)
        if fault is None:
            await self.app(scope, receive, send)
            return
        await self._scripted(fault.spec, scope, receive, send)

    async def _scripted(self, spec: dict[str, Any], scope: Scope, receive: Receive, send: Send) -> None:
        if spec.get("delayMs"):
            await asyncio.sleep(spec["delayMs"] / 1000)
        drop = spec.get("drop")
        if drop == "before":
            await drop_mid_response(send, 200, [(b"content-type", b"application/json")], b"")
            return
        if drop == "after":
            await self._apply_then_drop(scope, receive, send)
            return
        status = spec.get("status")
        if status is None:
            await self.app(scope, receive, send)  # a pure delay
            return
        headers: dict[str, str] = {}
        if status == 429 or "retryAfter" in spec:  # a 503 may say when to come back too
            wait = str(spec.get("retryAfter", 1))
            headers = {"retry-after": wait}
            if status == 429:
                headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": wait})
        if "body" in spec:
            await send_raw(send, status, spec["body"].encode(), headers)
            return
        message = "Too many requests (sandbox fault)" if status == 429 else f"Sandbox fault: HTTP {status}"
        await send_raw(send, status, error_body(status, message), headers)

    async def _apply_then_drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        started: dict[str, Any] = {}
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        await drop_mid_response(send, started.get("status", 200), list(started.get("headers", [])), b"".join(parts))
