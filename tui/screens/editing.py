"""The main screen's editing side: which variant is open, the form showing it, and edits to it.

A part of :class:`tui.screens.main_screen.MainScreen` (:mod:`tui.screens.main_part`). Opening a
variant (asking first when leaving one with unsaved edits), showing it in the form, turning each
form change and each variant key (``s``, ``p``, ``u``) into a workspace edit, attachments and
uploads, and the assignee list the form offers. Keys pressed in the tree act on the row under
the cursor (:meth:`EditingSide.target_key`), never on a variant elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.api.channels import Priority
from tui.api.errors import ApiError, AuthError, unreached  # unreached: not via tui.session.connect (httpx, start-up)
from tui.api.models import EDITABLE_FIELDS, known_fields, step_day
from tui.screens.main_part import MainScreenPart, error_text
from tui.session.new_variants import is_new
from tui.session.workspace import step_place
from tui.text.safe_text import one_line
from tui.widgets import messages as m

if TYPE_CHECKING:
    from tui.api.client import SaleshandyClient
    from tui.screens.main_screen import MainScreen
    from tui.session.workspace import VariantKey
    from tui.widgets.attachment_list import AttachmentList
    from tui.widgets.sequence_tree import NodeRef
    from tui.widgets.variant_form import VariantForm

READ_ONLY_UPLOAD = "seqedit was started with --read-only; uploading attachments is turned off."


# The variant's fields the form shows (a listing may add others: stepStatus, executionType).
_DRAWN_FIELDS = ("type", *EDITABLE_FIELDS, "attachments")


class EditingSide(MainScreenPart):
    """The open variant and its edits (see the module docstring)."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        # (variant, day) pairs whose step was re-read after a save moved it to that day.
        self._days_followed: set[tuple[VariantKey, int]] = set()
        # What the form was last drawn from (see _drawn_from): a re-read that changed none of it
        # leaves the form alone.
        self._drawn: tuple | None = None

    # -- which variant -----------------------------------------------------------------------------

    def target_key(self) -> VariantKey | None:
        """The variant under the tree cursor, else the one in the form.

        With the tree focused on a sequence or step row there is none: the variant open in the
        form may belong to another sequence, and a key pressed in the tree acts on the row it is
        on (issue 13: ``s`` on a sequence row paused a variant elsewhere). See :meth:`row_refusal`.
        """
        ref = self.tree_row()
        if ref is not None:
            return ref.key
        return self.current_key

    def tree_row(self) -> NodeRef | None:
        """The tree row keys act on: the cursor's, while the tree has focus."""
        tree = self.tree
        if tree.has_focus and tree.cursor_node is not None:
            return tree.cursor_node.data
        return None

    def row_refusal(self, what: str) -> str:
        """Why a variant key did nothing: said for the row the tree cursor is on.

        ``what`` is the key's effect on a variant ("sets a variant active or paused").
        """
        ref = self.tree_row()
        if ref is not None and ref.kind == "step" and ref.step_id is not None:
            step = self.workspace.step(ref.sequence_id, ref.step_id)
            count = len(self.workspace.variant_keys(ref.sequence_id, ref.step_id))
            place = step_place(step) if step is not None else "this step"
            which = "its variant" if count == 1 else f"one of its {count} variants"
            return f"This key {what}, not a step: move to {which} ({place}; l opens the step)."
        if ref is not None and ref.kind == "sequence":
            sequence = self.workspace.sequence(ref.sequence_id)
            title = one_line(sequence.title, 50) if sequence is not None else "this sequence"
            return f"This key {what}, not a sequence: open {title} (l) and move to a variant."
        return "Choose a variant first."

    # -- opening ------------------------------------------------------------------------------------

    def open_variant(self, key: VariantKey, *, focus: bool = False) -> None:
        """Show ``key`` in the form, asking first when leaving a variant with unsaved edits."""
        if key == self.current_key:
            if focus:
                self.screen.action_focus_form()
            return
        leaving = self.current_key
        if leaving is not None and leaving in self.workspace.dirty_keys():
            from tui.screens.confirm_screen import ConfirmScreen

            if_quit = "kept as drafts" if self.app.drafts_kept() else "lost"
            question = (
                f"Variant {self.workspace.letter(leaving)} has unsaved edits. They stay, marked * in "
                f"the tree, until you save them (if you quit, they are {if_quit}).\n\n"
                "Open the other variant?"
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self.call_later(self.open_now, key, focus)

            self.app.push_screen(ConfirmScreen(question, yes="Open it", no="Stay here"), answered)
            return
        self.call_later(self.open_now, key, focus)

    async def open_now(self, key: VariantKey, focus: bool) -> None:
        """Show ``key`` in the form without asking; the field a restored draft was in gets focus."""
        previous, self.current_key = self.current_key, key
        await self.show_current()
        saving = self.screen.saving
        saving.note_opened(key, previous)
        if saving.restore_where(key):
            return
        if focus:
            self.screen.action_focus_form()

    def edit_variant(self, key: VariantKey) -> None:
        """Open ``key`` on the Edit tab with the keys in its form (``e`` in review mode): it
        landed on whatever tab was last shown, the Preview say, with the keys in the tree
        (issue 13)."""
        from textual.widgets import TabbedContent

        # The tree's focus is deferred: with the variant open already it came after the form's.
        self.screen.tree_side.jump_to(key, focus_tree=False)
        for tabs in self.screen.query(TabbedContent):
            tabs.active = "tab-edit"
        self.open_variant(key, focus=True)

    async def show_current(self) -> None:
        """Show the open variant (or none) in the form and the panes beside it, as it is now."""
        screen = self.screen
        await screen.mount_right_side()
        # A change a field holds but has not reported yet would go with the old fields.
        self.form.report_pending()
        key = self.current_key
        self._drawn = self._drawn_from(key)
        if key is None or not self.workspace.has(key):
            await self.form.clear()
            screen.live_checks.show_live(None)
            screen.keep_focus_on_screen()
            return
        screen.live_checks.show_live(key)
        # Rebuilding the form must not throw the person out of the field they were in.
        focused = screen.focused
        refocus = focused.id if focused is not None and self.form in focused.ancestors else None
        await self.form.show(
            key,
            self.workspace.edited(key),
            step=self.workspace.step(key.sequence_id, key.step_id),
            letter=self.workspace.letter(key),
            assignees=self.app.assignees,
            read_only=self.app.read_only,
            where=sequence.title if (sequence := self.workspace.sequence(key.sequence_id)) else "",
        )
        screen.keep_focus_on_screen(refocus)

    def show_current_soon(self, sequence_id: str, step_id: str | None = None) -> None:
        """A sequence's steps (or one step's variants) were read again: show the open variant
        afresh if it is one of them."""
        key = self.current_key
        if not key or key.sequence_id != sequence_id or (step_id is not None and key.step_id != step_id):
            return
        # Mostly the server's copy came back as it was: then redrawing would only close a
        # drop-down under the person's hands and move the cursor of the field typed in.
        if self._drawn is None or self._drawn != self._drawn_from(key):
            self.call_later(self.show_current)

    def _drawn_from(self, key: VariantKey | None) -> tuple | None:
        """What a re-read can change of what the form shows for ``key``: the server's copy (the
        edited copy follows it while there are no edits), the step's day and name, the variant's
        letter, the sequence's title. None when there is nothing to show."""
        if key is None or not self.workspace.has(key):
            return None
        server = self.workspace.server_copy(key)
        step = self.workspace.step(key.sequence_id, key.step_id)
        sequence = self.workspace.sequence(key.sequence_id)
        return (
            key,
            [getattr(server, name) for name in _DRAWN_FIELDS],  # not what the form never shows
            known_fields(server).intersection(_DRAWN_FIELDS),
            self.workspace.letter(key),
            step_day(step),
            step.name if step is not None else None,
            sequence.title if sequence is not None else None,
        )

    # -- edits --------------------------------------------------------------------------------------

    def field_changed(self, message: VariantForm.FieldChanged) -> None:
        """A field of the form changed (the form calls this at once, not through the queue)."""
        key = message.key
        if not self.workspace.has(key):
            return
        edited = self.workspace.edited(key)
        value = message.value
        if message.scope == "payload":
            current = edited.payload.get(message.name)
            if (current or "") == (value or "") and (current is None or isinstance(current, str)):
                return
            self.workspace.edit_payload(key, message.name, value)
        else:
            current = getattr(edited, message.name)
            if message.name == "absoluteDays" and value == self.workspace.day_of(key):
                return
            if message.name == "taskNote" and (current or "") == (value or ""):
                return
            if current == value:
                return
            self.workspace.edit(key, **{message.name: value})
        self.after_edit(key)

    def after_edit(self, key: VariantKey) -> None:
        """Redraw what shows the edited state: tree marks and the sub-title."""
        self.tree.refresh_labels(key.sequence_id)
        self.screen.update_title()
        self._follow_saved_day(key)

    def _follow_saved_day(self, key: VariantKey) -> None:
        """After a save moved a step to another day, re-read the steps (labels and order follow)."""
        if not self.workspace.has(key):
            return
        step = self.workspace.step(key.sequence_id, key.step_id)
        day = self.workspace.server_copy(key).absoluteDays
        if step is not None and day is not None and day != step.absoluteDays and (key, day) not in self._days_followed:
            self._days_followed.add((key, day))
            self.screen.tree_side.load_steps(key.sequence_id)

    async def redraw(self, key: VariantKey) -> None:
        """``key`` was changed from outside the form (a key, a save, a draft): redraw what shows it."""
        self.after_edit(key)
        if key == self.current_key:
            await self.show_current()

    async def toggle_status(self) -> None:
        key = self.target_key()
        if key is None or not self.workspace.has(key):
            self.notify(self.row_refusal("sets a variant active or paused"), markup=False)
            return
        variant = self.workspace.toggle_status(key)
        await self.redraw(key)
        # Titled with its sequence › step: "variant A" alone could be any sequence's.
        self.notify(
            f"Variant {self.workspace.letter(key)}: {'active' if variant.active else 'paused'} (unsaved)",
            title=self.workspace.where(key),
            markup=False,
        )

    async def cycle_priority(self) -> None:
        key = self.target_key()
        if key is None or not self.workspace.has(key):
            self.notify(self.row_refusal("changes a task variant's priority"), markup=False)
            return
        channel = self.workspace.channel(key)
        if not channel.info.generates_task:
            self.notify(f"{channel.label} variants have no priority.", title=self.workspace.where(key), markup=False)
            return
        priority = self.workspace.cycle_priority(key).priority
        await self.redraw(key)
        shown = priority.value if isinstance(priority, Priority) else priority  # always one of the cycle's
        self.notify(
            f"Variant {self.workspace.letter(key)}: priority {shown} (unsaved)",
            title=self.workspace.where(key),
            markup=False,
        )

    def discard_edits(self) -> None:
        """Drop the variant's unsaved edits, after asking: nothing brings them back."""
        key = self.target_key()
        if key is None:
            self.notify(self.row_refusal("undoes a variant's unsaved edits"), markup=False)
            return
        if not self.workspace.is_dirty(key):
            self.notify("No edits to undo.", markup=False)
            return
        from tui.screens.confirm_screen import ConfirmScreen

        fields = ", ".join(self.workspace.changed_fields(key)) or "its fields"
        question = (
            f"Undo the unsaved edits of {one_line(self.workspace.where(key), 80)} › variant "
            f"{self.workspace.letter(key)} ({one_line(fields, 120)})?\n\n"
            "They go back to the server's copy, and the draft is dropped. This cannot be undone."
        )
        yes, no = "Undo the edits", "Keep them"
        if is_new(key):  # it has no server copy to go back to
            question = (
                f"Throw away the new variant {self.workspace.letter(key)} of "
                f"{one_line(self.workspace.where(key), 80)}?\n\n"
                "It was never saved: its content and its draft go. This cannot be undone."
            )
            yes, no = "Throw it away", "Keep it"

        async def answered(yes: bool | None) -> None:
            if yes and self.workspace.has(key) and self.workspace.is_dirty(key):
                letter = self.workspace.letter(key)
                self.workspace.discard(key)  # a new variant goes altogether
                if is_new(key):
                    self.tree.show_step_variants(key.sequence_id, key.step_id)
                await self.redraw(key)
                self.notify(f"Variant {letter}: {'thrown away' if is_new(key) else 'edits undone'}.", markup=False)

        self.app.push_screen(ConfirmScreen(question, yes=yes, no=no), answered)

    # -- assignees and attachments -------------------------------------------------------------------

    def load_assignees(self) -> None:
        """Who tasks can be assigned to, in a worker; a failure leaves the default (sequence owner)."""
        client = self.app.client
        if client is not None:
            self.run_worker(self._load_assignees(client), group="assignees", exclusive=True)

    async def _load_assignees(self, client: SaleshandyClient) -> None:
        try:
            teams = await client.list_assignees()
        except ApiError as exc:
            if unreached(exc):  # the server is down or refused the key: again once it answers
                self.app.read_again_when_online(self.load_assignees)
            if isinstance(exc, AuthError) and not self.workspace.sequences:
                # The key was refused for everything: the sequence list has said so, in the tree
                # and a notification; a second one only stacked the same words (issue 13).
                return
            self.notify(f"Assignee list: {error_text(exc)}", severity="warning", markup=False)
            return
        self.screen.post_message(m.AssigneesLoaded(teams))

    def assignees_loaded(self, message: m.AssigneesLoaded) -> None:
        self.app.assignees = list(message.teams)
        if self.current_key and self.workspace.has(self.current_key):
            self.form.set_assignees(self.workspace.edited(self.current_key), self.app.assignees)

    def remove_attachment(self, message: AttachmentList.RemoveRequested) -> None:
        key = self.form.key
        if key is None:
            return
        edited = self.workspace.edited(key)
        variant = self.workspace.edit(
            key, attachmentIds=[i for i in edited.attachmentIds if i != message.attachment_id]
        )
        self.form.set_attachments(variant)
        self.after_edit(key)

    def upload_requested(self, message: VariantForm.UploadRequested) -> None:
        if self.app.read_only:  # an upload writes to the account as surely as a save does
            self.screen.post_message(m.AttachmentFailed(message.key, READ_ONLY_UPLOAD))
            return
        self.notify(f"Uploading {one_line(Path(message.path).name, 60)}…", markup=False)
        self.run_worker(self._upload(message.key, message.path), group="upload")

    async def _upload(self, key: VariantKey, path: str) -> None:
        """Upload a local file; its attachment id is added to the variant when it arrives."""
        from tui.widgets.variant_form import upload_problem

        post = self.screen.post_message
        # Both checked before too; this is the last step before the request (the file may go meanwhile).
        problem = READ_ONLY_UPLOAD if self.app.read_only else upload_problem(path)
        client = self.app.client
        if not problem and client is None:  # it was a crash (None has no upload_attachment)
            problem = "Not connected yet: try the upload again once the sequences have loaded."
        if problem or client is None:
            post(m.AttachmentFailed(key, problem or ""))
            return
        try:
            attachment = await client.upload_attachment(Path(path).expanduser())
        except (ApiError, OSError) as exc:
            post(m.AttachmentFailed(key, error_text(exc)))
            return
        self.form.upload_done(key, path)
        post(m.AttachmentUploaded(key, attachment))

    def uploaded(self, message: m.AttachmentUploaded) -> None:
        key, attachment = message.key, message.attachment
        if not self.workspace.has(key):
            return
        edited = self.workspace.edited(key)
        variant = self.workspace.edit(
            key,
            attachmentIds=[*edited.attachmentIds, attachment.id],
            attachments=[*edited.attachments, attachment],
        )
        if key == self.form.key:
            self.form.set_attachments(variant)
        self.after_edit(key)
        self.notify(f"Attached {one_line(attachment.name or attachment.id, 60)} (unsaved)", markup=False)
