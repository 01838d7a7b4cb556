"""tui.session.new_variants, pure: what a duplicate copies when the server showed only part of
the source (the vendor's reads: no priority, assignee or attachment list; its own templateId)."""

from __future__ import annotations

from tui.api.models import Variant, known_fields
from tui.session.new_variants import add_body, duplicate_variant, fresh_variant, left_out_of_copy


def _thin(**fields: object) -> Variant:
    """A variant as the vendor's GET …/steps/{stepId} returns it: the spec's fields only."""
    return Variant.model_validate({"id": "v1", "status": 1, **fields})


def test_a_duplicate_of_a_thin_email_read_copies_the_channels_keys_and_a_known_empty_list() -> None:
    source = _thin(type="Email", payload={"subject": "Hi", "content": "<p>x</p>", "templateId": 42})
    copy = duplicate_variant(source, "+new")
    assert copy.payload == {"subject": "Hi", "content": "<p>x</p>"}
    assert "attachmentIds" in known_fields(copy) and copy.attachmentIds == []
    assert left_out_of_copy(source) == [
        "templateId (the server's own)",
        "attachments (the server never showed the list)",
    ]
    assert add_body(copy).body() == {"type": "Email", "payload": {"subject": "Hi", "content": "<p>x</p>"}}


def test_a_duplicate_of_a_thin_task_read_has_its_own_unset_priority_and_assignee() -> None:
    source = _thin(type="CallDemo", payload={}, taskNote="Call")
    copy = duplicate_variant(source, "+new")
    # Known and unset (the server's default for a new variant), not "not shown by the server".
    assert {"priority", "assigneeId"} <= known_fields(copy) and copy.priority is None
    assert left_out_of_copy(source) == ["priority and assignee (not shown by the server; the new one's is not set)"]
    assert add_body(copy).body() == {"type": "CallDemo", "payload": {}, "taskNote": "Call"}
    # A source whose read did show them: copied, nothing said.
    full = _thin(type="CallDemo", payload={}, taskNote="Call", priority="High", assigneeId="u1")
    assert duplicate_variant(full, "+new").priority is not None and left_out_of_copy(full) == []
    fresh = fresh_variant("+n", source.type)
    assert {"priority", "assigneeId"} <= known_fields(fresh)
