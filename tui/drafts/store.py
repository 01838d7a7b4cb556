"""The local journal of unsaved drafts and the history of saves, in one private SQLite file.

Why SQLite: a write is one transaction, so a SIGKILL or a dropped SSH session leaves either the
previous draft or the new one, never half of either; WAL mode lets a second seqedit process read
and write the same file. The file is created 0600 before SQLite touches it (SQLite gives its -wal
and -shm files the same mode). The API key is never passed to this module, so it cannot end up
here; drafts are filed under a non-secret account label (see ``keys.account_label``).

Nothing here trusts the file system: the file is never reached through a symbolic link, a damaged
file (any page) is moved aside with what rows can still be read copied out, and a file deleted
while seqedit runs is noticed on the next write and created again. Each seqedit window files its
drafts under its own ``owner`` and leases the variants it has open (``windows``/``leases``), so
two windows on one variant keep two drafts instead of overwriting each other's.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tui.api.models import Variant

from .diff import FieldChange, diff_variants
from .keys import DraftKey, as_key

SCHEMA_VERSION = 2

# Version 2 added ``owner`` (the window that wrote a draft) to the drafts' key, and the windows
# and leases tables. A version-1 file is migrated in place; its drafts belong to no window.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    account TEXT NOT NULL,
    sequence_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    base TEXT NOT NULL,
    edited TEXT NOT NULL,
    focus TEXT,
    cursor_line INTEGER,
    cursor_column INTEGER,
    label TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (account, sequence_id, step_id, variant_id, owner)
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
CREATE TABLE IF NOT EXISTS windows (
    owner TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started TEXT NOT NULL,
    opened_at REAL NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS leases (
    account TEXT NOT NULL,
    sequence_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    since REAL NOT NULL,
    PRIMARY KEY (account, sequence_id, step_id, variant_id, owner)
);
"""

_V1_DRAFT_COLUMNS = (
    "account, sequence_id, step_id, variant_id, base, edited, focus, cursor_line, cursor_column,"
    " label, created_at, updated_at"
)
_MIGRATE_V1 = f"""
ALTER TABLE drafts RENAME TO drafts_v1;
DROP INDEX IF EXISTS drafts_by_time;
{_SCHEMA}
INSERT INTO drafts ({_V1_DRAFT_COLUMNS}) SELECT {_V1_DRAFT_COLUMNS} FROM drafts_v1;
DROP TABLE drafts_v1;
"""

_KEY_WHERE = "account = ? AND sequence_id = ? AND step_id = ? AND variant_id = ?"
_MINE = _KEY_WHERE + " AND owner = ?"
_DRAFT_COLUMNS = (
    "account, sequence_id, step_id, variant_id, base, edited, focus, cursor_line, cursor_column,"
    " label, created_at, updated_at, owner"
)
_VERSION_COLUMNS = "id, account, sequence_id, step_id, variant_id, saved_at, before, sent, after"

# Another machine's window (a home shared over NFS) counts as gone when it has not renewed its
# row for this long; one on this machine is gone as soon as its process is.
WINDOW_TTL = 120.0
RENEW_EVERY = 30.0

# sqlite3 result codes that mean the file itself is damaged (not busy, not full).
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

KeyLike = DraftKey | tuple[str, str, str, str]


class DraftStoreError(Exception):
    """The drafts file cannot be opened or written (disk full, permissions, an unsafe file)."""


@dataclass(frozen=True)
class Draft:
    """An unsaved edit: the server copy it started from (``base``) and the form state (``edited``).

    ``owner`` is the window that wrote it ("" for drafts older than owners).
    """

    key: DraftKey
    base: Variant
    edited: Variant
    focus: str | None
    cursor: tuple[int, int] | None
    label: str
    created_at: float
    updated_at: float
    owner: str = ""

    def changes(self) -> list[FieldChange]:
        """What the draft changes relative to its base."""
        return diff_variants(self.base, self.edited)


@dataclass(frozen=True)
class Window:
    """Another seqedit window using the same drafts file (for "open in another window" notices)."""

    owner: str
    pid: int
    host: str
    opened_at: float

    def describe(self) -> str:
        """ "another seqedit window (pid 1234, opened 17:20)", plain text."""
        where = "" if self.host == _HOST else f" on {self.host}"
        opened = time.strftime("%H:%M", time.localtime(self.opened_at))
        return f"another seqedit window (pid {self.pid}{where}, opened {opened})"


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
        data = self.before.model_dump(mode="json", exclude_unset=True)
        data.update(self.sent)
        return Variant.model_validate(data)

    def changes(self) -> list[FieldChange]:
        """What this save changed."""
        return diff_variants(self.before, self.result)


def _dump(variant: Variant) -> str:
    # Only the fields the server returned (or a person edited): one it never returned stays
    # unknown when the draft is read back, rather than becoming an empty value to send.
    return variant.model_dump_json(exclude_unset=True)


_HOST = socket.gethostname()


def _process_stat(pid: int) -> list[str]:
    """The fields of /proc/``pid``/stat after the command name (state first), or [] where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
    except OSError:
        return []
    return text.rpartition(")")[2].split()


def _process_started(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, from /proc), or "" where unknown.

    With the pid it tells a live window from a new process that reused a dead one's pid.
    """
    fields = _process_stat(pid)
    return fields[19] if len(fields) > 19 else ""  # field 22 of proc(5), counted after "comm"


def _process_alive(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        pass
    except OSError:
        return False
    fields = _process_stat(pid)
    # A zombie has ended: it only waits for its parent to collect its status. A window whose
    # terminal was closed is one until then, and a shell that died with the terminal leaves it to
    # init, which may take a second or two: its drafts must already be the next start's own.
    if fields[:1] in (["Z"], ["X"]):
        return False
    now = fields[19] if len(fields) > 19 else ""
    return not (started and now and now != started)


def _is_damage(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says the file is damaged (as opposed to busy, full or unwritable)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def _ensure_private(path: Path) -> None:
    """Create ``path`` 0600 if absent; refuse it (and SQLite's side files) unless a plain file of ours.

    Nothing is followed: a symbolic link planted where the drafts file goes would have SQLite
    write draft text into whatever file it points at. Existing files are checked and narrowed by
    path, never opened: closing any descriptor of a database file drops every POSIX lock this
    process holds on it, which would silently break SQLite's locking for a connection open here.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, flags, 0o600))
    for suffix in ("", "-wal", "-shm"):
        target = path.with_name(path.name + suffix)
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(info.st_mode):
            raise DraftStoreError(
                f"{target} is a symbolic link; seqedit does not follow links for its drafts file "
                "(another user may have planted it). Remove it, or set SEQEDIT_STATE_DIR to a private directory."
            )
        if not stat.S_ISREG(info.st_mode):
            raise DraftStoreError(f"{target} is not a regular file; seqedit will not use it as its drafts file")
        if info.st_uid != os.geteuid():
            raise DraftStoreError(f"{target} belongs to another user (uid {info.st_uid}); seqedit will not use it")
        if info.st_mode & 0o077:
            os.chmod(target, 0o600)


class DraftStore:
    """Drafts and save history for every account, in ``state_dir()/drafts.sqlite3`` by default.

    Every write is its own transaction. A store may be used from several threads (writes are
    serialised by a lock) and the file from several processes (WAL, with a busy timeout).
    Rows that no longer parse are skipped and described in :attr:`problems`, never deleted.
    Each store is one window: its drafts are filed under :attr:`owner`, and
    :meth:`lease` says which other live windows have a variant open.
    """

    def __init__(self, path: Path | None = None, *, clock: Callable[[], float] = time.time):
        if path is None:
            from tui.config.paths import state_dir

            path = state_dir() / "drafts.sqlite3"
        self.path = Path(path)
        self.clock = clock
        self.problems: list[str] = []  # each message once, however often the row is read
        self.owner = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.generation = 0  # +1 each time the file had to be created again while open
        self._lock = threading.RLock()
        # What this store last wrote per key, so an unchanged form costs no write at all.
        self._written: dict[DraftKey, tuple[Any, ...]] = {}
        self._renewed = 0.0
        self._identity: tuple[int, int] | None = None
        self._conn = self._open()

    # -- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        from tui.config.paths import private_directory

        private_directory(self.path.parent, "SEQEDIT_STATE_DIR")
        damage = ""
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            if not _is_damage(exc):
                raise DraftStoreError(f"cannot open the drafts file {self.path}: {exc}") from exc
            damage = str(exc)
        else:
            damage = _damage(conn)
            if not damage:
                self._register(conn)
                return conn
            conn.close()
        return self._move_aside(damage)

    def _move_aside(self, damage: str) -> sqlite3.Connection:
        """Move a damaged file aside (never delete it: it may hold someone's only copy), start a
        new one, and copy into it every row that can still be read from the old one."""
        aside = self.path.with_name(f"{self.path.name}.broken-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.rename(aside.with_name(aside.name + suffix))
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot open the drafts file {self.path}: {exc}") from exc
        drafts, versions = _salvage(aside, conn)
        saved = (
            f" {drafts} draft(s) and {versions} saved version(s) could still be read and were kept."
            if drafts or versions
            else " Nothing in it could be read."
        )
        self.problems.append(
            f"the drafts file {self.path} was damaged ({one_line_error(damage)}); it was moved to {aside}.{saved}"
        )
        self._register(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        _ensure_private(self.path)
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # One transaction: two processes starting at once create (or migrate) the tables once.
            conn.execute("BEGIN IMMEDIATE")
            try:
                columns = {row[1] for row in conn.execute("PRAGMA table_info(drafts)")}
                script = _MIGRATE_V1 if columns and "owner" not in columns else _SCHEMA
                # Statement by statement: executescript would commit the transaction first.
                for statement in filter(str.strip, script.split(";")):
                    conn.execute(statement)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            info = os.stat(self.path)
            self._identity = (info.st_dev, info.st_ino)
        except BaseException:
            conn.close()
            raise
        return conn

    def _register(self, conn: sqlite3.Connection) -> None:
        """Enter this window in the file, so that others can tell it is alive."""
        now = self.clock()
        pid = os.getpid()
        with contextlib.suppress(sqlite3.Error):  # a full disk must not stop the drafts from opening
            conn.execute(
                "INSERT OR REPLACE INTO windows (owner, pid, host, started, opened_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                (self.owner, pid, _HOST, _process_started(pid), now, now),
            )
            self._renewed = now

    def close(self) -> None:
        """Leave the file (this window's leases end) and close the connection."""
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("DELETE FROM leases WHERE owner = ?", (self.owner,))
                self._conn.execute("DELETE FROM windows WHERE owner = ?", (self.owner,))
            self._conn.close()  # a checkpoint folds the WAL back into the file

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_file(self) -> bool:
        """Create the file again if it was deleted or replaced while open; True if it was.

        Called before each write: SQLite would go on writing into the deleted file's inode,
        and every draft would vanish with the process. What this store had written is gone
        with the old file; the caller writes again what it still holds (``generation`` says so).
        """
        try:
            info = os.stat(self.path)
            if (info.st_dev, info.st_ino) == self._identity:
                return False
        except FileNotFoundError:
            pass
        except OSError:
            return False
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            for suffix in ("-wal", "-shm"):  # the old file's: they must not be applied to the new one
                with contextlib.suppress(FileNotFoundError):
                    stale = self.path.with_name(self.path.name + suffix)
                    if not self.path.exists():
                        stale.unlink()
            self._written.clear()
            try:
                from tui.config.paths import private_directory

                private_directory(self.path.parent, "SEQEDIT_STATE_DIR")  # the whole directory may be gone
                self._conn = self._connect()
            except (sqlite3.Error, OSError) as exc:
                raise DraftStoreError(f"cannot create the drafts file {self.path} again: {exc}") from exc
            self._register(self._conn)
            self.generation += 1
            self._problem(
                f"the drafts file {self.path} was deleted while seqedit was running; it was created again "
                "(drafts this window holds are written to it again; earlier save history is gone)"
            )
        return True

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
        """Insert or replace this window's draft for ``key``; False (and no write) when nothing changed."""
        key = as_key(key)
        line, column = cursor if cursor is not None else (None, None)
        record = (_dump(base), _dump(edited), focus, line, column, label)
        with self._lock:
            self.check_file()
            if self._written.get(key) == record:
                return False
            now = self.clock()
            self._write(
                f"INSERT INTO drafts ({_DRAFT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (account, sequence_id, step_id, variant_id, owner) DO UPDATE SET"
                " base = excluded.base, edited = excluded.edited, focus = excluded.focus,"
                " cursor_line = excluded.cursor_line, cursor_column = excluded.cursor_column,"
                " label = excluded.label, updated_at = excluded.updated_at",
                (*key, *record, now, now, self.owner),
            )
            self._written[key] = record
        return True

    def drafts(self, account: str | None = None) -> list[Draft]:
        """Every readable draft (of one account, if given), of every window, most recently edited first."""
        order = "ORDER BY updated_at DESC, rowid DESC"
        if account is None:
            rows = self._read(f"SELECT {_DRAFT_COLUMNS} FROM drafts {order}", ())
        else:
            rows = self._read(f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE account = ? {order}", (account,))
        return [draft for draft in map(self._draft, rows) if draft is not None]

    def get_draft(self, key: KeyLike, owner: str | None = None) -> Draft | None:
        """The draft for ``key``: ``owner``'s, else this window's, else the most recent of any window."""
        key = as_key(key)
        if owner is not None:
            rows = self._read(f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE {_MINE}", (*key, owner))
            return self._draft(rows[0]) if rows else None
        rows = self._read(
            f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE {_KEY_WHERE}"
            " ORDER BY owner = ? DESC, updated_at DESC, rowid DESC LIMIT 1",
            (*key, self.owner),
        )
        return self._draft(rows[0]) if rows else None

    def discard(self, key: KeyLike, owner: str | None = None) -> bool:
        """Delete the draft of ``key`` that ``owner`` (default: this window) wrote; True if there was one."""
        key = as_key(key)
        with self._lock:
            if owner is None or owner == self.owner:
                self._written.pop(key, None)
            return self._write(f"DELETE FROM drafts WHERE {_MINE}", (*key, owner or self.owner)) > 0

    def adopt(self, key: KeyLike, owner: str) -> bool:
        """Make ``owner``'s draft of ``key`` this window's (its window is gone); False if another
        window took it first or this window has a draft of ``key`` already."""
        key = as_key(key)
        with self._lock:
            if owner == self.owner:
                return True
            self._written.pop(key, None)
            return (
                self._write(
                    f"UPDATE OR IGNORE drafts SET owner = ? WHERE {_MINE}",
                    (self.owner, *key, owner),
                )
                > 0
            )

    def set_aside(self, key: KeyLike) -> bool:
        """Keep this window's draft of ``key`` as a separate copy that no window owns (listed with
        the others, for a person to choose); True if there was one."""
        key = as_key(key)
        with self._lock:
            self._written.pop(key, None)
            aside = f"set-aside:{uuid.uuid4().hex[:12]}"
            return self._write(f"UPDATE drafts SET owner = ? WHERE {_MINE}", (aside, *key, self.owner)) > 0

    def discard_saved(self, key: KeyLike, saved: Variant | None = None) -> bool:
        """Retire this window's draft after a successful save; True if it was removed.

        With ``saved`` (the server's copy after the save), a draft edited further while the save
        was in flight is kept, rebased onto ``saved``, so those last keystrokes are not lost.
        """
        key = as_key(key)
        if saved is None:
            return self.discard(key)
        mine = (*key, self.owner)
        try:
            with self._lock, _transaction(self._conn, immediate=True):
                self._written.pop(key, None)
                row = self._conn.execute(f"SELECT edited FROM drafts WHERE {_MINE}", mine).fetchone()
                if row is None:
                    return False
                try:
                    edited: Variant | None = Variant.model_validate_json(row[0])
                except ValidationError:
                    edited = None
                if edited is not None and not diff_variants(saved, edited):
                    self._conn.execute(f"DELETE FROM drafts WHERE {_MINE}", mine)
                    return True
                self._conn.execute(
                    f"UPDATE drafts SET base = ?, updated_at = ? WHERE {_MINE}",
                    (_dump(saved), self.clock(), *mine),
                )
                return False
        except sqlite3.Error as exc:
            raise DraftStoreError(f"cannot write the drafts file {self.path}: {exc}") from exc

    # -- windows and leases ----------------------------------------------------------------

    def live_windows(self) -> dict[str, Window]:
        """Every other window using this file that is still running, by owner.

        Rows of windows that are gone (their process ended without closing: SIGKILL, a power
        cut) are removed on the way, with their leases; their drafts stay, for adoption.
        """
        rows = self._read("SELECT owner, pid, host, started, opened_at, seen_at FROM windows", ())
        now = self.clock()
        alive: dict[str, Window] = {}
        gone: list[str] = []
        for owner, pid, host, started, opened_at, seen_at in rows:
            if owner == self.owner:
                continue
            if host == _HOST:
                living = _process_alive(int(pid), str(started))
            else:
                living = now - float(seen_at) < WINDOW_TTL
            if living:
                alive[owner] = Window(owner, int(pid), str(host), float(opened_at))
            else:
                gone.append(owner)
        for owner in gone:
            with contextlib.suppress(DraftStoreError):
                self._write("DELETE FROM leases WHERE owner = ?", (owner,))
                self._write("DELETE FROM windows WHERE owner = ?", (owner,))
        return alive

    def lease(self, key: KeyLike) -> list[Window]:
        """Note that this window has ``key`` open; the other live windows that have it open too."""
        key = as_key(key)
        with self._lock:
            self.check_file()
            self._write(
                "INSERT OR IGNORE INTO leases (account, sequence_id, step_id, variant_id, owner, since)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (*key, self.owner, self.clock()),
            )
        return self.holders(key)

    def holders(self, key: KeyLike) -> list[Window]:
        """The other live windows that have ``key`` open (leased), oldest first."""
        key = as_key(key)
        alive = self.live_windows()
        rows = self._read(f"SELECT owner FROM leases WHERE {_KEY_WHERE} ORDER BY since", tuple(key))
        return [alive[owner] for (owner,) in rows if owner in alive]

    def release(self, key: KeyLike) -> None:
        """This window no longer has ``key`` open."""
        self._write(f"DELETE FROM leases WHERE {_MINE}", (*as_key(key), self.owner))

    def renew(self) -> None:
        """Tell other machines' windows this one is alive (at most every RENEW_EVERY seconds)."""
        now = self.clock()
        if now - self._renewed < RENEW_EVERY:
            return
        with self._lock:
            changed = self._write("UPDATE windows SET seen_at = ? WHERE owner = ?", (now, self.owner))
            if not changed:
                self._register(self._conn)
            self._renewed = now

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
        return Draft(key, base, edited, row[6], cursor, row[9] or "", float(row[10]), float(row[11]), row[12] or "")

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


def one_line_error(text: str) -> str:
    return " ".join(str(text).split())[:200]


def _damage(conn: sqlite3.Connection) -> str:
    """What is wrong with an opened file ("" when SQLite's quick check finds nothing).

    A damaged page can lie anywhere; only reading it fails, and it would fail on every start.
    """
    try:
        found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)").fetchall()]
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return str(exc)
        raise DraftStoreError(f"cannot read the drafts file: {exc}") from exc
    return "" if found == ["ok"] else "; ".join(found)


def _rows(conn: sqlite3.Connection, table: str, columns: str) -> dict[int, tuple[Any, ...]]:
    """The rows of ``table`` that can be read, by rowid: forwards up to the first damaged page,
    then backwards down to it (the rows on the damaged page itself are lost)."""
    found: dict[int, tuple[Any, ...]] = {}
    for order in ("ASC", "DESC"):
        try:
            for row in conn.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid {order}"):
                if row[0] in found:
                    break
                found[int(row[0])] = tuple(row[1:])
        except sqlite3.Error:
            continue
    return found


def _salvage(broken: Path, conn: sqlite3.Connection) -> tuple[int, int]:
    """Copy the readable drafts and versions of the ``broken`` file into ``conn``; their counts."""
    try:
        old = sqlite3.connect(f"{broken.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return 0, 0
    try:
        try:
            columns = {row[1] for row in old.execute("PRAGMA table_info(drafts)")}
        except sqlite3.Error:
            return 0, 0
        draft_columns = _DRAFT_COLUMNS if "owner" in columns else _V1_DRAFT_COLUMNS
        drafts = _rows(old, "drafts", draft_columns) if columns else {}
        versions = _rows(old, "versions", _VERSION_COLUMNS)
    finally:
        old.close()
    copied = [0, 0]
    with _transaction(conn, immediate=True):
        for row in drafts.values():
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO drafts ({draft_columns}) VALUES ({', '.join('?' * len(row))})", row
            )
            copied[0] += cursor.rowcount
        for row in versions.values():
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO versions ({_VERSION_COLUMNS}) VALUES ({', '.join('?' * len(row))})", row
            )
            copied[1] += cursor.rowcount
    return copied[0], copied[1]


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
