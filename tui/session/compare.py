"""Two variants of a step side by side (A/B testing): what differs and the numbers that matter.

Pure (no Textual). :func:`compare` reads each variant once: subject, preheader and body (the text
a prospect reads, not the HTML) with their word diff (:func:`tui.drafts.diff.word_diff`, the one
the conflict screen uses), word counts, links, images, spintax combinations and the findings by
severity. The screen (``tui.screens.compare_screen``) only lays this out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.api import channels
from tui.api.models import Variant
from tui.text import mergetags
from tui.validation.html_doc import parse_html
from tui.validation.words import count_words, readable

# The text fields compared word by word, by channel payload key, in the order shown.
TEXT_KEYS = ("subject", "preheader", *channels.TEXT_KEYS)
LABELS = {"content": "body", "connectionNote": "note"}


@dataclass
class Side:
    """The numbers of one variant."""

    letter: str
    texts: dict[str, str]
    words: int
    links: int
    images: int
    combinations: int
    findings: dict[str, int] = field(default_factory=dict)  # "E"/"W"/"I" → count


@dataclass
class Comparison:
    left: Side
    right: Side
    # (label, left text, right text) for each text field either variant has.
    fields: list[tuple[str, str, str]]


def _body_text(variant: Variant, key: str) -> str:
    value = variant.payload.get(key)
    if not isinstance(value, str):
        return ""
    if key == "content":
        return " ".join(parse_html(value).visible_text.split())
    return value


def _counts(findings: Iterable[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in findings:
        severity = str(getattr(getattr(item, "severity", "W"), "value", getattr(item, "severity", "W")))[:1]
        counts[severity] = counts.get(severity, 0) + 1
    return counts


def side(letter: str, variant: Variant, findings: Iterable[Any] = ()) -> Side:
    texts = {key: _body_text(variant, key) for key in TEXT_KEYS if key in variant.payload}
    html = variant.payload.get("content")
    doc = parse_html(html) if isinstance(html, str) else None
    raw = [value for value in variant.payload.values() if isinstance(value, str)]
    key = channels.text_key_of(variant.type, variant.payload)
    body = texts.get(key, "") if key is not None else ""
    return Side(
        letter=letter,
        texts=texts,
        words=count_words(readable(body)),
        links=len(doc.anchors) if doc is not None else 0,
        images=len(doc.images) if doc is not None else 0,
        combinations=mergetags.combinations(raw),
        findings=_counts(findings),
    )


def compare(left: Side, right: Side) -> Comparison:
    keys = [key for key in TEXT_KEYS if key in left.texts or key in right.texts]
    return Comparison(
        left=left,
        right=right,
        fields=[(LABELS.get(key, key), left.texts.get(key, ""), right.texts.get(key, "")) for key in keys],
    )
