"""Preview composition: everything the Preview tab shows for one variant, as styled lines.

Pure (no Textual import): the pane (:mod:`tui.widgets.preview_pane`), review mode (which
shows that pane) and the headless ``seqedit preview`` compose through here, so a fix to what
the preview shows reaches all of them. Email: the inbox line (sender, subject, preheader
snippet), the headers, then the body rendered by :func:`render_email` with the numbered link
targets at the end. Other channels: their text as sent, with its character count. An email
body alone (``seqedit preview FILE.html``) is composed by :func:`compose_body`, the same way
without the headers a variant has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, NamedTuple, Protocol, TypeVar

from tui.text.safe_text import one_line

from .email_html import render_email
from .fill import split_choice
from .inbox import inbox_line
from .model import PreviewOptions, Rendered, Segment, to_plain
from .terminal import DEFAULT_THEME
from .text_channel import count_line, fill_line, render_text_channel
from .wrap import wrap_runs

if TYPE_CHECKING:
    from tui.api.models import ProspectField, Variant

LABEL_WIDTH = 11
MIN_WIDTH = 20  # the narrowest preview composed: below it the labels leave no room
# How the next spintax combination is asked for, said on the Spintax line: the pane's key.
PANE_SPIN_HINT = "x: next"
Lines = list[list[Segment]]
S = TypeVar("S")  # what a line is drawn as (the pane's Textual Strip); opaque here


class PreviewView:
    """One rendered preview: styled lines for the pane, plain text for tests and copying;
    ``styles`` are the semantic styles used (filled, fallback…), ``source`` the HTML shown
    highlighted after the lines (source view). A plain class, not a dataclass: see model.py."""

    __slots__ = (
        "char_count",
        "choice",
        "combinations",
        "limit",
        "lines",
        "missing",
        "mode",
        "plain",
        "source",
        "styles",
    )

    def __init__(
        self,
        plain: str,
        mode: str = "rendered",
        combinations: int = 1,
        choice: int = 0,
        missing: list[str] | None = None,
        char_count: int | None = None,
        limit: int | None = None,
        styles: set[str] | None = None,
        lines: Lines | None = None,
        source: str | None = None,
    ) -> None:
        self.plain = plain
        self.mode = mode
        self.combinations = combinations
        self.choice = choice
        self.missing: list[str] = [] if missing is None else missing
        self.char_count = char_count
        self.limit = limit
        self.styles: set[str] = set() if styles is None else styles
        self.lines: Lines = [] if lines is None else lines
        self.source = source

    def __eq__(self, other: object) -> bool:
        return type(other) is PreviewView and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return "PreviewView(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"


class SampleProspect(Protocol):
    """A sample prospect (:class:`tui.api.models.Prospect`, or the headless command's file):
    its values fill the merge tags; its name, if any, heads the preview."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def fields(self) -> Mapping[str, str]: ...


class PreviewCache(Generic[S]):
    """What a pane keeps from one render for the next: the email's rendered blocks, and for
    each line its text, style tags and strip. Lines are matched by identity: a replayed block
    hands back the very line objects it produced last time, and nothing changes a line once
    it is made. Not thread-safe: one render at a time."""

    def __init__(self) -> None:
        from .blocks import BlockCache  # here: a render without a cache (an HTML file) needs none (start-up)

        self.blocks = BlockCache()
        self._facts: dict[int, tuple[list[Segment], str, frozenset[str]]] = {}
        self._strips: dict[int, tuple[list[Segment], S]] = {}
        self._theme: dict[str, str] | None = None
        self._references: tuple[list[str], Lines] = ([], [])

    def references(self, links: list[str]) -> Lines:
        """The numbered link targets under the body, the same line objects while they stay."""
        if links != self._references[0]:
            self._references = (list(links), reference_lines(links))
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

    def strips(self, lines: Lines, theme: dict[str, str], make: Callable[[list[Segment]], S]) -> list[S]:
        """``make(line)`` for each line, reusing the strips of lines drawn last time."""
        old: dict[int, tuple[list[Segment], S]] = self._strips if theme == self._theme else {}
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


def _text_of(payload: dict, key: str) -> str:
    value = payload.get(key)
    return value if isinstance(value, str) else ""


def header(label: str, segments: list[Segment], width: int) -> Lines:
    """``Label      value``, the value wrapped under itself (a hanging indent)."""
    runs = [(segment.text, segment.style) for segment in segments if segment.text] or [("", "")]
    return wrap_runs(runs, width, [Segment(f"{label:<{LABEL_WIDTH}}", "muted")], [Segment(" " * LABEL_WIDTH)])


def missing_in(texts: list[str], options: PreviewOptions, seen: list[str]) -> list[str]:
    """Merge tags without a value in one-line texts (subject, preheader), added to ``seen``."""
    for text in texts:
        if text and "{{" in text:
            # In the functions: an HTML file's preview needs no channel table (start-up).
            from tui.api.channels import Channel

            for label in render_text_channel(text, Channel.LINKEDIN_MESSAGE, options).missing:
                if label not in seen:
                    seen.append(label)
    return seen


def compose_preview(
    variant: Variant,
    *,
    width: int,
    mode: str = "rendered",
    prospect: SampleProspect | None = None,
    fields: list[ProspectField] | None = None,
    spin: int = 0,
    sender: str = "You",
    cache: PreviewCache | None = None,
    spin_hint: str = PANE_SPIN_HINT,
) -> PreviewView:
    """Everything the pane shows for ``variant`` (pure: safe to run in a thread).

    With a ``cache`` kept from the previous render, what did not change is reused; the view
    is the same as without one. ``spin_hint`` says how to ask for the next combination."""
    from tui.api.channels import Channel

    options, lines = _start(width, mode, prospect, fields)
    if variant.type is Channel.EMAIL:
        payload = variant.payload
        email = _Email(_text_of(payload, "subject"), _text_of(payload, "preheader"), _text_of(payload, "content"))
        view = _email(email, options, mode, spin, sender, lines, cache, spin_hint, status=variant.status)
    else:
        view = _channel_text(variant, options, spin, lines, spin_hint)
    return _finish(view, mode, cache)


def compose_body(
    html: str,
    *,
    width: int,
    mode: str = "rendered",
    prospect: SampleProspect | None = None,
    fields: list[ProspectField] | None = None,
    spin: int = 0,
    spin_hint: str = PANE_SPIN_HINT,
) -> PreviewView:
    """An email body alone (an HTML file): as :func:`compose_preview` shows a variant's, without
    the inbox line and headers it has no subject or sender for."""
    options, lines = _start(width, mode, prospect, fields)
    view = _email(_Email("", "", html), options, mode, spin, "", lines, None, spin_hint, status=None, envelope=False)
    return _finish(view, mode, None)


def _start(
    width: int, mode: str, prospect: SampleProspect | None, fields: list[ProspectField] | None
) -> tuple[PreviewOptions, Lines]:
    """The renderer's options and the first lines: the prospect, when it has a name or id."""
    options = PreviewOptions(
        width=max(MIN_WIDTH, int(width)),
        prospect=dict(prospect.fields) if prospect is not None else None,
        fields=fields,
        mode="plain" if mode == "plain" else "rendered",
    )
    lines: Lines = []
    if prospect is not None and (prospect.name or prospect.id):
        lines += header("Prospect", [Segment(one_line(prospect.name or prospect.id, 60), "bold")], options.width)
    return options, lines


def _finish(view: PreviewView, mode: str, cache: PreviewCache | None) -> PreviewView:
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


def _spin_line(choice: int, total: int, hint: str, width: int) -> Lines:
    # Wrapped: N can be a 40-digit number.
    return header("Spintax", [Segment(f"combination {choice + 1} of {total} ({hint})", "muted")], width)


def _rule(lines: Lines, width: int) -> None:
    """The line between the headers and the text, when there are headers above it."""
    if lines:
        lines.append([Segment("─" * min(width, 72), "muted")])


def snippet_text(lines: Lines, enough: int) -> str:
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


class _Email(NamedTuple):
    subject: str
    preheader: str
    html: str


def _email(
    email: _Email,
    options: PreviewOptions,
    mode: str,
    spin: int,
    sender: str,
    lines: Lines,
    cache: PreviewCache | None,
    spin_hint: str,
    *,
    status: object,
    envelope: bool = True,
) -> PreviewView:
    subject, preheader, html = email.subject, email.preheader, email.html
    picks, total = split_choice(spin, [subject, preheader, html])
    body = render_email(html, options._replace(spin_choice=picks[2]), cache.blocks if cache is not None else None)
    if envelope:
        subject_line = fill_line(subject, options._replace(spin_choice=picks[0]))
        preheader_line = fill_line(preheader, options._replace(spin_choice=picks[1]))
        # Mail clients start the row's snippet with the body's hidden preheader, if any.
        body_text = " ".join(filter(None, [body.hidden_lead, snippet_text(body.lines, options.width + 1)]))
        inbox = inbox_line(
            sender,
            "".join(s.text for s in subject_line),
            "".join(s.text for s in preheader_line),
            body_text,
            options.width - LABEL_WIDTH,
        )
        lines += header("Inbox", inbox, options.width)
        lines += header(
            "Subject", subject_line or [Segment("(empty: sent as a reply in the same thread)", "muted")], options.width
        )
        if preheader:
            lines += header("Preheader", preheader_line, options.width)
        if status == 0:
            lines += header("Status", [Segment("paused", "fallback")], options.width)
    choice = spin % total
    if total > 1:
        lines += _spin_line(choice, total, spin_hint, options.width)
    missing = missing_in([subject, preheader], options, [])
    missing += [label for label in body.missing if label not in missing]
    if missing and options.prospect is not None:
        lines += header(
            "No value",
            [Segment(one_line(", ".join(missing), 300), "missing"), Segment(" (fallback or tag shown)", "muted")],
            options.width,
        )
    _rule(lines, options.width)
    view = PreviewView(plain="", combinations=total, choice=choice, missing=missing, lines=lines)
    if mode == "source":
        view.source = html
        return view
    lines += body.lines
    if body.links:
        lines.append([])
        lines += cache.references(body.links) if cache is not None else reference_lines(body.links)
    return view


def reference_lines(links: list[str]) -> Lines:
    return [[Segment(f"[{number}] ", "muted"), Segment(url, "link")] for number, url in enumerate(links, 1)]


def _channel_text(variant: Variant, options: PreviewOptions, spin: int, lines: Lines, spin_hint: str) -> PreviewView:
    from tui.api.channels import TASK_NOTE_LIMIT, Channel, text_key_of

    channel = variant.type
    payload = variant.payload
    lines += header("Channel", [Segment(channel.label, "bold")], options.width)
    if variant.status == 0:
        lines += header("Status", [Segment("paused", "fallback")], options.width)
    subject = _text_of(payload, "subject")
    key = text_key_of(channel, payload)
    text = _text_of(payload, key) if key is not None else ""
    picks, total = split_choice(spin, [subject, text])
    view = PreviewView(plain="", combinations=total, choice=spin % total, lines=lines)
    if subject:
        lines += header("Subject", fill_line(subject, options._replace(spin_choice=picks[0])), options.width)
    if total > 1:
        lines += _spin_line(view.choice, total, spin_hint, options.width)
    if text or channel.info.payload_keys:
        rendered = render_text_channel(text, channel, options._replace(spin_choice=picks[1]))
        view.missing = missing_in([subject], options, list(rendered.missing))
        view.char_count, view.limit = rendered.char_count, rendered.limit
        if view.missing and options.prospect is not None:
            lines += header("No value", [Segment(one_line(", ".join(view.missing), 300), "missing")], options.width)
        _rule(lines, options.width)
        lines += rendered.lines or [[Segment("(empty)", "muted")]]
        lines.append([])
        lines.append(count_line(rendered))
    if variant.taskNote or channel.info.task_note:
        note = render_text_channel(variant.taskNote or "", Channel.CUSTOM, options._replace(spin_choice=0))
        lines.append([])
        lines += header(
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
