"""The drafts indicator beside the connection indicator: shown only while drafts cannot be written.

Seen all the time while it lasts (a toast fades): edits are then only in memory, and the quit
dialog says so too. The tooltip holds why (a full disk, say).
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

LABEL = "✕ drafts not on disk"


class DraftsStatus(Widget):
    """One line in the header, left of the connection indicator; hidden while all is well."""

    DEFAULT_CSS = """
    DraftsStatus {
        layer: connection;
        dock: right;
        width: auto;
        height: 1;
        margin: 0 14 0 0;
        padding: 0 1;
        background: $panel;
        color: $error;
        text-style: bold;
        display: none;
    }
    DraftsStatus.-failing { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem: str | None = None

    def show(self, problem: str | None) -> None:
        """``problem`` (plain text) while drafts cannot be written, None once they can."""
        self.problem = problem
        self.tooltip = Text(problem) if problem else None
        self.set_class(problem is not None, "-failing")
        self.refresh()

    @property
    def label(self) -> str:
        """The words on screen ("" while hidden)."""
        return LABEL if self.problem is not None else ""

    def render(self) -> Text:
        return Text(LABEL)
