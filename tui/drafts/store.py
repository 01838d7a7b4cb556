"""The local journal of unsaved drafts and the history of saves, in one private SQLite file.

Why SQLite: a write is one transaction, so a SIGKILL or a dropped SSH session leaves either the
previous draft or the new one, never half of either; WAL mode lets a second seqedit process read
and write the same file. The file is created 0600 before SQLite touches it (SQLite gives its -wal
and -shm files the same mode). The API key is never passed to this module, so it cannot end up
here; drafts are filed under a non-secret account label (see ``keys.account_label``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tui.api.models import Variant

from .diff import FieldChange, diff_variants
from .keys import DraftKey, as_key

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    account TEXT NOT NULL,
    sequence_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    base TEXT NOT NULL,
    edited TEXT NOT NULL,
    focus TEXT,
    cursor_line INTEGER,
    cursor_column INTEGER,
    label TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (account, sequence_id, step_id, variant_id)
);
CREATE INDEX IF NOT EXISTS drafts_by_time ON drafts (account, updated_at);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    sequence_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    saved_at REAL NOT NULL,
    before TEXT NOT NULL,
    sent TEXT NOT NULL,
    after TEXT
);
CREATE INDEX IF NOT EXISTS versions_by_variant
    ON versions (account, sequence_id, step_id, variant_id, saved_at);
"""

_KEY_WHERE = "account = ? AND sequence_id = ? AND step_id = ? AND variant_id = ?"
_DRAFT_COLUMNS = (
    "account, sequence_id, step_id, variant_id, base, edited, focus, cursor_line, cursor_column,"
    " label, created_at, updated_at"
)
_VERSION_COLUMNS = "id, account, sequence_id, step_id, variant_id, saved_at, before, sent, after"

KeyLike = DraftKey | tuple[str, str, str, str]


class DraftStoreError(Exception):
    """The drafts file cannot be opened or written (disk full, permissions)."""


@dataclass(frozen=True)
class Draft:
    """An unsaved edit: the server copy it started from (``base``) and the form state (``edited``)."""

    key: DraftKey
    base: Variant
    edited: Variant
    focus: str | None
    cursor: tuple[int, int] | None
    label: str
    created_at: float
    updated_at: float

    def changes(self) -> list[FieldChange]:
        """What the draft changes relative to its base."""
        return diff_variants(self.base, self.edited)


@dataclass(frozen=True)
class Version:
    """One successful save: the server copy before it, the PATCH body sent, the copy after."""

    id: int
    key: DraftKey
    saved_at: float
    before: Variant
    sent: dict[str, Any]
    after: Variant | None

    @property
    def result(self) -> Variant:
        """The copy after the save: as re-read if known, else ``before`` with ``sent`` applied."""
        if self.after is not None:
            return self.after
        data = self.before.model_dump(mode="json")
        data.update(self.sent)
        return Variant.model_validate(data)

    def changes(self) -> list[FieldChange]:
        """What this save changed."""
        return diff_variants(self.before, self.result)


def _dump(variant: Variant) -> str:
    return variant.model_dump_json()


def _ensure_private(path: Path) -> None:
    """Create ``path`` 0600 if absent, and narrow it (and SQLite's side files) if wider.

    Existing files are changed by path, never opened: closing any descriptor of a database file
    drops every POSIX lock this process holds on it, which would silently break SQLite's locking
    for a connection already open here.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    for suffix in ("", "-wal", "-shm"):
        target = path.with_name(path.name + suffix)
        try:
            if target.stat().st_mode & 0o077:
                target.chmod(0o600)
        except FileNotFoundError:
            pass


class DraftStore:
    """Drafts and save history for every account, in ``state_dir()/drafts.sqlite3`` by default.

    Every write is its own transaction. A store may be used from several threads (writes are
    serialised by a lock) and the file from several processes (WAL, with a busy timeout).
    Rows that no longer parse are skipped and described in :attr:`problems`, never deleted.
    """

    def __init__(self, path: Path | None = None, *, clock: Callable[[], float] = time.time):
        if path is None:
            from tui.config.paths import state_dir

            path = state_dir() / "drafts.sqlite3"
        self.path = Path(path)
        self.clock = clock
        self.problems: list[str] = []  # each message once, however often the row is read
        self._lock = threading.RLock()
        # What this store last wrote per key, so an unchanged form costs no write at all.
        self._written: dict[DraftKey, tuple[Any, ...]] = {}
        self._conn = self._open()

    # -- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if "not a database" not in str(exc) and "malformed" not in str(exc):
                raise DraftStoreError(f"cannot open the drafts file {self.path}: {exc}") from exc
        # An unreadable file is moved aside, not deleted: it may still hold someone's work.
        aside = self.path.with_name(f"{self.path.name}.broken-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.rename(aside.with_name(aside.name + suffix))
        self.problems.append(f"the drafts file {self.path} was unreadable; it was moved to {aside}")
        try:
            return self._connect()
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot open the drafts file {self.path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        _ensure_private(self.path)
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # One script, one transaction: two processes starting at once create the tables once.
            conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(
        self,
        key: KeyLike,
        *,
        base: Variant,
        edited: Variant,
        focus: str | None = None,
        cursor: tuple[int, int] | None = None,
        label: str = "",
    ) -> bool:
        """Insert or replace the draft for ``key``; False (and no write) when nothing changed."""
        key = as_key(key)
        line, column = cursor if cursor is not None else (None, None)
        record = (_dump(base), _dump(edited), focus, line, column, label)
        with self._lock:
            if self._written.get(key) == record:
                return False
            now = self.clock()
            self._write(
                f"INSERT INTO drafts ({_DRAFT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (account, sequence_id, step_id, variant_id) DO UPDATE SET"
                " base = excluded.base, edited = excluded.edited, focus = excluded.focus,"
                " cursor_line = excluded.cursor_line, cursor_column = excluded.cursor_column,"
                " label = excluded.label, updated_at = excluded.updated_at",
                (*key, *record, now, now),
            )
            self._written[key] = record
        return True

    def drafts(self, account: str | None = None) -> list[Draft]:
        """Every readable draft (of one account, if given), most recently edited first."""
        order = "ORDER BY updated_at DESC, rowid DESC"
        if account is None:
            rows = self._read(f"SELECT {_DRAFT_COLUMNS} FROM drafts {order}", ())
        else:
            rows = self._read(f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE account = ? {order}", (account,))
        return [draft for draft in map(self._draft, rows) if draft is not None]

    def get_draft(self, key: KeyLike) -> Draft | None:
        """The draft for ``key``, or None."""
        rows = self._read(f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE {_KEY_WHERE}", tuple(as_key(key)))
        return self._draft(rows[0]) if rows else None

    def discard(self, key: KeyLike) -> bool:
        """Delete the draft for ``key``; True if there was one."""
        key = as_key(key)
        with self._lock:
            self._written.pop(key, None)
            return self._write(f"DELETE FROM drafts WHERE {_KEY_WHERE}", tuple(key)) > 0

    def discard_saved(self, key: KeyLike, saved: Variant | None = None) -> bool:
        """Retire the draft after a successful save; True if it was removed.

        With ``saved`` (the server's copy after the save), a draft edited further while the save
        was in flight is kept, rebased onto ``saved``, so those last keystrokes are not lost.
        """
        key = as_key(key)
        if saved is None:
            return self.discard(key)
        try:
            with self._lock, _transaction(self._conn, immediate=True):
                self._written.pop(key, None)
                row = self._conn.execute(f"SELECT edited FROM drafts WHERE {_KEY_WHERE}", tuple(key)).fetchone()
                if row is None:
                    return False
                try:
                    edited: Variant | None = Variant.model_validate_json(row[0])
                except ValidationError:
                    edited = None
                if edited is not None and not diff_variants(saved, edited):
                    self._conn.execute(f"DELETE FROM drafts WHERE {_KEY_WHERE}", tuple(key))
                    return True
                self._conn.execute(
                    f"UPDATE drafts SET base = ?, updated_at = ? WHERE {_KEY_WHERE}",
                    (_dump(saved), self.clock(), *key),
                )
                return False
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot write the drafts file {self.path}: {exc}") from exc

    # -- history ---------------------------------------------------------------------------

    def record_save(self, key: KeyLike, *, before: Variant, sent: dict[str, Any], after: Variant | None = None) -> int:
        """Remember one successful PATCH; returns the new version's id."""
        key = as_key(key)
        try:
            with self._lock, _transaction(self._conn, immediate=True):
                cursor = self._conn.execute(
                    f"INSERT INTO versions ({_VERSION_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        *key,
                        self.clock(),
                        _dump(before),
                        json.dumps(sent, ensure_ascii=False),
                        _dump(after) if after is not None else None,
                    ),
                )
                return int(cursor.lastrowid or 0)
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot write the drafts file {self.path}: {exc}") from exc

    def versions(self, key: KeyLike) -> list[Version]:
        """The saves of one variant, newest first."""
        rows = self._read(
            f"SELECT {_VERSION_COLUMNS} FROM versions WHERE {_KEY_WHERE} ORDER BY saved_at DESC, id DESC",
            tuple(as_key(key)),
        )
        return [version for version in map(self._version, rows) if version is not None]

    def version(self, version_id: int) -> Version | None:
        """One save by its id, or None."""
        rows = self._read(f"SELECT {_VERSION_COLUMNS} FROM versions WHERE id = ?", (int(version_id),))
        return self._version(rows[0]) if rows else None

    # -- plumbing --------------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        try:
            with self._lock, _transaction(self._conn, immediate=True):
                return self._conn.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot write the drafts file {self.path}: {exc}") from exc

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot read the drafts file {self.path}: {exc}") from exc

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def _draft(self, row: tuple[Any, ...]) -> Draft | None:
        key = DraftKey(*row[:4])
        try:
            base = Variant.model_validate_json(row[4])
            edited = Variant.model_validate_json(row[5])
        except (ValidationError, ValueError):
            self._problem(f"a draft of variant {key.variant_id} could not be read; it was kept as is")
            return None
        cursor = (int(row[7]), int(row[8])) if row[7] is not None and row[8] is not None else None
        return Draft(key, base, edited, row[6], cursor, row[9] or "", float(row[10]), float(row[11]))

    def _version(self, row: tuple[Any, ...]) -> Version | None:
        key = DraftKey(*row[1:5])
        try:
            before = Variant.model_validate_json(row[6])
            sent = json.loads(row[7])
            after = Variant.model_validate_json(row[8]) if row[8] is not None else None
        except (ValidationError, ValueError):
            self._problem(f"saved version {row[0]} of variant {key.variant_id} could not be read")
            return None
        return Version(int(row[0]), key, float(row[5]), before, sent if isinstance(sent, dict) else {}, after)


class _transaction:
    """``BEGIN`` … ``COMMIT``, rolled back on error (the connection is in autocommit mode)."""

    def __init__(self, conn: sqlite3.Connection, *, immediate: bool = False):
        self.conn = conn
        self.begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute(self.begin)
        return self.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
