"""The Preview tab: the open variant as the recipient reads it, live while the person types.

What it shows is composed by :mod:`tui.preview.compose` (pure, shared with the headless
command). Email: the inbox line (sender, subject, preheader snippet), then the body rendered by
:mod:`tui.preview`, wrapped to the pane, with the numbered link targets at the end. Other
channels: their text as it is sent, with its character count against the channel's limit.
Merge tags are highlighted, or filled from a sample prospect (``n`` cycles them); ``x`` shows
the next spintax combination; ``v`` cycles rendered → plain → HTML source.

When a change is rendered is decided by :class:`tui.session.live_refresh.LiveRefresh`, as for
the findings panel: at once after a quiet moment, at most once per MIN_INTERVAL while changes
keep coming, the last keystroke always shown, a very large variant in a thread. Rendering a 100 KB email from scratch takes ~30 ms, but the pane keeps a :class:`PreviewCache`:
after an edit only the changed blocks are rendered again and only their lines get new strips
(a few ms for one keystroke), which is cheap enough to do on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from threading import Lock
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

from tui.preview import DEFAULT_THEME, Segment, highlight_source
from tui.preview.compose import (  # noqa: F401  (compose_preview, PreviewCache: imported from here by tests)
    LABEL_WIDTH,
    PreviewCache,
    PreviewView,
    compose_preview,
    preview_theme,
)
from tui.session.live_refresh import LiveRefresh, text_size
from tui.text.safe_text import one_line
from tui.widgets import messages as m

if TYPE_CHECKING:
    from tui.api.models import Prospect, Variant
    from tui.session.workspace import VariantKey, Workspace

MODES = ("rendered", "plain", "source")


def sender_of(workspace: Workspace, sequence_id: str) -> str:
    """The sequence owner's name (or email) for the inbox line; "You" when unknown."""
    sequence = workspace.sequence(sequence_id)
    user = sequence.user if sequence is not None else None
    if user is None:
        return "You"
    name = " ".join(part for part in (user.firstName, user.lastName) if part)
    return one_line(name or user.email or "You", 60)


def view_strips(
    view: PreviewView, width: int, theme: dict[str, str] | None = None, cache: PreviewCache[Strip] | None = None
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
        self._width = 0
        self._live = LiveRefresh(self.render_now, later=self._later, soon=self._soon, ready=lambda: self.is_attached)
        self._cache: PreviewCache[Strip] = PreviewCache()
        self._cache_lock = Lock()  # a thread render still running when the loop renders
        self._unsubscribe: Callable[[], None] | None = None
        self._theme: tuple[str, dict[str, str]] | None = None

    @property
    def checks(self):
        return self.app.checks

    def on_mount(self) -> None:
        self._unsubscribe = self.checks.workspace.subscribe(self._workspace_changed)
        self._live.mounted()

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

    def _later(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        return self.set_timer(delay, callback, name="preview-interval").stop

    def _soon(self, callback: Callable[[], None]) -> None:
        # A turn later than call_later from here would be: the findings panel, told of the same
        # change after this pane, validates first (its goal is tighter, and a render after one
        # keystroke takes a few ms).
        asyncio.get_running_loop().call_soon(self.call_later, callback)

    def _workspace_changed(self, key: VariantKey) -> None:
        if key == self.key:
            self._live.changed()

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
        generation = self._live.begin()
        if generation is None:
            return
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
        if self._live.off_loop(text_size(variant)):
            self._build_in_thread(generation, key, variant, options, theme)
        else:
            view, strips = self._build(variant, options, theme)
            self._show_view(key, view, strips)

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
        self._live.finished(message.generation, lambda: self._show_view(message.key, message.view, message.strips))

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
