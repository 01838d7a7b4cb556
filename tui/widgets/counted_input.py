"""A one-line input with a live character counter against a channel's limits."""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input

from tui.text.field_marks import mask
from tui.text.safe_text import _ESCAPES
from tui.widgets.undo_input import UndoInput

# C0 controls except tab and newline, DEL, and C1. A terminal shows them as nothing or as "^[",
# so one that slipped into a field would reach the server unseen.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {"\x1b": "ESC", "\r": "CR", "\x7f": "DEL", "\x00": "NUL", "\x07": "BEL", "\x08": "BS"}


def control_name(char: str) -> str:
    """'ESC', 'CR', … or 'U+0085' for a control character."""
    return _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")


def strip_controls(text: str) -> tuple[str, list[str]]:
    """``text`` without escape sequences (whole: "ESC[31m" leaves no "[31m") and control
    characters other than tab and newline; and the names of the control characters removed."""
    if text.isprintable() or not _CONTROL_RE.search(text):
        return text, []
    # Line ends from Windows or old Mac clipboards are line ends, not stray characters.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _CONTROL_RE.search(text):
        return text, []
    removed = sorted({control_name(char) for char in _CONTROL_RE.findall(text)})
    return _CONTROL_RE.sub("", _ESCAPES.sub("", text)), removed


def tell_stripped(widget: Widget | App[Any], label: object, removed: list[str], where: str = "the pasted text") -> None:
    """Say which control characters were left out of what ``widget`` received."""
    names = ", ".join(removed)
    widget.notify(
        f"{label}: removed control characters ({names}) from {where}; they would reach the server unseen.",
        severity="warning",
        markup=False,
    )


def one_line_paste(widget: Widget, label: object, pasted: str) -> str:
    """What of ``pasted`` a one-line field takes: its first line that is not blank.

    Textual's Input keeps the first line only (a blank one too), and the rest went without a
    word (issue 13): with more than one line of text, say so.
    """
    lines = [line for line in pasted.splitlines() if line.strip()]
    if len(lines) > 1:
        widget.notify(
            f"{label} is one line: kept the first of the {len(lines)} pasted lines and left out the rest. "
            "ctrl+g edits the field in $EDITOR.",
            severity="warning",
            markup=False,
        )
    return lines[0] if lines else pasted


def counter_text(length: int, limit: int | None, soft_limit: int | None = None) -> str:
    """'42/300' against the hard limit, else against the soft one (WhatsApp's 4096 a message),
    or just '42' when the field has neither."""
    shown = limit or soft_limit
    return f"{length}/{shown}" if shown else str(length)


def show_count(widget: Widget, length: int, limit: int | None, soft_limit: int | None) -> None:
    """Put ``length/limit`` on the widget's bottom border; ``-warning`` past ``soft_limit``,
    ``-error`` past ``limit`` (one input or text area counts the same as another)."""
    widget.border_subtitle = counter_text(length, limit, soft_limit)
    widget.set_class(bool(limit) and length > (limit or 0), "-error")
    over_soft = bool(soft_limit) and length > (soft_limit or 0)
    widget.set_class(over_soft and not widget.has_class("-error"), "-warning")


class CountedInput(UndoInput):
    """An ``Input`` whose border shows the field name and ``length/limit``.

    Past ``soft_limit`` it takes the ``-warning`` class, past ``limit`` the ``-error`` class.
    Pasted control characters are left out (with a notification); ctrl+z and ctrl+y undo and
    redo (:class:`~tui.widgets.undo_input.UndoInput`), an external edit (ctrl+g) included.
    """

    DEFAULT_CSS = """
    CountedInput {
        border: tall $border-blurred;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        height: 3;
    }
    CountedInput:focus { border: tall $border; border-title-color: $text; }
    CountedInput.-warning { border: tall $warning; border-subtitle-color: $warning; }
    CountedInput.-error { border: tall $error; border-subtitle-color: $error; }
    """

    def __init__(
        self,
        value: str = "",
        *,
        label: str,
        limit: int | None = None,
        soft_limit: int | None = None,
        **kwargs,
    ) -> None:
        # Selecting all on focus would let the first key press wipe the field.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)
        self.limit = limit
        self.soft_limit = soft_limit
        self.border_title = label
        self._count(value)

    def _on_paste(self, event: events.Paste) -> None:
        text, removed = strip_controls(event.text)
        if removed:
            event.text = text
            tell_stripped(self, self.border_title, removed)
        event.text = one_line_paste(self, self.border_title, event.text)
        event.text = mask(event.text) or event.text  # pasted hidden characters show as marks too
        # No super() call: Textual runs Input's own _on_paste after this one, with the new text.

    def _count(self, value: str) -> None:
        show_count(self, len(value), self.limit, self.soft_limit)

    def on_input_changed(self, event: Input.Changed) -> None:
        # The message bubbles on to the form; only the counter is updated here.
        if event.input is self:
            self._count(event.value)
