"""The async client for the Saleshandy Open API.

One ``httpx.AsyncClient`` per :class:`SaleshandyClient`. Every request carries ``x-api-key`` and
``Accept: application/json`` (no Content-Type on GET: the vendor's gateway answered 406 to it),
has a timeout, and never follows a redirect, so the key only ever goes to the configured host.

Retries are deliberately asymmetric. A GET is safe to repeat, so it is retried on any transport
failure, 5xx and 429. A PATCH or POST changes data: it is retried only when the server certainly
did not act on it (429, or a connect error before a byte was sent). A PATCH whose connection
dropped after sending raises ``NetworkError(sent=None)``: the caller must re-read the variant
before deciding to send again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from .base_url import (
    DEFAULT_BASE_URL,
    Resolver,
    _resolve,
    check_api_key,
    httpx_split,
    httpx_url,
    judge,
    normalize_base_url,
)
from .errors import ApiError, NetworkError, NotFoundError, RateLimited, ServerError, UnexpectedResponse
from .events import ApiEvent, EventHandler, EventKind, current_scope
from .models import (
    AddVariant,
    AssigneeTeam,
    Attachment,
    EmailAccount,
    Prospect,
    ProspectField,
    Sequence,
    Step,
    TestEmail,
    Variant,
    VariantUpdate,
    parse_items,
)
from .responses import ApiResult, Listing, envelope, error_for, safe_message, scrub
from .retry import Backoff, server_wait
from .scheduler import Priority, RequestScheduler, current_priority

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiResult",
    "Listing",
    "SaleshandyClient",
    "check_api_key",
    "check_base_url",
    "normalize_base_url",
]

# The header the sandbox (tui/sandbox) puts on every answer; the real API never sends it.
SANDBOX_HEADER = "x-seqedit-sandbox"
MAX_PAGE_SIZE = 1000
# Limits on what one answer may cost (README: Security). The per-read timeout alone lets a server
# trickle a byte a second for ever; the deadline bounds a whole attempt, the byte cap the body
# after decompression (a gzip bomb), whatever the server says its length is.
DEFAULT_DEADLINE = 60.0
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# An upload's deadline grows by its size at this rate (bytes per second): 25 MB over a slow uplink
# is not a hostile server.
UPLOAD_RATE_FLOOR = 100_000
# After this long without an answer the indicator says "slow server" (an ApiEvent SLOW).
SLOW_AFTER = 5.0
# Only encodings decoded here with a bound on the output; httpx would also offer br and zstd.
ACCEPT_ENCODING = "gzip, deflate"

log = logging.getLogger("seqedit.api")

Sleep = Callable[[float], Awaitable[Any]]

# Raised before any byte of the request left this machine: safe to retry even a PATCH.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# Tries of a background request that meets 429s (the scheduler paces it; nobody is waiting on it,
# so it outlasts a burst of other clients' requests rather than surfacing a 429).
BACKGROUND_RATE_LIMIT_TRIES = 12

# Transports that keep every byte inside this process (the demo sandbox, ad-hoc test apps).
_IN_PROCESS = (httpx.ASGITransport, httpx.MockTransport)


def check_base_url(base_url: str, *, in_process: bool = False, resolve: Resolver = _resolve) -> httpx.URL:
    """Parse an API base URL with httpx and vet it by the policy (:func:`tui.api.base_url.judge`);
    ValueError saying what is wrong.

    The client always judges httpx's own parse, the one its requests follow, whatever the light
    check before the first frame (:func:`tui.api.base_url.check_base_url`) decided.
    """
    text = (base_url or "").strip()
    url = httpx_url(text)
    judge(httpx_split(url), text, in_process=in_process, resolve=resolve)
    return url


def _segment(value: str, what: str) -> str:
    """One path segment from an opaque id: percent-encoded, never a dot segment."""
    if not isinstance(value, str) or value.strip() in ("", ".", ".."):
        raise ValueError(f"{what} must be a non-empty id, got {value!r}")
    return quote(value, safe="")


def _as_list(payload: Any, operation: str, keys: tuple[str, ...] = ("items", "data")) -> list[Any]:
    """The payload's list, also when a server wraps it in an object (``{"variants": [...]}``)."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in keys:
            if isinstance(payload.get(key), list):
                return payload[key]
    raise UnexpectedResponse(f"{operation}: expected a list in the payload, got a JSON {_json_type(payload)}")


def _id_text(value: Any) -> Any:
    """An id as the models hold it: a number becomes its text (see ``models.LooseId``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(type(value), "number")


class SaleshandyClient:
    """Async access to the Saleshandy Open API (or the sandbox that imitates it).

    ``transport`` replaces the network (``httpx.ASGITransport(app=...)`` for the in-process
    sandbox); with an in-process transport the base URL may be plain http. ``sleep`` is what
    the retry loop awaits between attempts (tests inject a recorder). ``on_event`` is called for
    each request stage (see :class:`ApiEvent`); the same stages are logged on ``seqedit.api``.
    ``request_count`` counts requests that reached the server (connect failures excluded).

    Waits: ``retry-after`` / ``x-ratelimit-reset`` are honoured when they fit within
    ``max_backoff``; a 429 asking for longer raises RateLimited at once (its ``retry_after``
    says how long) rather than blocking the caller. Garbled hints (over a day) are ignored.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 15.0,
        max_retries: int = 4,
        max_backoff: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        on_event: EventHandler | None = None,
        deadline: float = DEFAULT_DEADLINE,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        slow_after: float = SLOW_AFTER,
        sandbox: bool = False,
    ) -> None:
        key = check_api_key(api_key)
        url = check_base_url(normalize_base_url(base_url)[0], in_process=isinstance(transport, _IN_PROCESS))
        self._key = key
        self.base_url = str(url).rstrip("/")
        self.request_count = 0
        # Set once an answer carried the sandbox's header: only then are /v1/sandbox/* called.
        # ``sandbox``: known in advance (the in-process demo).
        self.server_is_sandbox = sandbox
        self._max_retries = max(0, max_retries)
        self._backoff = Backoff(cap=max_backoff)
        self._sleep = sleep
        self._on_event = on_event
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        self.slow_after = slow_after
        # Every attempt goes through it: rate-limit pacing, interactive before background.
        self.scheduler = RequestScheduler(sleep=sleep, cap=max_backoff)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={
                "x-api-key": key,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
                "User-Agent": _user_agent(),
            },
        )

    def __repr__(self) -> str:
        return f"SaleshandyClient(base_url={self.base_url!r})"

    @property
    def max_attempts(self) -> int:
        """Tries of one request at most, its retries included."""
        return self._max_retries + 1

    @property
    def on_event(self) -> EventHandler | None:
        """The request-event handler (the app's connection indicator); may be replaced."""
        return self._on_event

    @on_event.setter
    def on_event(self, handler: EventHandler | None) -> None:
        self._on_event = handler

    @property
    def timeout(self) -> float | None:
        """Seconds each request may take (connect, read, write and pool alike)."""
        return self._http.timeout.read

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        # Applies to requests made from now on; one already in flight keeps the timeout it began with.
        self._http.timeout = httpx.Timeout(seconds)

    async def __aenter__(self) -> SaleshandyClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (and the transport)."""
        await self._http.aclose()

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` has run."""
        return self._http.is_closed

    # -- endpoints ---------------------------------------------------------------------------

    async def list_sequences(
        self,
        *,
        name: str | None = None,
        sort: str = "DESC",
        sort_by: str = "sequence.createdAt",
        client_ids: list[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Listing[Sequence]:
        """Every sequence (matching ``name``), fetching page after page until a short page."""
        result: Listing[Sequence] = Listing(pages=0)
        async for page in self.iter_sequence_pages(
            name=name, sort=sort, sort_by=sort_by, client_ids=client_ids, page_size=page_size
        ):
            result.items.extend(page.items)
            result.errors.extend(page.errors)
            result.rejected.extend(page.rejected)
            result.pages += 1
        return result

    async def iter_sequence_pages(
        self,
        *,
        name: str | None = None,
        sort: str = "DESC",
        sort_by: str = "sequence.createdAt",
        client_ids: list[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncIterator[Listing[Sequence]]:
        """The sequences one page at a time, for a tree that fills as pages arrive.

        The API returns no total: a page shorter than ``page_size`` is the last. A server that
        ignores ``page`` (the same ids again) ends the listing with an error line instead of
        looping for ever.
        """
        direction = sort.upper()
        if direction not in ("ASC", "DESC"):
            raise ValueError(f"sort must be ASC or DESC, got {sort!r}")
        size = max(1, min(MAX_PAGE_SIZE, int(page_size)))
        operation = "GET /v1/sequences"

        def request(page: int) -> Awaitable[ApiResult]:
            params: list[tuple[str, str | int]] = [
                ("page", page),
                ("pageSize", size),
                ("sort", direction),
                ("sortBy", sort_by),
            ]
            if name:
                params.append(("sequenceName", name))
            if client_ids:
                # Comma-joined, as NestJS-style query arrays (and the sandbox) read them.
                params.append(("clientIds", ",".join(client_ids)))
            return self._call("GET", "/v1/sequences", params=params)

        previous: list[Any] | None = None
        page = 1
        # A full page means another may follow: ask for it before parsing this one, so the
        # parsing overlaps the server's work (benchmarks/scale.py: 5,000 sequences). Only one
        # request is ever ahead, and only after a full page: no request the loop would not make.
        ahead: asyncio.Task[ApiResult] | None = None
        try:
            while True:
                if ahead is not None:
                    answer, ahead = await ahead, None
                else:
                    answer = await request(page)
                raw = _as_list(answer.payload, operation, ("sequences", "items", "data"))
                if len(raw) > size:
                    # A server that ignores pageSize could send a million items in one page.
                    raise UnexpectedResponse(
                        f"{operation}: page {page} holds {len(raw):,} items, more than the {size} asked for; not read"
                    )
                ids = [item.get("id") if isinstance(item, dict) else None for item in raw]
                if raw and previous is not None and ids == previous:
                    yield Listing(
                        items=[],
                        errors=[f"{operation}: page {page} repeated page {page - 1}; stopped listing there"],
                    )
                    return
                full = len(raw) >= size
                if full:
                    ahead = asyncio.ensure_future(request(page + 1))
                parsed = parse_items(Sequence, raw)
                yield Listing(items=parsed.items, errors=parsed.errors, rejected=parsed.rejected)
                if not full:
                    return
                previous = ids
                page += 1
        finally:
            if ahead is not None:  # the caller stopped early (a new filter, a closed screen)
                ahead.cancel()
                with contextlib.suppress(BaseException):
                    await ahead

    async def list_steps(self, sequence_id: str) -> Listing[Step]:
        """A sequence's steps, each with its variants (unreadable variants in ``load_errors``)."""
        template = "/v1/sequences/{sequenceId}/steps"
        answer = await self._call("GET", template, {"sequenceId": sequence_id})
        parsed = parse_items(Step, _as_list(answer.payload, f"GET {template}", ("steps", "items", "data")))
        return Listing(items=parsed.items, errors=parsed.errors)

    async def list_variants(self, sequence_id: str, step_id: str) -> Listing[Variant]:
        """The variants of one step, in the server's order (their letters are positions)."""
        raw = await self._variant_items(sequence_id, step_id)
        parsed = parse_items(Variant, raw)
        return Listing(items=parsed.items, errors=parsed.errors)

    async def get_variant(self, sequence_id: str, step_id: str, variant_id: str) -> Variant:
        """One variant, read fresh (there is no single-variant GET: the step's list is read)."""
        operation = "GET /v1/sequences/{sequenceId}/steps/{stepId}"
        for item in await self._variant_items(sequence_id, step_id):
            # Ids may come as numbers (the vendor's examples): compare them as the models hold them.
            if isinstance(item, dict) and _id_text(item.get("id")) == variant_id:
                parsed = parse_items(Variant, [item])
                if parsed.errors:
                    raise UnexpectedResponse(f"{operation}: {safe_message(parsed.errors[0], self._key)}")
                return parsed.items[0]
        raise NotFoundError(
            f"{operation}: variant {safe_message(variant_id, self._key, 40)} is not in that step any more",
            status=None,
        )

    async def update_variant(self, sequence_id: str, step_id: str, variant_id: str, update: VariantUpdate) -> ApiResult:
        """PATCH the fields set on ``update``; refuses (ValueError) an empty update."""
        if update.empty:
            raise ValueError("Nothing to save: the update sets no field.")
        return await self._call(
            "PATCH",
            "/v1/sequences/{sequenceId}/steps/{stepId}/variants/{variantId}",
            {"sequenceId": sequence_id, "stepId": step_id, "variantId": variant_id},
            json=update.body(),
        )

    async def add_variant(self, sequence_id: str, step_id: str, body: AddVariant) -> Variant | ApiResult:
        """Add a variant (A/B test); the new Variant when the server returns it, else the result."""
        answer = await self._call(
            "POST",
            "/v1/sequences/{sequenceId}/steps/{stepId}/variants",
            {"sequenceId": sequence_id, "stepId": step_id},
            json=body.body(),
        )
        payload = answer.payload
        if isinstance(payload, dict) and payload.get("id"):
            parsed = parse_items(
                Variant, [{"type": body.type.value, **payload} if payload.get("type") is None else payload]
            )
            if parsed.items:
                return parsed.items[0]
        return answer

    async def upload_attachment(self, path: str | Path) -> Attachment:
        """Upload a file (multipart field ``file``) and return the attachment to reference."""
        file = Path(path)
        # Read once (a retried request must send the same bytes), off the event loop: up to 25 MB.
        data = await asyncio.to_thread(file.read_bytes)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        operation = "POST /v1/attachments"
        answer = await self._call(
            "POST",
            "/v1/attachments",
            files={"file": (file.name, data, content_type)},
            extra_time=len(data) / UPLOAD_RATE_FLOOR,
        )
        payload = answer.payload
        if isinstance(payload, list) and len(payload) == 1:
            payload = payload[0]
        if isinstance(payload, (str, int)) and not isinstance(payload, bool):
            payload = {"id": payload}
        if isinstance(payload, dict) and payload.get("id") is None and payload.get("attachmentId") is not None:
            # The vendor's answer may name it attachmentId.
            payload = {**payload, "id": payload["attachmentId"]}
        if isinstance(payload, dict) and "name" not in payload:
            payload = {**payload, "name": file.name}
        parsed = parse_items(Attachment, [payload])
        if not parsed.items:
            raise UnexpectedResponse(f"{operation}: the answer holds no attachment id ({_json_type(payload)})")
        return parsed.items[0]

    async def list_assignees(self) -> list[AssigneeTeam]:
        """Teams and the users that tasks may be assigned to."""
        template = "/v1/tasks/assignee/list"
        answer = await self._call("GET", template)
        return self._keep_parsed(
            AssigneeTeam, _as_list(answer.payload, f"GET {template}", ("teams", "items", "data")), template
        )

    async def list_fields(self) -> list[ProspectField]:
        """Prospect fields, system ones included: their labels are the valid merge tags."""
        template = "/v1/fields"
        answer = await self._call("GET", template, params={"systemFields": "true"})
        return self._keep_parsed(
            ProspectField, _as_list(answer.payload, f"GET {template}", ("fields", "items", "data")), template
        )

    async def list_email_accounts(self, sequence_id: str) -> list[EmailAccount]:
        """The sending accounts connected to a sequence (the senders a test email may use)."""
        template = "/v1/sequences/{sequenceId}/email-accounts"
        answer = await self._call("GET", template, {"sequenceId": sequence_id})
        return self._keep_parsed(
            EmailAccount,
            _as_list(answer.payload, f"GET {template}", ("emailAccounts", "items", "data")),
            template,
        )

    async def send_test_email(self, sequence_id: str, email: TestEmail) -> ApiResult:
        """Send a test email of a sequence's content to ``email.to`` (never retried: a retry
        could deliver it twice). The vendor's refusal for a sender that is not connected to the
        sequence comes back as an ApiError whose text :func:`sender_not_connected` recognises."""
        return await self._call(
            "POST", "/v1/sequences/{sequenceId}/test-email", {"sequenceId": sequence_id}, json=email.body()
        )

    async def sandbox_outbox(self) -> list[dict[str, Any]]:
        """What the sandbox kept instead of sending test emails: [] without a request unless the
        server has said it is the sandbox (a real server has no such endpoint)."""
        if not self.server_is_sandbox:
            return []
        answer = await self._call("GET", "/v1/sandbox/outbox")
        return [item for item in _as_list(answer.payload, "GET /v1/sandbox/outbox") if isinstance(item, dict)]

    async def list_prospects(self) -> list[Prospect]:
        """Sample prospects for previews, from the sandbox only: [] without a request unless the
        server has said it is the sandbox (a real account's come from ``[[sample_prospects]]``
        in the config; see :func:`tui.session.connect.sample_prospects`)."""
        template = "/v1/sandbox/prospects"
        if not self.server_is_sandbox:
            return []
        try:
            answer = await self._call("GET", template)
        except NotFoundError:
            return []
        return self._keep_parsed(
            Prospect, _as_list(answer.payload, f"GET {template}", ("prospects", "items", "data")), template
        )

    async def read_raw(self, template: str, ids: Mapping[str, str] | None = None, params: Any = None) -> Any:
        """The payload of one GET exactly as the server sent it (JSON), through the same
        retries, limits and errors as every other call: for diagnostics (``seqedit doctor``)."""
        return (await self._call("GET", template, ids, params=params)).payload

    # -- plumbing ----------------------------------------------------------------------------

    async def _variant_items(self, sequence_id: str, step_id: str) -> list[Any]:
        template = "/v1/sequences/{sequenceId}/steps/{stepId}"
        answer = await self._call("GET", template, {"sequenceId": sequence_id, "stepId": step_id})
        return _as_list(answer.payload, f"GET {template}", ("variants", "items", "data"))

    def _keep_parsed(self, model: type, raw: list[Any], template: str) -> list[Any]:
        parsed = parse_items(model, raw)
        for error in parsed.errors:
            log.warning("GET %s: skipped an item: %s", template, safe_message(error, self._key))
        return parsed.items

    async def _call(
        self,
        method: str,
        template: str,
        ids: Mapping[str, str] | None = None,
        *,
        params: Any = None,
        json: Any = None,
        files: Any = None,
        extra_time: float = 0.0,
    ) -> ApiResult:
        """Send one API request with retries; the success envelope or an ApiError.

        ``extra_time`` lengthens each attempt's deadline (an upload's bytes take time to send)."""
        path = template
        for name, value in (ids or {}).items():
            path = path.replace("{" + name + "}", _segment(value, name))
        operation = f"{method} {template}"
        idempotent = method == "GET"
        priority = current_priority()
        attempt = 0
        while True:
            attempt += 1
            await self.scheduler.acquire(priority, self._announce_hold(method, template, attempt))
            self._emit(ApiEvent(EventKind.SENT, method, template, attempt))
            try:
                outcome = await self._attempt(
                    method, template, attempt, path, operation, params, json, files, self.deadline + extra_time
                )
            except BaseException as exc:  # cancelled mid-request: report it, then let it go
                self._emit(ApiEvent(EventKind.FAILED, method, template, attempt, error=type(exc).__name__))
                raise
            finally:
                self.scheduler.release(priority)
            if isinstance(outcome, ApiResult):
                self._emit(ApiEvent(EventKind.SUCCEEDED, method, template, attempt))
                return outcome
            error, hint = outcome
            wait = self._retry_wait(error, hint, attempt, idempotent, priority)
            name = type(error).__name__
            if wait is None:
                self._emit(
                    ApiEvent(EventKind.FAILED, method, template, attempt, error.status, name, message=error.message)
                )
                raise error
            self._emit(ApiEvent(EventKind.RETRYING, method, template, attempt, error.status, name, wait, error.message))
            await self._sleep(wait)
            if isinstance(error, RateLimited):
                self.scheduler.waited_out(wait)

    def _announce_hold(self, method: str, template: str, attempt: int) -> Callable[[float, str], None]:
        """What the scheduler calls before holding this request: a RETRYING event, which the
        connection indicator shows as a wait for the rate limit."""

        def announce(wait: float, why: str) -> None:
            self._emit(
                ApiEvent(EventKind.RETRYING, method, template, attempt, error="RateLimited", wait=wait, message=why)
            )

        return announce

    async def _attempt(
        self,
        method: str,
        template: str,
        attempt: int,
        path: str,
        operation: str,
        params: Any,
        json: Any,
        files: Any,
        deadline: float,
    ) -> ApiResult | tuple[ApiError, float | None]:
        """One try: the envelope, or the error with the server's requested wait (if any).

        The whole try, connection to last byte, must end within ``deadline`` seconds; the body is read
        and decompressed here, at most ``max_response_bytes`` of it.
        """
        request = self._http.build_request(method, path, params=params, json=json, files=files)
        slow = asyncio.get_running_loop().call_later(
            self.slow_after, self._emit, ApiEvent(EventKind.SLOW, method, template, attempt)
        )
        try:
            async with asyncio.timeout(deadline):
                streamed = await self._http.send(request, stream=True)
                try:
                    content = await _read_body(streamed, self.max_response_bytes)
                finally:
                    await streamed.aclose()
        except TimeoutError:
            self.request_count += 1
            host = self._http.base_url.host
            return (
                NetworkError(
                    f"{operation}: {host} did not finish answering within {deadline:g} s; "
                    "the server may or may not have acted on it",
                    sent=None,
                ),
                None,
            )
        except httpx.TransportError as exc:
            return self._network_error(exc, operation), None
        except _BodyRefused as exc:
            self.request_count += 1
            return UnexpectedResponse(f"{operation}: the server's answer {exc}; not read"), None
        finally:
            slow.cancel()
        self.request_count += 1
        response = _buffered(streamed, content, request)
        if response.headers.get(SANDBOX_HEADER):
            self.server_is_sandbox = True
        hint = server_wait(response.headers) if response.status_code in (429, 503) else None
        self.scheduler.observe(response.status_code, response.headers, hint)
        error = error_for(response, operation, self._key, retry_after=hint)
        if error is not None:
            return error, hint
        try:
            return envelope(response, operation, self._key)
        except UnexpectedResponse as exc:
            return exc, None

    def _network_error(self, exc: httpx.TransportError, operation: str) -> NetworkError:
        detail = safe_message(str(exc) or type(exc).__name__, self._key, 160)
        host = self._http.base_url.host
        if isinstance(exc, _NOT_SENT):
            what = (
                "timed out connecting to"
                if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
                else "could not connect to"
            )
            return NetworkError(f"{operation}: {what} {host} ({detail}); nothing was sent", sent=False)
        self.request_count += 1
        if isinstance(exc, httpx.TimeoutException):
            what = f"{host} did not answer in time"
        else:
            what = f"the connection to {host} broke before an answer came"
        return NetworkError(f"{operation}: {what} ({detail}); the server may or may not have acted on it", sent=None)

    def _retry_wait(
        self, error: ApiError, hint: float | None, attempt: int, idempotent: bool, priority: Priority
    ) -> float | None:
        """The pause before another attempt, or None to give up and raise ``error``."""
        tries = self._max_retries
        if isinstance(error, RateLimited) and priority is Priority.BACKGROUND and tries:
            tries = max(tries, BACKGROUND_RATE_LIMIT_TRIES)
        if attempt > tries:
            return None
        scope = current_scope()
        if scope is not None and scope.max_attempts is not None and attempt >= scope.max_attempts:
            return None  # the caller's cap (a save's re-read: a few tries within its time limit)
        if isinstance(error, RateLimited):
            # A wait longer than we are prepared to block for is the caller's to schedule.
            return self._backoff.delay(attempt - 1, hint) if self._backoff.honours(hint) else None
        if isinstance(error, NetworkError) and (idempotent or error.sent is False):
            return self._backoff.delay(attempt - 1)
        if isinstance(error, ServerError) and idempotent:
            return self._backoff.delay(attempt - 1, hint if self._backoff.honours(hint) else None)
        return None

    def _emit(self, event: ApiEvent) -> None:
        level = logging.DEBUG if event.kind in (EventKind.SENT, EventKind.SUCCEEDED) else logging.INFO
        if log.isEnabledFor(level):
            extra = f" {event.error} {event.message}" if event.error else ""
            log.log(
                level,
                "%s %s %s (attempt %d)%s",
                event.kind.value,
                event.method,
                event.path,
                event.attempt,
                scrub(extra, self._key),
            )
        scope = current_scope()
        for handler in (self._on_event, scope.observer if scope is not None else None):
            if handler is None:
                continue
            try:
                handler(event)
            except Exception:  # a broken indicator must not break a save
                log.exception("on_event handler failed")


class _BodyRefused(Exception):
    """A body over the size cap, or in an encoding that cannot be decoded (the text says which)."""


def _decoder(encoding: str) -> Any:
    """A zlib decompressor for ``content-encoding``; None for identity; _BodyRefused otherwise."""
    names = [part.strip().lower() for part in encoding.split(",") if part.strip()]
    names = [name for name in names if name != "identity"]
    if not names:
        return None
    if names in (["gzip"], ["x-gzip"]):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if names == ["deflate"]:
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib-wrapped (gzip header accepted too)
    raise _BodyRefused(f"is encoded as {safe_message(encoding, None, 40)!r}, which seqedit did not ask for")


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    """The body, decompressed, refusing it as soon as it passes ``limit`` bytes.

    Decompression is bounded per call (``max_length``), so a small gzip bomb never expands in
    memory beyond the limit.
    """
    too_big = f"is larger than {limit:,} bytes"
    try:
        ready = response.content  # a mock transport's response comes already read and decoded
    except httpx.ResponseNotRead:
        pass
    else:
        if len(ready) > limit:
            raise _BodyRefused(too_big)
        return ready
    decoder = _decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            if decoder is None:
                body += chunk
                if len(body) > limit:
                    raise _BodyRefused(too_big)
                continue
            data = chunk
            while data:
                body += decoder.decompress(data, limit - len(body) + 1)
                if len(body) > limit:
                    raise _BodyRefused(too_big)
                data = decoder.unconsumed_tail
        if decoder is not None:
            body += decoder.flush()
            if len(body) > limit:
                raise _BodyRefused(too_big)
    except zlib.error:
        raise _BodyRefused("could not be decoded (its compression is broken)") from None
    return bytes(body)


# Framing headers of the bytes on the wire; the body handed on is already decoded.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _buffered(streamed: httpx.Response, content: bytes, request: httpx.Request) -> httpx.Response:
    """A complete response holding the decoded ``content``, for the parsing in responses.py."""
    headers = [(name, value) for name, value in streamed.headers.multi_items() if name.lower() not in _WIRE_HEADERS]
    reason = streamed.extensions.get("reason_phrase")
    return httpx.Response(
        streamed.status_code,
        headers=headers,
        content=content,
        request=request,
        extensions={"reason_phrase": reason} if reason else {},
    )


def _user_agent() -> str:
    try:
        from tui import __version__
    except ImportError:  # pragma: no cover - the package always has it
        __version__ = "0"
    return f"seqedit/{__version__}"
