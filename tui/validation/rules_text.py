"""Characters a reader cannot see: zero-width characters and bidi controls in any text field.

A U+202E (right-to-left override) makes text read differently from what is sent; a zero-width
space splits a word a spam filter or a search would match, and shows as nothing in the form.
The save review shows each as ``⟨U+202E⟩`` (``tui.text.safe_text.reveal_invisible``); this rule
says so before the review.
"""

from __future__ import annotations

import unicodedata

from tui.text.safe_text import stray_invisible

from .findings import Finding
from .report import finding, plural


def check_invisible(texts: list[tuple[str, str]]) -> list[Finding]:
    """One ``text.invisible`` finding per field holding invisible or bidi characters."""
    found: list[Finding] = []
    for path, text in texts:
        hits = stray_invisible(text)
        if not hits:
            continue
        names = dict.fromkeys(f"U+{ord(text[i]):04X} {unicodedata.name(text[i], 'unnamed').lower()}" for i in hits)
        shown = ", ".join(list(names)[:3]) + (" …" if len(names) > 3 else "")
        first = hits[0]
        found.append(
            finding(
                "text.invisible",
                path,
                f"{plural(len(hits), 'invisible character')} ({shown}): the text reads differently from what is sent",
                "Delete it unless you mean it; the save review shows each as ⟨U+…⟩",
                (first, first + 1),
            )
        )
    return found
