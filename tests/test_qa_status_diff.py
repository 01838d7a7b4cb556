"""Newcomer QA at 80×24: the save review says which way a status toggle goes, not just 1 → 0."""

from __future__ import annotations

from textual.widgets import Static

from test_app_support import make_app, open_variant, settle
from tui.api.channels import Channel
from tui.screens.review_screen import ReviewScreen


async def test_status_toggle_from_the_tree_reads_as_paused_in_the_review(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL)
        assert app.workspace.server_copy(key).status == 1
        await pilot.press("escape", "s", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        group = app.screen.query_one("#review-diff", Static).content
        diff = "\n".join(line.plain for line in group.renderables)
        assert "- 1 (active)" in diff and "+ 0 (paused)" in diff
