"""The first paint waits for the first sequences, briefly (issue 7, start-up).

With the hold, the first frame written already shows sequences (no "connecting…"/"loading…"
frames drawn just to be replaced); a slow first page still gets its loading state drawn once the
hold runs out, and keys typed while painting waits are handled as ever.
"""

from __future__ import annotations

from typing import Any

from test_app_support import make_app, settle, tree


def record_frames(app: Any) -> list[bool]:
    """For each frame written, whether it showed sequences."""
    frames: list[bool] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        written = renderable is not None and not app._batch_count
        display(screen, renderable)
        if written:
            frames.append(app._tree_shows_sequences(screen))

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_the_first_frame_written_shows_the_first_sequences(sandbox_app) -> None:
    app = make_app(sandbox_app, first_paint_hold=30.0)  # only the first page can end it
    frames = record_frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert frames and frames[0] is True, frames
        assert app.screen.query("#right"), "the right side follows the first frame"


async def test_without_the_hold_loading_frames_come_first(sandbox_app) -> None:
    app = make_app(sandbox_app, first_paint_hold=0)
    frames = record_frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert frames and frames[0] is False and True in frames, frames


async def test_a_slow_first_page_still_shows_the_loading_state(sandbox_app) -> None:
    from test_drafts_app_support import add_faults

    await add_faults(sandbox_app, [{"delayMs": 3000}], method="GET", path="/v1/sequences")
    app = make_app(sandbox_app, first_paint_hold=0.1)
    frames = record_frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if frames:
                break
        assert frames and frames[0] is False, "nothing was drawn while the first page was slow"
        label = str(tree(pilot).root.children[0].label)
        assert "loading" in label or "connecting" in label, label
        app.exit()


async def test_keys_typed_while_the_paint_waits_are_not_lost(sandbox_app) -> None:
    from test_drafts_app_support import add_faults
    from textual.widgets import Input

    await add_faults(sandbox_app, [{"delayMs": 3000}], method="GET", path="/v1/sequences")
    app = make_app(sandbox_app, first_paint_hold=30.0)
    frames = record_frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "a", "b")
        assert app._paint_held and not frames
        assert app.screen.query_one("#filter", Input).value == "ab"
        app.exit()
