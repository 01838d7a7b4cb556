"""Rich output: rendered Segments and highlighted HTML source as ``rich.text.Text``.

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
