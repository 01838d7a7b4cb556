"""A test server in the vendor's documented shapes, made by reshaping the sandbox's answers.

Holds no tests. The sandbox serves *our* contract; the vendor's own material (api.md, last
section) shows other shapes. :class:`VendorShapes` wraps a sandbox app and lays those shapes over
its answers, so the app and the save path meet them over the real client:

- ``GET /v1/sequences``: ``user.id`` a number, ``client`` ``{}``, team and field ids numbers;
- ``GET …/steps`` (the listing): with ``thin_listing`` no ``priority``, ``attachmentIds`` or
  ``assigneeId``; otherwise the priority written as ``priority_as`` (number, string, name);
- ``GET …/steps/{stepId}``: only the seven documented fields (id, type, payload, status,
  stepStatus, taskNote, executionType);
- every Email payload carries ``templateId``, a key the form does not know; a PATCH's payload
  has it removed before it reaches the sandbox (which refuses unknown keys) and is recorded in
  ``patches`` as sent;
- the sandbox's ``x-seqedit-sandbox`` header is removed: this is "not the sandbox".
"""

from __future__ import annotations

import json
from typing import Any

from tui.api.channels import Priority

SPEC_VARIANT_FIELDS = ("id", "type", "payload", "status", "stepStatus", "taskNote", "executionType")
EXTRA_KEY = "templateId"


class VendorShapes:
    """An ASGI app: the sandbox ``app`` answering in the vendor's shapes (see the module)."""

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
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.paths.append(f"{method} {path}")
        if method == "PATCH":
            receive = await self._patch_body(receive)
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
        if method == "GET" and 200 <= status < 300:
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict):
                data["payload"] = self._reshape(path, data.get("payload"))
                body = json.dumps(data).encode()
        headers = [
            (key, value)
            for key, value in started.get("headers", [])
            if key.lower() not in (b"content-length", b"x-seqedit-sandbox")
        ]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _patch_body(self, receive: Any) -> Any:
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
            self.patches.append(json.loads(raw))
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
