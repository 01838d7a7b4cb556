"""What the engine needs to know beyond the draft: the step's channel and its neighbours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.api.channels import Channel, UnknownChannel
from tui.api.models import ProspectField, Step, step_day


@dataclass
class Context:
    """The draft's surroundings.

    ``other_steps`` are the (step_id, channel, day) of the sequence's other steps; ``fields``
    are the known merge-tag fields with their stored fallbacks (None: unknown, so the checks
    that need them are skipped); ``attachment_ids`` likewise. ``day`` is the step's own day,
    used when the draft carries no ``absoluteDays`` of its own. ``server_payload_keys`` are the
    payload keys the server returned for this variant (None: not read from a server, every key
    is the draft's own): those go back unchanged and are at most a warning.
    ``attachments_unknown``: the draft sends an attachment list although the server never
    showed the current one (the PATCH replaces it whole). ``kept_from_server``: the PATCH fields
    whose value is still the server's own, so a save does not send them: a status, priority or
    channel seqedit does not know blocks only a save that would send it (api.md's evidence).
    """

    channel: Channel | UnknownChannel
    first_email: bool = False
    step_id: str | None = None
    other_steps: list[tuple[str, Channel | UnknownChannel, int | None]] = field(default_factory=list)
    fields: list[ProspectField] | None = None
    attachment_ids: set[str] | None = None
    linkedin_free_account: bool = False
    day: int | None = None
    server_payload_keys: frozenset[str] | None = None
    attachments_unknown: bool = False
    # The step's other variants' statuses (None: not known, the variant rules are skipped);
    # ``adding``: the draft is a new variant (a POST); ``activating``: it turns active.
    sibling_statuses: list[object] | None = None
    adding: bool = False
    activating: bool = False
    kept_from_server: frozenset[str] = frozenset()


def first_email_step(steps: Iterable[Step]) -> Step | None:
    """The Email step that starts the thread: the earliest day, then the lowest number."""
    best: tuple[int, int, int] | None = None
    found: Step | None = None
    for position, step in enumerate(steps):
        if step.type is not Channel.EMAIL:
            continue
        day = step_day(step)
        key = (day if day is not None else 10**9, step.number if isinstance(step.number, int) else 10**9, position)
        if best is None or key < best:
            best, found = key, step
    return found


def context_for(
    sequence_steps: list[Step],
    step: Step,
    fields: list[ProspectField] | None = None,
    attachment_ids: Iterable[str] | None = None,
    *,
    linkedin_free_account: bool = False,
) -> Context:
    """Build the context for a variant of ``step`` within a sequence of ``sequence_steps``."""
    first = first_email_step(sequence_steps)
    if first is None and step.type is Channel.EMAIL:
        first = step
    others = [(other.id, other.type, step_day(other)) for other in sequence_steps if other.id != step.id]
    return Context(
        channel=step.type,
        first_email=first is not None and first.id == step.id,
        step_id=step.id,
        other_steps=others,
        fields=list(fields) if fields is not None else None,
        attachment_ids=set(attachment_ids) if attachment_ids is not None else None,
        linkedin_free_account=linkedin_free_account,
        day=step_day(step),
    )
