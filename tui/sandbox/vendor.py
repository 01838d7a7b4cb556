"""The sandbox's vendor flavor: the same data, answered in the vendor's documented shapes.

The sandbox serves *our* contract (api.md, "Our contract"), so it can never show where that
contract is wrong. :class:`VendorShapes` wraps a sandbox app and lays over its answers the shapes
the vendor's own material shows (api.md, last section), so the app, the save path and
``seqedit doctor`` meet them over the real client:

- ``GET /v1/sequences``: ``user.id`` a number (the docs' own example), ``client`` ``{}``;
  team ids (``GET /v1/tasks/assignee/list``) and field ids (``GET /v1/fields``) numbers;
- ``GET …/steps`` (the listing): with ``thin_listing`` (the default) no ``priority``,
  ``attachmentIds`` or ``assigneeId``; otherwise the priority written as ``priority_as``
  (``number``, ``string`` or ``name``);
- ``GET …/steps/{stepId}``: only the seven documented fields (id, type, payload, status,
  stepStatus, taskNote, executionType);
- every Email payload carries ``templateId``, a key the form does not know; the payload of a
  write (a PATCH of a variant, or a POST of a new one) has it removed before it reaches the
  sandbox (which refuses unknown keys): api.md says the server takes back the keys it sent, and
  nothing says the POST differs. Bodies are recorded as sent, in ``patches`` and ``posts``;
- a wrong key is ``400`` ``{"payload":[{"message":"Invalid token","code":1001,"httpStatus":400}]}``
  (the spec's "1001: Invalid token"); every other error body is reshaped the same way;
- ``x-ratelimit-reset`` is an HTTP date, on every answer;
- no ``x-seqedit-sandbox`` header, and ``/v1/sandbox/*`` answers 404: this is "not the sandbox",
  so nothing may rely on the sandbox's own endpoints. In-process tests reach the fault queue and
  the store through ``.state`` (the wrapped app's), as with the contract flavor.

Pure: no Textual. Where the vendor's material is silent (the code of a 404, the rate-limit
budget), the choices here are guesses and say so.
"""

from __future__ import annotations

import json
import math
import threading
import time
from email.utils import formatdate
from typing import Any

from tui.api.channels import Priority

from .faults import SANDBOX_HEADER, SANDBOX_PREFIX

SPEC_VARIANT_FIELDS = ("id", "type", "payload", "status", "stepStatus", "taskNote", "executionType")
EXTRA_KEY = "templateId"
FLAVORS = ("contract", "vendor")
INVALID_TOKEN = "Invalid token"
# Not published: a budget generous enough that nothing ever waits, so the header's form is the point.
RATE_WINDOW_SECONDS = 60
RATE_BUDGET = 100_000


def vendor_error_body(status: int, messages: list[str], code: int | None = None) -> bytes:
    """The service's error shape: ``{"payload": [{message, code, httpStatus}, …]}``."""
    if code is None:
        # A guess where the spec is silent: its titles use 1001 for validation, 5001 for a crash.
        code = 1001 if status == 400 else 5001 if status >= 500 else status
    items = [{"message": message, "code": code, "httpStatus": status} for message in messages or ["Error"]]
    return json.dumps({"payload": items}).encode()


class _RateWindow:
    """Counts requests in fixed windows, for ``x-ratelimit-remaining`` / ``x-ratelimit-reset``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._start = 0.0
        self._used = 0

    def take(self) -> tuple[int, float]:
        """(requests left in this window, epoch time the window ends)."""
        now = time.time()
        with self._lock:
            if now - self._start >= RATE_WINDOW_SECONDS:
                self._start, self._used = now, 0
            self._used += 1
            return max(0, RATE_BUDGET - self._used), self._start + RATE_WINDOW_SECONDS


class VendorShapes:
    """An ASGI app: the sandbox ``app`` answering in the vendor's shapes (see the module)."""

    flavor = "vendor"

    def __init__(
        self,
        app: Any,
        *,
        thin_listing: bool = True,
        priority_as: str = "name",
        extra_sequences: list[dict[str, Any]] | None = None,
    ) -> None:
        self.app = app
        self.state = app.state
        self.thin_listing = thin_listing
        self.priority_as = priority_as
        self.extra_sequences = extra_sequences or []
        self.patches: list[dict[str, Any]] = []
        self.posts: list[dict[str, Any]] = []  # new variants (POST …/variants), as sent
        self.paths: list[str] = []
        self._window = _RateWindow()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.paths.append(f"{method} {path}")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if path.startswith("/v1") and headers.get("x-api-key") != getattr(self.state, "api_key", None):
            await self._send(send, 400, vendor_error_body(400, [INVALID_TOKEN], 1001), [])
            return
        if path.startswith(SANDBOX_PREFIX) or path.rstrip("/") == SANDBOX_PREFIX.rstrip("/"):
            await self._send(send, 404, vendor_error_body(404, [f"Cannot {method} {path}"]), [])
            return
        if method == "PATCH":
            receive = await self._write_body(receive, self.patches)
        elif method == "POST" and path.rstrip("/").endswith("/variants"):
            receive = await self._write_body(receive, self.posts)
        started: dict[str, Any] = {}
        parts: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(parts)
        status = started.get("status", 500)
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        if method == "GET" and 200 <= status < 300 and isinstance(data, dict):
            data["payload"] = self._reshape(path, data.get("payload"))
            body = json.dumps(data).encode()
        elif status >= 400 and isinstance(data, dict) and "statusCode" in data:
            body = self._error(status, data)
        await self._send(send, status, body, list(started.get("headers", [])))

    async def _send(self, send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
        kept = [
            (key, value)
            for key, value in headers
            if key.lower() not in (b"content-length", SANDBOX_HEADER.encode(), b"x-ratelimit-reset")
        ]
        if not any(key.lower() == b"content-type" for key, _ in kept):
            kept.append((b"content-type", b"application/json"))
        reset = dict((key.lower(), value) for key, value in headers).get(b"x-ratelimit-reset")
        if reset is not None:
            # The sandbox's own limiter (--rate-limit) said seconds: the vendor's form is a date.
            try:
                seconds = float(reset.decode("latin-1"))
            except ValueError:
                seconds = 1.0
            kept.append((b"x-ratelimit-reset", _http_date(time.time() + max(1.0, seconds))))
        else:
            remaining, ends = self._window.take()
            kept.append((b"x-ratelimit-limit", str(RATE_BUDGET).encode()))
            kept.append((b"x-ratelimit-remaining", str(remaining).encode()))
            kept.append((b"x-ratelimit-reset", _http_date(ends)))
        kept.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": kept})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    @staticmethod
    def _error(status: int, data: dict[str, Any]) -> bytes:
        message = data.get("message")
        messages = [str(item) for item in message] if isinstance(message, list) else [str(message or "Error")]
        code = data.get("code")
        return vendor_error_body(status, messages, code if isinstance(code, int) else None)

    async def _write_body(self, receive: Any, sent_bodies: list[dict[str, Any]]) -> Any:
        """The request's JSON body recorded in ``sent_bodies`` as sent, and replayed to the
        sandbox without the vendor's own payload key."""
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw = b"".join(chunks)
        try:
            sent = json.loads(raw)
        except ValueError:
            sent = None
        if isinstance(sent, dict):
            sent_bodies.append(json.loads(raw))
            payload = sent.get("payload")
            if isinstance(payload, dict):
                payload.pop(EXTRA_KEY, None)
            raw = json.dumps(sent).encode()
        done = False

        async def replay() -> Any:
            nonlocal done
            if done:
                return {"type": "http.disconnect"}
            done = True
            return {"type": "http.request", "body": raw, "more_body": False}

        return replay

    # -- shapes -------------------------------------------------------------------------------

    def _reshape(self, path: str, payload: Any) -> Any:
        parts = path.strip("/").split("/")
        if parts == ["v1", "sequences"] and isinstance(payload, list):
            return [self._sequence(item) for item in payload] + self.extra_sequences
        if len(parts) == 4 and parts[3] == "steps" and isinstance(payload, list):
            return [self._step(item) for item in payload]
        if len(parts) == 5 and parts[3] == "steps" and isinstance(payload, list):
            return [self._spec_variant(item) for item in payload]
        if parts == ["v1", "tasks", "assignee", "list"] and isinstance(payload, list):
            return [{**team, "id": index} for index, team in enumerate(payload, 1)]
        if parts == ["v1", "fields"] and isinstance(payload, list):
            return [{**field, "id": index} for index, field in enumerate(payload, 100)]
        return payload

    def _sequence(self, item: dict[str, Any]) -> dict[str, Any]:
        user = dict(item.get("user") or {})
        user["id"] = 1  # the docs' own example
        return {**item, "user": user, "client": item.get("client") or {}}

    def _step(self, step: dict[str, Any]) -> dict[str, Any]:
        step = dict(step)
        if self.thin_listing:
            for name in ("priority", "assigneeId"):
                step.pop(name, None)
        step["variants"] = [self._listed_variant(variant) for variant in step.get("variants") or []]
        return step

    def _listed_variant(self, variant: dict[str, Any]) -> dict[str, Any]:
        variant = _with_extra_key(variant)
        if self.thin_listing:
            for name in ("priority", "attachmentIds", "assigneeId", "attachments"):
                variant.pop(name, None)
        elif variant.get("priority") is not None:
            variant["priority"] = _encode(variant["priority"], self.priority_as)
        return variant

    def _spec_variant(self, variant: dict[str, Any]) -> dict[str, Any]:
        variant = _with_extra_key(variant)
        shaped = {name: variant[name] for name in SPEC_VARIANT_FIELDS if name in variant}
        shaped.setdefault("stepStatus", 1)
        shaped.setdefault("executionType", 1)
        return shaped


def create_vendor_app(db_path: Any = ":memory:", **options: Any) -> VendorShapes:
    """The sandbox of :func:`tui.sandbox.app.create_app` (same options) in the vendor flavor."""
    from .app import create_app

    return VendorShapes(create_app(db_path, **options))


def _http_date(epoch: float) -> bytes:
    return formatdate(math.ceil(epoch), usegmt=True).encode("latin-1")


def _with_extra_key(variant: dict[str, Any]) -> dict[str, Any]:
    variant = dict(variant)
    payload = variant.get("payload")
    if variant.get("type") in ("Email", 1) and isinstance(payload, dict):
        variant["payload"] = {**payload, EXTRA_KEY: 42}
    return variant


def _encode(raw: Any, how: str) -> Any:
    try:
        priority = Priority.parse(raw)
    except ValueError:
        return raw
    return {"number": priority.code, "string": str(priority.code)}.get(how, priority.value)
