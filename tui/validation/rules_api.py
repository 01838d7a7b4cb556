"""What the API rejects: payload shape, task notes, attachments, days, status, priority, type,
and the channels' hard length limits. All errors: a save would fail."""

from __future__ import annotations

from typing import Any

from tui.api.channels import (
    ABSOLUTE_DAYS_RANGE,
    TASK_NOTE_LIMIT,
    Channel,
    Priority,
    Status,
    UnknownChannel,
    variant_slots,
)
from tui.api.models import effective_day

from .context import Context
from .findings import Finding
from .report import finding, plural


def check_api(draft: Any, ctx: Context) -> list[Finding]:
    """Every API rejection for ``draft`` as a variant of a ``ctx.channel`` step."""
    found: list[Finding] = []
    info = ctx.channel.info
    unknown = next(
        (kind for kind in (ctx.channel, getattr(draft, "type", None)) if isinstance(kind, UnknownChannel)), None
    )
    if unknown is not None:
        # Nothing else can be checked against a channel whose rules are unknown; a save that
        # sends none of its content (a pause, a day, an assignee) needs none of those rules.
        if ctx.kept_from_server >= _CHANNEL_CONTENT:
            return [
                finding(
                    "api.value-kept",
                    "type",
                    f"The server calls this variant's channel {_show(unknown.raw)}, which seqedit does not know; "
                    "its text is kept as the server has it and only what you change is sent",
                    "Change its status, day or assignee here; edit its text in Saleshandy's web app",
                )
            ]
        return [
            finding(
                "api.channel-unknown",
                "type",
                f"The server calls this variant's channel {_show(unknown.raw)}, which seqedit does not know; "
                "saving is refused because what the API takes for it cannot be checked",
                "Edit this variant in Saleshandy's web app, or update seqedit",
                threshold="the 15 documented channels",
            )
        ]
    found += _payload(draft, ctx)
    found += _variant_slots(draft, ctx)
    note = getattr(draft, "taskNote", None)
    if not info.task_note and isinstance(note, str) and note != "":
        found.append(
            finding(
                "api.task-note-email",
                "taskNote",
                "Email variants cannot carry a task note; the API rejects it",
                "Clear the task note: Email is sent automatically, nobody reads it",
                (0, len(note)),
            )
        )
    if isinstance(note, str) and len(note) > TASK_NOTE_LIMIT:
        found.append(
            finding(
                "api.task-note-length",
                "taskNote",
                f"Task note is {len(note)} characters; the API allows {TASK_NOTE_LIMIT}",
                f"Cut {len(note) - TASK_NOTE_LIMIT} characters",
                (TASK_NOTE_LIMIT, len(note)),
                threshold=str(TASK_NOTE_LIMIT),
            )
        )
    elif note is not None and not isinstance(note, str):
        found.append(
            finding("api.task-note-length", "taskNote", "Task note is not text", "Write the note as plain text")
        )
    found += _attachments(draft, ctx)
    found += _days(draft, ctx)
    status = getattr(draft, "status", 1)
    if (isinstance(status, bool) or status not in (0, 1)) and "status" in ctx.kept_from_server:
        found.append(
            finding(
                "api.value-kept",
                "status",
                f"Status {_show(status)} is neither 0 (paused) nor 1 (active); it is kept as the server has it "
                "and not sent",
                "Set active or paused only if you mean to change it",
            )
        )
    elif isinstance(status, bool) or status not in (0, 1):
        found.append(
            finding(
                "api.status",
                "status",
                f"Status {_show(status)} is neither 0 (paused) nor 1 (active); seqedit will not save it",
                "Set the status to active (1) or paused (0)",
            )
        )
    priority = getattr(draft, "priority", None)
    if priority is not None and not isinstance(priority, Priority):
        try:
            Priority.parse(priority)
        except ValueError:
            kept = "priority" in ctx.kept_from_server
            found.append(
                finding(
                    "api.value-kept" if kept else "api.priority",
                    "priority",
                    f"Priority {_show(priority)} is not one the API documents; "
                    + ("it is kept as the server has it and not sent" if kept else "seqedit will not save it"),
                    "Pick Urgent, High, Normal or Low " + ("only if you mean to change it" if kept else "(or 1 to 4)"),
                )
            )
    kind = getattr(draft, "type", None)
    try:
        parsed = Channel.parse(kind) if kind is not None else ctx.channel
    except ValueError:
        parsed = None
    if parsed is not ctx.channel:
        shown = parsed.wire if parsed is not None else _show(kind)
        found.append(
            finding(
                "api.type-mismatch",
                "type",
                f"Type {shown} differs from the step's channel {ctx.channel.wire}",
                f"Set the type to {ctx.channel.wire}, or move the content to a {shown} step",
                threshold=str(ctx.channel.wire),
            )
        )
    return found


# What a variant of an unknown channel carries that only the channel's rules could check.
_CHANNEL_CONTENT = frozenset({"payload", "taskNote", "attachmentIds"})


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _payload(draft: Any, ctx: Context) -> list[Finding]:
    info = ctx.channel.info
    raw = getattr(draft, "payload", None)
    if not isinstance(raw, dict):
        return [
            finding(
                "api.payload-keys",
                "payload",
                f"The payload is not an object ({type(raw).__name__})",
                f"Send an object with the {info.label} keys: {', '.join(info.payload_keys) or 'none'}",
            )
        ]
    found = []
    allowed = info.allowed_payload_keys
    returned = ctx.server_payload_keys or frozenset()
    # A key the server itself returned goes back unchanged: at most a warning. Only keys the
    # draft adds that the channel does not take would be rejected.
    kept = [key for key in raw if key not in allowed and key in returned]
    foreign = [key for key in raw if key not in allowed and key not in returned]
    if kept:
        found.append(
            finding(
                "api.payload-keys-server",
                "payload",
                f"{plural(len(kept), 'payload key')} from the server that {info.label} is not documented to take: "
                f"{', '.join(map(str, kept))}; sent back unchanged",
                "Nothing to do; seqedit has no field for them and keeps them as the server sent them",
            )
        )
    if foreign:
        wanted = ", ".join(info.payload_keys) if info.payload_keys else "no keys ({})"
        found.append(
            finding(
                "api.payload-keys",
                "payload",
                f"{plural(len(foreign), 'payload key')} not allowed on {info.label}: {', '.join(map(str, foreign))}",
                f"Remove them; {info.label} takes {wanted}",
                threshold=wanted,
            )
        )
    for key in info.required_keys:
        if key not in raw or raw[key] is None:
            found.append(
                finding(
                    "api.required",
                    f"payload.{key}",
                    f"{info.label} needs payload.{key}; it is missing",
                    f"Add the {key}",
                    threshold=f"{key} required",
                )
            )
    for key, value in raw.items():
        if key in info.payload_keys and value is not None and not isinstance(value, str):
            found.append(
                finding(
                    "api.payload-keys",
                    f"payload.{key}",
                    f"payload.{key} is {type(value).__name__}, not text",
                    f"Write the {key} as text",
                )
            )
    for key, limit in info.limits.items():
        value = raw.get(key)
        if isinstance(value, str) and len(value) > limit:
            found.append(
                finding(
                    "api.limit",
                    f"payload.{key}",
                    f"{info.label} {key} is {len(value)} characters; the API allows {limit}",
                    f"Cut {len(value) - limit} characters",
                    (limit, len(value)),
                    threshold=str(limit),
                )
            )
    return found


def _attachments(draft: Any, ctx: Context) -> list[Finding]:
    ids = getattr(draft, "attachmentIds", None) or []
    replace = []
    if ctx.attachments_unknown:
        replace.append(
            finding(
                "api.attachments-replace",
                "attachmentIds",
                "The server never showed this variant's attachments: saving replaces the whole list with the "
                f"{plural(len(ids), 'attachment') if ids else 'empty list'} listed here; any other it has is removed",
                "Check the attachments in Saleshandy first, or add every file the variant should keep",
                threshold="attachmentIds replaces the whole list",
            )
        )
    if not isinstance(ids, (list, tuple)):
        return replace + [
            finding(
                "api.attachments-channel",
                "attachmentIds",
                "attachmentIds is not a list",
                "Send a list of attachment ids",
            )
        ]
    found = replace
    if ids and not ctx.channel.info.attachments:
        found.append(
            finding(
                "api.attachments-channel",
                "attachmentIds",
                f"{plural(len(ids), 'attachment')} on a {ctx.channel.label} variant; only Email variants take attachments",
                "Remove the attachments, or put the file on an Email step",
            )
        )
    elif ctx.attachment_ids is not None:
        for attachment in ids:
            if attachment not in ctx.attachment_ids:
                found.append(
                    finding(
                        "api.attachment-unknown",
                        "attachmentIds",
                        f"Attachment {_show(attachment)} is not one of the account's attachments",
                        "Remove it, or upload the file again to get a new id",
                    )
                )
    return found


def _variant_slots(draft: Any, ctx: Context) -> list[Finding]:
    """Room in the step: Email up to 26 variants, other channels one active (channels.variant_slots)."""
    if ctx.sibling_statuses is None or not isinstance(ctx.channel, Channel):
        return []
    slots = variant_slots(ctx.channel, ctx.sibling_statuses)
    found = []
    if ctx.adding and slots.refusal:
        found.append(
            finding(
                "api.variant-count",
                "type",
                slots.refusal[0].upper() + slots.refusal[1:],
                "Edit or pause an existing variant instead of adding one",
                threshold=f"{ctx.channel.info.max_variants} variants",
            )
        )
    active = getattr(draft, "status", None) == Status.ACTIVE
    if (ctx.adding or ctx.activating) and active and slots.active_refusal:
        found.append(
            finding(
                "api.one-active",
                "status",
                f"A {ctx.channel.info.label} step holds one active variant and another one is active",
                "Set this one paused (s), or pause the other variant first",
                threshold="1 active variant",
            )
        )
    return found


def _days(draft: Any, ctx: Context) -> list[Finding]:
    low, high = ABSOLUTE_DAYS_RANGE
    own = getattr(draft, "absoluteDays", None)
    found = []
    if own is not None and (isinstance(own, bool) or not isinstance(own, int) or not low <= own <= high):
        found.append(
            finding(
                "api.days-range",
                "absoluteDays",
                f"Day {_show(own)} is outside {low} to {high}",
                f"Pick a day from {low} to {high}",
                threshold=f"{low} to {high}",
            )
        )
        return found
    day = effective_day(own, ctx.day)
    if ctx.channel is Channel.EMAIL and isinstance(day, int):
        clashes = [
            step
            for step, channel, other_day in ctx.other_steps
            if channel is Channel.EMAIL and other_day == day and step != ctx.step_id
        ]
        if clashes:
            found.append(
                finding(
                    "api.days-email-clash",
                    "absoluteDays",
                    f"Day {day} already holds another Email step; each day takes one Email step",
                    "Move this step (or the other one) to a free day",
                )
            )
    return found
