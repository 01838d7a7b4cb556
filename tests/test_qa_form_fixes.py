"""QA fixes in the Edit tab (a paste is posted to the app, as the terminal driver does; the app
forwards it to the focused field): pasted control characters, ctrl+z after ctrl+g in a one-line field,
attaching a directory, the subject length finding against the counter, the WhatsApp counter's
limit, and x on a preview without spintax."""

from __future__ import annotations

import stat
from pathlib import Path

from test_app_support import make_app, open_variant, settle, type_text
from textual import events
from textual.widgets import Input, TextArea

from tests.test_validation_support import email, first
from tui.api.channels import Channel
from tui.validation import validate

ACME = "Acme Robotics: Warehouse Managers"


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_a_paste_with_an_escape_sequence_reaches_neither_the_body_nor_the_server(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        content = app.screen.query_one("#field-content", TextArea)
        content.focus()
        await pilot.press("ctrl+end")
        before = content.text
        app.post_message(events.Paste("Q\x1b[31mR S\x07"))
        await settle(pilot)

        assert content.text == before + "QR S"
        assert app.workspace.edited(key).payload["content"] == before + "QR S"
        assert any("Content (HTML): removed control characters (BEL, ESC)" in note for note in _notes(app))


async def test_a_paste_into_the_subject_drops_control_characters_and_keeps_the_rest(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.has_focus
        await pilot.press("end")
        before = subject.value
        app.post_message(events.Paste(" and\x7f \x85more"))
        await settle(pilot)

        assert subject.value == before + " and more"
        assert app.workspace.edited(key).payload["subject"] == before + " and more"
        assert any("Subject: removed control characters" in note for note in _notes(app))


async def test_a_windows_line_end_in_a_paste_is_a_line_end_not_a_control_character(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, ACME, Channel.EMAIL)
        content = app.screen.query_one("#field-content", TextArea)
        content.focus()
        await pilot.press("ctrl+end")
        before = content.text
        app.post_message(events.Paste("a\r\nb"))
        await settle(pilot)
        assert content.text == before + "a\nb"
        assert not any("control characters" in note for note in _notes(app))


def _editor(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


async def test_ctrl_z_right_after_ctrl_g_restores_the_subject(sandbox_app, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(_editor(tmp_path, 'printf "From the editor\\n" > "$1"')))
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.screen.query_one("#field-subject", Input)
        before = subject.value
        assert subject.has_focus

        await pilot.press("ctrl+g")
        await settle(pilot)
        assert subject.value == "From the editor"

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert subject.value == before
        assert not app.workspace.is_dirty(key)


async def test_an_editor_result_with_control_characters_is_cleaned(sandbox_app, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(_editor(tmp_path, 'printf "Bell\\007 ringing\\n" > "$1"')))
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert app.workspace.edited(key).payload["subject"] == "Bell ringing"
        assert any("removed control characters (BEL) from the edited file" in note for note in _notes(app))


async def test_attaching_a_directory_says_so_and_keeps_the_path(sandbox_app, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "folder").mkdir()
    monkeypatch.chdir(tmp_path)
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 40)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.EMAIL)
        path = app.screen.query_one("#attach-path", Input)
        path.focus()
        await type_text(pilot, "folder")
        await pilot.press("enter")
        await settle(pilot)

        notes = _notes(app)
        assert any("folder is a directory" in note for note in notes), notes
        assert not any("Uploading" in note for note in notes)
        assert path.value == "folder"
        assert app.workspace.edited(key).attachmentIds == []

        # Corrected to a file, the upload goes through and the field empties.
        (tmp_path / "folder" / "deck.pdf").write_bytes(b"%PDF-1.4 sandbox")
        await type_text(pilot, "/deck.pdf")
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.workspace.edited(key).attachmentIds) == 1
        assert path.value == ""


def test_the_subject_length_finding_says_it_counts_the_text_as_read() -> None:
    subject = "{{First Name}}, {{Company}} and {{Title}}: one more idea for the warehouse team this week!!"
    found = [f for f in validate(email(subject), first()) if f.rule_id == "email.subject-length"]
    assert found, "the rule should fire"
    message = found[0].message
    assert "reads as" in message and "once merge tags are filled" in message and "spintax" not in message
    assert f"{len(subject)} characters" not in message  # not the counter's count, which would be clear

    plain = "One more idea for the warehouse team this week, before the busy season starts again soon"
    message = next(f for f in validate(email(plain), first()) if f.rule_id == "email.subject-length").message
    assert message.startswith(f"Subject is {len(plain)} characters")


async def test_the_whatsapp_counter_shows_the_message_limit(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Webinar invite: Data Leaders", Channel.WHATSAPP_MESSAGE)
        message = app.screen.query_one("#field-message", TextArea)
        assert message.border_subtitle == f"{len(message.text)}/4096"


async def test_x_on_a_preview_without_spintax_says_so(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        await pilot.press("escape", "v")
        await settle(pilot)
        pane = app.screen.query_one("#preview")
        assert pane.has_focus and pane.view is not None and pane.view.combinations == 1
        await pilot.press("x")
        await settle(pilot)
        assert "No spintax in this variant." in _notes(app)
