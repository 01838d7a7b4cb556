"""A save to a server that stops answering (issue 13, item 13): bounded in time and tries, cancellable,
its progress told as it goes, and one plain message at the end.

The flow against the in-process sandbox with scripted faults (a delay holds an answer back); the
app at 80×24 by keys. No timed assertions: the limits under test are far from the delays that
trip them, and every wait is for a condition.
"""

from __future__ import annotations

import asyncio

import httpx
from test_app_support import BASE_URL, open_variant, settle
from test_drafts_app_support import add_faults, last_note, patch_count, review_and_send, sandbox_call

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.app import SeqEditApp
from tui.sandbox import DEMO_API_KEY
from tui.session.save_flow import READ_ATTEMPTS, SaveProgress, SaveResult, SaveStep, save_variant
from tui.session.workspace import VariantKey
from tui.widgets.save_status import SaveStatus

HANG = {"delayMs": 600_000}  # an answer that does not come while the test runs


async def _no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)  # the client's back-off, without the seconds


def _client(sandbox_app, retries: int = 4) -> SaleshandyClient:
    return SaleshandyClient(
        DEMO_API_KEY, BASE_URL, transport=httpx.ASGITransport(app=sandbox_app), max_retries=retries, sleep=_no_wait
    )


async def _first_email(client: SaleshandyClient) -> VariantKey:
    sequence = next(s for s in await client.list_sequences() if s.title == "Founders intro")
    step = next(s for s in await client.list_steps(sequence.id) if s.type is Channel.EMAIL)
    return VariantKey(sequence.id, step.id, step.variants[0].id)


async def _reads_of(sandbox_app, key: VariantKey) -> int:
    counts = await sandbox_call(sandbox_app, "GET", "/v1/sandbox/requests")
    payload = counts.get("payload", counts)
    payload = payload.get("requests", payload)
    return sum(n for name, n in payload.items() if name.startswith("GET ") and key.step_id in name)


async def _edited(client: SaleshandyClient, key: VariantKey):
    base = await client.get_variant(*key)
    return base, base.model_copy(update={"payload": {**base.payload, "subject": "Mine"}}, deep=True)


async def test_a_reread_that_never_answers_ends_at_the_time_limit_with_nothing_sent(sandbox_app) -> None:
    client = _client(sandbox_app)
    key = await _first_email(client)
    base, mine = await _edited(client, key)
    await add_faults(sandbox_app, [HANG], method="GET", path=f"/v1/sequences/{key.sequence_id}/steps/{key.step_id}")
    sent = await patch_count(sandbox_app)
    outcome = await save_variant(client, key, base=base, mine=mine, time_limit=0.5)
    assert outcome.result is SaveResult.FAILED and outcome.retryable and not outcome.cancelled
    assert outcome.text == "The server did not answer within 0.5 s while the variant was re-read, so nothing was sent."
    assert await patch_count(sandbox_app) == sent
    await client.aclose()


async def test_a_patch_that_never_answers_is_not_confirmed_and_checked_before_a_retry(sandbox_app) -> None:
    client = _client(sandbox_app)
    key = await _first_email(client)
    base, mine = await _edited(client, key)
    await add_faults(sandbox_app, [HANG], method="PATCH")
    outcome = await save_variant(client, key, base=base, mine=mine, time_limit=1.0)
    assert outcome.result is SaveResult.UNKNOWN and outcome.retryable
    assert outcome.text.startswith("No answer to the save within 1 s: it is not known whether it went through.")
    retried = await save_variant(client, key, base=base, mine=mine, time_limit=30)
    assert retried.result in (SaveResult.SAVED, SaveResult.ALREADY)  # re-read first, as every save
    assert (await client.get_variant(*key)).payload["subject"] == "Mine"
    await client.aclose()


async def test_the_reread_gets_three_tries_reported_one_by_one(sandbox_app) -> None:
    client = _client(sandbox_app, retries=4)  # the client alone would try five times
    key = await _first_email(client)
    base, mine = await _edited(client, key)
    path = f"/v1/sequences/{key.sequence_id}/steps/{key.step_id}"
    await add_faults(sandbox_app, [{"status": 503}] * 5, method="GET", path=path)
    before = await _reads_of(sandbox_app, key)
    seen: list[SaveProgress] = []
    outcome = await save_variant(client, key, base=base, mine=mine, time_limit=30, progress=seen.append)
    assert outcome.result is SaveResult.FAILED
    assert await _reads_of(sandbox_app, key) - before == READ_ATTEMPTS == 3
    tries = [(p.step, p.attempt, p.attempts) for p in seen if p.retry_in is None]
    assert tries[-3:] == [(SaveStep.REREAD, n, 3) for n in (1, 2, 3)]
    assert [p.attempt for p in seen if p.retry_in is not None] == [1, 2]  # the pauses between
    await client.aclose()


async def test_a_failed_reread_says_nothing_was_sent_and_nothing_contrary(sandbox_app) -> None:
    """The client's clause for a PATCH ('the server may or may not have acted on it') stood beside
    'nothing was sent' when the re-read failed."""
    client = _client(sandbox_app, retries=0)
    key = await _first_email(client)
    base, mine = await _edited(client, key)
    await add_faults(sandbox_app, [{"drop": "after"}], method="GET")
    outcome = await save_variant(client, key, base=base, mine=mine, time_limit=30)
    assert outcome.result is SaveResult.FAILED
    assert "nothing was sent" in outcome.text and "may or may not" not in outcome.text
    await client.aclose()


async def test_cancel_during_the_reread_sends_nothing(sandbox_app) -> None:
    client = _client(sandbox_app)
    key = await _first_email(client)
    base, mine = await _edited(client, key)
    await add_faults(sandbox_app, [HANG], method="GET", path=f"/v1/sequences/{key.sequence_id}/steps/{key.step_id}")
    cancel = asyncio.Event()

    def progressed(progress: SaveProgress) -> None:
        if progress.step is SaveStep.REREAD:
            cancel.set()  # as the person would, seeing "re-reading"

    outcome = await save_variant(client, key, base=base, mine=mine, time_limit=600, cancel=cancel, progress=progressed)
    assert outcome.result is SaveResult.FAILED and outcome.cancelled
    assert outcome.text == "You cancelled the save before anything was sent."
    await client.aclose()


def _app(sandbox_app, **options) -> SeqEditApp:
    class Account:
        demo = True
        profile = None
        base_url = BASE_URL

    return SeqEditApp(Account(), client_factory=lambda: _client(sandbox_app), **options)


async def _status(pilot) -> str:
    return pilot.app.screen.query_one("#save-status", SaveStatus).text


async def _wait_for(pilot, done, limit: int = 400) -> None:
    for _ in range(limit):
        if done():
            return
        await pilot.pause(0.05)
    assert done()


async def test_80x24_a_hanging_save_shows_its_try_and_time_left_and_cancels_with_one_message(sandbox_app) -> None:
    app = _app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        app.screen.query_one("#field-subject").focus()
        await pilot.press("end", "X")
        await settle(pilot)
        path = f"/v1/sequences/{key.sequence_id}/steps/{key.step_id}"
        await add_faults(sandbox_app, [{"status": 503}, HANG], method="GET", path=path)
        sent = await patch_count(sandbox_app)
        notes_before = len(app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # send, from the review
        status = app.screen.query_one("#save-status", SaveStatus)
        await _wait_for(pilot, lambda: "try 2 of 3" in status.text)
        text = status.text
        assert text.startswith("Saving variant A… (re-reading, try 2 of 3)")
        assert "gives up in " in text and text.endswith("^l cancel")
        assert status.display and status.region.height == 1 and status.region.bottom <= 23
        assert len(app._notifications) == notes_before  # no "Saving…" notice: the line says it

        await pilot.press("ctrl+l")
        await _wait_for(pilot, lambda: not status.display)
        await settle(pilot)
        assert await patch_count(sandbox_app) == sent
        assert app.workspace.is_dirty(key)
        new = list(app._notifications)[notes_before:]
        assert len(new) == 1  # one message at the end
        assert new[0].title.startswith("Save cancelled:") and new[0].severity == "warning"
        assert "You cancelled the save before anything was sent." in new[0].message
        assert "Your edits are kept. Press ^r to retry." in new[0].message


async def test_80x24_a_save_that_runs_out_of_time_says_so_once(sandbox_app) -> None:
    app = _app(sandbox_app, save_time_limit=1.0)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        app.screen.query_one("#field-subject").focus()
        await pilot.press("end", "X")
        await settle(pilot)
        await add_faults(sandbox_app, [HANG], method="PATCH")
        await review_and_send(pilot)
        status = app.screen.query_one("#save-status", SaveStatus)
        await _wait_for(pilot, lambda: not status.display)
        await settle(pilot)
        assert "No answer to the save within 1 s: it is not known whether it went through" in last_note(app)
        await pilot.press("ctrl+r")  # the retry re-reads first
        await _wait_for(pilot, lambda: not app.workspace.is_dirty(key))
        await settle(pilot)
        assert "Saved variant A." in last_note(app) or "already has these edits" in last_note(app)
