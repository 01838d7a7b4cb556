"""Messages say where they are about, and screens offer only keys that work there."""

from __future__ import annotations

from test_app_snapshots import screen_text
from test_app_support import make_app, open_variant, settle, type_text
from test_drafts_app_support import last_note, review_and_send

from tui.api.channels import Channel
from tui.app import SeqEditApp
from tui.session.connect import NoApiKey

TITLE = "Founders intro"


async def test_a_save_notification_names_the_sequence_and_step(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " (edited)")
        await settle(pilot)
        await review_and_send(pilot)
        await settle(pilot)
        step = app.workspace.step(key.sequence_id, key.step_id)
        note = last_note(app)
        assert "Saved variant A." in note
        assert f"{TITLE} › Day {step.absoluteDays} Email" in note


async def test_the_no_key_screen_offers_no_variant_keys() -> None:
    app = SeqEditApp(None, no_key_message=str(NoApiKey()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "SALESHANDY_API_KEY" in text
        assert "$EDITOR" not in text and "Copy" not in text
        assert app.check_action("open_in_editor", ()) is False
        await pilot.press("ctrl+g")  # must do nothing, not fail
        await pilot.pause()
        assert type(app.screen).__name__ == "NoKeyScreen"
