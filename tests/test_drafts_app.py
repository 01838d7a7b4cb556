"""Drafts and history in the running app: journalled edits, restored drafts, the drafts and history screens."""

from __future__ import annotations

import stat

from test_app_support import client_for, make_app, open_variant, settle, tree, type_text
from test_drafts_app_support import last_note, notes, review_and_send, screen_text, store
from textual.widgets import Input, OptionList

from tui.api.channels import Channel
from tui.config.paths import state_dir
from tui.drafts import DraftKey
from tui.screens.confirm_screen import ConfirmScreen
from tui.screens.drafts_screen import DraftsScreen
from tui.screens.history_screen import HistoryScreen
from tui.screens.review_screen import ReviewScreen

TITLE = "Founders intro"


def dkey(key) -> DraftKey:
    return DraftKey("demo", *key)


async def test_edit_is_journalled_and_reopened_after_a_restart(sandbox_app) -> None:
    first = make_app(sandbox_app)
    async with first.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        original = first.workspace.server_copy(key).payload["subject"]
        await pilot.press("end")
        await type_text(pilot, " NOW")
        await pilot.press("left", "left")
        await type_text(pilot, "x")
        await settle(pilot)
    # The timer or the exit wrote it; the file is private and holds the typed text.
    path = state_dir() / "drafts.sqlite3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with store() as drafts:
        draft = drafts.get_draft(dkey(key))
        assert draft is not None
        assert draft.edited.payload["subject"] == original + " NxOW"
        assert draft.base.payload["subject"] == original
        assert draft.focus == "field-subject" and draft.cursor == (0, len(original) + 3)

    second = make_app(sandbox_app)
    async with second.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("1 unsaved draft(s)" in note for note in notes(second))
        # The draft's sequence is loaded at once, so the tree marks it before anything is opened.
        assert second.workspace.is_dirty(key)
        assert "*" in str(tree(pilot).sequence_node(key.sequence_id).label)
        assert "1 unsaved" in second.sub_title

        await pilot.press("D")
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, DraftsScreen)
        listed = str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert TITLE in listed and "variant A" in listed and "payload.subject" in listed
        await pilot.press("enter")
        await settle(pilot)
        assert second.screen.current_key == key
        subject = second.screen.query_one("#field-subject", Input)
        assert subject.value == original + " NxOW"
        assert subject.has_focus and subject.cursor_position == len(original) + 3
        assert "*" in str(tree(pilot).variant_node(key).label)


async def test_save_removes_the_draft_and_records_history(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        before = app.workspace.server_copy(key)
        await pilot.press("end")
        await type_text(pilot, " v2")
        app.drafts.flush()
        with store() as drafts:
            assert drafts.get_draft(dkey(key)) is not None
        body = await review_and_send(pilot)
        assert body == {"payload": {**before.payload, "subject": before.payload["subject"] + " v2"}}
        assert "Saved variant A." in last_note(app)
        with store() as drafts:
            assert drafts.get_draft(dkey(key)) is None
            (version,) = drafts.versions(dkey(key))
        assert version.before.payload["subject"] == before.payload["subject"]
        assert version.sent == body
        assert version.after is not None and version.after.payload["subject"] == before.payload["subject"] + " v2"


async def test_history_restores_a_version_through_review_and_patch(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        original = app.workspace.server_copy(key).payload["subject"]
        await pilot.press("end")
        await type_text(pilot, " oops")
        await review_and_send(pilot)
        await pilot.press("end")
        await type_text(pilot, " twice")
        await review_and_send(pilot)
        assert (await client_for(sandbox_app).get_variant(*key)).payload["subject"] == original + " oops twice"

        await pilot.press("escape", "H")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert [v.before.payload["subject"] for v in history.versions] == [original + " oops", original]
        diff = screen_text(app)
        assert "payload.subject" in diff and "twice" in diff
        await pilot.press("down", "enter")  # the older save: back to the original subject
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert '"subject": ' + repr(original).replace("'", '"') in review.body_json()
        await pilot.press("enter")
        await settle(pilot)
        assert (await client_for(sandbox_app).get_variant(*key)).payload["subject"] == original
        with store() as drafts:
            assert len(drafts.versions(dkey(key))) == 3


async def test_drafts_screen_discards_after_confirming(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await type_text(pilot, "zz")
        await pilot.press("escape", "D")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # kept
        await settle(pilot)
        with store() as drafts:
            assert drafts.get_draft(dkey(key)) is not None
        await pilot.press("d", "y")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen) and not app.screen.drafts
        assert "Draft discarded." in screen_text(app)  # said in the dialog: toasts wait while it is up
        with store() as drafts:
            assert drafts.get_draft(dkey(key)) is None
        assert not app.workspace.is_dirty(key)
        await pilot.press("escape")
        await settle(pilot)
        assert "*" not in str(tree(pilot).variant_node(key).label)


async def test_undoing_edits_by_hand_removes_the_draft(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await type_text(pilot, "q")
        app.drafts.flush()
        with store() as drafts:
            assert drafts.get_draft(dkey(key)) is not None
        await pilot.press("escape", "u")
        await settle(pilot)
        with store() as drafts:  # asked first: nothing is dropped yet
            assert drafts.get_draft(dkey(key)) is not None
        await pilot.press("y")
        await settle(pilot)
        with store() as drafts:
            assert drafts.get_draft(dkey(key)) is None


async def test_text_area_cursor_is_restored(sandbox_app) -> None:
    from tui.widgets.counted_text_area import CountedTextArea

    first = make_app(sandbox_app)
    async with first.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.LINKEDIN_INMAIL)
        await pilot.press("tab")  # from the subject to the message
        message = first.screen.query_one("#field-message", CountedTextArea)
        assert message.has_focus
        await pilot.press("ctrl+home", "down", "end")
        await type_text(pilot, " NOTED")
        where = message.cursor_location
        await settle(pilot)
    second = make_app(sandbox_app)
    async with second.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        message = second.screen.query_one("#field-message", CountedTextArea)
        assert message.has_focus and message.cursor_location == where
        assert " NOTED" in message.text
        assert second.screen.current_key == key


async def test_undoing_edits_asks_first_and_no_keeps_them(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await type_text(pilot, "q")
        await pilot.press("escape", "u")
        await settle(pilot)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Undo the unsaved edits of" in question and "cannot be undone" in question
        await pilot.press("n")
        await settle(pilot)
        assert app.workspace.is_dirty(key)
        assert "*" in str(tree(pilot).variant_node(key).label)
