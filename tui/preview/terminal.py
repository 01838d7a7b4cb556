"""Terminal output: rendered Segments and highlighted HTML source as ``rich.text.Text``, and
rendered Segments as text with ANSI styles for ``seqedit preview`` on a terminal.

Rich is imported inside the functions so the renderer stays light; text is appended as data,
never parsed as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.text.safe_text import clean

from .model import Rendered, Segment

if TYPE_CHECKING:
    from rich.text import Text

DEFAULT_THEME: dict[str, str] = {
    "bold": "bold",
    "italic": "italic",
    "underline": "underline",
    "strike": "strike",
    "link": "underline blue",
    "heading": "bold",
    "h1": "bold underline",
    "h2": "bold",
    "h3": "bold italic",
    "quote": "italic",
    "code": "cyan",
    "image": "magenta",
    "hr": "dim",
    "tag": "bold cyan",
    "filled": "green",
    "fallback": "yellow",
    "missing": "bold red reverse",
    "spin": "underline dim",
    "muted": "dim",
    "list-marker": "bold",
}


def segments_to_rich(lines: list[list[Segment]], theme: dict[str, str] | None = None) -> Text:
    """Lines of Segments as one Text, styles looked up per tag in ``theme``."""
    from rich.style import Style
    from rich.text import Text

    theme = DEFAULT_THEME if theme is None else theme
    styles: dict[str, Style] = {}
    text = Text(end="")
    for index, line in enumerate(lines):
        if index:
            text.append("\n")
        for segment in line:
            style = styles.get(segment.style)
            if style is None:
                parts = [theme[tag] for tag in segment.style.split() if tag in theme]
                style = styles[segment.style] = Style.parse(" ".join(parts)) if parts else Style.null()
            text.append(segment.text, style)
    return text


# The SGR codes of the words DEFAULT_THEME is written in (Rich's names for them).
_SGR_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7", "strike": "9"}
_SGR_COLOURS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


def segments_to_ansi(lines: list[list[Segment]], *, colour: bool = True, styled: bool = True) -> str | None:
    """Lines of Segments as text with SGR styles from DEFAULT_THEME, one line per line, as Rich
    would print them; without ``colour`` (NO_COLOR) the attributes stay (bold, underline,
    reverse: meaning is never in colour alone), without ``styled`` (TERM=dumb) plain text.
    None when the theme holds a word this table does not know: then print through Rich.

    This spares ``seqedit preview`` on a terminal the import of Rich's console (~35 ms of its
    start-up); text is cleaned of control characters once more on the way out.
    """
    codes: dict[str, str] = {}
    for style in {segment.style for line in lines for segment in line}:
        words = [word for tag in style.split() if tag in DEFAULT_THEME for word in DEFAULT_THEME[tag].split()]
        if any(word not in _SGR_ATTRIBUTES and word not in _SGR_COLOURS for word in words):
            return None
        found = sorted((_SGR_ATTRIBUTES[word] for word in words if word in _SGR_ATTRIBUTES), key=int)  # Rich's order
        colours = [_SGR_COLOURS[word] for word in words if word in _SGR_COLOURS]
        if colour and colours:
            found.append(colours[-1])  # the last colour named wins, as in Rich
        codes[style] = ";".join(dict.fromkeys(found)) if styled else ""
    out: list[str] = []
    for line in lines:
        for segment in line:
            text = clean(segment.text, keep_newlines=False)
            code = codes[segment.style]
            out.append(f"\x1b[{code}m{text}\x1b[0m" if code and text else text)
        out.append("\n")
    return "".join(out)


def to_rich(rendered: Rendered, theme: dict[str, str] | None = None, *, references: bool = True) -> Text:
    """The rendered lines as a Rich Text, with the numbered link targets at the end."""
    lines = list(rendered.lines)
    if references and rendered.links:
        lines.append([])
        lines.extend(
            [Segment(f"[{number}] ", "muted"), Segment(url, "link")] for number, url in enumerate(rendered.links, 1)
        )
    return segments_to_rich(lines, theme)


_SOURCE_THEME = (
    ("Comment", "dim italic"),
    ("Name.Tag", "bold blue"),
    ("Name.Attribute", "cyan"),
    ("Name.Entity", "magenta"),
    ("Literal.String", "green"),
    ("Keyword", "bold magenta"),
    ("Name.Builtin", "magenta"),
    ("Operator", "dim"),
    ("Punctuation", "dim"),
    ("Error", "red"),
)


def highlight_source(html: str) -> Text:
    """The HTML source highlighted with pygments' HtmlLexer, as a Rich Text (no markup)."""
    from pygments.lexers.html import HtmlLexer
    from pygments.token import string_to_tokentype
    from rich.text import Text

    rules = [(string_to_tokentype(name), style) for name, style in _SOURCE_THEME]
    cache: dict[object, str] = {}
    text = Text(end="")
    for token, value in HtmlLexer(stripnl=False, ensurenl=False).get_tokens(html or ""):
        style = cache.get(token)
        if style is None:
            style = next((style for kind, style in rules if token in kind), "")
            cache[token] = style
        text.append(clean(value), style)
    return text
