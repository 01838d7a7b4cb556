"""What ``seqedit lint`` checks: variants with their context, read from JSON files in the API's
shapes or from an account's steps. Pure: no I/O beyond what the caller hands in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from tui.api.channels import Channel, UnknownChannel, parse_channel_kept, variant_letter
from tui.api.models import EDITABLE_FIELDS, ProspectField, Step, Variant, describe_validation_error

from .context import Context, context_for


class ShapeError(ValueError):
    """The data is not a variant, a step, or a list of them."""


@dataclass
class Target:
    """One variant to check, where it sits, and its context."""

    variant: Variant
    ctx: Context
    letter: str
    step_id: str | None = None
    step_name: str = ""
    step_number: int | None = None
    sequence_id: str | None = None
    sequence_title: str = ""


_VARIANT_FIELDS = (
    "status",
    "taskNote",
    "attachmentIds",
    "priority",
    "absoluteDays",
    "payload",
    "assigneeId",
    "attachments",
)


def loose_variant(raw: Any, default_type: Channel | UnknownChannel | None = None) -> Variant:
    """A Variant from API-shaped data that keeps invalid values (status 7, priority "Soon", an
    unknown type inside a step) so the rules can report them instead of the parse failing."""
    if not isinstance(raw, dict):
        raise ShapeError(f"a variant must be a JSON object, not {_kind(raw)}")
    data = dict(raw)
    data["id"] = str(data.get("id") or "(no id)")
    if data.get("type") is None:
        if default_type is None:
            raise ShapeError("the variant has no type (its channel)")
        data["type"] = default_type.wire
    try:
        return Variant.model_validate(data)
    except (ValidationError, ValueError) as exc:
        bad = (
            {str(error["loc"][0]) for error in exc.errors()}
            if isinstance(exc, ValidationError) and exc.errors()
            else {"type"}
        )
    if "type" in bad and default_type is None:
        raise ShapeError(f"the variant's type {_show(data.get('type'))} is not a channel")
    kept = {key: value for key, value in data.items() if key not in bad}
    kept["type"] = kept.get("type", default_type.wire if default_type else None)
    try:
        variant = Variant.model_validate(kept)
    except ValidationError as exc:
        raise ShapeError(describe_validation_error(exc)) from None
    for key in bad:
        if key in _VARIANT_FIELDS or key == "type":
            setattr(variant, key, data[key])
    return variant


def loose_step(raw: Any) -> Step:
    """A Step (with ``variants``) from API-shaped data; its variants are read by :func:`loose_variant`."""
    if not isinstance(raw, dict):
        raise ShapeError(f"a step must be a JSON object, not {_kind(raw)}")
    data = {key: value for key, value in raw.items() if key != "variants"}
    data["id"] = str(data.get("id") or "(no id)")
    try:
        step = Step.model_validate(data)
    except (ValidationError, ValueError) as exc:
        detail = describe_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
        raise ShapeError(f"step {data['id']}: {detail}") from None
    variants = raw.get("variants") or []
    if not isinstance(variants, list):
        raise ShapeError(f"step {data['id']}: variants must be a list")
    step.variants = [loose_variant(item, step.type) for item in variants]
    return step


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _is_step(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("variants"), list)


def _is_variant(value: Any) -> bool:
    return isinstance(value, dict) and "variants" not in value and ("payload" in value or "type" in value)


def _unwrap(data: Any) -> Any:
    # The API's envelope {"message": …, "payload": …}; a variant also has a payload, but a type.
    if (
        isinstance(data, dict)
        and "payload" in data
        and "type" not in data
        and "id" not in data
        and ("message" in data or len(data) == 1)
    ):
        return data["payload"]
    if isinstance(data, dict) and isinstance(data.get("steps"), list) and all(_is_step(item) for item in data["steps"]):
        return data["steps"]
    return data


def targets_from_json(
    data: Any,
    *,
    fields: list[ProspectField] | None = None,
    first_email: bool = False,
    linkedin_free_account: bool = False,
) -> list[Target]:
    """Targets from a file's data: a Variant, a Step with variants, a list of steps or a list of
    one step's variants, bare or in the API envelope. A lone variant or a lone step has no
    sequence around it: ``first_email`` says whether to treat it as the thread's first email."""
    data = _unwrap(data)
    if _is_step(data):
        steps = [loose_step(data)]
        return _step_targets(steps, fields=fields, lone=True, first_email=first_email, free=linkedin_free_account)
    if _is_variant(data):
        variant = loose_variant(data)
        channel = parse_channel_kept(variant.type)
        ctx = Context(
            channel=channel,
            first_email=first_email and channel is Channel.EMAIL,
            fields=fields,
            linkedin_free_account=linkedin_free_account,
        )
        return [Target(variant=variant, ctx=ctx, letter="A")]
    if isinstance(data, list) and data and all(_is_step(item) for item in data):
        steps = [loose_step(item) for item in data]
        return _step_targets(steps, fields=fields, lone=False, first_email=first_email, free=linkedin_free_account)
    if isinstance(data, list) and data and all(_is_variant(item) for item in data):
        first = loose_variant(data[0])
        step = Step(id="(no id)", type=parse_channel_kept(first.type))
        step.variants = [first] + [loose_variant(item, step.type) for item in data[1:]]
        return _step_targets([step], fields=fields, lone=True, first_email=first_email, free=linkedin_free_account)
    if isinstance(data, list) and not data:
        raise ShapeError("the list is empty: no variant or step to check")
    raise ShapeError(
        f"expected a variant, a step with variants, or a list of steps (the API's shapes); got {_kind(data)}"
    )


def _step_targets(steps: list[Step], *, fields, lone: bool, first_email: bool, free: bool) -> list[Target]:
    targets = []
    for step in steps:
        ctx = context_for(steps, step, fields=fields, linkedin_free_account=free)
        if lone:
            ctx.first_email = first_email and step.type is Channel.EMAIL
        targets += step_targets(step, ctx)
    return targets


# A variant as read from the server: a save of it would send none of its fields.
_SERVER_OWN = frozenset(EDITABLE_FIELDS)


def step_targets(step: Step, ctx: Context, *, sequence_id: str | None = None, sequence_title: str = "") -> list[Target]:
    """One target per variant of ``step``, lettered A, B, … by position.

    With a ``sequence_id`` the variants were read from the server: their payload keys are the
    server's own (sent back unchanged, so at most a warning), and so is every value (a save of
    them would send nothing)."""
    return [
        Target(
            variant=variant,
            ctx=ctx
            if sequence_id is None
            else replace(ctx, server_payload_keys=frozenset(variant.payload), kept_from_server=_SERVER_OWN),
            letter=variant_letter(index),
            step_id=step.id,
            step_name=step.name,
            step_number=step.number,
            sequence_id=sequence_id,
            sequence_title=sequence_title,
        )
        for index, variant in enumerate(step.variants)
    ]


def sequence_targets(
    sequence_id: str,
    sequence_title: str,
    steps: Iterable[Step],
    fields: list[ProspectField] | None,
    *,
    linkedin_free_account: bool = False,
) -> list[Target]:
    """Targets for every variant of a sequence read from the server."""
    steps = list(steps)
    targets = []
    for step in steps:
        ctx = context_for(steps, step, fields=fields, linkedin_free_account=linkedin_free_account)
        targets += step_targets(step, ctx, sequence_id=sequence_id, sequence_title=sequence_title)
    return targets
