"""The workspace: server and edited copies, dirty flags and the PATCH they produce."""

from __future__ import annotations

from tui.api.channels import Priority
from tui.api.models import Sequence, Step, Variant
from tui.session.workspace import VariantKey, Workspace


def _workspace() -> tuple[Workspace, VariantKey, VariantKey]:
    ws = Workspace()
    ws.add_sequences([Sequence(id="s1", title="Q3 outreach"), Sequence(id="s2", title="Renewals")])
    email = Step.model_validate(
        {
            "id": "st1",
            "type": "Email",
            "absoluteDays": 1,
            "variants": [
                {"id": "v1", "payload": {"subject": "Hi", "content": "<p>x</p>", "customKey": {"a": 1}}},
                {"id": "v2", "payload": {"subject": "Hey", "content": "<p>y</p>"}, "status": 0},
            ],
        }
    )
    task = Step.model_validate(
        {"id": "st2", "type": "CallDemo", "absoluteDays": 3, "variants": [{"id": "v3", "taskNote": "call"}]}
    )
    ws.set_steps("s1", [task, email])
    return ws, VariantKey("s1", "st1", "v1"), VariantKey("s1", "st2", "v3")


def test_unchanged_variant_sends_nothing() -> None:
    ws, key, _ = _workspace()
    assert ws.update_for(key).empty
    assert ws.dirty_keys() == []


def test_payload_edit_sends_whole_payload_with_unknown_keys() -> None:
    ws, key, _ = _workspace()
    ws.edit_payload(key, "subject", "Hello there")
    assert ws.is_dirty(key)
    assert ws.update_for(key).body() == {
        "payload": {"subject": "Hello there", "content": "<p>x</p>", "customKey": {"a": 1}}
    }
    assert ws.dirty_keys() == [key]


def test_edit_back_to_original_is_clean() -> None:
    ws, key, _ = _workspace()
    ws.edit_payload(key, "subject", "changed")
    ws.edit_payload(key, "subject", "Hi")
    assert not ws.is_dirty(key)


def test_status_toggle_and_priority_cycle() -> None:
    ws, key, task = _workspace()
    ws.toggle_status(key)
    assert ws.update_for(key).body() == {"status": 0}
    ws.toggle_status(key)
    assert ws.update_for(key).empty
    assert ws.cycle_priority(task).priority is Priority.URGENT
    assert ws.cycle_priority(task).priority is Priority.HIGH
    assert ws.update_for(task).body() == {"priority": "High"}


def test_steps_ordered_by_day_and_letters() -> None:
    ws, key, _ = _workspace()
    assert [s.id for s in ws.steps("s1")] == ["st1", "st2"]
    assert ws.letter(key) == "A"
    assert ws.letter(VariantKey("s1", "st1", "v2")) == "B"


def test_apply_saved_replaces_base_and_keeps_later_edits() -> None:
    ws, key, _ = _workspace()
    ws.edit_payload(key, "subject", "one")
    ws.begin_save(key)
    saved = ws.edited(key).model_copy(deep=True)
    ws.apply_saved(key, saved)
    assert not ws.is_dirty(key)

    ws.edit_payload(key, "subject", "two")
    ws.begin_save(key)
    ws.edit_payload(key, "subject", "three")  # typed while the save was in flight
    ws.apply_saved(
        key, ws.server_copy(key).model_copy(update={"payload": {**ws.server_copy(key).payload, "subject": "two"}})
    )
    assert ws.edited(key).payload["subject"] == "three"
    assert ws.update_for(key).body()["payload"]["subject"] == "three"


def test_reload_keeps_unsaved_edits() -> None:
    ws, key, _ = _workspace()
    ws.edit_payload(key, "subject", "mine")
    ws.set_variants(
        "s1",
        "st1",
        [Variant.model_validate({"id": "v1", "type": "Email", "payload": {"subject": "theirs", "content": ""}})],
    )
    assert ws.server_copy(key).payload["subject"] == "theirs"
    assert ws.edited(key).payload["subject"] == "mine"


def test_listeners_hear_edits() -> None:
    ws, key, _ = _workspace()
    heard: list[VariantKey] = []
    stop = ws.subscribe(heard.append)
    ws.edit_payload(key, "subject", "x")
    ws.discard(key)
    stop()
    ws.edit_payload(key, "subject", "y")
    assert heard == [key, key]
    assert ws.filter_sequences("renew")[0].id == "s2"


def test_invalid_edit_is_dirty_but_cannot_be_sent() -> None:
    import pytest

    from tui.session.workspace import InvalidEdit

    ws, _, task = _workspace()
    ws.edit(task, taskNote="x" * 3001)
    assert ws.is_dirty(task) and ws.changed_fields(task) == ["taskNote"]
    with pytest.raises(InvalidEdit, match="taskNote"):
        ws.update_for(task)


def test_a_field_the_server_left_empty_emptied_again_is_no_edit() -> None:
    """The form shows an absent (or null) text as empty and reports an emptied field as "":
    typed into and undone, it is the server's own state again, not a "" to send."""
    from tui.session.new_variants import blank_variant, fresh_variant, new_key

    ws, key, task = _workspace()
    ws.edit_payload(key, "preheader", "x")
    ws.edit_payload(key, "preheader", "")
    assert not ws.is_dirty(key) and "preheader" not in ws.edited(key).payload
    ws.edit_payload(key, "subject", "Hello")
    ws.edit_payload(key, "preheader", "")
    assert ws.update_for(key).body()["payload"] == {"subject": "Hello", "content": "<p>x</p>", "customKey": {"a": 1}}
    ws.discard(key)
    # A task note the server sent as null: emptied after typing, no edit either.
    ws.server_copy(task).taskNote = None
    ws.discard(task)
    ws.edit(task, taskNote="x")
    ws.edit(task, taskNote="")
    assert not ws.is_dirty(task)
    # A value the server has, emptied, is a change (clearing it), as before.
    ws.edit_payload(key, "subject", "")
    assert ws.update_for(key).body()["payload"]["subject"] == ""
    # A new variant's blank "server copy" has no keys: its emptied subject stays "" (required).
    step = ws.step("s1", "st1")
    assert step is not None
    new = new_key("s1", "st1")
    ws.add_new(new, blank_variant(new.variant_id, step.type), fresh_variant(new.variant_id, step.type))
    ws.edit_payload(new, "subject", "B")
    ws.edit_payload(new, "subject", "")
    assert ws.edited(new).payload["subject"] == ""


def test_a_variant_whose_step_is_not_loaded_is_named_by_a_copy_of_it() -> None:
    # Another window's draft, of a step this window has not loaded: its list entry named the step
    # and the variant by their ids ("step mMDi6pjfN2 · variant yqaNIvOB6T").
    ws, _, _ = _workspace()
    elsewhere = VariantKey("s2", "st9", "v9")
    copy = Variant.model_validate(
        {"id": "v9", "type": "Email", "absoluteDays": 5, "payload": {"subject": "Renewal [b]soon[/b]\x1b[2J"}}
    )
    assert ws.describe(elsewhere) == "Renewals · step st9 · variant v9"
    named = ws.describe(elsewhere, copy)
    assert named.startswith("Renewals · Day 5 Email · variant “Renewal [b]soon[/b]")
    assert "\x1b" not in named  # server text, made one plain line
    # Loaded steps still go by the step's own day and the variant's letter.
    assert ws.describe(VariantKey("s1", "st1", "v2"), copy) == "Q3 outreach · Day 1 Email · variant B"
