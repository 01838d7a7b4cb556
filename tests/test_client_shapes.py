"""The client against responses the sandbox never serves: odd shapes, broken JSON, redirects.

A tiny Starlette app answers each path with a scripted status, headers and body, in-process via
``httpx.ASGITransport``; it also records the requests it saw, so headers can be checked.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tui.api.client import SaleshandyClient
from tui.api.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    RateLimited,
    ServerError,
    UnexpectedResponse,
    ValidationFailed,
)
from tui.api.events import EventKind
from tui.api.models import VariantUpdate

KEY = "sk-live-7f3a9c1e5b2d4a6f"
BASE = "http://vendor.test"


class Scripted:
    """An ASGI app whose answers are set per path: ``answers[path] = [(status, headers, body), …]``.

    Each request takes the next answer for its path (the last one repeats); ``seen`` keeps
    (method, path, query, headers) of every request.
    """

    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.seen: list[tuple[str, str, str, dict[str, str]]] = []
        self.app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "PATCH", "POST"])])

    def answer(self, path: str, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answers.setdefault(path, []).append((status, headers or {}, raw))

    async def handle(self, request: Request) -> Response:
        path = request.scope["raw_path"].decode()  # as sent: percent-encoding kept
        self.seen.append((request.method, path, request.url.query, dict(request.headers)))
        script = self.answers.get(path) or [(599, {}, b"no script")]
        status, headers, body = script.pop(0) if len(script) > 1 else script[0]
        return Response(body, status_code=status, headers=headers, media_type="application/json")


class Sleeps:
    """An injected ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def server() -> Scripted:
    return Scripted()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def client(server: Scripted, sleeps: Sleeps):
    async with SaleshandyClient(KEY, BASE, transport=httpx.ASGITransport(app=server.app), sleep=sleeps) as made:
        yield made


SEQ = "/v1/sequences"
STEP_PATH = "/v1/sequences/s1/steps/t1"
PATCH_PATH = "/v1/sequences/s1/steps/t1/variants/v1"


async def test_headers_key_accept_and_no_content_type_on_get(client, server):
    server.answer(SEQ, 200, {"message": "ok", "payload": []})
    await client.list_sequences(page_size=10)
    method, _path, query, headers = server.seen[0]
    assert method == "GET"
    assert headers["x-api-key"] == KEY
    assert headers["accept"] == "application/json"
    assert "content-type" not in headers
    assert "authorization" not in headers
    assert "page=1" in query and "pageSize=10" in query and "sort=DESC" in query


async def test_patch_sends_json_body_of_set_fields_only(client, server):
    server.answer(PATCH_PATH, 200, {"message": "Sequence step variant updated successfully", "payload": 1})
    result = await client.update_variant("s1", "t1", "v1", VariantUpdate(status=0))
    assert result.payload == 1
    assert server.seen[0][3]["content-type"] == "application/json"


@pytest.mark.parametrize(
    "body, fragment",
    [
        (b'{"message": "ok", "payload": [{"id": "a"', "not valid JSON"),
        (b"<html><body>502 Bad Gateway</body></html>", "not valid JSON"),
        (b"", "empty body"),
        (b'[{"id": "a"}]', "JSON list"),
        (b'{"message": "ok"}', "no payload"),
        (b'{"message": "ok", "payload": {"unexpected": true}}', "expected a list"),
        (b'{"message": "ok", "payload": 42}', "expected a list"),
    ],
)
async def test_unparsable_or_wrongly_shaped_success_is_unexpected_response(client, server, body, fragment):
    server.answer(STEP_PATH, 200, body)
    with pytest.raises(UnexpectedResponse) as caught:
        await client.list_variants("s1", "t1")
    assert fragment in str(caught.value)
    assert "GET /v1/sequences/{sequenceId}/steps/{stepId}" in str(caught.value)
    assert len(server.seen) == 1, "a malformed answer is not retried"


async def test_unknown_channel_in_listing_is_one_error_line(client, server):
    good = {"id": "v1", "type": "Email", "payload": {"subject": "Hi", "content": "<p>x</p>"}}
    # Issue 12: an unknown channel code is kept as data (refused only at save time); an item
    # without a type at all is still one error line.
    odd = {"id": "v2", "type": 7, "payload": {}}
    bad = {"id": "v4", "type": None, "payload": {}}
    also_good = {"id": "v3", "type": 2, "payload": {"connectionNote": "hello"}}
    server.answer(STEP_PATH, 200, {"message": "ok", "payload": [good, odd, bad, also_good]})
    listing = await client.list_variants("s1", "t1")
    assert [item.id for item in listing.items] == ["v1", "v2", "v3"]
    assert listing.items[1].type.wire == 7
    assert len(listing.errors) == 1
    assert "v4" in listing.errors[0] and "type" in listing.errors[0]


async def test_wrapped_list_payload_is_accepted(client, server):
    server.answer(
        STEP_PATH,
        200,
        {"message": "ok", "payload": {"variants": [{"id": "v1", "type": 3, "payload": {"message": "m"}}]}},
    )
    listing = await client.list_variants("s1", "t1")
    assert listing.items[0].payload == {"message": "m"}


@pytest.mark.parametrize(
    "status, body, cls, expected",
    [
        (
            400,
            {
                "message": ["taskNote is not allowed on Email variants", "payload.subject is required"],
                "error": "Bad Request",
            },
            ValidationFailed,
            ["taskNote is not allowed on Email variants", "payload.subject is required"],
        ),
        (
            400,
            {"payload": [{"message": "1001: Invalid token", "code": 1001, "httpStatus": 400}]},
            AuthError,  # the vendor's bad key (issue 12.5): a key problem, not a validation failure
            ["1001: Invalid token"],
        ),
        (422, {"error": "Unprocessable"}, ValidationFailed, ["Unprocessable"]),
        (404, {"message": "variant not found", "statusCode": 404}, NotFoundError, ["variant not found"]),
        (403, {"message": "Forbidden resource"}, AuthError, ["Forbidden resource"]),
        (500, b"<html>oops</html>", ServerError, ["<html>oops</html>"]),
    ],
)
async def test_error_bodies_are_read_defensively(client, server, status, body, cls, expected):
    server.answer(PATCH_PATH, status, body)
    with pytest.raises(cls) as caught:
        await client.update_variant("s1", "t1", "v1", VariantUpdate(taskNote="x"))
    error = caught.value
    assert error.status == status
    assert error.messages == expected
    assert "PATCH /v1/sequences/{sequenceId}/steps/{stepId}/variants/{variantId}" in str(error)
    assert len(server.seen) == 1, "a PATCH is not retried on 4xx or 5xx"


async def test_hostile_error_text_is_made_plain_and_bounded(client, server):
    hostile = "\x1b]52;c;ZXZpbA==\x07[bold red]boom[/]\x1b[2J" + "x" * 5000
    server.answer(PATCH_PATH, 400, {"message": hostile})
    with pytest.raises(ValidationFailed) as caught:
        await client.update_variant("s1", "t1", "v1", VariantUpdate(status=1))
    text = str(caught.value)
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold red]boom[/]" in text  # kept literally: it is data, not markup
    assert len(caught.value.messages[0]) <= 300


async def test_server_echoing_the_key_never_gets_it_into_the_error(client, server):
    server.answer(SEQ, 401, {"message": f"Invalid token {KEY}", "error": "Unauthorized"})
    with pytest.raises(AuthError) as caught:
        await client.list_sequences()
    error = caught.value
    assert KEY not in str(error) and KEY not in repr(error)
    assert all(KEY not in message for message in error.messages)
    assert "Invalid token" in str(error)


async def test_redirect_is_not_followed(client, server):
    server.answer(SEQ, 301, b"", headers={"location": "https://elsewhere.example/v1/sequences"})
    with pytest.raises(UnexpectedResponse) as caught:
        await client.list_sequences()
    assert "not followed" in str(caught.value)
    assert "elsewhere.example" in str(caught.value)
    assert [path for _m, path, _q, _h in server.seen] == [SEQ], "only the configured host was asked"


async def test_get_retries_5xx_then_succeeds(client, server, sleeps):
    server.answer(SEQ, 503, {"message": "busy"})
    server.answer(SEQ, 502, b"bad gateway")
    server.answer(SEQ, 200, {"message": "ok", "payload": [{"id": "q1", "title": "T"}]})
    listing = await client.list_sequences()
    assert [item.id for item in listing.items] == ["q1"]
    assert len(server.seen) == 3 and client.request_count == 3
    assert len(sleeps.waits) == 2 and all(0 < wait <= 30 for wait in sleeps.waits)


async def test_get_gives_up_after_max_retries(server, sleeps):
    server.answer(SEQ, 500, {"message": "down"})
    transport = httpx.ASGITransport(app=server.app)
    async with SaleshandyClient(KEY, BASE, transport=transport, sleep=sleeps, max_retries=2) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_sequences()
    assert caught.value.messages == ["down"]
    assert len(server.seen) == 3 and len(sleeps.waits) == 2


async def test_patch_is_not_retried_on_5xx(client, server, sleeps):
    server.answer(PATCH_PATH, 503, {"message": "busy"})
    with pytest.raises(ServerError):
        await client.update_variant("s1", "t1", "v1", VariantUpdate(status=1))
    assert len(server.seen) == 1 and sleeps.waits == []


async def test_patch_retried_on_429_honouring_retry_after(client, server, sleeps):
    server.answer(PATCH_PATH, 429, {"message": "Too Many Requests"}, headers={"retry-after": "7"})
    server.answer(PATCH_PATH, 200, {"message": "Sequence step variant updated successfully", "payload": 1})
    result = await client.update_variant("s1", "t1", "v1", VariantUpdate(status=1))
    assert result.message == "Sequence step variant updated successfully"
    assert len(sleeps.waits) == 1 and 7 <= sleeps.waits[0] <= 8


async def test_429_asking_for_longer_than_max_backoff_raises_at_once(client, server, sleeps):
    server.answer(SEQ, 429, {"message": "slow down"}, headers={"retry-after": "600"})
    with pytest.raises(RateLimited) as caught:
        await client.list_sequences()
    assert caught.value.retry_after == pytest.approx(600)
    assert sleeps.waits == [] and len(server.seen) == 1


async def test_ratelimit_reset_header_is_honoured(client, server, sleeps):
    server.answer(SEQ, 429, {"message": "slow down"}, headers={"x-ratelimit-reset": "3", "x-ratelimit-remaining": "0"})
    server.answer(SEQ, 200, {"message": "ok", "payload": []})
    await client.list_sequences()
    assert len(sleeps.waits) == 1 and 3 <= sleeps.waits[0] <= 3.5


async def test_empty_update_is_refused_without_a_request(client, server):
    with pytest.raises(ValueError):
        await client.update_variant("s1", "t1", "v1", VariantUpdate())
    assert server.seen == []


@pytest.mark.parametrize("bad_id", ["", "..", "."])
async def test_dot_or_empty_ids_are_refused(client, server, bad_id):
    with pytest.raises(ValueError):
        await client.list_steps(bad_id)
    assert server.seen == []


async def test_ids_are_percent_encoded_into_one_segment(client, server):
    server.answer("/v1/sequences/a%2Fb%3Fc/steps", 200, {"message": "ok", "payload": []})
    await client.list_steps("a/b?c")
    assert server.seen[0][1] == "/v1/sequences/a%2Fb%3Fc/steps"
    assert server.seen[0][2] == ""  # the "?" did not start a query


async def test_events_report_sent_retrying_and_failed(server, sleeps):
    events = []
    server.answer(SEQ, 503, {"message": "busy"})
    transport = httpx.ASGITransport(app=server.app)
    async with SaleshandyClient(
        KEY, BASE, transport=transport, sleep=sleeps, max_retries=1, on_event=events.append
    ) as client:
        with pytest.raises(ServerError):
            await client.list_sequences()
    kinds = [event.kind for event in events]
    assert kinds == [EventKind.SENT, EventKind.RETRYING, EventKind.SENT, EventKind.FAILED]
    assert events[-1].error == "ServerError" and events[-1].path == "/v1/sequences"
    assert all(KEY not in repr(event) for event in events)


async def test_errors_are_api_errors_with_status(client, server):
    server.answer("/v1/fields", 418, {"message": "teapot"})
    with pytest.raises(ApiError) as caught:
        await client.list_fields()
    assert caught.value.status == 418


async def test_prospects_are_empty_where_the_endpoint_does_not_exist(client, server):
    # A server that said it is the sandbox but has no such endpoint: [] after one request.
    server.answer("/v1/fields", 200, {"message": "ok", "payload": []}, headers={"x-seqedit-sandbox": "1"})
    server.answer("/v1/sandbox/prospects", 404, {"message": "Cannot GET /v1/sandbox/prospects"})
    await client.list_fields()
    assert await client.list_prospects() == []
    assert [seen[1] for seen in server.seen] == ["/v1/fields", "/v1/sandbox/prospects"]


async def test_no_sandbox_endpoint_is_called_on_a_server_that_is_not_the_sandbox(client, server):
    # Issue 12 item 6: the real API never hears of /v1/sandbox/*, even after other answers.
    server.answer("/v1/fields", 200, {"message": "ok", "payload": []})
    server.answer("/v1/sandbox/prospects", 200, {"message": "ok", "payload": [{"id": "p", "fields": {}}]})
    await client.list_fields()
    assert await client.list_prospects() == []
    assert not client.server_is_sandbox
    assert [seen[1] for seen in server.seen] == ["/v1/fields"]


async def test_sequence_listing_stops_when_the_server_ignores_page(client, server):
    full_page = [{"id": f"q{index}", "title": f"T{index}"} for index in range(2)]
    server.answer(SEQ, 200, {"message": "ok", "payload": full_page})  # every page the same
    listing = await client.list_sequences(page_size=2)
    assert [item.id for item in listing.items] == ["q0", "q1"]
    assert len(listing.errors) == 1 and "repeated" in listing.errors[0]
    assert len(server.seen) == 2


async def test_a_body_with_broken_compression_is_unexpected_response(client, server):
    server.answer("/v1/fields", 200, b"\x00not gzip at all", headers={"content-encoding": "gzip"})
    with pytest.raises(UnexpectedResponse, match="could not be decoded"):
        await client.list_fields()
