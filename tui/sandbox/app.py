"""The sandbox's Starlette app: the Saleshandy endpoints seqedit uses, served from SQLite.

Shapes follow ``/work/shared/api.md`` ("Our contract for what is undocumented"). Auth and faults
are handled by :class:`tui.sandbox.faults.FaultMiddleware`; the data and every rule live in
:class:`tui.sandbox.store.SandboxStore`. Endpoints under ``/v1/sandbox/`` exist only here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import DEMO_API_KEY
from .faults import FaultMiddleware, FaultQueue, FaultSpecError, RequestCounter, error_body, parse_faults
from .store import SUCCESS_MESSAGE, NotFound, Rejected, SandboxStore

MAX_PAGE_SIZE = 1000
MAX_OFFSET = 2**62  # SQLite integers are 64-bit
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
SANDBOX_ONLY = "Sandbox only (not part of the Saleshandy API): "


def ok(payload: Any, message: str = "Success", status: int = 200) -> JSONResponse:
    """The API's success envelope ``{message, payload}``."""
    return JSONResponse({"message": message, "payload": payload}, status_code=status)


def fail(status: int, message: str | list[str], *, code: int | None = None) -> Response:
    """The contract's error shape; ``code`` 1001 marks validation failures."""
    return Response(error_body(status, message, code=code), status_code=status, media_type="application/json")


def rejected(exc: Rejected) -> Response:
    messages = exc.messages
    return fail(400, messages[0] if len(messages) == 1 else messages, code=1001)


class BadBody(ValueError):
    """A request body that is not JSON: 400, code 1001."""


async def json_body(request: Request) -> Any:
    """The parsed JSON body; raises :class:`BadBody` (a ValueError) when it is not JSON."""
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadBody("the request body is not valid JSON") from exc


# What the store raises, answered once for every endpoint (the app's exception_handlers).
async def _not_found_in_store(request: Request, exc: Exception) -> Response:
    return fail(404, str(exc))


async def _rejected_by_store(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Rejected)
    return rejected(exc)


async def _bad_body(request: Request, exc: Exception) -> Response:
    return fail(400, str(exc), code=1001)


def _store(request: Request) -> SandboxStore:
    return request.app.state.store


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit():
        raise ValueError(f"{name} must be a positive whole number")
    return int(raw)


async def list_sequences(request: Request) -> Response:
    params = request.query_params
    try:
        page = _int_param(request, "page", 1)
        page_size = _int_param(request, "pageSize", 100)
    except ValueError as exc:
        return fail(400, str(exc), code=1001)
    if page < 1:
        return fail(400, "page must be 1 or more", code=1001)
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        return fail(400, f"pageSize must be from 1 to {MAX_PAGE_SIZE}", code=1001)
    if (page - 1) * page_size > MAX_OFFSET:
        return ok([], "Sequences fetched successfully")  # far past any account's end
    sort = (params.get("sort") or "DESC").upper()
    if sort not in ("ASC", "DESC"):
        return fail(400, "sort must be ASC or DESC", code=1001)
    sort_by = params.get("sortBy") or "sequence.createdAt"
    if sort_by not in ("sequence.createdAt", "sequence.title"):
        return fail(400, "sortBy must be sequence.createdAt or sequence.title", code=1001)
    client_ids = [item.strip() for item in (params.get("clientIds") or "").split(",") if item.strip()]
    items = _store(request).list_sequences(
        name=params.get("sequenceName") or None,
        page=page,
        page_size=page_size,
        descending=sort == "DESC",
        sort_by=sort_by,
        client_ids=client_ids,
    )
    return ok(items, "Sequences fetched successfully")


async def list_steps(request: Request) -> Response:
    steps = _store(request).steps_of(request.path_params["sequenceId"])
    return ok(steps, "Sequence steps fetched successfully")


async def list_step_variants(request: Request) -> Response:
    variants = _store(request).variants_of(request.path_params["sequenceId"], request.path_params["stepId"])
    return ok(variants, "Sequence step fetched successfully")


async def update_variant(request: Request) -> Response:
    body = await json_body(request)
    p = request.path_params
    _store(request).update_variant(p["sequenceId"], p["stepId"], p["variantId"], body)
    return JSONResponse({"message": SUCCESS_MESSAGE, "payload": 1})


async def add_variant(request: Request) -> Response:
    body = await json_body(request)
    p = request.path_params
    variant = _store(request).create_variant(p["sequenceId"], p["stepId"], body)
    return ok(variant, "Sequence step variant added successfully", status=201)


async def list_email_accounts(request: Request) -> Response:
    accounts = _store(request).email_accounts_of(request.path_params["sequenceId"])
    return ok(accounts, "Email accounts fetched successfully")


async def send_test_email(request: Request) -> Response:
    body = await json_body(request)
    _store(request).send_test_email(request.path_params["sequenceId"], body)
    return ok(True, "Test email sent successfully")


async def sandbox_outbox(request: Request) -> Response:
    return ok(_store(request).outbox(), SANDBOX_ONLY + "test emails the sandbox kept instead of sending")


def _file_part(content_type: str, body: bytes) -> tuple[str, bytes, str] | None:
    """The ``file`` field of a multipart body as (filename, bytes, content type), stdlib only."""
    # Imported here: the email package costs ~6 ms at every start of the demo (benchmarks: startup).
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        return None
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            data = part.get_payload(decode=True) or b""
            if not isinstance(data, bytes):  # decode=True gives bytes for a leaf part
                return None
            return part.get_filename() or "upload", data, part.get_content_type()
    return None


async def upload_attachment(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return fail(400, "send the file as multipart/form-data in a field named file", code=1001)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_ATTACHMENT_BYTES + 64 * 1024:
        return fail(400, "the file is over the 25 MB attachment limit", code=1001)
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > MAX_ATTACHMENT_BYTES + 64 * 1024:
            return fail(400, "the file is over the 25 MB attachment limit", code=1001)
        chunks.append(chunk)
    part = _file_part(content_type, b"".join(chunks))
    if part is None:
        return fail(400, "no multipart field named file", code=1001)
    name, data, part_type = part
    if len(data) > MAX_ATTACHMENT_BYTES:
        return fail(400, "the file is over the 25 MB attachment limit", code=1001)
    if not data:
        return fail(400, "the file is empty", code=1001)
    attachment = _store(request).add_attachment(name, len(data), part_type)
    return ok(attachment, "Attachment uploaded successfully", status=201)


async def list_assignees(request: Request) -> Response:
    return ok(_store(request).assignees(), "Assignees fetched successfully")


async def list_fields(request: Request) -> Response:
    system = (request.query_params.get("systemFields") or "").lower() == "true"
    return ok(_store(request).fields(system=system), "Fields fetched successfully")


async def sandbox_prospects(request: Request) -> Response:
    return ok(_store(request).prospects(), SANDBOX_ONLY + "sample prospects for previews")


async def sandbox_add_faults(request: Request) -> Response:
    try:
        faults = parse_faults(await json_body(request))
    except (ValueError, FaultSpecError) as exc:
        return fail(400, str(exc), code=1001)
    queued = request.app.state.faults.extend(faults)
    return ok({"queued": queued}, SANDBOX_ONLY + f"{len(faults)} fault(s) added, {queued} queued")


async def sandbox_clear_faults(request: Request) -> Response:
    request.app.state.faults.clear()
    return ok({"queued": 0}, SANDBOX_ONLY + "faults cleared")


async def sandbox_requests(request: Request) -> Response:
    counter: RequestCounter = request.app.state.requests
    if request.method == "DELETE":
        counter.clear()
        return ok({}, SANDBOX_ONLY + "request counts cleared")
    return ok(counter.snapshot(), SANDBOX_ONLY + "requests served, by method and path")


async def not_found(request: Request, exc: Exception) -> Response:
    return fail(404, f"Cannot {request.method} {request.url.path}")


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    return fail(405, f"Cannot {request.method} {request.url.path}")


ROUTES = [
    Route("/v1/sequences", list_sequences, methods=["GET"]),
    Route("/v1/sequences/{sequenceId}/steps", list_steps, methods=["GET"]),
    Route("/v1/sequences/{sequenceId}/steps/{stepId}", list_step_variants, methods=["GET"]),
    Route("/v1/sequences/{sequenceId}/steps/{stepId}/variants", add_variant, methods=["POST"]),
    Route("/v1/sequences/{sequenceId}/steps/{stepId}/variants/{variantId}", update_variant, methods=["PATCH"]),
    Route("/v1/sequences/{sequenceId}/email-accounts", list_email_accounts, methods=["GET"]),
    Route("/v1/sequences/{sequenceId}/test-email", send_test_email, methods=["POST"]),
    Route("/v1/attachments", upload_attachment, methods=["POST"]),
    Route("/v1/tasks/assignee/list", list_assignees, methods=["GET"]),
    Route("/v1/fields", list_fields, methods=["GET"]),
    Route("/v1/sandbox/prospects", sandbox_prospects, methods=["GET"]),
    Route("/v1/sandbox/outbox", sandbox_outbox, methods=["GET"]),
    Route("/v1/sandbox/faults", sandbox_add_faults, methods=["POST"]),
    Route("/v1/sandbox/faults", sandbox_clear_faults, methods=["DELETE"]),
    Route("/v1/sandbox/requests", sandbox_requests, methods=["GET", "DELETE"]),
]


def create_app(
    db_path: str | Path = ":memory:",
    *,
    api_key: str = DEMO_API_KEY,
    seed: int = 7,
    sequences: int | None = None,
    reset: bool = False,
    latency_ms: int = 0,
    fail_rate: float = 0.0,
    rate_limit: int = 0,
) -> Starlette:
    """Build the sandbox app over the SQLite file ``db_path`` (``":memory:"`` for a private one).

    The demo account is built when the database is empty or ``reset`` is true; ``sequences=N``
    builds a large generated account of N sequences instead (kept and reused when the file
    already holds the same one). ``app.state.store`` is the :class:`SandboxStore`,
    ``app.state.faults`` the scripted-fault queue and ``app.state.requests`` the request counter.
    """
    from .demo import build_demo
    from .large import build_large, large_marker

    if db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    store = SandboxStore(db_path, seed=seed)
    if sequences is not None:
        if reset or store.get_meta("dataset") != large_marker(sequences, seed):
            store.clear()
            build_large(store, sequences, seed=seed)
    elif reset or store.is_empty():
        store.clear()
        build_demo(store)

    queue, counter = FaultQueue(), RequestCounter()
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(
                FaultMiddleware,
                api_key=api_key,
                queue=queue,
                counter=counter,
                latency_ms=latency_ms,
                fail_rate=fail_rate,
                rate_limit=rate_limit,
                seed=seed,
            )
        ],
        exception_handlers={
            404: not_found,
            405: method_not_allowed,
            NotFound: _not_found_in_store,
            Rejected: _rejected_by_store,
            BadBody: _bad_body,
        },
    )
    app.state.store = store
    app.state.faults = queue
    app.state.requests = counter
    app.state.api_key = api_key
    return app
