"""One parse of an Email body, shared by every content rule.

Structure (links, images, active content, visible text) comes from lexbor, a browser-grade
parser. A browser parser repairs unclosed and mismatched tags silently, so those are found by a
light scan of the start and end tags in the source; the same scan gives each element's span in
the source, so the editor can select it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

# One token of markup: a start tag (attribute values may hold ">" inside quotes), an end tag,
# a comment, a doctype or a processing instruction. Most tokens are tags, so they come first.
_TOKEN_RE = re.compile(
    r"""
    <([A-Za-z][^\s/>]*)([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>
  | </([A-Za-z][^\s/>]*)[^>]*>
  | <!--.*?(?:-->|\Z)
  | <![^>]*>?
  | <\?[^>]*>?
    """,
    re.VERBOSE | re.DOTALL,
)
# Elements whose content is raw text, not markup.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont", "frame", "command"}
)
# Elements whose end tag HTML allows to be left out: leaving them open is not a mistake.
_OPTIONAL_END = frozenset(
    {"html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp"}
)
_NEVER_SHOWN = frozenset({"script", "style", "template", "noscript", "head", "title"})
# A cheap literal-prefix pass over the lower-cased source first; the exact one only if it hits.
_HANDLER_QUICK_RE = re.compile(r"on[a-z]+\s*=")
_HANDLER_HINT_RE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0(?![.\d])|font-size\s*:\s*0(?![.\d])", re.IGNORECASE)
MAX_BALANCE_PROBLEMS = 20
MAX_LINK_TEXTS = 20
# Candidates only (the native selector is fast); the style regex then decides.
_HIDDEN_SELECTOR = ", ".join(
    ["script", "style", "template", "noscript", "head", "title", "[hidden]"]
    + [f"[style*='{prop}:{gap}{value}' i]" for prop, value in (("display", "none"), ("visibility", "hidden"), ("max-height", "0"), ("font-size", "0")) for gap in ("", " ")]
)


@dataclass(frozen=True)
class Anchor:
    """An ``<a>``: its href (None when absent), its visible text and its span in the source."""

    href: str | None
    text: str
    span: tuple[int, int] | None


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
    # The scan's tokens (match objects) and raw-text spans, in source order: most bodies never
    # need their spans, so they are read only when asked for.
    markup_tokens: list[re.Match[str] | tuple[int, int]] = field(default_factory=list, repr=False)
    _mask: str | None = None

    @property
    def markup_spans(self) -> list[tuple[int, int]]:
        """The spans of all markup in the source, in order."""
        return [token if isinstance(token, tuple) else token.span() for token in self.markup_tokens]

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


_RAW_END_CACHE: dict[str, re.Pattern[str]] = {}


def _raw_text_end(name: str) -> re.Pattern[str]:
    pattern = _RAW_END_CACHE.get(name)
    if pattern is None:
        pattern = _RAW_END_CACHE[name] = re.compile(r"</" + re.escape(name) + r"(?:[\s/][^>]*)?(?:>|\Z)", re.IGNORECASE)
    return pattern


def _scan(source: str) -> tuple[dict[str, list[re.Match[str]]], list[BalanceProblem], list[re.Match[str] | tuple[int, int]]]:
    """Start tags by name (in order), tag-balance problems, and all markup (tokens and raw-text
    spans, in order).

    The raw text of a script or style sheet is not markup: the scan resumes after its end tag.
    This loop runs once per tag (thousands in a long body): it keeps the match objects and asks
    for a span only where one is used, and lower-cases each distinct tag name once.
    """
    starts: dict[str, list[re.Match[str]]] = {}
    problems: list[BalanceProblem] = []
    stack: list[tuple[str, re.Match[str]]] = []
    markup: list[re.Match[str] | tuple[int, int]] = []
    # Elements closed implicitly by a mismatched end tag: their own end tag, when it comes
    # later, is a consequence of the mistake already reported, not a second one.
    orphans: dict[str, int] = {}
    skip_tags = _VOID | _RAW_TEXT
    lowered: dict[str, str] = {}
    add_markup = markup.append
    push = stack.append
    position = 0
    while position is not None:
        resume = None
        for match in _TOKEN_RE.finditer(source, position):
            add_markup(match)
            kind = match.lastindex  # 2: a start tag, 3: an end tag, None: anything else
            if kind == 2:
                start_name = match[1]
                name = lowered.get(start_name)
                if name is None:
                    name = lowered[start_name] = start_name.lower()
                tags = starts.get(name)
                if tags is None:
                    starts[name] = [match]
                else:
                    tags.append(match)
                if name in skip_tags:
                    if name in _RAW_TEXT:
                        opened_end = match.end()
                        close = _raw_text_end(name).search(source, opened_end)
                        resume = close.end() if close else len(source)
                        add_markup((opened_end, resume))
                        break
                else:
                    attrs = match[2]
                    if not (attrs and attrs.rstrip().endswith("/")):
                        push((name, match))
            elif kind == 3:
                end_name = match[3]
                name = lowered.get(end_name)
                if name is None:
                    name = lowered[end_name] = end_name.lower()
                if stack and stack[-1][0] == name:
                    stack.pop()
                else:
                    _close(name, match.span(), stack, problems, orphans)
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
        problems.append(BalanceProblem(f"</{name}> is mismatched: <{inner[-1][0]}> opened inside it is still open", span))
    for item in inner:
        orphans[item[0]] = orphans.get(item[0], 0) + 1
    del stack[depth:]


def _span_of(starts: dict[str, list[re.Match[str]]], name: str, index: int, count: int) -> tuple[int, int] | None:
    # The parser may clone or invent elements (misnested formatting tags): only trust the n-th
    # start tag as the n-th element when the counts agree.
    tags = starts.get(name, [])
    return tags[index].span() if len(tags) == count and index < count else None


def _trusted(starts: dict[str, list[re.Match[str]]], name: str, count: int) -> list[re.Match[str]] | None:
    # As _span_of, once for all ``count`` elements of a name (a long body has hundreds of links).
    tags = starts.get(name)
    return tags if tags is not None and len(tags) == count else None


def parse_html(source: str) -> HtmlDoc:
    """Parse ``source`` once and extract what the content rules look at."""
    starts, balance, markup = _scan(source)
    doc = HtmlDoc(source=source, balance=balance, markup_tokens=markup)
    tree = LexborHTMLParser(source)

    anchors = tree.css("a")
    opened = _trusted(starts, "a", len(anchors))
    for index, node in enumerate(anchors):
        attributes = node.attributes
        href = attributes.get("href") if "href" in attributes else None
        if "href" in attributes and href is None:
            href = ""
        # Link text is only read by the link-text rule, which looks at the first few links.
        text = " ".join(node.text(deep=True).split()) if index < MAX_LINK_TEXTS else ""
        doc.anchors.append(Anchor(href, text, opened[index].span() if opened else None))

    images = tree.css("img")
    opened = _trusted(starts, "img", len(images))
    for index, node in enumerate(images):
        doc.images.append(Image("alt" in node.attributes, opened[index].span() if opened else None))

    for name in ("script", "iframe", "form"):
        nodes = tree.css(name)
        for index, _node in enumerate(nodes):
            doc.active.append(Flagged(name, "", _span_of(starts, name, index, len(nodes))))

    if _HANDLER_QUICK_RE.search(source.lower()) and _HANDLER_HINT_RE.search(source):
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
                doc.handlers.append(Flagged(tag, handlers[0], _span_of(starts, tag, index, count)))

    # Last, because it changes the tree: drop what a reader never sees, then read the text.
    # Only the outermost hidden nodes are removed, so no node is freed twice.
    hidden = {}
    for node in tree.css(_HIDDEN_SELECTOR):
        attributes = node.attributes
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
    doc.visible_text = body.text(deep=True, separator=" ") if body is not None else ""
    return doc
