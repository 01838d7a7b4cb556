"""The editor on a large terminal (200×60) with a named profile: panes side by side, the profile
named in the title bar throughout."""

from __future__ import annotations

from test_app_support import client_for, make_app, open_variant, settle, type_text
from textual.widgets import Input

from tui.api.channels import Channel
from tui.app import SeqEditApp
from tui.sandbox import DEMO_API_KEY
from tui.session.connect import Account


async def test_200x60_shows_tree_and_form_side_by_side_and_names_the_profile(sandbox_app) -> None:
    account = Account(base_url="http://sandbox.local", api_key=DEMO_API_KEY, profile="acme", key_source="env")
    app = SeqEditApp(account, client_factory=lambda: client_for(sandbox_app))
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        assert app.sub_title.startswith("profile acme")
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        tree_pane = app.screen.query_one("#tree-pane").region
        right = app.screen.query_one("#right").region
        # Both panes stay in view while editing, next to each other, neither squeezed.
        assert tree_pane.width >= 40 and right.width >= 100
        assert tree_pane.right <= right.x and tree_pane.height >= 50
        body = app.screen.query_one("#field-content").region
        assert body.height >= 12 and body.width >= 90  # capped at 14 rows (counted_text_area max-height)
        subject = app.screen.query_one("#field-subject", Input)
        subject.focus()
        await pilot.press("end")
        await type_text(pilot, "!")
        await settle(pilot)
        assert "profile acme" in app.sub_title and "1 unsaved" in app.sub_title


async def test_the_html_body_grows_on_a_tall_terminal(sandbox_app) -> None:
    from tui.widgets.html_text_area import HtmlTextArea

    heights = {}
    for size in ((120, 40), (200, 60)):
        app = make_app(sandbox_app)
        async with app.run_test(size=size) as pilot:
            await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
            await settle(pilot)
            heights[size] = app.screen.query_one(HtmlTextArea).size.height
    assert heights[(120, 40)] <= 14 < heights[(200, 60)]
