"""Render an email's HTML as the recipient reads it, as wrapped lines of styled Segments.

The DOM (lexbor, via selectolax) is walked iteratively, so hostile nesting cannot exhaust the
stack. Block elements open and close paragraphs with browser-like margin collapsing; inline
elements push semantic styles. Nothing is fetched: images become ``[image: alt]`` (nothing for
decorative ones, ``alt=""``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.text.safe_text import clean, one_line

from .fill import SPIN_END, SPIN_START, TagFiller, mark_spins, strip_sentinels
from .model import PreviewOptions, Rendered, Segment, strip_styles
from .parser import parser_class
from .table import Cell, is_data_table, layout_rows
from .wrap import BREAK, Run, wrap_preformatted, wrap_runs

if TYPE_CHECKING:
    from .blocks import BlockCache, Session

_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad")
_SPIN_SPLIT = re.compile(f"([{SPIN_START}{SPIN_END}])")

# Never shown: not content, or not rendered by mail clients.
_SKIP = frozenset(
    [
        "head",
        "script",
        "style",
        "template",
        "noscript",
        "title",
        "meta",
        "link",
        "base",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "param",
        "input",
        "select",
        "option",
        "textarea",
        "datalist",
        "dialog",
    ]
)
_INLINE_STYLE = {
    "b": "bold", "strong": "bold",
    "i": "italic", "em": "italic", "cite": "italic", "var": "italic", "dfn": "italic",
    "u": "underline", "ins": "underline",
    "s": "strike", "strike": "strike", "del": "strike",
    "code": "code", "tt": "code", "kbd": "code", "samp": "code",
}  # fmt: skip
# Blocks that open a line of their own without a blank line around them.
_PLAIN_BLOCKS = frozenset(
    [
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "aside",
        "address",
        "center",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "details",
        "summary",
        "legend",
        "caption",
    ]
)
_STYLE_ORDER = ["heading", "h1", "h2", "h3", "bold", "italic", "underline", "strike", "link", "quote", "code", "spin"]
_RULE = "─"
_NO_CSS: dict[str, str] = {}
_DESCEND = (True, None)


class _Prefix:
    """A line prefix (a list marker, a quote bar): ``first`` on the block's first line."""

    __slots__ = ("first", "key", "rest")

    def __init__(self, first: list[Segment], rest: list[Segment]) -> None:
        self.first = first
        self.rest = rest
        self.key = (tuple(first), tuple(rest))  # its part of a block's starting state


class _List:
    __slots__ = ("counter", "ordered")

    def __init__(self, ordered: bool, counter: int = 1) -> None:
        self.ordered = ordered
        self.counter = counter


def _is_zero(value: str) -> bool:
    number = value.strip().rstrip("abcdefghijklmnopqrstuvwxyz%").strip()
    try:
        return float(number) == 0
    except ValueError:
        return False


def _declarations(style: str) -> dict[str, str]:
    """An inline ``style`` attribute as property → value (lower-cased, ``!important`` dropped)."""
    out = {}
    for declaration in style.lower().split(";"):
        name, _, value = declaration.partition(":")
        if value:
            out[name.strip()] = value.replace("!important", "").strip()
    return out


# The email's own <style> rules that can hide an element, for the simple selectors emails use
# (element, .class, #id, element.class, element#id). Rules inside @media (mobile layouts) and
# other at-rules are left out, as are selectors with combinators or pseudo-classes.
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SIMPLE_SELECTOR = re.compile(r"([a-z][a-z0-9]*)?(?:([.#])(-?[_a-z][-_a-z0-9]*))?")
_SHEET_PROPERTIES = ("display", "visibility", "mso-hide", "max-height", "overflow", "text-align")
_HIDING = frozenset(["display", "visibility", "mso-hide", "max-height"])
SheetKey = tuple[str, str, str]  # (element or "", "." or "#" or "", class or id or "")
StyleSheet = dict[SheetKey, dict[str, str]]


def style_sheet(html: str) -> StyleSheet:
    """The hiding-related declarations of the ``<style>`` blocks in ``html``, by selector;
    later rules win, as in a browser (rules of equal specificity)."""
    sheet: StyleSheet = {}
    text = _CSS_COMMENT.sub(" ", " ".join(_STYLE_BLOCK.findall(html))).lower() if "<style" in html.lower() else ""
    position = 0
    while True:
        brace = text.find("{", position)
        if brace < 0:
            return sheet
        prelude = text[position:brace].strip()
        if prelude.startswith("@"):  # skip the whole at-rule block, nested braces included
            depth, end = 0, brace
            while end < len(text):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
                if depth == 0:
                    break
            position = end
            continue
        close = text.find("}", brace)
        close = len(text) if close < 0 else close
        declarations = _declarations(text[brace + 1 : close])
        position = close + 1
        kept = {name: declarations[name] for name in _SHEET_PROPERTIES if name in declarations}
        if "max-height" in kept and kept.get("overflow") != "hidden":
            del kept["max-height"]  # max-height:0 hides only with overflow:hidden
        if not kept:
            continue
        for selector in prelude.split(","):
            match = _SIMPLE_SELECTOR.fullmatch(selector.strip())
            if match and (match.group(1) or match.group(3)):
                key = (match.group(1) or "", match.group(2) or "", match.group(3) or "")
                sheet.setdefault(key, {}).update(kept)
    return sheet


def _sheet_css(sheet: StyleSheet, tag: str, attrs: dict[str, str | None]) -> dict[str, str]:
    """The sheet's declarations for one element, least specific first (element, class,
    element.class, id), so the more specific win."""
    keys: list[SheetKey] = [(tag, "", "")]
    classes = (attrs.get("class") or "").lower().split()
    keys += [("", ".", name) for name in classes] + [(tag, ".", name) for name in classes]
    element_id = (attrs.get("id") or "").strip().lower()
    if element_id:
        keys += [("", "#", element_id), (tag, "#", element_id)]
    css: dict[str, str] = {}
    for key in keys:
        found = sheet.get(key)
        if found:
            css.update(found)
    return css


def _hidden(tag: str, attrs: dict[str, str | None], css: dict[str, str]) -> bool:
    """Hidden by the sender: the ``hidden`` attribute, CSS hiding, preheader hacks, pixels."""
    if "hidden" in attrs:
        return True
    if css:
        if css.get("display") == "none" or css.get("visibility") in ("hidden", "collapse"):
            return True
        if css.get("mso-hide") == "all" or _is_zero(css.get("max-height", "x")) or _is_zero(css.get("opacity", "x")):
            return True
    if tag == "img":
        if (attrs.get("aria-hidden") or "").strip().lower() == "true":
            return True
        width = attrs.get("width") or css.get("width") or ""
        height = attrs.get("height") or css.get("height") or ""
        sizes = [value for value in (width, height) if value]
        if sizes and all(_is_zero(value) or value.strip().lower() in ("1", "1px") for value in sizes):
            return True
    return False


def _alignment(tag: str, attrs: dict[str, str | None], sheet: StyleSheet) -> str:
    """A table cell's horizontal alignment: ``left``, ``right`` or ``center``, as its
    ``style``, the email's ``<style>`` rules or its ``align`` attribute say (in that order)."""
    style_attr = attrs.get("style")
    declared = _declarations(style_attr).get("text-align") if style_attr else None
    if declared is None and sheet:
        declared = _sheet_css(sheet, tag, attrs).get("text-align")
    value = (declared or attrs.get("align") or "").strip().lower()
    return value if value in ("right", "center") else "left"


def _same_target(text: str, href: str) -> bool:
    """Whether a link's visible text already is its target (so no reference is needed)."""

    def norm(value: str) -> str:
        value = value.strip().lower()
        for scheme in ("mailto:", "tel:", "https://", "http://"):
            if value.startswith(scheme):
                value = value[len(scheme) :]
        if value.startswith("www."):
            value = value[4:]
        return value.rstrip("/")

    if href.lower().startswith("tel:"):
        digits = "".join(char for char in text if char.isdigit())
        return bool(digits) and digits == "".join(char for char in href if char.isdigit())
    return bool(text.strip()) and norm(text) == norm(href)


class _Renderer:
    """One render: the walk's state and the lines it produces."""

    def __init__(
        self, filler: TagFiller, width: int, session: Session | None = None, sheet: StyleSheet | None = None
    ) -> None:
        self.width = width
        self.sheet = sheet or {}
        self.session = session
        self.filler = filler
        self.lines: list[list[Segment]] = []
        self.runs: list[Run] = []
        self.counts: dict[str, int] = dict.fromkeys(_STYLE_ORDER, 0)
        self.style = ""
        self.prefixes: list[_Prefix] = []
        self.used_upto = 0  # prefixes before this index have shown their first line
        self.lists: list[_List] = []
        self.gap = 0
        self.gap_depth = 0  # how many prefixes the blank lines carry (outermost request wins)
        self.last_space = True
        self.in_spin = False
        self.pre_depth = 0
        self.cell_depth = 0  # inside a data table's cell: blocks become spaces
        self.table: list[list[Cell]] | None = None  # the rows of the data table being collected
        self.zero_font: list[bool] = []
        self.links: list[str] = []
        self.link_numbers: dict[str, int] = {}
        self.words = 0
        self.chars = 0
        # Made once: most elements end with one of these (saves a closure per element).
        self.end_block0: Callable[[], None] = lambda: self.block(0)
        self.end_block1: Callable[[], None] = lambda: self.block(1)
        # Parts of state(), kept until they change: blocks are looked up far more often.
        self._counts_key: tuple[int, ...] | None = None
        self._prefixes_key: tuple[Any, ...] | None = None

    # -- state, for tui.preview.blocks ----------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        """Everything a block's rendering reads besides its source, the options and the link
        numbers (which blocks.Session checks on its own)."""
        prefixes = self._prefixes_key
        if prefixes is None:
            prefixes = self._prefixes_key = tuple([prefix.key for prefix in self.prefixes])
        return (
            self._counts(),
            prefixes,
            self.used_upto,
            tuple([(item.ordered, item.counter) for item in self.lists]) if self.lists else (),
            tuple(self.zero_font),
            tuple(self.runs),
            bool(self.lines),
            len(self.links),
            self.gap,
            self.gap_depth,
            self.last_space,
            self.in_spin,
            self.pre_depth,
            self.cell_depth,
        )

    def state_after(self) -> tuple[Any, ...]:
        """What a block may change besides its output; the stacks are as it found them (every
        element it opened has closed), only the counters in them move."""
        return (
            self._counts(),
            tuple(self.counts.items()),
            self.used_upto,
            tuple(item.counter for item in self.lists),
            self.gap,
            self.gap_depth,
            self.last_space,
            self.in_spin,
        )

    def restore(self, after: tuple[Any, ...]) -> None:
        counts, items, self.used_upto, counters, self.gap, self.gap_depth, self.last_space, self.in_spin = after
        if counts != self._counts():
            self.counts = dict(items)
            self._restyle()
        for item, counter in zip(self.lists, counters):
            item.counter = counter

    def _counts(self) -> tuple[int, ...]:
        counts = self._counts_key
        if counts is None:
            counts = self._counts_key = tuple(self.counts.values())
        return counts

    # -- styles and text -------------------------------------------------------------------

    def push(self, *tags: str) -> None:
        for tag in tags:
            self.counts[tag] = self.counts.get(tag, 0) + 1
        self._restyle()

    def pop(self, *tags: str) -> None:
        for tag in tags:
            self.counts[tag] -= 1
        self._restyle()

    def _restyle(self) -> None:
        self._counts_key = None
        counts = self.counts
        self.style = " ".join([tag for tag in _STYLE_ORDER if counts[tag]])

    def _styled(self, extra: str) -> str:
        if not extra:
            return self.style
        return f"{self.style} {extra}" if self.style else extra

    def text(self, raw: str) -> None:
        """A text node: collapsed like a browser, cleaned, spins marked, tags filled."""
        if not raw or (self.last_space and not self.pre_depth and raw.isspace()):
            return
        if self.zero_font and self.zero_font[-1]:
            return
        if self.pre_depth:
            self._chunks(raw)
            return
        raw = _WHITESPACE.sub(" ", raw)
        if self.last_space and raw.startswith(" "):
            raw = raw[1:]
        if not raw:
            return
        self.last_space = raw.endswith(" ")
        if SPIN_START in raw or SPIN_END in raw:
            self._chunks(raw)
        else:
            self._emit(raw)

    def _chunks(self, raw: str) -> None:
        if SPIN_START in raw or SPIN_END in raw:
            for piece in _SPIN_SPLIT.split(raw):
                if piece == SPIN_START:
                    self.in_spin = True
                    self._spin_style()
                elif piece == SPIN_END:
                    self.in_spin = False
                    self._spin_style()
                elif piece:
                    self._emit(piece)
        else:
            self._emit(raw)

    def _spin_style(self) -> None:
        self.counts["spin"] = 1 if self.in_spin else 0
        self._restyle()

    def _emit(self, text: str) -> None:
        text = clean(text)
        if not text.isascii():
            text = text.translate(_INVISIBLE)
        if "{{" not in text:
            self.runs.append((text, self.style))
            return
        for piece, extra in self.filler.pieces(text):
            if piece:
                if extra:  # a prospect's value or a fallback: untrusted, and one line
                    piece = clean(piece)
                    if not self.pre_depth:
                        piece = " ".join(piece.split())
                self.runs.append((piece, self._styled(extra)))

    def atom(self, text: str, extra: str) -> None:
        """Inline text that is not from a text node (an image placeholder, a link marker)."""
        self.runs.append((text, self._styled(extra)))
        self.last_space = False
        # Placeholders and reference markers are not words the recipient reads.
        self.chars -= len(text)
        if extra == "image":
            self.words -= len(text.split())

    def line_break(self) -> None:
        if self.pre_depth:
            self.runs.append(("\n", self.style))
        elif self.cell_depth and self.table is None:
            self.space()
        else:
            self.runs.append(BREAK)
            self.last_space = True

    def space(self) -> None:
        if not self.last_space:
            self.runs.append((" ", ""))
            self.last_space = True

    # -- blocks ---------------------------------------------------------------------------

    def _prefix_cap(self) -> int:
        """Prefix columns allowed: text keeps a third of the width, and at least 10 columns."""
        return self.width - max(10, self.width // 3)

    def _prefix_pair(self) -> tuple[list[Segment], list[Segment]]:
        if not self.prefixes:
            return [], []
        first: list[Segment] = []
        rest: list[Segment] = []
        cap = self._prefix_cap()
        # Every prefix is at least one column wide, so prefixes past ``cap`` are cut off anyway:
        # looking at no more of them keeps thousands of nested lists linear.
        for index, prefix in enumerate(self.prefixes[: cap + 1]):
            first.extend(prefix.rest if index < self.used_upto else prefix.first)
            rest.extend(prefix.rest)
        return self._capped(first, cap), self._capped(rest, cap)

    @staticmethod
    def _capped(prefix: list[Segment], cap: int) -> list[Segment]:
        if sum(len(segment.text) for segment in prefix) <= cap:
            return prefix
        text = "".join(segment.text for segment in prefix)[:cap]
        return [Segment(text, "muted")] if text else []

    def _push_prefix(self, prefix: _Prefix) -> None:
        self.prefixes.append(prefix)
        self._prefixes_key = None

    def _drop_prefix(self, prefix: _Prefix) -> None:
        """Remove ``prefix``: the last one, as elements close in reverse order."""
        if self.prefixes and self.prefixes[-1] is prefix:
            self.prefixes.pop()
        else:
            self.prefixes = [kept for kept in self.prefixes if kept is not prefix]
        self._prefixes_key = None
        self.used_upto = min(self.used_upto, len(self.prefixes))

    def _mark_used(self) -> None:
        """Every prefix has shown its first line (a list marker appears once)."""
        self.used_upto = len(self.prefixes)

    def _open_gap(self) -> None:
        if self.lines and self.gap:
            cap = self._prefix_cap()
            rest = [segment for prefix in self.prefixes[: min(self.gap_depth, cap + 1)] for segment in prefix.rest]
            bar = "".join(segment.text for segment in rest).rstrip()[:cap]
            blank = [Segment(bar, "quote")] if bar else []
            self.lines.extend(list(blank) for _ in range(self.gap))
        self.gap = 0

    def flush(self) -> None:
        """End the current paragraph: wrap its runs into lines."""
        if self.pre_depth:
            self.preformatted_end()
            return
        runs = self.runs
        self.last_space = True
        if not runs:
            return
        self.runs = []
        joined = "".join([text for text, _style in runs])
        if not joined.strip(" "):
            return
        self._count(joined)
        self._open_gap()
        first, rest = self._prefix_pair()
        self.lines.extend(wrap_runs(runs, self.width, first, rest, joined))
        self._mark_used()

    def _count(self, text: str) -> None:
        """Words and characters (spaces between words included, line breaks not)."""
        words = text.split()
        if words:
            self.words += len(words)
            self.chars += sum(map(len, words)) + len(words) - 1

    def block(self, gap: int) -> None:
        """A block boundary that wants ``gap`` blank lines (collapsed with its neighbours')."""
        if self.cell_depth:
            self.space()
            return
        self.flush()
        if gap:
            self.gap_depth = min(self.gap_depth, len(self.prefixes)) if self.gap else len(self.prefixes)
            self.gap = max(self.gap, gap)

    def rule(self) -> None:
        self.block(0)
        if self.cell_depth:
            return
        self._open_gap()
        first, _rest = self._prefix_pair()
        used = sum(len(segment.text) for segment in first)
        self.lines.append(list(first) + [Segment(_RULE * max(1, self.width - used), "hr")])
        self._mark_used()

    def preformatted_end(self) -> None:
        text = "".join(text for text, _style in self.runs)
        self.runs = []
        self.last_space = True
        if text.startswith("\n"):  # the HTML parser drops one leading newline in <pre> too
            text = text[1:]
        text = text.rstrip("\n")
        if not text.strip():
            return
        self._count(text)
        self._open_gap()
        first, rest = self._prefix_pair()
        self.lines.extend(wrap_preformatted(text, "code", self.width, first, rest))
        self._mark_used()

    # -- the walk -------------------------------------------------------------------------

    def walk(self, root) -> None:
        """Visit every node in document order without recursion."""
        path: list[tuple[object, Callable[[], None] | None]] = []
        node = root.first_child
        text = self.text
        enter = self.enter if self.session is None else lambda node: self.session.enter(self, node, self.enter)
        while node is not None:
            if node.tag == "-text":  # most nodes: handled here to save a call per node
                text(node.text_content or "")
                descend, on_exit = False, None
            else:
                descend, on_exit = enter(node)
            child = node.first_child if descend else None
            if child is not None:
                path.append((node, on_exit))
                node = child
                continue
            if on_exit is not None:
                on_exit()
            while True:
                following = node.next
                if following is not None:
                    node = following
                    break
                if not path:
                    node = None
                    break
                node, on_exit = path.pop()
                if on_exit is not None:
                    on_exit()
        self.block(0)

    def enter(self, node) -> tuple[bool, Callable[[], None] | None]:
        """Handle a node on the way down: whether to visit its children, and what to do after."""
        tag = node.tag
        if tag == "-text":
            self.text(node.text_content or "")
            return False, None
        handler = _HANDLERS.get(tag)
        if handler is None and (tag is None or tag in _SKIP or tag[0] in "-!"):
            return False, None
        attrs = node.attributes
        css = _NO_CSS
        if self.sheet:
            css = _sheet_css(self.sheet, tag, attrs)
        if attrs:
            style_attr = attrs.get("style")
            if style_attr:
                css = {**css, **_declarations(style_attr)} if css else _declarations(style_attr)
            if (css or tag == "img" or "hidden" in attrs) and _hidden(tag, attrs, css):
                return False, None
        elif css and _hidden(tag, attrs, css):
            return False, None
        if "font-size" not in css:
            return handler(self, node, attrs) if handler is not None else _DESCEND
        self.zero_font.append(_is_zero(css["font-size"]))
        descend, on_exit = handler(self, node, attrs) if handler is not None else _DESCEND
        if on_exit is None:
            return descend, self.zero_font.pop  # type: ignore[return-value]  # its bool is unused; a bound method is the cheapest exit hook

        def leave() -> None:
            on_exit()
            self.zero_font.pop()

        return descend, leave

    # -- element handlers -----------------------------------------------------------------

    def h_inline(self, node, attrs):
        style = _INLINE_STYLE[node.tag]
        self.push(style)
        return True, lambda: self.pop(style)

    def h_br(self, node, attrs):
        self.line_break()
        return False, None

    def h_paragraph(self, node, attrs):
        self.block(1)
        return True, self.end_block1

    def h_div(self, node, attrs):
        self.block(0)
        return True, self.end_block0

    def h_heading(self, node, attrs):
        level = node.tag if node.tag in ("h1", "h2", "h3") else None
        tags = ("heading", level) if level else ("heading",)
        self.block(1)
        self.push(*tags)

        def leave() -> None:
            self.block(1)
            self.pop(*tags)

        return True, leave

    def h_link(self, node, attrs):
        href = one_line(self.filler.fill(strip_sentinels(attrs.get("href") or "")))
        start, lines_before = len(self.runs), len(self.lines)
        self.push("link")

        def leave() -> None:
            self.pop("link")
            lowered = href.lower()
            if not href or href.startswith("#") or lowered.startswith(("javascript:", "data:", "vbscript:")):
                return
            if lowered.rstrip("/?") in ("mailto:", "tel:", "sms:"):
                return  # no address: nothing a reader could follow
            pending = "".join([text for text, _style in self.runs])
            # The link wrapped block content (a <div>, a button's <table>): it was written out
            # as lines, and its marker goes at the end of the last of them, not on a line alone.
            wrapped_block = len(self.lines) > lines_before and not pending.strip()
            if wrapped_block:
                text = " ".join("".join([seg.text for seg in line]) for line in self.lines[lines_before:])
            else:
                text = "".join(text for text, _style in self.runs[start:])
                if not text.strip() and len(self.lines) == lines_before and len(self.runs) >= start:
                    return  # nothing shown (an empty link, a hidden pixel): a bare [N] would puzzle
            if _same_target(" ".join(text.split()), href):
                return
            number = self.link_numbers.get(href) if self.session is None else self.session.lookup(self, href)
            if number is None:
                self.links.append(href)
                number = self.link_numbers[href] = len(self.links)
            if wrapped_block:
                self._attach(Segment(f"[{number}]", self._styled("muted")))
                return
            trailing = self.runs[-1] if self.runs and self.runs[-1][0].endswith(" ") else None
            if trailing is not None:  # "text [1]" reads as if the marker were a new word
                self.runs[-1] = (trailing[0].rstrip(" "), trailing[1])
            self.atom(f"[{number}]", "muted")
            if trailing is not None:
                self.runs.append((" ", ""))
                self.last_space = True

        return True, leave

    def _attach(self, marker: Segment) -> None:
        """Put ``marker`` at the end of the last line written, or, when it would overflow the
        width, with the line's last word on a line of its own (as wrapping would have)."""
        line = self.lines[-1]
        text = "".join([segment.text for segment in line])
        # A new list, never the old one changed: cached blocks and the pane share line objects.
        if len(text) + len(marker.text) <= self.width:
            self.lines[-1] = [*line, marker]
            return
        _first, rest = self._prefix_pair()
        cut = text.rfind(" ", sum(len(segment.text) for segment in rest) + 1)
        if cut < 0:
            self.lines.append([*rest, marker])
            return
        head: list[Segment] = []
        tail: list[Segment] = []
        position = 0
        for segment in line:
            end = position + len(segment.text)
            if end <= cut:
                head.append(segment)
            elif position > cut:
                tail.append(segment)
            else:
                before, after = segment.text[: cut - position], segment.text[cut - position + 1 :]
                if before:
                    head.append(Segment(before, segment.style))
                if after:
                    tail.append(Segment(after, segment.style))
            position = end
        if head and head[-1].text.endswith(" "):
            head[-1] = Segment(head[-1].text.rstrip(" "), head[-1].style)
        moved = [*rest, *tail, marker]
        if sum(len(segment.text) for segment in moved) > self.width:  # a word broken at the width
            self.lines.append([*rest, marker])
            return
        self.lines[-1] = head
        self.lines.append(moved)

    def h_image(self, node, attrs):
        alt = one_line(self.filler.fill(strip_sentinels(attrs.get("alt") or ""))).translate(_INVISIBLE)
        if alt.strip():
            self.atom(f"[image: {alt}]", "image")
        elif "alt" not in attrs:
            self.atom("[image]", "image")  # alt="" marks a decorative image: mail clients show nothing
        return False, None

    def h_rule(self, node, attrs):
        self.rule()
        return False, None

    def h_list(self, node, attrs):
        nested = bool(self.lists)
        start = 1
        if node.tag == "ol":
            try:
                start = int((attrs.get("start") or "1").strip())
            except ValueError:
                start = 1
        self.block(0 if nested else 1)
        self.lists.append(_List(node.tag == "ol", start))
        indent = None
        if not nested and not self.cell_depth:
            indent = _Prefix([Segment("  ")], [Segment("  ")])
            self._push_prefix(indent)

        def leave() -> None:
            self.block(0 if nested else 1)
            self.lists.pop()
            if indent is not None:
                self._drop_prefix(indent)

        return True, leave

    def h_item(self, node, attrs):
        self.block(0)
        if self.cell_depth:
            return True, self.space
        current = self.lists[-1] if self.lists else _List(False)
        if current.ordered:
            marker = f"{current.counter}. "
            current.counter += 1
        else:
            marker = "• "
        prefix = _Prefix([Segment(marker, "list-marker")], [Segment(" " * len(marker))])
        self._push_prefix(prefix)

        def leave() -> None:
            self.block(0)
            self._drop_prefix(prefix)

        return True, leave

    def h_quote(self, node, attrs):
        self.block(1)
        if self.cell_depth:
            return True, None
        prefix = _Prefix([Segment("│ ", "quote")], [Segment("│ ", "quote")])
        self._push_prefix(prefix)
        self.push("quote")

        def leave() -> None:
            self.flush()
            self._drop_prefix(prefix)
            self.pop("quote")
            self.block(1)

        return True, leave

    def h_pre(self, node, attrs):
        self.block(1)
        if self.cell_depth:
            return True, None
        self.pre_depth += 1
        self.push("code")

        def leave() -> None:
            self.pop("code")
            self.pre_depth -= 1
            if not self.pre_depth:
                self.preformatted_end()
            self.block(1)

        return True, leave

    def h_definition(self, node, attrs):
        self.block(0)
        prefix = _Prefix([Segment("    ")], [Segment("    ")])
        self._push_prefix(prefix)

        def leave() -> None:
            self.block(0)
            self._drop_prefix(prefix)

        return True, leave

    def h_table(self, node, attrs):
        # Decided per table at any depth: data tables sit inside layout tables in real email.
        if self.cell_depth or self.pre_depth or not is_data_table(node):
            self.block(0)
            return True, self.end_block0
        self.block(1)
        rows: list[list[Cell]] = []
        self.table = rows

        def leave() -> None:
            self.block(0)  # a caption's text, before the rows
            self.table = None
            for row in rows:
                for cell in row:
                    self._count(" ".join(cell.texts))
            if any(rows):
                self._open_gap()
                first, rest = self._prefix_pair()
                self.lines.extend(layout_rows(rows, self.width, first, rest))
                self._mark_used()
            self.block(1)

        return True, leave

    def h_row(self, node, attrs):
        if self.table is not None and not self.cell_depth:
            self.table.append([])
            return True, None
        self.block(0)
        return True, self.end_block0

    def h_cell(self, node, attrs):
        table = self.table
        if table is None or self.cell_depth:
            self.block(0)
            return True, self.end_block0
        if not table:
            table.append([])  # a cell outside any row: the parser makes one, but to be safe
        self.block(0)  # text outside the cells (none after parsing) stays outside them
        outer = self.runs
        self.runs = []
        self.last_space = True
        self.cell_depth += 1
        bold = node.tag == "th"
        if bold:
            self.push("bold")
        try:
            span = max(1, min(int((attrs.get("colspan") or "1").strip()), 1000))
        except ValueError:
            span = 1
        row = table[-1]

        def leave() -> None:
            self.cell_depth -= 1
            if bold:
                self.pop("bold")
            row.append(Cell(self.runs, span, _alignment(node.tag, attrs, self.sheet)))
            self.runs = outer
            self.last_space = True

        return True, leave


_HANDLERS: dict[str, Callable] = {tag: _Renderer.h_inline for tag in _INLINE_STYLE}
_HANDLERS.update({tag: _Renderer.h_div for tag in _PLAIN_BLOCKS})
_HANDLERS.update({f"h{level}": _Renderer.h_heading for level in range(1, 7)})
_HANDLERS.update(
    {
        "br": _Renderer.h_br,
        "wbr": lambda self, node, attrs: (False, None),
        "p": _Renderer.h_paragraph,
        "a": _Renderer.h_link,
        "img": _Renderer.h_image,
        "hr": _Renderer.h_rule,
        "ul": _Renderer.h_list,
        "ol": _Renderer.h_list,
        "menu": _Renderer.h_list,
        "li": _Renderer.h_item,
        "blockquote": _Renderer.h_quote,
        "pre": _Renderer.h_pre,
        "listing": _Renderer.h_pre,
        "xmp": _Renderer.h_pre,
        "dd": _Renderer.h_definition,
        "table": _Renderer.h_table,
        "tr": _Renderer.h_row,
        "td": _Renderer.h_cell,
        "th": _Renderer.h_cell,
    }
)


def _safe_unicode(text: str) -> str:
    """Lone surrogates (possible in JSON input) cannot be encoded for the parser."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def source_lines(text: str, width: int) -> list[list[Segment]]:
    """The raw source, cleaned, each line broken hard at ``width``."""
    return wrap_preformatted(clean(text), "code", width, [], [])


# The HTML parser's tree building costs (tags x open elements): fine for real email (a few
# dozen levels deep), quadratic for hostile nesting (100,000 unclosed <div>s take seconds).
# This scan only estimates that depth to bound the parse; the rendering never reads it.
_TAG_START = re.compile(
    r"<(/?)(?!(?:br|img|hr|meta|link|input|wbr|col|area|base|source|track|param|embed)[\s/>])([a-z][a-z0-9]*)", re.I
)
MAX_NESTING = 1500  # deeper than any real email; beyond it the input is parsed in pieces
# Implied end tags (the HTML parsing rules, simplified): a start tag closes the open element of
# its kind up to the nearest boundary, so 2,000 unclosed <li>/<p>/<td> are a flat list, not a
# nesting 2,000 deep (which the guard cut apart: numbered lists became bullets).
_CLOSES: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
_P_CLOSERS = "address article aside blockquote div dl fieldset footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table ul dd dt"
for _name in _P_CLOSERS.split():
    _CLOSES[_name] = (frozenset({"p"}), frozenset({"td", "th", "table", "li", "div", "blockquote", "button"}))
_CLOSES["li"] = (frozenset({"li"}), frozenset({"ul", "ol", "table", "td", "th"}))
_CLOSES["dt"] = _CLOSES["dd"] = (frozenset({"dt", "dd"}), frozenset({"dl", "table"}))
_CLOSES["td"] = _CLOSES["th"] = (frozenset({"td", "th"}), frozenset({"tr", "table"}))
_CLOSES["tr"] = (frozenset({"tr"}), frozenset({"table", "tbody", "thead", "tfoot"}))
_CLOSES["tbody"] = _CLOSES["thead"] = _CLOSES["tfoot"] = (frozenset({"tbody", "thead", "tfoot"}), frozenset({"table"}))
_CLOSES["option"] = (frozenset({"option"}), frozenset({"select"}))


def nesting_depth(html: str, stop_at: int | None = None) -> int:
    """The deepest real nesting of elements in ``html``, implied end tags applied (at most a
    little over ``stop_at`` when given: counting stops there)."""
    stack: list[str] = []
    deepest = 0
    for slash, raw in _TAG_START.findall(html):
        name = raw.lower()
        if slash:
            for index in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
                if stack[index] == name:
                    del stack[index:]
                    break
            continue
        rule = _CLOSES.get(name)
        if rule is not None:
            closed, boundary = rule
            for index in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
                if stack[index] in closed:
                    del stack[index:]
                    break
                if stack[index] in boundary:
                    break
        stack.append(name)
        if len(stack) > deepest:
            deepest = len(stack)
            if stop_at is not None and deepest > stop_at:
                break
    return deepest


_PIECE_TAGS = 1000


def _pieces(html: str) -> list[str]:
    """``html`` whole, or cut at tag starts into pieces of bounded depth when it nests deeper
    than MAX_NESTING (structure across the cuts is lost; that input is hostile anyway)."""
    if html.count("<") <= MAX_NESTING:
        return [html]
    if nesting_depth(html, MAX_NESTING) <= MAX_NESTING:
        return [html]
    starts = [match.start() for match in _TAG_START.finditer(html)][_PIECE_TAGS::_PIECE_TAGS]
    cuts = [0, *starts, len(html)]
    return [html[begin:end] for begin, end in itertools.pairwise(cuts) if end > begin]


# How far into the email the hidden preheader is looked for: it comes before the first words.
_LEAD_SPAN = 30_000


def hidden_lead(html: str, sheet: StyleSheet | None = None) -> str:
    """The text of elements hidden by the sender before the body's first visible words: the
    preheader, which mail clients show in the inbox row although the body hides it."""
    LexborHTMLParser = parser_class()  # the class, loaded on first use (see parser.py)

    if sheet is None:
        sheet = style_sheet(html)
    head = html[:_LEAD_SPAN]
    lowered = head.lower()
    hiding = any(_HIDING.intersection(found) for found in sheet.values())
    if not hiding and not any(hint in lowered for hint in ("hidden", "none", "mso-hide", "max-height", "opacity")):
        return ""  # nothing in it can hide: spare the parse on every keystroke
    parser = LexborHTMLParser(head)
    root = parser.body if parser.body is not None else parser.root
    found: list[str] = []
    # Depth-first in document order, without recursion: the next sibling waits on the stack.
    node = root.first_child if root is not None else None
    stack: list[Any] = []
    while node is not None or stack:
        if node is None:
            node = stack.pop()
        tag = node.tag
        following = node.next
        if tag == "-text":
            if (node.text_content or "").strip():
                break  # the first visible words: the lead ends
        elif tag and tag not in _SKIP and tag[0] not in "-!":
            attrs = node.attributes
            css = _sheet_css(sheet, tag, attrs) if sheet else {}
            style_attr = attrs.get("style") if attrs else None
            if style_attr:
                css = {**css, **_declarations(style_attr)}
            if tag != "img" and _hidden(tag, attrs, css):
                text = " ".join(node.text(deep=True).split())
                if text:
                    found.append(text)
            elif node.first_child is not None:
                if following is not None:
                    stack.append(following)
                node = node.first_child
                continue
        node = following
    lead = " ".join(found).translate(_INVISIBLE).replace(SPIN_START, "").replace(SPIN_END, "")
    return " ".join(clean(lead, keep_newlines=False).split())


def render_email(html: str, options: PreviewOptions, cache: BlockCache | None = None) -> Rendered:
    """Render an email body (HTML) for the preview; see :class:`PreviewOptions`.

    With a ``cache`` (one per email being edited), the blocks unchanged since the previous
    render with it are replayed rather than rendered again; the result is the same.
    """
    LexborHTMLParser = parser_class()  # the class, loaded on first use (see parser.py)

    width = max(20, int(options.width))
    html = _safe_unicode(html or "")
    marked, combinations = mark_spins(html, options.spin_choice)
    choice = options.spin_choice % combinations
    if options.mode == "source":
        return Rendered(lines=source_lines(html, width), combinations=combinations, choice=choice)
    filler = TagFiller(options)
    sheet = style_sheet(marked)
    session = cache.start(options, width, sheet) if cache is not None else None
    renderer = _Renderer(filler, width, session, sheet)
    for piece in _pieces(marked):
        parser = LexborHTMLParser(piece)
        root = parser.body if parser.body is not None else parser.root
        if root is not None:
            renderer.walk(root)
    if session is not None:
        session.finish()
    lines = renderer.lines
    if options.mode == "plain":
        lines = strip_styles(lines)
    return Rendered(
        lines=lines,
        links=renderer.links,
        combinations=combinations,
        choice=choice,
        word_count=renderer.words,
        char_count=renderer.chars,
        missing=filler.missing,
        hidden_lead=hidden_lead(marked, sheet) if options.mode != "source" else "",
    )
