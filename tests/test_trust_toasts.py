"""Issue 13 item 17: toasts never cover a dialog. While one is up they wait, their clocks
stopped; when it closes they are shown again, with the time they had left."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from test_drafts_app_support import screen_text

from tui.api.channels import Channel
from tui.screens.confirm_screen import ConfirmScreen
from tui.screens.drafts_screen import DraftsScreen


async def test_toasts_wait_while_a_dialog_is_up(sandbox_app) -> None:
    app = make_app(sandbox_app)
    # notifications=True: run_test draws no toasts otherwise.
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await type_text(pilot, "x")
        app.notify("Toast raised before the dialog", timeout=30, markup=False)
        await settle(pilot)
        assert "Toast raised before the dialog" in screen_text(app)

        await pilot.press("ctrl+q")  # unsaved edits: the quit dialog asks
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        app.notify("Toast raised during the dialog", timeout=2.0, markup=False)
        await settle(pilot)
        await pilot.pause(2.2)  # longer than its timeout: its clock must not run meanwhile
        text = screen_text(app)
        assert "n / esc  Stay" in text and "Quit now?" in text
        assert "Toast raised" not in text, text

        await pilot.press("n")  # stay: both come back, the second with all of its 2 s
        await pilot.pause()
        assert "Toast raised during the dialog" in [str(note.message) for note in app._notifications]
        text = screen_text(app)
        assert "Toast raised before the dialog" in text and "Toast raised during the dialog" in text, text

        await pilot.press("escape", "D")  # the drafts list: the variant's draft, uncovered
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        text = screen_text(app)
        assert "Unsaved drafts: 1" in text and "Acme Robotics" in text
        assert "Toast raised" not in text, text
        await pilot.press("escape")
        await settle(pilot)
        assert "Toast raised before the dialog" in screen_text(app)
