"""Open the focused text field in the user's editor ($VISUAL, $EDITOR) and read the result back.

The round trip: write the field to a private temp file (0600; ``.html`` for an HTML body so the
editor highlights it), suspend the app so the editor owns the terminal, run the editor, read the
file back into the field through the widget (so the form records the edit and the variant turns
dirty), delete the file. A failing editor leaves the field exactly as it was.

Headless drivers (``App.run_test``, Textual Web) cannot suspend; there the editor runs without a
terminal (stdin from /dev/null), which is what a scripted ``$EDITOR`` in the tests needs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from tui.terminal.child_env import child_environment
from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

FALLBACK_EDITORS = ("editor", "nano", "vi")
HEADLESS_TIMEOUT = 120.0


class EditorError(Exception):
    """The editor could not be found, started, or did not finish cleanly; the text is unchanged."""


def editor_command(configured: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """The editor to run, as words: $VISUAL, then $EDITOR, then the config's ``editor``, then a
    common editor on PATH (editor, nano, vi). Raises EditorError when there is none."""
    env = os.environ if env is None else env
    for source, value in (("VISUAL", env.get("VISUAL")), ("EDITOR", env.get("EDITOR")), ("config editor", configured)):
        if value and value.strip():
            try:
                words = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"{source} cannot be split into words ({one_line(exc)})") from None
            if words:
                return words
    for name in FALLBACK_EDITORS:
        if shutil.which(name, path=env.get("PATH")):
            return [name]
    raise EditorError("no editor found: set $VISUAL or $EDITOR (e.g. export EDITOR=nano)")


def edit_text(
    text: str,
    command: Sequence[str],
    *,
    suffix: str = ".txt",
    label: str = "field",
    interactive: bool = True,
) -> str:
    """Run ``command`` on a temp file holding ``text``; return the file's text afterwards.

    ``interactive`` False gives the editor no terminal (stdin /dev/null) and a timeout: for
    headless drivers and scripted editors. Raises EditorError; the temp file is always removed.
    """
    prefix = f"seqedit-{_safe_label(label)}-"
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)  # created 0600
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        words = [*command, str(path)]
        try:
            result = subprocess.run(
                words,
                check=False,
                env=child_environment(),  # the editor and its plugins do not get the API key
                stdin=None if interactive else subprocess.DEVNULL,
                stdout=None if interactive else subprocess.DEVNULL,
                stderr=None if interactive else subprocess.PIPE,
                timeout=None if interactive else HEADLESS_TIMEOUT,
            )
        except FileNotFoundError:
            raise EditorError(f"editor not found: {one_line(command[0], 80)} (set $VISUAL or $EDITOR)") from None
        except PermissionError:
            raise EditorError(f"editor cannot be run: {one_line(command[0], 80)}") from None
        except subprocess.TimeoutExpired:
            raise EditorError(
                f"editor {one_line(command[0], 80)} did not finish within {HEADLESS_TIMEOUT:g}s"
            ) from None
        if result.returncode != 0:
            raise EditorError(
                f"editor {one_line(command[0], 80)} exited with status {result.returncode}; the field is unchanged"
            )
        try:
            return path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise EditorError("the editor removed the file; the field is unchanged") from None
        except UnicodeDecodeError:
            raise EditorError("the edited file is not UTF-8 text; the field is unchanged") from None
    finally:
        path.unlink(missing_ok=True)


def tidy_result(original: str, edited: str, *, multiline: bool) -> str:
    """Undo what editors add on their own: the final newline most editors append on save, and
    for one-line fields any line breaks (joined with spaces)."""
    body = edited
    if not original.endswith("\n") and body.endswith("\n"):
        body = body[:-2] if body.endswith("\r\n") else body[:-1]
    if multiline or ("\n" not in body and "\r" not in body):
        return body
    return " ".join(line.strip() for line in body.splitlines() if line.strip())


def _safe_label(label: str) -> str:
    words = "".join(char if char.isalnum() else " " for char in label.lower()).split()
    return "-".join(words)[:30] or "field"


# --- the app side ----------------------------------------------------------------------------


def is_text_field(widget: Widget | None) -> bool:
    """Whether ``widget`` is a text field we can edit: an Input or a TextArea."""
    from textual.widgets import Input, TextArea

    return isinstance(widget, (Input, TextArea))


def field_label(widget: Widget) -> str:
    """A short name for the field: its border title, else its id, else its type."""
    title = getattr(widget, "border_title", None)
    if title:
        return one_line(str(title), 40)
    if widget.id:
        return one_line(widget.id, 40)
    return type(widget).__name__


def field_suffix(widget: Widget) -> str:
    """``.html`` for an HTML body (so the editor highlights it), else ``.txt``.

    A widget may say so itself with an ``editor_suffix`` attribute; otherwise an HTML TextArea
    language, or "content"/"html" in the id, marks HTML.
    """
    declared = getattr(widget, "editor_suffix", None)
    if isinstance(declared, str) and declared.startswith("."):
        return declared
    language = getattr(widget, "language", None)
    ident = (widget.id or "").lower()
    if language == "html" or "html" in ident or "content" in ident:
        return ".html"
    return ".txt"


def field_text(widget: Widget) -> str:
    """The text an Input or TextArea holds (hidden characters as themselves, not their marks)."""
    from textual.widgets import TextArea

    from tui.text.field_marks import unmask

    return unmask(widget.text if isinstance(widget, TextArea) else widget.value)  # type: ignore[attr-defined]


def set_field_text(widget: Widget, text: str) -> None:
    """Put ``text`` in the field as an edit: the widget posts its Changed message (the form marks
    the variant dirty) and ctrl+z undoes it: a TextArea keeps it in its history, an UndoInput
    (tui.widgets.undo_input; Textual's Input has no undo) as one step of its own."""
    from textual.widgets import TextArea

    from tui.text.field_marks import mask

    text = mask(text) or text  # hidden characters show as marks (tui.text.field_marks)
    if isinstance(widget, TextArea):
        document = widget.document
        widget.replace(text, document.start, document.end)
    elif hasattr(widget, "replace_whole"):
        widget.replace_whole(text)
    else:
        widget.value = text  # type: ignore[attr-defined]


def open_focused_in_editor(app: App, configured: str | None = None) -> bool:
    """The ``open-in-editor`` action: edit the focused field in $VISUAL/$EDITOR.

    Returns True when the field changed. Every failure is a notification (plain text); the
    field is then unchanged.
    """
    from textual.app import SuspendNotSupported
    from textual.widgets import TextArea

    widget = app.focused
    if not is_text_field(widget):
        app.notify(
            "Focus a text field first (subject, body, note…), then open it in the editor.",
            markup=False,
            severity="warning",
        )
        return False
    assert widget is not None
    # The app's --read-only refuses saving, not typing; only a field that refuses typing refuses this.
    if getattr(widget, "read_only", False) or widget.disabled:
        app.notify("This field is read-only.", markup=False, severity="warning")
        return False
    try:
        command = editor_command(configured)
    except EditorError as exc:
        app.notify(str(exc), title="Editor", markup=False, severity="error")
        return False
    original = field_text(widget)
    label = field_label(widget)
    # The file is a text file: its last line ends with a newline, as editors and `>>` expect. Without
    # it a line an editor or script appends is glued onto the field's last word ("nowNEW LINE");
    # tidy_result takes the newline off again when the field had none.
    file_text = original if not original or original.endswith("\n") else original + "\n"
    try:
        with ExitStack() as stack:
            try:
                stack.enter_context(app.suspend())
                interactive = True
            except SuspendNotSupported:
                interactive = False
            edited = edit_text(file_text, command, suffix=field_suffix(widget), label=label, interactive=interactive)
    except EditorError as exc:
        app.notify(str(exc), title="Editor", markup=False, severity="error")
        return False
    edited = tidy_result(original, edited, multiline=isinstance(widget, TextArea))
    from tui.widgets.counted_input import strip_controls, tell_stripped

    edited, removed = strip_controls(edited)
    if removed:
        tell_stripped(app, label, removed, "the edited file")
    if edited == original:
        app.notify(f"{label}: no change.", markup=False)
        return False
    set_field_text(widget, edited)
    app.notify(f"{label}: updated from the editor.", markup=False)
    return True
