"""Text snapshots of the editor at 80×24 and 120×40 (SVGs beside them for the README).

The SVG export is not byte-stable across Textual versions, so the comparison is on the screen's
characters only. Regenerate with ``SEQEDIT_UPDATE_SNAPSHOTS=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_app_support import make_app, open_variant, settle

from tui.api.channels import Channel

SNAPSHOTS = Path(__file__).parent / "snapshots"


def screen_text(app) -> str:
    """The characters on screen (the top-most screen, modals included), one line per row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def _check(app, name: str) -> None:
    text = screen_text(app) + "\n"
    target = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("SEQEDIT_UPDATE_SNAPSHOTS") == "1" or not target.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        (SNAPSHOTS / f"{name}.svg").write_text(app.export_screenshot(title=name), encoding="utf-8")
        if os.environ.get("SEQEDIT_UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"snapshot {target.name} was missing and has been written; run again")
        return
    assert text == target.read_text(encoding="utf-8"), (
        f"screen differs from {target} (SEQEDIT_UPDATE_SNAPSHOTS=1 to accept)"
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_snapshot_tree(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("g", "l")
        await settle(pilot)
        _check(app, f"tree-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_snapshot_email_form(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=size) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.EMAIL)
        _no_blink(app)
        await settle(pilot)
        _check(app, f"email-form-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_snapshot_task_form_and_review(sandbox_app, size) -> None:
    app = make_app(sandbox_app)
    async with app.run_test(size=size) as pilot:
        await open_variant(pilot, "Acme Robotics: Warehouse Managers", Channel.CALL_DEMO)
        _no_blink(app)
        await settle(pilot)
        _check(app, f"task-form-{size[0]}x{size[1]}")
        await pilot.press("escape", "s")
        await pilot.press("ctrl+s")
        await settle(pilot)
        _check(app, f"review-{size[0]}x{size[1]}")


def _no_blink(app) -> None:
    """Cursor blink off, so the screen does not depend on when it was taken."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
