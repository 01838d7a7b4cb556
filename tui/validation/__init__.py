"""The validation engine: what the API will reject and what will hurt deliverability.

Pure (no Textual): the editor's panel, the save review and ``seqedit lint`` all call
:func:`validate` with a draft variant and its :class:`Context`. Every rule is listed in
:data:`RULES` with its severity, threshold and rationale.
"""

from __future__ import annotations

from .catalogue import RULES
from .context import Context, context_for, first_email_step, step_day
from .engine import LiveValidator, validate
from .findings import FIELD_ORDER, Finding, Rule, Severity

__all__ = [
    "FIELD_ORDER",
    "RULES",
    "Context",
    "Finding",
    "LiveValidator",
    "Rule",
    "Severity",
    "context_for",
    "first_email_step",
    "step_day",
    "validate",
]
