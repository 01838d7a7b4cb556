"""A/B testing on the main screen: add, duplicate and save new variants (issue 15).

The decisions live in :mod:`tui.session.new_variants` (what a new variant holds, the POST body,
the room a step has); this part of the main screen (:mod:`tui.screens.main_part`) only turns
keys into those calls and shows what came of them.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from tui.api.channels import Status
from tui.screens.main_part import MainScreenPart
from tui.session.new_variants import (
    AddOutcome,
    active_to_pause,
    add_body,
    add_new_variant,
    as_posted,
    blank_variant,
    duplicate_variant,
    fresh_variant,
    left_out_of_copy,
    new_key,
    step_slots,
)
from tui.session.workspace import VariantKey, step_place
from tui.text.safe_text import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.api.client import SaleshandyClient


class AbTesting(MainScreenPart):
    """Add a variant, duplicate one, and save a new one through the review (a POST)."""

    def _target_step(self) -> tuple[str, str] | None:
        """The step keys act on: the tree row's (a step or one of its variants), else the open variant's."""
        ref = self.screen.editing.tree_row()
        if ref is not None and ref.step_id is not None and ref.kind in ("step", "variant"):
            return ref.sequence_id, ref.step_id
        if ref is None and self.current_key is not None:
            return self.current_key.sequence_id, self.current_key.step_id
        return None

    def action_add_variant(self) -> None:
        """A new, empty variant of the step's channel, open in the form."""
        place = self._target_step()
        if place is None:
            self.notify("Move to a step or one of its variants first (a adds a variant to it).", markup=False)
            return
        self._open_new(place, None)

    def action_duplicate_variant(self) -> None:
        """A new variant starting from the current variant's content (unsaved edits included)."""
        source = self.screen.editing.target_key()
        if source is None or not self.workspace.has(source):
            self.notify("Move to a variant first: duplicate copies it into a new one.", markup=False)
            return
        self._open_new((source.sequence_id, source.step_id), source)

    def _open_new(self, place: tuple[str, str], source: VariantKey | None) -> None:
        sequence_id, step_id = place
        step = self.workspace.step(sequence_id, step_id)
        if step is None:
            self.notify("That step is not loaded yet: open it first.", markup=False)
            return
        slots = step_slots(self.workspace, sequence_id, step_id)
        if slots.refusal:
            self.notify(f"Cannot add a variant: {slots.refusal}.", severity="error", markup=False)
            return
        key = new_key(sequence_id, step_id)
        status = Status.PAUSED if slots.active_refusal else Status.ACTIVE
        if source is None:
            variant = fresh_variant(key.variant_id, step.type, status=status)
        else:
            variant = duplicate_variant(self.workspace.edited(source), key.variant_id, status=status)
        self.workspace.add_new(key, blank_variant(key.variant_id, step.type), variant)
        self.tree.show_step_variants(sequence_id, step_id)
        node = self.tree.variant_node(key)
        if node is not None:
            # esc from the form comes back to the new variant's row, shown (a on a collapsed step
            # left it hidden): u, s and C there act on it, not on the row a was pressed on (seen
            # at 80x24: u said "No edits to undo." of A).
            self.tree.expand_above(node)
            self.call_after_refresh(self.tree.move_to, node)
        letter = self.workspace.letter(key)
        made = f"copy of {self.workspace.letter(source)}" if source is not None else "new variant"
        if status == Status.PAUSED:
            self.notify(
                f"Variant {letter} ({made}) is paused: a {step.type.label} step holds one active variant "
                "and another is active. Save it paused, or pause the other one first.",
                severity="warning",
                markup=False,
                timeout=10,
            )
        else:
            self.notify(
                f"Variant {letter} ({made}): not on the server until you save it (ctrl+s); u in the tree "
                "throws it away.",
                markup=False,
            )
        if source is not None and (left_out := left_out_of_copy(self.workspace.edited(source))):
            self.notify(
                f"Not copied from {self.workspace.letter(source)}: {one_line('; '.join(left_out), 160)}.",
                markup=False,
            )
        self.screen.editing.open_variant(key, focus=True)

    # -- compare -------------------------------------------------------------------------------

    def action_compare_variants(self) -> None:
        """This variant against the next one of its step (n in the comparison picks another)."""
        from tui.screens.compare_screen import CompareScreen
        from tui.session.compare import side

        key = self.screen.editing.target_key()
        if key is None or not self.workspace.has(key):
            self.notify("Move to a variant first: compare shows it beside another of its step.", markup=False)
            return
        keys = [k for k in self.workspace.variant_keys(key.sequence_id, key.step_id) if self.workspace.has(k)]
        if len(keys) < 2:
            self.notify("This step has one variant: add one (a) or duplicate this one (A) to compare.", markup=False)
            return
        start = keys.index(key)
        others = keys[start + 1 :] + keys[:start]

        def side_of(other: VariantKey) -> Callable[[], Any]:
            return lambda: side(
                self.workspace.letter(other), self.workspace.edited(other), self.app.findings_for(other)
            )

        left = side(self.workspace.letter(key), self.workspace.edited(key), self.app.findings_for(key))
        self.app.push_screen(CompareScreen(self.workspace.where(key), left, [side_of(other) for other in others]))

    # -- test email ----------------------------------------------------------------------------

    def action_send_test_email(self) -> None:
        """A test email of this Email variant as the Preview shows it, after the confirmation.
        Allowed read-only (it changes nothing), never without asking."""
        from tui.api.channels import Channel

        key = self.screen.editing.target_key()
        if key is None or not self.workspace.has(key):
            self.notify("Move to an Email variant first: the test email is of it.", markup=False)
            return
        if self.workspace.edited(key).type is not Channel.EMAIL:
            self.notify("Test emails are of Email variants only.", markup=False)
            return
        client = self.app.client
        if client is None:
            self.notify("Not connected yet.", severity="warning", markup=False)
            return
        self.run_worker(self._test_email(client, key), group="test-email", exclusive=True)

    def _preview_state(self, key: VariantKey) -> tuple[Any, int]:
        """The Preview's prospect and spintax combination for ``key`` (none and 0 elsewhere)."""
        from tui.widgets.preview_pane import PreviewPane

        for pane in self.screen.query(PreviewPane):
            if pane.key == key:
                return pane.prospect, pane.spin
        return None, 0

    async def _test_email(self, client: SaleshandyClient, key: VariantKey) -> None:
        from tui.api.errors import ApiError
        from tui.config.ui_state import load_ui_state
        from tui.screens.test_email_screen import TestEmailScreen
        from tui.session.test_email import LAST_SENDER_STATE, letter_for, preferred_sender

        try:
            accounts = await client.list_email_accounts(key.sequence_id)
        except ApiError as exc:
            self.notify(f"Could not read the sequence's senders: {exc}", severity="error", markup=False)
            return
        if not accounts:
            self.notify(
                "This sequence has no sending account connected: connect one in Saleshandy to send a test email.",
                severity="warning",
                markup=False,
                timeout=10,
            )
            return
        prospect, spin = self._preview_state(key)
        fields = getattr(self.app.checks, "fields", None)
        letter = letter_for(self.workspace.edited(key), prospect=prospect, spin=spin, fields=fields)
        remembered = load_ui_state().get(LAST_SENDER_STATE)
        last = remembered.get(key.sequence_id) if isinstance(remembered, dict) else None
        preferred = preferred_sender(accounts, last if isinstance(last, str) else None)
        to = list(getattr(self.app.account, "test_email_to", ()) or ())
        title = f"{self.workspace.where(key)} › variant {self.workspace.letter(key)}"
        screen = TestEmailScreen(title, letter, accounts, preferred.id if preferred else None, to)

        def answered(choice: tuple[str, list[str]] | None) -> None:
            if choice is not None:
                self.run_worker(self._send_test(client, key, letter, *choice), group="test-email")

        self.app.push_screen(screen, answered)

    async def _send_test(
        self, client: SaleshandyClient, key: VariantKey, letter: Any, sender: str, to: list[str]
    ) -> None:
        from tui.api.errors import NOT_CONNECTED_ADVICE, ApiError, sender_not_connected
        from tui.config.ui_state import load_ui_state, save_ui_state
        from tui.session.test_email import LAST_SENDER_STATE, request

        try:
            await client.send_test_email(key.sequence_id, request(letter, sender, to))
        except ApiError as exc:
            text = NOT_CONNECTED_ADVICE if sender_not_connected(exc) else f"The server refused it: {exc}"
            self.notify(text, title="Test email not sent", severity="error", timeout=20, markup=False)
            return
        remembered = load_ui_state().get(LAST_SENDER_STATE)
        senders = dict(remembered) if isinstance(remembered, dict) else {}
        senders[key.sequence_id] = sender
        with contextlib.suppress(OSError):  # remembering the sender only saves a keystroke next time
            save_ui_state(test_email_senders=senders)  # LAST_SENDER_STATE
        self.notify(f"Test email sent to {one_line(', '.join(to), 100)}.", markup=False)

    # -- saving a new variant ----------------------------------------------------------------

    def review_new_variant(self, key: VariantKey) -> None:
        """The review of the POST that adds ``key``; confirmed, it is sent. When another variant
        of a one-active channel is active, first ask: pause it in the same save, or add this paused."""
        other = active_to_pause(self.workspace, key)
        if other is None:
            self._review_new(key, None)
            return
        from tui.screens.confirm_screen import ConfirmScreen

        step = self.workspace.step(key.sequence_id, key.step_id)
        label = step.type.label if step is not None else "this"
        letter, theirs = self.workspace.letter(key), self.workspace.letter(other)
        question = (
            f"A {label} step holds one active variant, and {theirs} is active.\n\n"
            f"Pause {theirs} in the same save (then {letter} is added active), or add {letter} paused?"
        )

        def answered(pause: bool | None) -> None:
            if not pause:
                self.workspace.edit(key, status=int(Status.PAUSED))
                self.screen.editing.after_edit(key)
            self._review_new(key, other if pause else None)

        self.app.push_screen(ConfirmScreen(question, yes=f"Pause {theirs}", no=f"Add {letter} paused"), answered)

    def _review_new(self, key: VariantKey, pause: VariantKey | None) -> None:
        from pydantic import ValidationError

        from tui.screens.review_screen import ReviewScreen

        edited = self.workspace.edited(key)
        try:
            body = add_body(edited).body()
        except ValidationError as exc:
            from tui.api.models import describe_validation_error

            self.notify(f"Cannot save: {describe_validation_error(exc)}", severity="error", markup=False)
            return
        refusal = None
        if self.app.read_only:
            refusal = "seqedit was started with --read-only; saving is turned off."
        sequence = self.workspace.sequence(key.sequence_id)
        step = self.workspace.step(key.sequence_id, key.step_id)
        where = f" › {step_place(step)}" if step is not None else ""
        title = f"{sequence.title if sequence else key.sequence_id}{where} › new variant {self.workspace.letter(key)}"
        notes = ["A new variant: this POST adds it to the step; its letter is its place in the step."]
        findings = self.app.findings_for(key)
        if pause is not None:
            theirs = self.workspace.letter(pause)
            notes.append(
                f'First, PATCH …/variants/{pause.variant_id} {{"status": 0}} pauses variant {theirs}; '
                "then this POST adds the new one active."
            )
            # That rule is what the PATCH before the POST answers.
            findings = [item for item in findings if getattr(item, "rule_id", "") != "api.one-active"]
        screen = ReviewScreen(
            title=title,
            body=body,
            before=self.workspace.server_copy(key),
            after=as_posted(edited),
            findings=findings,
            refusal=refusal,
            notes=notes,
            request="POST /v1/sequences/{sequenceId}/steps/{stepId}/variants",
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.run_worker(self._add(key, pause), group=f"add-{key.variant_id}")

        self.app.push_screen(screen, answered)

    async def _add(self, key: VariantKey, pause: VariantKey | None = None) -> None:
        client = self.app.client
        if client is None:
            self.notify("Not connected yet: the new variant is kept as a draft.", severity="warning", markup=False)
            return
        letter = self.workspace.letter(key)
        outcome: AddOutcome = await add_new_variant(client, self.workspace, key, pause=pause)
        self.tree.show_step_variants(key.sequence_id, key.step_id)
        if not outcome.ok:
            self.notify(
                f"{outcome.text}\nThe new variant {letter} and its content are kept.",
                title="Variant not added",
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        self.notify(one_line(outcome.text, 200), markup=False)
        if outcome.key is not None:
            self.current_key = None  # the new key is gone from the workspace: open the server's
            await self.screen.editing.open_now(outcome.key, False)
            self.screen.editing.after_edit(outcome.key)
            node = self.tree.variant_node(outcome.key)
            if node is not None:
                self.tree.expand_above(node)
                self.call_after_refresh(self.tree.move_to, node)
        else:
            self.current_key = None
            await self.screen.editing.show_current()
