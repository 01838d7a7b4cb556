"""The drafts screen: this account's unsaved drafts, to reopen (enter) or throw away (d).

Drafts of other windows are listed too, each saying whose it is: a window still running
(another seqedit on the same variant) or an older copy. Enter on one of those offers to use it
instead of this window's copy, which is then kept as a separate draft: nothing is overwritten.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.drafts import Draft, Window, format_value
from tui.screens.help_binding import HELP
from tui.session.workspace import VariantKey
from tui.text.safe_text import one_line
from tui.widgets.key_footer import KeyFooter


def ago(when: float, now: float | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", or the date."""
    seconds = max(0.0, (now if now is not None else time.time()) - when)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(when))


def draft_key(draft: Draft) -> VariantKey:
    return VariantKey(draft.key.sequence_id, draft.key.step_id, draft.key.variant_id)


def whose(draft: Draft, mine: str, others: dict[str, Window]) -> str:
    """Whose draft this is, in words ("" for this window's own)."""
    if draft.owner == mine:
        return ""
    window = others.get(draft.owner)
    if window is not None:
        return f"open in {window.describe()}"
    return "another copy (from a window that was closed)"


class DraftsScreen(ModalScreen[Draft | None]):
    """Lists drafts; dismisses with the draft to open, or None.

    ``describe(key)`` names a draft's place (sequence · step · variant) as plain text;
    ``discard(draft)`` throws a draft away after the person confirmed. ``mine`` is this window's
    owner id, ``others`` the other running windows: they tell whose each draft is.
    """

    DEFAULT_CSS = """
    DraftsScreen { align: center middle; }
    DraftsScreen > Vertical {
        width: 100; max-width: 100%; height: 80%; border: thick $primary; background: $surface;
    }
    DraftsScreen #drafts-title { text-style: bold; padding: 0 1; }
    DraftsScreen OptionList { height: 1fr; border: none; }
    DraftsScreen #drafts-keys { color: $text-muted; padding: 0 1; }
    DraftsScreen #drafts-said { padding: 0 1; height: auto; display: none; }
    DraftsScreen #drafts-said.-shown { display: block; }
    DraftsScreen #drafts-said.-warning { color: $text-warning; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the focused list binds enter too, and its hidden binding kept "Open" out
        # of the key bar. enter does the same either way.
        Binding("enter", "open", "Open", priority=True, id="drafts-open"),
        Binding("d,delete", "discard", "Discard", id="drafts-discard"),
        Binding("escape,q", "close", "Close", id="drafts-close"),
        # The tree's vim keys work here too; the arrows, home and end still do.
        Binding("j", "move('cursor_down')", "Next draft", show=False, id="drafts-down"),
        Binding("k", "move('cursor_up')", "Previous draft", show=False, id="drafts-up"),
        Binding("g", "move('first')", "First draft", show=False, id="drafts-first"),
        Binding("G", "move('last')", "Last draft", show=False, id="drafts-last"),
        HELP,
    ]

    def __init__(
        self,
        drafts: list[Draft],
        *,
        describe: Callable[[VariantKey, Any], str],
        discard: Callable[[Draft], None],
        mine: str = "",
        others: dict[str, Window] | None = None,
    ) -> None:
        super().__init__()
        self.drafts = list(drafts)
        self.describe = describe
        self.discard_draft = discard
        self.mine = mine
        self.others = dict(others or {})

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._title()), id="drafts-title")
            yield OptionList(*[self._option(d) for d in self.drafts], id="drafts-list")
            # What a key here did, said here: toasts wait while a dialog is up (toast_hold).
            yield Static("", id="drafts-said")
            yield Static(Text("enter opens · d discards (asks first) · esc closes"), id="drafts-keys")
        yield KeyFooter()

    def _title(self) -> str:
        count = len(self.drafts)
        return f"Unsaved drafts: {count}" if count else "No unsaved drafts."

    def _option(self, draft: Draft) -> Option:
        key = draft_key(draft)
        text = Text()
        text.append(one_line(self.describe(key, draft.base), 80), style="bold")
        text.append(f"  ·  {ago(draft.updated_at)}", style="dim")
        owner = whose(draft, self.mine, self.others)
        if owner:
            text.append(f"\n  {one_line(owner, 90)}", style="italic")
        changes = draft.changes()
        fields = ", ".join(change.path for change in changes) or "no changes"
        text.append("\n  changes: " + one_line(fields, 90))
        if changes and not changes[0].is_long:
            # Two copies of one variant differ in what they say, not in which fields they change.
            text.append(f"\n  {changes[0].path}: {one_line(format_value(changes[0].after), 70)}", style="dim")
        return Option(text, id="|".join((*key, draft.owner)))

    def _highlighted(self) -> Draft | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.drafts):
            return None
        return self.drafts[index]

    def action_move(self, action: str) -> None:
        """Run one of the list's own moves (cursor_down, cursor_up, first, last)."""
        getattr(self.query_one(OptionList), f"action_{action}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click selects in the list itself; that means the same as the screen's enter.
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        draft = self._highlighted()
        if draft is not None:
            self.dismiss(draft)

    def action_discard(self) -> None:
        draft = self._highlighted()
        if draft is None:
            return
        from tui.screens.confirm_screen import ConfirmScreen

        key = draft_key(draft)
        owner = whose(draft, self.mine, self.others)
        if draft.owner in self.others:
            self.say(f"That draft is {one_line(owner, 120)}: discard it there.", warning=True)
            return
        copy = f" ({owner})" if owner else ""
        question = f"Discard the draft of {one_line(self.describe(key, draft.base), 80)}{copy}?\n\nIts unsaved edits will be lost."

        def answered(yes: bool | None) -> None:
            if yes:
                self.discard_draft(draft)
                index = self.drafts.index(draft)
                self.drafts.remove(draft)
                self.query_one(OptionList).remove_option_at_index(index)
                self.query_one("#drafts-title", Static).update(Text(self._title()))
                self.say("Draft discarded.")

        self.app.push_screen(ConfirmScreen(question, yes="Discard it", no="Keep it"), answered)

    def say(self, text: str, *, warning: bool = False) -> None:
        """Answer a key in the dialog itself, above its keys."""
        said = self.query_one("#drafts-said", Static)
        said.update(Text(text))
        said.set_class(warning, "-warning")
        said.add_class("-shown")

    def action_close(self) -> None:
        self.dismiss(None)
