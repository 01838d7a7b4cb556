"""The line above the key bar while a save is on its way: its step, its try, its time left.

A save to a server that stopped answering used to leave nothing on screen after a 2-second
"Saving…" notice until its outcome, a minute or more later. This line stays while the save
runs (``Saving variant A… (re-reading, try 2 of 3) · gives up in 41 s · ^l cancel``) and goes
when the outcome's one notice comes.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

if TYPE_CHECKING:  # the save flow loads with the tabs, after the first frame (benchmarks: startup)
    from tui.session.save_flow import SaveProgress


class SaveStatus(Widget):
    """One line, shown only while a save is in flight (``show(progress)``, ``show(None)``)."""

    DEFAULT_CSS = """
    SaveStatus { height: 1; padding: 0 1; background: $warning 25%; color: $text; display: none; }
    SaveStatus.-saving { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.progress: SaveProgress | None = None
        self.letter = ""
        self.cancel_key = ""
        self.others = 0  # further saves in flight besides the one shown
        self._ticker: Timer | None = None

    def show(self, progress: SaveProgress | None, *, letter: str = "", cancel_key: str = "", others: int = 0) -> None:
        """Show ``progress`` of the save of variant ``letter`` (None: no save in flight)."""
        self.progress, self.letter, self.cancel_key, self.others = progress, letter, cancel_key, others
        self.set_class(progress is not None, "-saving")
        if progress is not None and self._ticker is None:
            self._ticker = self.set_interval(1.0, self.refresh, name="save-countdown")
        elif progress is None and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.refresh()

    @property
    def text(self) -> str:
        """The words on screen ("" while hidden)."""
        progress = self.progress
        if progress is None:
            return ""
        step = progress.step.value
        if progress.attempt > 1 or progress.attempts is not None:
            step += f", try {progress.attempt}" + (f" of {progress.attempts}" if progress.attempts else "")
        if progress.retry_in:
            step += f", again in {math.ceil(progress.retry_in)} s"
        parts = [f"Saving variant {self.letter}… ({step})"]
        if math.isfinite(progress.gives_up_at):
            left = max(0, math.ceil(progress.gives_up_at - time.monotonic()))
            parts.append(f"gives up in {left} s")
        if self.others:
            parts.append(f"{self.others} more saving")
        if self.cancel_key:
            parts.append(f"{self.cancel_key} cancel")
        return " · ".join(parts)

    def render(self) -> Text:
        return Text(self.text)


__all__ = ["SaveStatus"]
