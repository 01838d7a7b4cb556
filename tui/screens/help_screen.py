"""Every key of the app and of the screen below, read from the bindings themselves."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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
from tui.widgets.scroll_keys import scroll_lines

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


def binding_rows(
    app, nodes: Iterable[DOMNode], listed: Callable[[Binding], bool] = lambda _binding: True
) -> list[tuple[str, str, str, str]]:
    """(where, key, description, id) for each binding of ``nodes`` that ``listed`` accepts,
    after the keymap.

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
                if not listed(binding):
                    continue
                by_action.setdefault((binding.action, binding.id or binding.description), []).append(binding)
        for (action, ident), group in by_action.items():
            if (where, action, ident) in seen or not group[0].description:
                continue
            seen.add((where, action, ident))
            keys = ", ".join(app.get_key_display(b) for b in group)
            rows.append((where, keys, group[0].tooltip or group[0].description, group[0].id or ""))
    return rows


# Bindings without an id are Textual's own (scrolling, cursor keys in a field, page up): they
# do what anyone expects and padded the help to pages. Two of them are worth saying.
_GENERIC_KEPT = frozenset({"focus_next", "focus_previous", "app.focus_next", "app.focus_previous"})


def worth_listing(binding: Binding) -> bool:
    """Whether the help lists ``binding``: seqedit's own (they have ids), and tab / shift+tab."""
    return bool(binding.id) or binding.action in _GENERIC_KEPT


class HelpScreen(ModalScreen[None]):
    """What to do first (three lines), then the keys of the screen below, grouped by where they
    work: what each does and its binding id for the keymap. Fits 60 columns."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    HelpScreen #help-orientation { padding-bottom: 1; }
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
        """The screen below, the app (not under a dialog), then every widget of ours on that screen
        but the key bar."""
        # The footer's own keys scroll the key bar itself; listing them reads as screen keys.
        widgets = [
            w for w in self.under.query("*") if type(w).__module__.startswith("tui.") and not isinstance(w, Footer)
        ]
        # Under a dialog Textual leaves the app's bindings out: listing them would promise keys
        # that do nothing there.
        app = [] if self.under.is_modal else [self.app]
        return [self.under, *app, *widgets]

    def _key(self, ident: str, default: str) -> str:
        """The keys of binding ``ident`` as listed (after the keymap), else ``default``."""
        return next((keys for _where, keys, _does, row_id in self.rows if row_id == ident), default)

    def orientation(self) -> Text:
        """Three lines: open, edit, save, in the keys of this keymap."""
        text = Text()
        text.append("Open  ", style="bold")
        text.append(f"j/k move in the tree, {self._key('tree-open', 'l')} opens a sequence or step, ⏎ a variant\n")
        text.append("Edit  ", style="bold")
        text.append(f"⏎ again or {self._key('focus-form', 'e')} goes into the form, tab to the next field\n")
        text.append("Save  ", style="bold")
        text.append(f"{self._key('save-variant', '^s')} shows what will be sent; ⏎ sends it, esc goes back")
        return text

    def compose(self) -> ComposeResult:
        self.rows = binding_rows(self.app, self.nodes(), worth_listing)
        table = Table(expand=True, box=None, show_edge=False, show_header=False, padding=(0, 1, 0, 0))
        table.add_column("key", no_wrap=True, style="bold")
        table.add_column("does", ratio=1)
        place = None
        for where, keys, description, ident in self.rows:
            if where != place:
                place = where
                table.add_row(Text(f"\n{where}" if table.row_count else where, style="bold underline"), Text(""))
            does = Text(description)
            if ident:
                does.append(f"  {ident}", style="dim")
            table.add_row(Text(keys), does)
        with VerticalScroll():
            yield Static(self.orientation(), id="help-orientation")
            yield Static(Text("Keys  (esc closes; ctrl+p opens the command palette; dim: the id for [keymap])"))
            yield Static(table, id="help-table")
        yield KeyFooter()

    def action_scroll_help(self, lines: int) -> None:
        """Scroll the table by ``lines`` (negative: up)."""
        scroll_lines(self.query_one(VerticalScroll), lines)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
