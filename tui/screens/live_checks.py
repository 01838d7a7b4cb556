"""The main screen's Findings and Preview tabs, finding jumps, and the way into review mode.

A part of the main screen (:mod:`tui.screens.main_part`), so that the screen stays about its
layout and keys: the screen lists the bindings, composes the panes, hands this part the
findings' messages and the actions, and calls :meth:`LiveChecks.show_live` when it shows a
variant and :meth:`LiveChecks.start_checks_data` once the client is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import TabbedContent

from tui.screens.main_part import MainScreenPart
from tui.widgets import messages as m
from tui.widgets.findings_line import FindingsLine
from tui.widgets.findings_panel import FindingsPanel, field_label, focus_finding, in_panel_order
from tui.widgets.preview_pane import PreviewPane

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.screens.main_screen import MainScreen
    from tui.session.workspace import VariantKey
    from tui.validation import Finding

FINDINGS_TAB = "tab-findings"
PREVIEW_TAB = "tab-preview"
EDIT_TAB = "tab-edit"


async def fetch_checks_data(app: Any) -> None:
    """Load the account's fields and sample prospects into ``app.checks``, then tell every
    screen (:class:`tui.widgets.messages.ChecksDataLoaded`). Runs in a worker on the event loop.
    When the server could not be reached, the app fetches them again once it answers."""
    client = app.client
    if client is None:
        return
    from tui.session.connect import checks_data

    data = await checks_data(client, app.account)
    app.checks.set_fields(data.fields)
    app.checks.prospects = list(data.prospects)
    if data.unreached:
        app.read_again_when_online(app.fetch_checks_data_again)
    for screen in list(app.screen_stack):
        screen.post_message(m.ChecksDataLoaded())


class LiveChecks(MainScreenPart):
    """Findings and Preview tabs on the main screen (see the module docstring)."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        # Whether each variant's tree label shows the error mark, as last drawn.
        self._error_marks: dict[VariantKey, bool] = {}
        # The finding f8 / shift+f8 last selected: (variant, its index in the panel's order).
        self._finding_cursor: tuple[VariantKey, int] | None = None

    # -- hooks the main screen calls ------------------------------------------------------------

    def show_live(self, key: VariantKey | None) -> None:
        """Point the Findings and Preview panes at the variant now in the form."""
        self.screen.query_one("#findings", FindingsPanel).show(key)
        self.screen.query_one("#preview", PreviewPane).show(key)
        self.screen.set_class(key is not None, "-variant-open")
        self.sync_side(again=True)
        if key is None:
            self._set_findings_label("")
            self._show_findings_line()

    def sync_side(self, *, again: bool = False) -> None:
        """The panes beside the form follow the open variant while the screen is wide enough to
        show them, and nothing otherwise: hidden, they would check and render every keystroke
        for no one. ``again``: show the variant afresh (it was just shown in the form). Focus
        leaves a pane that has just been hidden."""
        key = self.current_key
        screen = self.screen
        panes: list[tuple[FindingsPanel | PreviewPane, str]] = [
            (screen.query_one("#side-findings", FindingsPanel), "-findings-beside"),
            (screen.query_one("#side-preview", PreviewPane), "-preview-beside"),
        ]
        for pane, shown_class in panes:
            shown = screen.has_class(shown_class)
            wanted = key if shown else None
            if pane.key != wanted or (again and wanted is not None):
                pane.show(wanted)
            focused = screen.focused
            if not shown and focused is not None and (focused is pane or pane in focused.ancestors):
                if key is not None:
                    screen.action_focus_form()
                else:
                    self.tree.focus()

    def _show_findings_line(self) -> None:
        """The one-line summary under the form, from the Findings tab's panel."""
        line = self.screen.query_one("#findings-line", FindingsLine)
        key = self.current_key
        panel = self.screen.query_one("#findings", FindingsPanel)
        if key is None or panel.key != key:
            line.show(None)
            return
        cursor = self._finding_cursor
        current = cursor[1] if cursor is not None and cursor[0] == key else None
        hint = self.screen.key_hint("next-finding", "")
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
        for tabbed in self.screen.query(TabbedContent):
            try:
                tab = tabbed.get_tab(FINDINGS_TAB)
            except Exception:  # no such tab (a layout without it)
                return
            text = f"Findings {label}" if label else "Findings"
            # A relabelled tab lays the whole screen out again: not on every keystroke.
            if tab.label.plain != text:
                tab.label = Content(text)

    def findings_updated(self, message: m.FindingsUpdated) -> None:
        """Counts in the tab label; the tree's error mark for the variant."""
        if message.key != self.current_key:
            return
        self._set_findings_label(message.label)
        self._show_findings_line()
        # Redraw the tree only when the variant's error mark changes (not on every pause).
        marked = message.label.startswith("E ")
        marks = self._error_marks
        if marks.get(message.key) != marked:
            marks[message.key] = marked
            self.tree.refresh_labels(message.key.sequence_id)

    def checks_data_loaded(self) -> None:
        """Fields change the merge-tag findings: redraw every mark and both panes."""
        for sequence in self.workspace.sequences:
            if self.workspace.steps(sequence.id) is not None:
                self.tree.refresh_labels(sequence.id)
        for panel in self.screen.query(FindingsPanel):
            panel.refresh_findings()
        for pane in self.screen.query(PreviewPane):
            pane.render_now()

    def jump_requested(self, message: FindingsPanel.JumpRequested) -> None:
        """Open the finding's variant if needed, then select the finding's text in the form."""
        key, finding = message.key, message.finding
        if key != self.current_key:
            self.screen.editing.open_variant(key, focus=False)
        self.call_later(self._focus_finding, key, finding)

    def _focus_finding(self, key: VariantKey, finding: Finding) -> None:
        if key != self.current_key:
            return
        self.screen.query_one(TabbedContent).active = EDIT_TAB
        order = in_panel_order(self.screen.query_one("#findings", FindingsPanel).findings)
        if finding in order:
            self._finding_cursor = (key, order.index(finding))
            self._show_findings_line()
        for panel in self.screen.query(FindingsPanel):
            panel.highlight(finding)

        def focus() -> None:
            if not focus_finding(self.form, finding):
                self.notify(
                    f"{finding.rule_id} is about {field_label(finding.field)}, which has no field of its own in the form.",
                    markup=False,
                )

        self.call_after_refresh(focus)

    # -- actions ----------------------------------------------------------------------------------

    def _show_tab(self, tab_id: str, target: Widget) -> None:
        # The variant under the tree cursor opens first, as enter would.
        key = self.screen.editing.target_key()
        if key is None:
            self.notify("Choose a variant first (enter in the tree).", markup=False)
            return
        if key != self.current_key:
            self.screen.editing.open_variant(key, focus=False)

        def switch() -> None:
            self.screen.query_one(TabbedContent).active = tab_id
            self.call_after_refresh(target.focus)

        self.call_later(switch)

    def action_show_findings(self) -> None:
        """The Findings tab, its list focused."""
        panel = self.screen.query_one("#findings", FindingsPanel)
        self._show_tab(FINDINGS_TAB, panel.query_one("#findings-list"))

    def action_show_preview(self) -> None:
        """The Preview tab, focused (v, n, x work there)."""
        self._show_tab(PREVIEW_TAB, self.screen.query_one("#preview", PreviewPane))

    def action_next_finding(self) -> None:
        """Select the next finding's text in the form (after the last, the first again)."""
        self._step_finding(1)

    def action_previous_finding(self) -> None:
        """Select the previous finding's text in the form."""
        self._step_finding(-1)

    def _step_finding(self, step: int) -> None:
        key = self.current_key
        if key is None:
            self.notify("Choose a variant first (enter in the tree).", markup=False)
            return
        panel = self.screen.query_one("#findings", FindingsPanel)
        if panel.key != key:
            return
        panel.refresh_findings()  # what the form holds now, not as of the last pause
        order = in_panel_order(panel.findings)
        if not order:
            self.notify("No findings in this variant.", markup=False)
            return
        cursor = self._finding_cursor
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
        elif self.current_key is not None:
            sequence_id = self.current_key.sequence_id
        elif node is not None and node.data is not None and node.data.sequence_id:
            sequence_id = node.data.sequence_id
        if not sequence_id:
            self.notify("Move to a sequence in the tree first.", markup=False)
            return
        self.app.push_screen(ReviewModeScreen(sequence_id))


__all__ = ["LiveChecks", "fetch_checks_data"]
