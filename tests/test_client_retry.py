"""Reading the server's wait hints, the backoff bounds, and which base URLs the client accepts."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.client import SaleshandyClient, check_base_url
from tui.api.retry import ABSURD_WAIT, Backoff, server_wait

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"retry-after": "12"}, 12.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": email.utils.formatdate(NOW + 40, usegmt=True)}, 40.0),
        ({"retry-after": email.utils.formatdate(NOW - 40, usegmt=True)}, 0.0),
        ({"x-ratelimit-reset": "9"}, 9.0),  # seconds from now
        ({"x-ratelimit-reset": str(int(NOW + 25))}, 25.0),  # epoch seconds
        ({"x-ratelimit-reset": str(int((NOW + 5) * 1000))}, 5.0),  # epoch milliseconds
        ({"x-ratelimit-reset": str(int(NOW - 100))}, 0.0),  # already past
        ({"retry-after": "3", "x-ratelimit-reset": "50"}, 3.0),  # retry-after wins
        ({"retry-after": "soon", "x-ratelimit-reset": "4"}, 4.0),  # unreadable: fall back
        ({"retry-after": str(ABSURD_WAIT * 10)}, None),  # garbled: ignored
        ({"x-ratelimit-reset": "nan"}, None),
        ({}, None),
    ],
)
def test_server_wait(headers, expected):
    wait = server_wait(headers, now=NOW)
    if expected is None:
        assert wait is None
    else:
        assert wait == pytest.approx(expected, abs=1.0)


@given(attempt=st.integers(min_value=0, max_value=60), fraction=st.floats(min_value=0, max_value=1))
def test_backoff_is_bounded_and_positive(attempt, fraction):
    backoff = Backoff(base=0.5, cap=30.0, rng=lambda: fraction)
    wait = backoff.delay(attempt)
    assert 0 < wait <= 30.0


@given(hint=st.floats(min_value=0, max_value=30), fraction=st.floats(min_value=0, max_value=1))
def test_backoff_never_waits_less_than_the_server_asked(hint, fraction):
    backoff = Backoff(cap=30.0, rng=lambda: fraction)
    wait = backoff.delay(0, hint)
    assert hint <= wait <= 30.0


def test_backoff_grows_with_attempts():
    backoff = Backoff(base=0.5, cap=30.0, rng=lambda: 0.0)
    waits = [backoff.delay(attempt) for attempt in range(8)]
    assert waits == sorted(waits) and waits[0] < waits[-1] == 15.0


@pytest.mark.parametrize(
    "url",
    [
        "https://open-api.saleshandy.com",
        "https://proxy.example/saleshandy/",
        "http://127.0.0.1:8787",
        "http://127.4.5.6",
        "http://[::1]:9000",
        "http://localhost:8000",
    ],
)
def test_safe_base_urls_are_accepted(url):
    assert check_base_url(url).host


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("http://open-api.saleshandy.com", "plain http"),
        ("http://10.0.0.5:8787", "plain http"),
        ("http://localhost.evil.example", "plain http"),
        ("ftp://open-api.saleshandy.com", "must look like"),
        ("open-api.saleshandy.com", "must look like"),
        ("https://user:pw@open-api.saleshandy.com", "user name"),
        ("https://open-api.saleshandy.com/?x=1", "query"),
    ],
)
def test_unsafe_base_urls_are_refused(url, fragment):
    with pytest.raises(ValueError) as caught:
        check_base_url(url)
    assert fragment in str(caught.value)


def test_client_refuses_http_to_a_remote_host():
    with pytest.raises(ValueError, match="plain http"):
        SaleshandyClient("k" * 20, "http://open-api.saleshandy.com")


async def test_http_label_is_fine_for_an_in_process_transport():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"message": "ok", "payload": []}))
    async with SaleshandyClient("k" * 20, "http://sandbox.local", transport=transport) as client:
        assert (await client.list_fields()) == []


def test_a_network_transport_does_not_unlock_plain_http():
    with pytest.raises(ValueError, match="plain http"):
        SaleshandyClient("k" * 20, "http://open-api.saleshandy.com", transport=httpx.AsyncHTTPTransport())


@pytest.mark.parametrize("key", ["", "   ", "two words", "line\nbreak", "clé"])
def test_unsendable_keys_are_refused_without_echoing_them(key):
    with pytest.raises(ValueError) as caught:
        SaleshandyClient(key, "https://open-api.saleshandy.com")
    if key.strip():
        assert key not in str(caught.value)


def test_client_repr_hides_the_key():
    client = SaleshandyClient("sk-secret-123456", "https://open-api.saleshandy.com")
    assert "sk-secret-123456" not in repr(client)
