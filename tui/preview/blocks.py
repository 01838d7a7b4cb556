"""Re-rendering an email after an edit: blocks whose source and starting state did not change
are replayed from the previous render instead of walked and wrapped again.

A keystroke changes one block of a 100 KB body; walking and wrapping the rest again costs
~20 ms, replaying it well under one. A block (a paragraph, list, table, cell…) is keyed by its
DOM serialisation and by the renderer's complete state where it starts, so a replay appends
exactly what a walk would have: the same lines (the same list objects, which lets the pane
reuse their strips), the same pending runs and state at the end. Link numbers are the one
state too large to key by: a block records which targets it looked up and what number each
had, and is replayed only while those still hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .email_html import _Renderer
    from .model import PreviewOptions, Segment

# Elements cached as a whole: the block-level ones (inline elements are too small to pay back
# their serialisation).
UNIT_TAGS = frozenset(
    [
        "p",
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
        "dd",
        "details",
        "summary",
        "legend",
        "caption",
        "ul",
        "ol",
        "menu",
        "li",
        "blockquote",
        "pre",
        "listing",
        "xmp",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
    ]
)
# Each open block serialises its subtree once, so nesting deeper than this is walked plainly:
# hostile nesting stays linear, and real layouts (tables in tables) are far shallower.
MAX_DEPTH = 12


@dataclass(eq=False)
class Block:
    """What rendering one block did: its effects, the state after it and the link numbers
    it relied on."""

    key: Any
    lines: list[list[Segment]]
    runs: list[tuple[str, str]]
    after: tuple[Any, ...]
    links: list[str]  # targets first numbered inside the block, in order
    lookups: dict[str, int | None]  # target → its number where the block starts (None: new)
    missing: list[str]
    words: int
    chars: int
    children: list[Block] = field(default_factory=list)


@dataclass(eq=False)
class _Frame:
    key: Any
    lines: int
    links: int
    notes: int
    words: int
    chars: int
    lookups: dict[str, int | None] = field(default_factory=dict)
    children: list[Block] = field(default_factory=list)


def _signature(options: PreviewOptions, width: int, sheet: Any = None) -> tuple[Any, ...]:
    """Everything besides the block's HTML that its rendering depends on (the email's
    <style> rules included: an edit to them can hide or show any block)."""
    prospect = None if options.prospect is None else tuple(options.prospect.items())
    fields = tuple((item.label, item.fallbackText) for item in options.fields or ())
    rules = tuple((key, tuple(found.items())) for key, found in (sheet or {}).items())
    return (width, options.mode, prospect, fields, rules)


class BlockCache:
    """The blocks of the latest render of one email, for the next render of it.

    Not thread-safe: one render at a time per cache.
    """

    def __init__(self) -> None:
        self.signature: tuple[Any, ...] | None = None
        self.blocks: dict[Any, Block] = {}
        self.replayed = 0  # blocks replayed by the latest render (for tests and profiling)

    def start(self, options: PreviewOptions, width: int, sheet: Any = None) -> Session:
        signature = _signature(options, width, sheet)
        if signature != self.signature:
            self.signature = signature
            self.blocks = {}
        return Session(self)


class Session:
    """One render's use of a cache: looks blocks up, records new ones, keeps what was used."""

    def __init__(self, cache: BlockCache) -> None:
        self.cache = cache
        self.old = cache.blocks
        self.fresh: dict[Any, Block] = {}
        self.frames: list[_Frame] = []
        self.replayed = 0

    def finish(self) -> None:
        self.cache.blocks = self.fresh
        self.cache.replayed = self.replayed

    # -- the renderer's hooks ------------------------------------------------------------------

    def lookup(self, renderer: _Renderer, href: str) -> int | None:
        """``renderer.link_numbers.get(href)``, noted by every open block."""
        number = renderer.link_numbers.get(href)
        self._note_lookup(href, number)
        return number

    def _note_lookup(self, href: str, number: int | None) -> None:
        for frame in self.frames:
            if href not in frame.lookups:
                # A number given inside the block was not there where the block starts.
                frame.lookups[href] = number if number is not None and number <= frame.links else None

    def enter(self, renderer: _Renderer, node: Any, enter: Any) -> tuple[bool, Any]:
        """``enter(node)``, or the block replayed when its source and state match a cached one."""
        if len(self.frames) >= MAX_DEPTH or node.tag not in UNIT_TAGS or renderer.table is not None:
            # Inside a data table, rows and cells are collected for the table's layout, not
            # written as lines: only the table as a whole is a block.
            return enter(node)
        key = (node.html, renderer.state())
        block = self.old.get(key)
        if block is None:
            block = self.fresh.get(key)
        if block is not None and all(
            renderer.link_numbers.get(href) == number for href, number in block.lookups.items()
        ):
            self._replay(renderer, block)
            return False, None
        frame = _Frame(
            key, len(renderer.lines), len(renderer.links), len(renderer.filler.notes), renderer.words, renderer.chars
        )
        self.frames.append(frame)
        descend, on_exit = enter(node)

        def leave() -> None:
            if on_exit is not None:
                on_exit()
            self._close(renderer, frame)

        return descend, leave

    # -- recording and replaying ---------------------------------------------------------------

    def _close(self, renderer: _Renderer, frame: _Frame) -> None:
        popped = self.frames.pop()
        assert popped is frame  # blocks close in the order they opened
        notes = renderer.filler.notes[frame.notes :]
        block = Block(
            key=frame.key,
            lines=renderer.lines[frame.lines :],
            runs=list(renderer.runs),
            after=renderer.state_after(),
            links=renderer.links[frame.links :],
            lookups=frame.lookups,
            missing=list(dict.fromkeys(notes)),
            words=renderer.words - frame.words,
            chars=renderer.chars - frame.chars,
            children=frame.children,
        )
        self.fresh[frame.key] = block
        if self.frames:
            self.frames[-1].children.append(block)

    def _replay(self, renderer: _Renderer, block: Block) -> None:
        self.replayed += 1
        for href, number in block.lookups.items():
            self._note_lookup(href, number)
        renderer.lines.extend(block.lines)
        renderer.runs = list(block.runs)
        for href in block.links:
            renderer.links.append(href)
            renderer.link_numbers[href] = len(renderer.links)
        for label in block.missing:
            renderer.filler.note_missing(label)
        renderer.words += block.words
        renderer.chars += block.chars
        renderer.restore(block.after)
        # Keep the block and everything inside it for the next render: an edit there next
        # time replays its unchanged neighbours. Under their first keys: the equal keys made
        # for this lookup die young, which spares the garbage collector's oldest generation.
        stack = [block]
        while stack:
            item = stack.pop()
            self.fresh[item.key] = item
            stack.extend(item.children)
        if self.frames:
            self.frames[-1].children.append(block)
