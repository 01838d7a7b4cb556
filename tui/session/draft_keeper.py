"""The editing session's link to the drafts store: every edit journalled, drafts reopened, bases kept.

Pure (no Textual). The app builds one :class:`DraftKeeper` per account; it listens to the
workspace, so every change of an edited copy is noted in a :class:`~tui.drafts.DraftJournal`
(no I/O) and written by :meth:`DraftKeeper.flush`, which the app calls from a one-second timer
and on exit. It also remembers, per variant, the server copy an edit *started from* (its base):
the workspace refreshes its server copy on every reload, but the conflict check before a save
must compare against what the person actually edited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.api.models import EDITABLE_FIELDS, Variant
from tui.drafts import Draft, DraftJournal, DraftKey, DraftStore, DraftStoreError, Version
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
        self.problems: list[str] = []
        self._unsubscribe = workspace.subscribe(self._changed)

    def dkey(self, key: VariantKey) -> DraftKey:
        return DraftKey(self.account, *key)

    # -- start-up -------------------------------------------------------------------------

    def restore(self) -> list[Draft]:
        """Read this account's drafts; each is applied as soon as its variant loads."""
        drafts = self.store.drafts(self.account)
        for draft in drafts:
            key = VariantKey(draft.key.sequence_id, draft.key.step_id, draft.key.variant_id)
            self._stored.add(key)
            self._where[key] = (draft.focus, draft.cursor)
            if self.workspace.has(key):
                self._apply(key, draft)
            else:
                self._waiting[key] = draft
        return drafts

    def waiting(self) -> list[VariantKey]:
        """Drafts whose sequence or step has not been loaded yet."""
        return list(self._waiting)

    def _apply(self, key: VariantKey, draft: Draft) -> None:
        self._bases[key] = draft.base
        edited = self.workspace.edited(key)
        restored = edited.model_copy(update={name: getattr(draft.edited, name) for name in EDITABLE_FIELDS}, deep=True)
        self._quiet = True
        try:
            self.workspace.set_edited(key, restored)
        finally:
            self._quiet = False

    # -- the workspace listener -----------------------------------------------------------

    def _changed(self, key: VariantKey) -> None:
        if self._quiet:
            return
        draft = self._waiting.pop(key, None)
        if draft is not None:
            self._apply(key, draft)
            return
        if self.workspace.is_dirty(key):
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
        """Write pending drafts; a failure is kept in :attr:`problems` (once) and retried later."""
        try:
            return self.journal.flush()
        except DraftStoreError as exc:
            text = str(exc)
            if text not in self.problems:
                self.problems.append(text)
            return 0

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
        """Write what is pending and close the store."""
        self.flush()
        self._unsubscribe()
        self.store.close()
