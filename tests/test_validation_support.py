"""Drafts and contexts shared by the validation tests (no tests here): a clean email and builders."""

from __future__ import annotations

from typing import Any

from tui.api.channels import Channel
from tui.api.models import ProspectField, Variant
from tui.validation import Context

FIELDS = [
    ProspectField(id="f1", label="First Name"),
    ProspectField(id="f2", label="Company", fallbackText="your team"),
    ProspectField(id="f3", label="Job Title", fallbackText="leader"),
]

SUBJECT = "Quick idea for {{Company}}"
# 40 words: inside every first-email and follow-up length limit.
BODY = (
    "<p>Hi {{First Name|'there'}},</p>"
    "<p>I noticed {{Company}} is hiring engineers this quarter. Teams like yours often lose a day each week "
    "to flaky release checks, and we help them get that time back without changing their stack.</p>"
    "<p>Would a short call next Tuesday be useful?</p>"
)


def words(count: int) -> str:
    return " ".join(f"word{index}" for index in range(count))


def variant(channel: Channel = Channel.EMAIL, payload: dict[str, Any] | None = None, **fields: Any) -> Variant:
    """A variant of ``channel``; values a model would refuse (status 7) are set afterwards."""
    if payload is None:
        payload = {"subject": SUBJECT, "content": BODY} if channel is Channel.EMAIL else {}
    draft = Variant(id="v1", type=channel.wire, payload=payload)
    for name, value in fields.items():
        setattr(draft, name, value)
    return draft


def email(subject: str = SUBJECT, content: str = BODY, **fields: Any) -> Variant:
    payload = {"subject": subject, "content": content}
    if "preheader" in fields:
        payload["preheader"] = fields.pop("preheader")
    return variant(Channel.EMAIL, payload, **fields)


def ctx(channel: Channel = Channel.EMAIL, **options: Any) -> Context:
    options.setdefault("fields", FIELDS)
    options.setdefault("step_id", "s1")
    return Context(channel=channel, **options)


def first() -> Context:
    return ctx(first_email=True)


def followup() -> Context:
    return ctx(first_email=False)
