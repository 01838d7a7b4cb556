"""Copy the focused field, or the open variant as JSON, to the system clipboard.

Textual's ``App.copy_to_clipboard`` writes an OSC 52 escape sequence, so the copy lands in the
clipboard of the machine in front of the user even over SSH. Terminals must allow it (most do;
tmux needs ``set -g set-clipboard on``; macOS Terminal does not support OSC 52). The text goes
inside the sequence base64-encoded, so nothing in it can act on the terminal.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from textual.app import App

    from tui.api.models import Variant
    from tui.session.workspace import VariantKey


def variant_json(variant: Variant) -> str:
    """The variant as the API spells it (aliases, unknown keys kept), pretty-printed JSON."""
    data = variant.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def copy_focused_field(app: App) -> bool:
    """The ``copy-field`` action: copy the whole text of the focused Input or TextArea."""
    from tui.terminal.external_editor import field_label, field_text, is_text_field

    widget = app.focused
    if not is_text_field(widget):
        app.notify("Focus a text field first; the variant as JSON is on its own key.", markup=False, severity="warning")
        return False
    assert widget is not None
    text = field_text(widget)
    app.copy_to_clipboard(text)
    app.notify(f"Copied {field_label(widget)} ({_count(text)}).", markup=False)
    return True


def copy_open_variant(app: App) -> bool:
    """The ``copy-variant-json`` action: copy the open variant, with unsaved edits, as JSON."""
    found = open_variant(app)
    if found is None:
        app.notify("Open a variant first (choose one in the tree).", markup=False, severity="warning")
        return False
    key, variant = found
    text = variant_json(variant)
    app.copy_to_clipboard(text)
    app.notify(f"Copied variant {one_line(key.variant_id, 40)} as JSON ({_count(text)}).", markup=False)
    return True


def open_variant(app: App) -> tuple[VariantKey, Variant] | None:
    """The variant shown in the form (the edited copy), if there is one."""
    from tui.widgets.variant_form import VariantForm

    workspace: Any = getattr(app, "workspace", None)
    for screen in reversed(app.screen_stack):
        for form in screen.query(VariantForm):
            if form.key is not None and workspace is not None and workspace.has(form.key):
                return form.key, workspace.edited(form.key)
    return None


def _count(text: str) -> str:
    return f"{len(text)} character{'s' if len(text) != 1 else ''}"
