"""A variant's save history, newest first, each save with its field diff; enter restores one.

Restoring a save puts the copy from *before* that save back into the form as an edit (that is how
a mistaken save is undone); it is then reviewed and sent like any other edit.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.drafts import Version
from tui.screens.help_binding import HELP
from tui.text.safe_text import one_line
from tui.widgets.key_footer import KeyFooter

from .diff_text import assignee_names, attachment_names, change_lines


def when(version: Version) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(version.saved_at))


class HistoryScreen(ModalScreen[Version | None]):
    """Lists the saves of one variant; dismisses with the version to restore, or None."""

    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical {
        width: 110; max-width: 100%; height: 90%; border: thick $primary; background: $surface;
    }
    HistoryScreen #history-title { text-style: bold; padding: 0 1; }
    HistoryScreen OptionList { height: 40%; border: none; }
    HistoryScreen #history-diff-scroll { height: 1fr; padding: 0 1; border-top: hkey $border-blurred; }
    HistoryScreen #history-keys { color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the focused list binds enter too, and its hidden binding kept "Restore" out of
        # the key bar. enter does the same either way.
        Binding("enter", "restore", "Restore", priority=True, id="history-restore"),
        Binding("escape,q", "close", "Close", id="history-close"),
        # The tree's vim keys work here too; the arrows, home and end still do.
        Binding("j", "move('cursor_down')", "Older save", show=False, id="history-down"),
        Binding("k", "move('cursor_up')", "Newer save", show=False, id="history-up"),
        Binding("g", "move('first')", "Newest save", show=False, id="history-first"),
        Binding("G", "move('last')", "Oldest save", show=False, id="history-last"),
        HELP,
    ]

    def __init__(self, title: str, versions: list[Version]) -> None:
        super().__init__()
        self.title_text = title
        self.versions = list(versions)

    def compose(self) -> ComposeResult:
        with Vertical():
            count = len(self.versions)
            heading = f"History of {one_line(self.title_text, 70)}: {count} save{'s' if count != 1 else ''}"
            yield Static(
                Text(heading if count else f"No saves of {one_line(self.title_text, 70)} recorded yet."),
                id="history-title",
            )
            yield OptionList(*[self._option(v) for v in self.versions], id="history-list")
            with VerticalScroll(id="history-diff-scroll"):
                yield Static(Text(""), id="history-diff")
            yield Static(
                Text(
                    "enter puts the copy from before the highlighted save back in the form, to review and send · esc closes"
                ),
                id="history-keys",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.versions:
            self.query_one(OptionList).highlighted = 0
            self._show(0)

    def _option(self, version: Version) -> Option:
        fields = ", ".join(change.path for change in version.changes()) or "no field changed"
        text = Text()
        text.append(f"saved {when(version)}", style="bold")
        text.append("  " + one_line(fields, 80))
        return Option(text, id=f"version-{version.id}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.versions):
            return
        version = self.versions[index]
        heading = Text(f"What the save of {when(version)} changed (server copy before → after):", style="italic")
        self.query_one("#history-diff", Static).update(
            Group(
                heading,
                *change_lines(
                    version.changes(),
                    assignee_names(getattr(self.app, "assignees", ()))
                    | attachment_names(version.before, getattr(version, "after", None)),
                ),
            )
        )

    def action_move(self, action: str) -> None:
        """Run one of the list's own moves (cursor_down, cursor_up, first, last)."""
        getattr(self.query_one(OptionList), f"action_{action}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click selects in the list itself; that means the same as the screen's enter.
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self.versions):
            self.dismiss(self.versions[index])

    def action_close(self) -> None:
        self.dismiss(None)
