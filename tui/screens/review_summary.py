"""The end of review mode: which variants have errors, warnings, are paused or were not seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.screens.help_binding import HELP
from tui.text.safe_text import one_line


@dataclass
class ReviewSummary:
    """Variant labels (``Day 3 · Step 2 · Email · B — subject``) in each group, in step order."""

    title: str
    total: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    paused: list[str] = field(default_factory=list)
    not_reviewed: list[str] = field(default_factory=list)
    unsaved: list[str] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[str]]]:
        """(heading, labels) for each group, the empty ones included."""
        return [
            ("With errors (saving is refused until fixed)", self.errors),
            ("With warnings", self.warnings),
            ("Paused", self.paused),
            ("Not reviewed", self.not_reviewed),
            ("Unsaved edits", self.unsaved),
        ]

    def as_text(self) -> Text:
        """The summary as literal text (labels come from the server and are already one line)."""
        text = Text()
        reviewed = self.total - len(self.not_reviewed)
        text.append(f"{self.title}\n", style="bold")
        text.append(f"{reviewed} of {self.total} variants reviewed.\n")
        for heading, labels in self.groups():
            if heading == "Unsaved edits" and not labels:
                continue
            text.append(f"\n{heading}: {len(labels)}\n", style="bold")
            if not labels:
                text.append("  none\n", style="dim")
            for label in labels:
                text.append(f"  {one_line(label, 70)}\n")
        text.rstrip()
        return text


class ReviewSummaryScreen(ModalScreen[bool]):
    """Shows a :class:`ReviewSummary`; dismisses True to leave review mode, False to go back."""

    DEFAULT_CSS = """
    ReviewSummaryScreen { align: center middle; }
    ReviewSummaryScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 95%; border: thick $primary;
        background: $surface;
    }
    ReviewSummaryScreen #summary-scroll { height: auto; max-height: 85vh; padding: 0 1; }
    ReviewSummaryScreen > Vertical { border-subtitle-color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,enter", "leave", "Leave review", id="review-summary-leave"),
        Binding("escape,b", "back", "Back to review", id="review-summary-back"),
        HELP,
    ]

    def __init__(self, summary: ReviewSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            # The keys sit on the border so a long summary cannot scroll them away.
            box.border_subtitle = "q / enter leave review mode · esc / b back to the variants"
            with VerticalScroll(id="summary-scroll"):
                yield Static(self.summary.as_text(), id="summary-text")

    def action_leave(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
