"""Typing: keystroke → updated validation panel and preview on a 100 KB email body.

The real app runs headless under Pilot over the in-process demo sandbox. One Email variant is
opened, its content replaced with the 100 KB body, and keys are pressed one at a time at the
end of the first paragraph, each followed by a wait until both panes have redrawn.

Both panes redraw after a pause in typing (a debounce timer), which would dominate any
keystroke → pane figure, so three things are reported, each for what it is:

- keystroke → the edit is stored in the workspace, and → the screen is next drawn;
- the pane's refresh: from its debounce timer firing to its ``FindingsUpdated`` /
  ``PreviewUpdated`` message (for the preview this includes the render in its worker thread);
- keystroke → that message, debounce included.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from .body import email_body
from .report import Progress, Row, at_most, info
from .stats import percentile

VALIDATION_GOAL_MS = 16.0
PREVIEW_GOAL_MS = 50.0
TIMEOUT = 30.0


class _Clock:
    """Timestamps written by hooks on the event loop: the edit stored, the screen drawn after
    it, each pane's refresh start and its update message."""

    def __init__(self) -> None:
        self.refresh_started: dict[str, float] = {}
        self.updated: dict[str, float] = {}
        self.stored: float | None = None
        self.drawn: float | None = None
        # Set on every record, so waiting costs nothing: a polling loop would take the GIL
        # from the preview's render thread every millisecond and slow what is measured.
        self.changed = asyncio.Event()

    def edit_stored(self, _key: Any) -> None:
        if self.stored is None:
            self.stored = time.perf_counter()
            self.changed.set()

    def display(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def drawn(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if self.stored is not None and self.drawn is None:
                self.drawn = time.perf_counter()
                self.changed.set()
            return result

        return drawn

    def hook(self, message: Any) -> None:
        pane = {"FindingsUpdated": "findings", "PreviewUpdated": "preview"}.get(type(message).__name__)
        # Only a redraw that began after the keystroke counts (not a late one from before it).
        if pane is not None and pane in self.refresh_started:
            self.updated.setdefault(pane, time.perf_counter())
            self.changed.set()

    def timed(self, pane: str, method: Callable[[], Any]) -> Callable[[], Any]:
        def started() -> Any:
            self.refresh_started.setdefault(pane, time.perf_counter())
            return method()

        return started

    def clear(self) -> None:
        self.refresh_started.clear()
        self.updated.clear()
        self.stored = self.drawn = None


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
        try:
            await asyncio.wait_for(changed.wait(), timeout=left)
        except asyncio.TimeoutError:
            pass


async def _measure(keystrokes: int, db: Path) -> dict[str, Any]:
    from textual.widgets import TextArea

    from tui.api.channels import Channel
    from tui.api.client import SaleshandyClient
    from tui.app import SeqEditApp
    from tui.connect import DEMO_BASE_URL, SandboxTransport
    from tui.sandbox import DEMO_API_KEY
    from tui.sandbox.app import create_app
    from tui.widgets import findings_panel, preview_pane
    from tui.workspace import VariantKey

    clock = _Clock()

    def client() -> SaleshandyClient:
        return SaleshandyClient(DEMO_API_KEY, DEMO_BASE_URL, transport=SandboxTransport(app=create_app(db)))

    app = SeqEditApp(None, client_factory=client)
    async with app.run_test(size=(200, 50), message_hook=clock.hook) as pilot:
        screen = app.screen
        workspace = app.workspace
        await _wait(lambda: bool(workspace.sequences), "the sequence list")
        key: VariantKey | None = None
        for sequence in workspace.sequences:
            screen.load_steps(sequence.id)
            await _wait(lambda: workspace.steps(sequence.id) is not None, "a sequence's steps")
            for step in workspace.steps(sequence.id) or []:
                if step.type is Channel.EMAIL and step.variants:
                    key = workspace.variant_keys(sequence.id, step.id)[0]
                    break
            if key is not None:
                break
        if key is None:
            raise RuntimeError("the demo account has no Email variant")
        screen.open_variant(key, focus=False)
        await _wait(lambda: screen.current_key == key and bool(screen.query("#field-content")), "the form")
        findings = screen.query_one(findings_panel.FindingsPanel)
        preview = screen.query_one(preview_pane.PreviewPane)
        # Instance attributes shadow the methods: the panes' timers and the screen call these.
        findings.refresh_findings = clock.timed("findings", findings.refresh_findings)  # type: ignore[method-assign]
        preview.render_now = clock.timed("preview", preview.render_now)  # type: ignore[method-assign]
        app._display = clock.display(app._display)  # type: ignore[method-assign]
        workspace.subscribe(clock.edit_stored)

        body = email_body()
        area = screen.query_one("#field-content", TextArea)
        area.focus()
        clock.clear()
        area.load_text(body)
        await _wait(lambda: len(clock.updated) == 2, "both panes after loading the body")
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
        refresh: dict[str, list[float]] = {"findings": [], "preview": []}
        total: dict[str, list[float]] = {"findings": [], "preview": []}
        for index in range(keystrokes):
            clock.clear()
            start = time.perf_counter()
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
                done = clock.updated[pane]
                total[pane].append(done - start)
                refresh[pane].append(done - clock.refresh_started[pane])
        typed = len(workspace.edited(key).payload.get("content") or "") - before
    return {
        "stored": stored,
        "drawn": drawn,
        "refresh": refresh,
        "total": total,
        "typed": typed,
        "debounce": {"findings": findings_panel.DEBOUNCE, "preview": preview_pane.DEBOUNCE},
        "body": len(body),
    }


def run(keystrokes: int, progress: Progress) -> list[Row]:
    """p50 and p95 over ``keystrokes`` single keystrokes into a 100 KB body."""
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-typing-") as tmp:
        result = asyncio.run(_measure(keystrokes, Path(tmp) / "demo.sqlite3"))
    if result["typed"] != keystrokes:
        raise RuntimeError(f"typed {keystrokes} keys but the body grew by {result['typed']}")
    ms = lambda samples, pct: percentile(samples, pct) * 1000  # noqa: E731
    refresh, total, debounce = result["refresh"], result["total"], result["debounce"]
    n = f"{keystrokes} keys, {result['body'] // 1000} KB body"
    progress(f"typing: validation p95 {ms(refresh['findings'], 95):.1f} ms, preview p95 {ms(refresh['preview'], 95):.1f} ms")
    return [
        info("typing", f"keystroke → edit stored in the workspace, p50 ({n})", ms(result["stored"], 50), "ms"),
        info("typing", "keystroke → edit stored, p95", ms(result["stored"], 95), "ms"),
        info("typing", "keystroke → screen redrawn with it, p50", ms(result["drawn"], 50), "ms"),
        info("typing", "keystroke → screen redrawn, p95", ms(result["drawn"], 95), "ms"),
        info("typing", "validation panel refresh (debounce fired → FindingsUpdated), p50", ms(refresh["findings"], 50), "ms"),
        at_most("typing", "validation panel refresh, p95", ms(refresh["findings"], 95), "ms", VALIDATION_GOAL_MS),
        info("typing", "preview refresh (debounce fired → PreviewUpdated, threaded render), p50", ms(refresh["preview"], 50), "ms"),
        at_most("typing", "preview refresh, p95", ms(refresh["preview"], 95), "ms", PREVIEW_GOAL_MS),
        info("typing", f"keystroke → validation panel incl. {debounce['findings'] * 1000:.0f} ms debounce, p50",
             ms(total["findings"], 50), "ms"),
        info("typing", "keystroke → validation panel incl. debounce, p95", ms(total["findings"], 95), "ms"),
        info("typing", f"keystroke → preview incl. {debounce['preview'] * 1000:.0f} ms debounce, p50",
             ms(total["preview"], 50), "ms"),
        info("typing", "keystroke → preview incl. debounce, p95", ms(total["preview"], 95), "ms"),
    ]
