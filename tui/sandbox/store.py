"""The sandbox's account, kept in SQLite (stdlib ``sqlite3``).

One connection, shared across threads behind a lock: every read and write takes the lock, and
every write is one transaction in which the checks and the write happen together, so concurrent
requests cannot interleave a check with someone else's write. File databases use WAL.

Two APIs live here:

* what the endpoints need (``list_sequences``, ``steps_of``, ``update_variant``, …), returning the
  wire shapes of ``/work/shared/api.md``;
* a small seeding API for the demo data and for tests, which plants anything, unchecked,
  including hostile text: ``add_team``, ``add_user``, ``add_client``, ``add_sequence``,
  ``add_step``, ``add_variant``, ``set_variant_payload``, ``add_attachment``, ``add_field``,
  ``add_prospect``.
"""

from __future__ import annotations

import json
import random
import sqlite3
import string
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.api.channels import Channel, Priority, UnknownChannelError, variant_slots

from .rules import VariantContext, check_test_email, check_variant_body

ID_ALPHABET = string.ascii_letters + string.digits
SUCCESS_MESSAGE = "Sequence step variant updated successfully"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, team_id TEXT, pos INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, company_name TEXT, first_name TEXT, last_name TEXT);
CREATE TABLE IF NOT EXISTS sequences (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, active INTEGER NOT NULL, client_id TEXT, user_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
    id TEXT PRIMARY KEY, sequence_id TEXT NOT NULL, name TEXT NOT NULL, channel TEXT NOT NULL,
    absolute_days INTEGER NOT NULL, pos INTEGER NOT NULL, priority TEXT, assignee_id TEXT
);
CREATE INDEX IF NOT EXISTS steps_by_sequence ON steps (sequence_id, absolute_days, pos);
CREATE TABLE IF NOT EXISTS variants (
    id TEXT PRIMARY KEY, step_id TEXT NOT NULL, pos INTEGER NOT NULL, channel TEXT, payload TEXT NOT NULL,
    status INTEGER NOT NULL, task_note TEXT, attachment_ids TEXT NOT NULL, priority TEXT, assignee_id TEXT
);
CREATE INDEX IF NOT EXISTS variants_by_step ON variants (step_id, pos);
CREATE TABLE IF NOT EXISTS attachments (id TEXT PRIMARY KEY, name TEXT, size INTEGER, content_type TEXT);
CREATE TABLE IF NOT EXISTS fields (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, field_type TEXT, fallback_text TEXT, system INTEGER NOT NULL,
    pos INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS prospects (id TEXT PRIMARY KEY, name TEXT, fields TEXT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS email_accounts (
    id TEXT PRIMARY KEY, from_name TEXT, from_email TEXT NOT NULL, pos INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sequence_senders (sequence_id TEXT NOT NULL, account_id TEXT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    n INTEGER PRIMARY KEY AUTOINCREMENT, sequence_id TEXT NOT NULL, account_id TEXT NOT NULL, from_email TEXT,
    recipients TEXT NOT NULL, subject TEXT, preheader TEXT, content TEXT
);
"""
TABLES = (
    "meta",
    "teams",
    "users",
    "clients",
    "sequences",
    "steps",
    "variants",
    "attachments",
    "fields",
    "prospects",
    "email_accounts",
    "sequence_senders",
    "outbox",
)


class NotFound(LookupError):
    """A sequence, step or variant that does not exist (or is not where the path says)."""


class Rejected(ValueError):
    """A request body that breaks an API rule; ``messages`` names each broken rule."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass
class SequenceIds:
    """The ids created by :meth:`SandboxStore.add_sequence`."""

    sequence_id: str
    step_ids: list[str] = field(default_factory=list)
    variant_ids: list[list[str]] = field(default_factory=list)


@dataclass
class StepIds:
    """The ids created by :meth:`SandboxStore.add_step`."""

    step_id: str
    variant_ids: list[str] = field(default_factory=list)


class IdMaker:
    """Opaque hashid-like ids (mostly 10 characters) from a seeded RNG: same seed, same ids."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._seen: set[str] = set()

    def make(self, length: int | None = None) -> str:
        while True:
            if length is None:
                # Most ids are 10 characters; a few are shorter, as on the real API.
                roll = self._rng.random()
                size = 6 if roll < 0.03 else 8 if roll < 0.08 else 10
            else:
                size = length
            new = "".join(self._rng.choices(ID_ALPHABET, k=size))
            if new not in self._seen:
                self._seen.add(new)
                return new


def _channel_text(channel: Channel | str | int) -> str:
    """Store known channels by wire name; keep anything else as given (tests plant odd ones)."""
    try:
        return Channel.parse(channel).value
    except UnknownChannelError:
        return str(channel)


def _makes_active(body: Any, *, default: bool) -> bool:
    """Whether a variant body leaves the variant active (a POST without status adds it active)."""
    if not isinstance(body, dict) or "status" not in body:
        return default
    return body["status"] == 1


def _wire_channel(stored: str) -> str | int:
    return int(stored) if stored.isdigit() else stored


def _priority_text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return Priority.parse(value).value
    except ValueError:
        return str(value)


class SandboxStore:
    """The sandbox account in SQLite; thread-safe; see the module docstring for its two APIs."""

    def __init__(self, db_path: str | Path = ":memory:", *, seed: int = 7) -> None:
        self.path = str(db_path)
        self.ids = IdMaker(seed)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.row_factory = sqlite3.Row
        self._conn.create_function("py_lower", 1, lambda text: (text or "").casefold(), deterministic=True)
        if self.path != ":memory:" and not self.path.startswith("file::memory:"):
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            self._conn.executescript(SCHEMA)
            latest = self._conn.execute("SELECT MAX(created_at) FROM sequences").fetchone()[0]
        # New sequences are always newer than what a reopened file already holds.
        self._clock = max(1_700_000_000, latest or 0)

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one IMMEDIATE transaction; commit on success, roll back on error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        """Close the connection (tests call this; the app keeps it for its lifetime)."""
        with self._lock:
            self._conn.close()

    def is_empty(self) -> bool:
        """True when no sequence and no field exists yet."""
        return not self._read("SELECT 1 FROM sequences LIMIT 1") and not self._read("SELECT 1 FROM fields LIMIT 1")

    def clear(self) -> None:
        """Delete every row of every table (``reset``)."""
        with self.transaction() as conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def counts(self) -> dict[str, int]:
        """Rows per table, e.g. ``{"sequences": 8, "steps": 40, "variants": 60, …}``."""
        return {table: self._read(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] for table in TABLES}

    def _new_id(self, conn: sqlite3.Connection, table: str) -> str:
        # Reopened file databases restart the RNG, so a new id may already exist: draw again.
        while True:
            new = self.ids.make()
            if not conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (new,)).fetchone():
                return new

    def _tick(self) -> int:
        self._clock += 3600
        return self._clock

    # ------------------------------------------------------------------ seeding API

    def add_team(self, name: str) -> str:
        """Add an assignee team; returns its id."""
        with self.transaction() as conn:
            new = self._new_id(conn, "teams")
            pos = conn.execute("SELECT COUNT(*) FROM teams").fetchone()[0]
            conn.execute("INSERT INTO teams VALUES (?, ?, ?)", (new, name, pos))
            return new

    def add_user(self, first_name: str, last_name: str, email: str, *, team_id: str | None = None) -> str:
        """Add a user (an assignee when it has a team, and a possible sequence owner); returns its id."""
        with self.transaction() as conn:
            new = self._new_id(conn, "users")
            pos = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
            conn.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", (new, first_name, last_name, email, team_id, pos)
            )
            return new

    def add_client(self, company_name: str | None, first_name: str | None = None, last_name: str | None = None) -> str:
        """Add an agency client; returns its id."""
        with self.transaction() as conn:
            new = self._new_id(conn, "clients")
            conn.execute("INSERT INTO clients VALUES (?, ?, ?, ?)", (new, company_name, first_name, last_name))
            return new

    def add_sequence(
        self,
        title: str,
        *,
        active: bool = True,
        client: str | None = None,
        user: str | None = None,
        steps: Sequence[Mapping[str, Any]] = (),
    ) -> SequenceIds:
        """Add a sequence and its steps; returns the ids made.

        ``client`` and ``user`` are ids from :meth:`add_client` / :meth:`add_user` (``user``
        defaults to the first user, creating one if there is none). Each item of ``steps`` is
        the keyword arguments of :meth:`add_step` without ``sequence_id``, e.g.
        ``{"channel": "Email", "day": 1, "variants": [{"payload": {...}}]}``.
        """
        if user is None:
            first = self._read("SELECT id FROM users ORDER BY pos LIMIT 1")
            user = first[0]["id"] if first else self.add_user("Sandbox", "Owner", "owner@sandbox.invalid")
        with self.transaction() as conn:
            new = self._new_id(conn, "sequences")
            conn.execute(
                "INSERT INTO sequences VALUES (?, ?, ?, ?, ?, ?)",
                (new, title, int(bool(active)), client, user, self._tick()),
            )
        made = SequenceIds(sequence_id=new)
        for spec in steps:
            step = self.add_step(new, **spec)
            made.step_ids.append(step.step_id)
            made.variant_ids.append(step.variant_ids)
        return made

    def add_step(
        self,
        sequence_id: str,
        channel: Channel | str | int,
        day: int,
        variants: Sequence[Mapping[str, Any]] = (),
        *,
        name: str | None = None,
        priority: str | int | None = None,
        assignee_id: str | None = None,
    ) -> StepIds:
        """Add a step on ``day`` (its absoluteDays) with ``variants``; unchecked. Returns the ids.

        Each variant is a mapping of :meth:`add_variant`'s keyword arguments in wire spelling:
        ``payload``, ``status``, ``taskNote``, ``attachmentIds``, ``priority``, ``assigneeId``,
        and ``type`` to plant a variant whose type differs from its step.
        """
        stored = _channel_text(channel)
        if name is None:
            try:
                name = Channel.parse(stored).label
            except UnknownChannelError:
                name = stored
        with self.transaction() as conn:
            if not conn.execute("SELECT 1 FROM sequences WHERE id = ?", (sequence_id,)).fetchone():
                raise NotFound(f"sequence {sequence_id} not found")
            new = self._new_id(conn, "steps")
            pos = conn.execute("SELECT COUNT(*) FROM steps WHERE sequence_id = ?", (sequence_id,)).fetchone()[0]
            conn.execute(
                "INSERT INTO steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (new, sequence_id, name, stored, day, pos, _priority_text(priority), assignee_id),
            )
        made = StepIds(step_id=new)
        for spec in variants:
            made.variant_ids.append(
                self.add_variant(
                    new,
                    spec.get("payload", {}),
                    status=spec.get("status", 1),
                    task_note=spec.get("taskNote"),
                    attachment_ids=spec.get("attachmentIds", ()),
                    priority=spec.get("priority"),
                    assignee_id=spec.get("assigneeId"),
                    channel=spec.get("type"),
                )
            )
        return made

    def add_variant(
        self,
        step_id: str,
        payload: Any,
        *,
        status: int = 1,
        task_note: str | None = None,
        attachment_ids: Iterable[str] = (),
        priority: str | int | None = None,
        assignee_id: str | None = None,
        channel: Channel | str | int | None = None,
    ) -> str:
        """Append a variant to a step, unchecked (any payload, any text); returns its id."""
        with self.transaction() as conn:
            if not conn.execute("SELECT 1 FROM steps WHERE id = ?", (step_id,)).fetchone():
                raise NotFound(f"step {step_id} not found")
            new = self._new_id(conn, "variants")
            pos = conn.execute(
                "SELECT COALESCE(MAX(pos) + 1, 0) FROM variants WHERE step_id = ?", (step_id,)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new,
                    step_id,
                    pos,
                    None if channel is None else _channel_text(channel),
                    json.dumps(payload),
                    status,
                    task_note,
                    json.dumps(list(attachment_ids)),
                    _priority_text(priority),
                    assignee_id,
                ),
            )
            return new

    def set_variant_payload(self, variant_id: str, payload: Any) -> None:
        """Replace a variant's stored payload with anything JSON-serialisable, unchecked."""
        with self.transaction() as conn:
            cursor = conn.execute("UPDATE variants SET payload = ? WHERE id = ?", (json.dumps(payload), variant_id))
            if cursor.rowcount == 0:
                raise NotFound(f"variant {variant_id} not found")

    def add_attachment(self, name: str, size: int, content_type: str | None = None) -> dict[str, Any]:
        """Record an uploaded file (its bytes are not kept); returns ``{id, name, size, contentType}``."""
        with self.transaction() as conn:
            new = self._new_id(conn, "attachments")
            conn.execute("INSERT INTO attachments VALUES (?, ?, ?, ?)", (new, name, size, content_type))
        return {"id": new, "name": name, "size": size, "contentType": content_type}

    def add_field(
        self, label: str, *, field_type: str = "text", fallback_text: str | None = None, system: bool = False
    ) -> str:
        """Add a prospect field (a merge tag); returns its id."""
        with self.transaction() as conn:
            new = self._new_id(conn, "fields")
            pos = conn.execute("SELECT COUNT(*) FROM fields").fetchone()[0]
            conn.execute(
                "INSERT INTO fields VALUES (?, ?, ?, ?, ?, ?)",
                (new, label, field_type, fallback_text, int(system), pos),
            )
            return new

    def add_prospect(self, name: str, fields: Mapping[str, str]) -> str:
        """Add a sample prospect: field label → value. Returns its id."""
        with self.transaction() as conn:
            new = self._new_id(conn, "prospects")
            pos = conn.execute("SELECT COUNT(*) FROM prospects").fetchone()[0]
            conn.execute("INSERT INTO prospects VALUES (?, ?, ?, ?)", (new, name, json.dumps(dict(fields)), pos))
            return new

    # ------------------------------------------------------------------ reads (wire shapes)

    def list_sequences(
        self,
        *,
        name: str | None = None,
        page: int = 1,
        page_size: int = 100,
        descending: bool = True,
        sort_by: str = "sequence.createdAt",
        client_ids: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """One page of ``GET /v1/sequences`` items, ``{id, title, active, steps, client, user}``."""
        where: list[str] = []
        params: list[Any] = []
        if name:
            where.append("instr(py_lower(s.title), ?) > 0")
            params.append(name.casefold())
        if client_ids:
            where.append(f"s.client_id IN ({','.join('?' * len(client_ids))})")
            params.extend(client_ids)
        order_col = "py_lower(s.title)" if sort_by == "sequence.title" else "s.created_at"
        direction = "DESC" if descending else "ASC"
        sql = (
            "SELECT s.id, s.title, s.active, c.id AS c_id, c.company_name, c.first_name AS c_first,"
            " c.last_name AS c_last, u.id AS u_id, u.first_name AS u_first, u.last_name AS u_last, u.email AS u_email"
            " FROM sequences s LEFT JOIN clients c ON c.id = s.client_id LEFT JOIN users u ON u.id = s.user_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {order_col} {direction}, s.rowid {direction} LIMIT ? OFFSET ?"
        )
        params.extend([page_size, (page - 1) * page_size])
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
            step_rows: dict[str, list[dict[str, str]]] = {row["id"]: [] for row in rows}
            ids = list(step_rows)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for step in self._conn.execute(
                    f"SELECT id, name, sequence_id FROM steps WHERE sequence_id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY sequence_id, absolute_days, pos",
                    chunk,
                ):
                    step_rows[step["sequence_id"]].append({"id": step["id"], "name": step["name"]})
        return [
            {
                "id": row["id"],
                "title": row["title"],
                "active": bool(row["active"]),
                "steps": step_rows[row["id"]],
                "client": None
                if row["c_id"] is None
                else {
                    "id": row["c_id"],
                    "companyName": row["company_name"],
                    "firstName": row["c_first"],
                    "lastName": row["c_last"],
                },
                "user": None
                if row["u_id"] is None
                else {
                    "id": row["u_id"],
                    "firstName": row["u_first"],
                    "lastName": row["u_last"],
                    "email": row["u_email"],
                },
            }
            for row in rows
        ]

    def _attachments_by_id(self, conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = conn.execute(f"SELECT * FROM attachments WHERE id IN ({','.join('?' * len(wanted))})", wanted)
        return {
            r["id"]: {"id": r["id"], "name": r["name"], "size": r["size"], "contentType": r["content_type"]}
            for r in rows
        }

    def _variant_dicts(self, conn: sqlite3.Connection, step: sqlite3.Row) -> list[dict[str, Any]]:
        rows = conn.execute("SELECT * FROM variants WHERE step_id = ? ORDER BY pos", (step["id"],)).fetchall()
        lists = [json.loads(row["attachment_ids"]) for row in rows]
        known = self._attachments_by_id(conn, (item for ids in lists for item in ids if isinstance(item, str)))
        return [
            {
                "id": row["id"],
                "type": _wire_channel(row["channel"] or step["channel"]),
                "payload": json.loads(row["payload"]),
                "status": row["status"],
                "taskNote": row["task_note"],
                "attachmentIds": ids,
                "priority": row["priority"],
                "assigneeId": row["assignee_id"],
                "absoluteDays": step["absolute_days"],
                "attachments": [known[item] for item in ids if item in known],
            }
            for row, ids in zip(rows, lists)
        ]

    def _step_rows(self, conn: sqlite3.Connection, sequence_id: str) -> list[sqlite3.Row]:
        if not conn.execute("SELECT 1 FROM sequences WHERE id = ?", (sequence_id,)).fetchone():
            raise NotFound(f"sequence {sequence_id} not found")
        return conn.execute(
            "SELECT * FROM steps WHERE sequence_id = ? ORDER BY absolute_days, pos", (sequence_id,)
        ).fetchall()

    def steps_of(self, sequence_id: str) -> list[dict[str, Any]]:
        """``GET /v1/sequences/{id}/steps``: every step with its variants. Raises NotFound."""
        with self._lock:
            steps = self._step_rows(self._conn, sequence_id)
            return [
                {
                    "id": step["id"],
                    "name": step["name"],
                    "number": number,
                    "type": _wire_channel(step["channel"]),
                    "absoluteDays": step["absolute_days"],
                    "priority": step["priority"],
                    "assigneeId": step["assignee_id"],
                    "variants": self._variant_dicts(self._conn, step),
                }
                for number, step in enumerate(steps, start=1)
            ]

    def variants_of(self, sequence_id: str, step_id: str) -> list[dict[str, Any]]:
        """``GET /v1/sequences/{id}/steps/{stepId}``: the step's variants. Raises NotFound."""
        with self._lock:
            step = self._find_step(self._conn, sequence_id, step_id)
            variants = self._variant_dicts(self._conn, step)
        step_status = int(any(item["status"] == 1 for item in variants))
        automatic = step["channel"] == Channel.EMAIL.value
        for item in variants:
            item["stepStatus"] = step_status
            item["executionType"] = "Automatic" if automatic else "Manual"
        return variants

    def get_variant(self, variant_id: str) -> dict[str, Any]:
        """One variant in wire shape, found by id alone (tests compare before and after)."""
        with self._lock:
            row = self._conn.execute("SELECT step_id FROM variants WHERE id = ?", (variant_id,)).fetchone()
            if row is None:
                raise NotFound(f"variant {variant_id} not found")
            step = self._conn.execute("SELECT * FROM steps WHERE id = ?", (row["step_id"],)).fetchone()
            return next(item for item in self._variant_dicts(self._conn, step) if item["id"] == variant_id)

    def assignees(self) -> list[dict[str, Any]]:
        """``GET /v1/tasks/assignee/list``: teams with their users."""
        with self._lock:
            teams = self._conn.execute("SELECT * FROM teams ORDER BY pos").fetchall()
            users = self._conn.execute("SELECT * FROM users WHERE team_id IS NOT NULL ORDER BY pos").fetchall()
        return [
            {
                "id": team["id"],
                "teamName": team["name"],
                "users": [
                    {
                        "id": u["id"],
                        "userName": " ".join(p for p in (u["first_name"], u["last_name"]) if p),
                        "email": u["email"],
                    }
                    for u in users
                    if u["team_id"] == team["id"]
                ],
            }
            for team in teams
        ]

    def fields(self, *, system: bool) -> list[dict[str, Any]]:
        """``GET /v1/fields``: custom fields, plus system fields when ``system``."""
        rows = self._read(
            "SELECT * FROM fields" + ("" if system else " WHERE system = 0") + " ORDER BY system DESC, pos"
        )
        result = []
        for row in rows:
            item: dict[str, Any] = {"id": row["id"], "label": row["label"], "fieldType": row["field_type"]}
            if row["fallback_text"] is not None:
                item["fallbackText"] = row["fallback_text"]
            result.append(item)
        return result

    def prospects(self) -> list[dict[str, Any]]:
        """``GET /v1/sandbox/prospects``: sample prospects, ``{id, name, fields: {label: value}}``."""
        rows = self._read("SELECT * FROM prospects ORDER BY pos")
        return [{"id": row["id"], "name": row["name"], "fields": json.loads(row["fields"])} for row in rows]

    # ------------------------------------------------------------------ checked writes

    def _find_step(self, conn: sqlite3.Connection, sequence_id: str, step_id: str) -> sqlite3.Row:
        step = conn.execute("SELECT * FROM steps WHERE id = ? AND sequence_id = ?", (step_id, sequence_id)).fetchone()
        if step is None:
            if not conn.execute("SELECT 1 FROM sequences WHERE id = ?", (sequence_id,)).fetchone():
                raise NotFound(f"sequence {sequence_id} not found")
            raise NotFound(f"step {step_id} not found in sequence {sequence_id}")
        return step

    def _context(self, conn: sqlite3.Connection, step: sqlite3.Row) -> VariantContext:
        try:
            channel = Channel.parse(step["channel"])
        except UnknownChannelError as exc:
            raise Rejected([f"the step's channel {step['channel']!r} cannot be edited"]) from exc
        days = conn.execute(
            "SELECT absolute_days FROM steps WHERE sequence_id = ? AND id != ? AND channel = ?",
            (step["sequence_id"], step["id"], Channel.EMAIL.value),
        ).fetchall()
        return VariantContext(
            channel=channel,
            other_email_days=frozenset(row[0] for row in days),
            attachment_ids=frozenset(row[0] for row in conn.execute("SELECT id FROM attachments")),
            assignee_ids=frozenset(row[0] for row in conn.execute("SELECT id FROM users")),
        )

    def _apply(self, conn: sqlite3.Connection, step: sqlite3.Row, variant_id: str, body: Mapping[str, Any]) -> None:
        columns: dict[str, tuple[str, Callable[[Any], Any]]] = {
            "status": ("status", lambda v: v),
            "taskNote": ("task_note", lambda v: v),
            "payload": ("payload", json.dumps),
            "attachmentIds": ("attachment_ids", json.dumps),
            "priority": ("priority", _priority_text),
            "assigneeId": ("assignee_id", lambda v: v),
        }
        sets = [(column, convert(body[key])) for key, (column, convert) in columns.items() if key in body]
        if sets:
            conn.execute(
                f"UPDATE variants SET {', '.join(f'{column} = ?' for column, _ in sets)} WHERE id = ?",
                [value for _, value in sets] + [variant_id],
            )
        # absoluteDays moves the whole step; priority and assignee also show on the step.
        step_sets = [("absolute_days", body["absoluteDays"])] if "absoluteDays" in body else []
        step_sets += [(column, value) for column, value in sets if column in ("priority", "assignee_id")]
        if step_sets:
            conn.execute(
                f"UPDATE steps SET {', '.join(f'{column} = ?' for column, _ in step_sets)} WHERE id = ?",
                [value for _, value in step_sets] + [step["id"]],
            )

    def update_variant(self, sequence_id: str, step_id: str, variant_id: str, body: Any) -> None:
        """The PATCH: check every rule, then write, in one transaction.

        Raises NotFound for an unknown sequence/step/variant (or a variant of another step) and
        Rejected, with one message per broken rule, before anything is written.
        """
        with self.transaction() as conn:
            step = self._find_step(conn, sequence_id, step_id)
            if not conn.execute(
                "SELECT 1 FROM variants WHERE id = ? AND step_id = ?", (variant_id, step_id)
            ).fetchone():
                raise NotFound(f"variant {variant_id} not found in step {step_id}")
            context = self._context(conn, step)
            problems = check_variant_body(body, context)
            if not problems and _makes_active(body, default=False):
                others = conn.execute(
                    "SELECT status FROM variants WHERE step_id = ? AND id != ?", (step_id, variant_id)
                ).fetchall()
                active_refusal = variant_slots(context.channel, [row[0] for row in others]).active_refusal
                if active_refusal:
                    problems.append(active_refusal.replace("add this one paused", "keep this one paused"))
            if problems:
                raise Rejected(problems)
            self._apply(conn, step, variant_id, body)

    def create_variant(self, sequence_id: str, step_id: str, body: Any) -> dict[str, Any]:
        """``POST …/variants``: check the rules and the channel's variant limit, add, return it."""
        with self.transaction() as conn:
            step = self._find_step(conn, sequence_id, step_id)
            context = self._context(conn, step)
            problems = check_variant_body(body, context, adding=True)
            statuses = [row[0] for row in conn.execute("SELECT status FROM variants WHERE step_id = ?", (step_id,))]
            slots = variant_slots(context.channel, statuses)
            if slots.refusal:
                problems.append(slots.refusal)
            elif slots.active_refusal and _makes_active(body, default=True):
                problems.append(slots.active_refusal)
            if problems:
                raise Rejected(problems)
            new = self._new_id(conn, "variants")
            pos = conn.execute(
                "SELECT COALESCE(MAX(pos) + 1, 0) FROM variants WHERE step_id = ?", (step_id,)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO variants VALUES (?, ?, ?, NULL, ?, ?, NULL, '[]', NULL, NULL)",
                (new, step_id, pos, json.dumps(body["payload"]), body.get("status", 1)),
            )
            self._apply(
                conn, step, new, {key: value for key, value in body.items() if key not in ("payload", "status", "type")}
            )
            step = conn.execute("SELECT * FROM steps WHERE id = ?", (step_id,)).fetchone()
            return next(item for item in self._variant_dicts(conn, step) if item["id"] == new)

    # ------------------------------------------------------------------ senders and test emails

    def add_email_account(self, from_name: str, from_email: str, *, sequences: Sequence[str] = ()) -> str:
        """Add a sending account, connected to the ``sequences`` given; returns its id."""
        with self.transaction() as conn:
            new = self._new_id(conn, "email_accounts")
            pos = conn.execute("SELECT COUNT(*) FROM email_accounts").fetchone()[0]
            conn.execute("INSERT INTO email_accounts VALUES (?, ?, ?, ?)", (new, from_name, from_email, pos))
        for sequence_id in sequences:
            self.connect_email_account(sequence_id, new)
        return new

    def connect_email_account(self, sequence_id: str, account_id: str) -> None:
        with self.transaction() as conn:
            pos = conn.execute("SELECT COUNT(*) FROM sequence_senders WHERE sequence_id = ?", (sequence_id,)).fetchone()
            conn.execute("INSERT INTO sequence_senders VALUES (?, ?, ?)", (sequence_id, account_id, pos[0]))

    def sequence_ids(self) -> list[tuple[str, str]]:
        """(id, title) of every sequence, oldest first (the seeding order)."""
        return [(row["id"], row["title"]) for row in self._read("SELECT id, title FROM sequences ORDER BY created_at")]

    def email_accounts_of(self, sequence_id: str) -> list[dict[str, Any]]:
        """``GET /v1/sequences/{id}/email-accounts``: the senders connected to it. Raises NotFound."""
        with self._lock:
            if not self._conn.execute("SELECT 1 FROM sequences WHERE id = ?", (sequence_id,)).fetchone():
                raise NotFound(f"sequence {sequence_id} not found")
            rows = self._conn.execute(
                "SELECT a.* FROM sequence_senders s JOIN email_accounts a ON a.id = s.account_id "
                "WHERE s.sequence_id = ? ORDER BY s.pos",
                (sequence_id,),
            ).fetchall()
        return [{"id": row["id"], "fromName": row["from_name"], "fromEmail": row["from_email"]} for row in rows]

    def send_test_email(self, sequence_id: str, body: Any) -> dict[str, Any]:
        """``POST /v1/sequences/{id}/test-email``: check it, then keep it in the outbox (nothing
        leaves the machine). Raises NotFound or Rejected; returns the outbox entry."""
        senders = {item["id"]: item for item in self.email_accounts_of(sequence_id)}
        problems = check_test_email(body, frozenset(senders))
        if problems:
            raise Rejected(problems)
        recipients = [body["to"]] if isinstance(body["to"], str) else list(body["to"])
        sender = senders[body["fromEmailAccountId"]]
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO outbox (sequence_id, account_id, from_email, recipients, subject, preheader, content) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    sequence_id,
                    sender["id"],
                    sender["fromEmail"],
                    json.dumps(recipients),
                    body.get("subject"),
                    body.get("preheader"),
                    body.get("content"),
                ),
            )
            number = cursor.lastrowid
        return next(item for item in self.outbox() if item["n"] == number)

    def outbox(self) -> list[dict[str, Any]]:
        """Every test email the sandbox was asked to send, oldest first."""
        return [
            {
                "n": row["n"],
                "sequenceId": row["sequence_id"],
                "fromEmailAccountId": row["account_id"],
                "fromEmail": row["from_email"],
                "to": json.loads(row["recipients"]),
                "subject": row["subject"],
                "preheader": row["preheader"],
                "content": row["content"],
            }
            for row in self._read("SELECT * FROM outbox ORDER BY n")
        ]

    def attachment_ids(self) -> set[str]:
        """Every attachment id the account has."""
        return {row["id"] for row in self._read("SELECT id FROM attachments")}
