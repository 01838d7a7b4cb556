"""Confirm a test email: the sender, the recipients, and what will arrive (always asked)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.api.models import EmailAccount
from tui.session.test_email import Letter, first_lines, recipients
from tui.text.safe_text import clean, one_line
from tui.widgets.key_footer import KeyFooter


class TestEmailScreen(ModalScreen[tuple[str, list[str]] | None]):
    """Dismisses (sender id, recipients) when the person sends, None when they go back."""

    __test__ = False  # not a pytest class, whatever its name says

    DEFAULT_CSS = """
    TestEmailScreen { align: center middle; }
    TestEmailScreen > Vertical { width: 100; max-width: 100%; height: 95%; border: thick $primary; background: $surface; }
    TestEmailScreen #test-email-scroll { padding: 0 1; }
    TestEmailScreen .test-email-heading { text-style: bold; color: $accent; padding-top: 1; }
    TestEmailScreen #test-email-senders { height: auto; max-height: 5; }
    TestEmailScreen #test-email-problem { color: $error; text-style: bold; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", id="test-email-send"),
        Binding("escape", "cancel", "Back", id="test-email-cancel"),
    ]

    def __init__(self, title: str, letter: Letter, accounts: list[EmailAccount], preferred: str | None, to: list[str]):
        super().__init__()
        self.title_text = title
        self.letter = letter
        self.accounts = accounts
        self.preferred = preferred
        self.to = to

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll(id="test-email-scroll"):
            yield Static(Text(f"Send a test email: {one_line(self.title_text, 80)}", style="bold"))
            yield Static(Text("From (the sequence's sending accounts)"), classes="test-email-heading")
            options = [Option(clean(account.display, keep_newlines=False), id=account.id) for account in self.accounts]
            yield OptionList(*options, id="test-email-senders")
            yield Static(Text("To (commas between addresses)"), classes="test-email-heading")
            yield Input(", ".join(self.to), placeholder="you@example.com", id="test-email-to")
            yield Static(Text(""), id="test-email-problem")
            yield Static(Text("What arrives"), classes="test-email-heading")
            yield Static(self._letter_text(), id="test-email-letter")
        yield KeyFooter()

    def _letter_text(self) -> Text:
        letter = self.letter
        text = Text()
        if letter.prospect:
            text.append(f"Merge tags filled for {one_line(letter.prospect, 60)}, as in the Preview")
            if letter.missing:
                text.append(f" (no value for {one_line(', '.join(letter.missing), 80)}: fallback or tag sent)")
        else:
            text.append("No prospect chosen in the Preview: merge tags are sent as written (n there picks one)")
        text.append("\n")
        if letter.combinations > 1:
            text.append(f"Spintax: combination {letter.combination} of {letter.combinations}, as in the Preview\n")
        text.append("Subject: ", style="bold")
        text.append(clean(letter.subject, keep_newlines=False, reveal=True) or "(empty)")
        text.append("\nPreheader: ", style="bold")
        text.append(clean(letter.preheader, keep_newlines=False, reveal=True) or "(none)")
        text.append("\n")
        for line in first_lines(letter.content):
            text.append(clean(line, keep_newlines=False, reveal=True) + "\n", style="dim")
        text.rstrip()
        return text

    def on_mount(self) -> None:
        senders = self.query_one("#test-email-senders", OptionList)
        ids = [account.id for account in self.accounts]
        senders.highlighted = ids.index(self.preferred) if self.preferred in ids else 0
        target = self.query_one("#test-email-to", Input)
        if not target.value:
            target.focus()
        else:
            senders.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#test-email-to", Input).focus()

    def action_send(self) -> None:
        addresses, bad = recipients(self.query_one("#test-email-to", Input).value)
        problem = self.query_one("#test-email-problem", Static)
        if not addresses:
            problem.update(Text("Type the address the test email goes to."))
            self.query_one("#test-email-to", Input).focus()
            return
        if bad:
            problem.update(Text(f"Not an email address: {one_line(', '.join(bad), 100)}"))
            self.query_one("#test-email-to", Input).focus()
            return
        senders = self.query_one("#test-email-senders", OptionList)
        index = senders.highlighted if senders.highlighted is not None else 0
        self.dismiss((self.accounts[index].id, addresses))

    def action_cancel(self) -> None:
        self.dismiss(None)
