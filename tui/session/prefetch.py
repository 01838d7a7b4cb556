"""Loading what the cursor is about to need before it is asked for (issue 16 item 2).

The tree tells :class:`Prefetcher` which sequences are near the cursor (:meth:`want`); it loads
their steps in the background, at most ``limit`` at once, as background requests (the scheduler
lets an open or a save go first, tui/api/scheduler.py). Moving on cancels what is no longer
near. Opening a sequence then takes the result (:meth:`take`, awaiting one still in flight)
instead of asking the server again. A failed prefetch is dropped without a word: the open that
follows makes the ordinary request and reports its own errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

__all__ = ["Prefetcher"]

T = TypeVar("T")

log = logging.getLogger("seqedit.prefetch")

# At most this many loads at once: the cursor's sequence and one neighbour.
LIMIT = 2
# The cursor must rest this long on a sequence before its load starts: holding j down through a
# list sends nothing for the sequences it passes.
SETTLE = 0.15
# A result older than this is not shown: the open asks the server again.
MAX_AGE = 120.0
# Results kept for sequences not opened yet (the oldest go first).
KEEP = 50


class Prefetcher(Generic[T]):
    """Background loads keyed by id; ``load(id)`` is the request (a client's ``list_steps``).

    ``started``, ``cancelled`` and ``failed`` count loads (for tests and the benchmarks);
    ``peak`` is the most that were in flight at once.
    """

    def __init__(
        self,
        load: Callable[[str], Awaitable[T]],
        *,
        limit: int = LIMIT,
        settle: float = SETTLE,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self.limit = max(1, limit)
        self.settle = settle
        self.max_age = max_age
        self._clock = clock
        self._tasks: dict[str, asyncio.Task[T | None]] = {}
        self._queue: list[str] = []
        self._results: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self.started = 0
        self.cancelled = 0
        self.failed = 0
        self.peak = 0

    @property
    def in_flight(self) -> list[str]:
        """The ids being loaded now."""
        return list(self._tasks)

    def want(self, ids: Iterable[str]) -> None:
        """Load these (most wanted first) and nothing else: loads of other ids are cancelled."""
        wanted = list(dict.fromkeys(ids))
        for ident in [ident for ident in self._tasks if ident not in wanted]:
            self._tasks.pop(ident).cancel()
            self.cancelled += 1
        self._queue = [ident for ident in wanted if ident not in self._tasks and not self._fresh(ident)]
        self._start()

    def take(self, ident: str) -> Awaitable[T | None]:
        """The prefetched result for ``ident`` (awaiting its load when one is in flight), taken
        out of the store; None when there is none: never loaded, failed, or too old."""
        task = self._tasks.pop(ident, None)  # an open adopts it: moving on no longer cancels it
        self._queue = [other for other in self._queue if other != ident]

        async def taken() -> T | None:
            if task is not None:
                await task
            entry = self._results.pop(ident, None)
            if entry is None or self._clock() - entry[0] > self.max_age:
                return None
            return entry[1]

        return taken()

    def take_ready(self, ident: str) -> T | None:
        """:meth:`take` without waiting: the result when its load has finished and is fresh
        (taken out of the store), else None and nothing changes (no load is adopted)."""
        if ident in self._tasks or not self._fresh(ident):
            return None
        self._queue = [other for other in self._queue if other != ident]
        return self._results.pop(ident)[1]

    def forget(self, ident: str | None = None) -> None:
        """Drop the result of ``ident`` (all of them when None): a reload wants the server's."""
        if ident is None:
            self._results.clear()
        else:
            self._results.pop(ident, None)

    def stop(self) -> None:
        """Cancel every load (a new connection, a closed screen)."""
        self.want(())
        self.forget()

    # -- inside ------------------------------------------------------------------------------

    def _fresh(self, ident: str) -> bool:
        entry = self._results.get(ident)
        return entry is not None and self._clock() - entry[0] <= self.max_age

    def _start(self) -> None:
        # Start-up: the scheduler's module is not on the way to the first frame.
        from tui.api.scheduler import background

        while self._queue and len(self._tasks) < self.limit:
            ident = self._queue.pop(0)
            with background():  # the task copies the context now: its requests are background ones
                task = asyncio.ensure_future(self._run(ident))
            self._tasks[ident] = task
            self.started += 1
            self.peak = max(self.peak, len(self._tasks))

    async def _run(self, ident: str) -> T | None:
        task = asyncio.current_task()
        try:
            if self.settle > 0:
                await asyncio.sleep(self.settle)
            result = await self._load(ident)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # silent: the open that follows asks again and says what failed
            self.failed += 1
            log.debug("prefetch of one sequence failed: %s", type(exc).__name__)
            return None
        finally:
            if self._tasks.get(ident) is task:
                del self._tasks[ident]
            asyncio.get_running_loop().call_soon(self._start)
        self._results[ident] = (self._clock(), result)
        self._results.move_to_end(ident)
        while len(self._results) > KEEP:
            self._results.popitem(last=False)
        return result
