"""Findings for loaded variants, kept current as the person edits; the samples for the preview.

Pure (no Textual): the app owns one :class:`VariantChecks`. The validation panel, the tree's
error marks, the save review and review mode all read findings from it, so a variant is
validated once per edit, not once per reader. The account's prospect fields (the valid merge
tags and their stored fallbacks) and the sample prospects are loaded once and kept here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.api.models import attachments_unknown, unchanged_fields
from tui.session.new_variants import is_new
from tui.validation import Context, Finding, LiveValidator, Severity, context_for, validate

if TYPE_CHECKING:
    from tui.api.models import Prospect, ProspectField
from tui.session.workspace import VariantKey, Workspace


@dataclass
class _Cached:
    variant: Any  # the edited copy the findings were computed for (compared by identity)
    findings: list[Finding]


def counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings of each severity (every severity present, zero when none)."""
    out = {severity: 0 for severity in Severity}
    for finding in findings:
        out[finding.severity] = out.get(finding.severity, 0) + 1
    return out


def counts_label(findings: list[Finding]) -> str:
    """``E 2 · W 3 · I 1``, leaving out the severities with none; ``''`` when clean."""
    found = counts(findings)
    return " · ".join(f"{severity.value} {found[severity]}" for severity in Severity if found[severity])


class VariantChecks:
    """Validation findings per variant of a :class:`~tui.session.workspace.Workspace`, cached.

    ``findings(key)`` is always current (validated again when the edited copy changed);
    ``peek(key)`` may return the last result for the variant being typed in (``live_key``),
    whose panel refreshes it, so that drawing the tree on each keystroke does not validate on
    each keystroke. Any other variant that changes is validated afresh. The live variant is
    validated by a :class:`LiveValidator`, which reuses what an edit did not change.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.fields: list[ProspectField] | None = None
        self.prospects: list[Prospect] | None = None
        self._live_key: VariantKey | None = None
        self._live = LiveValidator()
        self._cache: dict[VariantKey, _Cached] = {}
        workspace.subscribe(self._changed)

    @property
    def live_key(self) -> VariantKey | None:
        """The variant being typed in (its panel keeps its findings current)."""
        return self._live_key

    @live_key.setter
    def live_key(self, key: VariantKey | None) -> None:
        if key != self._live_key:
            self._live = LiveValidator()  # what it holds is of the previous variant's body
        self._live_key = key

    def validate(self, key: VariantKey, variant: Any, ctx: Context) -> list[Finding]:
        """:func:`validate` for ``key``'s ``variant`` (from :meth:`prepare`); may run in a
        thread. The live variant's reuses the work of its previous call."""
        return self._live.validate(variant, ctx) if key == self._live_key else validate(variant, ctx)

    def _changed(self, key: VariantKey) -> None:
        if key != self.live_key:
            self._cache.pop(key, None)

    def set_fields(self, fields: list[ProspectField] | None) -> None:
        """The account's fields arrived: merge-tag checks change, so every result is redone."""
        self.fields = list(fields) if fields is not None else None
        self._cache.clear()

    def prepare(self, key: VariantKey) -> tuple[Any, Context] | None:
        """The edited copy and its context, for :func:`validate` to run elsewhere (a thread);
        None when the variant's step is not loaded."""
        workspace = self.workspace
        step = workspace.step(key.sequence_id, key.step_id)
        if step is None or not workspace.has(key):
            return None
        steps = workspace.steps(key.sequence_id) or []
        ctx = context_for(steps, step, fields=self.fields, attachment_ids=None)
        server, edited = workspace.server_copy(key), workspace.edited(key)
        ctx.server_payload_keys = frozenset(server.payload)
        ctx.attachments_unknown = attachments_unknown(server, edited)
        ctx.sibling_statuses = [
            workspace.edited(other).status
            for other in workspace.variant_keys(key.sequence_id, key.step_id)
            if other != key and workspace.has(other)
        ]
        ctx.adding = is_new(key)
        ctx.activating = server.status != edited.status
        # A new variant is a POST: everything in it is sent.
        ctx.kept_from_server = frozenset() if ctx.adding else unchanged_fields(server, edited)
        return edited, ctx

    def store(self, key: VariantKey, variant: Any, findings: list[Finding]) -> None:
        """Keep findings computed elsewhere for ``variant`` (ignored once it is not current)."""
        if self.workspace.has(key) and self.workspace.edited(key) is variant:
            self._cache[key] = _Cached(variant, findings)

    def current(self, key: VariantKey) -> list[Finding] | None:
        """The cached findings when they are for the edited copy as it is now, else None."""
        cached = self._cache.get(key)
        if cached is not None and self.workspace.has(key) and cached.variant is self.workspace.edited(key):
            return cached.findings
        return None

    def findings(self, key: VariantKey) -> list[Finding]:
        """The findings for the variant's edited copy as it is now ([] for an unknown key)."""
        cached = self.current(key)
        if cached is not None:
            return cached
        prepared = self.prepare(key)
        if prepared is None:
            return []
        variant, ctx = prepared
        findings = self.validate(key, variant, ctx)
        self._cache[key] = _Cached(variant, findings)
        return findings

    def peek(self, key: VariantKey) -> list[Finding]:
        """The last findings computed for ``key`` (computed now when there are none)."""
        cached = self._cache.get(key)
        if cached is not None:
            return cached.findings
        return self.findings(key)

    def error_count(self, key: VariantKey) -> int:
        """How many E findings the tree should mark on the variant (see :meth:`peek`)."""
        if not self.workspace.has(key):
            return 0
        return sum(1 for finding in self.peek(key) if finding.severity is Severity.ERROR)

    def known_error_count(self, key: VariantKey) -> int | None:
        """:meth:`error_count` without validating: None when ``key`` has no findings yet (the
        tree draws it unmarked and has it validated in a thread, :meth:`validate_for_marks`)."""
        if not self.workspace.has(key):
            return 0
        cached = self._cache.get(key)
        if cached is None:
            return None
        return sum(1 for finding in cached.findings if finding.severity is Severity.ERROR)

    def validate_for_marks(
        self, jobs: list[tuple[VariantKey, Any, Context]]
    ) -> list[tuple[VariantKey, Any, list[Finding]]]:
        """Findings for prepared variants (:meth:`prepare`), safe in a thread: the live variant
        is left out (its panel validates it, with state a thread must not share). The results
        go to :meth:`store`, which drops any whose variant was edited meanwhile."""
        return [(key, variant, validate(variant, ctx)) for key, variant, ctx in jobs if key != self._live_key]
