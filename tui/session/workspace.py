"""The editing session's data: what was loaded, what the person changed, what is unsaved.

Pure (no Textual): the app, the drafts journal and the validation panel all read from here.
For each loaded variant the workspace keeps the server's copy and the edited copy; a variant is
dirty when the two differ in a field the PATCH can carry. ``update_for`` turns the difference into
the PATCH body through :func:`tui.api.models.build_update`, so an unchanged variant sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from tui.api.channels import Channel, Priority, Status, UnknownChannel, variant_letter

if TYPE_CHECKING:
    from tui.api.models import Sequence, Step, Variant, VariantUpdate

# Start-up (benchmarks: network): the first frame, drawn from the cached listing, goes out
# before pydantic and the API models are imported (~50 ms). Nothing here needs them until a
# sequence, step or variant model is handed in, so they are imported where they are used.


def step_place(step: Step, day: int | None = None) -> str:
    """ "Day 3 Email": the step's day (``day`` when a variant's own copy says it, else
    :func:`step_day`) and channel, for messages and titles; the channel alone while no day is
    known (never "Day None")."""
    from tui.api.models import effective_day, step_day

    return place_words(effective_day(day, step_day(step)), step.type)


def place_words(day: int | None, channel: Channel | UnknownChannel) -> str:
    """ "Day 3 Email", or the channel alone while no day is known (never "Day None")."""
    return f"{'' if day is None else f'Day {day} '}{channel.label}"


def _payload_key_as_left(server: dict[str, Any], payload: dict[str, Any], name: str) -> None:
    """Put ``payload[name]`` back to the server's own state when both are empty text.

    The form shows a key the server did not send (or sent as null) as an empty field, and an
    emptied field (typed, then undone) reports "": that is the server's own state again, so the
    key goes back to it; "" would be a change, sent in the PATCH. (Not for a new variant: its
    "server copy" is a blank, and its fields keep what the form says.)"""
    from tui.api.models import empty_text

    if name in payload and empty_text(payload[name]) and empty_text(server.get(name)):
        if name in server:
            payload[name] = server[name]
        else:
            del payload[name]


def _note_as_left(server: Variant, note: str | None) -> str | None:
    """A task note emptied where the server's is null or "" is the server's own (as above)."""
    from tui.api.models import empty_text

    return server.taskNote if empty_text(note) and empty_text(server.taskNote) else note


class VariantKey(NamedTuple):
    """Where a variant lives: the three ids of its PATCH URL."""

    sequence_id: str
    step_id: str
    variant_id: str


def client_name(sequence: Sequence) -> str:
    """The client a sequence is for, as the tree shows it beside the title ('' when none)."""
    return sequence.client.display if sequence.client else ""


class SequenceRow(NamedTuple):
    """What a sequence's row in the tree shows. The listing cache keeps one per sequence beside
    the server's copy, so the next start draws the titles before the API models are imported
    (tui/session/listing_cache.py; benchmarks: network)."""

    id: str
    title: str
    active: bool
    client: str


def row_of(sequence: Sequence | SequenceRow) -> SequenceRow:
    """The row the tree shows for ``sequence`` (a row already is one)."""
    if isinstance(sequence, SequenceRow):
        return sequence
    return SequenceRow(sequence.id, sequence.title, sequence.active, client_name(sequence))


def sequence_matches(sequence: Sequence, text: str) -> bool:
    """Whether the filter ``text`` is in the sequence's title or its client's name (case-insensitive):
    the tree shows both, so a person filters by either."""
    needle = text.strip().casefold()
    return not needle or needle in sequence.title.casefold() or needle in client_name(sequence).casefold()


class UnknownVariant(KeyError):
    """A key the workspace has not loaded (or no longer has)."""


class InvalidEdit(ValueError):
    """The edits cannot become a PATCH body (a day out of range, a task note too long)."""


Listener = Callable[["VariantKey"], None]

PRIORITY_CYCLE = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)


@dataclass
class _Entry:
    server: Variant
    edited: Variant
    # What the last save sent: a save that comes back while the person kept typing must not
    # overwrite the newer edits.
    in_flight: Variant | None = None


class Workspace:
    """Sequences, their steps, and the server and edited copy of every loaded variant."""

    def __init__(self) -> None:
        self._sequences: dict[str, Sequence] = {}
        self._steps: dict[str, list[Step]] = {}
        self._entries: dict[VariantKey, _Entry] = {}
        self._listeners: list[Listener] = []
        # New variants not yet on the server (tui.session.new_variants), in the order they were
        # made: they follow the server's variants of their step, with the next letters.
        self._new: list[VariantKey] = []

    # -- listeners: seams for the drafts journal and the validation panel --------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(key)`` whenever a variant's edited or server copy changes.

        Returns a function that unsubscribes.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _changed(self, key: VariantKey) -> None:
        for listener in list(self._listeners):
            listener(key)

    # -- sequences ------------------------------------------------------------------------------

    @property
    def sequences(self) -> list[Sequence]:
        """Every loaded sequence, in the order they arrived."""
        return list(self._sequences.values())

    def add_sequences(self, sequences: Iterable[Sequence]) -> list[Sequence]:
        """Add or refresh sequences; returns the ones that were new."""
        new = []
        for sequence in sequences:
            if sequence.id not in self._sequences:
                new.append(sequence)
            self._sequences[sequence.id] = sequence
        return new

    def sequence(self, sequence_id: str) -> Sequence | None:
        return self._sequences.get(sequence_id)

    def forget_sequences(self, sequence_ids: Iterable[str]) -> None:
        """Drop sequences the server no longer lists (a cached listing's), and their steps;
        variants with unsaved edits keep their entries (and drafts)."""
        for sequence_id in sequence_ids:
            self._sequences.pop(sequence_id, None)
            self._steps.pop(sequence_id, None)

    def filter_sequences(self, text: str) -> list[Sequence]:
        """Loaded sequences whose title or client name contains ``text`` (see :func:`sequence_matches`)."""
        if not text.strip():
            return self.sequences
        return [seq for seq in self._sequences.values() if sequence_matches(seq, text)]

    # -- steps and variants ----------------------------------------------------------------------

    def steps(self, sequence_id: str) -> list[Step] | None:
        """The loaded steps of a sequence, ordered by day; None when not loaded yet."""
        return self._steps.get(sequence_id)

    def set_steps(self, sequence_id: str, steps: Iterable[Step]) -> None:
        """Store a sequence's steps and the server copy of each variant.

        A variant with unsaved edits keeps them: only its server copy is refreshed.
        """
        ordered = sorted(steps, key=lambda s: (s.absoluteDays or 0, s.number or 0))
        self._steps[sequence_id] = ordered
        for step in ordered:
            self._store_variants(sequence_id, step, step.variants)

    def set_variants(self, sequence_id: str, step_id: str, variants: Iterable[Variant]) -> None:
        """Replace one step's variants with a fresh listing from the server."""
        step = self.step(sequence_id, step_id)
        variants = list(variants)
        if step is None:
            return
        self._store_variants(sequence_id, step, variants)

    def _store_variants(self, sequence_id: str, step: Step, variants: list[Variant]) -> None:
        from tui.api.models import fill_unknown

        kept = []
        for variant in variants:
            key = VariantKey(sequence_id, step.id, variant.id)
            entry = self._entries.get(key)
            if entry is not None:
                # A thinner read (GET …/steps/{stepId}) leaves unknown what a fuller one showed.
                variant = fill_unknown(variant, entry.server)
            kept.append(variant)
            if entry is None or not self._differs(entry):
                self._entries[key] = _Entry(server=variant, edited=variant.model_copy(deep=True))
            else:
                entry.server = variant
            self._changed(key)
        step.variants = kept + self._new_of(sequence_id, step.id)

    def _new_of(self, sequence_id: str, step_id: str) -> list[Variant]:
        return [
            self._entries[key].server
            for key in self._new
            if key.sequence_id == sequence_id and key.step_id == step_id and key in self._entries
        ]

    def add_new(self, key: VariantKey, blank: Variant, edited: Variant) -> None:
        """Open a new variant (not yet on the server) whose server copy is ``blank``."""
        self._entries[key] = _Entry(server=blank, edited=edited)
        if key not in self._new:
            self._new.append(key)
        step = self.step(key.sequence_id, key.step_id)
        if step is not None and all(variant.id != key.variant_id for variant in step.variants):
            step.variants = [*step.variants, blank]
        self._changed(key)

    def drop_new(self, key: VariantKey) -> None:
        """Forget a new variant (added on the server, or thrown away)."""
        if key in self._new:
            self._new.remove(key)
        self._entries.pop(key, None)
        step = self.step(key.sequence_id, key.step_id)
        if step is not None:
            step.variants = [variant for variant in step.variants if variant.id != key.variant_id]
        self._changed(key)

    def new_keys(self) -> list[VariantKey]:
        return list(self._new)

    def step(self, sequence_id: str, step_id: str) -> Step | None:
        for step in self._steps.get(sequence_id) or ():
            if step.id == step_id:
                return step
        return None

    def variant_keys(self, sequence_id: str, step_id: str) -> list[VariantKey]:
        """The keys of a step's variants, in their A, B, … order."""
        step = self.step(sequence_id, step_id)
        if step is None:
            return []
        return [VariantKey(sequence_id, step_id, v.id) for v in step.variants]

    def letter(self, key: VariantKey) -> str:
        """The variant's letter: its position within the step."""
        keys = self.variant_keys(key.sequence_id, key.step_id)
        return variant_letter(keys.index(key)) if key in keys else "?"

    def where(self, key: VariantKey) -> str:
        """Where a variant lives, for messages: "Sequence title › Day 3 Email" (plain text)."""
        from tui.text.safe_text import one_line

        sequence = self.sequence(key.sequence_id)
        step = self.step(key.sequence_id, key.step_id)
        parts = [one_line(sequence.title, 40) if sequence is not None else key.sequence_id]
        if step is not None:
            # The server's copy of the variant first: right after a save that moved the step,
            # the listing's step still has the old day until the steps are read again.
            parts.append(step_place(step, self.server_copy(key).absoluteDays if self.has(key) else None))
        return " › ".join(parts)

    def day_of(self, key: VariantKey) -> int | None:
        """The day the edited variant is on (:func:`effective_day`): what the form shows, so a
        day typed in the form that equals it is no edit."""
        from tui.api.models import effective_day, step_day

        return effective_day(self.edited(key).absoluteDays, step_day(self.step(key.sequence_id, key.step_id)))

    def describe(self, key: VariantKey, copy: Variant | None = None) -> str:
        """Sequence · step · variant, in words, for lists and titles (plain text).

        ``copy``: a copy of the variant held elsewhere (a draft's), which names its step and
        itself while the step is not loaded here (another window's draft) rather than their ids.
        """
        from tui.text.safe_text import one_line

        sequence = self.sequence(key.sequence_id)
        parts = [one_line(sequence.title, 60) if sequence else f"sequence {one_line(key.sequence_id, 20)}"]
        step = self.step(key.sequence_id, key.step_id)
        if step is not None:
            parts.append(step_place(step))
            parts.append(f"variant {self.letter(key)}" if self.has(key) else f"variant {one_line(key.variant_id, 20)}")
        elif copy is not None:
            parts.append(place_words(copy.absoluteDays, copy.type))
            headline = one_line(copy.headline, 40)
            parts.append(f"variant “{headline}”" if headline else f"variant {one_line(key.variant_id, 20)}")
        else:
            parts.append(f"step {one_line(key.step_id, 20)}")
            parts.append(f"variant {one_line(key.variant_id, 20)}")
        return " · ".join(parts)

    def day_move(self, key: VariantKey, day: int | None) -> str | None:
        """What sending ``absoluteDays = day`` for ``key`` does, in words, or None if it moves
        nothing: the day belongs to the step, so every variant of it moves (plain text)."""
        from tui.api.models import step_day

        step = self.step(key.sequence_id, key.step_id)
        if day is None or step is None or day == step_day(step):
            return None
        count = len(step.variants)
        place = step_place(step)
        if count <= 1:
            return f"Day is a step setting: this moves the step {place} (its one variant) to day {day}."
        return f"Day is a step setting: this moves all {count} variants of {place} to day {day}, not variant {self.letter(key)} alone."

    def channel(self, key: VariantKey) -> Channel | UnknownChannel:
        return self._entry(key).server.type

    def has(self, key: VariantKey) -> bool:
        return key in self._entries

    def _entry(self, key: VariantKey) -> _Entry:
        try:
            return self._entries[key]
        except KeyError:
            raise UnknownVariant(key) from None

    def server_copy(self, key: VariantKey) -> Variant:
        """The variant as the server last returned it."""
        return self._entry(key).server

    def edited(self, key: VariantKey) -> Variant:
        """The variant with the person's edits (the server copy when there are none)."""
        return self._entry(key).edited

    # -- editing ----------------------------------------------------------------------------------

    def set_edited(self, key: VariantKey, variant: Variant) -> None:
        """Replace the edited copy (the form and the drafts journal call this)."""
        entry = self._entry(key)
        entry.edited = variant
        self._changed(key)

    def edit(self, key: VariantKey, **fields: Any) -> Variant:
        """Change top-level fields of the edited copy; returns the new edited copy."""
        entry = self._entry(key)
        if fields.get("taskNote") is not None and key not in self._new:
            fields["taskNote"] = _note_as_left(entry.server, fields["taskNote"])
        edited = entry.edited.model_copy(update=fields, deep=True)
        self.set_edited(key, edited)
        return edited

    def edit_payload(self, key: VariantKey, name: str, value: Any) -> Variant:
        """Change one payload key, keeping every other key (known or not) as it is."""
        entry = self._entry(key)
        payload = dict(entry.edited.payload)
        payload[name] = value
        if key not in self._new:
            _payload_key_as_left(entry.server.payload, payload, name)
        return self.edit(key, payload=payload)

    def settled(self, key: VariantKey, variant: Variant) -> Variant:
        """``variant`` (an edited copy of ``key`` from elsewhere: a draft) as the form's edits
        leave it: every text field emptied where the server left it empty is the server's own
        state again (what :meth:`edit_payload` and :meth:`edit` do to each edit as it is made)."""
        if key in self._new:
            return variant
        server = self._entry(key).server
        payload = dict(variant.payload)
        for name in list(payload):
            _payload_key_as_left(server.payload, payload, name)
        update: dict[str, Any] = {"payload": payload}
        if variant.taskNote is not None:
            update["taskNote"] = _note_as_left(server, variant.taskNote)
        return variant.model_copy(update=update, deep=True)

    def toggle_status(self, key: VariantKey) -> Variant:
        """Active ⇄ paused."""
        current = self._entry(key).edited.status
        return self.edit(key, status=int(Status.PAUSED if current == Status.ACTIVE else Status.ACTIVE))

    def cycle_priority(self, key: VariantKey) -> Variant:
        """Urgent → High → Normal → Low → Urgent (unset starts at Urgent)."""
        current = self._entry(key).edited.priority
        index = PRIORITY_CYCLE.index(current) + 1 if current in PRIORITY_CYCLE else 0
        return self.edit(key, priority=PRIORITY_CYCLE[index % len(PRIORITY_CYCLE)])

    def discard(self, key: VariantKey) -> None:
        """Drop the edits: the edited copy becomes the server copy again (a new variant goes)."""
        if key in self._new:
            self.drop_new(key)
            return
        entry = self._entry(key)
        entry.edited = entry.server.model_copy(deep=True)
        self._changed(key)

    # -- saving -----------------------------------------------------------------------------------

    def update_for(self, key: VariantKey) -> VariantUpdate:
        """The PATCH body for the variant: changed fields only (empty when unchanged).

        Raises :class:`InvalidEdit` when an edit cannot be sent at all.
        """
        from pydantic import ValidationError

        from tui.api.models import build_update, describe_validation_error

        entry = self._entry(key)
        try:
            return build_update(entry.server, entry.edited)
        except ValidationError as exc:
            raise InvalidEdit(describe_validation_error(exc)) from None

    def changed_fields(self, key: VariantKey) -> list[str]:
        """Which PATCH fields the edits change (never raises on invalid values)."""
        from tui.api.models import changed_fields

        entry = self._entry(key)
        return changed_fields(entry.server, entry.edited)

    def _differs(self, entry: _Entry) -> bool:
        from tui.api.models import changed_fields

        return bool(changed_fields(entry.server, entry.edited))

    def is_dirty(self, key: VariantKey) -> bool:
        entry = self._entries.get(key)
        return entry is not None and self._differs(entry)

    def dirty_keys(self) -> list[VariantKey]:
        """Every variant with unsaved edits: the one place that decides what asks before leaving."""
        return [key for key, entry in self._entries.items() if self._differs(entry)]

    def begin_save(self, key: VariantKey) -> VariantUpdate:
        """Note what is being sent and return its PATCH body."""
        update = self.update_for(key)
        self._entry(key).in_flight = self._entry(key).edited.model_copy(deep=True)
        return update

    def apply_saved(self, key: VariantKey, server_copy: Variant) -> None:
        """The server accepted the save and returned ``server_copy``: it becomes the base.

        Edits made while the save was in flight are kept on top of it.
        """
        entry = self._entry(key)
        sent, entry.in_flight = entry.in_flight, None
        entry.server = server_copy
        if sent is None or entry.edited == sent:
            entry.edited = server_copy.model_copy(deep=True)
        step = self.step(key.sequence_id, key.step_id)
        if step is not None:
            step.variants = [server_copy if v.id == key.variant_id else v for v in step.variants]
        self._changed(key)

    def save_failed(self, key: VariantKey) -> None:
        """The save did not go through: the edits stay as they are."""
        self._entry(key).in_flight = None

    def rebase(self, key: VariantKey, server_copy: Variant, edited: Variant) -> None:
        """A conflict was resolved: ``server_copy`` (re-read) is the new base, ``edited`` the merge."""
        entry = self._entry(key)
        entry.server = server_copy
        entry.edited = edited
        entry.in_flight = None
        step = self.step(key.sequence_id, key.step_id)
        if step is not None:
            step.variants = [server_copy if v.id == key.variant_id else v for v in step.variants]
        self._changed(key)
