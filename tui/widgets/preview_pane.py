"""The Preview tab: the open variant as the recipient reads it, live while the person types.

Email: the inbox line (sender, subject, preheader snippet), then the body rendered by
:mod:`tui.preview`, wrapped to the pane, with the numbered link targets at the end. Other
channels: their text as it is sent, with its character count against the channel's limit.
Merge tags are highlighted, or filled from a sample prospect (``n`` cycles them); ``x`` shows
the next spintax combination; ``v`` cycles rendered → plain → HTML source.

A change is shown at once (leading edge): the first edit after a quiet moment renders on the
next turn of the event loop, and edits arriving within MIN_INTERVAL of the last render start
are gathered into one more render when it has passed, so the last keystroke is always shown.
Rendering a 100 KB email from scratch takes ~30 ms, but the pane keeps a :class:`PreviewCache`:
after an edit only the changed blocks are rendered again and only their lines get new strips
(a few ms for one keystroke), which is cheap enough to do on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from threading import Lock
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import on, work
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.api.channels import TASK_NOTE_LIMIT, Channel
from tui.preview import (
    DEFAULT_THEME,
    PreviewOptions,
    Rendered,
    Segment,
    count_line,
    fill_line,
    highlight_source,
    inbox_line,
    render_email,
    render_text_channel,
    split_choice,
    to_plain,
)
from tui.preview.blocks import BlockCache
from tui.preview.wrap import wrap_runs
from tui.text.safe_text import one_line
from tui.widgets import messages as m

if TYPE_CHECKING:
    from tui.api.models import Prospect, ProspectField, Variant
    from tui.session.workspace import VariantKey, Workspace

# Seconds between the start of one render and the next while changes keep coming. After one
# keystroke a render costs a few ms: during a burst (auto-repeat, a paste in pieces) it takes a
# small share of the loop, and keys a typist presses (~150 ms apart) wait for none.
MIN_INTERVAL = 0.05
DEBOUNCE = MIN_INTERVAL  # the longest a change waits before the preview starts rendering it
# Text size (characters) above which a render runs in a thread worker: from scratch a 100 KB
# email takes ~30 ms, after an edit a few; far larger ones would hold the event loop too long.
THREAD_ABOVE = 150_000
MODES = ("rendered", "plain", "source")
LABEL_WIDTH = 11
Lines = list[list[Segment]]


@dataclass
class PreviewView:
    """One rendered preview: styled lines for the pane, plain text for tests and copying."""

    plain: str
    mode: str = "rendered"
    combinations: int = 1
    choice: int = 0
    missing: list[str] = field(default_factory=list)
    char_count: int | None = None
    limit: int | None = None
    styles: set[str] = field(default_factory=set)  # the semantic styles used (filled, fallback…)
    lines: Lines = field(default_factory=list)
    source: str | None = None  # the HTML shown highlighted after the lines (source view)


class PreviewCache:
    """What a pane keeps from one render for the next: the email's rendered blocks, and for
    each line its text, style tags and strip. Lines are matched by identity: a replayed block
    hands back the very line objects it produced last time, and nothing changes a line once
    it is made. Not thread-safe: one render at a time."""

    def __init__(self) -> None:
        self.blocks = BlockCache()
        self._facts: dict[int, tuple[list[Segment], str, frozenset[str]]] = {}
        self._strips: dict[int, tuple[list[Segment], Strip]] = {}
        self._theme: dict[str, str] | None = None
        self._references: tuple[list[str], Lines] = ([], [])

    def references(self, links: list[str]) -> Lines:
        """The numbered link targets under the body, the same line objects while they stay."""
        if links != self._references[0]:
            self._references = (list(links), _reference_lines(links))
        return self._references[1]

    def plain_and_styles(self, lines: Lines) -> tuple[str, set[str]]:
        """``to_plain`` of the lines and the style tags they use."""
        old, new = self._facts, {}
        texts: list[str] = []
        tag_sets: set[frozenset[str]] = set()
        for line in lines:
            facts = old.get(id(line))
            if facts is None or facts[0] is not line:
                tags = frozenset(tag for segment in line for tag in segment.style.split())
                facts = (line, "".join([segment.text for segment in line]).rstrip(), tags)
            new[id(line)] = facts
            texts.append(facts[1])
            tag_sets.add(facts[2])
        self._facts = new
        return "\n".join(texts) + ("\n" if texts else ""), set().union(*tag_sets)

    def strips(self, lines: Lines, theme: dict[str, str], make: Callable[[list[Segment]], Strip]) -> list[Strip]:
        """``make(line)`` for each line, reusing the strips of lines drawn last time."""
        old: dict[int, tuple[list[Segment], Strip]] = self._strips if theme == self._theme else {}
        self._theme = dict(theme)
        new = {}
        out = []
        for line in lines:
            known = old.get(id(line))
            if known is None or known[0] is not line:
                known = (line, make(line))
            new[id(line)] = known
            out.append(known[1])
        self._strips = new
        return out


def _text_size(variant: Variant) -> int:
    return len(variant.taskNote or "") + sum(len(value) for value in variant.payload.values() if isinstance(value, str))


def _text_of(payload: dict, key: str) -> str:
    value = payload.get(key)
    return value if isinstance(value, str) else ""


def _header(label: str, segments: list[Segment], width: int) -> Lines:
    """``Label      value``, the value wrapped under itself (a hanging indent)."""
    runs = [(segment.text, segment.style) for segment in segments if segment.text] or [("", "")]
    return wrap_runs(runs, width, [Segment(f"{label:<{LABEL_WIDTH}}", "muted")], [Segment(" " * LABEL_WIDTH)])


def _missing_in(texts: list[str], options: PreviewOptions, seen: list[str]) -> list[str]:
    """Merge tags without a value in one-line texts (subject, preheader), added to ``seen``."""
    for text in texts:
        if text and "{{" in text:
            for label in render_text_channel(text, Channel.LINKEDIN_MESSAGE, options).missing:
                if label not in seen:
                    seen.append(label)
    return seen


def sender_of(workspace: Workspace, sequence_id: str) -> str:
    """The sequence owner's name (or email) for the inbox line; "You" when unknown."""
    sequence = workspace.sequence(sequence_id)
    user = sequence.user if sequence is not None else None
    if user is None:
        return "You"
    name = " ".join(part for part in (user.firstName, user.lastName) if part)
    return one_line(name or user.email or "You", 60)


def compose_preview(
    variant: Variant,
    *,
    width: int,
    mode: str = "rendered",
    prospect: Prospect | None = None,
    fields: list[ProspectField] | None = None,
    spin: int = 0,
    sender: str = "You",
    cache: PreviewCache | None = None,
) -> PreviewView:
    """Everything the pane shows for ``variant`` (pure: safe to run in a thread).

    With a ``cache`` kept from the previous render, what did not change is reused; the view
    is the same as without one."""
    width = max(24, int(width))
    options = PreviewOptions(
        width=width,
        prospect=dict(prospect.fields) if prospect is not None else None,
        fields=fields,
        mode="plain" if mode == "plain" else "rendered",
    )
    lines: Lines = []
    if prospect is not None:
        lines += _header("Prospect", [Segment(one_line(prospect.name or prospect.id, 60), "bold")], options.width)
    if variant.type is Channel.EMAIL:
        view = _email(variant, options, mode, spin, sender, lines, cache)
    else:
        view = _channel_text(variant, options, spin, lines)
    view.mode = mode
    if mode == "plain":
        view.lines = [[Segment(segment.text) for segment in line] for line in view.lines]
    if cache is not None:
        view.plain, view.styles = cache.plain_and_styles(view.lines)
    else:
        view.plain = to_plain(Rendered(lines=view.lines))
        view.styles = {tag for line in view.lines for segment in line for tag in segment.tags}
    if view.source is not None:
        view.plain += view.source
    return view


def view_strips(
    view: PreviewView, width: int, theme: dict[str, str] | None = None, cache: PreviewCache | None = None
) -> list[Strip]:
    """The view as one Strip per line, styled by ``theme`` (pure: safe to run in a thread).

    The renderer has wrapped the lines already; the HTML source is highlighted and wrapped
    here. Building strips off the event loop leaves the pane only the visible lines to draw.
    """
    from rich.console import Console
    from rich.segment import Segment as RichSegment
    from rich.style import Style

    theme = DEFAULT_THEME if theme is None else theme
    styles: dict[str, Style] = {}

    def style_of(tags: str) -> Style:
        style = styles.get(tags)
        if style is None:
            parts = [theme[tag] for tag in tags.split() if tag in theme]
            style = styles[tags] = Style.parse(" ".join(parts)) if parts else Style.null()
        return style

    def make(line: list[Segment]) -> Strip:
        return Strip([RichSegment(segment.text, style_of(segment.style)) for segment in line if segment.text])

    strips = cache.strips(view.lines, theme, make) if cache is not None else [make(line) for line in view.lines]
    if view.source is not None:
        console = Console(
            width=width,
            color_system="truecolor",
            force_terminal=True,
            legacy_windows=False,
            markup=False,
            emoji=False,
            highlight=False,
        )
        source = highlight_source(view.source)
        source.overflow = "fold"
        strips.extend(
            Strip(line) for line in console.render_lines(source, console.options.update_width(width), pad=False)
        )
    return strips


def _snippet_text(lines: Lines, enough: int) -> str:
    """The body's words joined by single spaces, as the inbox snippet reads them; only the
    first ``enough`` characters or more (the row cuts the rest off)."""
    texts: list[str] = []
    size, check_at = 0, enough
    for line in lines:
        text = "".join([segment.text for segment in line])
        texts.append(text)
        size += len(text)
        if size > check_at:
            # Line ends count as spaces, so the first lines' words are the first words of all.
            words = " ".join(" ".join(texts).split())
            if len(words) > enough:
                return words
            check_at = size * 2
    return " ".join(" ".join(texts).split())


def _email(
    variant: Variant,
    options: PreviewOptions,
    mode: str,
    spin: int,
    sender: str,
    lines: Lines,
    cache: PreviewCache | None = None,
) -> PreviewView:
    payload = variant.payload
    subject, preheader, html = (
        _text_of(payload, "subject"),
        _text_of(payload, "preheader"),
        _text_of(payload, "content"),
    )
    picks, total = split_choice(spin, [subject, preheader, html])
    body = render_email(html, replace(options, spin_choice=picks[2]), cache.blocks if cache is not None else None)
    subject_line = fill_line(subject, replace(options, spin_choice=picks[0]))
    preheader_line = fill_line(preheader, replace(options, spin_choice=picks[1]))
    body_text = _snippet_text(body.lines, options.width + 1)  # inbox_line shows fewer
    inbox = inbox_line(
        sender,
        "".join(s.text for s in subject_line),
        "".join(s.text for s in preheader_line),
        body_text,
        options.width - LABEL_WIDTH,
    )
    lines += _header("Inbox", inbox, options.width)
    lines += _header(
        "Subject", subject_line or [Segment("(empty: sent as a reply in the same thread)", "muted")], options.width
    )
    if preheader:
        lines += _header("Preheader", preheader_line, options.width)
    if variant.status == 0:
        lines += _header("Status", [Segment("paused", "fallback")], options.width)
    choice = spin % total
    if total > 1:
        lines += _header("Spintax", [Segment(f"combination {choice + 1} of {total} (x: next)", "muted")], options.width)
    missing = _missing_in([subject, preheader], options, [])
    missing += [label for label in body.missing if label not in missing]
    if missing and options.prospect is not None:
        lines += _header(
            "No value",
            [Segment(one_line(", ".join(missing), 300), "missing"), Segment(" (fallback or tag shown)", "muted")],
            options.width,
        )
    lines.append([Segment("─" * min(options.width, 72), "muted")])
    view = PreviewView(plain="", combinations=total, choice=choice, missing=missing, lines=lines)
    if mode == "source":
        view.source = html
        return view
    lines += body.lines
    if body.links:
        lines.append([])
        lines += cache.references(body.links) if cache is not None else _reference_lines(body.links)
    return view


def _reference_lines(links: list[str]) -> Lines:
    return [[Segment(f"[{number}] ", "muted"), Segment(url, "link")] for number, url in enumerate(links, 1)]


def _channel_text(variant: Variant, options: PreviewOptions, spin: int, lines: Lines) -> PreviewView:
    channel = variant.type
    payload = variant.payload
    lines += _header("Channel", [Segment(channel.label, "bold")], options.width)
    if variant.status == 0:
        lines += _header("Status", [Segment("paused", "fallback")], options.width)
    subject = _text_of(payload, "subject")
    text = _text_of(payload, "connectionNote") or _text_of(payload, "message")
    picks, total = split_choice(spin, [subject, text])
    view = PreviewView(plain="", combinations=total, choice=spin % total, lines=lines)
    if subject:
        lines += _header("Subject", fill_line(subject, replace(options, spin_choice=picks[0])), options.width)
    if total > 1:
        lines += _header(
            "Spintax", [Segment(f"combination {view.choice + 1} of {total} (x: next)", "muted")], options.width
        )
    if text or channel.info.payload_keys:
        rendered = render_text_channel(text, channel, replace(options, spin_choice=picks[1]))
        view.missing = _missing_in([subject], options, list(rendered.missing))
        view.char_count, view.limit = rendered.char_count, rendered.limit
        if view.missing and options.prospect is not None:
            lines += _header("No value", [Segment(one_line(", ".join(view.missing), 300), "missing")], options.width)
        lines.append([Segment("─" * min(options.width, 72), "muted")])
        lines += rendered.lines or [[Segment("(empty)", "muted")]]
        lines.append([])
        lines.append(count_line(rendered))
    if variant.taskNote or channel.info.task_note:
        note = render_text_channel(variant.taskNote or "", Channel.CUSTOM, replace(options, spin_choice=0))
        lines.append([])
        lines += _header(
            "Task note", [Segment(f"for the assignee, up to {TASK_NOTE_LIMIT} characters", "muted")], options.width
        )
        lines += note.lines if variant.taskNote else [[Segment("(empty)", "muted")]]
        lines.append(count_line(note))
    return view


def preview_theme(variables: dict[str, str]) -> dict[str, str]:
    """The renderer's style tags in the app theme's colours. Tags, fallbacks and missing
    values keep a mark that is not colour alone (bold, underline, reverse) for NO_COLOR."""
    from rich.style import Style

    def colour(name: str) -> str:
        value = variables.get(name, "")
        try:
            Style.parse(value)
        except Exception:  # a Textual-only colour name: keep the default look
            return ""
        return value

    theme = dict(DEFAULT_THEME)
    tag, fallback, missing, spin = colour("merge-tag"), colour("fallback"), colour("missing"), colour("spintax")
    theme["tag"] = f"bold {tag}".strip()
    theme["fallback"] = f"italic underline {fallback}".strip()
    theme["missing"] = f"bold reverse {missing}".strip()
    theme["spin"] = f"underline {spin}".strip()
    return theme


# The real API has no endpoint for sample prospects: they come from the config file.
NO_PROSPECTS = (
    "Merge tags stay highlighted. To fill them, add sample prospects to the config file "
    "(seqedit config edit), one table each, field label = value:\n"
    '[[sample_prospects]]\n"First Name" = "Ada"\n"Company" = "Acme"\n'
    "then start seqedit again."
)


class PreviewPane(ScrollView, can_focus=True):
    """The preview of one variant (``show(key)``), redrawn a moment after each edit.

    A line-API widget: the first line is a status line that stays put; below it, only the
    visible lines of the preview are drawn, so a 100 KB email costs the event loop no more
    than a short one.
    """

    DEFAULT_CSS = """
    PreviewPane { height: 1fr; padding: 0 1; }
    PreviewPane:focus { background-tint: $foreground 3%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "cycle_view", "View", tooltip="Rendered → plain text → HTML source", id="preview-cycle-view"),
        Binding(
            "n",
            "next_prospect",
            "Prospect",
            tooltip="Fill merge tags from the next sample prospect",
            id="preview-next-prospect",
        ),
        Binding(
            "N,0", "no_prospect", "No prospect", tooltip="Back to highlighted merge tags", id="preview-no-prospect"
        ),
        Binding("x", "next_spin", "Spintax", tooltip="Show the next spintax combination", id="preview-next-spin"),
    ]

    class _Ready(Message):
        def __init__(self, generation: int, key: VariantKey, view: PreviewView, strips: list[Strip]) -> None:
            super().__init__()
            self.generation = generation
            self.key = key
            self.view = view
            self.strips = strips

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key: VariantKey | None = None
        self.mode = "rendered"
        self.prospect_index: int | None = None
        self.spin = 0
        self.view: PreviewView | None = None
        self._strips: list[Strip] = []
        self._status = "Open a variant to preview it."
        self._shown: tuple[Any, str] | None = None  # (key, mode) on screen: scroll home when it changes
        self._generation = 0
        self._width = 0
        self._timer: Timer | None = None  # a render held back until MIN_INTERVAL has passed
        self._scheduled = False  # a render is queued for the next turn of the loop
        self._last_start = float("-inf")  # when the last render began (monotonic seconds)
        self._in_thread = False  # a thread worker is rendering the current generation
        self._changed_meanwhile = False  # and the variant changed after it started
        self._cache = PreviewCache()
        self._cache_lock = Lock()  # a thread render still running when the loop renders
        self._unsubscribe: Callable[[], None] | None = None
        self._theme: tuple[str, dict[str, str]] | None = None

    @property
    def checks(self):
        return self.app.checks

    def on_mount(self) -> None:
        self._unsubscribe = self.checks.workspace.subscribe(self._workspace_changed)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- drawing ----------------------------------------------------------------------------------

    def _set_lines(self, strips: list[Strip], status: str) -> None:
        self._strips = strips
        self._status = status
        width = max((strip.cell_length for strip in strips), default=0)
        self.virtual_size = Size(width, len(strips) + 1)  # + the status line
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the pane: the status line first, then the scrolled preview."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return Strip([RichSegment(self._status, base + Style(dim=True))]).crop_extend(0, width, base)
        scroll_x, scroll_y = self.scroll_offset
        index = y - 1 + scroll_y
        if not 0 <= index < len(self._strips):
            return Strip.blank(width, base)
        return self._strips[index].crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    # -- what to show ----------------------------------------------------------------------------

    def show(self, key: VariantKey | None) -> None:
        """Preview ``key`` (None: nothing open) now; the spintax choice starts again."""
        if key != self.key:
            self.spin = 0
        self.key = key
        self.render_now()

    def _workspace_changed(self, key: VariantKey) -> None:
        if key != self.key or self._scheduled or self._timer is not None:
            return  # the render already pending reads the variant as it will be then
        if self._in_thread:
            self._changed_meanwhile = True  # one more render once the worker is done
            return
        wait = self._last_start + MIN_INTERVAL - monotonic()
        if wait > 0:
            self._timer = self.set_timer(wait, self._pending_render, name="preview-interval")
        else:
            # Not at once: changes made in the same turn (a replace is a delete and an insert)
            # are one. And a turn later than call_later from here would be: the findings panel,
            # told of the same change after this pane, validates first (its goal is tighter,
            # and a render after one keystroke takes a few ms).
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.call_later, self._pending_render)

    def _pending_render(self) -> None:
        if self._scheduled or self._timer is not None:
            self.render_now()

    def on_resize(self, event: Resize) -> None:
        if self.key is not None and self._content_width() != self._width:
            self.render_now()

    def _content_width(self) -> int:
        # Leave the vertical scrollbar's columns free, whether or not it shows yet.
        width = self.scrollable_content_region.width - (
            0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical
        )
        return width if width >= 24 else max(24, min(100, self.app.size.width - 4))

    @property
    def prospect(self) -> Prospect | None:
        prospects = self.checks.prospects or []
        if self.prospect_index is None or not prospects:
            return None
        return prospects[self.prospect_index % len(prospects)]

    def _preview_theme(self) -> dict[str, str]:
        name = self.app.theme
        if self._theme is None or self._theme[0] != name:
            self._theme = (name, preview_theme(self.app.get_css_variables()))
        return self._theme[1]

    def render_now(self) -> None:
        """Render the variant as it is now (in a thread worker when it is very large); posts
        :class:`tui.widgets.messages.PreviewUpdated` when shown."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._scheduled = False
        self._last_start = monotonic()
        self._in_thread = self._changed_meanwhile = False
        self._generation += 1
        key = self.key
        if key is None or not self.checks.workspace.has(key):
            self.view = None
            self._set_lines([], "Open a variant to preview it.")
            return
        workspace = self.checks.workspace
        self._width = self._content_width()
        options = dict(
            width=self._width,
            mode=self.mode,
            prospect=self.prospect,
            fields=self.checks.fields,
            spin=self.spin,
            sender=sender_of(workspace, key.sequence_id),
        )
        variant = workspace.edited(key)
        theme = self._preview_theme()
        if _text_size(variant) <= THREAD_ABOVE:
            view, strips = self._build(variant, options, theme)
            self._show_view(key, view, strips)
        else:
            self._in_thread = True
            self._build_in_thread(self._generation, key, variant, options, theme)

    def _build(
        self, variant: Variant, options: dict[str, Any], theme: dict[str, str]
    ) -> tuple[PreviewView, list[Strip]]:
        # The cache serves one render at a time: one still running in a thread (superseded,
        # but threads cannot be stopped) leaves this one to start from scratch.
        if not self._cache_lock.acquire(blocking=False):
            view = compose_preview(variant, **options)
            return view, view_strips(view, options["width"], theme)
        try:
            view = compose_preview(variant, **options, cache=self._cache)
            return view, view_strips(view, options["width"], theme, self._cache)
        finally:
            self._cache_lock.release()

    @work(thread=True, exclusive=True, group="preview-render")
    def _build_in_thread(
        self, generation: int, key: VariantKey, variant: Variant, options: dict[str, Any], theme: dict[str, str]
    ) -> None:
        view, strips = self._build(variant, options, theme)
        self.post_message(self._Ready(generation, key, view, strips))

    @on(_Ready)
    def _ready(self, message: _Ready) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer render is on its way
        self._in_thread = False
        self._show_view(message.key, message.view, message.strips)
        if self._changed_meanwhile:
            self._changed_meanwhile = False
            self._workspace_changed(message.key)

    def _show_view(self, key: VariantKey, view: PreviewView, strips: list[Strip]) -> None:
        self.view = view
        self._set_lines(strips, self._status_text(view))
        shown = (key, view.mode)
        if shown != self._shown:
            self._shown = shown
            self.scroll_home(animate=False)
        self.post_message(m.PreviewUpdated(key))

    def _status_text(self, view: PreviewView) -> str:
        parts = [f"view: {view.mode} (v)"]
        prospects = self.checks.prospects
        if self.prospect is not None and prospects:
            index = (self.prospect_index or 0) % len(prospects)
            parts.append(f"prospect {index + 1} of {len(prospects)} (n, N: none)")
        elif prospects is not None and not prospects:
            parts.append("no sample prospects (n: how to add)")
        else:
            parts.append("merge tags highlighted (n: fill)")
        if view.combinations > 1:
            parts.append("x: next spintax")
        return " · ".join(parts)

    # -- keys -------------------------------------------------------------------------------------

    def action_cycle_view(self) -> None:
        """rendered → plain → source → rendered."""
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self.render_now()

    def action_next_prospect(self) -> None:
        """Fill merge tags from the next sample prospect."""
        prospects = self.checks.prospects
        if prospects is None:
            self.notify("Sample prospects are still loading.", markup=False)
            return
        if not prospects:
            self.notify(NO_PROSPECTS, title="No sample prospects", timeout=20, markup=False)
            return
        self.prospect_index = 0 if self.prospect_index is None else (self.prospect_index + 1) % len(prospects)
        self.render_now()

    def action_no_prospect(self) -> None:
        """Back to highlighted merge tags."""
        self.prospect_index = None
        self.render_now()

    def action_next_spin(self) -> None:
        """The next spintax combination (wraps around)."""
        if self.view is not None and self.view.combinations <= 1:
            self.notify("No spintax in this variant.", markup=False)
            return
        self.spin += 1
        if self.view is not None:
            self.spin %= self.view.combinations
        self.render_now()
