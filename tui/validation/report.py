"""Building findings from catalogue entries, and reading a draft's text fields defensively."""

from __future__ import annotations

from typing import Any

from .catalogue import RULES
from .findings import Finding, Severity


def finding(
    rule_id: str,
    field: str,
    message: str,
    hint: str,
    span: tuple[int, int] | None = None,
    *,
    threshold: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of ``rule_id``; severity and threshold default to the catalogue's."""
    rule = RULES[rule_id]
    return Finding(
        rule_id=rule_id,
        severity=severity or rule.severity,
        field=field,
        message=message,
        hint=hint,
        span=span,
        threshold=threshold if threshold is not None else rule.threshold,
    )


def payload_of(draft: Any) -> dict[str, Any]:
    """The draft's payload when it is a mapping, else an empty one (api.payload-keys reports it)."""
    payload = getattr(draft, "payload", None)
    return payload if isinstance(payload, dict) else {}


def text_fields(draft: Any) -> list[tuple[str, str]]:
    """(field path, text) of every text the prospect or the task doer reads."""
    fields = [(f"payload.{key}", value) for key, value in payload_of(draft).items() if isinstance(value, str)]
    note = getattr(draft, "taskNote", None)
    if isinstance(note, str):
        fields.append(("taskNote", note))
    return fields


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"
