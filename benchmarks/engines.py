"""The engines alone on the 100 KB body: validate() and render_email() medians."""

from __future__ import annotations

import time

from tui.api.channels import Channel
from tui.api.models import ProspectField, Step, Variant
from tui.preview import PreviewOptions, render_email
from tui.validation import Context, context_for, validate

from .body import email_body
from .report import Progress, Row, at_most, info
from .stats import median, percentile

VALIDATE_GOAL_MS = 5.0
RENDER_GOAL_MS = 30.0


def demo_fields() -> list[ProspectField]:
    """The demo account's prospect fields (the merge tags the body uses are among them)."""
    from tui.sandbox.demo import CUSTOM_FIELDS, SYSTEM_FIELDS

    fields = [ProspectField(id=f"f{i}", label=label, fieldType=kind) for i, (label, kind) in enumerate(SYSTEM_FIELDS)]
    fields += [
        ProspectField(id=f"c{i}", label=label, fieldType=kind, fallbackText=fallback)
        for i, (label, kind, fallback) in enumerate(CUSTOM_FIELDS)
    ]
    return fields


def demo_prospect() -> dict[str, str]:
    """The first demo prospect's values, as the preview fills merge tags with them."""
    from tui.sandbox.demo import PROSPECTS

    return dict(PROSPECTS[0][1])


def email_case(size: int = 100_000) -> tuple[Variant, Context]:
    """A first-step Email variant with a ``size``-character body, and its validation context."""
    variant = Variant(id="bench-a", type=Channel.EMAIL, payload={"subject": "{{First Name}}, a quick idea", "content": email_body(size)})
    step = Step(id="bench-step", type=Channel.EMAIL, absoluteDays=1, variants=[variant])
    follow_up = Step(id="bench-step-2", type=Channel.EMAIL, absoluteDays=3, variants=[])
    return variant, context_for([step, follow_up], step, demo_fields(), attachment_ids=[])


def run(runs: int, progress: Progress, size: int = 100_000) -> list[Row]:
    """Alternate validate() and render_email() ``runs`` times each (after one warm-up of each)."""
    variant, ctx = email_case(size)
    html = variant.payload["content"]
    options = PreviewOptions(width=80, prospect=demo_prospect(), fields=ctx.fields)
    validate(variant, ctx)
    render_email(html, options)
    checks: list[float] = []
    renders: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        validate(variant, ctx)
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_email(html, options)
        renders.append(time.perf_counter() - start)
    progress(f"engines: validate {median(checks) * 1000:.1f} ms, render_email {median(renders) * 1000:.1f} ms")
    kb = len(html) // 1000
    return [
        at_most("engines", f"validate() median, {kb} KB body", median(checks) * 1000, "ms", VALIDATE_GOAL_MS),
        # The spread of the engine alone: the floor under the typing figures' p95 on this machine.
        info("engines", "validate() p95", percentile(checks, 95) * 1000, "ms"),
        at_most("engines", f"render_email() median, {kb} KB body", median(renders) * 1000, "ms", RENDER_GOAL_MS),
        info("engines", "render_email() p95", percentile(renders, 95) * 1000, "ms"),
    ]
