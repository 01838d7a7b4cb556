"""Spam-trigger words and phrases, found in one pass by a single compiled alternation."""

from __future__ import annotations

import re
from typing import Iterator

SPAM_WORDS: dict[str, tuple[str, ...]] = {
    "financial": ("free", "guarantee", "guaranteed", "discount", "discounts", "cash", "cheap"),
    "urgency": ("act now", "hurry", "limited time", "expires"),
    "marketing": ("click here", "subscribe", "bulk email"),
    "scam": ("100% free", "risk free", "risk-free", "dear friend", "winner", "winners"),
    "pressure": ("bonus", "exclusive", "last chance", "prize", "prizes", "unlimited"),
}
_CATEGORY = {phrase: category for category, phrases in SPAM_WORDS.items() for phrase in phrases}


def _pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(part) for part in phrase.split())


# Longest first, so "100% free" wins over "free" at the same place.
_SPAM_RE = re.compile(
    r"(?<![\w%])(?:" + "|".join(_pattern(p) for p in sorted(_CATEGORY, key=len, reverse=True)) + r")(?![\w])",
    re.IGNORECASE,
)


def find_spam(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, the phrase as listed, its category) for each spam-trigger phrase in ``text``."""
    for match in _SPAM_RE.finditer(text):
        phrase = " ".join(match.group().lower().split())
        yield match.start(), match.end(), phrase, _CATEGORY.get(phrase, "spam")
