"""A field-by-field diff as literal Rich text, shared by the save review and the history screen.

Field paths can name payload keys the server sent, so every piece goes through ``tui.text.safe_text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text

from tui.drafts import FieldChange, format_value
from tui.text.safe_text import clean, one_line

# The API speaks 0/1 for status; a diff reading "- 1 + 0" leaves people guessing which is paused.
_STATUS_WORDS = {0: "paused", 1: "active"}


def assignee_names(teams: Iterable[Any]) -> dict[str, str]:
    """User id → the name the assignee list gives it (``AssigneeTeam`` objects from the API)."""
    names: dict[str, str] = {}
    for team in teams:
        for user in getattr(team, "users", ()) or ():
            name = getattr(user, "userName", "") or getattr(user, "email", "")
            if name and user.id not in names:
                names[user.id] = name
    return names


def _shown(path: str, value: object, names: Mapping[str, str]) -> str:
    text = format_value(value)
    if path == "status" and isinstance(value, int) and value in _STATUS_WORDS:
        return f"{text} ({_STATUS_WORDS[value]})"
    # An assignee id alone ("dmQAtKCs") says nothing about who gets the task.
    if path == "assigneeId" and isinstance(value, str) and value in names:
        return f"{one_line(names[value], 60)} ({text})"
    return text


def change_lines(changes: list[FieldChange], names: Mapping[str, str] | None = None) -> list[Text]:
    """Literal text lines for a field diff: a unified diff for long text, before/after otherwise.

    ``names`` maps assignee ids to people's names, shown beside the ids.
    """
    names = names or {}
    lines: list[Text] = []
    for change in changes:
        lines.append(Text(one_line(change.path, 60), style="bold"))
        if change.is_long:
            for line in change.lines():
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
                lines.append(Text("  " + clean(line, keep_newlines=False), style=style))
        else:
            lines.append(Text("  - " + one_line(_shown(change.path, change.before, names), 200), style="red"))
            lines.append(Text("  + " + one_line(_shown(change.path, change.after, names), 200), style="green"))
    return lines or [Text("no field changed", style="dim")]
