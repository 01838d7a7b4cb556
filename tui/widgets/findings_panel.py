"""The Findings tab: the open variant's validation findings, live while the person types.

The panel follows one variant (``show(key)``). When a change to it is checked is decided by
:class:`tui.session.live_refresh.LiveRefresh`, as for the preview: on the next turn of the event
loop, at most once per :data:`~tui.session.live_refresh.MIN_INTERVAL`, the last keystroke always reflected, a very large
variant in a thread. Findings come from the app's
:class:`~tui.session.variant_checks.VariantChecks`, whose live validator reuses what a keystroke did
not change (~1.4 ms for a 100 KB body, so it runs on the event loop), and are redrawn grouped
by severity. Enter on a finding posts :class:`FindingsPanel.JumpRequested`; the screen focuses
the field and selects the span.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Document

from tui.api.channels import PAYLOAD_LABELS
from tui.session.live_refresh import LiveRefresh, text_size
from tui.session.variant_checks import counts, counts_label
from tui.text.safe_text import one_line
from tui.validation import Finding, Severity
from tui.widgets import messages as m
from tui.widgets.app_access import seqedit_app

if TYPE_CHECKING:
    from tui.session.variant_checks import VariantChecks
    from tui.session.workspace import VariantKey


FIELD_LABELS = {
    "type": "Channel",
    "payload": "Payload",
    **{f"payload.{key}": label for key, label in PAYLOAD_LABELS.items()},  # as the form names them
    "taskNote": "Task note",
    "absoluteDays": "Day",
    "attachmentIds": "Attachments",
    "status": "Status",
    "priority": "Priority",
}
_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Advice"}
# The severity badges: a letter on a box of the severity's colour, each a pair that reads on a
# 16-colour terminal too. The box's own background and foreground keep the letter readable on the
# list cursor's bar: reversed colours took the bar's, and in seqedit-high-contrast a selected W
# was yellow on the bar's yellow (1.3:1 on 16 colours; issue 13).
_BADGES = {
    Severity.ERROR: "bold bright_white on red",
    Severity.WARNING: "bold black on yellow",
    Severity.INFO: "bold black on cyan",
}


def field_label(path: str) -> str:
    """A field path as the form names it (``payload.subject`` → ``Subject``)."""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    return one_line(path.removeprefix("payload."), 40) or "Variant"


def field_widget_id(path: str) -> str | None:
    """The form widget that edits a field path, or None when no single widget does."""
    if path.startswith("payload."):
        name = path.removeprefix("payload.")
        return f"field-{name}" if name and name.replace("_", "").replace("-", "").isalnum() else None
    if path in ("taskNote", "absoluteDays", "attachmentIds", "status", "priority", "assigneeId"):
        return f"field-{path}"
    return None


BADGE_WIDTH = 3  # " W ": the severity letter in its box


def badge_style(severity: Severity, colour: bool = True) -> str:
    """The severity badge's style (see _BADGES). Without colour (NO_COLOR) it takes none of its
    own: reversed, it is a box in its row's colours, which contrast whether the list's cursor is
    on the row or not (a yellow W had turned the grey of the cursor's bar; issue 13)."""
    return _BADGES.get(severity, "bold reverse") if colour else "bold reverse"


def finding_text(finding: Finding, width: int = 200, colour: bool = True) -> Text:
    """One finding as literal text: severity letter, rule id, field; message; hint; threshold."""
    text = Text()
    text.append(f" {finding.severity.value} ", style=badge_style(finding.severity, colour))  # BADGE_WIDTH
    # No colour of its own: under the list's cursor it takes the cursor's foreground. Coloured,
    # it was orange on light blue (1.0:1) in seqedit-dark. The badge carries the severity.
    text.append(f" {finding.rule_id}", style="bold")
    text.append(f"  {field_label(finding.field)}", style="bold")
    text.append("\n" + one_line(finding.message, width))
    # Italic, not dim: dim text is blended toward the background, and on the high-contrast
    # theme's yellow cursor bar that came out dark yellow, which a 16-colour terminal shows as
    # its yellow on its bright yellow (1.6:1; issue 13). The "→" and "threshold:" say what they are.
    if finding.hint:
        text.append("\n→ " + one_line(finding.hint, width), style="italic")
    if finding.threshold:
        text.append("\nthreshold: " + one_line(finding.threshold, 120), style="italic")
    return text


def in_panel_order(findings: list[Finding]) -> list[Finding]:
    """The findings in the order the panel lists them: errors, then warnings, then advice."""
    order = list(Severity)
    return sorted(findings, key=lambda finding: order.index(finding.severity))


def finding_prompt(finding: Finding, colour: bool = True) -> Group:
    """The option shown for a finding: its first line, the rest indented under it."""
    first, *rest = finding_text(finding, colour=colour).split("\n")
    body = Text("\n").join(rest)
    # The heading wraps under the rule id, not back under the badge: beside a form the pane is
    # about 30 columns, and "Content (HTML)" fell to the next line flush left.
    badge, _, heading = first.divide([BADGE_WIDTH, BADGE_WIDTH + 1])
    head = Table.grid(padding=(0, 1, 0, 0))
    head.add_column(no_wrap=True, width=BADGE_WIDTH)
    head.add_column()
    head.add_row(badge, heading)
    return Group(head, Padding(body, (0, 0, 0, 2)))


def select_span(widget: Widget, span: tuple[int, int] | None) -> None:
    """Select ``span`` (character offsets into the field's text) in an Input or TextArea."""
    if span is None:
        return
    if isinstance(widget, TextArea):
        from textual.widgets.text_area import Selection

        document = widget.document
        assert isinstance(document, Document)  # our text areas hold plain documents
        size = len(document.text)
        start, end = (max(0, min(size, offset)) for offset in span)
        widget.selection = Selection(document.get_location_from_index(start), document.get_location_from_index(end))
    elif isinstance(widget, Input):
        from textual.widgets.input import Selection as InputSelection

        size = len(widget.value)
        start, end = (max(0, min(size, offset)) for offset in span)
        widget.selection = InputSelection(start, end)


def focus_finding(root: Widget, finding: Finding) -> bool:
    """Focus the widget under ``root`` that edits the finding's field and select its span.

    Returns False when the field has no widget in the form (a payload shape, the channel).
    """
    widget_id = field_widget_id(finding.field)
    if widget_id is None:
        return False
    found = list(root.query(f"#{widget_id}"))
    if not found or not found[0].focusable:
        return False
    widget = found[0]
    # At once (a deferred focus would scroll the field's top into view after this, see below).
    widget.screen.set_focus(widget, scroll_visible=False)
    select_span(widget, finding.span)
    # After the layout that the tab switch and the selection cause: centred before it, the
    # selection was measured against a stale size, and the form scrolled only to the field's
    # top, so in a field taller than the form's view it was off screen and typing replaced text
    # no one could see (issue 13).
    widget.call_after_refresh(show_selection, widget)
    return True


def show_selection(widget: Widget, tries: int = 10) -> None:
    """Scroll the field's selection to its middle, then that row into the middle of the
    scrolling container around the field (the form).

    A field on a tab just switched to has no size until its layout: measured then, "the
    middle" was its first row. It waits for a size, a refresh at a time.
    """
    if not widget.is_attached:
        return
    if widget.scrollable_content_region.height <= 0 and tries > 0:
        widget.call_after_refresh(show_selection, widget, tries - 1)
        return
    if isinstance(widget, TextArea):
        # Not scroll_cursor_visible(center=True): with the cursor off to the right (or past the
        # gutter) it scrolls the selection to the top instead of the middle.
        row = widget.wrapped_document.location_to_offset(widget.cursor_location).y
        middle = max(0, row - widget.scrollable_content_region.height // 2)
        widget.scroll_to(y=middle, animate=False, immediate=True)
    widget.call_after_refresh(_show_cursor_row, widget)


def _show_cursor_row(widget: Widget) -> None:
    from textual.containers import ScrollableContainer
    from textual.geometry import Region

    if not widget.is_attached:
        return
    row = 0
    if isinstance(widget, TextArea):
        row = widget.wrapped_document.location_to_offset(widget.cursor_location).y - round(widget.scroll_y)
    container = next((a for a in widget.ancestors if isinstance(a, ScrollableContainer)), None)
    if container is None:
        return
    screen_y = widget.content_region.y + max(0, row)
    virtual_y = screen_y - container.content_region.y + round(container.scroll_y)
    container.scroll_to_region(Region(0, virtual_y, 1, 1), center=True, animate=False, force=True)


class FindingsList(OptionList):
    """The findings, one option each, under a disabled heading per severity."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="findings-down"),
        Binding("k", "cursor_up", "Up", show=False, id="findings-up"),
    ]


class FindingsPanel(Vertical):
    """The live findings of one variant, grouped by severity with counts.

    ``live``: the panel follows the variant being edited, so the app's checks may leave the
    tree's mark for it until the pause (see :meth:`VariantChecks.peek`). Review mode's panel
    is not live.
    """

    DEFAULT_CSS = """
    FindingsPanel { height: 1fr; }
    FindingsPanel #findings-summary { height: auto; padding: 0 1; color: $text-muted; }
    FindingsPanel #findings-summary.-errors { color: $finding-error; text-style: bold; }
    FindingsPanel FindingsList { height: 1fr; border: none; padding: 0; }
    FindingsPanel FindingsList:focus { border: none; }
    /* The group headings are disabled options (the cursor skips them), not disabled text. */
    FindingsPanel FindingsList > .option-list--option-disabled { color: $foreground; }
    """

    class _Validated(Message):
        def __init__(self, generation: int, key: VariantKey, variant: Any, findings: list[Finding]) -> None:
            super().__init__()
            self.generation = generation
            self.key = key
            self.variant = variant
            self.findings = findings

    class JumpRequested(Message):
        """Enter on a finding: focus its field in the form and select its span."""

        def __init__(self, key: VariantKey, finding: Finding) -> None:
            super().__init__()
            self.key = key
            self.finding = finding

    def __init__(self, *, live: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.key: VariantKey | None = None
        self.findings: list[Finding] = []
        self._drawn: tuple | None = None  # (key, what the list shows) as last drawn
        # Each finding's option prompt by what it shows, from the last draw: when one message
        # changes (a word count), the others are not rendered again.
        self._prompts: dict[tuple, Group] = {}
        self._summary_text: str | None = None  # the summary line as last drawn
        # Not at once: the keystroke's other listeners and the redraw of the text go first.
        self._live = LiveRefresh(self.refresh_findings, later=self._later, soon=self.call_later, ready=self._drawable)
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def checks(self) -> VariantChecks:
        return seqedit_app(self).checks

    def compose(self) -> ComposeResult:
        yield Static(Text("Open a variant to see its findings."), id="findings-summary")
        yield FindingsList(id="findings-list")

    def on_mount(self) -> None:
        self._unsubscribe = self.checks.workspace.subscribe(self._workspace_changed)
        self._live.mounted()

    def _drawable(self) -> bool:
        """Whether the summary and the list are there to draw in: not before compose, nor
        while the panel is being removed (its children go first)."""
        return self.is_attached and bool(self.query_children("#findings-summary"))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.live and self.key is not None and self.checks.live_key == self.key:
            self.checks.live_key = None

    def show(self, key: VariantKey | None) -> None:
        """Follow ``key`` (None: nothing open) and show its findings now."""
        self.key = key
        if self.live:
            self.checks.live_key = key
        self.refresh_findings()

    def _later(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        return self.set_timer(delay, callback, name="findings-interval").stop

    def _workspace_changed(self, key: VariantKey) -> None:
        if key == self.key:
            self._live.changed()

    def refresh_findings(self) -> None:
        """Validate the variant as it is now and redraw; posts :class:`tui.widgets.messages.FindingsUpdated`.

        Large variants are validated in a thread worker (a newer refresh supersedes it)."""
        generation = self._live.begin()
        if generation is None:
            return
        key = self.key
        if key is None or not self.checks.workspace.has(key):
            self.findings = []
            self._drawn = None
            summary = self.query_one("#findings-summary", Static)
            self._summary_text = None
            summary.update(Text("Open a variant to see its findings."))
            summary.remove_class("-errors")
            self.query_one(FindingsList).clear_options()
            return
        findings = self.checks.current(key)
        prepared = None if findings is not None else self.checks.prepare(key)
        if prepared is None:
            self._draw(key, findings if findings is not None else self.checks.findings(key))
            return
        variant, ctx = prepared
        if self._live.off_loop(text_size(variant)):
            self._validate(generation, key, variant, ctx)
        else:
            findings = self.checks.validate(key, variant, ctx)
            self.checks.store(key, variant, findings)
            self._draw(key, findings)

    @work(thread=True, exclusive=True, group="findings-validate")
    def _validate(self, generation: int, key: VariantKey, variant: Any, ctx: Any) -> None:
        findings = self.checks.validate(key, variant, ctx)
        self.post_message(self._Validated(generation, key, variant, findings))

    @on(_Validated)
    def _validated(self, message: _Validated) -> None:
        message.stop()
        self.checks.store(message.key, message.variant, message.findings)

        def show() -> None:
            if message.key == self.key:
                self._draw(message.key, message.findings)

        self._live.finished(message.generation, show)

    def _draw(self, key: VariantKey, findings: list[Finding]) -> None:
        summary = self.query_one("#findings-summary", Static)
        listing = self.query_one(FindingsList)
        findings = list(findings)
        highlighted = listing.highlighted
        self.findings = findings  # always the latest: their spans move as the person types
        # Typing mostly moves spans, which the list does not show: then there is nothing to
        # redraw, and rebuilding every option was half the panel's time (benchmarks: typing).
        drawn = (key, [(f.severity, f.rule_id, f.field, f.message, f.hint, f.threshold) for f in findings])
        if drawn == self._drawn:
            self.post_message(m.FindingsUpdated(key, len(findings), counts_label(findings)))
            return
        self._drawn = drawn
        found = counts(findings)
        text = self._summary(findings)
        if text != self._summary_text:  # an update lays the screen out again
            self._summary_text = text
            summary.update(Text(text))
        summary.set_class(found[Severity.ERROR] > 0, "-errors")
        options: list[Option] = []
        shown = drawn[1]
        previous = self._prompts
        prompts: dict[tuple, Group] = {}
        for severity in Severity:
            group = [(index, f) for index, f in enumerate(findings) if f.severity is severity]
            if not group:
                continue
            options.append(Option(Text(f"{_HEADINGS[severity]} ({len(group)})", style="bold underline"), disabled=True))
            for index, finding in group:
                prompt = previous.get(shown[index])
                if prompt is None:
                    prompt = finding_prompt(finding, colour=not self.app.no_color)
                prompts[shown[index]] = prompt
                options.append(Option(prompt, id=f"finding-{index}"))
        self._prompts = prompts
        listing.set_options(options)
        if options:
            enabled = [index for index, option in enumerate(options) if not option.disabled]
            if highlighted is not None and highlighted in enabled:
                listing.highlighted = highlighted
            elif enabled:
                listing.highlighted = enabled[0]
        self.post_message(m.FindingsUpdated(key, len(findings), counts_label(findings)))

    @staticmethod
    def _summary(findings: list[Finding]) -> str:
        if not findings:
            return "No findings: nothing the API would reject, nothing to improve."
        label = counts_label(findings)
        if any(f.severity is Severity.ERROR for f in findings):
            return f"{label} — errors block saving. Enter on a finding selects its text."
        return f"{label} — enter on a finding selects its text."

    def finding_at(self, index: int | None) -> Finding | None:
        """The finding behind option ``index`` of the list (None for a heading)."""
        if not self._drawable():
            return None
        listing = self.query_one(FindingsList)
        if index is None or not 0 <= index < listing.option_count:
            return None
        option_id = listing.get_option_at_index(index).id
        if not option_id or not option_id.startswith("finding-"):
            return None
        position = int(option_id.removeprefix("finding-"))
        return self.findings[position] if position < len(self.findings) else None

    def highlight(self, finding: Finding) -> None:
        """Move the list's cursor to ``finding`` (one of :attr:`findings`), if it is listed."""
        if not self._drawable():
            return
        listing = self.query_one(FindingsList)
        for position, candidate in enumerate(self.findings):
            if candidate == finding:
                try:
                    listing.highlighted = listing.get_option_index(f"finding-{position}")
                except Exception:  # not drawn yet (a refresh is pending): the cursor stays
                    return
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._request_jump(self.finding_at(event.option_index))

    def _request_jump(self, finding: Finding | None) -> None:
        if finding is not None and self.key is not None:
            self.post_message(self.JumpRequested(self.key, finding))


__all__ = [
    "FindingsPanel",
    "field_label",
    "field_widget_id",
    "finding_text",
    "focus_finding",
    "in_panel_order",
    "select_span",
    "show_selection",
]
