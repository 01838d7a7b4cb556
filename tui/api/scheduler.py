"""One queue in front of the server for every request a client makes: pacing within the rate
limit, and interactive requests before background ones.

The vendor does not publish its limits; its answers say them (``x-ratelimit-remaining`` and
``-reset``, read by :func:`tui.api.retry.quota`; ``retry-after`` on a 429, read by
:func:`tui.api.retry.server_wait`). The scheduler keeps what the last answers said and holds a
request that would overrun it, rather than letting it earn a 429:

- a request made inside :func:`background` (the listing's pages, prefetch, ``lint --all``,
  review mode) waits while an interactive one (an open, a save: the default) is waiting or in
  flight, never has more than ``background_limit`` companions in flight, and leaves the last
  ``reserve`` requests of the window to interactive ones;
- a 429 or ``remaining: 0`` holds every request until the reset the server named.

A priority is a context variable, like :func:`tui.api.events.request_scope`, so no client method
needs a parameter for it and the tasks a background worker starts inherit it.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .retry import EXHAUSTED_PAUSE, quota

__all__ = ["Priority", "RequestScheduler", "background", "current_priority"]

Sleep = Callable[[float], Awaitable[Any]]
# Told of a hold before it is waited out: (seconds, why), for the connection indicator.
Announce = Callable[[float, str], None]

# Background requests in flight at once (prefetch's bound; the listing reads one page ahead).
BACKGROUND_LIMIT = 2
# Requests of the server's window left for interactive ones: an open is never made to wait for
# the tree's prefetch to use the quota up.
RESERVE = 1

HELD = "the server's rate limit is used up; waiting for it to reset"
PACED = "pacing background requests within the server's rate limit"


class Priority(enum.IntEnum):
    """Who waits on a request: a person (an open, a save) or nobody yet (the rest)."""

    INTERACTIVE = 0
    BACKGROUND = 1


_PRIORITY: ContextVar[Priority] = ContextVar("seqedit_request_priority", default=Priority.INTERACTIVE)


def current_priority() -> Priority:
    """The priority of requests made here (interactive unless inside :func:`background`)."""
    return _PRIORITY.get()


@contextmanager
def background() -> Iterator[None]:
    """Requests made inside the block (and in tasks started from it) are background work."""
    token = _PRIORITY.set(Priority.BACKGROUND)
    try:
        yield
    finally:
        _PRIORITY.reset(token)


class RequestScheduler:
    """Admits a client's requests one attempt at a time (:meth:`acquire`/:meth:`release`) and
    learns the server's limits from each answer (:meth:`observe`).

    ``held_seconds`` is the wall time requests were held for the rate limit (``lint --all`` says it),
    ``rate_limited`` the 429 answers seen, ``background_peak`` the most background requests that
    were in flight at once (the benchmarks print both).

    ``sleep`` is the client's (tests inject a recorder that does not wait): a hold is therefore
    waited out once and then counted as served, never re-measured against a clock that did not
    move.
    """

    def __init__(
        self,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        cap: float = 30.0,
        background_limit: int = BACKGROUND_LIMIT,
        reserve: int = RESERVE,
    ) -> None:
        self._sleep = sleep
        self._clock = clock
        self.cap = cap
        self.background_limit = max(1, background_limit)
        self.reserve = max(0, reserve)
        self._hold_until = 0.0  # no request before this (a 429's retry-after)
        self._remaining: float | None = None  # requests left in the server's window, as estimated
        self._reset_at = 0.0  # when that window ends (monotonic)
        self._interactive = 0  # interactive requests waiting or in flight
        self._in_flight = {Priority.INTERACTIVE: 0, Priority.BACKGROUND: 0}
        self._changed: asyncio.Event | None = None
        self.held_seconds = 0.0
        self._held_through = 0.0  # the end of the holds counted so far
        self.rate_limited = 0
        self.background_peak = 0

    @property
    def in_flight(self) -> int:
        """Requests sent and not yet answered."""
        return sum(self._in_flight.values())

    async def acquire(self, priority: Priority, announce: Announce | None = None) -> None:
        """Wait until a request of ``priority`` may go; the caller must :meth:`release` after."""
        interactive = priority is Priority.INTERACTIVE
        if interactive:
            self._interactive += 1
        try:
            while True:
                wait, why = self._hold_for(priority)
                if wait > 0:
                    wait = min(wait, self.cap)
                    if announce is not None:
                        announce(wait, why)
                    self._count_hold(wait)
                    await self._sleep(wait)
                    self._served()
                    continue
                if not interactive and (
                    self._interactive > 0 or self._in_flight[Priority.BACKGROUND] >= self.background_limit
                ):
                    await self._next_change()
                    continue
                break
        except BaseException:
            if interactive:
                self._interactive -= 1
                self._notify()
            raise
        if self._remaining is not None:
            self._remaining -= 1  # this one will use one of them: the next request knows it
        self._in_flight[priority] += 1
        if not interactive:
            self.background_peak = max(self.background_peak, self._in_flight[priority])

    def release(self, priority: Priority) -> None:
        """The request admitted by :meth:`acquire` has its answer (or failed)."""
        self._in_flight[priority] = max(0, self._in_flight[priority] - 1)
        if priority is Priority.INTERACTIVE:
            self._interactive = max(0, self._interactive - 1)
        self._notify()

    def observe(self, status: int, headers: Mapping[str, str], hint: float | None) -> None:
        """Learn from one answer: its quota headers, and on a 429 the wait it asked for."""
        now = self._clock()
        state = quota(headers)
        if state is not None:
            reported, reset = state
            reset_at = now + (EXHAUSTED_PAUSE if reset is None else reset)
            # The server counted this request; those still in flight it may not have yet.
            estimate = reported - max(0, self.in_flight - 1)
            same_window = self._remaining is not None and abs(reset_at - self._reset_at) < 0.5
            self._remaining = (
                min(estimate, self._remaining) if same_window and self._remaining is not None else estimate
            )
            self._reset_at = reset_at
        if status == 429:
            self.rate_limited += 1
            self._remaining = 0
            wait = hint if hint is not None else EXHAUSTED_PAUSE
            self._hold_until = max(self._hold_until, now + min(wait, self.cap))
            self._reset_at = max(self._reset_at, self._hold_until)

    def waited_out(self, seconds: float) -> None:
        """The client slept ``seconds`` before retrying a 429: that served the hold it caused."""
        self._count_hold(seconds, self._clock() - seconds)
        self._served()

    # -- inside ------------------------------------------------------------------------------

    def _hold_for(self, priority: Priority) -> tuple[float, str]:
        now = self._clock()
        if self._hold_until > now:
            return self._hold_until - now, HELD
        if self._remaining is None:
            return 0.0, ""
        if now >= self._reset_at:
            self._remaining = None  # a new window: the next answer says how much is left
            return 0.0, ""
        floor = self.reserve if priority is Priority.BACKGROUND else 0
        if self._remaining <= floor:
            return self._reset_at - now, HELD if self._remaining <= 0 else PACED
        return 0.0, ""

    def _count_hold(self, seconds: float, start: float | None = None) -> None:
        # Wall time during which something was held: concurrent waits overlap, counted once.
        begin = self._clock() if start is None else start
        end = begin + seconds
        self.held_seconds += max(0.0, end - max(begin, self._held_through))
        self._held_through = max(self._held_through, end)

    def _served(self) -> None:
        self._hold_until = 0.0
        self._remaining = None
        self._reset_at = 0.0
        self._notify()

    async def _next_change(self) -> None:
        if self._changed is None:
            self._changed = asyncio.Event()
        await self._changed.wait()

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None
