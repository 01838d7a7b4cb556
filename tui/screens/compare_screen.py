"""Compare two variants of a step (A/B testing): side by side when wide, stacked at 80 columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.session.compare import Comparison, Side, compare
from tui.text.safe_text import clean
from tui.widgets.key_footer import KeyFooter
from tui.widgets.scroll_keys import scroll_lines

from .diff_text import word_diff_text

SIDE_BY_SIDE_AT = 110  # columns: below this the two variants are stacked


def _numbers(side: Side) -> str:
    found = side.findings
    checks = f"{found.get('E', 0)} E, {found.get('W', 0)} W, {found.get('I', 0)} I"
    return (
        f"{side.words} words · {side.links} link{'s' if side.links != 1 else ''} · "
        f"{side.images} image{'s' if side.images != 1 else ''} · "
        f"{side.combinations} spintax combination{'s' if side.combinations != 1 else ''} · {checks}"
    )


def _literal(text: str) -> Text:
    return Text(clean(text, reveal=True) or "(empty)", style="" if text else "dim")


def render_comparison(comparison: Comparison, width: int) -> RenderableType:
    """The comparison as literal text (server text never goes through markup)."""
    left, right = comparison.left, comparison.right
    parts: list[RenderableType] = []
    if width >= SIDE_BY_SIDE_AT:
        table = Table(expand=True, show_lines=True)
        table.add_column("", style="bold", no_wrap=True)
        table.add_column(f"Variant {left.letter}", ratio=1)
        table.add_column(f"Variant {right.letter}", ratio=1)
        for label, a, b in comparison.fields:
            table.add_row(label, _literal(a), _literal(b))
        table.add_row("numbers", _numbers(left), _numbers(right))
        parts.append(table)
    else:  # stacked: the numbers first, they are read at a glance
        parts.append(Text("numbers", style="bold"))
        parts.append(Text(f"{left.letter}: {_numbers(left)}"))
        parts.append(Text(f"{right.letter}: {_numbers(right)}"))
        for label, a, b in comparison.fields:
            parts.append(Text(label, style="bold"))
            parts.append(Text.assemble((f"{left.letter}: ", "bold"), _literal(a)))
            parts.append(Text.assemble((f"{right.letter}: ", "bold"), _literal(b)))
    parts.append(Text(f"What changes from {left.letter} to {right.letter}, word by word", style="bold"))
    for label, a, b in comparison.fields:
        parts.append(Text.assemble((f"{label}: ", "bold"), word_diff_text(a, b)))
    return Group(*parts)


class CompareScreen(ModalScreen[None]):
    """Variant ``left`` against one of ``others``; ``n`` picks the next other variant."""

    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen > Vertical { width: 100%; max-width: 160; height: 95%; border: thick $primary; background: $surface; }
    CompareScreen #compare-scroll { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_other", "Other variant", id="compare-next"),
        Binding("escape,q", "dismiss", "Close", id="compare-close"),
        Binding("j", "scroll_compare(1)", "Scroll down", show=False, id="compare-down"),
        Binding("k", "scroll_compare(-1)", "Scroll up", show=False, id="compare-up"),
    ]

    def __init__(self, title: str, left: Side, others: list[Callable[[], Side]]) -> None:
        super().__init__()
        self.title_text = title
        self.left = left
        self.others = others
        self.index = 0
        self.comparison = compare(left, others[0]())

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll(id="compare-scroll"):
            yield Static(Text(self._heading(), style="bold"), id="compare-title")
            yield Static(render_comparison(self.comparison, self.app.size.width), id="compare-body")
        yield KeyFooter()

    def _heading(self) -> str:
        right = self.comparison.right.letter
        more = f" · n: next of {len(self.others)}" if len(self.others) > 1 else ""
        return f"Compare {self.left.letter} and {right}: {clean(self.title_text, keep_newlines=False)}{more}"

    def action_next_other(self) -> None:
        self.index = (self.index + 1) % len(self.others)
        self.comparison = compare(self.left, self.others[self.index]())
        self.query_one("#compare-title", Static).update(Text(self._heading(), style="bold"))
        self.query_one("#compare-body", Static).update(render_comparison(self.comparison, self.app.size.width))

    def action_scroll_compare(self, lines: int) -> None:
        scroll_lines(self.query_one("#compare-scroll", VerticalScroll), lines)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
