"""A field-by-field diff as literal Rich text, shared by the save review and the history screen.

Field paths can name payload keys the server sent, so every piece goes through ``tui.safe_text``.
"""

from __future__ import annotations

from rich.text import Text

from tui.drafts import FieldChange, format_value
from tui.safe_text import clean, one_line


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
            lines.append(Text("  - " + one_line(format_value(change.before), 200), style="red"))
            lines.append(Text("  + " + one_line(format_value(change.after), 200), style="green"))
    return lines or [Text("no field changed", style="dim")]
