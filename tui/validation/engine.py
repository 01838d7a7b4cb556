"""``validate``: run every rule over a draft once and return the findings in display order."""

from __future__ import annotations

from typing import Any

from tui.api.channels import Channel

from .context import Context
from .findings import Finding, sort_key


def validate(draft: Any, ctx: Context) -> list[Finding]:
    """Every finding for ``draft`` (a Variant, possibly holding invalid values) in ``ctx``.

    Ordered by severity, then the form's field order, then span. Never raises on odd input:
    values of the wrong type are reported, not trusted.
    """
    # The rules (lexbor, the spam and tag patterns: ~12 ms) load on the first check, not when
    # the editor starts: its first frame needs none of them (benchmarks: startup).
    from .html_doc import parse_html
    from .report import payload_of, text_fields
    from .rules_api import check_api
    from .rules_channels import check_channels
    from .rules_email import check_email
    from .rules_tags import check_combinations, check_tags

    texts = text_fields(draft)
    found = check_api(draft, ctx)
    found += check_tags(texts, ctx)
    found += check_combinations(texts)
    if ctx.channel is Channel.EMAIL:
        content = payload_of(draft).get("content")
        doc = parse_html(content) if isinstance(content, str) and content.strip() else None
        found += check_email(draft, ctx, doc)
    found += check_channels(draft, ctx)
    found.sort(key=sort_key)
    return found
