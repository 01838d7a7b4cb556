"""Draws the stand-ins of hidden characters (tui.text.field_marks) as a reversed mark.

Mixed into the form's Input and TextArea classes, after Textual has rendered a line: a stand-in
is one character of one cell, like the mark drawn in its place, so the cursor, selection and
wrapping Textual computed stay right, and no private-use character reaches the terminal.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.text.field_marks import MARK, STAND_INS

_MARK_STYLE = Style(reverse=True, bold=True)


def show_marks(strip: Strip) -> Strip:
    """``strip`` with every stand-in drawn as the mark."""
    if not STAND_INS.search(strip.text):
        return strip
    segments: list[Segment] = []
    for text, style, control in strip:
        if control or not STAND_INS.search(text):
            segments.append(Segment(text, style, control))
            continue
        start = 0
        for found in STAND_INS.finditer(text):
            if found.start() > start:
                segments.append(Segment(text[start : found.start()], style))
            segments.append(Segment(MARK, (style or Style()) + _MARK_STYLE))
            start = found.end()
        if start < len(text):
            segments.append(Segment(text[start:], style))
    return Strip(segments, strip.cell_length)


class FieldMarks:
    """Mixin for an Input or TextArea: hidden characters show as marks."""

    def render_line(self, y: int) -> Strip:
        return show_marks(super().render_line(y))  # type: ignore[misc]  # a mixin before Input/TextArea
