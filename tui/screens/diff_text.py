"""A field-by-field diff as literal Rich text, shared by the save review and the history screen.

Field paths can name payload keys the server sent, so every piece goes through ``tui.safe_text``.
"""

from __future__ import annotations

from rich.text import Text

from tui.drafts import FieldChange, format_value
from tui.safe_text import clean, one_line


# The API speaks 0/1 for status; a diff reading "- 1 + 0" leaves people guessing which is paused.
_STATUS_WORDS = {0: "paused", 1: "active"}


def _shown(path: str, value: object) -> str:
    text = format_value(value)
    if path == "status" and isinstance(value, int) and value in _STATUS_WORDS:
        return f"{text} ({_STATUS_WORDS[value]})"
    return text


def change_lines(changes: list[FieldChange]) -> list[Text]:
    """Literal text lines for a field diff: a unified diff for long text, before/after otherwise."""
    lines: list[Text] = []
    for change in changes:
        lines.append(Text(one_line(change.path, 60), style="bold"))
        if change.is_long:
            for line in change.lines():
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
                lines.append(Text("  " + clean(line, keep_newlines=False), style=style))
        else:
            lines.append(Text("  - " + one_line(_shown(change.path, change.before), 200), style="red"))
            lines.append(Text("  + " + one_line(_shown(change.path, change.after), 200), style="green"))
    return lines or [Text("no field changed", style="dim")]
