"""A field-by-field diff as literal Rich text, shared by the save review and the history screen.

Invisible and bidi characters are shown as ``⟨U+202E⟩`` (``reveal``): a diff is where a person
checks what will be sent, and a dropped U+202E made two different texts look the same.

Field paths can name payload keys the server sent, so every piece goes through ``tui.text.safe_text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text

from tui.drafts import FieldChange, format_value, word_diff
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


def shown_value(path: str, value: object, names: Mapping[str, str]) -> str:
    """A field's value for a person: status as a word, assignee and attachment ids with names."""
    text = format_value(value)
    if path == "status" and isinstance(value, int) and value in _STATUS_WORDS:
        return f"{text} ({_STATUS_WORDS[value]})"
    # An assignee id alone ("dmQAtKCs") says nothing about who gets the task.
    if path == "assigneeId" and isinstance(value, str) and value in names:
        return f"{one_line(names[value], 60)} ({text})"
    # Nor do attachment ids say which file is added or removed (issue 13).
    if path == "attachmentIds" and isinstance(value, (list, tuple)) and value:
        return ", ".join(
            f"{one_line(names[item], 60)} ({item})" if isinstance(item, str) and item in names else format_value(item)
            for item in value
        )
    return text


def attachment_names(*variants: Any) -> dict[str, str]:
    """Attachment id → file name, from the attachments the variants carry (before and after)."""
    names: dict[str, str] = {}
    for variant in variants:
        for attachment in getattr(variant, "attachments", None) or ():
            name = getattr(attachment, "name", "")
            if name and attachment.id not in names:
                names[attachment.id] = name
    return names


UNKNOWN_BEFORE = "(not shown by the server)"


def change_lines(
    changes: list[FieldChange], names: Mapping[str, str] | None = None, unknown: Iterable[str] = ()
) -> list[Text]:
    """Literal text lines for a field diff: a unified diff for long text, before/after otherwise.

    ``names`` maps assignee ids to people's names and attachment ids to file names, shown beside
    the ids. ``unknown``: fields the
    "before" copy's read did not return; their before is not empty but unknown, and says so.
    """
    names = names or {}
    unknown = set(unknown)
    lines: list[Text] = []
    for change in changes:
        lines.append(Text(one_line(change.path, 60), style="bold"))
        if change.path in unknown:
            lines.append(Text("  - " + UNKNOWN_BEFORE, style="red"))
            lines.append(
                Text("  + " + one_line(shown_value(change.path, change.after, names), 200, reveal=True), style="green")
            )
            continue
        if change.is_long:
            for line in change.lines():
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
                lines.append(Text("  " + clean(line, keep_newlines=False, reveal=True), style=style))
        else:
            lines.append(
                Text("  - " + one_line(shown_value(change.path, change.before, names), 200, reveal=True), style="red")
            )
            lines.append(
                Text("  + " + one_line(shown_value(change.path, change.after, names), 200, reveal=True), style="green")
            )
    return lines or [Text("no field changed", style="dim")]


# Word diff as shown: the markers say removed / added without colour (NO_COLOR, monochrome),
# the styles help where there is colour. Each run is cut in its middle past PIECE_WIDTH.
PIECE_WIDTH = 80
MAX_CHANGES = 4
WORD_DIFF_LEGEND = "[-removed-] {+added+}, … for unchanged text"


def _middle_cut(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    half = (width - 3) // 2
    return text[:half] + " … " + text[-half:]


def word_diff_text(before: str, after: str) -> Text:
    """Where ``after`` differs from ``before``, word by word, as one literal line of text:
    ``…in about [-three-]{+two+} weeks…``; "(no change)" when they are equal."""
    pieces = word_diff(before, after)
    text = Text()
    if not pieces:
        text.append("(no change)", style="dim")
        return text
    changed = [piece.kind in ("removed", "added") for piece in pieces]
    # A change is a run of removed/added pieces; its first piece starts it.
    starts = [index for index, flag in enumerate(changed) if flag and (index == 0 or not changed[index - 1])]
    end = starts[MAX_CHANGES] if len(starts) > MAX_CHANGES else len(pieces)
    for index, piece in enumerate(pieces[:end]):
        shown = _middle_cut(clean(piece.text, keep_newlines=False, reveal=True), PIECE_WIDTH)
        if piece.kind == "same":  # the gap brings its own spaces
            if index + 1 < len(pieces) and pieces[index + 1].kind == "gap":
                shown = shown.rstrip()
            if index and pieces[index - 1].kind == "gap":
                shown = shown.lstrip()
        if piece.kind == "gap":
            text.append(" … " if index else "… ", style="dim")
        elif piece.kind == "removed":
            text.append("[-" + shown + "-]", style="red strike")
        elif piece.kind == "added":
            text.append("{+" + shown + "+}", style="green bold")
        else:
            text.append(shown)
    if end < len(pieces):
        rest = len(starts) - MAX_CHANGES
        text.append(f" … and {rest} more change{'s' if rest != 1 else ''}", style="dim")
    return text
