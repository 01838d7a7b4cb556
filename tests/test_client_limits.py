"""The client against hostile servers on 127.0.0.1 (issue 18.1, 18.15) and the vendor's own error
and rate-limit shapes (issue 12.5).

Every server here is a raw asyncio server in the test's loop (tests/test_hostile_server_support.py):
it writes what a hostile or broken server would, byte by byte.
"""

from __future__ import annotations

import email.utils
import time
import tracemalloc

import pytest
from test_hostile_server_support import HostileServer, answer, deep_json, delayed, endless, gzip_bomb, trickle

from tui.api.client import SaleshandyClient, check_base_url, normalize_base_url
from tui.api.errors import AuthError, GatewayError, NetworkError, ServerError, UnexpectedResponse, ValidationFailed
from tui.api.events import EventKind
from tui.api.models import VariantUpdate
from tui.api.retry import quota_pause, server_wait

KEY = "sk-live-limits-0123456789"
SEQ = "/v1/sequences"
FIELDS = "/v1/fields"
PATCH_PATH = "/v1/sequences/s1/steps/t1/variants/v1"


class Sleeps:
    """An injected ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def server():
    made = HostileServer()
    await made.start()
    yield made
    await made.close()


def client_for(server: HostileServer, **options) -> SaleshandyClient:
    options.setdefault("max_retries", 0)
    return SaleshandyClient(KEY, server.base_url, **options)


# -- 18.1: JSON nested 100,000 deep ----------------------------------------------------------


@pytest.mark.parametrize(
    "where, status",
    [("success", 200), ("error body", 400), ("error body", 500)],
)
async def test_deeply_nested_json_is_an_unexpected_answer_not_a_recursion_error(server, where, status):
    server.script(FIELDS, answer(status, deep_json()))
    async with client_for(server) as client:
        with pytest.raises((UnexpectedResponse, ValidationFailed, ServerError)) as caught:
            await client.list_fields()
    assert "nested more than 64 levels" in str(caught.value)
    assert KEY not in str(caught.value)


async def test_deeply_nested_patch_answer_is_an_unexpected_answer(server):
    server.script(PATCH_PATH, answer(200, deep_json()))
    async with client_for(server) as client:
        with pytest.raises(UnexpectedResponse, match="nested more than"):
            await client.update_variant("s1", "t1", "v1", VariantUpdate(status=1))


async def test_json_nested_just_under_the_recursion_limit_is_refused_too(server):
    # Parses in C, then would overflow the recursion of whoever walks it (pydantic, repr, the
    # PATCH encoder) in a deeper frame: refused by the depth limit, not by luck.
    server.script(FIELDS, answer(200, deep_json(500)))
    async with client_for(server) as client:
        with pytest.raises(UnexpectedResponse, match="nested more than 64 levels"):
            await client.list_fields()


# -- 18.15: size, time and item limits ----------------------------------------------------------


async def test_endless_body_is_cut_at_the_size_cap(server):
    server.script(FIELDS, endless())
    async with client_for(server, max_response_bytes=2 * 1024 * 1024, deadline=120) as client:
        with pytest.raises(UnexpectedResponse, match="larger than 2,097,152 bytes"):
            await client.list_fields()


async def test_trickling_server_hits_the_total_deadline_and_is_shown_slow(server):
    server.script(FIELDS, trickle(0.2))  # a byte every 0.2 s never trips the per-read timeout
    events = []
    async with client_for(server, deadline=1.5, slow_after=0.3, timeout=5.0, on_event=events.append) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_fields()
    assert "did not finish answering within 1.5 s" in str(caught.value)
    kinds = [event.kind for event in events]
    assert EventKind.SLOW in kinds and kinds.index(EventKind.SLOW) < kinds.index(EventKind.FAILED)


async def test_patch_past_the_deadline_may_have_been_applied(server):
    server.script(PATCH_PATH, trickle(0.2))
    async with client_for(server, deadline=1.0, timeout=5.0) as client:
        with pytest.raises(NetworkError) as caught:
            await client.update_variant("s1", "t1", "v1", VariantUpdate(status=1))
    assert caught.value.sent is None  # the save flow re-reads before any retry


async def test_an_upload_gets_time_for_its_bytes_on_top_of_the_deadline(server, tmp_path):
    late = delayed(1.0, answer(200, {"message": "ok", "payload": {"id": "a1", "name": "deck.pdf"}}))
    server.script("/v1/attachments", late)
    server.script(FIELDS, late)
    deck = tmp_path / "deck.pdf"
    deck.write_bytes(b"%PDF" + b"0" * 1_000_000)  # 1 MB: ten more seconds at the floor rate
    async with client_for(server, deadline=0.3) as client:
        with pytest.raises(NetworkError, match=r"within 0\.3 s"):
            await client.list_fields()
        attachment = await client.upload_attachment(deck)
    assert attachment.id == "a1"


async def test_gzip_bomb_is_refused_without_inflating_it(server):
    bomb, compressed = gzip_bomb(64 * 1024 * 1024)
    assert compressed < 200_000
    server.script(FIELDS, bomb)
    tracemalloc.start()
    try:
        async with client_for(server, max_response_bytes=1024 * 1024) as client:
            with pytest.raises(UnexpectedResponse, match="larger than 1,048,576 bytes"):
                await client.list_fields()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"peak {peak:,} bytes while refusing a 64 MB bomb"


async def test_gzip_answer_within_the_cap_is_read(server):
    import gzip
    import json

    body = gzip.compress(json.dumps({"message": "ok", "payload": [{"id": "f1", "label": "First Name"}]}).encode())
    server.script(FIELDS, answer(200, body, {"content-encoding": "gzip"}))
    async with client_for(server) as client:
        fields = await client.list_fields()
    assert [field.id for field in fields] == ["f1"]


async def test_a_page_with_more_items_than_page_size_is_unexpected(server):
    items = [{"id": f"s{n}", "title": f"Sequence {n}"} for n in range(11)]
    server.script(SEQ, answer(200, {"message": "ok", "payload": items}))
    async with client_for(server) as client:
        with pytest.raises(UnexpectedResponse, match="holds 11 items, more than the 10 asked for"):
            await client.list_sequences(page_size=10)


async def test_an_answer_with_too_many_objects_is_refused_before_parsing(server):
    body = b'{"message": "ok", "payload": [' + b",".join([b"{}"] * 600_000) + b"]}"
    server.script(FIELDS, answer(200, body))
    async with client_for(server) as client:
        with pytest.raises(UnexpectedResponse, match="more than 500,000 objects and arrays"):
            await client.list_fields()


# -- 12.5: the vendor's errors and limits --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"payload": [{"message": "Invalid token", "code": 1001, "httpStatus": 400}]},
        {"message": "1001: Invalid token", "statusCode": 400},
        {"code": 1001, "message": "token expired or invalid"},
    ],
)
async def test_400_invalid_token_is_a_key_error_with_the_hint(server, body):
    server.script(SEQ, answer(400, body))
    events = []
    async with client_for(server, on_event=events.append) as client:
        with pytest.raises(AuthError) as caught:
            await client.list_sequences()
    assert "the API key was refused" in str(caught.value)
    assert "Check SALESHANDY_API_KEY" in str(caught.value)
    assert events[-1].kind is EventKind.FAILED and events[-1].error == "AuthError"


async def test_400_code_1001_about_a_field_stays_a_validation_failure(server):
    server.script(PATCH_PATH, answer(400, {"payload": [{"message": "subject is required", "code": 1001}]}))
    async with client_for(server) as client:
        with pytest.raises(ValidationFailed) as caught:
            await client.update_variant("s1", "t1", "v1", VariantUpdate(status=1))
    assert not isinstance(caught.value, AuthError)


@pytest.mark.parametrize("status", [403, 502, 503])
async def test_html_gateway_page_is_a_service_problem_not_a_refused_key(server, status):
    page = (
        b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>blocked</body></html>"
    )
    server.script(SEQ, answer(status, page, {"content-type": "text/html; charset=UTF-8"}))
    async with client_for(server) as client:
        with pytest.raises(GatewayError) as caught:
            await client.list_sequences()
    assert not isinstance(caught.value, AuthError)
    assert isinstance(caught.value, NetworkError)
    assert "not about the API key" in str(caught.value)
    assert "Cloudflare" not in str(caught.value)  # a page's text is not a message


async def test_json_403_is_still_a_refused_key(server):
    server.script(SEQ, answer(403, {"message": "Forbidden resource"}))
    async with client_for(server) as client:
        with pytest.raises(AuthError):
            await client.list_sequences()


@pytest.mark.parametrize("suffix", ["/v1", "/v1/", "/V1"])
async def test_base_url_with_trailing_v1_is_stripped(server, suffix):
    server.script(FIELDS, answer(200, {"message": "ok", "payload": []}))
    async with SaleshandyClient(KEY, server.base_url + suffix, max_retries=0) as client:
        await client.list_fields()
    assert server.seen == [("GET", "/v1/fields")]


def test_normalize_base_url_says_what_it_did_once():
    assert normalize_base_url("https://open-api.saleshandy.com/v1/") == (
        "https://open-api.saleshandy.com",
        "The base URL ended in /v1, which seqedit adds to every request itself: using https://open-api.saleshandy.com.",
    )
    assert normalize_base_url("https://open-api.saleshandy.com") == ("https://open-api.saleshandy.com", None)
    assert normalize_base_url("https://proxy.example/v1x")[1] is None


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"x-ratelimit-reset": email.utils.formatdate(NOW + 30, usegmt=True)}, 30.0),
        ({"retry-after": email.utils.formatdate(NOW + 12, usegmt=True)}, 12.0),
        ({"x-ratelimit-reset": str(int(NOW + 8))}, 8.0),
        ({"x-ratelimit-reset": "8"}, 8.0),
    ],
)
def test_reset_as_seconds_epoch_or_http_date(headers, expected):
    assert server_wait(headers, now=NOW) == pytest.approx(expected, abs=1.0)


def test_quota_pause_only_when_nothing_remains():
    date = email.utils.formatdate(NOW + 20, usegmt=True)
    assert quota_pause({"x-ratelimit-remaining": "3", "x-ratelimit-reset": "9"}, now=NOW) is None
    assert quota_pause({"x-ratelimit-remaining": "0", "x-ratelimit-reset": date}, now=NOW) == pytest.approx(20, abs=1)
    assert quota_pause({"x-ratelimit-remaining": "0"}, now=NOW) == 1.0
    assert quota_pause({}, now=NOW) is None


async def test_remaining_zero_pauses_before_the_next_request(server):
    reset = email.utils.formatdate(time.time() + 7, usegmt=True)
    server.script(
        FIELDS,
        answer(200, {"message": "ok", "payload": []}, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}),
        answer(200, {"message": "ok", "payload": []}, {"x-ratelimit-remaining": "59"}),
    )
    sleeps = Sleeps()
    events = []
    async with client_for(server, sleep=sleeps, on_event=events.append) as client:
        await client.list_fields()
        assert sleeps.waits == []  # the answer that used the quota up is not held
        await client.list_fields()
        await client.list_fields()
    assert len(sleeps.waits) == 1 and 4 <= sleeps.waits[0] <= 8
    assert any(event.kind is EventKind.RETRYING and "rate limit" in event.message for event in events)


# -- 18.2: plain http by address, not by name -------------------------------------------------


@pytest.mark.parametrize(
    "addresses, allowed",
    [
        (["127.0.0.1"], True),
        (["127.0.0.1", "::1"], True),
        (["10.0.0.5"], False),
        (["127.0.0.1", "203.0.113.9"], False),  # one non-loopback address is enough to refuse
        ([], False),  # does not resolve: cannot be shown to be loopback
    ],
)
def test_localhost_names_are_judged_by_their_addresses(addresses, allowed):
    def resolve(name: str) -> list[str]:
        assert name == "sandbox.localhost"
        return addresses

    if allowed:
        assert check_base_url("http://sandbox.localhost:8787", resolve=resolve).host == "sandbox.localhost"
    else:
        with pytest.raises(ValueError, match="plain http"):
            check_base_url("http://sandbox.localhost:8787", resolve=resolve)


def test_localhost_itself_is_resolved_for_real():
    assert check_base_url("http://localhost:8787").host == "localhost"
    assert check_base_url("http://127.0.0.1:8787").host == "127.0.0.1"


def test_json_depth_limit_is_exact():
    from tui.api.responses import MAX_JSON_DEPTH, JsonRefused, parse_json

    at_limit = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert parse_json(at_limit) is not None
    with pytest.raises(JsonRefused, match="nested more than 64 levels"):
        parse_json(b"[" + at_limit + b"]")
    with pytest.raises(JsonRefused):
        parse_json(b'{"a": ' + b'{"b": ' * MAX_JSON_DEPTH + b"1" + b"}" * MAX_JSON_DEPTH + b"}")
