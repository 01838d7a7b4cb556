"""When a live pane refreshes: the findings panel and the preview pane, while the person types.

Both follow one variant and redraw it after each change. What they share is decided here, once
(they had drifted: one sent a variant of exactly the size limit to a thread, the other not):

- A change is shown at once (leading edge): the first change after a quiet moment refreshes on
  the next turn of the event loop, so changes made in the same turn (a replace is a delete and
  an insert) are one refresh.
- While changes keep coming, refreshes start at most once per :data:`MIN_INTERVAL`: a change
  that arrives sooner waits for the interval's end, so the last keystroke is always reflected.
- A pane that cannot draw (not composed yet, or being removed: a timer, a thread's result or a
  screen's call arriving then) draws nothing; once it can (mounted), it refreshes if it missed one.
- A variant holding more than :data:`THREAD_ABOVE` characters is refreshed in a thread; changes
  arriving meanwhile wait for its result and then get one more refresh. A result that a newer
  refresh has overtaken (its generation is old) is not shown.

:class:`LiveRefresh` is that state machine and nothing else: no Textual, no clock of its own.
The pane gives it its refresh and two ways to run something later (a timer and the next turn of
the loop); it tells the machine when a refresh begins and when a thread's result arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

# Seconds between the start of one refresh and the next while changes keep coming. A refresh
# after one keystroke costs a few ms (a 100 KB body: validation ~1.4 ms, the preview's changed
# blocks a few ms): during a burst of keys (auto-repeat, a paste in pieces) it takes a small
# share of the loop, and keys a typist presses (~100-150 ms apart) wait for none.
MIN_INTERVAL = 0.05
DEBOUNCE = MIN_INTERVAL  # the longest a change waits before its refresh starts
# Text size (characters) above which a refresh runs in a thread worker. A 100 KB body is
# validated in ~5 ms afresh and rendered in ~30 ms from scratch (benchmarks: engines), within a
# frame or two; far larger ones would hold the event loop too long. In a thread the work shares
# the GIL with the other pane and the redraws, and its result needs one more message: keystroke →
# panel was slower that way below this size (typing benchmark, p50/p95 30/134 ms against 28/113).
THREAD_ABOVE = 150_000

Callback = Callable[[], None]


def text_size(variant: Any) -> int:
    """The characters of text a variant holds (its payload's strings, its task note): what a
    refresh's cost grows with."""
    payload = getattr(variant, "payload", None)
    values = list(payload.values()) if isinstance(payload, dict) else []
    values.append(getattr(variant, "taskNote", None))
    return sum(len(value) for value in values if isinstance(value, str))


class LiveRefresh:
    """The refresh state machine of one live pane (see the module docstring).

    ``refresh``: the pane's refresh, which calls :meth:`begin` first thing. ``later(seconds,
    callback)`` runs ``callback`` after a delay and returns a function that cancels it;
    ``soon(callback)`` runs it on a coming turn of the event loop. ``ready()``: whether the pane
    can draw now (its parts are there). ``clock``: monotonic seconds.
    """

    def __init__(
        self,
        refresh: Callback,
        *,
        later: Callable[[float, Callback], Callback],
        soon: Callable[[Callback], object],
        ready: Callable[[], bool] = lambda: True,
        min_interval: float = MIN_INTERVAL,
        thread_above: int = THREAD_ABOVE,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        self._refresh = refresh
        self._later = later
        self._soon = soon
        self._ready = ready
        self._missed = False  # a refresh was asked for while the pane could not draw
        self.min_interval = min_interval
        self.thread_above = thread_above
        self._clock = clock
        self.generation = 0  # of the latest refresh begun
        self._cancel_timer: Callback | None = None  # a refresh held back until the interval passed
        self._scheduled = False  # a refresh is queued for a coming turn of the loop
        self._last_start = float("-inf")  # when the latest refresh began
        self._in_thread = False  # a thread is refreshing the latest generation
        self._changed_meanwhile = False  # and the variant changed after it started

    @property
    def pending(self) -> bool:
        """A refresh is on its way (queued, or waiting for the interval's end)."""
        return self._scheduled or self._cancel_timer is not None

    @property
    def in_thread(self) -> bool:
        """The latest refresh runs in a thread and its result has not arrived."""
        return self._in_thread

    def changed(self) -> None:
        """The followed variant changed: refresh it at once, or when the interval allows.

        Nothing more is asked while a refresh is pending: it reads the variant as it will be then.
        """
        if self.pending:
            return
        if self._in_thread:
            self._changed_meanwhile = True  # one more refresh once the thread is done
            return
        wait = self._last_start + self.min_interval - self._clock()
        if wait > 0:
            self._cancel_timer = self._later(wait, self._due)
        else:
            self._scheduled = True
            self._soon(self._due)

    def _due(self) -> None:
        if self.pending:  # else a refresh began meanwhile (a new variant shown, a key)
            self._refresh()

    def begin(self) -> int | None:
        """A refresh begins now, whatever asked for it: what was pending is no longer needed.
        Returns its generation (a thread's result carries it back to :meth:`finished`), or None
        when the pane cannot draw: it draws nothing, and :meth:`mounted` refreshes later."""
        if self._cancel_timer is not None:
            self._cancel_timer()
        self._cancel_timer = None
        self._scheduled = False
        self._in_thread = self._changed_meanwhile = False
        self.generation += 1  # a thread's result from before is stale either way
        if not self._ready():
            self._missed = True
            return None
        self._missed = False
        self._last_start = self._clock()
        return self.generation

    def mounted(self) -> None:
        """The pane can draw now (composed and mounted): the refresh it missed meanwhile."""
        if self._missed and self._ready():
            self._refresh()

    def off_loop(self, size: int) -> bool:
        """Whether the refresh just begun, of a variant holding ``size`` characters
        (:func:`text_size`), runs in a thread: above :attr:`thread_above`, and then changes wait
        for its result."""
        self._in_thread = size > self.thread_above
        return self._in_thread

    def finished(self, generation: int, show: Callback) -> None:
        """A thread's result for ``generation`` arrived: ``show`` it unless a newer refresh has
        begun since; a change that came meanwhile then gets its refresh."""
        if generation != self.generation:
            return  # a newer refresh is on its way
        if not self._ready():
            self._in_thread = False
            self._missed = True  # removed meanwhile, or not drawn again yet: see mounted
            return
        self._in_thread = False
        show()
        if self._changed_meanwhile:
            self._changed_meanwhile = False
            self.changed()


__all__ = ["DEBOUNCE", "MIN_INTERVAL", "THREAD_ABOVE", "LiveRefresh", "text_size"]
