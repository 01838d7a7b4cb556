"""The main screen's safety net: the save flow, conflicts, retries, drafts and history.

A part of :class:`tui.screens.main_screen.MainScreen` (:mod:`tui.screens.main_part`): the
screen module keeps the layout and the keys, and this one keeps what protects the edits. The
logic lives in pure modules (:mod:`tui.session.save_flow`, :mod:`tui.session.draft_keeper`); this
part runs them in the screen's workers and shows their results. The screen hands it
:class:`SaveFinished` (``on_save_finished``: a handler named for the message, so the screen
module need not import this one, which loads after the first frame).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

from textual.message import Message
from textual.widgets import Input, TextArea

from tui.api.models import EDITABLE_FIELDS, Variant, known_fields
from tui.drafts import Draft, DraftStoreError
from tui.screens.drafts_screen import draft_key
from tui.screens.main_part import MainScreenPart
from tui.session.new_variants import is_new
from tui.session.save_flow import SAVE_TIME_LIMIT, SaveOutcome, SaveProgress, SaveResult, SaveStep, save_variant
from tui.session.workspace import InvalidEdit, VariantKey, step_place
from tui.text.safe_text import one_line
from tui.widgets.save_status import SaveStatus

if TYPE_CHECKING:
    from tui.api.client import SaleshandyClient
    from tui.drafts import Version
    from tui.screens.main_screen import MainScreen
    from tui.session.draft_keeper import DraftKeeper


def _now() -> float:
    import time

    return time.monotonic()


class SaveFinished(Message):
    """A save worker ended; ``base`` and ``mine`` are what it compared and sent."""

    def __init__(self, outcome: SaveOutcome, base: Variant, mine: Variant) -> None:
        super().__init__()
        self.outcome = outcome
        self.base = base
        self.mine = mine


class SaveSide(MainScreenPart):
    """Save, conflict, retry, drafts and history: the main screen's safety net (see the module docstring)."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        self._retry_key: VariantKey | None = None
        self._open_when_loaded: VariantKey | None = None
        self._saving: frozenset[VariantKey] = frozenset()  # saves in flight; never two of one variant
        # Per save in flight: its cancel signal and its latest progress, in the order they started.
        self._save_cancels: dict[VariantKey, asyncio.Event] = {}
        self._save_progress: dict[VariantKey, SaveProgress] = {}

    @property
    def keeper(self) -> DraftKeeper | None:
        """The app's :class:`tui.session.draft_keeper.DraftKeeper` (None when the drafts file failed)."""
        return self.app.drafts

    # -- saving -----------------------------------------------------------------------------------

    def review_and_save(self) -> None:
        """ctrl+s: the review of what would be sent for the open variant (else the one under the
        tree cursor); confirmed, the save starts. A new variant's review is its POST's."""
        key = self.screen.editing.target_key() if self.current_key is None else self.current_key
        if key is None:
            self.notify("Choose a variant first.", markup=False)
            return
        if is_new(key):  # a POST, not a PATCH (tui.screens.ab_testing)
            self.screen.ab_testing.review_new_variant(key)
            return
        try:
            update = self.workspace.update_for(key)
        except InvalidEdit as exc:
            self.notify(f"Cannot save: {exc}", severity="error", markup=False)
            return
        if update.empty:
            self.notify("Nothing to save: this variant is unchanged.", markup=False)
            return
        from tui.screens.review_screen import ReviewScreen

        refusal = None
        if self.app.read_only:
            refusal = "seqedit was started with --read-only; saving is turned off."
            self.notify(refusal, severity="warning", markup=False)
        sequence = self.workspace.sequence(key.sequence_id)
        step = self.workspace.step(key.sequence_id, key.step_id)
        where = f" › {step_place(step)}" if step is not None else ""
        title = f"{sequence.title if sequence else key.sequence_id}{where} › variant {self.workspace.letter(key)}"
        screen = ReviewScreen(
            title=title,
            body=update.body(),
            before=self.workspace.server_copy(key),
            after=self.workspace.edited(key),
            findings=self.app.findings_for(key),
            refusal=refusal,
            notes=[note] if (note := self.workspace.day_move(key, update.body().get("absoluteDays"))) else [],
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                # No "Saving…" notice: the line above the key bar shows the save until its outcome's
                # one notice (at 80×24 stacked notices covered the form).
                self.start_save(key)

        self.app.push_screen(screen, answered)

    def start_save(self, key: VariantKey) -> None:
        """Run the save flow for ``key`` in a worker (one per variant at a time)."""
        client = self.app.client
        if client is None:
            self.notify("Not connected yet: your edits are kept as a draft.", severity="warning", markup=False)
            return
        if key in self._saving:
            self.notify("This variant is being saved already.", markup=False)
            return
        # Not exclusive, and never cancelled as a worker: stopping a save half-way would leave its
        # outcome unknown and unsaid. The cancel key asks the flow to stop; it says what that meant.
        self._saving = self._saving | {key}
        self._save_cancels[key] = asyncio.Event()
        limit = getattr(self.app, "save_time_limit", None) or SAVE_TIME_LIMIT
        self._save_progress[key] = SaveProgress(key, SaveStep.REREAD, 1, None, _now() + limit)
        self._show_save_status()
        self.run_worker(self._save(client, key, limit), group=f"save-{key.variant_id}")

    async def _save(self, client: SaleshandyClient, key: VariantKey, limit: float) -> None:
        cancels, progress = self._save_cancels, self._save_progress
        try:
            keeper = self.keeper
            base = keeper.base(key) if keeper is not None else self.workspace.server_copy(key)
            try:
                self.workspace.begin_save(key)
            except InvalidEdit as exc:
                self.notify(f"Cannot save: {exc}", severity="error", markup=False)
                return
            mine = self.workspace.edited(key).model_copy(deep=True)
            record = keeper.record if keeper is not None else None
            outcome = await save_variant(
                client,
                key,
                base=base,
                mine=mine,
                record=record,
                time_limit=limit,
                cancel=cancels.get(key),
                progress=self._save_progressed,
            )
        finally:
            self._saving = self._saving - {key}
            cancels.pop(key, None)
            progress.pop(key, None)
            self._show_save_status()
        self.screen.post_message(SaveFinished(outcome, base, mine))

    def _save_progressed(self, progress: SaveProgress) -> None:
        if progress.key in self._save_progress:
            self._save_progress[progress.key] = progress
            self._show_save_status()

    def _show_save_status(self) -> None:
        """The line above the key bar: the latest save in flight, or nothing."""
        shown = list(self._save_progress.values())
        for status in self.screen.query(SaveStatus):
            if not shown:
                status.show(None)
                continue
            progress = shown[-1]
            letter = self.workspace.letter(progress.key) if self.workspace.has(progress.key) else "?"
            status.show(
                progress,
                letter=letter,
                cancel_key=self.screen.key_hint("cancel-save", "ctrl+l"),
                others=len(shown) - 1,
            )

    def action_cancel_save(self) -> None:
        """Stop the save shown above the key bar (the latest one in flight)."""
        cancels = self._save_cancels
        if not cancels:
            self.notify("No save is in progress.", markup=False)
            return
        list(cancels.values())[-1].set()

    async def finished(self, message: SaveFinished) -> None:
        outcome, key = message.outcome, message.outcome.key
        if not self.workspace.has(key):
            return
        letter = self.workspace.letter(key)
        if outcome.ok and outcome.after is not None:
            self.workspace.apply_saved(key, outcome.after)
        where = self.workspace.where(key)  # the toast's title: "variant A" alone is ambiguous
        if outcome.ok and outcome.after is not None:
            if self.keeper is not None:
                self.keeper.saved(key, outcome.after)
            self._retry_key = None
            await self.screen.editing.redraw(key)
            if outcome.result is SaveResult.ALREADY:
                self.notify(
                    f"Variant {letter}: the server already has these edits; nothing was sent.",
                    title=where,
                    markup=False,
                )
            else:
                extra = f" {outcome.text}" if outcome.text else ""
                self.notify(f"Saved variant {letter}.{extra}", title=where, markup=False)
            copies = self.keeper.other_copies(key) if self.keeper is not None else 0
            if copies:
                # Else the other window's copy would come back as an unsaved draft at the next start.
                self.notify(
                    f"{copies} other draft(s) of variant {letter} (another window's) remain in D: "
                    "open one to compare, or discard it.",
                    title=where,
                    markup=False,
                    timeout=10,
                )
            return
        self.workspace.save_failed(key)
        if outcome.result is SaveResult.CONFLICT:
            self._show_conflict(key, message.base, outcome)
            return
        retry = ""
        if outcome.retryable:
            self._retry_key = key
            retry = f" Press {self.screen.key_hint('retry-save', 'ctrl+r')} to retry."
        if outcome.result is SaveResult.UNKNOWN:
            title = "Save not confirmed"
        else:
            title = "Save cancelled" if outcome.cancelled else "Save failed"
        title = f"{title}: {where} › variant {letter}"
        # A cancel the person chose is no error, unless it left the save's fate unknown.
        severity = "warning" if outcome.cancelled and outcome.result is not SaveResult.UNKNOWN else "error"
        self.notify(
            f"{outcome.text}\nYour edits are kept.{retry}", title=title, severity=severity, timeout=30, markup=False
        )

    def _show_conflict(self, key: VariantKey, base: Variant, outcome: SaveOutcome) -> None:
        from tui.screens.conflict_screen import ConflictScreen

        theirs = outcome.before
        assert theirs is not None

        async def chosen(choices: dict[str, Literal["mine", "theirs"]] | None) -> None:
            if choices is None:
                self.notify("Not sent. Your edits are kept.", markup=False)
                return
            from tui.drafts import merge

            if not self.workspace.has(key):
                return
            merged = merge(base, self.workspace.edited(key), theirs, choices, default="mine")
            self.workspace.rebase(key, theirs, merged)
            if self.keeper is not None:
                self.keeper.rebased(key, theirs)
            await self.screen.editing.redraw(key)
            self.start_save(key)

        unknown = {
            side: [name for name in EDITABLE_FIELDS if name not in known_fields(copy)]
            for side, copy in (("base", base), ("theirs", theirs))
        }
        self.app.push_screen(ConflictScreen(self.workspace.describe(key), outcome.conflicts, unknown), chosen)

    def action_retry_save(self) -> None:
        """Try the last failed save again (re-read first, as every save does)."""
        key = self._retry_key
        if key is None or not self.workspace.has(key):
            self.notify("No failed save to retry.", markup=False)
            return
        if not self.workspace.is_dirty(key):
            self.notify("Nothing to retry: the variant has no unsaved edits.", markup=False)
            return
        self.start_save(key)  # the line above the key bar shows it, then its outcome's one notice

    # -- drafts -----------------------------------------------------------------------------------

    def action_drafts(self) -> None:
        """List this account's drafts: enter opens one, d discards one."""
        keeper = self.keeper
        if keeper is None:
            self.notify(
                "Drafts are not available (the drafts file could not be opened).", severity="warning", markup=False
            )
            return
        from tui.screens.drafts_screen import DraftsScreen

        def chosen(draft: Draft | None) -> None:
            if draft is None:
                return
            if keeper.mine(draft):
                self.open_draft(draft_key(draft))
            else:
                self._choose_copy(keeper, draft)

        try:
            drafts = keeper.drafts()
        except DraftStoreError as exc:
            self.notify(f"Cannot read the drafts: {one_line(exc, 300)}", severity="error", markup=False)
            return
        screen = DraftsScreen(
            drafts,
            describe=self.workspace.describe,
            discard=self._discard_draft,
            mine=keeper.store.owner,
            others=keeper.others(),
        )
        self.app.push_screen(screen, chosen)

    def _choose_copy(self, keeper: DraftKeeper, draft: Draft) -> None:
        """Use another window's draft (or an older copy) of a variant; this window's copy is
        kept as a separate draft, so either can be chosen again later."""
        from tui.screens.confirm_screen import ConfirmScreen
        from tui.screens.drafts_screen import whose

        key = draft_key(draft)
        owner = whose(draft, keeper.store.owner, keeper.others())
        question = (
            f"Use this draft of {one_line(self.workspace.describe(key), 80)} ({one_line(owner, 100)})?\n\n"
            "The edits this window has for that variant, if any, are kept as a separate draft in D."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                keeper.choose(draft)
            except DraftStoreError as exc:
                self.notify(f"Could not use that draft: {one_line(exc, 300)}", severity="error", markup=False)
                return
            self.open_draft(key)
            if self.workspace.has(key):
                self.call_later(self.screen.editing.redraw, key)

        self.app.push_screen(ConfirmScreen(question, yes="Use this draft", no="Keep mine"), answered)

    def _discard_draft(self, draft: Draft) -> None:
        key = draft_key(draft)
        keeper = self.keeper
        if keeper is None:  # the list was made from a keeper: it is there
            return
        try:
            keeper.discard_copy(draft)
        except DraftStoreError as exc:
            self.notify(f"Could not discard it: {one_line(exc, 300)}", severity="error", markup=False)
            return
        if self.workspace.has(key):
            self.call_later(self.screen.editing.redraw, key)

    def note_opened(self, key: VariantKey, previous: VariantKey | None) -> None:
        """``key`` is now in the form: lease it, and warn when another window has it open too."""
        keeper = self.keeper
        if keeper is None:
            return
        windows = keeper.opened(key, previous)
        if windows:
            self.notify(
                f"{one_line(self.workspace.describe(key), 100)} is also open in {windows[0].describe()}. "
                "Each window keeps its own draft; D lists both to choose from.",
                title="Open in two windows",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def load_draft_sequences(self) -> None:
        """Load the steps of every sequence holding a restored draft, so the tree marks it at once."""
        keeper = self.keeper
        if keeper is None:
            return
        for sequence_id in dict.fromkeys(key.sequence_id for key in keeper.waiting()):
            if self.workspace.steps(sequence_id) is None:
                self.screen.tree_side.load_steps(sequence_id)

    def open_draft(self, key: VariantKey) -> None:
        """Show a draft's variant, loading its sequence's steps first when needed."""
        if self.workspace.has(key):
            self.call_later(self.reveal, key)
            return
        self._open_when_loaded = key
        self.notify("Loading the draft's sequence…", markup=False, timeout=3)
        self.screen.tree_side.load_steps(key.sequence_id)

    def drafts_after_steps(self, sequence_id: str) -> None:
        """Called once a sequence's steps are in: open the draft that was waiting for them."""
        self.screen.update_title()  # restored drafts now count as unsaved edits
        keeper = self.keeper
        if keeper is not None and not keeper.waiting():
            self.app.report_restored()  # every restored draft has met the server's copy
        key = self._open_when_loaded
        if key is None or key.sequence_id != sequence_id:
            return
        self._open_when_loaded = None
        if self.workspace.has(key):
            self.call_later(self.reveal, key)
        else:
            self.notify(
                "That draft's variant is no longer on the server; it stays in the drafts list.",
                severity="warning",
                markup=False,
            )

    async def reveal(self, key: VariantKey) -> None:
        """Move the tree to ``key``, open it in the form and put the cursor back where it was."""
        tree = self.tree
        node = tree.variant_node(key)
        if node is not None:
            tree.expand_above(node)
            self.call_after_refresh(tree.move_to, node)
        previous, self.current_key = self.current_key, key
        await self.screen.editing.show_current()
        self.note_opened(key, previous)
        if not self.restore_where(key):
            self.screen.action_focus_form()

    def restore_where(self, key: VariantKey) -> bool:
        """Focus the field a restored draft was last edited in, with its cursor; False if unknown."""
        keeper = self.keeper
        where = keeper.where(key) if keeper is not None else None
        if not where or not where[0]:
            return False
        focus, cursor = where
        for widget in self.form.query(f"#{focus}"):
            self.screen.set_focus(widget)
            if cursor is not None:
                line, column = cursor
                if isinstance(widget, TextArea):
                    last = widget.document.line_count - 1
                    line = max(0, min(line, last))
                    widget.cursor_location = (line, max(0, min(column, len(widget.document.get_line(line)))))
                elif isinstance(widget, Input):
                    widget.cursor_position = max(0, min(column, len(widget.value)))
            return True
        return False

    def where_in_form(self, key: VariantKey) -> tuple[str | None, tuple[int, int] | None]:
        """The focused form field of ``key`` and its cursor, for the draft journal."""
        if key != self.current_key:
            return None, None
        focused = self.app.focused
        if focused is None or focused.id is None or self.form not in focused.ancestors:
            return None, None
        if isinstance(focused, TextArea):
            row, column = focused.cursor_location
            return focused.id, (row, column)
        if isinstance(focused, Input):
            return focused.id, (0, focused.cursor_position)
        return focused.id, None

    # -- history -----------------------------------------------------------------------------------

    def action_history(self) -> None:
        """The saves of the variant under the cursor (or in the form), newest first."""
        key = self.screen.editing.target_key()
        if key is None:
            self.notify(self.screen.editing.row_refusal("lists a variant's saves"), markup=False)
            return
        keeper = self.keeper
        if keeper is None:
            self.notify(
                "History is not available (the drafts file could not be opened).", severity="warning", markup=False
            )
            return
        from tui.screens.history_screen import HistoryScreen

        def chosen(version: Version | None) -> None:
            if version is not None:
                self.call_later(self.restore_version, key, version)

        self.app.push_screen(HistoryScreen(self.workspace.describe(key), keeper.versions(key)), chosen)

    async def restore_version(self, key: VariantKey, version: Version) -> None:
        """Put the copy from before ``version``'s save into the form as an edit, then review it."""
        if not self.workspace.has(key):
            return
        edited = self.workspace.edited(key)
        # Only fields that copy knew: one the server never returned is not restored as empty.
        known = version.before.model_fields_set
        restored = edited.model_copy(
            update={name: getattr(version.before, name) for name in EDITABLE_FIELDS if name in known}, deep=True
        )
        self.workspace.set_edited(key, restored)
        self.current_key = key
        await self.screen.editing.redraw(key)
        if not self.workspace.is_dirty(key):
            self.notify("The server already holds that copy: nothing to restore.", markup=False)
            return
        self.notify("Restored the copy from before that save, as an edit: review it to send.", markup=False)
        self.review_and_save()
