"""``validate``: run every rule over a draft once and return the findings in display order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.api.channels import Channel

from .context import Context
from .findings import Finding, sort_key


def validate(draft: Any, ctx: Context) -> list[Finding]:
    """Every finding for ``draft`` (a Variant, possibly holding invalid values) in ``ctx``.

    Ordered by severity, then the form's field order, then span. Never raises on odd input:
    values of the wrong type are reported, not trusted.
    """
    return _run(draft, ctx, None)[0]


class LiveValidator:
    """:func:`validate` for one variant validated again after every edit (the one being typed
    in): the same findings, but what an edit cannot have changed is reused from the previous
    call: other fields' tag findings, the body's tag findings and markup scan when the edit
    was plain text. Safe to call from a worker thread: the memo is replaced whole."""

    def __init__(self) -> None:
        self._memo: _Memo | None = None

    def validate(self, draft: Any, ctx: Context) -> list[Finding]:
        findings, self._memo = _run(draft, ctx, self._memo)
        return findings


@dataclass(frozen=True)
class _Memo:
    fields: tuple | None  # the context's merge-tag fields the tag findings were made with
    tags: dict[str, Any]  # FieldTags by field path
    doc: Any  # the parsed Email body (HtmlDoc), or None


def _run(draft: Any, ctx: Context, memo: _Memo | None) -> tuple[list[Finding], _Memo]:
    # The rules (lexbor, the spam and tag patterns: ~12 ms) load on the first check, not when
    # the editor starts: its first frame needs none of them (benchmarks: startup).
    from .html_doc import parse_html
    from .report import payload_of, text_fields
    from .rules_api import check_api
    from .rules_channels import check_channels
    from .rules_email import check_email
    from .rules_tags import Known, combinations_finding, field_tags, fields_key
    from .rules_text import check_invisible

    texts = text_fields(draft)
    found = check_api(draft, ctx)
    fields = fields_key(ctx)
    previous_tags = memo.tags if memo is not None and memo.fields == fields else {}
    known = Known(ctx)
    tags = {}
    counts = []
    for path, text in texts:
        result = tags[path] = field_tags(path, text, known, previous_tags.get(path))
        found += result.findings
        counts.append((result.blocks, result.versions))
    found += combinations_finding(counts)
    doc = None
    if ctx.channel is Channel.EMAIL:
        content = payload_of(draft).get("content")
        if isinstance(content, str) and content.strip():
            doc = parse_html(content, memo.doc if memo is not None else None)
        found += check_email(draft, ctx, doc)
    found += check_channels(draft, ctx)
    found += check_invisible(texts)
    found.sort(key=sort_key)
    return found, _Memo(fields, tags, doc)
