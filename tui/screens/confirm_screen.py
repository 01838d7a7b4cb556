"""A small modal that asks before something is lost (quitting, leaving unsaved edits)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.screens.help_binding import HELP


class ConfirmScreen(ModalScreen[bool]):
    """Asks a yes/no question; dismisses with True for yes."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; max-width: 95%; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-keys { color: $text-muted; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
        HELP,
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), id="confirm-question")
            yield Static(Text(f"y  {self.yes_label}    n / esc  {self.no_label}"), id="confirm-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
