"""The main screen's Findings and Preview tabs, finding jumps, and the way into review mode.

A mixin so the main screen stays about browsing and editing: :class:`LiveChecksMixin` adds
message handlers (found by name through the class's MRO) and actions; the main screen lists
their bindings, composes the two panes, and calls :meth:`show_live` when it shows a variant
and :meth:`start_checks_data` once the client is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import TabbedContent

from tui.api.errors import ApiError
from tui.widgets import messages as m
from tui.widgets.findings_line import FindingsLine
from tui.widgets.findings_panel import FindingsPanel, field_label, focus_finding, in_panel_order
from tui.widgets.preview_pane import PreviewPane

if TYPE_CHECKING:
    from tui.session.workspace import VariantKey
    from tui.validation import Finding

FINDINGS_TAB = "tab-findings"
PREVIEW_TAB = "tab-preview"
EDIT_TAB = "tab-edit"


async def fetch_checks_data(app: Any) -> None:
    """Load the account's fields and sample prospects into ``app.checks``, then tell every
    screen (:class:`tui.widgets.messages.ChecksDataLoaded`). Runs in a worker on the event loop."""
    client = app.client
    if client is None:
        return
    try:
        fields = await client.list_fields()
    except ApiError:
        fields = None  # merge-tag checks that need the field list are skipped
    from tui.session.connect import sample_prospects

    try:
        prospects = await sample_prospects(client, app.account)
    except ApiError:
        prospects = []
    app.checks.set_fields(fields)
    app.checks.prospects = list(prospects)
    for screen in list(app.screen_stack):
        screen.post_message(m.ChecksDataLoaded())


class LiveChecksMixin:
    """Findings and Preview tabs on the main screen (see the module docstring)."""

    # -- hooks the main screen calls ------------------------------------------------------------

    def show_live(self, key: VariantKey | None) -> None:
        """Point the Findings and Preview panes at the variant now in the form."""
        self.query_one("#findings", FindingsPanel).show(key)
        self.query_one("#preview", PreviewPane).show(key)
        self.set_class(key is not None, "-variant-open")
        self.sync_side(again=True)
        if key is None:
            self._set_findings_label("")
            self._show_findings_line()

    def sync_side(self, *, again: bool = False) -> None:
        """The panes beside the form follow the open variant while the screen is wide enough to
        show them, and nothing otherwise: hidden, they would check and render every keystroke
        for no one. ``again``: show the variant afresh (it was just shown in the form). Focus
        leaves a pane that has just been hidden."""
        key = getattr(self, "current_key", None)
        for pane_id, shown_class in (("#side-findings", "-findings-beside"), ("#side-preview", "-preview-beside")):
            pane = self.query_one(pane_id)
            shown = self.has_class(shown_class)
            wanted = key if shown else None
            if pane.key != wanted or (again and wanted is not None):
                pane.show(wanted)
            focused = self.focused
            if not shown and focused is not None and (focused is pane or pane in focused.ancestors):
                if key is not None:
                    self.action_focus_form()
                else:
                    self.tree.focus()

    def _show_findings_line(self) -> None:
        """The one-line summary under the form, from the Findings tab's panel."""
        line = self.query_one("#findings-line", FindingsLine)
        key = getattr(self, "current_key", None)
        panel = self.query_one("#findings", FindingsPanel)
        if key is None or panel.key != key:
            line.show(None)
            return
        cursor = getattr(self, "_finding_cursor", None)
        current = cursor[1] if cursor is not None and cursor[0] == key else None
        hint = self.key_hint("next-finding", "")
        line.show(in_panel_order(panel.findings), current, hint)

    def start_checks_data(self) -> None:
        """Fetch fields and prospects once; wake a review screen waiting for the client."""
        from tui.screens.review_mode import ReviewModeScreen

        self.run_worker(fetch_checks_data(self.app), group="checks-data", exclusive=True)
        for screen in self.app.screen_stack:
            if isinstance(screen, ReviewModeScreen):
                screen.post_message(m.ClientReady())

    # -- messages ---------------------------------------------------------------------------------

    def _set_findings_label(self, label: str) -> None:
        for tabbed in self.query(TabbedContent):
            try:
                tab = tabbed.get_tab(FINDINGS_TAB)
            except Exception:  # no such tab (a layout without it)
                return
            text = f"Findings {label}" if label else "Findings"
            # A relabelled tab lays the whole screen out again: not on every keystroke.
            if tab.label.plain != text:
                tab.label = Content(text)

    def on_findings_updated(self, message: m.FindingsUpdated) -> None:
        """Counts in the tab label; the tree's error mark for the variant."""
        if message.key != getattr(self, "current_key", None):
            return
        self._set_findings_label(message.label)
        self._show_findings_line()
        # Redraw the tree only when the variant's error mark changes (not on every pause).
        marked = message.label.startswith("E ")
        if not hasattr(self, "_error_marks"):
            self._error_marks: dict[VariantKey, bool] = {}
        marks = self._error_marks
        if marks.get(message.key) != marked:
            marks[message.key] = marked
            self.tree.refresh_labels(message.key.sequence_id)

    def on_sequences_page_loaded(self, message: m.SequencesPageLoaded) -> None:
        """A review screen opened by `seqedit review` learns its sequence's title from here."""
        from tui.screens.review_mode import ReviewModeScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, ReviewModeScreen):
                screen.call_later(screen.refresh_heading)

    def on_checks_data_loaded(self, message: m.ChecksDataLoaded) -> None:
        """Fields change the merge-tag findings: redraw every mark and both panes."""
        message.stop()
        for sequence in self.workspace.sequences:
            if self.workspace.steps(sequence.id) is not None:
                self.tree.refresh_labels(sequence.id)
        for panel in self.query(FindingsPanel):
            panel.refresh_findings()
        for pane in self.query(PreviewPane):
            pane.render_now()

    def on_findings_panel_jump_requested(self, message: FindingsPanel.JumpRequested) -> None:
        """Open the finding's variant if needed, then select the finding's text in the form."""
        message.stop()
        key, finding = message.key, message.finding
        if key != getattr(self, "current_key", None):
            self.open_variant(key, focus=False)
        self.call_later(self._focus_finding, key, finding)

    def _focus_finding(self, key: VariantKey, finding: Finding) -> None:
        if key != getattr(self, "current_key", None):
            return
        self.query_one(TabbedContent).active = EDIT_TAB
        order = in_panel_order(self.query_one("#findings", FindingsPanel).findings)
        if finding in order:
            self._finding_cursor = (key, order.index(finding))
            self._show_findings_line()
        for panel in self.query(FindingsPanel):
            panel.highlight(finding)

        def focus() -> None:
            if not focus_finding(self.form, finding):
                self.notify(
                    f"{finding.rule_id} is about {field_label(finding.field)}, which has no field of its own in the form.",
                    markup=False,
                )

        self.call_after_refresh(focus)

    # -- actions ----------------------------------------------------------------------------------

    def _show_tab(self, tab_id: str, target: Any) -> None:
        # The variant under the tree cursor opens first, as enter would.
        key = self.target_key()
        if key is None:
            self.notify("Choose a variant first (enter in the tree).", markup=False)
            return
        if key != getattr(self, "current_key", None):
            self.open_variant(key, focus=False)

        def switch() -> None:
            self.query_one(TabbedContent).active = tab_id
            self.call_after_refresh(target.focus)

        self.call_later(switch)

    def action_show_findings(self) -> None:
        """The Findings tab, its list focused."""
        panel = self.query_one("#findings", FindingsPanel)
        self._show_tab(FINDINGS_TAB, panel.query_one("#findings-list"))

    def action_show_preview(self) -> None:
        """The Preview tab, focused (v, n, x work there)."""
        self._show_tab(PREVIEW_TAB, self.query_one("#preview", PreviewPane))

    def action_next_finding(self) -> None:
        """Select the next finding's text in the form (after the last, the first again)."""
        self._step_finding(1)

    def action_previous_finding(self) -> None:
        """Select the previous finding's text in the form."""
        self._step_finding(-1)

    def _step_finding(self, step: int) -> None:
        key = getattr(self, "current_key", None)
        if key is None:
            self.notify("Choose a variant first (enter in the tree).", markup=False)
            return
        panel = self.query_one("#findings", FindingsPanel)
        if panel.key != key:
            return
        panel.refresh_findings()  # what the form holds now, not as of the last pause
        order = in_panel_order(panel.findings)
        if not order:
            self.notify("No findings in this variant.", markup=False)
            return
        cursor = getattr(self, "_finding_cursor", None)
        if cursor is None or cursor[0] != key:
            index = 0 if step > 0 else len(order) - 1
        else:
            index = (min(cursor[1], len(order)) + step) % len(order)
        self._focus_finding(key, order[index])

    def action_review_sequence(self) -> None:
        """Review mode for the sequence under the tree cursor (or of the open variant)."""
        from tui.screens.review_mode import ReviewModeScreen

        sequence_id = None
        tree = self.tree
        node = tree.cursor_node
        if tree.has_focus and node is not None and node.data is not None and node.data.sequence_id:
            sequence_id = node.data.sequence_id
        elif getattr(self, "current_key", None) is not None:
            sequence_id = self.current_key.sequence_id
        elif node is not None and node.data is not None and node.data.sequence_id:
            sequence_id = node.data.sequence_id
        if not sequence_id:
            self.notify("Move to a sequence in the tree first.", markup=False)
            return
        self.app.push_screen(ReviewModeScreen(sequence_id))


__all__ = ["LiveChecksMixin", "fetch_checks_data"]
