"""The inbox line: sender · subject — preheader snippet, cut where mail clients cut them."""

from __future__ import annotations

from tui.text.safe_text import one_line

from .model import Segment

SENDER_WIDTH = 20  # desktop clients give the sender a fixed column of about 20 characters
SUBJECT_WIDTH = 70  # desktop Gmail and Outlook show 60 to 70 characters of the subject


def _cut(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


def inbox_line(sender: str, subject: str, preheader: str, body_text: str, width: int) -> list[Segment]:
    """Segments for one inbox row of ``width`` columns.

    The snippet after the subject is the preheader followed by the body text: clients fill
    the row with body text when the preheader is short or absent. An empty subject shows as
    ``(no subject)``.
    """
    width = max(10, int(width))
    sender_text = _cut(one_line(sender) or "(no sender)", min(SENDER_WIDTH, width))
    segments = [Segment(sender_text, "bold")]
    used = len(sender_text)
    subject_text = one_line(subject)
    subject_style = "bold" if subject_text else "muted"
    subject_text = subject_text or "(no subject)"
    if used + 3 < width:
        cut = _cut(subject_text, min(SUBJECT_WIDTH, width - used - 3))
        segments += [Segment(" · ", "muted"), Segment(cut, subject_style)]
        used += 3 + len(cut)
    snippet = " ".join(part for part in (one_line(preheader), one_line(body_text)) if part)
    if snippet and used + 4 < width:
        segments += [Segment(" — ", "muted"), Segment(_cut(snippet, width - used - 3), "muted")]
    return segments
