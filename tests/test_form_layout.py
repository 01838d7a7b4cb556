"""The variant form settles: no scrollbar that appears and disappears on every layout pass.

A form whose content fits only without a scrollbar, and overflows once the scrollbar takes its
columns, made Textual re-lay the screen out without end (every key press in the command
palette waited on dozens of passes).
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel
from tui.widgets.variant_form import VariantForm


async def test_the_form_layout_settles_with_the_inmail_variant_open(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.LINKEDIN_INMAIL)
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen.query_one(VariantForm)
        seen = set()
        for _ in range(8):
            await pilot.pause()
            seen.add((form.show_vertical_scrollbar, form.virtual_size))
        assert len(seen) == 1, seen


async def test_status_priority_and_day_stack_when_the_form_is_narrow(sandbox_app) -> None:
    # At 80 columns with the tree shown, three boxes side by side wrapped "Active" as "Activ/e".
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Q4 Outbound: Heads of RevOps", Channel.CALL_INTRODUCTION)
        form = app.screen.query_one(VariantForm)
        status, priority = form.query_one("#field-status"), form.query_one("#field-priority")
        assert not form.has_class("-stacked") and status.region.y == priority.region.y  # editing: full width
        await pilot.press("escape")  # back to the tree, which takes 36 columns beside the form
        await settle(pilot)
        assert form.has_class("-stacked")
        assert priority.region.y > status.region.y and status.region.width >= 30
