"""Issue 13 item 16: help opens from the save review (and the other dialogs), starts with three
lines of orientation, leaves out Textual's generic keys and fits 60 columns."""

from __future__ import annotations

import pytest
from test_app_snapshots import screen_text
from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel
from tui.screens.help_screen import HelpScreen
from tui.screens.review_screen import ReviewScreen

ACME = "Acme Robotics: Warehouse Managers"


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_opens_from_the_save_review_with_its_keys(sandbox_app, key: str) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.press("x", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        ids = {row[3] for row in app.screen.rows}
        assert {"review-confirm", "review-cancel"} <= ids
        assert "quit" not in ids  # the app's keys do not work under a dialog: not promised
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_help_starts_with_orientation_and_leaves_out_generic_keys(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = screen_text(app)
        lines = [line.strip("█ ") for line in text.splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("Open"))
        assert lines[start].startswith("Open  j/k move in the tree")
        assert any(line.startswith("Edit  ") for line in lines[start : start + 4])
        assert any(line.startswith("Save  ^s") for line in lines[start : start + 6])
        descriptions = {row[2] for row in app.screen.rows}
        for generic in ("Scroll Home", "Page Up", "Cursor Up", "Move cursor left", "Select all"):
            assert generic not in descriptions, generic
        assert "Focus Next" in descriptions  # tab is worth saying
        assert all(row[3] or row[2] in ("Focus Next", "Focus Previous") for row in app.screen.rows)


async def test_help_fits_60_columns(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        seen = ""
        for _ in range(80):
            shown = screen_text(app)
            seen += shown
            await pilot.press("j")
            await settle(pilot)
            if screen_text(app) == shown:
                break  # the end of the help: j moves no further, nothing more to see
        # Every binding id is on screen whole, with its keys: nothing cut by a column too narrow.
        for _where, _keys, _does, ident in app.screen.rows:
            if ident:
                assert ident in seen, ident
        assert max(len(line) for line in screen_text(app).splitlines()) <= 60
