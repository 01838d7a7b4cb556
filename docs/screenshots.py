"""Export the README's screenshots (SVG, by Textual) from the app over the demo sandbox.

Run from the checkout: ``python docs/screenshots.py``. It drives the real app with Pilot, the
way the tests do, so the pictures show exactly what a user sees at that size.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))


def _fresh_dirs() -> None:
    """Private data, state and config for each run: drafts of one run must not reopen in the next."""
    for name in ("SEQEDIT_DATA_DIR", "SEQEDIT_STATE_DIR", "SEQEDIT_CONFIG_DIR"):
        os.environ[name] = tempfile.mkdtemp(prefix="seqedit-shots-")


_fresh_dirs()
from test_app_support import make_app, open_variant, settle  # noqa: E402

from tui.api.channels import Channel  # noqa: E402
from tui.sandbox.app import create_app  # noqa: E402

OUT = HERE / "screenshots"
SEQUENCE = "Acme Robotics: Warehouse Managers"


def _save(app, name: str) -> None:
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    (OUT / f"{name}.svg").write_text(app.export_screenshot(title=f"seqedit — {name}"), encoding="utf-8")
    print("wrote", OUT / f"{name}.svg")


async def shoot(size: tuple[int, int]) -> None:
    suffix = f"{size[0]}x{size[1]}"
    _fresh_dirs()
    app = make_app(create_app())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("g", "l")
        await settle(pilot)
        _save(app, f"tree-{suffix}")
        await open_variant(pilot, SEQUENCE, Channel.EMAIL)
        await settle(pilot)
        _save(app, f"email-form-{suffix}")
        await pilot.press("escape", "f")
        await settle(pilot)
        _save(app, f"findings-{suffix}")
        await pilot.press("escape", "v")
        await pilot.pause(0.5)
        await settle(pilot)
        _save(app, f"preview-{suffix}")
        await pilot.press("n")
        await pilot.pause(0.5)
        await settle(pilot)
        _save(app, f"preview-prospect-{suffix}")
        await pilot.press("escape", "s", "ctrl+s")
        await settle(pilot)
        _save(app, f"save-review-{suffix}")
        await pilot.press("escape", "escape", "question_mark")
        await settle(pilot)
        _save(app, f"help-{suffix}")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for size in ((80, 24), (120, 40)):
        await shoot(size)


if __name__ == "__main__":
    asyncio.run(main())
