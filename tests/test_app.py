"""The editor's main journey, driven by keys against the in-process sandbox."""

from __future__ import annotations

import json

from test_app_support import clear_input, client_for, make_app, open_variant, settle, tree, type_text
from test_drafts_app_support import screen_text
from textual.widgets import Input, Select, TextArea

from tui.api.channels import Channel, Priority
from tui.app import SeqEditApp
from tui.sandbox import DEMO_API_KEY
from tui.screens.review_screen import ReviewScreen
from tui.session.connect import Account
from tui.widgets.counted_text_area import CountedTextArea


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


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


async def test_linkedin_connection_note_counter_and_save(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Event follow-up: SaaStr", Channel.LINKEDIN_CONNECTION_REQUEST)
        note = app.screen.query_one("#field-connectionNote", CountedTextArea)
        assert note.has_focus
        start = len(note.text)
        assert note.border_subtitle == f"{start}/300"
        await pilot.press("ctrl+end")
        await type_text(pilot, " ok")
        assert note.border_subtitle == f"{start + 3}/300"
        assert not note.has_class("-warning") and not note.has_class("-error")
        note.insert("x" * (201 - len(note.text)))  # past the free-account limit of 200
        await settle(pilot)
        assert note.has_class("-warning") and not note.has_class("-error")
        note.insert("y" * 100)
        await settle(pilot)
        assert note.has_class("-error") and note.border_subtitle == "301/300"
        note.replace("", note.document.start, note.document.end)
        await type_text(pilot, "Hi {{First Name}}, met you at SaaStr")
        await settle(pilot)
        assert not note.has_class("-error")

        body = await _review_and_confirm(pilot)
        assert body == {"payload": {"connectionNote": "Hi {{First Name}}, met you at SaaStr"}}
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload == {"connectionNote": "Hi {{First Name}}, met you at SaaStr"}


async def test_inmail_subject_and_message(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.LINKEDIN_INMAIL)
        before = app.workspace.server_copy(key)
        subject = app.screen.query_one("#field-subject", Input)
        assert subject.border_subtitle == f"{len(subject.value)}/200"
        await pilot.press("end")
        await type_text(pilot, "!")
        await pilot.press("tab")
        message = app.screen.query_one("#field-message", CountedTextArea)
        assert message.has_focus and message.limit == 1900
        await pilot.press("ctrl+end")
        await type_text(pilot, " PS")
        body = await _review_and_confirm(pilot)
        assert body == {
            "payload": {"subject": before.payload["subject"] + "!", "message": before.payload["message"] + " PS"}
        }
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload["message"].endswith(" PS")


async def test_task_note_priority_and_assignee(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Re-engage closed-lost (Q2)", Channel.CALL_REMINDER)
        assert not app.screen.query("#field-subject")  # a call has no subject field
        assert not app.screen.query("#field-attachmentIds")
        note = app.screen.query_one("#field-taskNote", CountedTextArea)
        assert note.has_focus and note.limit == 3000
        await type_text(pilot, "Call before noon. ")

        # A re-read of the open step that brings nothing new leaves the form as it is: redrawn,
        # it closed an open drop-down and moved the cursor of the field being typed in.
        drawn = app.screen.query_one("#field-priority", Select)
        app.screen.tree_side.load_variants(key.sequence_id, key.step_id)
        await settle(pilot)
        assert app.screen.query_one("#field-priority", Select) is drawn and note.has_focus

        priority = app.screen.query_one("#field-priority", Select)
        priority.focus()
        await pilot.press("enter")  # open the list: Urgent, High, Normal, Low (Normal is current)
        await pilot.press("up", "up", "enter")  # → Urgent
        await settle(pilot)
        assert priority.value is Priority.URGENT

        assignee = app.screen.query_one("#field-assigneeId", Select)
        assert any("Maya Chen" in str(prompt) for prompt, _ in assignee._options)
        assignee.focus()
        await pilot.press("enter", "home", "enter")  # the first user of the list
        await settle(pilot)
        chosen = assignee.value
        assert chosen == app.assignees[0].users[0].id

        # A re-read of the sequence redraws the form; landing before a field's change message is
        # handled (under load), it dropped the change with the old field: the PATCH went without
        # the priority (KeyError 'priority' here, once under -n 2). The change is kept now.
        status = app.screen.query_one("#field-status", Select)
        status.value = 0  # paused; its Changed message is still queued
        await app.screen.editing.show_current()
        await settle(pilot)

        body = await _review_and_confirm(pilot)
        assert body["status"] == 0
        assert body["priority"] == "Urgent"
        assert body["assigneeId"] == chosen
        assert body["taskNote"].startswith("Call before noon. ")
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.priority is Priority.URGENT and server.assigneeId == chosen
        assert server.taskNote.startswith("Call before noon. ")


async def test_status_toggle_and_priority_from_the_tree(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.CALL_DEMO)
        await pilot.press("escape")  # back to the tree, cursor still on the variant
        assert tree(pilot).has_focus
        await pilot.press("s", "p")
        await settle(pilot)
        assert app.screen.query_one("#field-status", Select).value == 0
        body = await _review_and_confirm(pilot)
        assert body == {"status": 0, "priority": "High"}  # Urgent → High
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.status == 0 and server.priority is Priority.HIGH
        assert "○" in str(tree(pilot).variant_node(key).label)


async def test_day_moves_a_step(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.LINKEDIN_MESSAGE)
        day = app.screen.query_one("#field-absoluteDays", Input)
        assert day.value == "2"
        day.focus()
        await clear_input(pilot)
        await type_text(pilot, "3")
        body = await _review_and_confirm(pilot)
        assert body == {"absoluteDays": 3}
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.absoluteDays == 3
        # The step moved: the tree re-read the steps and labels the step with its new day.
        await settle(pilot)
        assert str(tree(pilot).step_node(key.sequence_id, key.step_id).label).startswith("Day 3 ·")


async def test_rejected_save_keeps_edits_and_shows_the_message(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        # Day 4's Email moved onto day 1, which already holds an Email step: the validation
        # (api.days-email-clash, as the server would) refuses the save in the review.
        key = await open_variant(pilot, "Hiring managers: Engineering", Channel.EMAIL, step_index=1)
        day = app.screen.query_one("#field-absoluteDays", Input)
        day.focus()
        await clear_input(pilot)
        await type_text(pilot, "1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.refusal and any(f.rule_id == "api.days-email-clash" for f in review.findings)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is review  # refused: nothing sent
        await pilot.press("escape")
        await settle(pilot)
        assert app.workspace.is_dirty(key)
        assert app.workspace.update_for(key).body() == {"absoluteDays": 1}
        assert app.screen.query_one("#field-absoluteDays", Input).value == "1"
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.absoluteDays != 1


async def test_scripted_server_fault_keeps_edits(sandbox_app, sandbox_http) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.LINKEDIN_MESSAGE)
        await pilot.press("ctrl+end")
        await type_text(pilot, " thanks")
        fault = {"status": 422, "body": json.dumps({"message": "[b]Database[/b] on fire", "statusCode": 422})}
        answer = await sandbox_http.post("/v1/sandbox/faults", json={"method": "PATCH", "faults": [fault]})
        assert answer.status_code < 300, answer.text
        await _review_and_confirm(pilot)
        assert any("[b]Database[/b] on fire" in note for note in _notes(app))
        assert app.workspace.edited(key).payload["message"].endswith(" thanks")
        server = await client_for(sandbox_app).get_variant(*key)
        assert not server.payload["message"].endswith(" thanks")


async def test_read_only_refuses_to_save(sandbox_app) -> None:
    # An account named by its base URL, as `seqedit --base-url … --read-only` shows it.
    account = Account(base_url="https://open-api.saleshandy.com", api_key=DEMO_API_KEY, profile=None, key_source="env")
    app = SeqEditApp(account, client_factory=lambda: client_for(sandbox_app), read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.CUSTOM)
        await type_text(pilot, "x")
        await settle(pilot)
        # The header says so in full at 80 columns (it was cropped to "read-o" after "* 1 unsaved").
        header = screen_text(app).splitlines()[0]
        assert "read-only" in header and "1 unsaved" in header, header
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.refusal
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)  # enter does not send
        await pilot.press("escape")
        assert any("read-only" in note for note in _notes(app))
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.taskNote == app.workspace.server_copy(key).taskNote
        assert app.workspace.edited(key).taskNote == "x" + (server.taskNote or "")


async def test_unchanged_variant_sends_nothing(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, "Founders intro", Channel.EMAIL)
        sent = app.client.request_count
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert any("Nothing to save" in note for note in _notes(app))
        assert app.client.request_count == sent


async def test_unknown_payload_keys_survive_a_save(sandbox_app) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Partner programme: agencies", Channel.CUSTOM)
        original = app.workspace.server_copy(key).payload
        assert "action" in original and not app.screen.query("#field-action")
        title = app.screen.query_one("#field-title", Input)
        assert title.has_focus
        await pilot.press("end")
        await type_text(pilot, " now")
        body = await _review_and_confirm(pilot)
        assert body["payload"]["action"] == original["action"]
        server = await client_for(sandbox_app).get_variant(*key)
        assert server.payload == {**original, "title": original["title"] + " now"}


async def test_unset_priority_and_assignee_can_be_chosen(sandbox_app) -> None:
    sandbox_app.state.store.add_sequence(
        "Bare task",
        steps=[{"channel": "CallOther", "day": 1, "variants": [{"payload": {}, "taskNote": "call"}]}],
    )
    app = make_app(sandbox_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Bare task", Channel.CALL_OTHER)
        priority = app.screen.query_one("#field-priority", Select)
        assert priority.is_blank()
        # The server returned it empty: unset, not "not shown by the server" (the vendor's case).
        assert priority.prompt == "Priority: not set" and not app.screen.query("#form-not-shown")
        priority.focus()
        await pilot.press("enter", "down", "down", "enter")  # past "not set", past Urgent → High
        await settle(pilot)
        assert priority.value is Priority.HIGH
        assert app.workspace.update_for(key).body() == {"priority": "High"}
        await _review_and_confirm(pilot)
        assert (await client_for(sandbox_app).get_variant(*key)).priority is Priority.HIGH
        # Once set, the API cannot clear it: "not set" is no longer offered.
        assert not app.screen.query_one("#field-priority", Select)._allow_blank


async def test_error_findings_block_the_save_and_warnings_show(sandbox_app) -> None:
    from tui.validation.findings import Finding, Severity

    found = [
        Finding("SUBJECT_LENGTH", Severity.WARNING, "payload.subject", "Subject over 60 characters", "Shorten it"),
        Finding("TASK_NOTE_MAX", Severity.ERROR, "taskNote", "[b]Task note[/b] too long", "Cut it"),
    ]
    app = make_app(sandbox_app)
    app.findings_for = lambda key: list(found)  # the validation panel's seam
    async with app.run_test(size=(100, 30)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.CALL_FOLLOW_UP)
        await type_text(pilot, "x")
        sent = app.client.request_count
        await pilot.press("ctrl+s")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.refusal
        from test_app_snapshots import screen_text

        text = screen_text(app)
        assert "Subject over 60 characters" in text and "[b]Task note[/b] too long" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.client.request_count == sent
        found.pop()  # the error is fixed: only the warning is left, and saving goes ahead
        await pilot.press("escape", "ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.workspace.is_dirty(key)
