"""Newcomer QA at 80×24: the save review names the status and the assignee, not 1 → 0 or bare ids."""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle
from textual.widgets import Select, Static

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


async def test_assignee_change_names_the_people_in_the_review(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Partner programme: agencies", Channel.CUSTOM)
        before = app.workspace.server_copy(key).assigneeId
        select = app.screen.query_one("#field-assigneeId", Select)
        select.focus()
        await pilot.press("enter", "down", "enter")  # open the list, the next person, choose
        await settle(pilot)
        after = app.workspace.edited(key).assigneeId
        assert after and after != before
        names = {user.id: user.userName for team in app.assignees for user in team.users}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        group = app.screen.query_one("#review-diff", Static).content
        diff = "\n".join(line.plain for line in group.renderables)
        assert f"- {names[before]} ({before})" in diff and f"+ {names[after]} ({after})" in diff


async def test_an_open_dropdown_leaves_no_letters_of_the_key_bar_beside_it(sandbox_app) -> None:
    # At 80x24 the assignee list, kept inside the screen, covered the key bar but for its last
    # columns: "te" of "Palette" showed beside the list's bottom edge.
    from test_drafts_app_support import screen_text

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Partner programme: agencies", Channel.CUSTOM)
        select = app.screen.query_one("#field-assigneeId", Select)
        select.focus()
        await settle(pilot)
        assert screen_text(app).splitlines()[-1].endswith("Palette")  # the key bar, closed
        await pilot.press("enter")  # the list opens
        await settle(pilot)
        assert select.expanded
        assert "te" not in screen_text(app).splitlines()[-1][-4:]
        await pilot.press("escape")  # closed: the key bar is back
        await settle(pilot)
        assert not select.expanded and screen_text(app).splitlines()[-1].endswith("Palette")
