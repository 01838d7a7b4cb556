"""A test email of an Email variant, as the Preview shows it: pure, no Textual.

The variant is taken as edited (unsaved edits included). Spintax takes the Preview's combination
(:func:`tui.preview.fill.split_choice` over subject, preheader and body, as the Preview spreads
it) and merge tags are filled from the Preview's prospect with the same fallbacks
(:class:`tui.preview.fill.TagFiller`); with no prospect they stay as written, as the Preview
shows them highlighted. Values filled into the HTML body are escaped: a value is text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.api.models import EmailAccount, ProspectField, TestEmail, Variant
from tui.preview.fill import TagFiller, mark_spins, split_choice, strip_sentinels
from tui.preview.model import PreviewOptions
from tui.text import mergetags
from tui.text.addresses import invalid_addresses, split_addresses

LAST_SENDER_STATE = "test_email_senders"  # ui state: sequence id → the sender last used


@dataclass
class Letter:
    """What the test email carries, and how it was made (for the confirmation screen)."""

    subject: str
    preheader: str
    content: str
    prospect: str  # "Dana Whitfield", or "" when merge tags are sent as written
    combination: int  # 1-based
    combinations: int
    missing: list[str] = field(default_factory=list)  # tags the prospect had no value for


def _fill(text: str, choice: int, filler: TagFiller, *, escape: bool) -> str:
    resolved = strip_sentinels(mark_spins(text, choice)[0])
    if filler.highlight_only or "{{" not in resolved:
        return resolved
    out: list[str] = []
    cursor = 0
    for tag in mergetags.find_tags(resolved):
        out.append(resolved[cursor : tag.start])
        value, _style = filler.resolve(tag, resolved[tag.start : tag.end])
        out.append(html.escape(value, quote=False) if escape and _style != "missing" else value)
        cursor = tag.end
    out.append(resolved[cursor:])
    return "".join(out)


def letter_for(
    variant: Variant,
    *,
    prospect: Any = None,
    spin: int = 0,
    fields: Sequence[ProspectField] | None = None,
) -> Letter:
    """The test email of ``variant`` with ``prospect`` (a :class:`tui.api.models.Prospect` or
    None) and spintax combination ``spin`` (wrapping, as the Preview's ``x``)."""
    payload = variant.payload
    texts = [
        payload.get(key) if isinstance(payload.get(key), str) else "" for key in ("subject", "preheader", "content")
    ]
    subject, preheader, content = (str(text) for text in texts)
    picks, total = split_choice(spin, [subject, preheader, content])
    values = dict(prospect.fields) if prospect is not None else None
    filler = TagFiller(PreviewOptions(prospect=values, fields=list(fields) if fields is not None else None))
    return Letter(
        subject=_fill(subject, picks[0], filler, escape=False),
        preheader=_fill(preheader, picks[1], filler, escape=False),
        content=_fill(content, picks[2], filler, escape=True),
        prospect=(prospect.name or prospect.id) if prospect is not None else "",
        combination=spin % total + 1,
        combinations=total,
        missing=list(filler.missing),
    )


def recipients(text: str) -> tuple[list[str], list[str]]:
    """The addresses typed (commas, semicolons or spaces between them) and the ones that are not
    addresses."""
    addresses = split_addresses(text)
    return addresses, invalid_addresses(addresses)


def request(letter: Letter, sender: str, to: Sequence[str]) -> TestEmail:
    """The body of ``POST /v1/sequences/{sequenceId}/test-email``."""
    return TestEmail(
        fromEmailAccountId=sender,
        to=list(to),
        subject=letter.subject,
        content=letter.content,
        preheader=letter.preheader or None,
    )


def preferred_sender(accounts: Sequence[EmailAccount], last: str | None) -> EmailAccount | None:
    """The sender to offer first: the one last used for this sequence, else the first."""
    for account in accounts:
        if account.id == last:
            return account
    return accounts[0] if accounts else None


def first_lines(content: str, count: int = 4, width: int = 70) -> list[str]:
    """The first lines of an HTML body as a person reads them (for the confirmation)."""
    from tui.validation.html_doc import parse_html

    words = parse_html(content).visible_text.split()
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            if len(lines) == count:
                return [*lines[:-1], lines[-1] + " …"]
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines
