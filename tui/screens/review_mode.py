"""Review mode: every variant of one sequence in step order, full screen, one key each.

Order: the step's day, then its number, then the variant's letter. Each variant shown is
marked reviewed. ``s`` pauses or resumes the variant and saves that at once, after a
confirmation: the PATCH carries only the status, so a variant with errors can still be paused
(a variant with other unsaved edits must be saved or undone in the editor first). ``e`` leaves
for the editor on that variant; ``q`` (or moving past the last variant) shows the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.api.errors import ApiError
from tui.api.scheduler import background
from tui.screens.review_summary import ReviewSummary, ReviewSummaryScreen
from tui.session.new_variants import is_new
from tui.text.safe_text import one_line
from tui.validation import Severity, step_day
from tui.widgets import messages as m
from tui.widgets.app_access import seqedit_app
from tui.widgets.findings_panel import FindingsPanel
from tui.widgets.key_footer import KeyFooter
from tui.widgets.preview_pane import PreviewPane

if TYPE_CHECKING:
    from tui.session.workspace import VariantKey, Workspace

_LAST = 10**9


def review_order(workspace: Workspace, sequence_id: str) -> list[VariantKey]:
    """The sequence's variants by step day, then step number, then letter."""
    steps = list(workspace.steps(sequence_id) or [])

    def position(item: tuple[int, Any]) -> tuple[int, int, int]:
        index, step = item
        day = step_day(step)
        number = step.number if isinstance(step.number, int) else _LAST
        return (day if day is not None else _LAST, number, index)

    keys: list[VariantKey] = []
    for _index, step in sorted(enumerate(steps), key=position):
        keys.extend(workspace.variant_keys(sequence_id, step.id))
    return keys


def variant_title(workspace: Workspace, key: VariantKey, width: int = 50) -> str:
    """``Day 3 · Step 2 · Email · B — subject`` as one plain line."""
    step = workspace.step(key.sequence_id, key.step_id)
    parts = []
    if step is not None:
        day = step_day(step)
        parts.append(f"Day {day if day is not None else '?'}")
        if isinstance(step.number, int):
            parts.append(f"Step {step.number}")
        parts.append(step.type.label)
    parts.append(workspace.letter(key))
    headline = one_line(workspace.edited(key).headline, width) if workspace.has(key) else ""
    return " · ".join(parts) + (f" — {headline}" if headline else "")


class ReviewModeScreen(Screen[None]):
    """Walk a sequence's variants: preview, findings, status; a summary at the end."""

    DEFAULT_CSS = """
    ReviewModeScreen #review-heading { height: auto; padding: 0 1; background: $panel; }
    ReviewModeScreen #review-panes { height: 1fr; }
    ReviewModeScreen #review-preview { width: 3fr; }
    ReviewModeScreen #review-findings { width: 2fr; min-width: 30; border-left: vkey $border-blurred; }
    ReviewModeScreen.-narrow #review-panes { layout: vertical; }
    ReviewModeScreen.-narrow #review-preview { width: 1fr; height: 2fr; }
    ReviewModeScreen.-narrow #review-findings { width: 1fr; height: 1fr; border-left: none; border-top: hkey $border-blurred; }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,right", "step(1)", "Next", priority=True, tooltip="The next variant", id="review-next"),
        Binding("k,left", "step(-1)", "Previous", priority=True, tooltip="The previous variant", id="review-previous"),
        Binding(
            "s",
            "toggle_status",
            "Pause/resume",
            tooltip="Pause or resume this variant (saved after a confirm)",
            id="review-toggle-status",
        ),
        Binding("e", "edit", "Edit", tooltip="Leave review mode and edit this variant", id="review-edit"),
        Binding("tab", "switch_pane", "Findings/preview", show=False, id="review-switch-pane"),
        Binding(
            "q,escape",
            "summary",
            "Summary",
            priority=True,
            tooltip="The summary, then leave review mode",
            id="review-summary",
        ),
    ]

    class _StepsArrived(Message):
        def __init__(self, steps: list[Any], errors: list[str]) -> None:
            super().__init__()
            self.steps = steps
            self.errors = errors

    def __init__(self, sequence_id: str) -> None:
        super().__init__()
        self.sequence_id = sequence_id
        self.keys: list[VariantKey] = []
        self.index = 0
        self.reviewed: set[VariantKey] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._summary_open = False

    @property
    def workspace(self) -> Workspace:
        return seqedit_app(self).workspace

    @property
    def current(self) -> VariantKey | None:
        return self.keys[self.index] if 0 <= self.index < len(self.keys) else None

    def compose(self) -> ComposeResult:
        yield Static(Text("Review mode · loading the sequence…"), id="review-heading")
        with Horizontal(id="review-panes"):
            yield PreviewPane(id="review-preview")
            yield FindingsPanel(live=False, id="review-findings")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._unsubscribe = self.workspace.subscribe(self._workspace_changed)
        self.query_one(PreviewPane).focus()
        if self.workspace.steps(self.sequence_id) is not None:
            self._start()
        elif getattr(self.app, "client", None) is not None:
            self._load()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- loading ------------------------------------------------------------------------------

    @on(m.ClientReady)
    def _client_ready(self, message: m.ClientReady) -> None:
        message.stop()
        if not self.keys and self.workspace.steps(self.sequence_id) is None:
            self._load()

    @on(m.ClientFailed)
    def _client_failed(self, message: m.ClientFailed) -> None:
        message.stop()
        self._heading(f"Review mode · could not connect: {message.text}")

    def _load(self) -> None:
        self.run_worker(self._fetch_steps(), group="review-steps", exclusive=True)

    async def _fetch_steps(self) -> None:
        try:
            client = seqedit_app(self).client
            assert client is not None  # loading starts once the client is ready
            with background():  # a whole sequence's review: paced within the rate limit
                listing = await client.list_steps(self.sequence_id)
        except ApiError as exc:
            self.post_message(m.StepsFailed(self.sequence_id, one_line(str(exc) or type(exc).__name__, 300)))
            return
        errors = list(listing.errors) + [e for step in listing.items for e in step.load_errors]
        self.post_message(self._StepsArrived(list(listing.items), errors))

    @on(_StepsArrived)
    def _steps_arrived(self, message: _StepsArrived) -> None:
        message.stop()
        self.workspace.set_steps(self.sequence_id, message.steps)
        # The tree underneath shows them too.
        seqedit_app(self).tell_main_screen(m.StepsLoaded(self.sequence_id, message.steps, message.errors))
        for error in message.errors:
            self.notify(one_line(error, 200), title="Skipped", severity="warning", markup=False)
        self._start()

    @on(m.StepsFailed)
    def _steps_failed(self, message: m.StepsFailed) -> None:
        message.stop()
        self._heading(f"Review mode · could not load the sequence: {message.text} (q leaves)")

    def _start(self) -> None:
        self.keys = review_order(self.workspace, self.sequence_id)
        if not self.keys:
            self._heading("Review mode · this sequence has no variants (q leaves)")
            return
        self.index = 0
        self.show_current()

    # -- showing ----------------------------------------------------------------------------------

    def _heading(self, text: str | Text) -> None:
        self.query_one("#review-heading", Static).update(text if isinstance(text, Text) else Text(text))

    def _sequence_title(self) -> str:
        sequence = self.workspace.sequence(self.sequence_id)
        return (
            one_line(sequence.title, 50)
            if sequence is not None and sequence.title
            else f"sequence {one_line(self.sequence_id, 30)}"
        )

    def show_current(self) -> None:
        """Show the variant at ``index`` and mark it reviewed."""
        key = self.current
        if key is None:
            return
        self.reviewed.add(key)
        self.query_one(PreviewPane).show(key)
        self.query_one(FindingsPanel).show(key)
        self._update_heading()

    @on(m.SequencesShown)
    def _sequences_shown(self, message: m.SequencesShown) -> None:
        message.stop()
        self.call_later(self.refresh_heading)

    def refresh_heading(self) -> None:
        """Redraw the heading (the sequence's title may arrive after review mode opened)."""
        self._update_heading()

    def _update_heading(self) -> None:
        key = self.current
        if key is None or not self.workspace.has(key):
            return
        variant = self.workspace.edited(key)
        heading = Text()
        heading.append(f"Review · {self._sequence_title()} · {self.index + 1} of {len(self.keys)}", style="bold")
        heading.append(f" · reviewed {len(self.reviewed)}\n")
        heading.append(variant_title(self.workspace, key, max(10, self.size.width - 60)))
        heading.append("  ")
        heading.append("● active" if variant.active else "○ paused", style="green" if variant.active else "yellow")
        if self.workspace.is_dirty(key):
            heading.append("  * unsaved edits", style="bold yellow")
        self._heading(heading)

    def _workspace_changed(self, key: VariantKey) -> None:
        if key == self.current:
            self.call_later(self._update_heading)

    # -- keys -------------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) variant; past the last one, the summary."""
        if not self.keys:
            return
        target = self.index + delta
        if target >= len(self.keys):
            self.action_summary()
            return
        if target < 0:
            self.notify("This is the first variant.", markup=False, timeout=2)
            return
        self.index = target
        self.show_current()

    def action_switch_pane(self) -> None:
        preview, findings = self.query_one(PreviewPane), self.query_one("#findings-list")
        (findings if preview.has_focus else preview).focus()

    def action_toggle_status(self) -> None:
        """Pause or resume the variant: confirm, then save the status alone."""
        key = self.current
        if key is None:
            return
        letter = self.workspace.letter(key)
        if getattr(self.app, "read_only", False):
            self.notify("seqedit was started with --read-only; saving is turned off.", severity="warning", markup=False)
            return
        if self.workspace.is_dirty(key):
            self.notify(
                f"Variant {letter} has unsaved edits: save or undo them in the editor (e) before pausing it here.",
                severity="warning",
                markup=False,
            )
            return
        if seqedit_app(self).main_screen is None:  # its save flow saves it
            return
        active = self.workspace.edited(key).active
        verb = "Pause" if active else "Resume"
        question = (
            f"{verb} variant {letter} ({variant_title(self.workspace, key, 24)})?\n\n"
            f'This saves now: the PATCH carries only "status": {0 if active else 1}.'
        )
        from tui.screens.confirm_screen import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.workspace.has(key) and not self.workspace.is_dirty(key):
                self.workspace.toggle_status(key)
                # The main screen's save flow: re-read, PATCH, re-read.
                seqedit_app(self).tell_main_screen(m.SaveRequested(key))
                self.notify(f"{verb.removesuffix('e')}ing variant {letter}…", markup=False, timeout=3)

        self.app.push_screen(ConfirmScreen(question, yes=f"{verb} and save", no="Cancel"), answered)

    def action_edit(self) -> None:
        """Leave review mode with the variant open in the editor."""
        key = self.current
        self.dismiss()
        if key is not None:
            seqedit_app(self).tell_main_screen(m.EditRequested(key))

    @on(FindingsPanel.JumpRequested)
    def _jump(self, message: FindingsPanel.JumpRequested) -> None:
        message.stop()
        self.dismiss()
        seqedit_app(self).tell_main_screen(FindingsPanel.JumpRequested(message.key, message.finding))

    def summary(self) -> ReviewSummary:
        """Errors, warnings, paused, not reviewed (and unsaved), each listed in step order."""
        checks = seqedit_app(self).checks
        result = ReviewSummary(title=f"Review of {self._sequence_title()}", total=len(self.keys))
        for key in self.keys:
            if not self.workspace.has(key):
                continue
            label = variant_title(self.workspace, key, 24)
            findings = checks.findings(key)
            if any(f.severity is Severity.ERROR for f in findings):
                result.errors.append(label)
            if any(f.severity is Severity.WARNING for f in findings):
                result.warnings.append(label)
            # Paused here or on the server: a status toggled but not saved must not hide either.
            mine = self.workspace.edited(key).active
            # A new variant is not on the server: its blank server copy has no status, which is
            # not "paused on the server".
            live = mine if is_new(key) else self.workspace.server_copy(key).active
            if not mine or not live:
                if mine == live:
                    result.paused.append(label)
                elif live:
                    result.paused.append(f"{label} (your unsaved edit pauses it)")
                else:
                    result.paused.append(f"{label} (paused on the server; your unsaved edit resumes it)")
            if key not in self.reviewed:
                result.not_reviewed.append(label)
            if self.workspace.is_dirty(key):
                result.unsaved.append(label)
        return result

    def action_summary(self) -> None:
        """Show the summary; leaving it with q closes review mode."""
        if self._summary_open:
            return
        self._summary_open = True

        def closed(leave: bool | None) -> None:
            self._summary_open = False
            if leave:
                self.dismiss()

        self.app.push_screen(ReviewSummaryScreen(self.summary()), closed)
