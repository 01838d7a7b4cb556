"""Issue 13 item 17 (QA): zero-width and bidi characters from the server show in the editing
fields as a mark (¦, reversed), one per character; the text is saved exactly as it came unless
the person edits those characters; deleting a mark deletes its character."""

from __future__ import annotations

from test_app_support import client_for, make_app, open_variant, settle, type_text
from test_drafts_app_support import screen_text
from textual import events
from textual.widgets import Input, TextArea

from tui.api.channels import Channel
from tui.api.models import VariantUpdate
from tui.text.field_marks import MARK, mask, unmask
from tui.widgets.field_marks_view import show_marks

ACME = "Acme Robotics: Warehouse Managers"
SUBJECT = "Cut picking\u200b errors \u202egnp.exe\u202c today"
BODY_LINE = "<p>Hello\ufeff team \u2066right\u2069 now</p>"


def test_mask_is_one_for_one_and_undone_exactly() -> None:
    for text in (SUBJECT, BODY_LINE, "soft\u00adhyphen", "\u200e\u200f\u202a\u202b\u202d\u2067\u2068"):
        masked = mask(text)
        assert masked is not None and len(masked) == len(text) and unmask(masked) == text
        assert not any(char in masked for char in "\u200b\u202e\u202c\ufeff\u2066\u2069\u00ad")
    assert mask("Team \U0001f469\u200d\U0001f4bb") is None  # an emoji's joiner is not hidden text
    assert mask("plain") is None
    assert mask("\uf780 already private \u200b") is None  # ambiguous on the way back: left alone


def test_marks_are_drawn_one_cell_each() -> None:
    from rich.segment import Segment
    from textual.strip import Strip

    masked = mask(SUBJECT)
    assert masked is not None
    strip = show_marks(Strip([Segment(masked)]))
    assert strip.text == SUBJECT.replace("\u200b", MARK).replace("\u202e", MARK).replace("\u202c", MARK)
    assert strip.cell_length == len(masked)


async def test_hidden_characters_show_as_marks_and_survive_editing(sandbox_app) -> None:
    client = client_for(sandbox_app)
    sequence = next(s for s in (await client.list_sequences()).items if s.title == ACME)
    step = next(s for s in (await client.list_steps(sequence.id)).items if s.type is Channel.EMAIL)
    variant = step.variants[0]
    body = BODY_LINE + variant.payload["content"]
    await client.update_variant(
        sequence.id,
        step.id,
        variant.id,
        VariantUpdate(payload={**variant.payload, "subject": SUBJECT, "content": body}),
    )

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        content = app.screen.query_one("#field-content", TextArea)
        assert len(subject.value) == len(SUBJECT)
        text = screen_text(app)
        assert f"picking{MARK} errors {MARK}gnp.exe{MARK} today" in text, text
        assert f"Hello{MARK} team {MARK}right{MARK} now" in text, text
        assert not app.workspace.is_dirty(key)  # shown differently, the same text

        # An edit elsewhere in the field keeps every hidden character.
        assert app.focused is subject
        await pilot.press("end")
        await type_text(pilot, "!")
        await settle(pilot)
        assert app.workspace.edited(key).payload["subject"] == SUBJECT + "!"

        # Deleting a mark deletes its character (U+202C, before " today!").
        subject.cursor_position = len(SUBJECT) - len(" today")
        await pilot.press("backspace")
        await settle(pilot)
        assert app.workspace.edited(key).payload["subject"] == SUBJECT.replace("\u202c", "") + "!"

        # A pasted hidden character shows as a mark too, and arrives as itself.
        subject.cursor_position = len(subject.value)
        app.post_message(events.Paste(" a\u200bb"))
        await settle(pilot)
        assert subject.value.endswith(" a" + str(mask("\u200b")) + "b")  # its stand-in
        assert app.workspace.edited(key).payload["subject"].endswith("! a\u200bb")

        # The body's marks survive an edit of the body.
        content.focus()
        content.move_cursor(content.document.end)
        await type_text(pilot, "x")
        await settle(pilot)
        assert app.workspace.edited(key).payload["content"] == body + "x"
