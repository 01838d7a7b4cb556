"""The main screen: the tree of sequences on the left, the variant's tabs on the right.

This module is the layout, the keys, focus and the message handlers; the work is done by the
screen's parts, one module each (ARCHITECTURE.md, "The main screen and its parts"): the tree
side, the editing side, the save flow, the live checks, A/B testing. All network calls run in
workers and come back as messages (``tui.widgets.messages``); handlers hand them to the part
they concern, which updates the workspace first, then the tree and the form from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, TabbedContent, TabPane, Tree

from tui.screens.tree_side import TreeSide
from tui.session.workspace import VariantKey, Workspace
from tui.widgets import messages as m
from tui.widgets.app_access import seqedit_app
from tui.widgets.connection_status import ConnectionStatus
from tui.widgets.drafts_status import DraftsStatus
from tui.widgets.key_footer import KeyFooter
from tui.widgets.save_status import SaveStatus
from tui.widgets.sequence_tree import NodeRef, SequenceTree

if TYPE_CHECKING:
    from tui.app import SeqEditApp
    from tui.screens.ab_testing import AbTesting
    from tui.screens.editing import EditingSide
    from tui.screens.live_checks import LiveChecks
    from tui.screens.safe_save import SaveFinished, SaveSide
    from tui.widgets.attachment_list import AttachmentList
    from tui.widgets.findings_panel import FindingsPanel
    from tui.widgets.variant_form import VariantForm

# Start-up (benchmarks: startup): the right-hand side mounts after the first frame that shows
# sequences; when the first page is slow to come (a real account far away), after this long.
RIGHT_SIDE_AT_LATEST = 0.3


class MainScreen(Screen[None]):
    """Browse sequences → steps → variants; edit, review and save a variant.

    The screen holds the layout, the bindings and the message handlers; the work is done by its
    parts (:mod:`tui.screens.main_part`), each in a module of its own: the tree side
    (:attr:`tree_side`), the editing side (:attr:`editing`), the save flow, drafts and history
    (:attr:`saving`), the findings and preview (:attr:`live_checks`), A/B testing
    (:attr:`ab_testing`). Handlers and actions hand over to them. :attr:`current_key`, the
    variant in the form, is the one piece of state they share.

    Start-up (benchmarks: startup): the last three and their widgets cost about 45 ms to import,
    and the first frame needs none of it. Each part is made (and its module imported) when it
    is first needed, which is after the first frame: the right side mounts then
    (:meth:`mount_right_side`), and a key for a part pressed sooner waits for it.
    """

    DEFAULT_CSS = """
    MainScreen { layers: default connection; }
    MainScreen #panes { height: 1fr; }
    MainScreen #tree-pane { width: 45%; max-width: 70; min-width: 24; border-right: vkey $border-blurred; }
    MainScreen.-narrow #tree-pane { width: 45%; }
    MainScreen.-narrow.-form-focus #tree-pane { display: none; }
    MainScreen.-tree-hidden #tree-pane { display: none; }
    MainScreen #filter { display: none; height: 3; }
    MainScreen.-filtering #filter { display: block; }
    MainScreen #tree { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    MainScreen #right, MainScreen #right-pending { width: 1fr; }
    MainScreen #right > ContentSwitcher { height: 1fr; }
    MainScreen TabPane { padding: 0; }
    /* Findings and preview beside the form while typing (issue 13, item 10): the panel from
       SIDE_FINDINGS_AT columns, the preview under it from SIDE_PREVIEW_AT; below that, one line
       of findings under the form. The tabs still hold the full views. */
    MainScreen #edit-main { width: 1fr; }
    MainScreen #edit-main > VariantForm { height: 1fr; }
    MainScreen #side { display: none; width: 36%; min-width: 32; border-left: vkey $border-blurred; }
    /* Only while a variant is open: an empty panel beside "choose a variant" took the tree's room. */
    MainScreen.-findings-beside.-variant-open #side { display: block; }
    MainScreen.-findings-beside #findings-line { display: none; }
    MainScreen.-findings-beside.-variant-open #tree-pane { width: 30%; max-width: 50; }
    MainScreen #side-findings { height: 1fr; }
    MainScreen #side-preview { display: none; height: 2fr; border-top: hkey $border-blurred; }
    /* A dropdown kept inside the screen covers the key bar at 80x24 but for the columns right of
       it, where the bar's last letters showed beside the list ("te" of "Palette"). The keys are
       the list's while it is open: the bar waits. */
    MainScreen.-choosing KeyFooter { visibility: hidden; }
    MainScreen.-preview-beside #side-preview { display: block; }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    # Widths (columns) from which the findings, then also the preview, show beside the form.
    SIDE_FINDINGS_AT = 120
    SIDE_PREVIEW_AT = 160

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_variant", "Save", tooltip="Review the PATCH and save the variant", id="save-variant"),
        Binding("s", "toggle_status", "Status", tooltip="Toggle the variant active / paused", id="toggle-status"),
        Binding("p", "cycle_priority", "Priority", tooltip="Cycle the task priority", id="cycle-priority"),
        Binding("slash", "filter", "Filter", tooltip="Filter sequences by title or client", id="filter"),
        # Enter in the filter, taken before the filter gets the keys behind it: "/hir" enter "jj"
        # typed quickly moved into the tree only after the filter had taken "jj" (see check_action).
        Binding("enter", "filter_done", show=False, priority=True, id="filter-done"),
        Binding(
            "o",
            "cycle_sort",
            "Order",
            show=False,
            tooltip="Order the sequences: newest, oldest, title A→Z, Z→A",
            id="sort-sequences",
        ),
        Binding("r", "reload", "Reload", tooltip="Reload the selected node from the server", id="reload"),
        Binding("e", "focus_form", "Edit", tooltip="Move into the variant form", id="focus-form"),
        Binding("escape", "focus_tree", "Tree", tooltip="Back to the tree (closes the filter)", id="focus-tree"),
        Binding("ctrl+b", "toggle_tree", "Tree on/off", tooltip="Show or hide the tree pane", id="toggle-tree"),
        Binding("u", "discard_edits", "Undo edits", tooltip="Drop this variant's unsaved edits", id="discard-edits"),
        # Drafts, history and retries (tui.screens.safe_save).
        Binding("D", "drafts", "Drafts", show=False, tooltip="Unsaved drafts: open or discard", id="drafts"),
        Binding("H", "history", "History", show=False, tooltip="The variant's saves; restore one", id="history"),
        Binding(
            "ctrl+r", "retry_save", "Retry save", show=False, tooltip="Retry the last failed save", id="retry-save"
        ),
        # Not escape (back to the tree, pressed all the time) nor ctrl+c/x (text fields copy and cut).
        Binding(
            "ctrl+l",
            "cancel_save",
            "Cancel save",
            show=False,
            tooltip="Stop the save in progress (shown above the key bar while one runs)",
            id="cancel-save",
        ),
        # Findings, preview and review mode (tui.screens.live_checks).
        Binding(
            "f",
            "show_findings",
            "Findings",
            show=False,
            tooltip="The variant's findings; enter jumps to one",
            id="show-findings",
        ),
        Binding(
            "v",
            "show_preview",
            "Preview",
            show=False,
            tooltip="The variant as the recipient reads it",
            id="show-preview",
        ),
        Binding(
            "f8",
            "next_finding",
            "Next finding",
            show=False,
            tooltip="Select the next finding's text in the form",
            id="next-finding",
        ),
        Binding(
            "shift+f8",
            "previous_finding",
            "Previous finding",
            show=False,
            tooltip="Select the previous finding's text in the form",
            id="previous-finding",
        ),
        # A/B testing (tui.screens.ab_testing).
        Binding("a", "add_variant", "Add variant", show=False, tooltip="A new variant of this step", id="add-variant"),
        Binding(
            "A",
            "duplicate_variant",
            "Duplicate",
            show=False,
            tooltip="A new variant copied from this one",
            id="duplicate-variant",
        ),
        Binding(
            "C",
            "compare_variants",
            "Compare",
            show=False,
            tooltip="This variant beside another of its step",
            id="compare-variants",
        ),
        Binding(
            "T",
            "send_test_email",
            "Test email",
            show=False,
            tooltip="Send yourself this Email variant as the Preview shows it",
            id="send-test-email",
        ),
        Binding(
            "R",
            "review_sequence",
            "Review",
            show=False,
            tooltip="Review mode: every variant of the sequence in order",
            id="review-sequence",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current_key: VariantKey | None = None
        self._right: TabbedContent | None = None
        self._form: VariantForm | None = None
        self._right_mounted = False
        self._rest_waiting = False  # ClientReady came before the right side: its loads wait
        self._right_ready = False  # the right side is mounted and the drafts are open
        self.tree_side = TreeSide(self)
        self._editing: EditingSide | None = None
        self._saving: SaveSide | None = None
        self._live_checks: LiveChecks | None = None
        self._ab_testing: AbTesting | None = None
        self._preset_breakpoint_class()

    @property
    def editing(self) -> EditingSide:
        """The form: opening, editing and leaving a variant (:mod:`tui.screens.editing`); made
        when first needed (its module brings the client and the API models, which the first
        frame goes without: benchmarks, network)."""
        if self._editing is None:
            from tui.screens.editing import EditingSide

            self._editing = EditingSide(self)
        return self._editing

    @property
    def saving(self) -> SaveSide:
        """The save flow, drafts and history (:mod:`tui.screens.safe_save`): made when first
        needed, which is after the first frame (its code is not on the start-up path)."""
        if self._saving is None:
            from tui.screens.safe_save import SaveSide

            self._saving = SaveSide(self)
        return self._saving

    @property
    def live_checks(self) -> LiveChecks:
        """The findings and preview panes, finding jumps, review mode (:mod:`tui.screens.live_checks`);
        made when first needed (a variant shown, the checks' data asked for)."""
        if self._live_checks is None:
            from tui.screens.live_checks import LiveChecks

            self._live_checks = LiveChecks(self)
        return self._live_checks

    @property
    def ab_testing(self) -> AbTesting:
        """New variants, comparison, test emails (:mod:`tui.screens.ab_testing`); made when first needed."""
        if self._ab_testing is None:
            from tui.screens.ab_testing import AbTesting

            self._ab_testing = AbTesting(self)
        return self._ab_testing

    def _preset_breakpoint_class(self) -> None:
        """Take on ``-narrow`` or ``-wide`` now, as the first Resize would.

        Textual adds the class when the first Resize arrives, after every widget has been
        styled, and a class change on the screen restyles all of them again (benchmarks:
        startup). The terminal's size is known already, so the first styling is the right one.
        """
        try:
            width = self.app.size.width
        except Exception:  # no running app (a screen built outside one): the Resize will do it
            return
        self._set_side_classes(width, update=False)
        for breakpoint, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True):
            if width >= breakpoint:
                self.add_class(name, update=False)
                return

    def _set_side_classes(self, width: int, *, update: bool = True) -> bool:
        """``-findings-beside`` and ``-preview-beside`` for a terminal ``width`` columns wide;
        True when either changed."""
        wanted = {"-findings-beside": width >= self.SIDE_FINDINGS_AT, "-preview-beside": width >= self.SIDE_PREVIEW_AT}
        if all(self.has_class(name) == wanted_on for name, wanted_on in wanted.items()):
            return False
        for name, wanted_on in wanted.items():
            if wanted_on:
                self.add_class(name, update=update)
            else:
                self.remove_class(name, update=update)
        return True

    def on_resize(self, event: Resize) -> None:
        if self._set_side_classes(event.size.width) and self._right_mounted:
            self.live_checks.sync_side()

    @property
    def seqapp(self) -> SeqEditApp:
        return seqedit_app(self)

    @property
    def workspace(self) -> Workspace:
        return self.seqapp.workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield ConnectionStatus(getattr(self.app, "connection_state", "connecting"), id="connection")
        yield DraftsStatus(id="drafts-status")
        with Horizontal(id="panes"):
            with Vertical(id="tree-pane"):
                yield Input(placeholder="filter by title or client", id="filter")
                tree = SequenceTree(self.workspace, id="tree")
                tree.steps_at_hand = self.tree_side.steps_at_hand
                tree.show_message("connecting…")
                yield tree
            # The tabs, form and panes cost about as much to mount and lay out as everything
            # else here: the first frame goes without them (see mount_right_side).
            yield Vertical(id="right-pending")
        yield SaveStatus(id="save-status")
        yield KeyFooter()

    def _build_right_side(self) -> TabbedContent:
        from tui.widgets.findings_line import FindingsLine
        from tui.widgets.findings_panel import FindingsPanel
        from tui.widgets.preview_pane import PreviewPane
        from tui.widgets.variant_form import VariantForm

        right = TabbedContent(id="right")
        self._form = VariantForm(id="form", on_field_changed=self.editing.field_changed)
        main = Vertical(self._form, FindingsLine(id="findings-line"), id="edit-main")
        # Not live: the Findings tab's panel is the one the app's checks follow (see FindingsPanel).
        side = Vertical(FindingsPanel(live=False, id="side-findings"), PreviewPane(id="side-preview"), id="side")
        right.compose_add_child(TabPane("Edit", Horizontal(main, side, id="edit-panes"), id="tab-edit"))
        right.compose_add_child(TabPane("Findings", FindingsPanel(id="findings"), id="tab-findings"))
        right.compose_add_child(TabPane("Preview", PreviewPane(id="preview"), id="tab-preview"))
        return right

    def on_mount(self) -> None:
        self.query_one(SequenceTree).focus()
        self.tree_side.show_cached_listing()
        self.update_title()
        self.set_timer(RIGHT_SIDE_AT_LATEST, self.mount_right_side)

    @property
    def tree(self) -> SequenceTree:  # type: ignore[override]  # DOMNode.tree is a debugging aid we never use
        return self.query_one(SequenceTree)

    @property
    def form(self) -> VariantForm:
        # The form exists from the start, so that callers need not care whether it is mounted
        # yet; an unmounted form has no fields, as an empty one.
        if self._form is None:
            self._right = self._build_right_side()
        return self._form  # type: ignore[return-value]

    async def mount_right_side(self) -> None:
        """Mount the tabs (form, findings, preview) where the placeholder stands, once.

        Called after the first frame with sequences (or a failure to get them), at the latest
        RIGHT_SIDE_AT_LATEST after mounting, and by anything that needs the tabs before then.
        The loads that only the right side needs (assignees, fields, samples) start here too,
        so they do not hold up the first page.
        """
        if self._right_mounted:
            return
        panes = self.query_one("#panes")
        if not panes.is_attached:  # the app is closing (quit at the first frame)
            return
        self._right_mounted = True
        if self._right is None:
            self._right = self._build_right_side()
        right = self._right
        placeholder = self.query_one("#right-pending")
        with self.app.batch_update():
            await panes.mount(right, after=placeholder)
            await placeholder.remove()
        self.seqapp.open_drafts()  # before the rest: it loads the steps of restored drafts
        # Only now: a ClientReady that came while the tabs were mounting (a cached start builds
        # the client after its first frame) found no drafts open, and the restored drafts'
        # sequences were never loaded.
        self._right_ready = True
        if self._rest_waiting:
            self._rest_waiting = False
            self._load_the_rest()
        self.seqapp.startup_finished()

    # The parts' actions work from the first instant: a key pressed before the right side is
    # mounted waits for it rather than being lost.

    @property
    def right_side_up(self) -> bool:
        return self._right_mounted

    async def _tabs_up(self) -> bool:
        """Mount the right side if it is not up yet; False when the app is closing."""
        await self.mount_right_side()
        return self._right_mounted

    async def action_show_findings(self) -> None:
        if await self._tabs_up():
            self.live_checks.action_show_findings()

    async def action_show_preview(self) -> None:
        if await self._tabs_up():
            self.live_checks.action_show_preview()

    async def action_next_finding(self) -> None:
        if await self._tabs_up():
            self.live_checks.action_next_finding()

    async def action_previous_finding(self) -> None:
        if await self._tabs_up():
            self.live_checks.action_previous_finding()

    async def action_review_sequence(self) -> None:
        if await self._tabs_up():
            self.live_checks.action_review_sequence()

    async def action_drafts(self) -> None:
        if await self._tabs_up():
            self.saving.action_drafts()

    async def action_history(self) -> None:
        if await self._tabs_up():
            self.saving.action_history()

    async def action_retry_save(self) -> None:
        if await self._tabs_up():
            self.saving.action_retry_save()

    async def action_cancel_save(self) -> None:
        if await self._tabs_up():
            self.saving.action_cancel_save()

    async def on_save_finished(self, message: SaveFinished) -> None:
        await self.saving.finished(message)

    async def action_add_variant(self) -> None:
        if await self._tabs_up():
            self.ab_testing.action_add_variant()

    async def action_duplicate_variant(self) -> None:
        if await self._tabs_up():
            self.ab_testing.action_duplicate_variant()

    async def action_compare_variants(self) -> None:
        if await self._tabs_up():
            self.ab_testing.action_compare_variants()

    async def action_send_test_email(self) -> None:
        if await self._tabs_up():
            self.ab_testing.action_send_test_email()

    # The findings panes' messages (named for the message, not @on: their classes load with the tabs).

    def on_findings_updated(self, message: m.FindingsUpdated) -> None:
        self.live_checks.findings_updated(message)

    def on_checks_data_loaded(self, message: m.ChecksDataLoaded) -> None:
        message.stop()
        self.live_checks.checks_data_loaded()

    def on_findings_panel_jump_requested(self, message: FindingsPanel.JumpRequested) -> None:
        message.stop()
        self.live_checks.jump_requested(message)

    def where_in_form(self, key: VariantKey) -> tuple[str | None, tuple[int, int] | None]:
        """Where in the form the cursor is, for the drafts journal (nowhere before the form)."""
        if not self._right_mounted:
            return None, None
        return self.saving.where_in_form(key)

    def start_done_soon(self) -> None:
        """The first sequences (or the reason there are none) are about to be drawn: the right
        side follows right after that frame."""
        if not self._right_mounted:
            self.seqapp.after_next_frame(self.mount_right_side)

    def update_title(self) -> None:
        """Sub-title: the account, the unsaved count, read-only."""
        app = self.seqapp
        # The states first: the header crops its end, and at 80 columns after an account named by
        # its URL it cut "read-only" to "read-o" and "* 1 unsaved" to "*".
        parts = ["read-only"] if app.read_only else []
        dirty = set(self.workspace.dirty_keys())
        if app.drafts is not None:  # restored drafts whose sequence has not loaded (a refused key) too
            dirty.update(app.drafts.waiting())
        if dirty:
            parts.append(f"* {len(dirty)} unsaved")
        parts.append(app.account_label)
        cached = app.listing_refresh.marker()
        if cached:
            parts.append(cached)
        app.sub_title = " · ".join(parts)

    def key_hint(self, binding_id: str, fallback: str) -> str:
        """The key of the screen's binding ``binding_id`` as the footer shows it (after any keymap)."""
        for _key, active in self.active_bindings.items():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        # Before the screen has focus its bindings are not active yet: read them directly.
        bindings = self._bindings.copy()
        if self.app._keymap:
            bindings.apply_keymap(self.app._keymap)
        for items in bindings.key_to_bindings.values():
            for binding in items:
                if binding.id == binding_id:
                    return self.app.get_key_display(binding)
        return fallback

    # -- loading ------------------------------------------------------------------------------

    def start_listing(self) -> None:
        """Start the unfiltered listing before :class:`m.ClientReady` is handled.

        The app calls this as soon as it has a client, which may be before this screen has
        finished mounting: the first page then arrives in time for the first frame (benchmarks:
        startup). The handler of ClientReady, queued first, does not start it again.
        """
        self.tree_side.start_listing()

    @on(m.ClientReady)
    def _client_ready(self) -> None:
        self.tree_side.client_ready()
        if self._right_ready:
            self._load_the_rest()
        else:
            self._rest_waiting = True  # after the first page: they would compete with it

    def _load_the_rest(self) -> None:
        self.editing.load_assignees()
        self.saving.load_draft_sequences()
        self.live_checks.start_checks_data()

    @on(m.ClientFailed)
    def _client_failed(self, message: m.ClientFailed) -> None:
        self.tree_side.client_failed(message)

    def action_cycle_sort(self) -> None:
        self.tree_side.cycle_sort()

    @on(m.SequencesPageLoaded)
    def _sequences_page(self, message: m.SequencesPageLoaded) -> None:
        self.tree_side.sequences_page(message)

    @on(m.SequencesFailed)
    def _sequences_failed(self, message: m.SequencesFailed) -> None:
        self.tree_side.sequences_failed(message)

    @on(SequenceTree.StepsWanted)
    def _steps_wanted(self, message: SequenceTree.StepsWanted) -> None:
        self.tree_side.load_steps(message.sequence_id, prefetched=True)

    @on(Tree.NodeHighlighted)
    def _cursor_moved(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        self.tree_side.cursor_moved(event.node)

    @on(m.StepsLoaded)
    async def _steps_loaded(self, message: m.StepsLoaded) -> None:
        await self.mount_right_side()
        self.show_steps(message)

    def show_steps(self, message: m.StepsLoaded) -> None:
        """A sequence's steps into the workspace and the tree (the right side is up)."""
        self.tree_side.steps_loaded(message)
        self.editing.show_current_soon(message.sequence_id)
        self.saving.drafts_after_steps(message.sequence_id)

    @on(m.StepsFailed)
    def _steps_failed(self, message: m.StepsFailed) -> None:
        self.tree_side.steps_failed(message)

    @on(m.VariantsLoaded)
    def _variants_loaded(self, message: m.VariantsLoaded) -> None:
        self.tree_side.variants_loaded(message)
        self.editing.show_current_soon(message.sequence_id, message.step_id)

    @on(m.VariantsFailed)
    def _variants_failed(self, message: m.VariantsFailed) -> None:
        self.tree_side.variants_failed(message)

    @on(m.AssigneesLoaded)
    def _assignees_loaded(self, message: m.AssigneesLoaded) -> None:
        self.editing.assignees_loaded(message)

    # -- opening a variant ---------------------------------------------------------------------

    @on(Tree.NodeSelected)
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        ref: NodeRef | None = event.node.data
        if ref is None or ref.key is None:
            return
        # Enter opens the variant beside the tree and leaves the keys to the tree: moving the
        # focus into Subject at once made the next j or k typed text (issue 13). Enter on the
        # variant already open (or e) moves into the form.
        self.editing.open_variant(ref.key, focus=ref.key == self.current_key)

    def keep_focus_on_screen(self, field_id: str | None = None) -> None:
        """After the form is rebuilt: focus the new widget of ``field_id`` (the field the person
        was in), and in any case leave focus on a widget that is on screen.

        Set at once (``Screen.set_focus``), never through ``Widget.focus``, which is deferred: a
        second rebuild landing in between (a save that moved the Day re-reads the steps) removed
        the widget it was about to focus, focus then stayed on a widget no longer on screen and
        no key reached anything, not even ctrl+q (issue 13).
        """
        target: Widget | None = None
        if field_id:
            target = next(iter(self.form.query(f"#{field_id}")), None)
        if target is None:
            focused = self.focused
            if focused is not None and focused.is_attached and focused.screen is self:
                return
            target = self._first_field() or self.tree
        if target is self.tree:
            self.remove_class("-tree-hidden")
        self.set_focus(target, scroll_visible=target is not self.tree and field_id is not None)

    def _first_field(self) -> Widget | None:
        """The form's first focusable field (None while it shows no variant)."""
        for widget in self.form.query("*"):
            if widget.focusable:
                return widget
        return None

    # -- edits -----------------------------------------------------------------------------------

    async def action_toggle_status(self) -> None:
        await self.editing.toggle_status()

    async def action_cycle_priority(self) -> None:
        await self.editing.cycle_priority()

    def action_discard_edits(self) -> None:
        self.editing.discard_edits()

    def action_save_variant(self) -> None:
        self.saving.review_and_save()

    # Handlers named for their message (not @on): the form's classes load with the tabs.

    def on_attachment_list_remove_requested(self, message: AttachmentList.RemoveRequested) -> None:
        self.editing.remove_attachment(message)

    def on_variant_form_upload_requested(self, message: VariantForm.UploadRequested) -> None:
        self.editing.upload_requested(message)

    @on(m.AttachmentUploaded)
    def _uploaded(self, message: m.AttachmentUploaded) -> None:
        self.editing.uploaded(message)

    @on(m.AttachmentFailed)
    def _upload_failed(self, message: m.AttachmentFailed) -> None:
        self.notify(message.text, title="Upload failed", severity="error", markup=False)

    # -- filter, reload, focus -------------------------------------------------------------------

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.remove_class("-tree-hidden")
        # At once, not deferred as focus() is: the keys typed right behind the slash go into the
        # filter, not to the tree (where h, l and r would collapse, open and reload).
        self.set_focus(self.query_one("#filter", Input))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.tree_side.filter_changed(event.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_done":  # enter is the filter's only while it has the focus
            # The screen's focus, set at once; the field's has_focus follows a message later.
            return self.focused is self.query_one("#filter", Input)
        return True

    def action_filter_done(self) -> None:
        self.set_focus(self.tree)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.set_focus(self.tree)

    def _close_filter(self) -> None:
        field = self.query_one("#filter", Input)
        self.remove_class("-filtering")
        if field.value:
            field.value = ""  # its Changed event shows every sequence again

    def action_reload(self) -> None:
        self.tree_side.reload()

    def action_focus_form(self) -> None:
        widget = self._first_field()
        if widget is None:
            self.notify("Choose a variant first.", markup=False)
            return
        # At once, not deferred (see keep_focus_on_screen). The first field sits just under the
        # heading: keep the heading in view.
        self.set_focus(widget, scroll_visible=False)
        self.form.scroll_home(animate=False)

    def action_focus_tree(self) -> None:
        # From the filter, or from the tree the filter's enter moved to: either way esc ends it.
        if self.query_one("#filter", Input).has_focus or (self.tree.has_focus and self.has_class("-filtering")):
            self._close_filter()
        self.remove_class("-tree-hidden")
        self.set_focus(self.tree)  # at once: keys right behind esc are the tree's, not the field's

    def action_toggle_tree(self) -> None:
        # At narrow widths the pane also hides while the form has focus; ctrl+b must still bring
        # it back, and only focus on the tree can show it there.
        narrow_hidden = self.has_class("-narrow") and self.has_class("-form-focus")
        if narrow_hidden and not self.has_class("-tree-hidden"):
            self.set_focus(self.tree)
            return
        hidden = not self.has_class("-tree-hidden")
        self.set_class(hidden, "-tree-hidden")
        if hidden and self.tree.has_focus:
            # Focus must leave the hidden tree, but not for a field, where the next key would
            # type (issue 13): the tabs take it; e or tab goes on into the form.
            from textual.widgets import Tabs

            tabs = next(iter(self.query(Tabs)), None)
            if tabs is not None:
                self.set_focus(tabs)
            else:
                self.action_focus_form()
        elif not hidden and narrow_hidden:
            self.set_focus(self.tree)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        widget = event.widget
        in_form = self._right is not None and any(ancestor is self._right for ancestor in widget.ancestors)
        self.set_class(in_form, "-form-focus")
        # A dropdown's list has the focus while it is open (Textual's SelectOverlay, an
        # OptionList inside a Select): the key bar hides meanwhile (see DEFAULT_CSS).
        from textual.widgets import OptionList, Select

        self.set_class(isinstance(widget, OptionList) and isinstance(widget.parent, Select), "-choosing")

    # -- what other screens ask (messages sent through SeqEditApp.tell_main_screen) -------------

    @on(m.GoTo)
    def _go_to(self, message: m.GoTo) -> None:
        self.tree_side.jump_to(message.target)

    @on(m.RevealSequence)
    def _reveal_sequence(self, message: m.RevealSequence) -> None:
        self.tree_side.reveal_sequence(message.sequence)

    @on(m.EditRequested)
    def _edit_requested(self, message: m.EditRequested) -> None:
        self.editing.edit_variant(message.key)

    @on(m.SaveRequested)
    def _save_requested(self, message: m.SaveRequested) -> None:
        self.editing.after_edit(message.key)
        self.saving.start_save(message.key)
