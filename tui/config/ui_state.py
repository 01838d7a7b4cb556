"""What the app remembers between runs (the chosen theme, …), apart from the file people edit.

Kept in ``state_dir()/ui.json`` so that choosing a theme from the command palette never rewrites
the user's hand-written ``config.toml``. Writes are atomic (temp file + ``os.replace``), so a crash
leaves the old state or the new one; an unreadable file counts as empty.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

UI_STATE_NAME = "ui.json"


def ui_state_path() -> Path:
    """``state_dir()/ui.json``."""
    from tui.config.paths import state_dir

    return state_dir() / UI_STATE_NAME


def load_ui_state(path: Path | None = None) -> dict[str, Any]:
    """The saved UI state, or {} when there is none or it cannot be read."""
    path = path or ui_state_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_ui_state(*, path: Path | None = None, **changes: Any) -> dict[str, Any]:
    """Merge ``changes`` into the saved state (a value of None removes the entry); returns it."""
    path = path or ui_state_path()
    state = load_ui_state(path)
    for name, value in changes.items():
        if value is None:
            state.pop(name, None)
        else:
            state[name] = value
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".ui-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return state
