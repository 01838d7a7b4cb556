"""One line under the form: the open variant's findings while the person types (narrow screens).

At 80 columns the Findings tab hides the form, so the counts and one finding stay in view here,
with the key that jumps to the next finding. Wider screens show the whole panel beside the form
instead (see :class:`tui.screens.main_screen.MainScreen`), and this line is hidden there.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.session.variant_checks import counts_label
from tui.text.safe_text import one_line
from tui.validation import Finding, Severity
from tui.widgets.findings_panel import field_label


class FindingsLine(Widget):
    """``E 1 · W 2 │ 1/3 Subject: the message…  f8 next finding`` on one row."""

    DEFAULT_CSS = """
    FindingsLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    FindingsLine.-errors { color: $text; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._findings: list[Finding] = []
        self._current: int | None = None
        self._key_hint = ""
        self._open = False
        self._shown: tuple | None = None

    def show(self, findings: list[Finding] | None, current: int | None = None, key_hint: str = "") -> None:
        """Show ``findings`` (None: no variant open), ``current`` being the one last jumped to."""
        shown = (
            None if findings is None else [(f.severity, f.rule_id, f.field, f.message) for f in findings],
            current,
            key_hint,
        )
        if shown == self._shown:
            return  # typing mostly moves spans: nothing here changes, nothing to redraw
        self._shown = shown
        self._open = findings is not None
        self._findings = list(findings or [])
        self._current = current
        self._key_hint = key_hint
        self.set_class(any(f.severity is Severity.ERROR for f in self._findings), "-errors")
        self.refresh()  # one fixed row: no layout

    def render(self) -> Text:
        width = max(10, self.content_region.width)
        if not self._open:
            return Text("")
        findings = self._findings
        if not findings:
            return Text("No findings", style="")
        label = counts_label(findings)
        index = self._current if self._current is not None and self._current < len(findings) else 0
        finding = findings[index]
        hint = f"  {self._key_hint} next finding" if self._key_hint else ""
        head = Text(label, style="bold")
        position = f"{index + 1}/{len(findings)} " if self._current is not None else ""
        room = width - len(label) - 3 - len(position) - len(hint)
        about = one_line(f"{field_label(finding.field)}: {finding.message}", max(1, room)) if room > 0 else ""
        line = head + Text(" │ " + position) + Text(about)
        line.truncate(width - len(hint), overflow="ellipsis")
        return line + Text(hint, style="bold")


__all__ = ["FindingsLine"]
