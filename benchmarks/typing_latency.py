"""Typing: keystroke → updated validation panel and preview on a 100 KB email body.

The real app runs headless under Pilot over the in-process demo sandbox. One Email variant is
opened, its content replaced with the 100 KB body, and keys are pressed one at a time at the
end of the first paragraph, paced like a fast typist (:data:`PACE`, about 80 words a minute):
each key is pressed once both panes show the previous one and the pace has elapsed.

Each figure runs from the key press to an event: the edit stored in the workspace, the next
screen drawn, the ``FindingsUpdated`` and ``PreviewUpdated`` messages. Whatever the panes do
between (waiting, validating, rendering in a thread) is inside the figure.

A pane that refreshes more than once for one key press would make the next key's figure
ambiguous, so such extra refreshes are counted and reported beside the figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .body import email_body
from .report import Progress, Row, at_most, info
from .stats import percentile

VALIDATION_GOAL_MS = 16.0
PREVIEW_GOAL_MS = 50.0
PACE = 0.15  # seconds between key presses at the least: a fast typist, about 80 words a minute
TIMEOUT = 30.0
PANES = {"FindingsUpdated": "findings", "PreviewUpdated": "preview"}
BURST_KEYS = 40
BURST_GAP = 0.04  # a held-down key repeats about 25 times a second
QUIET = 0.5  # no pane update for this long: the panes have caught up


class _Clock:
    """Timestamps written by hooks on the event loop: the edit stored, the first screen drawn
    with the key in it, each pane's update message; and how many updates each pane made."""

    def __init__(self) -> None:
        self.updated: dict[str, float] = {}
        self.extra: dict[str, int] = {pane: 0 for pane in PANES.values()}
        self.armed = False
        self.bursting = False  # during a burst updates are only logged
        self.typed: Callable[[], bool] = lambda: False  # is the key being timed in the document yet?
        self._seen: dict[int, Any] = {}
        self.log: list[tuple[str, float]] = []  # every pane update: (pane, when)
        self.stored: float | None = None
        self.drawn: float | None = None
        # Set on every record, so waiting costs nothing: a polling loop would take the GIL
        # from the preview's render thread every millisecond and slow what is measured.
        self.changed = asyncio.Event()

    def edit_stored(self, _key: Any) -> None:
        if self.armed and self.stored is None:
            self.stored = time.perf_counter()
            self.changed.set()

    def display(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def drawn(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            # The first frame drawn once the key is in the text area: it shows the character
            # (drawn even before the form has passed the edit to the workspace).
            if self.armed and not self.bursting and self.drawn is None and self.typed():
                self.drawn = time.perf_counter()
                self.changed.set()
            return result

        return drawn

    def hook(self, message: Any) -> None:
        pane = PANES.get(type(message).__name__)
        # The hook sees a message again at each node it bubbles through: count each once, and
        # never one first posted before the key press.
        if pane is None or id(message) in self._seen:
            return
        self._seen[id(message)] = message  # held, so its id is not reused
        self.log.append((pane, time.perf_counter()))
        if not self.armed or self.bursting:
            return
        if pane in self.updated:
            self.extra[pane] += 1  # a second refresh for the same key press
            return
        self.updated[pane] = time.perf_counter()
        self.changed.set()

    def arm(self) -> None:
        """From now on, updates belong to the key about to be pressed."""
        self.updated.clear()
        self.stored = self.drawn = None
        self.armed = True


async def _wait(condition: Callable[[], bool], what: str, changed: asyncio.Event | None = None) -> None:
    """Until ``condition()``; woken by ``changed`` when given, else polling every 10 ms."""
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        left = deadline - time.perf_counter()
        if left <= 0:
            raise RuntimeError(f"typing benchmark: timed out waiting for {what}")
        if changed is None:
            await asyncio.sleep(min(0.01, left))
            continue
        changed.clear()
        if condition():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout=left)


async def _burst(pilot: Any, clock: _Clock) -> dict[str, Any]:
    """A held-down key: :data:`BURST_KEYS` presses :data:`BURST_GAP` apart, never waiting for the
    panes. How long each press takes to reach the workspace (is typing ever held up?), how many
    times each pane refreshed meanwhile, and how long after the last press each pane last updated
    (it must update after it: the last key is always shown)."""
    clock.armed, clock.bursting = False, True
    stored: list[float] = []
    first = len(clock.log)
    pressed = time.perf_counter()
    for index in range(BURST_KEYS):
        await asyncio.sleep(max(0.0, pressed + BURST_GAP - time.perf_counter()))
        clock.armed, clock.stored = True, None
        pressed = time.perf_counter()
        await pilot.press("y")
        if clock.stored is None:
            await _wait(lambda: clock.stored is not None, f"burst key {index + 1} stored", clock.changed)
        assert clock.stored is not None
        stored.append(clock.stored - pressed)
    last_key = pressed
    clock.armed = False
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        latest = max((when for _, when in clock.log[first:]), default=last_key)
        if time.perf_counter() - max(latest, last_key) >= QUIET:
            break
        await asyncio.sleep(0.05)
    updates = clock.log[first:]
    last: dict[str, float] = {}
    for pane in PANES.values():
        times = [when for name, when in updates if name == pane]
        if not times or times[-1] < last_key:
            raise RuntimeError(f"typing benchmark: the {pane} pane never showed the burst's last key")
        last[pane] = times[-1] - last_key
    counts = {pane: sum(1 for name, _ in updates if name == pane) for pane in PANES.values()}
    return {"stored": stored, "last": last, "counts": counts}


async def _measure(keystrokes: int, db: Path) -> dict[str, Any]:
    from tui.api.client import SaleshandyClient
    from tui.app import SeqEditApp
    from tui.sandbox import DEMO_API_KEY
    from tui.sandbox.app import create_app
    from tui.session.connect import DEMO_BASE_URL, SandboxTransport

    clock = _Clock()

    def client() -> SaleshandyClient:
        return SaleshandyClient(DEMO_API_KEY, DEMO_BASE_URL, transport=SandboxTransport(app=create_app(db)))

    app = SeqEditApp(None, client_factory=client)
    # As `seqedit` runs it (tui.cli): the cyclic collector off for the start, then the app
    # collects once, freezes what the start built and turns it back on (startup_finished).
    gc.disable()
    try:
        return await _drive(app, clock, keystrokes)
    finally:
        gc.enable()
        # What the start froze stays frozen (as in seqedit): unfrozen, it would all land in the
        # oldest generation and slow every later benchmark's full collections.


async def _drive(app: Any, clock: _Clock, keystrokes: int) -> dict[str, Any]:
    from textual.widgets import TextArea

    from tui.api.channels import Channel
    from tui.session.workspace import VariantKey

    async with app.run_test(size=(200, 50), message_hook=clock.hook) as pilot:
        screen = app.screen
        workspace = app.workspace
        await _wait(lambda: bool(workspace.sequences), "the sequence list")
        key: VariantKey | None = None
        for sequence in workspace.sequences:
            screen.tree_side.load_steps(sequence.id)
            await _wait(lambda: workspace.steps(sequence.id) is not None, "a sequence's steps")
            for step in workspace.steps(sequence.id) or []:
                if step.type is Channel.EMAIL and step.variants:
                    key = workspace.variant_keys(sequence.id, step.id)[0]
                    break
            if key is not None:
                break
        if key is None:
            raise RuntimeError("the demo account has no Email variant")
        screen.editing.open_variant(key, focus=False)
        await _wait(lambda: screen.current_key == key and bool(screen.query("#field-content")), "the form")
        app._display = clock.display(app._display)  # type: ignore[method-assign]
        workspace.subscribe(clock.edit_stored)

        # Measuring with the collector off would flatter every figure.
        await _wait(gc.isenabled, "the app to turn the garbage collector back on")
        body = email_body()
        area = screen.query_one("#field-content", TextArea)
        area.focus()
        clock.arm()
        area.load_text(body)
        await _wait(lambda: len(clock.updated) == 2, "both panes after loading the body")
        await asyncio.sleep(1.0)  # let any late refresh of the load finish before measuring
        await pilot.pause()
        # The form may have rebuilt its fields meanwhile: work with the one on screen now.
        area = screen.query_one("#field-content", TextArea)
        area.focus()
        # Type at the end of the first paragraph, where a person would be editing.
        row = next(index for index, line in enumerate(area.document.lines) if "</p>" in line)
        column = area.document.lines[row].index("</p>")
        area.move_cursor((row, column))
        await pilot.pause()

        before = len(workspace.edited(key).payload.get("content") or "")
        stored: list[float] = []
        drawn: list[float] = []
        total: dict[str, list[float]] = {"findings": [], "preview": []}
        for pane in clock.extra:
            clock.extra[pane] = 0
        pressed = time.perf_counter() - PACE
        for index in range(keystrokes):
            await asyncio.sleep(max(0.0, pressed + PACE - time.perf_counter()))
            length = len(area.document.lines[row])
            clock.typed = lambda: len(area.document.lines[row]) > length
            clock.arm()
            pressed = start = time.perf_counter()
            await pilot.press("x" if index % 5 else "space")
            await _wait(
                lambda: len(clock.updated) == 2 and clock.drawn is not None,
                f"both panes after keystroke {index + 1}",
                clock.changed,
            )
            assert clock.stored is not None and clock.drawn is not None
            stored.append(clock.stored - start)
            drawn.append(clock.drawn - start)
            for pane in ("findings", "preview"):
                total[pane].append(clock.updated[pane] - start)
        await asyncio.sleep(PACE)  # a late extra refresh of the last key is counted too
        burst = await _burst(pilot, clock)
        typed = len(workspace.edited(key).payload.get("content") or "") - before - BURST_KEYS
    return {
        "stored": stored,
        "drawn": drawn,
        "total": total,
        "extra": dict(clock.extra),
        "burst": burst,
        "typed": typed,
        "body": len(body),
    }


def run(keystrokes: int, progress: Progress) -> list[Row]:
    """p50 and p95 over ``keystrokes`` single keystrokes into a 100 KB body."""
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-typing-") as tmp:
        result = asyncio.run(_measure(keystrokes, Path(tmp) / "demo.sqlite3"))
    if result["typed"] != keystrokes:
        raise RuntimeError(f"typed {keystrokes} keys but the body grew by {result['typed']}")
    ms = lambda samples, pct: percentile(samples, pct) * 1000  # noqa: E731
    total, extra, burst = result["total"], result["extra"], result["burst"]
    n = f"{keystrokes} keys {PACE * 1000:.0f} ms apart, {result['body'] // 1000} KB body"
    progress(
        f"typing: validation p95 {ms(total['findings'], 95):.1f} ms, preview p95 {ms(total['preview'], 95):.1f} ms"
    )
    return [
        info("typing", f"keystroke → edit stored in the workspace, p50 ({n})", ms(result["stored"], 50), "ms"),
        info("typing", "keystroke → edit stored, p95", ms(result["stored"], 95), "ms"),
        info("typing", "keystroke → screen redrawn with it, p50", ms(result["drawn"], 50), "ms"),
        info("typing", "keystroke → screen redrawn, p95", ms(result["drawn"], 95), "ms"),
        info("typing", "keystroke → validation panel updated (FindingsUpdated), p50", ms(total["findings"], 50), "ms"),
        at_most(
            "typing", "keystroke → validation panel updated, p95", ms(total["findings"], 95), "ms", VALIDATION_GOAL_MS
        ),
        info("typing", "keystroke → preview updated (PreviewUpdated), p50", ms(total["preview"], 50), "ms"),
        at_most("typing", "keystroke → preview updated, p95", ms(total["preview"], 95), "ms", PREVIEW_GOAL_MS),
        info(
            "typing",
            f"burst of {BURST_KEYS} keys {BURST_GAP * 1000:.0f} ms apart: key press → edit stored, p95",
            ms(burst["stored"], 95),
            "ms",
            note="a held-down key: typing must never wait for the panes",
        ),
        info("typing", "burst: last key → validation panel shows it", burst["last"]["findings"] * 1000, "ms"),
        info("typing", "burst: last key → preview shows it", burst["last"]["preview"] * 1000, "ms"),
        info("typing", f"burst: validation refreshes during the {BURST_KEYS} keys", burst["counts"]["findings"], ""),
        info("typing", f"burst: preview refreshes during the {BURST_KEYS} keys", burst["counts"]["preview"], ""),
        info(
            "typing",
            "extra validation refreshes (a second one for the same key press)",
            extra["findings"],
            "",
            note="0 expected: a pane refreshing twice for one key press would blur the next key's figure",
        ),
        info("typing", "extra preview refreshes (a second one for the same key press)", extra["preview"], ""),
    ]
