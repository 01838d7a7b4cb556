"""The Email content editor: a counted text area with HTML highlighted through pygments.

Textual highlights a TextArea with tree-sitter, which is deliberately not installed here (its
current wheels crash on this platform). The text area's highlight map is a plain dict of
per-line byte ranges, so this fills it from pygments' HTML lexer instead.
"""

from __future__ import annotations

from tui.widgets.counted_text_area import CountedTextArea

# Above this size the HTML is left plain: lexing on every key press must stay unnoticeable.
HIGHLIGHT_LIMIT = 40_000


def _highlight_name(token) -> str | None:
    """The TextArea theme's highlight name for a pygments token type."""
    from pygments.token import Comment, Name, Punctuation, String

    if token in Comment:
        return "comment"
    if token in Name.Tag:
        return "tag"
    if token in Name.Attribute:
        return "keyword"
    if token in String:
        return "string"
    if token in Name.Entity:
        return "constant.builtin"
    if token in Punctuation:
        return "punctuation.bracket"
    return None


def html_highlights(text: str) -> dict[int, list[tuple[int, int | None, str]]]:
    """Per line, (start byte, end byte, highlight name) for each HTML token worth colouring."""
    from pygments.lexers.html import HtmlLexer

    highlights: dict[int, list[tuple[int, int | None, str]]] = {}
    row, column = 0, 0  # column counts UTF-8 bytes, as the TextArea renderer expects
    for token, value in HtmlLexer(stripnl=False, ensurenl=False).get_tokens(text):
        name = _highlight_name(token)
        for index, part in enumerate(value.split("\n")):
            if index:
                row, column = row + 1, 0
            width = len(part.encode("utf-8"))
            if name and width:
                highlights.setdefault(row, []).append((column, column + width, name))
            column += width
    return highlights


class HtmlTextArea(CountedTextArea):
    """A CountedTextArea whose HTML tags, attributes, strings and comments are coloured."""

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        self._highlights.clear()
        text = self.text
        if len(text) > HIGHLIGHT_LIMIT:
            return
        for row, spans in html_highlights(text).items():
            self._highlights[row].extend(spans)

    def on_mount(self) -> None:
        self._build_highlight_map()
