"""Every key of the app and of the screen below, read from the bindings themselves."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from tui.widgets.key_footer import KeyFooter

# What people call the places whose keys the help lists (class names mean nothing to them).
PLACE_NAMES = {
    "SeqEditApp": "anywhere",
    "MainScreen": "editor",
    "SequenceTree": "tree",
    "VariantForm": "form",
    "FindingsList": "findings",
    "FindingsPanel": "findings",
    "PreviewPane": "preview",
    "AttachmentList": "attachments",
    "CountedTextArea": "text field",
    "HtmlTextArea": "HTML body",
    "ReviewScreen": "save review",
    "ReviewModeScreen": "review mode",
    "ReviewSummaryScreen": "review summary",
    "ConflictScreen": "conflict",
    "DraftsScreen": "drafts",
    "HistoryScreen": "history",
    "HelpScreen": "help",
    "ConfirmScreen": "question",
}


def place_name(class_name: str) -> str:
    """A person's word for the widget or screen a binding belongs to."""
    if class_name in PLACE_NAMES:
        return PLACE_NAMES[class_name]
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", class_name.removesuffix("Screen")).lower()
    return words or class_name


def binding_rows(app, nodes: Iterable[DOMNode]) -> list[tuple[str, str, str, str]]:
    """(where, key, description, id) for each binding of ``nodes``, after the keymap.

    The bindings are copied and the app's keymap applied, so remapped keys show as remapped.
    """
    rows: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    keymap = getattr(app, "_keymap", {}) or {}
    for node in nodes:
        bindings = node._bindings.copy()
        if keymap:
            bindings.apply_keymap(keymap)
        where = place_name(type(node).__name__)
        by_action: dict[tuple[str, str], list[Binding]] = {}
        for _key, key_bindings in bindings.key_to_bindings.items():
            for binding in key_bindings:
                by_action.setdefault((binding.action, binding.id or binding.description), []).append(binding)
        for (action, ident), group in by_action.items():
            if (where, action, ident) in seen or not group[0].description:
                continue
            seen.add((where, action, ident))
            keys = ", ".join(app.get_key_display(b) for b in group)
            rows.append((where, keys, group[0].tooltip or group[0].description, group[0].id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """A table of keys: what each does, and its binding id for the keymap."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close help", id="help-close"),
        # The tree's vim keys work here too: a newcomer reading the keys tries j first.
        Binding("j", "scroll_help(1)", "Scroll down", show=False, id="help-down"),
        Binding("k", "scroll_help(-1)", "Scroll up", show=False, id="help-up"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows: list[tuple[str, str, str, str]] = []

    def nodes(self) -> list[DOMNode]:
        """The screen below, the app, then every widget of ours on that screen but the key bar."""
        # The footer's own keys scroll the key bar itself; listing them reads as screen keys.
        widgets = [
            w for w in self.under.query("*") if type(w).__module__.startswith("tui.") and not isinstance(w, Footer)
        ]
        return [self.under, self.app, *widgets]

    def compose(self) -> ComposeResult:
        table = Table(expand=True, box=None, show_edge=False, header_style="bold")
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        table.add_column("where", style="dim")
        table.add_column("id", style="dim")
        self.rows = binding_rows(self.app, self.nodes())
        for where, keys, description, ident in self.rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(where), Text(ident))
        with VerticalScroll():
            yield Static(Text("Keys  (esc closes; ctrl+p opens the command palette)", style="bold"))
            yield Static(table, id="help-table")
        yield KeyFooter()

    def action_scroll_help(self, lines: int) -> None:
        """Scroll the table by ``lines`` (negative: up)."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
