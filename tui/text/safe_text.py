"""Make untrusted text (from the server or a file) safe to put on a terminal.

Everything the server sends is data. Before it reaches a widget, a notification or stdout it goes
through :func:`clean`: complete ANSI CSI/OSC/DCS escape sequences are removed whole (the text
around them, and after a cut-off one, is kept), other C0/C1 control characters become visible (``␛``, ``^X`` style), and bidi overrides that could disguise text are
dropped. Markup is a separate concern: widgets receive :class:`rich.text.Text` objects (see
:func:`plain`) so ``[bold]`` stays literal; this module has no Rich or Textual import at module
level so headless commands stay light.
"""

from __future__ import annotations

import re

# Escape sequences removed whole: CSI (ESC [ … final, or its 8-bit form with parameters), and
# OSC/DCS/SOS/PM/APC (ESC ] / ESC P X ^ _ … BEL or ST) only when terminated on the same line,
# and two-character escapes. An introducer with no end (a cut-off OSC) goes alone, and a lone C1
# character is one control character, dropped by _CONTROLS below: "â€" + U+009D, the common
# mis-decoded closing quote, must not take the rest of its paragraph with it. Whatever is left
# of a sequence is printable text: no escape or control byte reaches the terminal either way.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?                          # CSI (7-bit)
  | \x9b[0-?]+[ -/]*[@-~]                             # CSI (8-bit), with its parameters
  | \x1b[\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)  # OSC, DCS, SOS, PM, APC ended by BEL or ST
  | \x1b[ -/]*[0-~]?                                 # other escapes (ESC c, ESC ( B, lone ESC)
    """,
    re.VERBOSE,
)
# Control characters other than newline and tab, DEL, C1, and the bidi controls that can make
# text read differently from what it is (Trojan Source).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


# Characters that take no room on screen (zero-width spaces and joiners, the word joiner, the
# BOM, the soft hyphen, invisible operators) and the bidi controls: text holding them reads as
# something it is not. Where text is reviewed before it is sent, they are shown as ⟨U+202E⟩.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


# Joiners that scripts (Persian, Indic) and emoji sequences (👩‍💻) need between two non-ASCII
# characters; between ASCII letters, or at an edge, they are stray.
_JOINERS = {"\u200c", "\u200d"}


def stray_invisible(text: str) -> list[int]:
    """Where ``text`` holds an invisible or bidi character a reader would not expect: every one
    of :data:`INVISIBLE` but the joiners an emoji or a script needs. (Validation warns about
    these; the editing fields show them as marks.)"""
    return [match.start() for match in INVISIBLE.finditer(text) if _stray(text, match.start())]


def _stray(text: str, index: int) -> bool:
    char = text[index]
    if char not in _JOINERS:
        return True
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return not (before and after and not before.isascii() and not after.isascii())


def reveal_invisible(text: str) -> str:
    """``text`` with each invisible or bidi character written out as ``⟨U+202E⟩``."""
    return INVISIBLE.sub(lambda match: f"⟨U+{ord(match.group()):04X}⟩", text)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\r":
        return ""
    if code < 0x20:
        return "^" + chr(code + 64)
    if code == 0x7F:
        return "^?"
    return ""


def clean(text: object, *, keep_newlines: bool = True, reveal: bool = False) -> str:
    """Return ``text`` with escape sequences removed and control characters made harmless.

    ``reveal``: invisible and bidi characters are shown as ``⟨U+202E⟩`` instead of dropped (or
    passed on unseen): for text a person reviews before it is sent.
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    if value.isprintable() and "\x1b" not in value:
        return value
    if reveal:
        value = reveal_invisible(value)
    value = _ESCAPES.sub("", value)
    value = _CONTROLS.sub(_visible, value)
    if not keep_newlines:
        value = value.replace("\n", " ").replace("\t", " ")
    return value


def one_line(text: object, width: int | None = None, *, reveal: bool = False) -> str:
    """``clean`` on one line, cut with an ellipsis to ``width`` characters."""
    value = " ".join(clean(text, keep_newlines=False, reveal=reveal).split())
    if width is not None and len(value) > width:
        return value[: max(0, width - 1)] + "…"
    return value


def plain(text: object, style: str = ""):
    """A Rich ``Text`` holding ``text`` literally: never parsed as markup."""
    from rich.text import Text

    return Text(clean(text), style=style)
