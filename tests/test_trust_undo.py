"""Issue 13 item 11: undo and redo in the one-line fields (subject, preheader, day, attach path)."""

from __future__ import annotations

import pytest
from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input

from tui.api.channels import Channel

ACME = "Acme Robotics: Warehouse Managers"


async def test_ctrl_u_in_the_subject_is_undone_and_redone(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        original = subject.value
        await pilot.press("end", "ctrl+u")  # wipes the subject
        await settle(pilot)
        assert subject.value == ""
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert subject.value == original
        assert not app.workspace.is_dirty(key)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert subject.value == "" and app.workspace.edited(key).payload["subject"] == ""


async def test_typing_is_undone_a_word_at_a_time(sandbox_app, monkeypatch) -> None:
    import tui.widgets.undo_input

    # Keystrokes within a second group; a loaded machine must not split a word.
    monkeypatch.setattr(tui.widgets.undo_input, "GROUP_SECONDS", 600.0)
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        original = subject.value
        await pilot.press("end")
        await type_text(pilot, " two words")
        await settle(pilot)
        assert subject.value == original + " two words"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert subject.value == original + " two"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert subject.value == original
        assert subject.cursor_position == len(original)


@pytest.mark.parametrize("field_id", ["field-preheader", "field-absoluteDays", "attach-path"])
async def test_the_other_one_line_fields_undo_too(sandbox_app, field_id: str) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        field = app.screen.query_one(f"#{field_id}", Input)
        app.screen.set_focus(field)
        await settle(pilot)
        before = field.value
        await pilot.press("end", "backspace", "7")
        await settle(pilot)
        assert field.value != before
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        assert field.value == before
