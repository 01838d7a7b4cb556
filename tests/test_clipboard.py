"""Copy the focused field, or the open variant as JSON, through App.copy_to_clipboard (OSC 52)."""

from __future__ import annotations

import json

from test_app_support import client_for, make_app, open_variant, settle, type_text
from textual.widgets import Input, TextArea

from tui.api.channels import Channel
from tui.terminal.clipboard import variant_json


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_ctrl_t_copies_the_focused_subject_exactly(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.clipboard == subject.value != ""
        assert any(note.startswith("Copied Subject") for note in _notes(app))


async def test_ctrl_t_copies_the_whole_html_body_not_only_a_selection(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        content = app.screen.query_one("#field-content", TextArea)
        content.focus()
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        server = await client_for(sandbox_app).get_variant(*key)
        assert app.clipboard == server.payload["content"] == content.text


async def test_y_copies_the_open_variant_with_unsaved_edits_as_json(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " (draft)")
        await pilot.press("escape")  # back to the tree, where y is not a letter to type
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)

        copied = json.loads(app.clipboard)
        server = await client_for(sandbox_app).get_variant(*key)
        assert copied["id"] == key.variant_id
        assert copied["type"] == "Email"
        assert copied["payload"]["subject"] == server.payload["subject"] + " (draft)"
        assert copied["payload"]["content"] == server.payload["content"]
        assert app.clipboard == variant_json(app.workspace.edited(key))


async def test_copying_without_a_field_or_variant_says_so_and_copies_nothing(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == ""
        notes = _notes(app)
        assert any("Focus a text field" in note for note in notes)
        assert any("Open a variant first" in note for note in notes)


def test_variant_json_keeps_unknown_keys_and_unicode() -> None:
    from tui.api.models import Variant

    variant = Variant.model_validate(
        {
            "id": "v1",
            "type": "Email",
            "payload": {"subject": "Grüße 👋", "futureKey": [1, 2]},
            "status": 1,
            "newField": "kept",
        }
    )
    data = json.loads(variant_json(variant))
    assert data["payload"] == {"subject": "Grüße 👋", "futureKey": [1, 2]}
    assert data["newField"] == "kept"
    assert "Grüße 👋" in variant_json(variant)
