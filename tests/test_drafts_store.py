"""DraftStore: round trips, ordering, discarding, file privacy and recovery from a broken file."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tui.api.models import Variant
from tui.drafts import DraftKey, DraftStore, account_label

KEY = DraftKey("profile:work", "seq1", "step1", "varA")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def email(subject: str = "Hello", content: str = "<p>Hi {{First Name}}</p>", **extra) -> Variant:
    return Variant.model_validate(
        {"id": "varA", "type": "Email", "payload": {"subject": subject, "content": content}, **extra}
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> DraftStore:
    with DraftStore(tmp_path / "drafts.sqlite3", clock=clock) as opened:
        yield opened


def test_round_trip_keeps_everything(store: DraftStore, tmp_path: Path, clock: Clock) -> None:
    base = email(serverOnly={"kept": True})
    edited = email(subject="Quick question", serverOnly={"kept": True}).model_copy(
        update={"payload": {"subject": "Quick question", "content": "<p>x</p>", "trackingId": "t-1"}}
    )
    assert store.save_draft(KEY, base=base, edited=edited, focus="payload.content", cursor=(3, 14), label="Intro · A")
    # A second store (as after a restart) reads what the first wrote.
    again = DraftStore(tmp_path / "drafts.sqlite3").get_draft(KEY)
    assert again is not None
    assert again.base == base and again.edited == edited
    assert again.edited.payload["trackingId"] == "t-1"
    assert again.edited.extras() == {"serverOnly": {"kept": True}}
    assert (again.focus, again.cursor, again.label) == ("payload.content", (3, 14), "Intro · A")
    assert again.created_at == again.updated_at == clock.now
    assert [change.path for change in again.changes()] == ["payload.subject", "payload.content", "payload.trackingId"]


def test_unchanged_state_is_not_written_again(store: DraftStore, clock: Clock) -> None:
    assert store.save_draft(KEY, base=email(), edited=email("one"))
    clock.now += 5
    assert not store.save_draft(KEY, base=email(), edited=email("one"))
    assert store.get_draft(KEY).updated_at == 1_000.0
    # Moving the cursor is a change: reopening should put it back where it was.
    assert store.save_draft(KEY, base=email(), edited=email("one"), cursor=(0, 1))
    draft = store.get_draft(KEY)
    assert draft.updated_at == 1_005.0 and draft.created_at == 1_000.0 and draft.cursor == (0, 1)


def test_drafts_newest_first_and_by_account(store: DraftStore, clock: Clock) -> None:
    keys = [DraftKey("demo", "s", "t", v) for v in ("a", "b", "c")] + [DraftKey("profile:x", "s", "t", "a")]
    for key in keys:
        clock.now += 1
        store.save_draft(key, base=email(), edited=email(key.variant_id))
    clock.now += 1
    store.save_draft(keys[0], base=email(), edited=email("a again"))
    assert [d.key for d in store.drafts()] == [keys[0], keys[3], keys[2], keys[1]]
    assert [d.key for d in store.drafts("demo")] == [keys[0], keys[2], keys[1]]
    assert store.drafts("nobody") == []


def test_discard(store: DraftStore) -> None:
    store.save_draft(KEY, base=email(), edited=email("x"))
    assert store.discard(KEY)
    assert store.get_draft(KEY) is None
    assert not store.discard(KEY)
    # After a discard the same state must be written again, not skipped as "unchanged".
    assert store.save_draft(KEY, base=email(), edited=email("x"))
    assert store.get_draft(KEY) is not None


def test_discard_saved_removes_a_draft_that_matches_the_save(store: DraftStore) -> None:
    store.save_draft(KEY, base=email(), edited=email("sent"))
    assert store.discard_saved(KEY, email("sent"))
    assert store.get_draft(KEY) is None
    assert not store.discard_saved(KEY, email("sent"))


def test_discard_saved_keeps_typing_done_during_the_save(store: DraftStore) -> None:
    store.save_draft(KEY, base=email(), edited=email("sent, then more"))
    assert not store.discard_saved(KEY, email("sent"))
    draft = store.get_draft(KEY)
    assert draft.base == email("sent") and draft.edited == email("sent, then more")


def test_discard_saved_without_a_copy_just_discards(store: DraftStore) -> None:
    store.save_draft(KEY, base=email(), edited=email("x"))
    assert store.discard_saved(KEY)
    assert store.drafts() == []


def test_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "drafts.sqlite3"
    old_umask = os.umask(0o022)
    try:
        store = DraftStore(path)
        store.save_draft(KEY, base=email(), edited=email("x"))
        for name in ("drafts.sqlite3", "drafts.sqlite3-wal", "drafts.sqlite3-shm"):
            assert stat.S_IMODE((path.parent / name).stat().st_mode) == 0o600, name
        store.close()
    finally:
        os.umask(old_umask)


def test_existing_wide_file_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    path.chmod(0o644)
    with DraftStore(path) as store:
        assert store.drafts() == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_default_path_is_in_the_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQEDIT_STATE_DIR", str(tmp_path / "state"))
    with DraftStore() as store:
        assert store.path == tmp_path / "state" / "drafts.sqlite3"
        assert store.path.exists()


def test_uses_wal(store: DraftStore) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_broken_file_is_moved_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(b"this is not a database, but it may be someone's only copy" * 100)
    with DraftStore(path) as store:
        assert store.drafts() == []
        assert len(store.problems) == 1 and "moved to" in store.problems[0]
        store.save_draft(KEY, base=email(), edited=email("new"))
    aside = [p for p in tmp_path.iterdir() if ".broken-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")


def test_unreadable_row_is_skipped_and_reported(store: DraftStore) -> None:
    store.save_draft(KEY, base=email(), edited=email("ok"))
    other = DraftKey("demo", "s", "t", "broken")
    store.save_draft(other, base=email(), edited=email("soon broken"))
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE drafts SET edited = ? WHERE variant_id = 'broken'", ('{"id": "x", "type": null}',))
    conn.close()
    assert [d.key for d in store.drafts()] == [KEY]
    assert [d.key for d in store.drafts()] == [KEY]
    assert len([p for p in store.problems if "broken" in p]) == 1
    # Kept, not deleted: a newer seqedit may read it.
    raw = sqlite3.connect(store.path).execute("SELECT count(*) FROM drafts").fetchone()[0]
    assert raw == 2


def test_account_label_is_not_secret() -> None:
    assert account_label(demo=True) == "demo"
    assert account_label(profile="acme") == "profile:acme"
    a = account_label(base_url="https://open-api.saleshandy.com/")
    assert a == account_label(base_url="https://OPEN-API.saleshandy.com")
    assert a != account_label(base_url="http://127.0.0.1:8000")
    assert a.startswith("url:") and len(a) == len("url:") + 12
