"""The Findings panel keeps up with typing: a change shows on the next turn of the event loop,
changes made in one turn are checked once, and a change held back by the minimum interval
still shows (the last edit is never left out).

Driven against the in-process sandbox; edits go through the workspace as the form's do.
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel
from tui.session.live_refresh import MIN_INTERVAL
from tui.widgets import messages as m
from tui.widgets.findings_panel import FindingsPanel

LONG_SUBJECT = "A subject that goes on and on well past what any inbox would show in one line"


def _panel(app) -> FindingsPanel:
    return app.screen.query_one("#findings", FindingsPanel)


def _rules(app) -> list[str]:
    return [finding.rule_id for finding in _panel(app).findings]


def _updates(seen: list, key) -> int:
    # A message is seen once per widget it bubbles through: count each once.
    return len({id(message) for message in seen if isinstance(message, m.FindingsUpdated) and message.key == key})


async def test_a_change_shows_on_the_next_turn_without_waiting_for_a_pause(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
        await settle(pilot)
        assert "email.subject-length" not in _rules(app)
        app.workspace.edit_payload(key, "subject", LONG_SUBJECT)
        await pilot.pause()  # one turn, no timer
        assert "email.subject-length" in _rules(app)


async def test_changes_in_one_turn_are_checked_once(sandbox_app) -> None:
    seen: list = []
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32), message_hook=seen.append) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
        await pilot.pause(MIN_INTERVAL + 0.1)
        await settle(pilot)
        before = _updates(seen, key)
        # A replace is a delete and an insert: two changes, one refresh, the final text.
        app.workspace.edit_payload(key, "subject", "")
        app.workspace.edit_payload(key, "subject", LONG_SUBJECT)
        await pilot.pause()
        await settle(pilot)
        assert _updates(seen, key) == before + 1
        assert "email.subject-length" in _rules(app)
        assert "email.subject-empty-first" not in _rules(app) and "email.subject-empty-followup" not in _rules(app)


async def test_a_change_right_after_a_refresh_still_shows(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 32)) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
        await settle(pilot)
        app.workspace.edit_payload(key, "subject", LONG_SUBJECT)
        await pilot.pause()
        assert "email.subject-length" in _rules(app)
        # Within the interval of the refresh just made: held back, then shown.
        app.workspace.edit_payload(key, "subject", "Short")
        app.workspace.edit_payload(key, "subject", "")
        await pilot.pause(MIN_INTERVAL + 0.1)
        await settle(pilot)
        rules = _rules(app)
        assert "email.subject-length" not in rules
        assert "email.subject-empty-first" in rules or "email.subject-empty-followup" in rules
