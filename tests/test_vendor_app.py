"""Issue 12 in the app: the editor over a server in the vendor's documented shapes.

The server is the demo sandbox reshaped by :class:`tests.vendor_shapes.VendorShapes` (numeric
user ids, a thin GET …/steps/{stepId}, no priority or attachmentIds on reads, an Email payload
key the form does not know, no sandbox header), driven by keys at 80×24.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.widgets import Input, Select, Static, TextArea

from tests.test_app_support import client_for, open_variant, press_until, settle, tree, type_text
from tests.vendor_shapes import EXTRA_KEY, VendorShapes
from tui.api.channels import Channel, UnknownChannel
from tui.app import SeqEditApp
from tui.screens.review_screen import ReviewScreen
from tui.widgets.attachment_list import AttachmentList
from tui.widgets.preview_pane import PreviewPane

ACME = "Acme Robotics: Warehouse Managers"
Q4 = "Q4 Outbound: Heads of RevOps"
HIRING = "Hiring managers: Engineering"


def vendor_app(vendor: VendorShapes, *, prospects: tuple[dict[str, str], ...] = ()) -> SeqEditApp:
    """The editor on ``vendor``: a real account as far as the app can tell (not the demo)."""

    class Account:
        demo = False
        profile = "vendor"
        base_url = "http://vendor.test"
        sample_prospects = prospects

    return SeqEditApp(Account(), client_factory=lambda: client_for(vendor))


def _screen_text(app: Any) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def _review(pilot: Any) -> ReviewScreen:
    await pilot.press("ctrl+s")
    await settle(pilot)
    review = pilot.app.screen
    assert isinstance(review, ReviewScreen), type(review)
    return review


async def test_the_tree_fills_and_an_email_saves_with_the_servers_own_key(sandbox_app) -> None:
    vendor = VendorShapes(sandbox_app)
    app = vendor_app(vendor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.workspace.sequences) >= 5  # before: an empty tree (user.id is a number)
        key = await open_variant(pilot, HIRING, Channel.EMAIL)  # an Email without a preheader
        findings = {finding.rule_id: finding for finding in app.checks.findings(key)}
        assert "api.payload-keys" not in findings  # before: an error, so it could never be saved
        assert findings["api.payload-keys-server"].severity.value == "I"  # at most a note
        subject = app.screen.query_one("#field-subject", Input)
        # The server sent no preheader: typed into, then undone, it is no edit (before: the
        # emptied field's "" was one, and the PATCH carried "preheader": "").
        assert "preheader" not in app.workspace.server_copy(key).payload
        app.screen.query_one("#field-preheader", Input).focus()
        await type_text(pilot, "x")
        assert app.workspace.is_dirty(key)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not app.workspace.is_dirty(key), app.workspace.changed_fields(key)
        subject.focus()
        await pilot.press("end")
        await type_text(pilot, " now")
        review = await _review(pilot)
        assert review.refusal is None
        body = json.loads(review.body_json())
        assert set(body) == {"payload"} and body["payload"][EXTRA_KEY] == 42
        assert "preheader" not in body["payload"]
        await pilot.press("enter")
        await settle(pilot)
        assert not app.workspace.is_dirty(key), [str(n.message) for n in app._notifications]
        assert vendor.patches[-1] == body
        assert subject.value.endswith(" now")
        # Duplicated (A), saved through the review: the copy is a POST of the channel's keys
        # only. The server's templateId is A's, not the new variant's: before, the copy carried
        # it as a key "the draft added" (api.payload-keys), and the save was refused.
        await pilot.press("escape", "A")
        await settle(pilot)
        copy = app.screen.current_key
        assert copy is not None and copy.variant_id.startswith("+"), [str(n.message) for n in app._notifications]
        notes = [str(n.message) for n in app._notifications]
        assert any(f"Not copied from A: {EXTRA_KEY} (the server's own); attachments" in note for note in notes)
        # A's list was never shown, so none were copied: the new variant's own list is none.
        copied = app.screen.query_one("#field-attachmentIds")
        assert str(copied.get_option_at_index(0).prompt) == "none"
        review = await _review(pilot)
        assert review.refusal is None, [f.rule_id for f in review.findings]
        posted = json.loads(review.body_json())
        assert EXTRA_KEY not in posted["payload"] and posted["payload"]["subject"].endswith(" now")
        await pilot.press("enter")
        await settle(pilot)
        assert not app.workspace.new_keys(), [str(n.message) for n in app._notifications]
        on_server = sandbox_app.state.store.variants_of(key.sequence_id, key.step_id)
        assert [v["payload"]["subject"] for v in on_server].count(posted["payload"]["subject"]) == 2
        assert vendor.posts[-1] == posted
        # A task channel saves too, and sends no priority or attachments it never read.
        await pilot.press("escape")
        task = await open_variant(pilot, "Founders intro", Channel.CALL_FOLLOW_UP)
        # No read returned a priority or an assignee: unknown, not "not set" / "sequence owner".
        priority = app.screen.query_one("#field-priority", Select)
        assignee = app.screen.query_one("#field-assigneeId", Select)
        assert priority.is_blank() and priority.prompt == "not shown"
        assert assignee.is_blank() and assignee.prompt == "Assignee: not shown by the server"
        said = str(app.screen.query_one("#form-not-shown", Static).visual)
        assert "Priority and assignee: not shown by the server" in said
        note = app.screen.query_one("#field-taskNote", TextArea)
        note.focus()
        await pilot.press("ctrl+end")
        await type_text(pilot, " ok")
        review = await _review(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.workspace.is_dirty(task)
        assert set(vendor.patches[-1]) == {"taskNote"}


async def test_attaching_a_file_when_the_list_is_unknown_says_the_list_is_replaced(sandbox_app, tmp_path: Path):
    vendor = VendorShapes(sandbox_app)
    app = vendor_app(vendor)
    upload = tmp_path / "deck.pdf"
    upload.write_bytes(b"%PDF-1.4 deck")
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        listed = app.screen.query_one("#field-attachmentIds")
        assert "not shown by the server" in str(listed.get_option_at_index(0).prompt)  # not "none"
        path = app.screen.query_one("#attach-path", Input)
        path.focus()
        path.value = str(upload)
        await pilot.press("enter")
        await settle(pilot)
        assert app.workspace.edited(key).attachmentIds, [str(n.message) for n in app._notifications]
        review = await _review(pilot)
        assert review.refusal is None  # a warning, said before sending: not a refusal
        assert any(f.rule_id == "api.attachments-replace" for f in review.findings)
        shown = review._findings_text().plain  # what the review's findings block says
        assert "never showed this variant's attachments" in shown and "replaces the whole list" in shown
        # And first thing in the review, above the body; the diff's "before" is unknown, not empty.
        notice = str(review.query_one("#review-attachments-replace").visual)
        assert "replaces the whole list" in notice and "removed" in notice
        from tui.screens.review_screen import diff_lines

        diff = "\n".join(line.plain for line in diff_lines(review.before, review.after))
        assert "(not shown by the server)" in diff and "(empty)" not in diff
        # Saved: the list names the file and its size as before the save (before: its id, since
        # neither the re-read nor the expected copy carried the upload's name).
        await pilot.press("enter")
        await settle(pilot)
        assert not app.workspace.is_dirty(key), [str(n.message) for n in app._notifications]
        (attachment_id,) = app.workspace.server_copy(key).attachmentIds
        shown = str(app.screen.query_one("#field-attachmentIds", AttachmentList).get_option_at_index(0).prompt)
        assert shown.startswith("deck.pdf · 13 B") and attachment_id not in shown


async def _open_step(pilot: Any, title: str, is_step) -> Any:
    app = pilot.app
    await settle(pilot)
    tree(pilot).focus()
    await pilot.press("g")

    def on_sequence() -> bool:
        node = tree(pilot).cursor_node
        ref = node.data if node is not None else None
        return ref is not None and ref.kind == "sequence" and app.workspace.sequence(ref.sequence_id).title == title

    await press_until(pilot, on_sequence)
    await pilot.press("l")
    await settle(pilot)

    def on_step() -> bool:
        node = tree(pilot).cursor_node
        ref = node.data if node is not None else None
        return ref is not None and ref.kind == "step" and is_step(app.workspace.step(ref.sequence_id, ref.step_id))

    await press_until(pilot, on_step)
    await pilot.press("l", "j", "enter")
    await settle(pilot)
    return app.screen.current_key


async def test_unknown_channel_and_priority_are_shown_and_refused_only_when_a_save_would_send_them(sandbox_app) -> None:
    store = sandbox_app.state.store
    sequence = next(s for s in store.list_sequences() if s["title"] == Q4)
    store.add_step(sequence["id"], 19, 30, [{"payload": {"message": "A new kind of step"}, "taskNote": "n"}])
    store.add_step(
        sequence["id"], Channel.CUSTOM, 31, [{"payload": {}, "taskNote": "Odd", "priority": "Critical"}], priority=2
    )
    store.add_step(sequence["id"], Channel.CALL_OTHER, 32, [{"payload": {}, "taskNote": "Hold", "status": 3}])
    vendor = VendorShapes(sandbox_app, thin_listing=False)
    app = vendor_app(vendor)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await _open_step(pilot, Q4, lambda step: isinstance(step.type, UnknownChannel))
        assert key is not None
        assert "Unknown channel 19" in str(tree(pilot).cursor_node.parent.label)
        text = _screen_text(app)
        assert "does not know this channel" in " ".join(text.split())
        assert app.screen.query_one("#field-message").text == "A new kind of step"
        app.screen.query_one("#field-taskNote", TextArea).focus()
        await type_text(pilot, "x")
        review = await _review(pilot)
        assert review.refusal and "1 error" in review.refusal
        assert any(f.rule_id == "api.channel-unknown" for f in review.findings)
        sent = app.client.request_count
        await pilot.press("enter")  # refused: nothing is sent
        await settle(pilot)
        assert app.client.request_count == sent and isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        app.workspace.discard(key)  # leave without the "unsaved edits" question
        await settle(pilot)

        key = await _open_step(pilot, Q4, lambda step: step.absoluteDays == 31)
        variant = app.workspace.edited(key)
        assert variant.priority == "Critical"
        assert not app.workspace.is_dirty(key)  # showing a kept value is no edit
        select = app.screen.query_one("#field-priority", Select)
        assert select.value == "Critical"
        assert "? Critical" in [str(label) for label, _value in select._options]
        app.screen.query_one("#field-taskNote", TextArea).focus()
        await type_text(pilot, "x")
        review = await _review(pilot)
        # api.md: an unknown priority blocks only a save that would send it; this one sends
        # the task note alone and says the priority is kept.
        assert review.refusal is None and any(f.rule_id == "api.value-kept" for f in review.findings)
        assert json.loads(review.body_json()) == {"taskNote": "xOdd"}
        await pilot.press("escape")
        await settle(pilot)
        select.value = select._options[0][1]  # Urgent: a priority the API documents
        await settle(pilot)
        review = await _review(pilot)
        assert review.refusal is None
        body = json.loads(review.body_json())
        assert body["priority"] == "Urgent" and body["taskNote"] == "xOdd"
        await pilot.press("escape")
        app.workspace.discard(key)
        await settle(pilot)

        # A status other than 0/1: "?" in the tree, "? status 3" in the form, refused with api.status.
        key = await _open_step(pilot, Q4, lambda step: step.absoluteDays == 32)
        assert "? Hold" in str(tree(pilot).variant_node(key).label)
        status = app.screen.query_one("#field-status", Select)
        assert status.value == 3 and "? status 3" in [str(label) for label, _value in status._options]
        app.screen.query_one("#field-taskNote", TextArea).focus()
        await type_text(pilot, "x")
        review = await _review(pilot)
        assert review.refusal is None and any(f.rule_id == "api.value-kept" for f in review.findings)
        assert json.loads(review.body_json()) == {"taskNote": "xHold"}
        await pilot.press("escape")
        await settle(pilot)
        # Pausing a variant of a channel seqedit does not know sends no content of it: allowed.
        app.workspace.discard(key)
        key = await _open_step(pilot, Q4, lambda step: isinstance(step.type, UnknownChannel))
        app.workspace.toggle_status(key)
        review = await _review(pilot)
        assert review.refusal is None and list(json.loads(review.body_json())) == ["status"]


async def test_preview_prospects_come_from_the_config_and_no_sandbox_endpoint_is_called(sandbox_app) -> None:
    vendor = VendorShapes(sandbox_app)
    app = vendor_app(vendor, prospects=({"First Name": "Ada", "Company": "Lovelace Ltd"},))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, Q4, Channel.EMAIL)
        await pilot.press("escape", "v")
        await settle(pilot)
        pane = app.screen.query_one("#preview", PreviewPane)
        await pilot.press("n")
        await settle(pilot)
        assert pane.prospect is not None and pane.prospect.fields["First Name"] == "Ada"
        assert "Hi Ada," in pane.view.plain
    assert not [path for path in vendor.paths if "/v1/sandbox/" in path]


async def test_preview_says_how_to_add_sample_prospects_when_there_are_none(sandbox_app) -> None:
    vendor = VendorShapes(sandbox_app)
    app = vendor_app(vendor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, Q4, Channel.EMAIL)
        await pilot.press("escape", "v")
        await settle(pilot)
        assert "no sample prospects (n: how to add)" in _screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "[[sample_prospects]]" in notes and "seqedit config edit" in notes
    assert not [path for path in vendor.paths if "/v1/sandbox/" in path]


async def test_a_sequence_id_of_dot_dot_leaves_the_rest_of_the_tree(sandbox_app) -> None:
    # Issue 18 item 12: it crashed the app; now it is one load error and the rest is there.
    extra = [{"id": "..", "title": "Dot dot", "active": True, "steps": []}]
    app = vendor_app(VendorShapes(sandbox_app, extra_sequences=extra))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.workspace.sequences) >= 5
        assert all(sequence.id != ".." for sequence in app.workspace.sequences)
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        assert key is not None and app.is_running


# (sequence, channel, field, what is typed at its end): one variant of each channel family.
JOURNEY = [
    (ACME, Channel.EMAIL, "field-subject", " now"),
    ("Event follow-up: SaaStr", Channel.LINKEDIN_CONNECTION_REQUEST, "field-connectionNote", " ok"),
    (ACME, Channel.LINKEDIN_INMAIL, "field-message", " PS"),
    ("Founders intro", Channel.CALL_FOLLOW_UP, "field-taskNote", " first"),
    ("Webinar invite: Data Leaders", Channel.WHATSAPP_MESSAGE, "field-message", " ok"),
]


async def test_the_journeys_on_both_flavors(flavored_app) -> None:
    """Tree, each channel family opened, edited, reviewed and saved, priority from the tree, and
    the conflict check: the same keys against the contract's shapes and the vendor's."""
    from tests.test_app_support import make_app
    from tui.screens.conflict_screen import ConflictScreen

    vendor = flavored_app.flavor == "vendor"

    def from_the_top() -> None:  # open_variant walks from a collapsed tree with the tree focused
        for node in tree(pilot).root.children:
            node.collapse_all()
        tree(pilot).focus()

    store = flavored_app.state.store
    app = make_app(flavored_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.workspace.sequences) >= 8
        for title, channel, field, typed in JOURNEY:
            from_the_top()
            key = await open_variant(pilot, title, channel)
            widget = app.screen.query_one(f"#{field}")
            widget.focus()
            await pilot.press("end" if isinstance(widget, Input) else "ctrl+end")
            await type_text(pilot, typed)
            review = await _review(pilot)
            body = json.loads(review.body_json())
            await pilot.press("enter")
            await settle(pilot)
            assert not app.workspace.is_dirty(key), (channel, [str(n.message) for n in app._notifications])
            name = field.removeprefix("field-")
            saved = store.get_variant(key.variant_id)
            if name == "taskNote":
                assert body == {"taskNote": saved["taskNote"]} and saved["taskNote"].endswith(typed)
            else:
                assert set(body) == {"payload"} and saved["payload"][name].endswith(typed)
                # The vendor's own key goes back unchanged; the contract never had one.
                assert (body["payload"].get("templateId") == 42) is (vendor and channel is Channel.EMAIL)

        # Priority from the tree on the call: sent by name (the vendor flavor never shows one).
        from_the_top()
        key = await open_variant(pilot, "Founders intro", Channel.CALL_FOLLOW_UP)
        await pilot.press("escape", "p")
        await settle(pilot)
        body = json.loads((await _review(pilot)).body_json())
        assert set(body) == {"priority"} and body["priority"] in ("Urgent", "High", "Normal", "Low")
        await pilot.press("enter")
        await settle(pilot)
        assert store.get_variant(key.variant_id)["priority"] == body["priority"]

        # The conflict check: a teammate's change to the subject stops the save, nothing sent.
        from_the_top()
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " MINE")
        current = store.get_variant(key.variant_id)
        store.update_variant(*key, {"payload": {**current["payload"], "subject": "Teammate's subject"}})
        await _review(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen), [str(n.message) for n in app._notifications]
        assert store.get_variant(key.variant_id)["payload"]["subject"] == "Teammate's subject"


async def test_a_conflict_says_not_shown_for_a_priority_no_read_returned(sandbox_app) -> None:
    """The vendor's reads return no priority: in a conflict its base and the server's side are
    unknown, not "(none)" (which read as if the server had none)."""
    from tui.screens.conflict_screen import ConflictScreen

    vendor = VendorShapes(sandbox_app)
    app = vendor_app(vendor)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, "Founders intro", Channel.CALL_FOLLOW_UP)
        await pilot.press("escape", "p")  # a priority, picked from the tree
        await settle(pilot)
        assert app.workspace.server_copy(key).taskNote
        sandbox_app.state.store.update_variant(*key, {"taskNote": ""})  # a teammate emptied the note
        await _review(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen), type(screen)
        assert [c.path for c in screen.conflicts] == ["taskNote", "priority"]
        # The emptied note says so (it was a blank after "server:").
        assert "server: (empty)" in _screen_text(app), _screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        text = _screen_text(app)
        assert "base  : (not shown by the server)" in text, text
        assert "server: (not shown by the server)" in text, text
        assert "(none)" not in text, text
