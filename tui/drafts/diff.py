"""The one field-by-field diff of two variants, used by review, history and conflict screens.

Fields are compared in the order of the PATCH body; the payload is compared key by key
("payload.subject", "payload.content") because a person edits one key at a time even though the
API replaces the payload whole. Values are returned raw (as the models hold them): the screens
pass them through ``tui.text.safe_text`` before showing them.
"""

from __future__ import annotations

import difflib
import enum
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from tui.api.models import EDITABLE_FIELDS, Variant

PAYLOAD_PREFIX = "payload."
# A long value is shown as a unified diff rather than as before/after side by side.
LONG_VALUE = 80
# Word diff: words kept either side of a change, and the most token pairs compared in full
# (SequenceMatcher is quadratic at worst; past this the changed middle counts as one change).
WORD_CONTEXT = 6
WORD_DIFF_LIMIT = 4_000_000
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class _Missing:
    """A payload key one side does not have (different from a key holding None)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: ``path`` ("taskNote", "payload.subject"), its value before and after.

    A payload key present on one side only has ``MISSING`` (falsy) on the other.
    """

    path: str
    before: Any
    after: Any

    @property
    def is_long(self) -> bool:
        """True when either side is multi-line or long: show :meth:`lines` instead of both values."""
        return any(is_long_text(value) for value in (self.before, self.after))

    def lines(self, context: int = 3) -> list[str]:
        """A unified diff of the two values as text."""
        return text_diff(format_value(self.before), format_value(self.after), context=context)


def is_long_text(value: Any) -> bool:
    """Whether a value is text too long (or with line breaks) to show whole on one line."""
    return isinstance(value, str) and (len(value) > LONG_VALUE or "\n" in value)


def field_paths(a: Variant, b: Variant, *more: Variant) -> list[str]:
    """Every comparable field of the given variants, in PATCH-body order, payload keys expanded."""
    paths: list[str] = []
    for name in EDITABLE_FIELDS:
        if name != "payload":
            paths.append(name)
            continue
        keys: list[str] = []
        for variant in (a, b, *more):
            keys.extend(key for key in variant.payload if key not in keys)
        paths.extend(PAYLOAD_PREFIX + key for key in keys)
    return paths


def get_field(variant: Variant, path: str) -> Any:
    """The value at ``path`` ("status", "payload.subject"), ``MISSING`` for an absent payload key."""
    if path.startswith(PAYLOAD_PREFIX):
        return variant.payload.get(path[len(PAYLOAD_PREFIX) :], MISSING)
    return getattr(variant, path)


def diff_variants(a: Variant, b: Variant) -> list[FieldChange]:
    """The fields whose value differs between ``a`` and ``b``, in PATCH-body order."""
    changes = []
    for path in field_paths(a, b):
        before, after = get_field(a, path), get_field(b, path)
        if not same_value(before, after):
            changes.append(FieldChange(path, before, after))
    return changes


def text_diff(a: str, b: str, *, context: int = 3, labels: tuple[str, str] = ("before", "after")) -> list[str]:
    """``difflib`` unified diff lines (no trailing newlines) between two texts; [] when equal."""
    if a == b:
        return []
    return list(
        difflib.unified_diff(
            a.splitlines(), b.splitlines(), fromfile=labels[0], tofile=labels[1], lineterm="", n=context
        )
    )


def format_value(value: Any) -> str:
    """A field value as a person reads it: "(none)" for nothing, names for enums, lists joined."""
    if value is MISSING or value is None:
        return "(none)"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) for item in value) or "(empty)"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def same_value(a: Any, b: Any) -> bool:
    """Whether two field values count as unchanged (``MISSING`` equals only itself)."""
    # Strict equality, as ``build_update`` uses: the review must show exactly what will be sent.
    if a is MISSING or b is MISSING:
        return a is b
    return a == b


WordKind = Literal["same", "removed", "added", "gap"]


@dataclass(frozen=True)
class WordPiece:
    """A run of text in a word diff: kept, removed, added, or a gap of unchanged text left out."""

    text: str
    kind: WordKind


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _kept(tokens: list[str], *, head: bool, tail: bool, context: int) -> list[WordPiece]:
    """Unchanged tokens around changes: ``context`` words after the change before them (``head``)
    and before the change after them (``tail``), the rest as one gap."""
    words = [index for index, token in enumerate(tokens) if token[0].isalnum() or token[0] == "_"]
    if len(words) <= (context if head else 0) + (context if tail else 0) + 1:
        return [WordPiece("".join(tokens), "same")] if tokens else []
    pieces: list[WordPiece] = []
    start_gap = words[context] if head else 0
    end_gap = words[-context] if tail else len(tokens)
    if head:
        pieces.append(WordPiece("".join(tokens[:start_gap]), "same"))
    pieces.append(WordPiece("", "gap"))
    if tail:
        pieces.append(WordPiece("".join(tokens[end_gap:]), "same"))
    return pieces


def word_diff(before: str, after: str, *, context: int = WORD_CONTEXT) -> list[WordPiece]:
    """Where two texts differ, word by word: each change with ``context`` words around it, the
    unchanged stretches between changes as gaps. [] when the texts are equal.

    Tokens are words, runs of white space and single punctuation marks (so an HTML tag's ``<p>``
    is three). The common start and end are found first, so a local edit in a 100 KB body costs
    little; a changed middle too large to compare in full counts as one change.
    """
    if before == after:
        return []
    a, b = _words(before), _words(after)
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    runs: list[tuple[str, list[str], list[str]]] = [("equal", a[:start], a[:start])]
    if len(middle_a) * len(middle_b) > WORD_DIFF_LIMIT:
        runs.append(("replace", middle_a, middle_b))
    else:
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for opcode, i1, i2, j1, j2 in matcher.get_opcodes():
            runs.append((opcode, middle_a[i1:i2], middle_b[j1:j2]))
    runs.append(("equal", a[len(a) - end :], a[len(a) - end :]))
    runs = [run for run in runs if run[1] or run[2]]
    pieces: list[WordPiece] = []
    for index, (tag, old, new) in enumerate(runs):
        if tag == "equal":
            changed_before = index > 0
            changed_after = index < len(runs) - 1
            pieces.extend(_kept(old, head=changed_before, tail=changed_after, context=context))
            continue
        if old:
            pieces.append(WordPiece("".join(old), "removed"))
        if new:
            pieces.append(WordPiece("".join(new), "added"))
    return [piece for piece in pieces if piece.text or piece.kind == "gap"]
