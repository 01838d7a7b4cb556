"""The request scheduler (issue 16 item 3): a scripted 429 with retry-after, a remaining: 0
header, interactive before background, and ``lint --all`` paced within a sandbox's rate limit.

The servers are raw asyncio servers on 127.0.0.1 (tests/test_hostile_server_support.py) and a
rate-limited sandbox over real HTTP. Waits go through a gate the test opens, never a clock.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from test_hostile_server_support import HostileServer, answer

from tui.api.client import SaleshandyClient
from tui.api.events import EventKind
from tui.api.scheduler import background
from tui.cli import main

KEY = "sk-live-sched-0123456789"
SEQ = "/v1/sequences"
FIELDS = "/v1/fields"
OK: dict = {"message": "ok", "payload": []}


class Gate:
    """An injected ``sleep`` that records each wait and returns only once the test opens it."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.open = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await self.open.wait()


@pytest.fixture
async def server():
    made = HostileServer()
    await made.start()
    yield made
    await made.close()


async def until(condition, what: str) -> None:
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


async def test_a_429_with_retry_after_holds_every_request_until_it_has_passed(server):
    server.script(SEQ, answer(429, {"message": "slow down"}, {"retry-after": "20", "x-ratelimit-remaining": "0"}))
    server.script(SEQ, answer(200, OK))
    server.script(FIELDS, answer(200, OK))
    gate = Gate()
    events = []
    async with SaleshandyClient(KEY, server.base_url, sleep=gate, on_event=events.append) as client:
        with background():
            listing = asyncio.ensure_future(client.list_sequences())
        await until(lambda: client.scheduler.rate_limited == 1 and gate.waits, "the 429")
        assert 20 <= gate.waits[0] <= 21  # the retry waits what the server asked, not a backoff guess
        # Another request meanwhile (an open: interactive) is held by the same 429: not sent.
        fields = asyncio.ensure_future(client.list_fields())
        await until(lambda: len(gate.waits) == 2, "the second request held")
        assert gate.waits[1] == pytest.approx(20, abs=1)
        assert ("GET", FIELDS) not in server.seen
        assert any(e.kind is EventKind.RETRYING and e.path == FIELDS and e.error == "RateLimited" for e in events)
        gate.open.set()
        await asyncio.wait_for(asyncio.gather(listing, fields), 30)
    assert listing.result().items == [] and server.seen.count(("GET", SEQ)) == 2
    assert client.scheduler.held_seconds >= 19  # the holds overlapped: counted once, not twice
    assert client.scheduler.held_seconds < 30


async def test_remaining_zero_holds_the_next_request_and_interactive_goes_first(server):
    server.script(FIELDS, answer(200, OK, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "15"}))
    server.script(FIELDS, answer(200, OK, {"x-ratelimit-remaining": "9", "x-ratelimit-reset": "15"}))
    server.script(SEQ, answer(200, OK, {"x-ratelimit-remaining": "8", "x-ratelimit-reset": "15"}))
    gate = Gate()
    async with SaleshandyClient(KEY, server.base_url, sleep=gate) as client:
        await client.list_fields()  # used the last request of the window: nothing waited yet
        assert gate.waits == []
        with background():
            listing = asyncio.ensure_future(client.list_sequences())  # background, asked first
        await until(lambda: len(gate.waits) == 1, "the background request held")
        fields = asyncio.ensure_future(client.list_fields())  # interactive, asked second
        await until(lambda: len(gate.waits) == 2, "the interactive request held")
        assert all(14 <= wait <= 15 for wait in gate.waits)
        assert server.seen == [("GET", FIELDS)]  # nothing sent while the quota is used up
        gate.open.set()
        await asyncio.wait_for(asyncio.gather(listing, fields), 30)
    # When the window reset, the person's request went before the background one.
    assert server.seen[1:] == [("GET", FIELDS), ("GET", SEQ)]


async def test_background_requests_keep_the_last_of_the_window_for_interactive_ones(server):
    server.script(SEQ, answer(200, OK, {"x-ratelimit-remaining": "1", "x-ratelimit-reset": "10"}))
    server.script(FIELDS, answer(200, OK, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "10"}))
    gate = Gate()
    async with SaleshandyClient(KEY, server.base_url, sleep=gate) as client:
        with background():
            await client.list_sequences()
            second = asyncio.ensure_future(client.list_sequences())
        await until(lambda: len(gate.waits) == 1, "background paced")
        await asyncio.wait_for(client.list_fields(), 10)  # the reserved request: not held
        assert server.seen == [("GET", SEQ), ("GET", FIELDS)]
        gate.open.set()
        await asyncio.wait_for(second, 30)


def test_lint_all_within_a_sandbox_rate_limit_surfaces_no_429_and_says_how_long_it_waited(
    tmp_path, monkeypatch, capsys, caplog
):
    from tui.sandbox import DEMO_API_KEY
    from tui.sandbox.app import create_app
    from tui.sandbox.testing import running_server

    app = create_app(tmp_path / "limited.sqlite3", rate_limit=3)
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    caplog.set_level(logging.INFO, logger="seqedit.api")
    try:
        with running_server(app) as base_url:
            code = main(["--base-url", base_url, "lint", "--all"])
    finally:
        app.state.store.close()
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "variants checked" in out.splitlines()[-1]
    assert "429" not in err and "Too many" not in err
    # Every sequence was checked (none left unchecked for a spent retry budget)…
    assert "not checked" not in err
    # …no 429 was even met: the client logs each retry of one, and there was none…
    assert not [r for r in caplog.records if "Too many requests" in r.getMessage()]
    # …and the run said how long the pacing held it (about 11 requests at 3 a second).
    assert "waited " in err and "for the server's rate limit" in err
