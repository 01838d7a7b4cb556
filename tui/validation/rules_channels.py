"""The other channels' soft limits and task instructions."""

from __future__ import annotations

from typing import Any

from tui.api.channels import Channel

from .context import Context
from .findings import Finding, Severity
from .report import finding, payload_of


def check_channels(draft: Any, ctx: Context) -> list[Finding]:
    """LinkedIn free-account note length, WhatsApp text length, empty task notes."""
    info = ctx.channel.info
    payload = payload_of(draft)
    found: list[Finding] = []
    for key, soft in info.soft_limits.items():
        value = payload.get(key)
        if not isinstance(value, str) or len(value) <= soft:
            continue
        hard = info.limits.get(key)
        if hard is not None and len(value) > hard:
            continue  # api.limit already reports it, as an error
        if ctx.channel is Channel.LINKEDIN_CONNECTION_REQUEST:
            free = ctx.linkedin_free_account
            found.append(
                finding(
                    "linkedin.free-limit",
                    f"payload.{key}",
                    f"Connection note is {len(value)} characters; free LinkedIn accounts cut it at {soft}"
                    + (" and this account is free" if free else ""),
                    f"Cut it to {soft} characters so every sender's note arrives whole",
                    (soft, len(value)),
                    threshold=str(soft),
                    severity=Severity.ERROR if free else None,
                )
            )
        else:
            found.append(
                finding(
                    "whatsapp.length",
                    f"payload.{key}",
                    f"{info.label} text is {len(value)} characters; WhatsApp takes {soft} in one message",
                    f"Cut it to {soft} characters or split it",
                    (soft, len(value)),
                    threshold=str(soft),
                )
            )
    note = getattr(draft, "taskNote", None)
    if (
        info.generates_task
        and not info.required_keys
        and (note is None or (isinstance(note, str) and not note.strip()))
    ):
        found.append(
            finding(
                "task.empty-note",
                "taskNote",
                f"{_task_name(info.label)} has no note; the person doing it gets no instructions",
                "Say what to do and what to look for",
            )
        )
    return found


def _task_name(label: str) -> str:
    """'The Call: demo task', 'The Custom task' (not 'Custom task task': issue 13)."""
    return f"The {label}" if label.casefold().endswith("task") else f"The {label} task"
