"""New variants (A/B testing) before and while they are added: pure, no Textual.

A new variant lives in the workspace like any other, under a key whose variant id is local
(``+`` and a random token, never a server id: hashids have no ``+``). Its server copy is a blank
of the step's channel, so it is always "dirty" and the drafts journal keeps it like any edit;
a restart finds the draft and puts the new variant back. Saving it is a POST
(:func:`add_new_variant`): the body is :func:`add_body` (``type``, ``payload`` and only the
optional fields that are set), and the server's variant is re-read and takes its place.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.api.channels import Channel, Status, UnknownChannel, VariantSlots, variant_slots
from tui.api.errors import ApiError, ValidationFailed
from tui.api.models import AddVariant, Variant, VariantUpdate, known_fields
from tui.session.workspace import VariantKey, Workspace

if TYPE_CHECKING:
    from tui.api.client import SaleshandyClient

NEW_PREFIX = "+"


def is_new(key: VariantKey | str) -> bool:
    """Whether ``key`` (or a variant id) is a variant not yet on the server."""
    variant_id = key if isinstance(key, str) else key.variant_id
    return variant_id.startswith(NEW_PREFIX)


def new_key(sequence_id: str, step_id: str) -> VariantKey:
    return VariantKey(sequence_id, step_id, NEW_PREFIX + secrets.token_hex(4))


def blank_variant(variant_id: str, channel: Channel | UnknownChannel) -> Variant:
    """The "server copy" of a new variant: nothing, so every field the person sets is an edit."""
    # Every field given, so each is "known" (empty), not "not shown by the server".
    return Variant.model_validate(
        {
            "id": variant_id,
            "type": channel.wire,
            "payload": {},
            "status": None,
            "taskNote": None,
            "attachmentIds": [],
            "priority": None,
            "assigneeId": None,
            "absoluteDays": None,
        }
    )


def fresh_variant(variant_id: str, channel: Channel | UnknownChannel, *, status: int = Status.ACTIVE) -> Variant:
    """An empty variant of ``channel`` with its required payload keys, ready for the form."""
    payload: dict[str, Any] = {name: "" for name in channel.info.payload_keys}
    data: dict[str, Any] = {"id": variant_id, "type": channel.wire, "payload": payload, "status": int(status)}
    if channel.info.attachments:
        data["attachmentIds"] = []  # a new variant's list is known: it has none
    # Known too: not set (the server's default), not "not shown by the server".
    data.update(priority=None, assigneeId=None)
    return Variant.model_validate(data)


def server_own_payload_keys(source: Variant) -> list[str]:
    """The payload keys of ``source`` a duplicate does not copy: keys its channel is not
    documented to take, which only the server can have put there (the vendor's ``templateId``).

    They are the server's own for ``source`` and go back on a PATCH of it; for a new variant the
    server showed none, so a POST would send what it did not show (another variant's template
    id), and the rules rightly count them as added by the draft (api.payload-keys). An unknown
    channel keeps all (nothing is known of what it takes; its save is blocked anyway)."""
    if isinstance(source.type, UnknownChannel):
        return []
    allowed = source.type.info.allowed_payload_keys
    return [name for name in source.payload if name not in allowed]


def without_server_own(variant: Variant) -> Variant:
    """``variant`` without :func:`server_own_payload_keys`: what a new variant may hold (a
    duplicate is made so; a draft of one written before that is restored so)."""
    server_own = set(server_own_payload_keys(variant))
    if not server_own:
        return variant
    payload = {name: value for name, value in variant.payload.items() if name not in server_own}
    return variant.model_copy(update={"payload": payload}, deep=True)


def left_out_of_copy(source: Variant) -> list[str]:
    """What :func:`duplicate_variant` does not copy from ``source``, said for a person (empty
    when it copies everything)."""
    left_out = [f"{name} (the server's own)" for name in server_own_payload_keys(source)]
    known = known_fields(source)
    if source.type.info.attachments and "attachmentIds" not in known:
        left_out.append("attachments (the server never showed the list)")
    unshown = [label for name, label in (("priority", "priority"), ("assigneeId", "assignee")) if name not in known]
    if source.type.info.generates_task and unshown:
        left_out.append(f"{' and '.join(unshown)} (not shown by the server; the new one's is not set)")
    return left_out


def duplicate_variant(source: Variant, variant_id: str, *, status: int = Status.ACTIVE) -> Variant:
    """A copy of ``source`` as a new variant: payload (but :func:`server_own_payload_keys`),
    task note, priority, assignee; the attachments only when the server showed their list.
    See :func:`left_out_of_copy`."""
    data: dict[str, Any] = {
        "id": variant_id,
        "type": source.type.wire,
        "payload": dict(without_server_own(source).payload),
        "status": int(status),
    }
    if source.taskNote is not None:
        data["taskNote"] = source.taskNote
    # A priority or assignee no read returned is not copied: the new variant's own is not set.
    data["priority"] = source.priority
    data["assigneeId"] = source.assigneeId
    if source.type.info.attachments:
        # The new variant's own list is known either way: the source's when the server showed
        # it, else none (copying an unknown list is impossible; the person is told).
        known = "attachmentIds" in known_fields(source)
        data["attachmentIds"] = list(source.attachmentIds) if known else []
        if known:
            data["attachments"] = [item.model_dump() for item in source.attachments]
    return Variant.model_validate(data)


def step_slots(
    workspace: Workspace, sequence_id: str, step_id: str, *, leave_out: VariantKey | None = None
) -> VariantSlots:
    """The room in a step for one more variant, counting the server's variants and the new ones
    already open (except ``leave_out``, the one being checked)."""
    step = workspace.step(sequence_id, step_id)
    channel = step.type if step is not None else Channel.EMAIL
    statuses = [
        workspace.edited(key).status
        for key in workspace.variant_keys(sequence_id, step_id)
        if key != leave_out and workspace.has(key)
    ]
    return variant_slots(channel, statuses)


def add_body(variant: Variant) -> AddVariant:
    """The POST body for a new variant: ``type``, ``payload``, and only the optional fields set
    (a task note where the channel has one, attachments, priority, assignee; ``status: 0``
    only to add it paused). Raises pydantic's ValidationError on a value the API cannot take."""
    info = variant.type.info
    # An optional key left empty (a preheader) is not sent: a new variant has nothing to clear.
    payload = {
        name: value for name, value in variant.payload.items() if name in info.required_keys or value not in ("", None)
    }
    fields: dict[str, Any] = {"type": variant.type.wire, "payload": payload}
    if info.task_note and variant.taskNote:
        fields["taskNote"] = variant.taskNote
    if info.attachments and variant.attachmentIds:
        fields["attachmentIds"] = list(variant.attachmentIds)
    if variant.priority is not None:
        fields["priority"] = variant.priority
    if variant.assigneeId:
        fields["assigneeId"] = variant.assigneeId
    if variant.status == Status.PAUSED:
        fields["status"] = 0
    return AddVariant.model_validate(fields)


def as_posted(variant: Variant) -> Variant:
    """``variant`` as :func:`add_body` sends it, for the review's list of changes: an empty
    optional payload key (a preheader left empty) is not sent, so it is no change either."""
    return variant.model_copy(update={"payload": add_body(variant).payload}, deep=True)


@dataclass
class AddOutcome:
    """What adding a new variant came to: ``key`` is the server's variant when it is known."""

    ok: bool
    text: str
    key: VariantKey | None = None
    variant: Variant | None = None
    # The POST went through (the re-read may still have failed).
    sent: bool = False
    refused: bool = False  # the server refused it (a rule), not a network or server failure


def _found(before: Iterable[str], after: list[Variant], answered: str | None) -> Variant | None:
    if answered is not None:
        return next((item for item in after if item.id == answered), None)
    fresh = [item for item in after if item.id not in set(before)]
    return fresh[0] if len(fresh) == 1 else None


def active_to_pause(workspace: Workspace, key: VariantKey) -> VariantKey | None:
    """The one active variant that keeps the new variant ``key`` from being added active (a
    channel with one active variant), else None: the review offers to pause it in the same save."""
    slots = step_slots(workspace, key.sequence_id, key.step_id, leave_out=key)
    if workspace.edited(key).status != Status.ACTIVE or slots.active_refusal is None:
        return None
    active = [
        other
        for other in workspace.variant_keys(key.sequence_id, key.step_id)
        if other != key and not is_new(other) and workspace.server_copy(other).status == Status.ACTIVE
    ]
    return active[0] if len(active) == 1 else None


async def add_new_variant(
    client: SaleshandyClient, workspace: Workspace, key: VariantKey, *, pause: VariantKey | None = None
) -> AddOutcome:
    """POST the new variant ``key``, re-read its step and put the server's variant in its place;
    ``pause``: a variant of the step PATCHed to paused first (one active variant per step).

    On any failure the new variant stays in the workspace (and in the drafts) as it was.
    """
    body = add_body(workspace.edited(key))
    step = workspace.step(key.sequence_id, key.step_id)
    before = [item.id for item in step.variants] if step is not None else []
    paused = ""
    if pause is not None:
        letter = workspace.letter(pause)
        try:
            await client.update_variant(*pause, VariantUpdate(status=0))
        except ApiError as exc:
            return AddOutcome(
                False,
                f"Pausing variant {letter} failed, so nothing was added: {exc}",
                refused=isinstance(exc, ValidationFailed),
            )
        paused = f"Variant {letter} was paused. "
    try:
        answer = await client.add_variant(key.sequence_id, key.step_id, body)
    except ApiError as exc:
        refused = isinstance(exc, ValidationFailed)
        why = "The server refused the new variant" if refused else "The new variant was not added"
        return AddOutcome(False, f"{paused}{why}: {exc}", refused=refused)
    answered = answer.id if isinstance(answer, Variant) else None
    # It is on the server now: the local copy goes (keeping it would let a second save add it twice).
    workspace.drop_new(key)
    try:
        listing = await client.list_variants(key.sequence_id, key.step_id)
    except ApiError as exc:
        return AddOutcome(
            True,
            f"The variant was added, but reading the step again failed ({exc}); press r on the step to reload it.",
            sent=True,
        )
    found = _found(before, listing.items, answered)
    workspace.set_variants(key.sequence_id, key.step_id, listing.items)
    if found is None:
        return AddOutcome(
            True,
            "The variant was added; the server's listing did not say which one it is, so the step was reloaded.",
            sent=True,
        )
    real = VariantKey(key.sequence_id, key.step_id, found.id)
    return AddOutcome(True, f"{paused}Added variant {workspace.letter(real)}.", key=real, variant=found, sent=True)
