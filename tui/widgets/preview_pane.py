"""The Preview tab: the open variant as the recipient reads it, live while the person types.

Email: the inbox line (sender, subject, preheader snippet), then the body rendered by
:mod:`tui.preview`, wrapped to the pane, with the numbered link targets at the end. Other
channels: their text as it is sent, with its character count against the channel's limit.
Merge tags are highlighted, or filled from a sample prospect (``n`` cycles them); ``x`` shows
the next spintax combination; ``v`` cycles rendered → plain → HTML source.

Rendering a 100 KB email takes tens of milliseconds, more than a frame, so it runs in a thread
worker (exclusive: a newer render cancels the wait for an older one, and a stale result is
dropped by its generation number).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, ClassVar

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

from tui import messages as m
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
from tui.preview.wrap import wrap_runs
from tui.safe_text import one_line

if TYPE_CHECKING:
    from tui.api.models import Prospect, ProspectField, Variant
    from tui.workspace import VariantKey, Workspace

# Seconds after the last change before the preview is rendered again: later than the findings
# panel (0.15), so its redraw on the event loop never shares the GIL with this render thread
# (benchmarks: typing, the panel's p50 doubled when both started together).
DEBOUNCE = 0.2
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


def sender_of(workspace: "Workspace", sequence_id: str) -> str:
    """The sequence owner's name (or email) for the inbox line; "You" when unknown."""
    sequence = workspace.sequence(sequence_id)
    user = sequence.user if sequence is not None else None
    if user is None:
        return "You"
    name = " ".join(part for part in (user.firstName, user.lastName) if part)
    return one_line(name or user.email or "You", 60)


def compose_preview(
    variant: "Variant",
    *,
    width: int,
    mode: str = "rendered",
    prospect: "Prospect | None" = None,
    fields: "list[ProspectField] | None" = None,
    spin: int = 0,
    sender: str = "You",
) -> PreviewView:
    """Everything the pane shows for ``variant`` (pure: safe to run in a thread)."""
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
        view = _email(variant, options, mode, spin, sender, lines)
    else:
        view = _channel_text(variant, options, spin, lines)
    view.mode = mode
    if mode == "plain":
        view.lines = [[Segment(segment.text) for segment in line] for line in view.lines]
    view.plain = to_plain(Rendered(lines=view.lines))
    view.styles = {tag for line in view.lines for segment in line for tag in segment.tags}
    if view.source is not None:
        view.plain += view.source
    return view


def view_strips(view: PreviewView, width: int, theme: dict[str, str] | None = None) -> list[Strip]:
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

    strips = [Strip([RichSegment(segment.text, style_of(segment.style)) for segment in line if segment.text]) for line in view.lines]
    if view.source is not None:
        console = Console(width=width, color_system="truecolor", force_terminal=True, legacy_windows=False, markup=False, emoji=False, highlight=False)
        source = highlight_source(view.source)
        source.overflow = "fold"
        strips.extend(Strip(line) for line in console.render_lines(source, console.options.update_width(width), pad=False))
    return strips


def _email(variant: "Variant", options: PreviewOptions, mode: str, spin: int, sender: str, lines: Lines) -> PreviewView:
    payload = variant.payload
    subject, preheader, html = _text_of(payload, "subject"), _text_of(payload, "preheader"), _text_of(payload, "content")
    picks, total = split_choice(spin, [subject, preheader, html])
    body = render_email(html, replace(options, spin_choice=picks[2]))
    subject_line = fill_line(subject, replace(options, spin_choice=picks[0]))
    preheader_line = fill_line(preheader, replace(options, spin_choice=picks[1]))
    body_text = " ".join(to_plain(body, references=False).split())
    inbox = inbox_line(
        sender,
        "".join(s.text for s in subject_line),
        "".join(s.text for s in preheader_line),
        body_text,
        options.width - LABEL_WIDTH,
    )
    lines += _header("Inbox", inbox, options.width)
    lines += _header("Subject", subject_line or [Segment("(empty: sent as a reply in the same thread)", "muted")], options.width)
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
        lines += _header("No value", [Segment(one_line(", ".join(missing), 300), "missing"), Segment(" (fallback or tag shown)", "muted")], options.width)
    lines.append([Segment("─" * min(options.width, 72), "muted")])
    view = PreviewView(plain="", combinations=total, choice=choice, missing=missing, lines=lines)
    if mode == "source":
        view.source = html
        return view
    lines += body.lines
    if body.links:
        lines.append([])
        lines += [[Segment(f"[{number}] ", "muted"), Segment(url, "link")] for number, url in enumerate(body.links, 1)]
    return view


def _channel_text(variant: "Variant", options: PreviewOptions, spin: int, lines: Lines) -> PreviewView:
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
        lines += _header("Spintax", [Segment(f"combination {view.choice + 1} of {total} (x: next)", "muted")], options.width)
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
        lines += _header("Task note", [Segment(f"for the assignee, up to {TASK_NOTE_LIMIT} characters", "muted")], options.width)
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
        Binding("n", "next_prospect", "Prospect", tooltip="Fill merge tags from the next sample prospect", id="preview-next-prospect"),
        Binding("N,0", "no_prospect", "No prospect", tooltip="Back to highlighted merge tags", id="preview-no-prospect"),
        Binding("x", "next_spin", "Spintax", tooltip="Show the next spintax combination", id="preview-next-spin"),
    ]

    class _Ready(Message):
        def __init__(self, generation: int, key: "VariantKey", view: PreviewView, strips: list[Strip]) -> None:
            super().__init__()
            self.generation = generation
            self.key = key
            self.view = view
            self.strips = strips

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key: "VariantKey | None" = None
        self.mode = "rendered"
        self.prospect_index: int | None = None
        self.spin = 0
        self.view: PreviewView | None = None
        self._strips: list[Strip] = []
        self._status = "Open a variant to preview it."
        self._shown: tuple[Any, str] | None = None  # (key, mode) on screen: scroll home when it changes
        self._generation = 0
        self._width = 0
        self._timer: Timer | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._theme: tuple[str, dict[str, str]] | None = None

    @property
    def checks(self):
        return self.app.checks  # type: ignore[attr-defined]

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

    def show(self, key: "VariantKey | None") -> None:
        """Preview ``key`` (None: nothing open) now; the spintax choice starts again."""
        if key != self.key:
            self.spin = 0
        self.key = key
        self.render_now()

    def _workspace_changed(self, key: "VariantKey") -> None:
        if key != self.key:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.render_now, name="preview-debounce")

    def on_resize(self, event: Resize) -> None:
        if self.key is not None and self._content_width() != self._width:
            self.render_now()

    def _content_width(self) -> int:
        # Leave the vertical scrollbar's columns free, whether or not it shows yet.
        width = self.scrollable_content_region.width - (0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical)
        return width if width >= 24 else max(24, min(100, self.app.size.width - 4))

    @property
    def prospect(self) -> "Prospect | None":
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
        """Render the variant as it is now, in a thread worker."""
        self._timer = None
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
        self._build_view(self._generation, key, workspace.edited(key), options, self._preview_theme())

    @work(thread=True, exclusive=True, group="preview-render")
    def _build_view(self, generation: int, key: "VariantKey", variant: "Variant", options: dict[str, Any], theme: dict[str, str]) -> None:
        view = compose_preview(variant, **options)
        strips = view_strips(view, options["width"], theme)
        self.post_message(self._Ready(generation, key, view, strips))

    @on(_Ready)
    def _ready(self, message: _Ready) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer render is on its way
        view = self.view = message.view
        self._set_lines(message.strips, self._status_text(view))
        shown = (message.key, view.mode)
        if shown != self._shown:
            self._shown = shown
            self.scroll_home(animate=False)
        self.post_message(m.PreviewUpdated(message.key))

    def _status_text(self, view: PreviewView) -> str:
        parts = [f"view: {view.mode} (v)"]
        prospects = self.checks.prospects
        if self.prospect is not None and prospects:
            index = (self.prospect_index or 0) % len(prospects)
            parts.append(f"prospect {index + 1} of {len(prospects)} (n, N: none)")
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
            self.notify("This account has no sample prospects: merge tags stay highlighted.", markup=False)
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
