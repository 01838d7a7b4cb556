"""Newcomer QA at 80×24: the help screen lists the screen's keys (not the key bar's own) and scrolls with j/k."""

from __future__ import annotations

from test_app_support import make_app, settle
from textual.containers import VerticalScroll

from tui.screens.help_screen import HelpScreen


async def test_help_lists_no_footer_scroll_keys(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        where = {row[0] for row in app.screen.rows}
        assert "KeyFooter" not in where and "Footer" not in where
        assert any(row[3] == "save-variant" for row in app.screen.rows)


async def test_j_and_k_scroll_the_help_at_80x24(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 3  # the keys do not fit at 80×24
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await settle(pilot)
        assert scroll.scroll_y == 2
