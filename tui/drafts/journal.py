"""The app's side of the drafts store: remember edits as they happen, write them at most once a second.

Typing marks a draft dirty (:meth:`DraftJournal.touch`, no I/O); a one-second timer and the exit
path call :meth:`DraftJournal.flush`. A crash therefore loses at most the last second of typing,
and a burst of keystrokes costs one write. The clock is injectable so tests need not sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.api.models import Variant

from .diff import diff_variants
from .keys import DraftKey, as_key
from .store import DraftStore


@dataclass
class _Pending:
    base: Variant
    edited: Variant
    where: dict[str, Any]
    since: float


class DraftJournal:
    """Dirty drafts waiting for the next :meth:`flush`, in front of a :class:`DraftStore`."""

    def __init__(self, store: DraftStore, *, clock: Callable[[], float] = time.monotonic, interval: float = 1.0):
        self.store = store
        self.clock = clock
        self.interval = interval
        self._pending: dict[DraftKey, _Pending] = {}

    @property
    def dirty(self) -> list[DraftKey]:
        """Keys with edits not yet written."""
        return list(self._pending)

    def touch(
        self,
        key: DraftKey | tuple[str, str, str, str],
        base: Variant,
        edited: Variant,
        *,
        focus: str | None = None,
        cursor: tuple[int, int] | None = None,
        label: str = "",
    ) -> None:
        """Note the current form state of ``key``; written by the next flush. No I/O."""
        key = as_key(key)
        previous = self._pending.get(key)
        since = previous.since if previous is not None else self.clock()
        where = {"focus": focus, "cursor": cursor, "label": label}
        self._pending[key] = _Pending(base, edited, where, since)

    def due(self) -> bool:
        """True when some edit has waited ``interval`` seconds or more."""
        now = self.clock()
        return any(now - pending.since >= self.interval for pending in self._pending.values())

    def flush(self) -> int:
        """Write every pending draft; returns how many rows actually changed.

        A failed write keeps that draft (and those after it) pending and raises
        :class:`~tui.drafts.store.DraftStoreError`, so the next flush tries again.
        """
        written = 0
        for key in list(self._pending):
            pending = self._pending[key]
            if self.store.save_draft(key, base=pending.base, edited=pending.edited, **pending.where):
                written += 1
            # Only now: if save_draft raised, the edit stays pending for the next flush.
            if self._pending.get(key) is pending:
                del self._pending[key]
        return written

    def flush_if_due(self) -> int:
        """:meth:`flush` when :meth:`due`, else nothing; returns the rows written."""
        return self.flush() if self.due() else 0

    def saved(self, key: DraftKey | tuple[str, str, str, str], after: Variant) -> bool:
        """After a successful save of ``key``: drop the draft, or rebase it if typing went on.

        ``after`` is the server's copy after the save. Edits made while the PATCH was in flight
        differ from it; they stay as a draft whose base is ``after``. True if the draft is gone.
        """
        key = as_key(key)
        pending = self._pending.get(key)
        if pending is not None:
            if diff_variants(after, pending.edited):
                pending.base = after
                self.flush()
                return False
            del self._pending[key]
        return self.store.discard_saved(key, after)

    def discard(self, key: DraftKey | tuple[str, str, str, str]) -> bool:
        """Throw the draft away, pending edits included; True if a stored draft was deleted."""
        key = as_key(key)
        self._pending.pop(key, None)
        return self.store.discard(key)

    def forget(self, key: DraftKey | tuple[str, str, str, str]) -> None:
        """Drop pending edits of ``key`` without touching the store."""
        self._pending.pop(as_key(key), None)
