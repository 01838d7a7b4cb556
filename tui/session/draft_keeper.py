"""The editing session's link to the drafts store: every edit journalled, drafts reopened, bases kept.

Pure (no Textual). The app builds one :class:`DraftKeeper` per account; it listens to the
workspace, so every change of an edited copy is noted in a :class:`~tui.drafts.DraftJournal`
(no I/O) and written by :meth:`DraftKeeper.flush`, which the app calls from a one-second timer
and on exit. It also remembers, per variant, the server copy an edit *started from* (its base):
the workspace refreshes its server copy on every reload, but the conflict check before a save
must compare against what the person actually edited.

Several windows may use one drafts file: each writes its own drafts (the store's ``owner``) and
leases the variants it has open, so a second window on a variant is told so on opening, and
neither overwrites the other's draft. At start-up a window takes over (adopts) the drafts of
windows that are gone; the drafts of windows still running stay theirs, listed in ``D``.
When the file cannot be written (a full disk), :attr:`failing` says why until a write succeeds
again; the edits stay in memory and every flush tries again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tui.api.models import EDITABLE_FIELDS, Variant, build_update, changed_fields
from tui.drafts import Draft, DraftJournal, DraftKey, DraftStore, DraftStoreError, Version, Window, diff_variants
from tui.session.new_variants import is_new, without_server_own
from tui.session.save_flow import holds
from tui.session.workspace import VariantKey, Workspace

# (focus widget id, (line, column)) of the form when the edit happened.
Where = tuple[str | None, tuple[int, int] | None]


class DraftKeeper:
    """Journals a workspace's edits for ``account`` (a non-secret label, never the key)."""

    def __init__(self, workspace: Workspace, store: DraftStore, account: str, *, journal: DraftJournal | None = None):
        self.workspace = workspace
        self.store = store
        self.account = account
        self.journal = journal or DraftJournal(store)
        # Where the person was in the form; set by the app (it knows the focused widget).
        self.locate: Callable[[VariantKey], Where] = lambda key: (None, None)
        self._bases: dict[VariantKey, Variant] = {}
        self._waiting: dict[VariantKey, Draft] = {}  # drafts whose variant has not loaded yet
        self._where: dict[VariantKey, Where] = {}  # cursor to put back when a draft is opened
        self._stored: set[VariantKey] = set()  # keys that may have a row in the store
        self._quiet = False
        self._leased: set[VariantKey] = set()
        self._told: set[tuple[VariantKey, str]] = set()  # (variant, window) pairs already said
        self.problems: list[str] = []
        # Why the last write failed (None once one succeeds): edits are only in memory meanwhile.
        self.failing: str | None = None
        self.recovered = 0  # times the file was found deleted and created again
        # Restored drafts that the server turned out to hold already (saved, then the process died).
        self.already_saved: list[VariantKey] = []
        # Restored drafts that held no edit (once normalised): dropped, not "back".
        self.held_nothing: list[VariantKey] = []
        self._unsubscribe = workspace.subscribe(self._changed)

    def dkey(self, key: VariantKey) -> DraftKey:
        return DraftKey(self.account, *key)

    # -- start-up -------------------------------------------------------------------------

    def restore(self) -> list[Draft]:
        """Take over this account's drafts from windows that are gone; each is applied as soon as
        its variant loads. Returns those drafts (one per variant, the newest): older copies of
        the same variant and the drafts of windows still running stay in the store, for ``D``."""
        alive = self.store.live_windows()
        taken: list[Draft] = []
        seen: set[VariantKey] = set()
        for draft in self.store.drafts(self.account):  # newest first
            key = VariantKey(draft.key.sequence_id, draft.key.step_id, draft.key.variant_id)
            if key in seen or draft.owner in alive:
                continue
            if not self.store.adopt(draft.key, draft.owner):
                continue  # another window starting at the same moment took it
            seen.add(key)
            taken.append(draft)
            self._take(key, draft)
        return taken

    def _take(self, key: VariantKey, draft: Draft) -> None:
        self._stored.add(key)
        self._where[key] = (draft.focus, draft.cursor)
        if is_new(key) and not self.workspace.has(key):
            # A new variant is all draft: it is back at once, in its step when that loads.
            self._bases[key] = draft.base
            self._quiet = True
            try:
                self.workspace.add_new(key, draft.base, self._normalised(key, draft.edited))
            finally:
                self._quiet = False
            return
        if self.workspace.has(key):
            self._apply(key, draft)
        else:
            self._waiting[key] = draft

    def waiting(self) -> list[VariantKey]:
        """Drafts whose sequence or step has not been loaded yet."""
        return list(self._waiting)

    def _normalised(self, key: VariantKey, edited: Variant) -> Variant:
        """A restored draft's edited copy as the live path would have left it: a draft written
        before a rule of that path (an emptied field the server left empty is no edit; a new
        variant holds none of another variant's server-own keys) must not come back as an edit
        the form cannot make or undo. The one place a draft is normalised."""
        if is_new(key):
            return without_server_own(edited)
        return self.workspace.settled(key, edited)

    def _apply(self, key: VariantKey, draft: Draft) -> None:
        server = self.workspace.server_copy(key)
        draft = replace(draft, edited=self._normalised(key, draft.edited))
        if holds(server, draft.edited):
            # The server copy just read holds every edit: the save went through, but the process
            # ended (SIGKILL, a power cut) before it could retire the draft and write the history.
            self._reconcile(key, draft, server)
            return
        self._bases[key] = draft.base
        edited = self.workspace.edited(key)
        # Only what the draft knew: a field it never had (the server did not return it) is not
        # an edit, and copying its empty default would send it (attachmentIds: [] deletes all).
        known = draft.edited.model_fields_set
        restored = edited.model_copy(
            update={name: getattr(draft.edited, name) for name in EDITABLE_FIELDS if name in known}, deep=True
        )
        self._quiet = True
        try:
            self.workspace.set_edited(key, restored)
        finally:
            self._quiet = False

    def _reconcile(self, key: VariantKey, draft: Draft, server: Variant) -> None:
        """Retire a draft the server already holds, recording its save in the history once."""
        self._stored.discard(key)
        self._where.pop(key, None)
        try:
            # Not a draft that changed nothing (the server moved meanwhile, or a no-op edit).
            if diff_variants(draft.base, server) and changed_fields(draft.base, draft.edited):
                try:
                    sent = build_update(draft.base, draft.edited).body()
                except ValueError:
                    sent = {}
                if not any(v.after is not None and not diff_variants(v.after, server) for v in self.versions(key)[:1]):
                    self.store.record_save(self.dkey(key), before=draft.base, sent=sent, after=server)
                self.already_saved.append(key)
            else:
                self.held_nothing.append(key)
            self.store.discard(self.dkey(key))
        except DraftStoreError as exc:
            if str(exc) not in self.problems:
                self.problems.append(str(exc))

    # -- the workspace listener -----------------------------------------------------------

    def _changed(self, key: VariantKey) -> None:
        if self._quiet:
            return
        draft = self._waiting.pop(key, None)
        if draft is not None:
            self._apply(key, draft)
            return
        if self.workspace.is_dirty(key):
            if key not in self._leased:  # edited without being opened (s, p on a tree row)
                self.opened(key)
            base = self._bases.setdefault(key, self.workspace.server_copy(key))
            try:
                focus, cursor = self.locate(key)
            except Exception:  # where the cursor is only helps; it must never cost the draft
                focus, cursor = None, None
            if focus is not None:
                self._where[key] = (focus, cursor)
            self.journal.touch(self.dkey(key), base, self.workspace.edited(key), focus=focus, cursor=cursor)
            self._stored.add(key)
        elif key in self._stored:
            # Edits undone by hand: the draft goes with them.
            self._forget(key)

    def _forget(self, key: VariantKey) -> None:
        self._bases.pop(key, None)
        self._where.pop(key, None)
        self._stored.discard(key)
        self._waiting.pop(key, None)
        self.journal.discard(self.dkey(key))

    # -- what the app calls ---------------------------------------------------------------

    def base(self, key: VariantKey) -> Variant:
        """The server copy the current edit started from (for the conflict check)."""
        return self._bases.get(key) or self.workspace.server_copy(key)

    def where(self, key: VariantKey) -> Where | None:
        """Where the person was in the form when the draft was last written, once (then None)."""
        return self._where.pop(key, None)

    def flush(self) -> int:
        """Write pending drafts; a failure is kept in :attr:`problems` (once) and retried later.

        A drafts file deleted meanwhile is created again first, and every edit this window holds
        is written to it again (what was in the deleted file is gone with it).
        """
        try:
            if self.store.check_file():
                self.recovered += 1
                self._journal_all()
            written = self.journal.flush()
        except DraftStoreError as exc:
            text = str(exc)
            self.failing = text
            if text not in self.problems:
                self.problems.append(text)
            return 0
        self.failing = None
        # A failed renewal only makes other machines' windows wait WINDOW_TTL.
        with contextlib.suppress(DraftStoreError):
            self.store.renew()
        return written

    def _journal_all(self) -> None:
        """Note every edited variant for the next write, as if it had just been edited."""
        for key in self.workspace.dirty_keys():
            self._stored.discard(key)
            base = self._bases.setdefault(key, self.workspace.server_copy(key))
            focus, cursor = self._where.get(key, (None, None))
            self.journal.touch(self.dkey(key), base, self.workspace.edited(key), focus=focus, cursor=cursor)
            self._stored.add(key)

    def unwritten(self) -> list[VariantKey]:
        """Edited variants whose latest edits are not in the drafts file (a write failed)."""
        pending = {VariantKey(k.sequence_id, k.step_id, k.variant_id) for k in self.journal.dirty}
        return [key for key in self.workspace.dirty_keys() if key in pending]

    # -- windows ---------------------------------------------------------------------------

    def opened(self, key: VariantKey, previous: VariantKey | None = None) -> list[Window]:
        """``key`` is shown in this window's form (``previous`` no longer is): lease it, and
        return the other running windows that have it open too."""
        try:
            if previous is not None and previous != key and not self._edited(previous):
                self._release(previous)
            self._leased.add(key)
            windows = self.store.lease(self.dkey(key))
            self._told.update((key, window.owner) for window in windows)
            return windows
        except DraftStoreError as exc:
            if str(exc) not in self.problems:
                self.problems.append(str(exc))
            return []

    def newcomers(self) -> list[tuple[VariantKey, Window]]:
        """Other windows that opened a variant this window has open, not yet told about."""
        found = []
        for key in sorted(self._leased):
            for window in self.elsewhere(key):
                if (key, window.owner) not in self._told:
                    self._told.add((key, window.owner))
                    found.append((key, window))
        return found

    def elsewhere(self, key: VariantKey) -> list[Window]:
        """The other running windows that have ``key`` open."""
        try:
            return self.store.holders(self.dkey(key))
        except DraftStoreError:
            return []

    def others(self) -> dict[str, Window]:
        """The other running windows using this drafts file, by owner."""
        try:
            return self.store.live_windows()
        except DraftStoreError:
            return {}

    def _edited(self, key: VariantKey) -> bool:
        return self.workspace.has(key) and self.workspace.is_dirty(key)

    def _release(self, key: VariantKey) -> None:
        if key in self._leased:
            self._leased.discard(key)
            self.store.release(self.dkey(key))

    def choose(self, draft: Draft) -> None:
        """Make ``draft`` (another window's, or an older copy) this window's draft of its variant.

        The copy this window held is kept as a separate draft, so choosing loses nothing; a
        running window's draft is copied, not taken, so that window goes on writing its own.
        """
        key = VariantKey(draft.key.sequence_id, draft.key.step_id, draft.key.variant_id)
        self.flush()
        self.journal.forget(self.dkey(key))
        self.store.set_aside(self.dkey(key))
        if draft.owner in self.others():
            self.store.save_draft(
                draft.key, base=draft.base, edited=draft.edited, focus=draft.focus, cursor=draft.cursor
            )
        elif not self.store.adopt(draft.key, draft.owner):
            raise DraftStoreError("that draft was taken by another window meanwhile")
        self._waiting.pop(key, None)
        self._take(key, draft)

    def saved(self, key: VariantKey, after: Variant) -> None:
        """A save succeeded: drop the draft, or rebase it when typing went on meanwhile."""
        self._waiting.pop(key, None)
        if self.workspace.has(key) and self.workspace.is_dirty(key):
            self._bases[key] = after
        else:
            self._bases.pop(key, None)
            self._stored.discard(key)
        try:
            self.journal.saved(self.dkey(key), after)
        except DraftStoreError as exc:
            self.problems.append(str(exc))

    def rebased(self, key: VariantKey, theirs: Variant) -> None:
        """A conflict was resolved against ``theirs``: it is the new base."""
        self._bases[key] = theirs
        self._changed(key)

    def discard(self, key: VariantKey) -> None:
        """Throw a draft away: the store row, pending edits, and the edits in the workspace."""
        self._forget(key)
        if self.workspace.has(key):
            self.workspace.discard(key)

    def discard_copy(self, draft: Draft) -> None:
        """Throw away ``draft`` whichever window wrote it (this window's edits go with its own)."""
        if draft.owner == self.store.owner:
            self.discard(VariantKey(draft.key.sequence_id, draft.key.step_id, draft.key.variant_id))
        elif draft.owner in self.others():
            raise DraftStoreError("that draft belongs to a window that is still open; discard it there")
        else:
            self.store.discard(draft.key, draft.owner)

    def other_copies(self, key: VariantKey) -> int:
        """How many drafts of ``key`` other windows (running or gone) hold."""
        try:
            drafts = self.store.drafts(self.account)
        except DraftStoreError:
            return 0
        dkey = self.dkey(key)
        return sum(draft.key == dkey and not self.mine(draft) for draft in drafts)

    def mine(self, draft: Draft) -> bool:
        """Whether ``draft`` is this window's own."""
        return draft.owner == self.store.owner

    def drafts(self) -> list[Draft]:
        """This account's drafts, most recent first (pending edits written first)."""
        self.flush()
        return self.store.drafts(self.account)

    def versions(self, key: VariantKey) -> list[Version]:
        """The save history of one variant, newest first."""
        return self.store.versions(self.dkey(key))

    def record(self, key: VariantKey, before: Variant, sent: dict[str, Any], after: Variant | None) -> None:
        """History: one accepted save (``tui.session.save_flow`` calls this)."""
        self.store.record_save(self.dkey(key), before=before, sent=sent, after=after)

    def close(self) -> None:
        """Write what is pending and close the store (this window's leases end)."""
        self.flush()
        self._unsubscribe()
        self.store.close()
