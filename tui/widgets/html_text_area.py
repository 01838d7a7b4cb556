"""The Email content editor: a counted text area with HTML highlighted through pygments.

Textual highlights a TextArea with tree-sitter, which is deliberately not installed here (its
current wheels crash on this platform). The text area's highlight map is a plain dict of
per-line byte ranges, so this fills it from pygments' HTML lexer instead.
"""

from __future__ import annotations

from rich.style import Style
from textual.widgets.text_area import TextAreaTheme

from tui.widgets.counted_text_area import CountedTextArea

# The body keeps 14 rows up to a 40-line terminal, where the other fields must stay in view, and
# takes what a taller terminal adds (200×60 gives it 34).
BASE_ROWS = 14
ROWS_FOR_OTHER_FIELDS = 26

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


def _code_theme(
    name: str, tag: str, attribute: str, string: str, comment: str, entity: str, punctuation: str
) -> TextAreaTheme:
    return TextAreaTheme(
        name=name,
        syntax_styles={
            "tag": Style(color=tag),
            "keyword": Style(color=attribute),
            "string": Style(color=string),
            "comment": Style(color=comment, italic=True),
            "constant.builtin": Style(color=entity),
            "punctuation.bracket": Style(color=punctuation),
        },
    )


# Textual's default ("css") borrows VS Code dark's fixed 24-bit colours, which are wrong on a
# light theme and not the user's palette on a 16-colour terminal: pick colours that follow the
# app's theme instead.
CODE_THEMES = {
    "ansi": _code_theme("seqedit-code-ansi", "blue", "magenta", "green", "bright_black", "cyan", "default"),
    "light": _code_theme("seqedit-code-light", "#22863a", "#6f42c1", "#032f62", "#6a737d", "#005cc5", "#24292e"),
}


def code_theme_for(app_theme_name: str, dark: bool) -> str:
    """The TextArea theme that suits the app's theme: ANSI colours, light, or Textual's default."""
    if "ansi" in app_theme_name:
        return CODE_THEMES["ansi"].name
    return "css" if dark else CODE_THEMES["light"].name


class HtmlTextArea(CountedTextArea):
    """A CountedTextArea whose HTML tags, attributes, strings and comments are coloured."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for theme in CODE_THEMES.values():
            self.register_theme(theme)

    def on_resize(self) -> None:
        rows = max(BASE_ROWS, self.app.size.height - ROWS_FOR_OTHER_FIELDS)
        if self.styles.max_height is None or self.styles.max_height.value != rows:
            self.styles.max_height = rows

    def _follow_app_theme(self, *_: object) -> None:
        current = self.app.current_theme
        self.theme = code_theme_for(current.name, current.dark)

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
        self._follow_app_theme()
        self.watch(self.app, "theme", self._follow_app_theme, init=False)
