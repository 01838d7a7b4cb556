"""A one-line input with undo and redo: Textual's Input (8.2) has neither, and a slip of the
keys in a subject (ctrl+u wipes it, a paste replaces a selection) could not be taken back except
by retyping (issue 13)."""

from __future__ import annotations

from time import monotonic
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from tui.widgets.field_marks_view import FieldMarks

# Typing within this many seconds of the last keystroke, one character at a time in the same
# direction, is one step of undo, as a word typed at once is; a space after a word starts the next.
GROUP_SECONDS = 1.0
MAX_STEPS = 200


def _cursor_after(before: str, after: str) -> int:
    """Where the cursor goes when ``before`` becomes ``after``: the end of what changed."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[len(before) - 1 - end] == after[len(after) - 1 - end]:
        end += 1
    return len(after) - end


class UndoInput(FieldMarks, Input):
    """``Input`` with ``ctrl+z`` undo and ``ctrl+y`` redo, typing grouped into steps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "Undo", show=False, id="input-undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="input-redo"),
    ]

    def __init__(self, value: str | None = None, *args, **kwargs) -> None:
        super().__init__(value, *args, **kwargs)
        self._undo: list[str] = []
        self._redo: list[str] = []
        self._known = self.value  # the value the history last saw
        self._restoring = False
        self._last_edit = 0.0
        self._last_step = 0  # +1 typing, -1 deleting, 0 anything else
        self._last_typed = ""  # the character typed last ("" after anything but typing)

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        previous = getattr(self, "_known", None)
        self._known = value
        if previous is None:  # set while Input.__init__ runs, before the history exists
            return
        if self._restoring or value == previous:
            return
        now = monotonic()
        step = 1 if len(value) == len(previous) + 1 else -1 if len(value) == len(previous) - 1 else 0
        end = _cursor_after(previous, value)
        typed = value[end - 1 : end] if step == 1 else ""
        # A space typed after a word starts the next step: " two words" undoes as " words", " two".
        word_ends = typed == " " and self._last_typed not in ("", " ")
        grouped = (
            self._undo
            and step != 0
            and step == self._last_step
            and now - self._last_edit < GROUP_SECONDS
            and not word_ends
        )
        if not grouped:
            self._undo.append(previous)
            del self._undo[:-MAX_STEPS]
        self._redo.clear()
        self._last_edit, self._last_step, self._last_typed = now, step, typed

    def replace_whole(self, text: str) -> None:
        """Put ``text`` in as one step of its own (an external editor's result)."""
        self._last_step = 0
        self.value = text
        self._last_step = 0

    def _restore(self, value: str) -> None:
        before = self.value
        self._restoring = True
        try:
            self.value = value
        finally:
            self._restoring = False
        self._known = value
        self._last_step = 0
        self.cursor_position = _cursor_after(before, value)

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo in this field.", markup=False, timeout=2)
            return
        self._redo.append(self.value)
        self._restore(self._undo.pop())

    def action_redo(self) -> None:
        if not self._redo:
            self.notify("Nothing to redo in this field.", markup=False, timeout=2)
            return
        self._undo.append(self.value)
        self._restore(self._redo.pop())
