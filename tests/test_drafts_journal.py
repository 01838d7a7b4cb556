"""DraftJournal: edits are held in memory and written by flush, at most once per interval."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.api.models import Variant
from tui.drafts import DraftJournal, DraftKey, DraftStore

KEY = DraftKey("demo", "s", "t", "v")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def email(subject: str) -> Variant:
    return Variant(id="v", type="Email", payload={"subject": subject, "content": "<p>x</p>"})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def journal(tmp_path: Path, clock: Clock) -> DraftJournal:
    return DraftJournal(DraftStore(tmp_path / "d.sqlite3"), clock=clock)


def test_touch_writes_nothing_until_flush(journal: DraftJournal) -> None:
    journal.touch(KEY, email("a"), email("b"), focus="payload.subject", cursor=(0, 1))
    assert journal.store.get_draft(KEY) is None
    assert journal.dirty == [KEY]
    assert journal.flush() == 1
    draft = journal.store.get_draft(KEY)
    assert draft.edited == email("b") and draft.focus == "payload.subject" and draft.cursor == (0, 1)
    assert journal.dirty == []
    assert journal.flush() == 0


def test_many_touches_one_write_with_the_last_state(journal: DraftJournal) -> None:
    for text in ("H", "He", "Hel", "Hell", "Hello"):
        journal.touch(KEY, email(""), email(text))
    assert journal.flush() == 1
    assert journal.store.get_draft(KEY).edited.payload["subject"] == "Hello"


def test_due_after_the_interval(journal: DraftJournal, clock: Clock) -> None:
    assert not journal.due()
    journal.touch(KEY, email(""), email("a"))
    clock.now += 0.5
    journal.touch(KEY, email(""), email("ab"))
    assert not journal.due()
    assert journal.flush_if_due() == 0
    # The wait counts from the first unwritten keystroke, so steady typing still flushes.
    clock.now += 0.5
    assert journal.due()
    assert journal.flush_if_due() == 1
    assert journal.store.get_draft(KEY).edited.payload["subject"] == "ab"


def test_same_state_again_is_not_rewritten(journal: DraftJournal) -> None:
    journal.touch(KEY, email(""), email("a"))
    journal.flush()
    journal.touch(KEY, email(""), email("a"))
    assert journal.flush() == 0


def test_saved_drops_the_draft(journal: DraftJournal) -> None:
    journal.touch(KEY, email(""), email("sent"))
    journal.flush()
    assert journal.saved(KEY, email("sent"))
    assert journal.store.get_draft(KEY) is None and journal.dirty == []


def test_saved_keeps_typing_that_happened_during_the_save(journal: DraftJournal) -> None:
    journal.touch(KEY, email(""), email("sent"))
    journal.flush()
    journal.touch(KEY, email(""), email("sent and more"))  # typed while the PATCH was in flight
    assert not journal.saved(KEY, email("sent"))
    draft = journal.store.get_draft(KEY)
    assert draft.base == email("sent") and draft.edited == email("sent and more")
    # Later flushes keep the new base, not the one from before the save.
    journal.touch(KEY, draft.base, email("sent and even more"))
    journal.flush()
    assert journal.store.get_draft(KEY).base == email("sent")


def test_saved_with_pending_state_equal_to_the_save(journal: DraftJournal) -> None:
    journal.touch(KEY, email(""), email("sent"))
    assert journal.saved(KEY, email("sent")) is False  # nothing was stored yet
    assert journal.dirty == [] and journal.store.get_draft(KEY) is None


def test_discard_and_forget(journal: DraftJournal) -> None:
    journal.touch(KEY, email(""), email("a"))
    journal.flush()
    journal.touch(KEY, email(""), email("ab"))
    assert journal.discard(KEY)
    assert journal.flush() == 0 and journal.store.get_draft(KEY) is None
    journal.touch(KEY, email(""), email("abc"))
    journal.forget(KEY)
    assert journal.flush() == 0 and journal.store.get_draft(KEY) is None
