"""Issue 18 item 13: a terminal of 10 columns or less (or a resize storm through such sizes)
crashed the form; below a minimum size the app shows a 'terminal too small' screen."""

from __future__ import annotations

import pytest
from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel

ACME = "Acme Robotics: Warehouse Managers"


@pytest.mark.parametrize("size", [(10, 24), (1, 1), (80, 3), (3, 40)])
async def test_a_tiny_terminal_with_the_form_open_does_not_crash(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.resize_terminal(*size)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.is_running


async def test_below_the_minimum_the_too_small_screen_shows_and_goes_with_the_edits_kept(sandbox_app) -> None:
    from tui.screens.too_small_screen import TooSmallScreen

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.press("x")
        await settle(pilot)
        edited = app.workspace.edited(key).payload["subject"]
        main = app.screen
        focused = main.focused
        await pilot.resize_terminal(10, 24)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small").render())
        assert "Terminal too small: 10×24" in text
        await pilot.press("y")  # waits: nothing typed, nothing copied
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen is main and main.focused is focused
        assert app.workspace.edited(key).payload["subject"] == edited


async def test_a_resize_storm_through_tiny_sizes_leaves_the_editor_working(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        for size in [(40, 10), (9, 5), (80, 24), (2, 2), (41, 11), (1, 30), (60, 20), (39, 24), (120, 40), (40, 10)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.is_running
        before = app.workspace.edited(key).payload["subject"]
        await pilot.press("z")
        await settle(pilot)
        assert app.workspace.edited(key).payload["subject"] != before


async def test_small_again_before_the_refocus_ran_keeps_the_field_for_when_it_fits(sandbox_app) -> None:
    """Under load the storm above once ended with z going to the filter: small, big, then small
    again before a refresh had run the refocus the big size scheduled. Textual checks the size
    on a timer and refocus waits for a refresh, so the three checks are made here back to back."""
    from textual import events
    from textual.geometry import Size

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.focused
        assert subject is not None and subject.id == "field-subject"
        for size in [(9, 5), (80, 24), (9, 5)]:
            app._resize_event = events.Resize(Size(*size), Size(*size))
            app._check_resize()
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.focused is subject
        before = app.workspace.edited(key).payload["subject"]
        await pilot.press("z")
        await settle(pilot)
        after = app.workspace.edited(key).payload["subject"]
        assert after.count("z") == before.count("z") + 1  # typed into Subject, not lost


async def test_a_dialog_opened_while_too_small_waits_empty_and_the_editor_comes_back(sandbox_app) -> None:
    from tui.screens.confirm_screen import ConfirmScreen
    from tui.screens.too_small_screen import TooSmallScreen

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.resize_terminal(8, 4)
        await settle(pilot)
        app.push_screen(ConfirmScreen("A question from a worker?", yes="Yes", no="No"))
        await settle(pilot)
        assert app.screen.has_class("-too-small")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and not app.screen.has_class("-too-small")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TooSmallScreen)
        assert app.screen.query("#form")


async def test_starting_in_a_tiny_terminal_shows_too_small_then_the_editor(sandbox_app) -> None:
    from tui.screens.too_small_screen import TooSmallScreen

    app = make_app(sandbox_app)
    async with app.run_test(size=(8, 4)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.query("#tree")
        await pilot.press("j")
        await settle(pilot)
        assert app.is_running
