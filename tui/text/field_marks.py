"""Invisible and bidi characters made visible in the editing fields, without changing the text.

A zero-width space or a U+202E from the server took no room in an Input or TextArea (or was
dropped from it, and lost with the field's next edit): the person could neither see nor delete
it. In a field each such character (``safe_text.stray_invisible``: zero-width characters, bidi
controls, the BOM, not the joiners an emoji needs) is held as a stand-in from Unicode's private
use area, one character for one, so offsets, the cursor, undo and a finding's span stay right.
The field draws each stand-in as :data:`MARK` (``tui.widgets.field_marks_view``); reading the
field back turns stand-ins into the characters they stand for. So the text is saved exactly as
it came unless the person edits it; deleting a mark deletes its character; and the save review
names each one as ⟨U+200B⟩.

A text that already holds a private-use character in the stand-ins' range is left as it is
(nothing could tell the two apart on the way back); validation still warns about what it hides.
"""

from __future__ import annotations

import re

from tui.text.safe_text import INVISIBLE, stray_invisible

# Every character INVISIBLE matches, in code point order, each with its stand-in.
_HIDDEN = [chr(code) for code in range(0x00A0, 0x10000) if INVISIBLE.fullmatch(chr(code))]
_BASE = 0xF780  # a quiet corner of the BMP private use area (below Apple's U+F8FF logo)
_TO_STAND_IN = {char: chr(_BASE + index) for index, char in enumerate(_HIDDEN)}
_FROM_STAND_IN = {stand_in: char for char, stand_in in _TO_STAND_IN.items()}
_UNMASK = str.maketrans(_FROM_STAND_IN)
STAND_INS = re.compile(f"[{chr(_BASE)}-{chr(_BASE + len(_HIDDEN) - 1)}]")

MARK = "¦"  # one cell, in every font; drawn reversed
"""How the field draws a hidden character."""


def mask(text: str) -> str | None:
    """``text`` with its stray invisible characters replaced by stand-ins, or None when it has
    none (or already holds stand-in characters of its own)."""
    hits = stray_invisible(text)
    if not hits or has_stand_ins(text):
        return None
    chars = list(text)
    for index in hits:
        chars[index] = _TO_STAND_IN[chars[index]]
    return "".join(chars)


def unmask(text: str) -> str:
    """The text a masked field holds, with each stand-in back as the character it stands for."""
    return text.translate(_UNMASK)


def has_stand_ins(text: str) -> bool:
    return STAND_INS.search(text) is not None


def hidden_name(stand_in: str) -> str:
    """``U+200B`` for the character a stand-in holds the place of."""
    return f"U+{ord(_FROM_STAND_IN[stand_in]):04X}"
