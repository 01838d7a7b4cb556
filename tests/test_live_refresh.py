"""The live panes' refresh state machine (tui/session/live_refresh.py), without Textual: a fake
clock and a fake event loop stand in for the pane's timers (issue 14 item 2)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from tui.session.live_refresh import MIN_INTERVAL, THREAD_ABOVE, LiveRefresh, text_size


class Loop:
    """Turns of an event loop and timers, on a clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.queued: list[Callable[[], None]] = []
        self.timers: list[dict] = []

    def clock(self) -> float:
        return self.now

    def soon(self, callback: Callable[[], None]) -> None:
        self.queued.append(callback)

    def later(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        timer = {"at": self.now + delay, "callback": callback, "live": True, "delay": delay}
        self.timers.append(timer)
        return lambda: timer.update(live=False)

    def turn(self) -> None:
        queued, self.queued = self.queued, []
        for callback in queued:
            callback()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for timer in list(self.timers):
            if timer["live"] and timer["at"] <= self.now:
                timer["live"] = False
                timer["callback"]()

    def live_timers(self) -> list[dict]:
        return [timer for timer in self.timers if timer["live"]]


class Pane:
    """A pane as the widgets use the machine: its refresh begins the machine's refresh."""

    def __init__(self, loop: Loop, size: int = 10) -> None:
        self.loop = loop
        self.size = size
        self.refreshes: list[int] = []  # generations refreshed on the loop
        self.threads: list[int] = []  # generations sent to a thread
        self.shown: list[int] = []
        self.live = LiveRefresh(self.refresh, later=loop.later, soon=loop.soon, clock=loop.clock)

    def refresh(self) -> None:
        generation = self.live.begin()
        if generation is None:
            return  # the pane cannot draw now
        if self.live.off_loop(self.size):
            self.threads.append(generation)
        else:
            self.refreshes.append(generation)
            self.shown.append(generation)

    def thread_done(self, generation: int) -> None:
        self.live.finished(generation, lambda: self.shown.append(generation))


def test_the_first_change_after_a_quiet_moment_refreshes_on_the_next_turn_once() -> None:
    loop = Loop()
    pane = Pane(loop)
    pane.live.changed()
    pane.live.changed()  # the same turn: a replace is a delete and an insert
    assert pane.refreshes == [] and pane.live.pending
    loop.turn()
    assert pane.refreshes == [1] and not pane.live.pending
    loop.turn()
    assert pane.refreshes == [1]


def test_changes_within_the_interval_wait_for_its_end_and_the_last_one_is_shown() -> None:
    loop = Loop()
    pane = Pane(loop)
    pane.live.changed()
    loop.turn()
    loop.advance(0.01)
    pane.live.changed()
    pane.live.changed()
    assert [round(timer["delay"], 6) for timer in loop.live_timers()] == [round(MIN_INTERVAL - 0.01, 6)]
    assert pane.refreshes == [1] and loop.queued == []
    loop.advance(MIN_INTERVAL - 0.011)
    assert pane.refreshes == [1]
    loop.advance(0.002)
    assert pane.refreshes == [1, 2] and not pane.live.pending
    loop.advance(MIN_INTERVAL)  # quiet again: the next change is at once
    pane.live.changed()
    assert loop.live_timers() == [] and len(loop.queued) == 1


def test_a_refresh_asked_for_directly_cancels_the_pending_one() -> None:
    loop = Loop()
    pane = Pane(loop)
    pane.live.changed()
    pane.refresh()  # another variant shown, or a key: it reads the variant as it is now
    loop.turn()
    assert pane.refreshes == [1]
    loop.advance(0.01)
    pane.live.changed()
    pane.refresh()
    assert loop.live_timers() == [] and pane.refreshes == [1, 2]


def test_the_size_limit_is_the_same_for_both_panes_and_only_above_it_a_thread() -> None:
    # The findings panel sent a variant of exactly THREAD_ABOVE characters to a thread and the
    # preview did not (< against <=); both ask this machine now.
    loop = Loop()
    at_limit, above = Pane(loop, size=THREAD_ABOVE), Pane(loop, size=THREAD_ABOVE + 1)
    at_limit.refresh()
    above.refresh()
    assert at_limit.refreshes == [1] and at_limit.threads == [] and not at_limit.live.in_thread
    assert above.threads == [1] and above.refreshes == [] and above.live.in_thread


def test_changes_during_a_thread_wait_for_its_result_then_get_one_more_refresh() -> None:
    loop = Loop()
    pane = Pane(loop, size=THREAD_ABOVE + 1)
    pane.refresh()
    loop.advance(1.0)
    pane.live.changed()
    pane.live.changed()
    assert loop.queued == [] and loop.live_timers() == []
    pane.size = 10  # the next refresh is small
    pane.thread_done(1)
    assert pane.shown == [1]
    loop.turn()
    assert pane.refreshes == [2] and pane.shown == [1, 2]


def test_a_thread_result_overtaken_by_a_newer_refresh_is_not_shown() -> None:
    loop = Loop()
    pane = Pane(loop, size=THREAD_ABOVE + 1)
    pane.refresh()
    pane.refresh()  # the variant shown again (a key), still large: a second thread
    pane.thread_done(1)
    assert pane.shown == [] and pane.live.in_thread
    pane.thread_done(2)
    assert pane.shown == [2] and not pane.live.in_thread


def test_text_size_counts_the_payloads_text_and_the_task_note() -> None:
    variant = SimpleNamespace(payload={"subject": "abc", "content": "de", "count": 7, "list": ["xyz"]}, taskNote="fg")
    assert text_size(variant) == 7
    assert text_size(SimpleNamespace(payload=None, taskNote=None)) == 0


def test_a_pane_that_cannot_draw_draws_nothing_and_refreshes_once_mounted() -> None:
    loop = Loop()
    pane = Pane(loop, size=THREAD_ABOVE + 1)
    drawable = [True]
    pane.live = LiveRefresh(pane.refresh, later=loop.later, soon=loop.soon, clock=loop.clock, ready=lambda: drawable[0])
    pane.refresh()  # a large variant: to a thread
    assert pane.threads == [1]
    drawable[0] = False  # removed before its result came back
    pane.thread_done(1)
    assert pane.shown == [] and not pane.live.in_thread
    pane.live.changed()  # a timer or the next turn after a change
    loop.advance(1.0)
    loop.turn()
    assert pane.threads == [1] and pane.shown == []
    pane.live.mounted()  # still not drawable: nothing
    assert pane.threads == [1]
    drawable[0] = True  # composed (again)
    pane.live.mounted()
    assert pane.threads == [1, 3]
    pane.live.mounted()  # only what it missed
    assert pane.threads == [1, 3]
