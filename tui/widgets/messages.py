"""Messages that workers and widgets post upward; the main screen handles them with ``@on``.

Workers never touch widgets: they post one of these, and the handler updates the workspace,
the tree and the form on the event loop.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tui.session.workspace import VariantKey


class ClientReady(Message):
    """The API client is built (the demo sandbox may take a moment on first run)."""


class ClientFailed(Message):
    """The client could not be built; ``text`` says why (plain text)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SequencesPageLoaded(Message):
    """One page of sequences arrived. ``query`` is the title filter it answers ('' for all)."""

    def __init__(self, sequences: list[Any], *, query: str, first: bool, last: bool) -> None:
        super().__init__()
        self.sequences = sequences
        self.query = query
        self.first = first
        self.last = last


class SequencesFailed(Message):
    """Listing sequences failed; ``text`` is the server's message."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class StepsLoaded(Message):
    """A sequence's steps (with their variants) arrived; ``errors`` name items that did not parse."""

    def __init__(self, sequence_id: str, steps: list[Any], errors: list[str]) -> None:
        super().__init__()
        self.sequence_id = sequence_id
        self.steps = steps
        self.errors = errors


class StepsFailed(Message):
    """Loading a sequence's steps failed."""

    def __init__(self, sequence_id: str, text: str) -> None:
        super().__init__()
        self.sequence_id = sequence_id
        self.text = text


class VariantsLoaded(Message):
    """One step's variants were re-read from the server."""

    def __init__(self, sequence_id: str, step_id: str, variants: list[Any], errors: list[str]) -> None:
        super().__init__()
        self.sequence_id = sequence_id
        self.step_id = step_id
        self.variants = variants
        self.errors = errors


class VariantsFailed(Message):
    """Re-reading a step's variants failed."""

    def __init__(self, sequence_id: str, step_id: str, text: str) -> None:
        super().__init__()
        self.sequence_id = sequence_id
        self.step_id = step_id
        self.text = text


class AssigneesLoaded(Message):
    """The account's assignee teams arrived (for task variants)."""

    def __init__(self, teams: list[Any]) -> None:
        super().__init__()
        self.teams = teams


class AttachmentUploaded(Message):
    """A file was uploaded; ``attachment`` is the server's Attachment."""

    def __init__(self, key: VariantKey, attachment: Any) -> None:
        super().__init__()
        self.key = key
        self.attachment = attachment


class AttachmentFailed(Message):
    """An upload failed."""

    def __init__(self, key: VariantKey, text: str) -> None:
        super().__init__()
        self.key = key
        self.text = text


class FindingsUpdated(Message):
    """The validation panel redrew ``key``'s findings: ``count`` of them, ``label`` like
    ``E 2 · W 3`` ('' when clean). Benchmarks time keystroke → this message."""

    def __init__(self, key: VariantKey, count: int, label: str = "") -> None:
        super().__init__()
        self.key = key
        self.count = count
        self.label = label


class PreviewUpdated(Message):
    """The preview pane redrew ``key`` (benchmarks time keystroke → this message)."""

    def __init__(self, key: VariantKey | None) -> None:
        super().__init__()
        self.key = key


class SaveRequested(Message):
    """Another screen changed ``key`` in the workspace (review mode's pause): the main screen
    redraws what shows it and saves it through its save flow."""

    def __init__(self, key: VariantKey) -> None:
        super().__init__()
        self.key = key


class EditRequested(Message):
    """Open ``key`` in the main screen's form, on the Edit tab (review mode's e)."""

    def __init__(self, key: VariantKey) -> None:
        super().__init__()
        self.key = key


GoToTarget = str | tuple[str, str] | VariantKey


class GoTo(Message):
    """Move the main screen's tree to a sequence id, a (sequence id, step id) pair or a
    VariantKey, which opens (the palette)."""

    def __init__(self, target: GoToTarget) -> None:
        super().__init__()
        self.target = target


class RevealSequence(Message):
    """Add a sequence found on the server to the main screen's tree and go to it (the palette)."""

    def __init__(self, sequence: Any) -> None:
        super().__init__()
        self.sequence = sequence


class SequencesShown(Message):
    """The main screen took in a page of sequences: a screen above it that shows a sequence's
    title (review mode's heading) may have it now."""


class ChecksDataLoaded(Message):
    """The account's prospect fields and sample prospects arrived (``app.checks``)."""
