"""The engines alone on the 100 KB body: validate() and render_email() medians."""

from __future__ import annotations

import time

from tui.api.channels import Channel
from tui.api.models import ProspectField, Step, Variant
from tui.preview import PreviewOptions, render_email
from tui.validation import Context, LiveValidator, context_for, validate

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
    variant = Variant(
        id="bench-a",
        type=Channel.EMAIL,
        payload={"subject": "{{First Name}}, a quick idea", "content": email_body(size)},
    )
    step = Step(id="bench-step", type=Channel.EMAIL, absoluteDays=1, variants=[variant])
    follow_up = Step(id="bench-step-2", type=Channel.EMAIL, absoluteDays=3, variants=[])
    return variant, context_for([step, follow_up], step, demo_fields(), attachment_ids=[])


def _typing(variant: Variant, ctx: Context, runs: int) -> list[float]:
    """A LiveValidator fed the body with one more key typed each call, at the end of the first
    paragraph (as the typing benchmark types), alternating with a fresh validate() of the same
    draft so both see the same machine."""
    html = variant.payload["content"]
    at = html.index("</p>")
    live = LiveValidator()
    live.validate(variant, ctx)
    times: list[float] = []
    for index in range(runs):
        html = html[:at] + ("x" if index % 5 else " ") + html[at:]
        at += 1
        draft = variant.model_copy(update={"payload": {**variant.payload, "content": html}})
        start = time.perf_counter()
        live.validate(draft, ctx)
        times.append(time.perf_counter() - start)
        validate(draft, ctx)
    return times


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
    typing = _typing(variant, ctx, runs)
    progress(
        f"engines: validate {median(checks) * 1000:.1f} ms, while typing {median(typing) * 1000:.1f} ms, "
        f"render_email {median(renders) * 1000:.1f} ms"
    )
    kb = len(html) // 1000
    return [
        at_most("engines", f"validate() median, {kb} KB body", median(checks) * 1000, "ms", VALIDATE_GOAL_MS),
        # The spread of the engine alone: the floor under the typing figures' p95 on this machine.
        info("engines", "validate() p95", percentile(checks, 95) * 1000, "ms"),
        info(
            "engines",
            "the panel's LiveValidator, one key typed per call, median",
            median(typing) * 1000,
            "ms",
            note="what the findings panel runs per keystroke: after an edit of plain text it reuses the markup scan, tag findings and word count",
        ),
        info("engines", "LiveValidator, one key typed per call, p95", percentile(typing, 95) * 1000, "ms"),
        at_most("engines", f"render_email() median, {kb} KB body", median(renders) * 1000, "ms", RENDER_GOAL_MS),
        info("engines", "render_email() p95", percentile(renders, 95) * 1000, "ms"),
    ]
