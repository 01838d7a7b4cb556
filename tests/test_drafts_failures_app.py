"""The drafts file failing under the running app: a full disk (issue 18.7) and the file deleted
(issue 18.8). Nothing may be promised that is not on disk, and nothing typed may be lost.

The full disk is real: SQLite's ``max_page_count`` on the app's own connection makes the file
full (SQLITE_FULL, "database or disk is full"), exactly as a full file system does; raising it
again is freeing space.
"""

from __future__ import annotations

from test_app_support import make_app, open_variant, settle, type_text
from test_drafts_app_support import notes, store
from textual.widgets import TextArea

from tui.api.channels import Channel
from tui.config.paths import state_dir
from tui.drafts import DraftKey
from tui.screens.confirm_screen import ConfirmScreen
from tui.widgets.drafts_status import DraftsStatus

TITLE = "Founders intro"


async def _until(pilot, done, rounds: int = 200) -> None:
    """Let the app run (its journal timer fires every second) until ``done()``."""
    for _ in range(rounds):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def _fill_the_disk(app, free: bool = False) -> None:
    conn = app.drafts.store._conn  # the app's own connection: the limit is per connection
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {1_000_000 if free else pages}")


async def _quit_question(pilot) -> ConfirmScreen:
    await pilot.press("ctrl+q")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmScreen)
    return screen


async def test_a_full_disk_is_said_until_it_passes_and_the_quit_dialog_promises_nothing(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " A")
        app.drafts.flush()
        indicator = app.screen.query_one(DraftsStatus)
        assert indicator.label == "" and not indicator.display

        _fill_the_disk(app)
        pasted = "<p>" + "x" * 20000 + "</p>"
        app.screen.query_one("#field-content", TextArea).insert(pasted)  # a paste: needs new pages
        await _until(pilot, lambda: app.drafts.failing is not None)
        assert "full" in app.drafts.failing
        assert any("Could not write a draft" in n and "kept in memory" in n for n in notes(app))
        assert indicator.display and indicator.label == "✕ drafts not on disk"
        with store() as drafts:  # on disk: the draft as it was before the disk filled
            assert pasted not in drafts.get_draft(DraftKey("demo", *key)).edited.payload["content"]

        question = await _quit_question(pilot)
        assert "could NOT be written" in question.question and "those edits are lost" in question.question
        assert question.yes_label == "Quit and lose them"
        await pilot.press("n")
        await settle(pilot)
        assert indicator.display  # still said, not a toast that fades

        _fill_the_disk(app, free=True)
        await _until(pilot, lambda: app.drafts.failing is None)
        assert not indicator.display
        assert any("written to disk again" in n for n in notes(app))
        with store() as drafts:
            assert pasted in drafts.get_draft(DraftKey("demo", *key)).edited.payload["content"]
        question = await _quit_question(pilot)
        assert "kept as drafts" in question.question and question.yes_label == "Quit (drafts kept)"
        await pilot.press("n")


async def test_a_drafts_file_deleted_while_running_is_created_again_with_every_edit(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " first")
        app.drafts.flush()
        (state_dir() / "drafts.sqlite3").unlink()  # a clean-up script, or a person, removes it
        await type_text(pilot, " second")
        await _until(pilot, lambda: any("was deleted while seqedit was running" in n for n in notes(app)))

        def on_disk() -> str:
            with store() as drafts:
                draft = drafts.get_draft(DraftKey("demo", *key))
            return draft.edited.payload["subject"] if draft is not None else ""

        # The next writes (a second apart) carry the edits made before and after the deletion.
        await _until(pilot, lambda: on_disk().endswith(" first second"))
        question = await _quit_question(pilot)
        assert "kept as drafts" in question.question
        await pilot.press("n")


async def test_drafts_that_cannot_be_opened_are_said_all_along_and_on_quit(sandbox_app) -> None:
    victim = state_dir().parent / "victims-file"
    victim.write_text("")
    (state_dir() / "drafts.sqlite3").symlink_to(victim)  # planted: never followed
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, TITLE, Channel.EMAIL)
        await type_text(pilot, "zz")
        assert app.drafts is None
        assert any("Drafts are off" in n and "symbolic link" in n for n in notes(app))
        indicator = app.screen.query_one(DraftsStatus)
        assert indicator.display and indicator.label == "✕ drafts not on disk"
        question = await _quit_question(pilot)
        assert "will be lost" in question.question and question.yes_label == "Quit and lose them"
        await pilot.press("n")
    assert victim.read_text() == ""
