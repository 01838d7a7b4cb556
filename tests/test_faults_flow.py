"""The save flow on its own, against the in-process sandbox with scripted faults, and the indicator's states."""

from __future__ import annotations

import httpx
from test_app_support import BASE_URL, open_variant, settle
from test_drafts_app_support import add_faults, app_over, patch_count

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.api.events import ApiEvent, EventKind
from tui.api.models import VariantUpdate
from tui.sandbox import DEMO_API_KEY
from tui.session.save_flow import SaveResult, save_variant
from tui.session.workspace import VariantKey
from tui.widgets.connection_status import ConnectionStatus, state_after


def _client(sandbox_app) -> SaleshandyClient:
    return SaleshandyClient(DEMO_API_KEY, BASE_URL, transport=httpx.ASGITransport(app=sandbox_app), max_retries=0)


async def _first_email(client: SaleshandyClient) -> VariantKey:
    sequences = await client.list_sequences()
    sequence = next(s for s in sequences if s.title == "Founders intro")
    steps = await client.list_steps(sequence.id)
    step = next(s for s in steps if s.type is Channel.EMAIL)
    return VariantKey(sequence.id, step.id, step.variants[0].id)


async def test_saved_once_and_recorded_once(sandbox_app) -> None:
    client = _client(sandbox_app)
    key = await _first_email(client)
    base = await client.get_variant(*key)
    mine = base.model_copy(update={"payload": {**base.payload, "subject": "New"}}, deep=True)
    recorded = []
    outcome = await save_variant(client, key, base=base, mine=mine, record=lambda *args: recorded.append(args))
    assert outcome.result is SaveResult.SAVED and outcome.ok
    assert outcome.sent == {"payload": mine.payload}
    assert outcome.after.payload["subject"] == "New"
    assert [(r[0], r[1].payload["subject"], r[2]) for r in recorded] == [(key, base.payload["subject"], outcome.sent)]
    again = await save_variant(client, key, base=base, mine=mine, record=lambda *args: recorded.append(args))
    assert again.result is SaveResult.ALREADY and len(recorded) == 1
    await client.aclose()


async def test_conflict_sends_nothing(sandbox_app) -> None:
    client = _client(sandbox_app)
    key = await _first_email(client)
    base = await client.get_variant(*key)
    await client.update_variant(*key, VariantUpdate(status=0))  # a teammate pauses it
    sent = await patch_count(sandbox_app)
    mine = base.model_copy(update={"payload": {**base.payload, "subject": "Mine"}}, deep=True)
    outcome = await save_variant(client, key, base=base, mine=mine)
    assert outcome.result is SaveResult.CONFLICT
    assert [c.path for c in outcome.conflicts] == ["status", "payload.subject"]
    assert outcome.before.status == 0
    assert await patch_count(sandbox_app) == sent
    await client.aclose()


async def test_my_own_lost_save_is_no_conflict(sandbox_app) -> None:
    """The server moved from base exactly as my edit did (an earlier save whose answer was lost)."""
    client = _client(sandbox_app)
    key = await _first_email(client)
    base = await client.get_variant(*key)
    mine = base.model_copy(update={"payload": {**base.payload, "subject": "Mine"}}, deep=True)
    await client.update_variant(*key, VariantUpdate(payload=mine.payload))
    outcome = await save_variant(client, key, base=base, mine=mine)
    assert outcome.result is SaveResult.ALREADY
    await client.aclose()


async def test_unknown_outcome_then_checked(sandbox_app) -> None:
    client = _client(sandbox_app)
    key = await _first_email(client)
    base = await client.get_variant(*key)
    mine = base.model_copy(update={"payload": {**base.payload, "subject": "Mine"}}, deep=True)
    await add_faults(sandbox_app, [{"drop": "after"}], method="PATCH")
    await add_faults(sandbox_app, [{"delayMs": 0}, {"status": 503}], method="GET")
    outcome = await save_variant(client, key, base=base, mine=mine)
    assert outcome.result is SaveResult.UNKNOWN and outcome.retryable and not outcome.ok
    assert outcome.error is not None and getattr(outcome.error, "sent", False) is None
    retried = await save_variant(client, key, base=base, mine=mine)
    assert retried.result is SaveResult.ALREADY  # applied the first time: not sent again
    await client.aclose()


def test_indicator_states() -> None:
    def event(kind: EventKind, error: str | None = None) -> ApiEvent:
        return ApiEvent(kind, "GET", "/v1/sequences", error=error, message="boom" if error else "")

    assert state_after(event(EventKind.SUCCEEDED), "connecting")[0] == "online"
    assert state_after(event(EventKind.RETRYING, "ServerError"), "online")[0] == "retrying"
    assert state_after(event(EventKind.FAILED, "NetworkError"), "online") == ("offline", "GET /v1/sequences: boom")
    assert state_after(event(EventKind.FAILED, "ServerError"), "online")[0] == "error"
    assert state_after(event(EventKind.FAILED, "ValidationFailed"), "online")[0] == "online"
    assert state_after(event(EventKind.SENT), "offline")[0] == "offline"


async def test_indicator_shows_retrying_while_the_client_waits(sandbox_app) -> None:
    seen: list[str] = []
    app_holder: list = []

    async def sleep(seconds: float) -> None:  # the client's pause between attempts
        seen.append(app_holder[0].screen.query_one(ConnectionStatus).label)

    app = app_over(httpx.ASGITransport(app=sandbox_app), max_retries=2, sleep=sleep)
    app_holder.append(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await add_faults(sandbox_app, [{"status": 503}], method="GET")
        await pilot.press("escape", "r")  # reload the variant's step
        await settle(pilot)
        assert seen == ["↻ retrying"]
        assert app.screen.query_one(ConnectionStatus).label == "● online"
