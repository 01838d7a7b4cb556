"""What identifies a draft: the account label and the variant's three ids.

The account is a non-secret label (a profile name, "demo", or a hash of the base URL) so that two
accounts with the same ids never share a draft. It is never the API key nor anything derived from
the key: the drafts file must be safe to keep even if the key leaks elsewhere, and vice versa.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple


class DraftKey(NamedTuple):
    """``(account, sequence_id, step_id, variant_id)``: one variant of one account."""

    account: str
    sequence_id: str
    step_id: str
    variant_id: str


def as_key(key: DraftKey | tuple[str, str, str, str]) -> DraftKey:
    """Accept a plain 4-tuple wherever a :class:`DraftKey` is expected."""
    if isinstance(key, DraftKey):
        return key
    account, sequence_id, step_id, variant_id = key
    return DraftKey(str(account), str(sequence_id), str(step_id), str(variant_id))


def account_label(*, profile: str | None = None, base_url: str | None = None, demo: bool = False) -> str:
    """The label drafts are filed under: "demo", the profile name, or a hash of the base URL.

    The hash keeps a long URL out of the label while still telling accounts apart; it is taken of
    the URL only, so it reveals nothing about the key.
    """
    if demo:
        return "demo"
    if profile:
        return f"profile:{profile}"
    url = (base_url or "").strip().rstrip("/").lower()
    return "url:" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
