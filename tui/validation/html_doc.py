"""One parse of an Email body, shared by every content rule.

Structure (links, images, active content, visible text) comes from lexbor, a browser-grade
parser. A browser parser repairs unclosed and mismatched tags silently, so those are found by a
light scan of the start and end tags in the source; the same scan gives each element's span in
the source, so the editor can select it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias

from selectolax.lexbor import LexborHTMLParser

from .edits import changed_region
from .spam import might_be_spam_after, might_be_spam_words
from .words import readable_word_count, readable_words_after

# One token of markup: a start tag (attribute values may hold ">" inside quotes), an end tag,
# a comment, a doctype or a processing instruction. Most tokens are tags, so they come first.
# Possessive where giving back characters can never lead to a match (~20% faster on 100 KB);
# not a start tag's name, which may give back a quote that opens an attribute value.
_TOKEN_RE = re.compile(
    r"""
    <([A-Za-z][^\s/>]*)([^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+)>
  | </([A-Za-z][^\s/>]*+)[^>]*+>
  | <!--.*?(?:-->|\Z)
  | <![^>]*+>?
  | <\?[^>]*+>?
    """,
    re.VERBOSE | re.DOTALL,
)
# Elements whose content is raw text, not markup.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "basefont",
        "frame",
        "command",
    }
)
# Elements whose end tag HTML allows to be left out: leaving them open is not a mistake.
_OPTIONAL_END = frozenset(
    {
        "html",
        "head",
        "body",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rtc",
        "rp",
    }
)
_NEVER_SHOWN = frozenset({"script", "style", "template", "noscript", "head", "title"})
# A cheap literal-prefix pass over the lower-cased source first; the exact one only if it hits.
_HANDLER_QUICK_RE = re.compile(r"on[a-z]+\s*=")
_HANDLER_HINT_RE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0(?![.\d])|font-size\s*:\s*0(?![.\d])", re.IGNORECASE
)
MAX_BALANCE_PROBLEMS = 20
MAX_LINK_TEXTS = 20
# Candidates only (the native selector is fast); the style regex then decides.
_HIDDEN_BY_NAME = ", ".join(sorted(_NEVER_SHOWN))
_HIDDEN_SELECTOR = ", ".join(
    [_HIDDEN_BY_NAME, "[hidden]"]
    + [
        f"[style*='{prop}:{gap}{value}' i]"
        for prop, value in (("display", "none"), ("visibility", "hidden"), ("max-height", "0"), ("font-size", "0"))
        for gap in ("", " ")
    ]
)
_HIDDEN_BY_NAME_OR_ATTRIBUTE = _HIDDEN_BY_NAME + ", [hidden]"
# What the style parts of _HIDDEN_SELECTOR look for, as lexbor compares them: in the decoded
# value, ignoring ASCII case only.
_HIDDEN_STYLE_NEEDLES = tuple(
    f"{prop}:{gap}{value}".encode()
    for prop, value in (("display", "none"), ("visibility", "hidden"), ("max-height", "0"), ("font-size", "0"))
    for gap in ("", " ")
)
# A superset of _HANDLER_QUICK_RE and _HANDLER_HINT_RE over the UTF-8 source lower-cased as
# bytes (~0.1 ms, against ~0.3 ms to lower-case the text): any non-ASCII byte may be a letter
# or a space that the text patterns accept.
_HANDLER_BYTES_RE = re.compile(rb"on(?:[a-z]|[\x80-\xff])+[\s\x1c-\x1f\x80-\xff]*=")


class Anchor(NamedTuple):
    """An ``<a>``: its href (None when absent), its visible text and its span in the source.

    A named tuple: a long body has hundreds of links, and a tuple is made at C speed (a
    frozen dataclass sets each field through ``object.__setattr__``). The span is read from
    the start tag when asked for: the link rules ask for a few."""

    href: str | None
    text: str
    opened: re.Match[str] | None  # the start tag, in the text of the scan
    moves: Moves = ()  # from the text of the scan to this one

    @property
    def span(self) -> tuple[int, int] | None:
        return (
            None if self.opened is None else moved(self.opened.span(), self.moves) if self.moves else self.opened.span()
        )


@dataclass(frozen=True)
class Image:
    has_alt: bool
    span: tuple[int, int] | None


@dataclass(frozen=True)
class Flagged:
    """An element found by a rule: tag name, a detail (e.g. the handler attribute), span."""

    tag: str
    detail: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class BalanceProblem:
    message: str
    span: tuple[int, int]


# One token of the scan: a match; an end tag's start, as an int (its end is the next ">"): a
# long body has thousands, and a kept match object is one more object for the garbage
# collector to count and walk (~1500 fewer per scan: two fewer collections per validate());
# or a raw-text span.
Token: TypeAlias = "re.Match[str] | int | tuple[int, int]"


def token_span(token: Token, source: str) -> tuple[int, int]:
    """The span of a scan's ``token`` in the ``source`` it scanned."""
    if isinstance(token, int):
        return token, source.index(">", token) + 1
    if isinstance(token, tuple):
        return token
    return token.span()


# (where, by how much, from): an edit moved everything from ``where`` on by ``by``; no token
# starts in [from, where) (the edited text).
Moves = tuple[tuple[int, int, int], ...]
# After this many edits reuse one scan, the next parse scans afresh (each span read walks them).
MAX_MOVES = 32


@dataclass(frozen=True)
class Scan:
    """What the markup scan found in ``source``: start tags by name, tag-balance problems, and
    all markup (tokens and raw-text spans), with spans into ``source``."""

    source: str
    starts: dict[str, list[re.Match[str]]]
    balance: list[BalanceProblem]
    markup: list[Token]


def moved(span: tuple[int, int], moves: Moves) -> tuple[int, int]:
    """``span`` of a token in a scan's source, in the text that ``moves`` turned it into."""
    start, end = span
    for where, by, _from in moves:
        if start >= where:  # edits never cut a token: it is wholly before or after
            start += by
            end += by
    return start, end


@dataclass
class HtmlDoc:
    """Everything the content rules need from one Email body, computed once."""

    source: str
    anchors: list[Anchor] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    active: list[Flagged] = field(default_factory=list)
    handlers: list[Flagged] = field(default_factory=list)
    balance: list[BalanceProblem] = field(default_factory=list)
    visible_text: str = ""
    size: int = 0  # bytes, as sent (UTF-8)
    spam_hint: bool | None = None  # spam.might_be_spam(visible_text)
    hidden_by_attribute: bool = False  # an element was a hidden candidate by its attributes
    words: int | None = None  # words.count_words(readable(visible_text)), once counted
    # The scan's tokens (match objects) and raw-text spans, in source order: most bodies never
    # need their spans, so they are read only when asked for. The scan may be of an earlier
    # text that edits outside all markup turned into this one (``moves``, see parse_html).
    markup_tokens: list[Token] = field(default_factory=list, repr=False)
    scan: Scan | None = field(default=None, repr=False)
    moves: Moves = ()
    _mask: str | None = None

    @property
    def markup_spans(self) -> list[tuple[int, int]]:
        """The spans of all markup in the source, in order."""
        scanned = self.scan.source if self.scan is not None else self.source
        spans = [token_span(token, scanned) for token in self.markup_tokens]
        return [moved(span, self.moves) for span in spans] if self.moves else spans

    @property
    def text_mask(self) -> str:
        """The source with markup blanked out (same length): text checks on it give source
        spans. Built on first use: most bodies never need it."""
        if self._mask is None:
            pieces = []
            cursor = 0
            for begin, finish in self.markup_spans:
                pieces.append(self.source[cursor:begin])
                pieces.append(" " * (finish - begin))
                cursor = finish
            pieces.append(self.source[cursor:])
            self._mask = "".join(pieces)
        return self._mask


_ABSENT: Any = object()  # a sentinel compared by identity
_RAW_END_CACHE: dict[str, re.Pattern[str]] = {}


def _raw_text_end(name: str) -> re.Pattern[str]:
    pattern = _RAW_END_CACHE.get(name)
    if pattern is None:
        pattern = _RAW_END_CACHE[name] = re.compile(r"</" + re.escape(name) + r"(?:[\s/][^>]*)?(?:>|\Z)", re.IGNORECASE)
    return pattern


def _scan(source: str) -> tuple[dict[str, list[re.Match[str]]], list[BalanceProblem], list[Token]]:
    """Start tags by name (in order), tag-balance problems, and all markup (tokens and raw-text
    spans, in order).

    The raw text of a script or style sheet is not markup: the scan resumes after its end tag.
    This loop runs once per tag (thousands in a long body): it keeps the match objects and asks
    for a span only where one is used, and looks each distinct tag name up once.
    """
    starts: dict[str, list[re.Match[str]]] = {}
    problems: list[BalanceProblem] = []
    stack: list[tuple[str, re.Match[str]]] = []
    markup: list[Token] = []
    # Elements closed implicitly by a mismatched end tag: their own end tag, when it comes
    # later, is a consequence of the mistake already reported, not a second one.
    orphans: dict[str, int] = {}
    # A start tag's name as written: (the name, its list in ``starts``, 0 an element that
    # needs closing, 1 a void element, 2 one of raw text); an end tag's: the name.
    start_names: dict[str, tuple[str, list[re.Match[str]], int]] = {}
    end_names: dict[str, str] = {}
    add_markup = markup.append
    push = stack.append
    pop = stack.pop
    position: int | None = 0
    while position is not None:
        resume: int | None = None
        for match in _TOKEN_RE.finditer(source, position):
            start_name, attrs, end_name = match.groups()
            if start_name is not None:
                add_markup(match)
                known = start_names.get(start_name)
                if known is None:
                    name = start_name.lower()
                    known = start_names[start_name] = (
                        name,
                        starts.setdefault(name, []),
                        2 if name in _RAW_TEXT else 1 if name in _VOID else 0,
                    )
                name, tags, kind = known
                tags.append(match)
                if kind == 0:
                    # Self-closing: "/" last but for white space (most attributes end in a quote).
                    if not attrs or (attrs[-1] != "/" and not (attrs[-1].isspace() and attrs.rstrip().endswith("/"))):
                        push((name, match))
                elif kind == 2:
                    opened_end = match.end()
                    close = _raw_text_end(name).search(source, opened_end)
                    resume = close.end() if close else len(source)
                    add_markup((opened_end, resume))
                    break
            elif end_name is not None:
                add_markup(match.start())
                name = end_names.get(end_name)
                if name is None:
                    name = end_names[end_name] = end_name.lower()
                if stack and stack[-1][0] == name:
                    pop()
                else:
                    _close(name, match.span(), stack, problems, orphans)
            else:
                add_markup(match)
        position = resume
    for name, opened in stack:
        if name not in _OPTIONAL_END and len(problems) < MAX_BALANCE_PROBLEMS:
            problems.append(BalanceProblem(f"<{name}> is never closed", opened.span()))
    return starts, problems, markup


def _close(
    name: str,
    span: tuple[int, int],
    stack: list[tuple[str, re.Match[str]]],
    problems: list[BalanceProblem],
    orphans: dict[str, int],
) -> None:
    """Pop ``</name>`` off the open-element stack, noting a stray or mismatched end tag."""
    if name in _VOID:
        return
    if stack and stack[-1][0] == name:
        stack.pop()
        return
    depth = next((index for index in range(len(stack) - 1, -1, -1) if stack[index][0] == name), None)
    if depth is None:
        if orphans.get(name):
            orphans[name] -= 1
        elif name not in _OPTIONAL_END and len(problems) < MAX_BALANCE_PROBLEMS:
            problems.append(BalanceProblem(f"</{name}> closes nothing: no <{name}> is open here", span))
        return
    inner = [item for item in stack[depth + 1 :] if item[0] not in _OPTIONAL_END]
    if inner and len(problems) < MAX_BALANCE_PROBLEMS:
        problems.append(
            BalanceProblem(f"</{name}> is mismatched: <{inner[-1][0]}> opened inside it is still open", span)
        )
    for item in inner:
        orphans[item[0]] = orphans.get(item[0], 0) + 1
    del stack[depth:]


def _span_of(
    starts: dict[str, list[re.Match[str]]], name: str, index: int, count: int, moves: Moves = ()
) -> tuple[int, int] | None:
    # The parser may clone or invent elements (misnested formatting tags): only trust the n-th
    # start tag as the n-th element when the counts agree.
    tags = starts.get(name, [])
    return moved(tags[index].span(), moves) if len(tags) == count and index < count else None


def _trusted(starts: dict[str, list[re.Match[str]]], name: str, count: int) -> list[re.Match[str]] | None:
    # As _span_of, once for all ``count`` elements of a name (a long body has hundreds of links).
    tags = starts.get(name)
    return tags if tags is not None and len(tags) == count else None


# Characters that can start, end or change a token of the scan; an edit holding any of them
# (typed or deleted) is scanned afresh.
_MARKUP_CHARS = frozenset("<>\"'")


_NAME_REACH = 256


def _closed(token: Token, source: str) -> bool:
    """Whether text added right after ``token`` stays outside it."""
    if isinstance(token, int):
        return True  # an end tag ends at its ">"
    if isinstance(token, tuple):
        return False  # raw text runs to its end tag, or to the end: not worth telling apart
    if token.lastindex in (2, 3):
        return True  # a start or end tag ends at its ">"
    text = token.group()
    # A comment ends at "-->", "<!…" and "<?…" at ">"; otherwise they ran to the end.
    return len(text) >= 7 and text.endswith("-->") if text.startswith("<!--") else text.endswith(">")


def _reuse_scan(previous: HtmlDoc, source: str) -> Moves | None:
    """The moves that carry ``previous``'s scan over to ``source``, when the two differ by one
    edit of text that cannot change any token; None when ``source`` must be scanned afresh.

    An edit that touches no token and holds none of ``<>"'`` leaves every token as it was:
    every token starts with "<" and ends at ">" (outside quotes), a comment's "-->" or the
    end, and a raw-text element at its end tag; a "<" that was text (no letter, "/", "!" or
    "?" after it, or an unclosed quote) stays text, unless the edit comes right after it.
    """
    scan = previous.scan
    if scan is None or len(previous.moves) >= MAX_MOVES:
        return None
    old = previous.source
    region = changed_region(old, source)
    if region is None:
        return previous.moves
    start, old_end, new_end = region
    if not _MARKUP_CHARS.isdisjoint(old[start:old_end]) or not _MARKUP_CHARS.isdisjoint(source[start:new_end]):
        return None
    moves = previous.moves
    markup = scan.markup

    def begins(index: int) -> int:
        token = markup[index]
        at = token if isinstance(token, int) else token[0] if isinstance(token, tuple) else token.start()
        return moved((at, at), moves)[0]

    # Tokens are in order and disjoint: only the last two that start at or before the edit's
    # end can reach into it.
    count = bisect_right(range(len(markup)), old_end, key=begins)
    for index in range(max(0, count - 2), count):
        token = markup[index]
        token_start, token_end = moved(token_span(token, scan.source), moves)
        if isinstance(token, tuple):
            if token_start <= old_end and token_end >= start:
                return None
        elif token_start < old_end and (token_end > start or (token_end == start and not _closed(token, old))):
            return None
    # A "<" that is text may become a tag when the edit changes where its name would end
    # ("<span" + " style=…" without the space swallows the quotes): the run of name
    # characters that reaches the edit holds no "<".
    reach = max(0, start - _NAME_REACH)
    at = start
    while at > reach and not (source[at - 1].isspace() or source[at - 1] in "/>"):
        at -= 1
        if source[at] == "<":
            return None
    if at == reach and reach > 0:
        return None  # a run too long to follow: scan afresh
    # A "<" just before the edit must open a token: "<" + "b" could become one.
    window = max(0, start - 3)
    bracket = source.rfind("<", window, start)
    if bracket >= 0:
        if source.count("<", window, start) > 1:
            return None
        index = bisect_right(range(len(markup)), bracket, key=begins) - 1
        if index < 0 or begins(index) != bracket or isinstance(markup[index], tuple):
            return None
    return _add_move(moves, (old_end, new_end - old_end, start)) if new_end != old_end else moves


def _add_move(moves: Moves, move: tuple[int, int, int]) -> Moves:
    """``moves`` then ``move``, as one move when that maps every token the same way: typing
    on (or deleting back) at one place stays a single move, so spans cost one step each.

    A token left of the first edit (before ``from``) stays left of the second when that
    starts at or after ``from``; one right of it (at ``where`` or on, moved by ``by``) stays
    right of the second when ``where + by`` reaches it."""
    if moves:
        where, by, begin = moves[-1]
        second_where, second_by, second_begin = move
        if begin <= second_where <= where + by:
            return moves[:-1] + ((where, by + second_by, min(begin, second_begin)),)
    return moves + (move,)


def _hidden_selector(tree: LexborHTMLParser) -> str:
    """:data:`_HIDDEN_SELECTOR`, without its style parts when no style attribute holds what
    they look for: lexbor walks the tree once per part (~0.03 ms each on 100 KB), and a body's
    style attributes are few and short."""
    styles = "\0".join(node.attributes["style"] or "" for node in tree.css("[style]"))
    lowered = styles.encode("utf-8", "surrogatepass").lower()  # ASCII case only, as lexbor's "i"
    return (
        _HIDDEN_SELECTOR if any(needle in lowered for needle in _HIDDEN_STYLE_NEEDLES) else _HIDDEN_BY_NAME_OR_ATTRIBUTE
    )


def parse_html(source: str, previous: HtmlDoc | None = None) -> HtmlDoc:
    """Parse ``source`` once and extract what the content rules look at.

    ``previous``: the parse of an earlier version of the same body (the one before a
    keystroke): when the edit between them is in plain text, its markup scan is reused with
    the spans moved, instead of scanning ~100 KB again. The result is the same either way.
    """
    moves = _reuse_scan(previous, source) if previous is not None else None
    if moves is not None and previous is not None and previous.scan is not None:
        scan = previous.scan
    else:
        scan, moves = Scan(source, *_scan(source)), ()
    starts = scan.starts
    balance = (
        [BalanceProblem(problem.message, moved(problem.span, moves)) for problem in scan.balance]
        if moves
        else scan.balance
    )
    doc = HtmlDoc(source=source, balance=balance, markup_tokens=scan.markup, scan=scan, moves=moves)
    tree = LexborHTMLParser(source)

    anchors = tree.css("a")
    opened = _trusted(starts, "a", len(anchors))
    add_anchor = doc.anchors.append
    for index, node in enumerate(anchors):
        href = node.attributes.get("href", _ABSENT)
        # Link text is only read by the link-text rule, which looks at the first few links.
        text = " ".join(node.text(deep=True).split()) if index < MAX_LINK_TEXTS else ""
        add_anchor(
            Anchor(
                None if href is _ABSENT else "" if href is None else href,
                text,
                opened[index] if opened else None,
                moves,
            )
        )

    images = tree.css("img")
    opened = _trusted(starts, "img", len(images))
    for index, node in enumerate(images):
        doc.images.append(Image("alt" in node.attributes, moved(opened[index].span(), moves) if opened else None))

    for name in ("script", "iframe", "form"):
        nodes = tree.css(name)
        for index, _node in enumerate(nodes):
            doc.active.append(Flagged(name, "", _span_of(starts, name, index, len(nodes), moves)))

    encoded = source.encode("utf-8", "surrogatepass")
    doc.size = len(encoded)
    lowered = encoded.lower()
    if (
        _HANDLER_BYTES_RE.search(lowered)
        and _HANDLER_QUICK_RE.search(source.lower())
        and _HANDLER_HINT_RE.search(source)
    ):
        seen: dict[str, int] = {}
        counts: dict[str, int] = {}
        for node in tree.root.traverse() if tree.root is not None else ():
            tag = node.tag or ""
            index = seen.get(tag, 0)
            seen[tag] = index + 1
            handlers = [name for name in node.attributes if name.lower().startswith("on")]
            if handlers:
                if tag not in counts:
                    counts[tag] = len(tree.css(tag)) if tag.isalnum() else -1
                count = counts[tag]
                doc.handlers.append(Flagged(tag, handlers[0], _span_of(starts, tag, index, count, moves)))

    # Last, because it changes the tree: drop what a reader never sees, then read the text.
    # Only the outermost hidden nodes are removed, so no node is freed twice.
    # Attributes come from start tags. When no tag changed (the scan was reused) and no
    # element was a candidate by its attributes before, none is now (the parser's clones of
    # formatting elements copy the attributes of one that was there): the names are enough,
    # sparing the attribute selectors (~0.3 ms on 100 KB).
    by_name = previous is not None and scan is previous.scan and previous.hidden_by_attribute is False
    hidden = {}
    for node in tree.css(_HIDDEN_BY_NAME if by_name else _hidden_selector(tree)):
        attributes = node.attributes
        if node.tag not in _NEVER_SHOWN or "hidden" in attributes or "style" in attributes:
            doc.hidden_by_attribute = True
        if node.tag in _NEVER_SHOWN or "hidden" in attributes or _HIDDEN_STYLE_RE.search(attributes.get("style") or ""):
            hidden[node.mem_id] = node
    outermost = []
    for node in hidden.values():
        parent = node.parent
        while parent is not None and parent.mem_id not in hidden:
            parent = parent.parent
        if parent is None:
            outermost.append(node)
    # Every walk up the tree is done before the first removal frees any node.
    for node in outermost:
        node.decompose()
    body = tree.body
    visible = doc.visible_text = body.text(deep=True, separator=" ") if body is not None else ""
    # Searching ~60 KB of text for 20 words is ~0.6 ms; after a keystroke, the edit is enough.
    region = changed_region(previous.visible_text, visible) if previous is not None else None
    words = None  # visible.split(), when the spam prefilter needed it
    if previous is not None and previous.spam_hint is not None:
        doc.spam_hint = (
            previous.spam_hint
            if region is None
            else might_be_spam_after(previous.visible_text, previous.spam_hint, visible, *region)
        )
    else:
        words = visible.split()
        doc.spam_hint = might_be_spam_words(words)
    if previous is not None and previous.words is not None:
        doc.words = (
            previous.words
            if region is None
            else readable_words_after(previous.visible_text, previous.words, visible, *region)
        )
    if doc.words is None:
        doc.words = readable_word_count(visible, len(words) if words is not None else None)
    return doc
