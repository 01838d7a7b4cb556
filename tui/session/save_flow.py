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

The whole of it is bounded: the re-read gets a few tries (:data:`READ_ATTEMPTS`), and every step
must end within ``time_limit`` seconds of the start, or when the person cancels. What stopping
means depends on the step (:func:`_stopped`): before the PATCH nothing was sent; during it the
outcome is unknown and is checked before any retry; after it the save stands. ``progress`` is
told each step and try, so a screen can say "Saving… (re-reading, try 2 of 3)".
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from tui.api.errors import ApiError, NetworkError, UnexpectedResponse
from tui.api.events import ApiEvent, EventKind, request_scope
from tui.api.models import Variant, VariantUpdate, build_update, changed_fields, fill_unknown
from tui.drafts.diff import diff_variants
from tui.drafts.merge import ChangeKind, Conflict, three_way
from tui.session.workspace import VariantKey
from tui.text.safe_text import one_line


class VariantClient(Protocol):
    """What a save needs from :class:`tui.api.client.SaleshandyClient`."""

    async def get_variant(self, sequence_id: str, step_id: str, variant_id: str) -> Variant: ...

    async def update_variant(self, sequence_id: str, step_id: str, variant_id: str, update: VariantUpdate) -> Any: ...


# A save ends, one way or another, within this many seconds: a server that stopped answering
# costs the person a minute at most, with the outcome said once at the end.
SAVE_TIME_LIMIT = 60.0
# Tries of each re-read (the client's own retries, capped for the save). The PATCH itself is
# never sent twice blindly: one that may have arrived is re-read instead.
READ_ATTEMPTS = 3

T = TypeVar("T")


class SaveStep(str, enum.Enum):
    """Where a save is, as the progress line says it."""

    REREAD = "re-reading"  # the server's copy, before anything is sent
    SENDING = "sending"  # the PATCH
    CHECKING = "checking"  # re-reading after the PATCH (or after an answer that was lost)


@dataclass(frozen=True)
class SaveProgress:
    """One moment of a save: its step, the try of that step's request (of ``attempts``; None when
    not capped), a pause before the next try, and the monotonic time at which the save gives up."""

    key: VariantKey
    step: SaveStep
    attempt: int
    attempts: int | None
    gives_up_at: float
    retry_in: float | None = None


class _Stopped(Exception):
    """A step did not finish: the time limit passed (``timed_out``) or the person cancelled."""

    def __init__(self, timed_out: bool) -> None:
        super().__init__("time limit" if timed_out else "cancelled")
        self.timed_out = timed_out


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
    cancelled: bool = False  # the person stopped it (``cancel``)

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


# A read that failed had no effect on the server: the client's clause about a PATCH that may
# have arrived, on a failed GET, contradicted "nothing was sent" beside it.
_MAYBE_ACTED = re.compile(r"; (?:the server may or may not have acted on it|nothing was sent)$")


def _error_text(exc: BaseException, *, read: bool = False) -> str:
    text = _ENDPOINT.sub("", one_line(str(exc) or type(exc).__name__, 300), count=1)
    return _MAYBE_ACTED.sub("", text) if read else text


def _read_attempts(client: Any) -> int:
    """Tries of a save's re-read: READ_ATTEMPTS, or fewer when the client makes fewer."""
    most = getattr(client, "max_attempts", None)
    return min(READ_ATTEMPTS, most) if isinstance(most, int) and most > 0 else READ_ATTEMPTS


class _Limits:
    """One save's time limit, cancel signal and progress reports."""

    def __init__(
        self,
        key: VariantKey,
        time_limit: float | None,
        cancel: asyncio.Event | None,
        progress: Callable[[SaveProgress], None] | None,
        *,
        reads: int = READ_ATTEMPTS,
    ) -> None:
        self.key = key
        self.reads = reads
        self.started = time.monotonic()
        self.limit = time_limit
        self.gives_up_at = self.started + time_limit if time_limit is not None else float("inf")
        self.cancel = cancel
        self.progress = progress
        self.step = SaveStep.REREAD
        self.attempts: int | None = None

    def _report(self, attempt: int, retry_in: float | None = None) -> None:
        if self.progress is None:
            return
        try:
            self.progress(SaveProgress(self.key, self.step, attempt, self.attempts, self.gives_up_at, retry_in))
        except Exception:  # a broken progress line must not break a save
            import logging

            logging.getLogger("seqedit.save").warning("save progress handler failed", exc_info=True)

    def _event(self, event: ApiEvent) -> None:
        if event.kind is EventKind.SENT:
            self._report(event.attempt)
        elif event.kind is EventKind.RETRYING:
            self._report(event.attempt, event.wait)

    async def run(self, step: SaveStep, call: Callable[[], Awaitable[T]], *, attempts: int | None = None) -> T:
        """``call()`` as ``step``; raises :class:`_Stopped` at the time limit or on cancel."""
        self.step, self.attempts = step, attempts
        self._report(1)
        if self.cancel is not None and self.cancel.is_set():
            raise _Stopped(timed_out=False)
        remaining = self.gives_up_at - time.monotonic()
        if remaining <= 0:
            raise _Stopped(timed_out=True)

        async def observed() -> T:
            with request_scope(observer=self._event, max_attempts=attempts):
                return await call()

        task = asyncio.ensure_future(observed())
        stopper = asyncio.ensure_future(self.cancel.wait()) if self.cancel is not None else None
        waiting: set[asyncio.Future[Any]] = {task} if stopper is None else {task, stopper}
        try:
            done, _pending = await asyncio.wait(
                waiting, timeout=None if self.limit is None else remaining, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            if stopper is not None:
                stopper.cancel()
        if task in done:
            return task.result()
        task.cancel()
        # Cancelled, or it failed as it was being stopped: stopped either way.
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        raise _Stopped(timed_out=stopper is None or stopper not in done)


def expected_after(theirs: Variant, mine: Variant, sent: dict[str, Any]) -> Variant:
    """The server's copy after a PATCH of ``sent`` to ``theirs``, when it cannot be re-read
    (and the fields a re-read does not return: :func:`_reread` fills them from here)."""
    update = {name: getattr(mine, name) for name in sent}
    if "attachmentIds" in sent:
        # The names and sizes go with the list sent: the vendor's reads return neither, and the
        # form would show the bare ids of the files just attached.
        update["attachments"] = [item for item in mine.attachments if item.id in set(mine.attachmentIds)]
    return theirs.model_copy(update=update, deep=True)


Recorder = Callable[[VariantKey, Variant, dict[str, Any], "Variant | None"], None]


async def save_variant(
    client: VariantClient,
    key: VariantKey,
    *,
    base: Variant,
    mine: Variant,
    record: Recorder | None = None,
    time_limit: float | None = None,
    cancel: asyncio.Event | None = None,
    progress: Callable[[SaveProgress], None] | None = None,
) -> SaveOutcome:
    """Save ``mine`` (edited from ``base``) as one safe sequence of re-read, PATCH, re-read.

    ``record(key, before, sent, after)`` is called once for every save the server accepted
    (the history); its failure does not turn a save into a failure. Never raises ApiError: every
    failure is an outcome with a plain-text explanation. ``time_limit`` (seconds, for the whole
    save; None: the client's own limits only), ``cancel`` (set to stop) and ``progress`` are
    described in the module docstring.
    """
    limits = _Limits(key, time_limit, cancel, progress, reads=_read_attempts(client))
    try:
        read = await limits.run(SaveStep.REREAD, lambda: client.get_variant(*key), attempts=limits.reads)
    except _Stopped as stopped:
        return SaveOutcome(
            SaveResult.FAILED,
            key,
            text=(
                "You cancelled the save before anything was sent."
                if not stopped.timed_out
                else f"The server did not answer within {limits.limit:g} s while the variant was re-read, "
                "so nothing was sent."
            ),
            retryable=True,
            cancelled=not stopped.timed_out,
        )
    except ApiError as exc:
        return SaveOutcome(
            SaveResult.FAILED,
            key,
            text=f"Could not re-read the variant before saving, so nothing was sent: {_error_text(exc, read=True)}",
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
        await limits.run(SaveStep.SENDING, lambda: client.update_variant(*key, update))
    except _Stopped as stopped:
        return SaveOutcome(
            SaveResult.UNKNOWN,
            key,
            before=theirs,
            sent=sent,
            text=(
                "You cancelled the save while it was on its way"
                if not stopped.timed_out
                else f"No answer to the save within {limits.limit:g} s"
            )
            + ": it is not known whether it went through. It will be checked before any retry.",
            retryable=True,
            cancelled=not stopped.timed_out,
        )
    except NetworkError as exc:
        if exc.sent is False:
            return SaveOutcome(
                SaveResult.FAILED, key, before=theirs, sent=sent, text=_error_text(exc), retryable=True, error=exc
            )
        return await _check_unknown(client, key, theirs, mine, sent, exc, record, limits)
    except UnexpectedResponse as exc:
        # A garbled or truncated answer to a PATCH: the server may well have acted on it.
        return await _check_unknown(client, key, theirs, mine, sent, exc, record, limits)
    except ApiError as exc:
        return SaveOutcome(
            SaveResult.FAILED, key, before=theirs, sent=sent, text=_error_text(exc), retryable=exc.retryable, error=exc
        )
    expected = expected_after(theirs, mine, sent)
    # Accepted: stopping the re-read now only means the server's copy is taken as expected.
    after = await _reread(client, key, expected, limits)
    _record(record, key, theirs, sent, after)
    return SaveOutcome(SaveResult.SAVED, key, before=theirs, after=after or expected, sent=sent)


async def _reread(client: VariantClient, key: VariantKey, like: Variant, limits: _Limits) -> Variant | None:
    """The variant read again, the fields this read did not return taken from ``like``; None when
    it could not be read (or the save was stopped meanwhile)."""
    try:
        read = await limits.run(SaveStep.CHECKING, lambda: client.get_variant(*key), attempts=limits.reads)
    except (ApiError, _Stopped):
        return None
    return fill_unknown(read, like)


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
    limits: _Limits,
) -> SaveOutcome:
    """The PATCH left but no usable answer came back: ask the server what it holds now."""
    after = await _reread(client, key, theirs, limits)
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
