"""The email and channel preview: pure rendering to styled Segments (no Textual import).

``render_email`` turns a variant's HTML into wrapped lines as the recipient reads them,
``render_text_channel`` does the same for LinkedIn/WhatsApp/task text, ``inbox_line`` builds
the inbox row, and ``to_plain``/``to_rich``/``highlight_source`` produce output.
"""

from __future__ import annotations

from .email_html import render_email
from .fill import split_choice
from .inbox import inbox_line
from .model import PreviewOptions, Rendered, Segment, to_plain
from .terminal import DEFAULT_THEME, highlight_source, to_rich
from .text_channel import count_line, fill_line, render_text_channel

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
