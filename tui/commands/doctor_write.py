"""``seqedit doctor --write``: what only a PATCH can tell, tried on a scratch sequence and undone.

Three checks, each restoring what it changed: a PATCH that changes nothing is accepted and
changes nothing; which priority forms (name, number, numeric string) the server takes and which
it shows afterwards; whether ``absoluteDays`` moves the whole step or one variant. The caller
(:func:`tui.commands.doctor_checks.diagnose`) has already made sure the sequence's title starts
with ``seqedit-scratch``. Texts follow doctor_checks: no value from the account, ever.
"""

from __future__ import annotations

from typing import Any

from tui.api.channels import ABSOLUTE_DAYS_RANGE, Priority, PriorityEncoding, priority_encoding
from tui.api.errors import ApiError
from tui.api.models import Step, Variant, VariantUpdate, effective_day, fill_unknown, known_fields
from tui.drafts.diff import diff_variants

from .doctor_checks import FAIL, PASS, READ_STEPS, STEPS, WARN, Diagnosis, _failure, _field_name, _names

ENCODINGS: tuple[PriorityEncoding, ...] = ("name", "number", "string")


async def write_checks(client: Any, report: Diagnosis, sequence_id: str) -> None:
    try:
        steps = (await client.list_steps(sequence_id)).items
    except ApiError as exc:
        report.add("write-noop", FAIL, f"{READ_STEPS} of the scratch sequence: {_failure(exc)}")
        return
    variants = [(step, variant) for step in steps for variant in step.variants]
    if not variants:
        report.add("write-noop", WARN, "the scratch sequence has no variants: add an Email step with two variants")
        return
    await _noop(client, report, sequence_id, variants)
    await _priority(client, report, sequence_id, variants)
    await _days(client, report, sequence_id, steps)


def _find(steps: list[Step], step_id: str, variant_id: str) -> tuple[Step, Variant] | None:
    for step in steps:
        if step.id == step_id:
            for variant in step.variants:
                if variant.id == variant_id:
                    return step, variant
    return None


async def _reread(client: Any, sequence_id: str) -> list[Step]:
    return list((await client.list_steps(sequence_id)).items)


async def _noop(client: Any, report: Diagnosis, sequence_id: str, variants: list[tuple[Step, Variant]]) -> None:
    chosen = next(((s, v) for s, v in variants if "status" in known_fields(v) and v.status in (0, 1)), None)
    if chosen is None:
        report.add("write-noop", WARN, "no variant shows a status of 0 or 1: the no-op PATCH was not tried")
        return
    step, before = chosen
    try:
        await client.update_variant(
            sequence_id, step.id, before.id, VariantUpdate(status=1 if before.status == 1 else 0)
        )
    except ApiError as exc:
        report.add("write-noop", FAIL, f"a PATCH that changes nothing (its own status) was refused: {_failure(exc)}")
        return
    found = _find(await _reread(client, sequence_id), step.id, before.id)
    if found is None:
        report.add("write-noop", FAIL, "after a PATCH that changes nothing, the variant is no longer listed")
        return
    after = found[1]
    changes = diff_variants(fill_unknown(before, after), fill_unknown(after, before))
    if changes:
        names = _names(_field_name(change.path) for change in changes)
        report.add("write-noop", FAIL, f"a PATCH of the status alone changed {names}")
    else:
        report.add("write-noop", PASS, "a PATCH that changes nothing is accepted and changes nothing")


def _raw_priority(raw_steps: Any, step_id: str, variant_id: str) -> Any:
    """The priority of one variant as the server wrote it in GET …/steps (None if not shown)."""
    items = raw_steps if isinstance(raw_steps, list) else []
    for step in items:
        if not isinstance(step, dict) or str(step.get("id")) != step_id:
            continue
        for variant in step.get("variants") or []:
            if isinstance(variant, dict) and str(variant.get("id")) == variant_id and "priority" in variant:
                return variant["priority"]
        return step.get("priority")
    return None


async def _priority(client: Any, report: Diagnosis, sequence_id: str, variants: list[tuple[Step, Variant]]) -> None:
    tasks = [(s, v) for s, v in variants if v.type.info.generates_task]
    if not tasks:
        report.add("write-priority", WARN, "no task step (Call, LinkedIn, WhatsApp or Custom) in the scratch sequence")
        return
    ids = {"sequenceId": sequence_id}
    step, variant = tasks[0]
    original = _raw_priority(await client.read_raw(STEPS, ids), step.id, variant.id)
    shown_as = priority_encoding(original)
    if shown_as is None:
        report.add(
            "write-priority",
            WARN,
            "the server never shows a task's priority: seqedit sends the name (Urgent…Low) and cannot check "
            "which form the server keeps",
        )
        return
    priority = Priority.parse(original)
    taken, refused, kept = [], [], set()
    try:
        for encoding in ENCODINGS:
            update = VariantUpdate(priority=priority)
            update._priority_encoding = encoding
            try:
                await client.update_variant(sequence_id, step.id, variant.id, update)
            except ApiError as exc:
                refused.append(f"{encoding} ({_failure(exc)})")
                continue
            taken.append(encoding)
            after = _raw_priority(await client.read_raw(STEPS, ids), step.id, variant.id)
            kept.add(priority_encoding(after) or "not shown")
    finally:
        restore = VariantUpdate(priority=priority)
        restore._priority_encoding = shown_as
        try:
            await client.update_variant(sequence_id, step.id, variant.id, restore)
        except ApiError as exc:
            report.add("write-priority", FAIL, f"could not restore the task's priority: {_failure(exc)}")
            return
    text = (
        f"the server showed the priority as a {shown_as}; it takes {_names(taken)}"
        + (f", refuses {', '.join(refused)}" if refused else "")
        + f"; afterwards it shows {_names(kept)}; seqedit sends it back as a {shown_as}"
    )
    report.add("write-priority", PASS if shown_as in taken else FAIL, text)


def _day(step: Step, variant: Variant) -> int | None:
    # The step's own field, not step_day's guess from its variants: this check is about them.
    return effective_day(variant.absoluteDays, step.absoluteDays)


async def _days(client: Any, report: Diagnosis, sequence_id: str, steps: list[Step]) -> None:
    step = max(steps, key=lambda item: len(item.variants))
    if not step.variants:
        return
    moved = step.variants[0]
    day = _day(step, moved)
    if day is None:
        report.add("write-days", WARN, "the server never shows a day (absoluteDays): not tried")
        return
    used = {_day(other, other.variants[0]) if other.variants else other.absoluteDays for other in steps}
    first, last = ABSOLUTE_DAYS_RANGE
    free = [candidate for candidate in range(max(d for d in used if d is not None) + 1, last + 1)]
    free += [candidate for candidate in range(first, last + 1) if candidate not in used]
    if not free:
        report.add("write-days", WARN, "no free day to move a step to: not tried")
        return
    target = free[0]
    try:
        await client.update_variant(sequence_id, step.id, moved.id, VariantUpdate(absoluteDays=target))
    except ApiError as exc:
        report.add("write-days", WARN, f"moving variant A to a free day was refused: {_failure(exc)}")
        return
    try:
        after = await _reread(client, sequence_id)
    finally:
        restored = True
        try:
            await client.update_variant(sequence_id, step.id, moved.id, VariantUpdate(absoluteDays=day))
        except ApiError:
            restored = False
    if not restored:
        report.add("write-days", FAIL, "could not move the step back to its day: check the scratch sequence")
        return
    days = [_day(*found) if (found := _find(after, step.id, v.id)) else None for v in step.variants]
    others = days[1:]
    if days[0] != target:
        verdict, text = WARN, "after moving variant A, the server does not show it on the new day: unclear"
    elif not others:
        verdict, text = (
            WARN,
            ("the step has one variant, so per step and per variant cannot be told apart: add a B variant"),
        )
    elif all(other == target for other in others):
        verdict, text = (
            PASS,
            (
                f"absoluteDays is per step: moving variant A moved all {len(days)} variants of its step "
                "(seqedit shows Day as a step setting)"
            ),
        )
    elif all(other == day for other in others):
        verdict, text = (
            FAIL,
            (
                "absoluteDays is per variant: moving variant A left the other variants where they were, but seqedit "
                "shows and reviews Day as a setting of the whole step"
            ),
        )
    else:
        verdict, text = WARN, "after moving variant A, the other variants' days are neither moved nor kept: unclear"
    report.add("write-days", verdict, text)
