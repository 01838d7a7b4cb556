"""What the engine reports: a severity, a finding, and the catalogue entry of a rule."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tui.api.channels import TEXT_KEYS


class Severity(str, enum.Enum):
    """E blocks saving, W warns (shown again before the PATCH), I is advice.

    Ordered E < W < I so that sorting puts errors first.
    """

    ERROR = "E"
    WARNING = "W"
    INFO = "I"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank < other.rank
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank <= other.rank
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank > other.rank
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank >= other.rank
        return NotImplemented

    @property
    def word(self) -> str:
        return {"E": "error", "W": "warning", "I": "info"}[self.value]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem in a draft.

    ``field`` is the draft's field path (``payload.subject``, ``taskNote``, …); ``span`` is a
    (start, end) pair of character offsets into that field's raw text (the HTML source for
    ``payload.content``) when the finding points into text; ``threshold`` names the limit.
    """

    rule_id: str
    severity: Severity
    field: str
    message: str
    hint: str
    span: tuple[int, int] | None = None
    threshold: str | None = None


@dataclass(frozen=True)
class Rule:
    """A catalogue entry: what a rule checks and why, for help screens and the README."""

    rule_id: str
    severity: Severity
    title: str
    threshold: str
    rationale: str


# The order fields appear in the form; findings sort by it after severity.
FIELD_ORDER: tuple[str, ...] = (
    "type",
    "payload",
    "payload.subject",
    "payload.preheader",
    *(f"payload.{key}" for key in TEXT_KEYS),  # content, connectionNote, message
    "taskNote",
    "absoluteDays",
    "attachmentIds",
    "status",
    "priority",
)
_FIELD_RANK = {name: index for index, name in enumerate(FIELD_ORDER)}


def sort_key(finding: Finding) -> tuple[int, int, str, int, int, str]:
    """Severity, then field order (unknown payload keys last), then span, then rule id."""
    start, end = finding.span if finding.span else (-1, -1)
    return (
        finding.severity.rank,
        _FIELD_RANK.get(finding.field, len(FIELD_ORDER)),
        finding.field,
        start,
        end,
        finding.rule_id,
    )
