"""Shown instead of the editor while the terminal is too small to lay it out.

At 10 columns or fewer the form's widgets had no width left and a render divided by it (a
resize storm through such sizes crashed the app, issue 18). Below :data:`MIN_SIZE` the app
puts this screen on top, so nothing else is laid out or drawn, and takes it away once the
terminal is large enough again: the editor comes back as it was, edits and focus included.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

# Columns, rows. The editor is laid out for 80×24; below this even the tree and one field
# no longer fit beside their labels.
MIN_SIZE = (40, 10)


def too_small(width: int, height: int) -> bool:
    return width < MIN_SIZE[0] or height < MIN_SIZE[1]


class TooSmallScreen(Screen[None]):
    """'Terminal too small': the size needed and the size now. Keys other than quit wait."""

    DEFAULT_CSS = """
    TooSmallScreen { overflow: hidden; }
    TooSmallScreen #too-small { width: 100%; height: 100%; overflow: hidden; }
    /* Notifications need room too: none are drawn while the terminal is this small. */
    TooSmallScreen ToastRack { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,ctrl+q", "quit_small", "Quit", id="too-small-quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="too-small")

    def _text(self, extra: str = "") -> Text:
        width, height = self.app.size
        return Text(
            f"Terminal too small: {width}×{height}. seqedit needs {MIN_SIZE[0]}×{MIN_SIZE[1]} or more "
            f"(80×24 is best). Enlarge the window; nothing is lost meanwhile.{extra}"
        )

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(self._text())

    def on_screen_resume(self) -> None:
        # Back on top after a dialog that opened while the terminal was small, which has grown
        # since: nothing to wait for.
        if not too_small(*self.app.size) and self.app.screen is self:
            self.app.pop_screen()

    def action_quit_small(self) -> None:
        """Quit without a dialog (it would not fit): only when no edit would be lost."""
        app = self.app
        workspace = getattr(app, "workspace", None)
        drafts = getattr(app, "drafts", None)
        dirty = workspace.dirty_keys() if workspace is not None else []
        if dirty and drafts is None:
            self.query_one("#too-small", Static).update(
                self._text(" Unsaved edits would be lost: enlarge the window to quit.")
            )
            return
        if drafts is not None:
            drafts.flush()
        app.exit()
