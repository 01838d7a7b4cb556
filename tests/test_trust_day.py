"""Issue 13 item 9: the Day is a step setting: the form labels it so and the save review says
that saving it moves every variant of the step."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from textual.widgets import Input, Static

from tui.api.channels import Channel
from tui.screens.review_screen import ReviewScreen

Q4 = "Q4 Outbound: Heads of RevOps"


async def test_the_day_field_is_labelled_as_the_steps_and_the_review_says_all_variants_move(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, Q4, Channel.EMAIL, letter_index=1)
        day = app.screen.query_one("#field-absoluteDays", Input)
        assert day.border_title == "Step day"
        assert day.border_subtitle == "all 3 variants"
        app.screen.set_focus(day)
        await pilot.press("end", "backspace")
        await type_text(pilot, "2")
        await settle(pilot)
        assert app.workspace.edited(key).absoluteDays == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        note = str(app.screen.query_one("#review-note-0", Static).render())
        assert "moves all 3 variants of Day 1 Email to day 2, not variant B alone" in note, note
        await pilot.press("escape")
        await settle(pilot)


async def test_no_day_note_when_the_day_is_unchanged(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, Q4, Channel.EMAIL)
        await type_text(pilot, "x")  # an edit to the subject only
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert not app.screen.query("#review-note-0")
