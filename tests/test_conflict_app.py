"""The conflict dialog: a teammate's change lands between load and save; nothing is sent before a choice."""

from __future__ import annotations

from test_app_support import client_for, make_app, open_variant, settle, type_text
from test_drafts_app_support import last_note, patch_count, review_and_send, screen_text, store
from textual.widgets import OptionList

from tui.api.channels import Channel
from tui.api.models import VariantUpdate
from tui.drafts import ChangeKind, DraftKey
from tui.screens.conflict_screen import ConflictScreen

TITLE = "Founders intro"


async def _teammate_patch(sandbox_app, key, **payload) -> dict:
    """Another person's save, straight through the API."""
    client = client_for(sandbox_app)
    current = await client.get_variant(*key)
    new_payload = {**current.payload, **payload}
    await client.update_variant(*key, VariantUpdate(payload=new_payload))
    await client.aclose()
    return new_payload


async def _edit_then_conflict(pilot, sandbox_app, **theirs):
    app = pilot.app
    key = await open_variant(pilot, TITLE, Channel.EMAIL)
    base = app.workspace.server_copy(key)
    await pilot.press("end")
    await type_text(pilot, " MINE")
    planted = await _teammate_patch(sandbox_app, key, **theirs)
    sent_before = await patch_count(sandbox_app)
    await review_and_send(pilot)
    assert isinstance(app.screen, ConflictScreen), last_note(app)
    assert await patch_count(sandbox_app) == sent_before  # nothing sent before the choice
    return key, base, planted, sent_before


async def test_keep_mine_sends_my_copy(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        key, base, _planted, sent_before = await _edit_then_conflict(pilot, sandbox_app, content="<p>theirs</p>")
        screen = app.screen
        kinds = {c.path: c.kind for c in screen.conflicts}
        assert kinds == {"payload.subject": ChangeKind.MINE, "payload.content": ChangeKind.THEIRS}
        text = screen_text(app)
        assert "<p>theirs</p>" in text and base.payload["subject"] + " MINE" in text
        await pilot.press("m")
        await settle(pilot)
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload["subject"] == base.payload["subject"] + " MINE"
        assert server.payload["content"] == base.payload["content"]
        assert await patch_count(sandbox_app) == sent_before + 1
        assert not app.workspace.is_dirty(key)
        assert "Saved variant A." in last_note(app)


async def test_take_theirs_sends_nothing_and_drops_my_edit(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        key, _base, planted, sent_before = await _edit_then_conflict(pilot, sandbox_app, content="<p>theirs</p>")
        await pilot.press("t")
        await settle(pilot)
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload == planted
        assert await patch_count(sandbox_app) == sent_before
        assert not app.workspace.is_dirty(key)
        assert app.workspace.edited(key).payload == planted
        app.drafts.flush()
        with store() as drafts:
            assert drafts.get_draft(DraftKey("demo", *key)) is None


async def test_choose_per_field(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        base = app.workspace.server_copy(key)
        await pilot.press("end")
        await type_text(pilot, " MINE")
        await pilot.press("escape", "s")  # and pause it, from the tree
        await settle(pilot)
        planted = await _teammate_patch(sandbox_app, key, subject="Theirs", content="<p>theirs</p>")
        await review_and_send(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        kinds = [(c.path, c.kind) for c in screen.conflicts]
        assert kinds == [
            ("status", ChangeKind.MINE),
            ("payload.subject", ChangeKind.BOTH),
            ("payload.content", ChangeKind.THEIRS),
        ]
        assert screen.choices == {"status": "mine", "payload.subject": "mine", "payload.content": "theirs"}
        # Status in words, as the save review says it (it read "mine  : 0", "server: 1").
        assert "mine  : 0 (paused)" in screen_text(app) and "server: 1 (active)" in screen_text(app)
        options = screen.query_one(OptionList)
        assert options.has_focus
        await pilot.press("home", "down", "space")  # the subject: take theirs
        assert screen.choices["payload.subject"] == "theirs"
        assert "[server] payload.subject" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.status == 0  # mine
        assert server.payload["subject"] == planted["subject"] == "Theirs"
        assert server.payload["content"] == "<p>theirs</p>"
        assert base.status == 1
        assert not app.workspace.is_dirty(key)


async def test_cancel_sends_nothing_and_keeps_the_edit(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(120, 40)) as pilot:
        key, base, planted, sent_before = await _edit_then_conflict(pilot, sandbox_app, content="<p>theirs</p>")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert "Not sent" in last_note(app)
        assert await patch_count(sandbox_app) == sent_before
        assert app.workspace.edited(key).payload["subject"] == base.payload["subject"] + " MINE"
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload == planted
        # Trying again still asks: the base is still the copy the edit started from.
        await review_and_send(pilot)
        assert isinstance(app.screen, ConflictScreen)


async def test_80x24_long_bodies_show_where_each_side_changed_them(sandbox_app) -> None:
    """Both sides changed the body far from its start: the dialog shows each change word by word
    (it showed the first 90 characters of each, which were the same three times)."""
    from textual.widgets import TextArea

    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, TITLE, Channel.EMAIL)
        base = app.workspace.server_copy(key).payload["content"]
        assert "15-minute" in base and base.index("15-minute") > 200
        body = app.screen.query_one("#field-content", TextArea)
        body.focus()
        await pilot.press("ctrl+end")
        await type_text(pilot, " PS mine")
        await _teammate_patch(sandbox_app, key, content=base.replace("15-minute", "20-minute"))
        await review_and_send(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen), last_note(app)
        assert [(c.path, c.kind) for c in screen.conflicts] == [("payload.content", ChangeKind.BOTH)]
        text = " ".join(screen_text(app).split())
        assert "[-15-]{+20+}-minute" in text  # the server's change, in its words
        assert "<p>Sam</p>{+ PS mine+}" in text  # mine, at the end of the body
        assert f"base : {len(base):,} characters" in text
        assert "[-removed-] {+added+}" in text  # the markers are explained
        assert "I'm the founder of Northpeak" not in text  # no more identical openings


async def test_80x24_an_assignee_conflict_names_the_people(sandbox_app) -> None:
    """The dialog showed two bare user ids ("C06DPdRO9Y" against "rihtYlKNxH") where the save
    review names them: the person choosing could not tell who would get the task."""
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.LINKEDIN_MESSAGE)
        base = app.workspace.server_copy(key)
        users = {user.id: user.userName for team in app.assignees for user in team.users}
        assert base.assigneeId in users
        other = next(user_id for user_id in users if user_id != base.assigneeId)
        await pilot.press("end")
        await type_text(pilot, " MINE")
        client = client_for(sandbox_app)
        await client.update_variant(*key, VariantUpdate(assigneeId=other))
        await client.aclose()
        await review_and_send(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen), last_note(app)
        assert [(c.path, c.kind) for c in screen.conflicts] == [
            ("payload.message", ChangeKind.MINE),
            ("assigneeId", ChangeKind.THEIRS),
        ]
        await pilot.press("end")
        await settle(pilot)
        text = screen_text(app)
        assert f"base  : {users[base.assigneeId]} ({base.assigneeId})" in text, text
        assert f"server: {users[other]} ({other})" in text, text
