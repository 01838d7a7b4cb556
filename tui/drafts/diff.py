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
from dataclasses import dataclass
from typing import Any

from tui.api.models import EDITABLE_FIELDS, Variant

PAYLOAD_PREFIX = "payload."
# A long value is shown as a unified diff rather than as before/after side by side.
LONG_VALUE = 80


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
        return any(
            isinstance(value, str) and (len(value) > LONG_VALUE or "\n" in value) for value in (self.before, self.after)
        )

    def lines(self, context: int = 3) -> list[str]:
        """A unified diff of the two values as text."""
        return text_diff(format_value(self.before), format_value(self.after), context=context)


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
