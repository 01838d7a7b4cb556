"""The last known listing of an account, kept on disk so the next start shows it at once
(issue 16 item 1).

What is kept: the sequence listing and the steps (with their variants) that were loaded, as the
server sent them (the fields it returned, nothing more), and when; beside the listing, each
sequence's row as the tree shows it (:class:`tui.session.workspace.SequenceRow`), so that the next
start draws the titles before pydantic and the API models are imported (benchmarks: network),
and reads the rest into models right after that first frame. Where: one file per account in
``<state>/cache/``, mode 0600 in a 0700 directory (:func:`tui.config.paths.private_directory`),
named by the profile and a digest of the base URL and of a fingerprint of the key: the key itself
is never written, and two keys (two accounts) on one host never share a file.

A cached copy is only ever shown: the app replaces it with the server's as soon as that arrives,
and a save re-reads the variant before sending anything (tui/session/save_flow.py), so nothing
cached is sent. A file that cannot be read, is too large or has another version is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.config.paths import private_directory, state_dir
from tui.session.workspace import SequenceRow, row_of

if TYPE_CHECKING:
    from tui.api.models import Sequence, Step

__all__ = [
    "CacheFile",
    "CachedListing",
    "ListingCache",
    "ListingRefresh",
    "PageUpdate",
    "account_fingerprint",
    "cache_dir",
    "clear",
]

VERSION = 2  # 2: the rows beside the listing (a file of version 1 is ignored, then rewritten)
# A listing of 5,000 sequences with their steps is a few MB; a file much larger is not ours.
MAX_BYTES = 64 * 1024 * 1024
STATE_ENV = "SEQEDIT_STATE_DIR"


def cache_dir(*, create: bool = True) -> Path:
    """``<state>/cache``: private, refused when unsafe (a :class:`DirectoryProblem`)."""
    return private_directory(state_dir() / "cache", STATE_ENV, create=create)


def account_fingerprint(base_url: str, api_key: str) -> str:
    """A digest naming the account: the base URL and a one-way fingerprint of the key."""
    key_print = hashlib.sha256(b"seqedit key fingerprint\0" + api_key.encode()).hexdigest()
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\0{key_print}".encode())
    return digest.hexdigest()[:24]


def _safe_name(profile: str | None) -> str:
    text = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in (profile or "default"))
    return text[:40] or "default"


@dataclass
class CachedListing:
    """What a cache file held: sequences in listing order, steps by sequence id, when saved."""

    sequences: list[Sequence]
    steps: dict[str, list[Step]] = field(default_factory=dict)
    saved_at: float = 0.0

    def age(self, now: float | None = None) -> float:
        """Seconds since it was saved."""
        return age_of(self.saved_at, now)


def age_of(saved_at: float, now: float | None = None) -> float:
    """Seconds since ``saved_at`` (never less than 0: a clock set back)."""
    return max(0.0, (time.time() if now is None else now) - saved_at)


@dataclass
class CacheFile:
    """A cache file as read, before any model: the rows to draw at once, the server's copies to
    read into models after the first frame (:meth:`parsed`)."""

    rows: list[SequenceRow]
    sequences: list[Any]
    steps: dict[str, list[Any]]
    saved_at: float = 0.0

    def parsed(self) -> CachedListing:
        """The listing and steps as models (items that no longer parse are left out)."""
        from tui.api.models import Sequence, Step, parse_items

        sequences = parse_items(Sequence, self.sequences).items
        steps = {ident: parse_items(Step, items).items for ident, items in self.steps.items()}
        return CachedListing(sequences, steps, self.saved_at)


def describe_age(seconds: float) -> str:
    """ "12 s", "5 min", "3 h", "2 days": how old a cached listing is, in the title."""
    if seconds < 60:
        return f"{int(seconds)} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} days"


class ListingCache:
    """One account's cache file; :meth:`load` and the ``remember_*`` methods never raise for a
    file problem (the cache is an optimisation: it is skipped, not reported as a failure)."""

    def __init__(self, base_url: str, api_key: str, profile: str | None = None, directory: Path | None = None) -> None:
        self._directory = directory
        self.name = f"{_safe_name(profile)}-{account_fingerprint(base_url, api_key)}.json"
        self._sequences: list[dict[str, Any]] | None = None
        self._rows: list[Any] = []
        self._steps: dict[str, list[dict[str, Any]]] = {}

    @property
    def path(self) -> Path:
        return (self._directory or cache_dir()) / self.name

    def load(self) -> CachedListing | None:
        """The cached listing as models, or None (no file, unreadable, another version, not ours)."""
        file = self.read()
        return None if file is None else file.parsed()

    def read(self) -> CacheFile | None:
        """The cache file without reading it into models, or None (as :meth:`load`)."""
        try:
            path = self.path
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                if info.st_uid != os.geteuid() or info.st_size > MAX_BYTES:
                    return None
                data = json.loads(handle.read(MAX_BYTES + 1))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        raw_sequences, raw_steps, raw_rows = data.get("sequences"), data.get("steps"), data.get("rows")
        if not isinstance(raw_sequences, list) or not isinstance(raw_steps, dict) or not isinstance(raw_rows, list):
            return None
        rows = [_row(item) for item in raw_rows]
        if None in rows:  # not what this code writes: not ours
            return None
        steps = {str(ident): items for ident, items in raw_steps.items() if isinstance(items, list)}
        self._sequences, self._rows, self._steps = raw_sequences, raw_rows, steps
        saved = data.get("savedAt")
        return CacheFile(
            [row for row in rows if row is not None],
            raw_sequences,
            steps,
            float(saved) if isinstance(saved, (int, float)) else 0.0,
        )

    def remember_sequences(self, sequences: list[Sequence]) -> None:
        """The complete, unfiltered listing just read: replaces the cached one (sequences gone
        from it lose their cached steps)."""
        self._sequences = [_raw(sequence) for sequence in sequences]
        self._rows = [list(row_of(sequence)) for sequence in sequences]
        listed = {sequence.id for sequence in sequences}
        self._steps = {ident: steps for ident, steps in self._steps.items() if ident in listed}
        self._write()

    def remember_steps(self, sequence_id: str, steps: list[Step]) -> None:
        """A sequence's steps just read from the server."""
        self._steps[sequence_id] = [_raw(step) for step in steps]
        if self._sequences is not None:
            self._write()

    def _write(self) -> None:
        body = json.dumps(
            {
                "version": VERSION,
                "savedAt": time.time(),
                "sequences": self._sequences or [],
                "rows": self._rows,
                "steps": self._steps,
            },
            separators=(",", ":"),
        ).encode()
        with contextlib.suppress(OSError):
            path = self.path
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            # O_EXCL | O_NOFOLLOW: a planted file or link is never written through.
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(body)
                os.replace(temporary, path)
            except OSError:
                with contextlib.suppress(OSError):
                    temporary.unlink()
                raise


def _row(item: Any) -> SequenceRow | None:
    """A row as :meth:`ListingCache.remember_sequences` writes it, or None."""
    if not isinstance(item, list) or len(item) != len(SequenceRow._fields):
        return None
    ident, title, active, client = item
    if not (isinstance(ident, str) and isinstance(title, str) and isinstance(active, bool) and isinstance(client, str)):
        return None
    return SequenceRow(ident, title, active, client)


def _raw(model: Sequence | Step) -> dict[str, Any]:
    # Only the fields the server returned: the next start parses them as the server sent them.
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def clear(directory: Path | None = None) -> int:
    """Remove every cached listing (all accounts and profiles); how many files went."""
    try:
        where = directory or cache_dir(create=False)
        files = list(where.glob("*.json")) + list(where.glob(".*.tmp"))
    except OSError:
        return 0
    removed = 0
    for path in files:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed


def for_account(account: Any, *, enabled: bool = True) -> ListingCache | None:
    """The cache of ``account`` (a :class:`tui.session.connect.Account`), or None when caching is
    off (``--no-cache``, ``cache = false``), for the demo (it is local: nothing to wait for), or
    without a key."""
    key = getattr(account, "api_key", None)
    if not enabled or account is None or getattr(account, "demo", False) or not isinstance(key, str) or not key:
        return None
    return ListingCache(str(getattr(account, "base_url", "")), key, getattr(account, "profile", None))


@dataclass
class PageUpdate:
    """What one page of the server's unfiltered listing changes in the tree."""

    rebuild: list[Sequence] | None = None  # show exactly these, in this order
    add: list[Sequence] = field(default_factory=list)  # redraw those listed, append the others
    gone: list[str] = field(default_factory=list)  # ids no longer listed: out of the tree and the workspace


class ListingRefresh:
    """One start's cached listing and the fresh one that replaces it (the main screen's
    bookkeeping, without a screen): what to show at once, which cached steps are left to show,
    what to write back, and how each page of the fresh listing changes what is shown.

    A fresh listing merges into the cached one on screen page by page (an account of more than
    one page, 1,000 sequences, had every cached sequence of the later pages vanish with the
    first fresh page until its own page came): the first page comes first, followed by the
    cached sequences not listed yet; later pages redraw theirs in place; only once the whole
    listing is known do the sequences it no longer holds go. The title says "cached" until then.
    """

    def __init__(self, cache: ListingCache | None) -> None:
        self.cache = cache
        self._file: CacheFile | None = None  # read at start, not yet read into models
        self._cached: CachedListing | None = None
        self._saved_at = 0.0
        self.showing_cached = False
        self._fresh: list[Sequence] = []
        self._shown: list[str] = []  # while merging: the order the tree shows, gone ones included
        self._started = False

    def start(self) -> CacheFile | None:
        """The cached listing to show now (None: nothing cached, or caching is off); read once.
        Only its rows are for drawing at once: :attr:`cached` reads the rest into models."""
        if self.cache is None or self._started:
            return self._file if self.showing_cached else None
        self._started = True
        file = self.cache.read()
        self._file = file if file is not None and file.rows else None
        self._saved_at = file.saved_at if file is not None else 0.0
        self.showing_cached = self._file is not None
        return self._file

    @property
    def cached(self) -> CachedListing | None:
        """The cached listing as models, read from the file the first time it is asked for
        (after the first frame, or when the fresh listing or a cached step needs it)."""
        if self._file is not None:
            file, self._file = self._file, None
            self._cached = file.parsed()
            if not self._cached.sequences:  # rows of sequences that no longer read as models
                self._cached, self.showing_cached = None, False
        return self._cached

    @cached.setter
    def cached(self, value: CachedListing | None) -> None:
        self._file, self._cached = None, value

    def marker(self) -> str | None:
        """The title's "cached 5 min ago" while cached sequences are on screen, else None."""
        if not self.showing_cached:
            return None
        return f"cached {describe_age(age_of(self._saved_at))} ago"

    def cached_steps(self, sequence_id: str) -> list[Step] | None:
        """Cached steps of a sequence, once (the server's follow at once and replace them)."""
        if self.cached is None:
            return None
        return self.cached.steps.pop(sequence_id, None)

    def fresh_page(self, sequences: list[Sequence], *, query: str, first: bool, last: bool) -> PageUpdate:
        """A page of the server's listing arrived: how the tree changes (a filtered listing's
        pages are not merged: an empty update). On the last page of an unfiltered listing the
        whole is cached, and the cached sequences it no longer holds are ``gone``."""
        if query:
            return PageUpdate()
        cached = self.cached if self.showing_cached else None
        merging = cached is not None
        if first:
            self._fresh = []
        self._fresh.extend(sequences)
        if not merging:
            update = PageUpdate(rebuild=list(sequences)) if first else PageUpdate(add=list(sequences))
        elif first and cached is not None:
            listed = {sequence.id for sequence in self._fresh}
            rest = [sequence for sequence in cached.sequences if sequence.id not in listed]
            update = PageUpdate(rebuild=self._fresh + rest)
            self._shown = [sequence.id for sequence in update.rebuild or ()]
        else:
            known = set(self._shown)
            self._shown += [sequence.id for sequence in sequences if sequence.id not in known]
            update = PageUpdate(add=list(sequences))
        if not last:
            return update
        if self.cached is not None:
            listed = {sequence.id for sequence in self._fresh}
            update.gone = [sequence.id for sequence in self.cached.sequences if sequence.id not in listed]
            self.cached = CachedListing([], self.cached.steps, self.cached.saved_at)
        if merging:
            gone = set(update.gone)
            if update.rebuild is not None:  # one page only: what it rebuilds with holds no gone one
                update.rebuild = [sequence for sequence in update.rebuild if sequence.id not in gone]
            elif [ident for ident in self._shown if ident not in gone] != [sequence.id for sequence in self._fresh]:
                update.rebuild = list(self._fresh)  # the server's order differs from the merged one
            self.showing_cached = False
        if self.cache is not None:
            self.cache.remember_sequences(self._fresh)
        self._fresh, self._shown = [], []
        return update

    def fresh_steps(self, sequence_id: str, steps: list[Step]) -> None:
        """A sequence's steps arrived from the server."""
        if self.cached is not None:
            self.cached.steps.pop(sequence_id, None)
        if self.cache is not None:
            self.cache.remember_steps(sequence_id, steps)
