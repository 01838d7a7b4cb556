"""The screen shown instead of a traceback when there is no API key."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.key_footer import KeyFooter


class NoKeyScreen(Screen[None]):
    """Explains how to get a key, where to put it, and that ``--demo`` exists."""

    DEFAULT_CSS = """
    NoKeyScreen { align: center middle; }
    NoKeyScreen > Vertical { width: 84; max-width: 100%; height: auto; border: thick $warning; padding: 1 2; }
    NoKeyScreen #no-key-title { text-style: bold; padding-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "app.quit", "Close", id="no-key-quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("seqedit needs a Saleshandy API key"), id="no-key-title")
            yield Static(Text(self.message), id="no-key-message")
            yield Static(
                Text(
                    "\nAnother API address (a proxy, a staging server):  seqedit --base-url URL\n"
                    "Everything offline, on demo data:                 seqedit --demo"
                ),
                id="no-key-hints",
            )
        yield KeyFooter()
