"""The email and channel preview: pure rendering to styled Segments (no Textual import).

``render_email`` turns a variant's HTML into wrapped lines as the recipient reads them,
``render_text_channel`` does the same for LinkedIn/WhatsApp/task text, ``inbox_line`` builds
the inbox row, and ``to_plain``/``to_rich``/``highlight_source`` produce output.

The names below are loaded from their modules on first use: ``seqedit preview FILE.html``
imports the email renderer alone, not the channel table or the terminal output (start-up,
benchmarks: preview).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .email_html import render_email
    from .fill import split_choice
    from .inbox import inbox_line
    from .model import PreviewOptions, Rendered, Segment, to_plain
    from .terminal import DEFAULT_THEME, highlight_source, to_rich
    from .text_channel import count_line, fill_line, render_text_channel

_WHERE = {
    "render_email": "email_html",
    "split_choice": "fill",
    "inbox_line": "inbox",
    "PreviewOptions": "model",
    "Rendered": "model",
    "Segment": "model",
    "to_plain": "model",
    "DEFAULT_THEME": "terminal",
    "highlight_source": "terminal",
    "to_rich": "terminal",
    "count_line": "text_channel",
    "fill_line": "text_channel",
    "render_text_channel": "text_channel",
}

__all__ = [
    "DEFAULT_THEME",
    "PreviewOptions",
    "Rendered",
    "Segment",
    "count_line",
    "fill_line",
    "highlight_source",
    "inbox_line",
    "render_email",
    "render_text_channel",
    "split_choice",
    "to_plain",
    "to_rich",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # found directly next time
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
