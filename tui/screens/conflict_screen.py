"""The conflict dialog: the server's copy changed since the edit began; choose before sending.

Each changed field is shown with its three values (base, mine, the server's); a long text (an
email body) shows instead where each side changed it, word by word, since its first line is
usually the same on all three. ``m`` keeps mine
for every field, ``t`` takes the server's for every field, space flips the highlighted field;
enter continues with the choices shown, esc cancels (nothing is sent either way until enter).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.drafts import ChangeKind, Conflict, format_value
from tui.drafts.diff import is_long_text
from tui.drafts.merge import Side
from tui.screens.diff_text import UNKNOWN_BEFORE, WORD_DIFF_LEGEND, assignee_names, shown_value, word_diff_text
from tui.screens.help_binding import HELP
from tui.text.safe_text import one_line
from tui.widgets.key_footer import KeyFooter

_KIND = {
    ChangeKind.MINE: "changed by you",
    ChangeKind.THEIRS: "changed on the server",
    ChangeKind.SAME: "both made the same change",
    ChangeKind.BOTH: "changed by both, differently",
}


def default_choice(conflict: Conflict) -> Side:
    """Each side's own change is kept; a field both changed starts as mine."""
    return "theirs" if conflict.kind is ChangeKind.THEIRS else "mine"


class ConflictScreen(ModalScreen[dict[str, Side] | None]):
    """Dismisses with a choice per field path ("mine"/"theirs"), or None to cancel."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical {
        width: 110; max-width: 100%; height: 90%; border: thick $warning; background: $surface;
    }
    ConflictScreen #conflict-title { padding: 0 1; }
    ConflictScreen OptionList { height: 1fr; border: none; }
    ConflictScreen #conflict-keys { color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "all('mine')", "Keep mine", id="conflict-mine"),
        Binding("t", "all('theirs')", "Take theirs", id="conflict-theirs"),
        Binding("space", "flip_field", "Flip field", id="conflict-toggle"),
        # Priority: the focused list binds enter too, and its hidden binding kept "Send" out of the
        # key bar. enter does the same either way.
        Binding("enter", "continue", "Send", priority=True, id="conflict-continue"),
        Binding("escape", "cancel", "Cancel", id="conflict-cancel"),
        # The tree's vim keys work here too; the arrows, home and end still do.
        Binding("j", "move('cursor_down')", "Next field", show=False, id="conflict-down"),
        Binding("k", "move('cursor_up')", "Previous field", show=False, id="conflict-up"),
        Binding("g", "move('first')", "First field", show=False, id="conflict-first"),
        Binding("G", "move('last')", "Last field", show=False, id="conflict-last"),
        HELP,
    ]

    def __init__(
        self, title: str, conflicts: list[Conflict], unknown: Mapping[str, Collection[str]] | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.conflicts = list(conflicts)
        # Per side ("base", "theirs"): the fields that side's read did not return. Their value is
        # unknown, not empty: shown as "(none)" it read as if the server had no priority.
        self.unknown = {side: frozenset(fields) for side, fields in (unknown or {}).items()}
        self.choices: dict[str, Side] = {c.path: default_choice(c) for c in self.conflicts}
        self._names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        # As in the save review: "1" vs "0" or two assignee ids leave the choice to guesswork.
        self._names = assignee_names(getattr(self.app, "assignees", ()))
        with Vertical():
            heading = Text()
            heading.append(f"Conflict: {one_line(self.title_text, 70)}\n", style="bold")
            heading.append("The variant changed on the server since you started editing. Nothing has been sent.")
            if any(self._is_long(conflict) for conflict in self.conflicts):
                heading.append(f"\nLong fields show each side's change to the base: {WORD_DIFF_LEGEND}.", style="dim")
            yield Static(heading, id="conflict-title")
            yield OptionList(
                *[Option(self._prompt(c), id=f"field-{i}") for i, c in enumerate(self.conflicts)], id="conflict-list"
            )
            yield Static(
                Text(
                    "m keep mine for all · t take the server's for all · space flip the field · enter send · esc cancel"
                ),
                id="conflict-keys",
            )
        yield KeyFooter()

    def _prompt(self, conflict: Conflict) -> Text:
        choice = self.choices[conflict.path]
        text = Text()
        text.append(f"[{'mine' if choice == 'mine' else 'server'}] ", style="bold reverse")
        text.append(one_line(conflict.path, 40), style="bold")
        text.append(f"  ({_KIND[conflict.kind]})", style="dim")
        long = self._is_long(conflict)
        for label, value, side in (
            ("base  ", conflict.base, None),
            ("mine  ", conflict.mine, "mine"),
            ("server", conflict.theirs, "theirs"),
        ):
            marker = "▸" if side == choice else " "
            if long and side is None:
                # Its first line is what the other two start with too: its size says more.
                size = len(format_value(value))
                text.append(f"\n   {label}: ", style="dim")
                text.append(f"{size:,} characters; below, what each side changed in it", style="dim")
                continue
            text.append(f"\n {marker} {label}: ", style="bold" if side == choice else "dim")
            if conflict.path in self.unknown.get(side or "base", ()):
                text.append(UNKNOWN_BEFORE, style="dim")
            elif long and is_long_text(value):
                text.append_text(word_diff_text(format_value(conflict.base), format_value(value)))
            else:
                # An emptied note showed as nothing after "server:", as if the line were cut off.
                shown = shown_value(conflict.path, value, self._names) or "(empty)"
                text.append(one_line(shown, 90, reveal=True))
        return text

    @staticmethod
    def _is_long(conflict: Conflict) -> bool:
        return any(is_long_text(value) for value in (conflict.base, conflict.mine, conflict.theirs))

    def _redraw(self, index: int) -> None:
        options = self.query_one(OptionList)
        options.replace_option_prompt_at_index(index, self._prompt(self.conflicts[index]))

    def action_flip_field(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.conflicts):
            return
        path = self.conflicts[index].path
        self.choices[path] = "theirs" if self.choices[path] == "mine" else "mine"
        self._redraw(index)

    def action_all(self, side: Side) -> None:
        """Keep mine (or take the server's) for every field, then send."""
        self.choices = {c.path: side for c in self.conflicts}
        self.dismiss(dict(self.choices))

    def action_move(self, action: str) -> None:
        """Run one of the list's own moves (cursor_down, cursor_up, first, last)."""
        getattr(self.query_one(OptionList), f"action_{action}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click selects in the list itself; that means the same as the screen's enter.
        event.stop()
        self.action_continue()

    def action_continue(self) -> None:
        self.dismiss(dict(self.choices))

    def action_cancel(self) -> None:
        self.dismiss(None)
