from __future__ import annotations

import pytest
from pydantic import ValidationError

from tui.api.channels import CHANNEL_INFO, Channel, Priority, UnknownChannelError, variant_letter
from tui.api.models import Sequence, Step, Variant, VariantUpdate, build_update, parse_items


def test_all_fifteen_channels_with_codes_and_labels() -> None:
    assert len(Channel) == 15
    assert sorted(channel.code for channel in Channel) == [1, 2, 3, 4, 5, 6, 9, 11, 12, 13, 14, 15, 16, 17, 18]
    assert Channel.parse(6).wire == "LinkedInPostInteration"
    assert Channel.parse("LinkedInPostInteration").label == "LinkedIn post interaction"
    assert Channel.parse("1") is Channel.EMAIL


@pytest.mark.parametrize("raw", [7, 8, 10, "Fax", None, True, 1.5])
def test_unknown_channels_are_refused(raw: object) -> None:
    with pytest.raises(UnknownChannelError):
        Channel.parse(raw)


def test_channel_facts() -> None:
    email = CHANNEL_INFO[Channel.EMAIL]
    assert email.attachments and not email.task_note and email.required_keys == ("subject", "content")
    assert CHANNEL_INFO[Channel.LINKEDIN_CONNECTION_REQUEST].limits["connectionNote"] == 300
    assert CHANNEL_INFO[Channel.LINKEDIN_INMAIL].limits == {"subject": 200, "message": 1900}
    assert "connectionNote" in CHANNEL_INFO[Channel.CALL_DEMO].allowed_payload_keys


def test_priority_accepts_codes_and_names() -> None:
    assert Priority.parse(1) is Priority.URGENT
    assert Priority.parse("low") is Priority.LOW
    assert Priority.parse("3") is Priority.NORMAL
    with pytest.raises(ValueError):
        Priority.parse(5)


def test_variant_is_tolerant_and_round_trips_unknown_keys() -> None:
    variant = Variant.model_validate(
        {
            "id": "v1",
            "type": 1,
            "payload": {"subject": "s", "content": "c", "future": {"x": 1}},
            "status": "1",
            "priority": 2,
            "attachmentIds": None,
            "newThing": [1],
        }
    )
    assert variant.type is Channel.EMAIL and variant.priority is Priority.HIGH and variant.attachmentIds == []
    dumped = variant.model_dump(mode="json")
    # The priority keeps the form the server wrote it in (issue 12 item 4): 2, not "High".
    assert dumped["type"] == "Email" and dumped["priority"] == 2 and dumped["newThing"] == [1]
    assert dumped["payload"]["future"] == {"x": 1}


def test_null_optional_objects_are_accepted() -> None:
    sequence = Sequence.model_validate({"id": "s", "title": "T", "active": None, "steps": None, "client": None})
    assert sequence.steps == [] and sequence.client is None and sequence.active is False


def test_one_bad_variant_does_not_hide_the_step() -> None:
    # Issue 12: an unknown channel code is kept (shown, refused at save time), not dropped;
    # an id that cannot be used in a URL still is one error line.
    step = Step.model_validate(
        {"id": "st", "type": "Email", "variants": [{"id": "a"}, {"id": "b", "type": 7}, {"id": "..", "type": 1}]}
    )
    assert [variant.id for variant in step.variants] == ["a", "b"]
    assert step.variants[1].type.label == "Unknown channel 7"
    assert len(step.load_errors) == 1 and "not a usable id" in step.load_errors[0]
    parsed = parse_items(Sequence, [{"id": "x"}, {"title": "no id"}, "junk"])
    assert len(parsed.items) == 1 and len(parsed.errors) == 2


def test_variant_update_serialises_only_what_was_set() -> None:
    assert VariantUpdate(status=0).body() == {"status": 0}
    assert VariantUpdate(priority=1, type="Email").body() == {"priority": "Urgent", "type": "Email"}
    assert VariantUpdate().empty


@pytest.mark.parametrize(
    "bad",
    [
        {"status": 2},
        {"taskNote": "x" * 3001},
        {"absoluteDays": 0},
        {"absoluteDays": 1000},
        {"priority": "Soon"},
        {"type": "Fax"},
        {"unknown": 1},
    ],
)
def test_variant_update_constraints(bad: dict) -> None:
    with pytest.raises(ValidationError):
        VariantUpdate(**bad)


def test_build_update_sends_changed_fields_and_whole_payload() -> None:
    original = Variant(id="v", type=Channel.EMAIL, payload={"subject": "a", "content": "c", "keep": 1})
    edited = original.model_copy(deep=True)
    assert build_update(original, edited).empty
    edited.payload["subject"] = "b"
    edited.status = 0
    assert build_update(original, edited).body() == {
        "payload": {"subject": "b", "content": "c", "keep": 1},
        "status": 0,
    }


def test_variant_letters() -> None:
    assert [variant_letter(i) for i in (0, 1, 25)] == ["A", "B", "Z"]
