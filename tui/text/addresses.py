"""Email addresses as people type them for a test email: split a list, tell the bad ones.

Deliberately plain (one ``@``, a dotted domain, no spaces or control characters, at most 254
characters): the server makes the final decision; this catches typos before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ADDRESS = re.compile(
    r"[^@\s\x00-\x1f\x7f<>(),;:\"\[\]]+@[^@\s\x00-\x1f\x7f<>(),;:\"\[\]]+\.[^@\s\x00-\x1f\x7f<>(),;:\"\[\].]+"
)
MAX_LENGTH = 254


def split_addresses(text: str) -> list[str]:
    """``"a@x.com, b@y.org; c@z.net"`` → the three addresses (commas, semicolons or spaces)."""
    return [part for part in re.split(r"[,;\s]+", text) if part]


def is_address(text: str) -> bool:
    return len(text) <= MAX_LENGTH and _ADDRESS.fullmatch(text) is not None and ".." not in text


def invalid_addresses(addresses: Iterable[str]) -> list[str]:
    """The items of ``addresses`` that are not plausible email addresses, in order."""
    return [item for item in addresses if not is_address(item)]
