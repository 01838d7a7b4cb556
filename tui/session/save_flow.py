"""One save, from the re-read before the PATCH to the history record after it.

Pure (no Textual): the main screen runs :func:`save_variant` in a worker and shows the
:class:`SaveOutcome`. The order matters and is the point of this module:

1. Re-read the variant. If the server's copy moved away from the ``base`` the edit started
   from, stop with a ``conflict`` outcome: nothing is sent before a person chooses.
2. PATCH only what differs from the server's copy *now*.
3. A PATCH whose connection dropped after sending (``NetworkError.sent`` is None or True) may or
   may not have been applied: re-read and compare before reporting, never resend blindly.
4. Re-read after success, and record the server's previous copy and the body sent in the
   history, so a mistaken save can be undone.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tui.api.errors import ApiError, NetworkError, UnexpectedResponse
from tui.api.models import Variant, VariantUpdate, build_update, fill_unknown
from tui.drafts.diff import diff_variants
from tui.drafts.merge import ChangeKind, Conflict, three_way
from tui.session.workspace import VariantKey, changed_fields
from tui.text.safe_text import one_line


class VariantClient(Protocol):
    """What a save needs from :class:`tui.api.client.SaleshandyClient`."""

    async def get_variant(self, sequence_id: str, step_id: str, variant_id: str) -> Variant: ...

    async def update_variant(self, sequence_id: str, step_id: str, variant_id: str, update: VariantUpdate) -> Any: ...


class SaveResult(str, enum.Enum):
    """How a save ended."""

    SAVED = "saved"  # the PATCH was accepted (or a dropped PATCH turned out to be applied)
    ALREADY = "already"  # the server already holds every edit: nothing was sent
    CONFLICT = "conflict"  # the server copy changed since the edit began: nothing was sent
    FAILED = "failed"  # the server does not have the edits (refused, or certainly not applied)
    UNKNOWN = "unknown"  # the PATCH was sent but could not be checked: re-read before retrying


@dataclass
class SaveOutcome:
    """What happened to one save and what the screen needs to show it.

    ``before`` is the server's copy re-read just before the PATCH (the history's "previous
    copy"); ``after`` its copy afterwards (None when the re-read after a save failed);
    ``sent`` the PATCH body; ``conflicts`` the three-way comparison for the conflict screen;
    ``text`` a plain, one-line explanation; ``retryable`` whether trying again may help.
    """

    result: SaveResult
    key: VariantKey
    before: Variant | None = None
    after: Variant | None = None
    sent: dict[str, Any] | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    text: str = ""
    retryable: bool = False
    error: ApiError | None = None

    @property
    def ok(self) -> bool:
        """The server holds the edits (saved now, or already)."""
        return self.result in (SaveResult.SAVED, SaveResult.ALREADY)


def holds(server: Variant, mine: Variant) -> bool:
    """Whether ``server`` already carries every edit of ``mine`` (nothing left to send)."""
    return not changed_fields(server, mine)


def needs_choice(base: Variant, mine: Variant, theirs: Variant) -> list[Conflict]:
    """The three-way comparison when the server moved since ``base``, else [].

    A server change that equals mine (my own earlier save whose answer was lost) is no conflict.
    """
    if not diff_variants(base, theirs):
        return []
    conflicts = three_way(base, mine, theirs)
    if all(c.kind in (ChangeKind.MINE, ChangeKind.SAME) for c in conflicts):
        return []
    return conflicts


# The client's errors start with the endpoint ("PATCH /v1/sequences/{sequenceId}/…: "): right
# for logs and the headless commands, noise in a notice whose title already names the save.
_ENDPOINT = re.compile(r"^(?:GET|PATCH|POST|PUT|DELETE) /v1/\S*: ")


def _error_text(exc: BaseException) -> str:
    return _ENDPOINT.sub("", one_line(str(exc) or type(exc).__name__, 300), count=1)


def expected_after(theirs: Variant, mine: Variant, sent: dict[str, Any]) -> Variant:
    """The server's copy after a PATCH of ``sent`` to ``theirs``, when it cannot be re-read."""
    return theirs.model_copy(update={name: getattr(mine, name) for name in sent}, deep=True)


Recorder = Callable[[VariantKey, Variant, dict[str, Any], "Variant | None"], None]


async def save_variant(
    client: VariantClient,
    key: VariantKey,
    *,
    base: Variant,
    mine: Variant,
    record: Recorder | None = None,
) -> SaveOutcome:
    """Save ``mine`` (edited from ``base``) as one safe sequence of re-read, PATCH, re-read.

    ``record(key, before, sent, after)`` is called once for every save the server accepted
    (the history); its failure does not turn a save into a failure. Never raises ApiError: every
    failure is an outcome with a plain-text explanation.
    """
    try:
        read = await client.get_variant(*key)
    except ApiError as exc:
        return SaveOutcome(
            SaveResult.FAILED,
            key,
            text=f"Could not re-read the variant before saving, so nothing was sent: {_error_text(exc)}",
            retryable=True,
            error=exc,
        )
    # The re-read (GET …/steps/{stepId}) may return fewer fields than the read the edit began
    # from (GET …/steps): only fields both returned are compared, and a field the re-read did
    # not return is taken as the base saw it, so it is neither a conflict nor sent again.
    theirs = fill_unknown(read, base)
    base = fill_unknown(base, read)
    mine = fill_unknown(mine, read)
    conflicts = needs_choice(base, mine, theirs)
    if conflicts:
        return SaveOutcome(
            SaveResult.CONFLICT,
            key,
            before=theirs,
            conflicts=conflicts,
            text="Someone changed this variant on the server since you started editing; nothing was sent.",
        )
    if holds(theirs, mine):
        return SaveOutcome(
            SaveResult.ALREADY, key, before=theirs, after=theirs, text="The server already has these edits."
        )
    try:
        update = build_update(theirs, mine)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return SaveOutcome(SaveResult.FAILED, key, before=theirs, text=f"Cannot save: {_error_text(exc)}")
    sent = update.body()
    try:
        await client.update_variant(*key, update)
    except NetworkError as exc:
        if exc.sent is False:
            return SaveOutcome(
                SaveResult.FAILED, key, before=theirs, sent=sent, text=_error_text(exc), retryable=True, error=exc
            )
        return await _check_unknown(client, key, theirs, mine, sent, exc, record)
    except UnexpectedResponse as exc:
        # A garbled or truncated answer to a PATCH: the server may well have acted on it.
        return await _check_unknown(client, key, theirs, mine, sent, exc, record)
    except ApiError as exc:
        return SaveOutcome(
            SaveResult.FAILED, key, before=theirs, sent=sent, text=_error_text(exc), retryable=exc.retryable, error=exc
        )
    expected = expected_after(theirs, mine, sent)
    after = await _reread(client, key, expected)
    _record(record, key, theirs, sent, after)
    return SaveOutcome(SaveResult.SAVED, key, before=theirs, after=after or expected, sent=sent)


async def _reread(client: VariantClient, key: VariantKey, like: Variant) -> Variant | None:
    """The variant read again, the fields this read did not return taken from ``like``."""
    try:
        return fill_unknown(await client.get_variant(*key), like)
    except ApiError:
        return None


def _record(
    record: Recorder | None, key: VariantKey, before: Variant, sent: dict[str, Any], after: Variant | None
) -> None:
    if record is None:
        return
    try:
        record(key, before, sent, after)
    except Exception:  # a full disk must not make a saved variant look unsaved
        import logging

        logging.getLogger("seqedit.drafts").warning("could not record the save in the history", exc_info=True)


async def _check_unknown(
    client: VariantClient,
    key: VariantKey,
    theirs: Variant,
    mine: Variant,
    sent: dict[str, Any],
    exc: ApiError,
    record: Recorder | None,
) -> SaveOutcome:
    """The PATCH left but no usable answer came back: ask the server what it holds now."""
    after = await _reread(client, key, theirs)
    if after is None:
        return SaveOutcome(
            SaveResult.UNKNOWN,
            key,
            before=theirs,
            sent=sent,
            text=(
                f"No usable answer to the save ({_error_text(exc)}), and the variant could not be re-read, "
                "so it is not known whether the save went through. It will be checked before any retry."
            ),
            retryable=True,
            error=exc,
        )
    if holds(after, mine):
        _record(record, key, theirs, sent, after)
        return SaveOutcome(
            SaveResult.SAVED,
            key,
            before=theirs,
            after=after,
            sent=sent,
            text="The answer to the save was lost, but the server has the change.",
        )
    return SaveOutcome(
        SaveResult.FAILED,
        key,
        before=theirs,
        sent=sent,
        text=f"The save got no usable answer ({_error_text(exc)}); a re-read shows the server does not have the change.",
        retryable=True,
        error=exc,
    )
