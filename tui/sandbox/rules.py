"""The checks the sandbox makes on a variant PATCH or POST body, as the real API would.

Pure functions over plain data: :func:`check_variant_body` returns one message per broken rule,
each naming the rule, so the server can reject the whole request before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.api.channels import ABSOLUTE_DAYS_RANGE, TASK_NOTE_LIMIT, TEXT_KEYS, Channel, Priority, UnknownChannelError
from tui.text.addresses import invalid_addresses

PATCH_KEYS = ("status", "taskNote", "payload", "absoluteDays", "attachmentIds", "type", "assigneeId", "priority")
# Payload keys whose values must be text: each channel's main text (the channel table's), the
# subject lines and Custom's title; ``action`` (Custom) is an object and is left alone.
TEXT_PAYLOAD_KEYS = frozenset({"subject", "preheader", "title", *TEXT_KEYS})


@dataclass(frozen=True)
class VariantContext:
    """What the rules need to know about the account around the variant being written."""

    channel: Channel
    other_email_days: frozenset[int] = frozenset()
    attachment_ids: frozenset[str] = frozenset()
    assignee_ids: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> str:
    return f"{len(value)} characters"


def check_payload(payload: Any, channel: Channel) -> list[str]:
    """Rules on a whole payload object for ``channel``: keys, required keys, text types, limits."""
    info = channel.info
    if not isinstance(payload, dict):
        return ["payload must be an object"]
    problems: list[str] = []
    allowed = info.allowed_payload_keys
    for key in payload:
        if key not in allowed:
            shown = ", ".join(sorted(allowed)) or "none"
            problems.append(f"payload key '{key}' is not allowed on {channel.value} variants (allowed: {shown})")
    for key in info.required_keys:
        if key not in payload:
            problems.append(f"payload.{key} is required on {channel.value} variants")
    for key, value in payload.items():
        if key in TEXT_PAYLOAD_KEYS and key in allowed and not isinstance(value, str):
            problems.append(f"payload.{key} must be a string")
    for key, limit in info.limits.items():
        value = payload.get(key)
        if isinstance(value, str) and len(value) > limit:
            problems.append(f"payload.{key} is over the {limit}-character limit of {channel.value} ({_count(value)})")
    return problems


def check_variant_body(body: Any, context: VariantContext, *, adding: bool = False) -> list[str]:
    """Every rule the API enforces on a variant body; an empty list means it may be written.

    ``adding`` is for ``POST …/variants``, where ``type`` and ``payload`` are required.
    """
    if not isinstance(body, dict):
        return ["the request body must be a JSON object"]
    channel = context.channel
    problems: list[str] = []
    unknown = [key for key in body if key not in PATCH_KEYS]
    if unknown:
        problems.append(
            f"unknown field(s) {', '.join(repr(key) for key in unknown)}: allowed are {', '.join(PATCH_KEYS)}"
        )
    if adding:
        for key in ("type", "payload"):
            if key not in body:
                problems.append(f"{key} is required when adding a variant")

    if "status" in body and not (_is_int(body["status"]) and body["status"] in (0, 1)):
        problems.append("status must be 0 (paused) or 1 (active)")

    if "taskNote" in body:
        note = body["taskNote"]
        if channel is Channel.EMAIL and note is not None:
            problems.append("taskNote is not allowed on Email variants")
        elif note is not None and not isinstance(note, str):
            problems.append("taskNote must be a string")
        elif isinstance(note, str) and len(note) > TASK_NOTE_LIMIT:
            problems.append(f"taskNote is over the {TASK_NOTE_LIMIT}-character limit ({_count(note)})")

    if "payload" in body:
        problems.extend(check_payload(body["payload"], channel))

    if "absoluteDays" in body:
        day = body["absoluteDays"]
        low, high = ABSOLUTE_DAYS_RANGE
        if not _is_int(day) or not low <= day <= high:
            problems.append(f"absoluteDays must be a whole number from {low} to {high}")
        elif channel is Channel.EMAIL and day in context.other_email_days:
            problems.append(f"absoluteDays {day} already holds an Email step in this sequence (one Email step per day)")

    if "attachmentIds" in body:
        ids = body["attachmentIds"]
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            problems.append("attachmentIds must be a list of strings")
        elif not channel.info.attachments:
            problems.append(f"attachmentIds are not allowed on {channel.value} variants (Email only)")
        else:
            missing = [item for item in ids if item not in context.attachment_ids]
            if missing:
                problems.append(f"attachmentIds: unknown attachment id(s) {', '.join(missing)}")

    if "priority" in body:
        raw = body["priority"]
        try:
            if isinstance(raw, bool) or not isinstance(raw, (str, int)):
                raise ValueError
            Priority.parse(raw)
        except ValueError:
            problems.append("priority must be Urgent, High, Normal or Low (or 1 to 4)")

    if "type" in body:
        try:
            sent = Channel.parse(body["type"])
        except UnknownChannelError:
            problems.append("type is not a known channel")
        else:
            if sent is not channel:
                problems.append(f"type {sent.value} does not match the step's channel {channel.value}")

    if "assigneeId" in body:
        who = body["assigneeId"]
        if not isinstance(who, str):
            problems.append("assigneeId must be a string")
        elif who not in context.assignee_ids:
            problems.append(f"assigneeId {who} is not a known assignee")
    return problems


# The vendor's words when the sender is not one of the sequence's (kept verbatim: the client
# recognises the refusal by them).
NOT_CONNECTED = "Please connect email account with this sequence"
TEST_EMAIL_KEYS = ("fromEmailAccountId", "to", "subject", "content", "preheader")
MAX_TEST_RECIPIENTS = 5


def check_test_email(body: Any, senders: frozenset[str]) -> list[str]:
    """The rules on a ``POST /v1/sequences/{id}/test-email`` body; ``senders`` are the ids of the
    email accounts connected to the sequence."""
    if not isinstance(body, dict):
        return ["the request body must be a JSON object"]
    problems: list[str] = []
    unknown = [key for key in body if key not in TEST_EMAIL_KEYS]
    if unknown:
        problems.append(f"unknown field(s) {', '.join(repr(key) for key in unknown)}")
    sender = body.get("fromEmailAccountId")
    if not isinstance(sender, str) or not sender:
        problems.append("fromEmailAccountId is required")
    elif sender not in senders:
        problems.append(NOT_CONNECTED)
    to = body.get("to")
    recipients = [to] if isinstance(to, str) else to
    if not isinstance(recipients, list) or not recipients or not all(isinstance(item, str) for item in recipients):
        problems.append("to must be an email address or a list of them")
    else:
        bad = invalid_addresses(recipients)
        if bad:
            problems.append(f"to: not an email address: {', '.join(bad)}")
        if len(recipients) > MAX_TEST_RECIPIENTS:
            problems.append(f"to: at most {MAX_TEST_RECIPIENTS} recipients")
    for key in ("subject", "content"):
        if not isinstance(body.get(key), str):
            problems.append(f"{key} is required and must be a string")
    if isinstance(body.get("content"), str) and not body["content"].strip():
        problems.append("content must not be empty")
    if "preheader" in body and body["preheader"] is not None and not isinstance(body["preheader"], str):
        problems.append("preheader must be a string")
    return problems
