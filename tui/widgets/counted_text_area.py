"""A multi-line editor with a live character counter against a channel's limits."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import TextArea

from tui.text.field_marks import mask
from tui.widgets.counted_input import strip_controls, tell_stripped
from tui.widgets.field_marks_view import FieldMarks


class CountedTextArea(FieldMarks, TextArea):
    """A ``TextArea`` whose border shows the field name and ``length/limit``.

    Past ``soft_limit`` it takes the ``-warning`` class, past ``limit`` the ``-error`` class.
    Plain text: no tree-sitter highlighting (it is not installed here on purpose).
    """

    DEFAULT_CSS = """
    CountedTextArea {
        border: tall $border-blurred;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        height: auto;
        min-height: 4;
        max-height: 14;
    }
    CountedTextArea:focus { border: tall $border; border-title-color: $text; }
    CountedTextArea.-warning { border: tall $warning; border-subtitle-color: $warning; }
    CountedTextArea.-error { border: tall $error; border-subtitle-color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+home", "document_start", "Start of text", show=False, id="text-start"),
        Binding("ctrl+end", "document_end", "End of text", show=False, id="text-end"),
    ]

    def __init__(
        self,
        text: str = "",
        *,
        label: str,
        limit: int | None = None,
        soft_limit: int | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(text, **kwargs)
        self.limit = limit
        self.soft_limit = soft_limit
        self.border_title = label
        self._count(text)

    def _count(self, text: str) -> None:
        from tui.widgets.counted_input import show_count

        show_count(self, len(text), self.limit, self.soft_limit)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self:
            self._count(self.text)

    async def _on_paste(self, event: events.Paste) -> None:
        text, removed = strip_controls(event.text)
        if removed and not self.read_only:
            event.text = text
            tell_stripped(self, self.border_title, removed)
        event.text = mask(event.text) or event.text  # pasted hidden characters show as marks too
        # No super() call: Textual runs TextArea's own _on_paste after this one, with the new text.

    def action_document_start(self) -> None:
        self.move_cursor(self.document.start)

    def action_document_end(self) -> None:
        self.move_cursor(self.document.end)
