"""A one-line input with a live character counter against a channel's limits."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input


def counter_text(length: int, limit: int | None) -> str:
    """'42/300', or just '42' when the field has no hard limit."""
    return f"{length}/{limit}" if limit else str(length)


def show_count(widget: Widget, length: int, limit: int | None, soft_limit: int | None) -> None:
    """Put ``length/limit`` on the widget's bottom border; ``-warning`` past ``soft_limit``,
    ``-error`` past ``limit`` (one input or text area counts the same as another)."""
    widget.border_subtitle = counter_text(length, limit)
    widget.set_class(bool(limit) and length > (limit or 0), "-error")
    over_soft = bool(soft_limit) and length > (soft_limit or 0)
    widget.set_class(over_soft and not widget.has_class("-error"), "-warning")


class CountedInput(Input):
    """An ``Input`` whose border shows the field name and ``length/limit``.

    Past ``soft_limit`` it takes the ``-warning`` class, past ``limit`` the ``-error`` class.
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

    def _count(self, value: str) -> None:
        show_count(self, len(value), self.limit, self.soft_limit)

    def on_input_changed(self, event: Input.Changed) -> None:
        # The message bubbles on to the form; only the counter is updated here.
        if event.input is self:
            self._count(event.value)
