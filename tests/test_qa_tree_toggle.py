"""Newcomer QA at 80×24: ctrl+b toggles the tree while a variant is being edited."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel


async def test_ctrl_b_brings_the_tree_back_while_editing_at_80_columns(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        pane = app.screen.query_one("#tree-pane")
        assert pane.region.width == 0  # the form has the width while editing
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert pane.region.width > 0 and app.screen.query_one("#tree").has_focus
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert pane.region.width == 0
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert pane.region.width > 0
