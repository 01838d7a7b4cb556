"""The editor's main journey, driven by keys against the in-process sandbox."""

from __future__ import annotations

import json

from textual.widgets import Input, Select, TextArea

from test_app_support import client_for, make_app, open_variant, settle, tree, type_text, clear_input
from tui.api.channels import Channel, Priority
from tui.screens.review_screen import ReviewScreen
from tui.widgets.counted_text_area import CountedTextArea


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]  # noqa: SLF001


async def _review_and_confirm(pilot) -> dict:
    """ctrl+s, read the exact body off the review screen, confirm with enter."""
    await pilot.press("ctrl+s")
    await settle(pilot)
    review = pilot.app.screen
    assert isinstance(review, ReviewScreen)
    body = json.loads(review.body_json())
    await pilot.press("enter")
    await settle(pilot)
    return body


async def test_first_screen_then_sequences_arrive(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [app.workspace.sequence(n.data.sequence_id).title for n in tree(pilot).root.children]
        assert "Acme Robotics: Warehouse Managers" in titles
        assert app.sub_title.startswith("demo sandbox")


async def test_email_subject_and_body_saved(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        before = app.workspace.server_copy(key)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        await pilot.press("end")
        await type_text(pilot, " today")
        await pilot.press("tab", "tab")  # preheader, then the HTML content
        content = app.screen.query_one("#field-content", TextArea)
        assert content.has_focus
        await pilot.press("ctrl+home")
        await type_text(pilot, "<b>Hi</b>")
        await settle(pilot)
        assert app.workspace.is_dirty(key)
        assert "*" in str(tree(pilot).variant_node(key).label)
        assert "1 unsaved" in app.sub_title

        body = await _review_and_confirm(pilot)
        assert set(body) == {"payload"}
        assert body["payload"]["subject"] == before.payload["subject"] + " today"
        assert body["payload"]["content"].startswith("<b>Hi</b>")

        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload["subject"] == before.payload["subject"] + " today"
        assert server.payload["content"] == "<b>Hi</b>" + before.payload["content"]
        assert not app.workspace.is_dirty(key)
        assert app.screen.query_one("#field-subject", Input).value == server.payload["subject"]
        assert "*" not in str(tree(pilot).variant_node(key).label)
