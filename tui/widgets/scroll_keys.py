"""Scrolling by keys (j/k in the help, the save review and the compare screen).

``scroll_relative`` reads ``scroll_y``, which Textual moves only after the next refresh unless
the scroll is immediate: keys arriving faster than frames (auto-repeat, a slow SSH link
delivering a burst) each computed the same target, and steps were lost (issue 13).
"""

from __future__ import annotations

from textual.widget import Widget


def scroll_lines(widget: Widget, lines: int) -> None:
    """Scroll ``widget`` by ``lines`` (negative: up) now, so the next key starts from there."""
    widget.scroll_relative(y=lines, animate=False, immediate=True)
