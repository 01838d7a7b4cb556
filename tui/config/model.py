"""The shape of ``config.toml``: what each key may hold, as pydantic models.

Every field has a default, so each key can be validated on its own (see ``load``): one bad key
costs only that key, and the app starts on the default for it.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

# The client's own default; repeated here so reading the config does not import httpx.
DEFAULT_BASE_URL = "https://open-api.saleshandy.com"
SEQUENCE_SORTS = ("created-desc", "created-asc", "title-asc", "title-desc")
SequenceSort = Literal["created-desc", "created-asc", "title-asc", "title-desc"]
# How each order asks GET /v1/sequences (sort, sortBy), and its name in messages.
SEQUENCE_SORT_QUERY: dict[str, tuple[str, str, str]] = {
    "created-desc": ("DESC", "sequence.createdAt", "newest first"),
    "created-asc": ("ASC", "sequence.createdAt", "oldest first"),
    "title-asc": ("ASC", "sequence.title", "title A→Z"),
    "title-desc": ("DESC", "sequence.title", "title Z→A"),
}


def next_sequence_sort(current: str) -> str:
    """The order after ``current`` in :data:`SEQUENCE_SORTS` (the UI's key cycles through them)."""
    index = SEQUENCE_SORTS.index(current) if current in SEQUENCE_SORTS else -1
    return SEQUENCE_SORTS[(index + 1) % len(SEQUENCE_SORTS)]


# A key as Textual's keymap takes it: "ctrl+w", "f2", "?", or several joined by commas.
_KEY = re.compile(r"^(?:[^\s,]|[A-Za-z0-9_+\-]+)$")
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


def check_base_url(value: str) -> str:
    """The URL without a trailing slash; ValueError when it is not a safe API base URL."""
    from tui.api.base_url import check_base_url as vet  # the client's rule, so the two never differ

    vet(value)
    return value.strip().rstrip("/")


def _key_string(value: str) -> str:
    parts = [part.strip() for part in value.split(",")]
    if not value.strip() or not all(part and _KEY.match(part) for part in parts):
        raise ValueError('must be a key such as "ctrl+w" or "f2" (several separated by commas)')
    return ",".join(parts)


class ProfileConfig(BaseModel):
    """One ``[profiles.NAME]`` table: an account and its own overrides."""

    # Built when a file is first validated, not at import: without a file none is needed.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    base_url: StrictStr | None = None
    api_key: SecretStr | None = None
    api_key_command: StrictStr | None = None
    read_only: StrictBool | None = None
    theme: StrictStr | None = None
    # Keep the last sequence listing on disk and show it at the next start (tui/session/listing_cache.py).
    cache: StrictBool | None = None
    # [[sample_prospects]] tables (field label → value): the preview's sample prospects on a
    # real account, where the sandbox's GET /v1/sandbox/prospects does not exist.
    sample_prospects: list[dict[StrictStr, StrictStr | StrictInt | StrictFloat]] | None = None
    # Where test emails go by default (one address or a list); checked when the file is read.
    test_email_to: StrictStr | list[StrictStr] | None = None

    @field_validator("test_email_to")
    @classmethod
    def _recipients(cls, value: str | list[str] | None) -> list[str] | None:
        from tui.text.addresses import invalid_addresses, split_addresses

        if value is None:
            return None
        addresses = split_addresses(value) if isinstance(value, str) else [item.strip() for item in value]
        bad = invalid_addresses(addresses)
        if bad or not addresses:
            raise ValueError(f"not an email address: {', '.join(bad) or '(empty)'}")
        return addresses

    @field_validator("sample_prospects")
    @classmethod
    def _prospects(cls, value: list[dict[str, object]] | None) -> list[dict[str, str]] | None:
        if value is None:
            return None
        prospects = []
        for index, table in enumerate(value, 1):
            if not table:
                raise ValueError(f"sample prospect {index} is empty: give it field labels and values")
            prospects.append({label: str(text) for label, text in table.items()})
        return prospects

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return None if value is None else check_base_url(value)

    @field_validator("api_key", mode="before")
    @classmethod
    def _key_is_text(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):
            raise ValueError("must be a string")
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty")
        return value

    @field_validator("api_key_command", "theme")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("is empty")
        return value


class ConfigFile(ProfileConfig):
    """The whole file: top-level settings (the implicit default account) and named profiles."""

    keymap: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    editor: StrictStr | None = None
    sequence_sort: SequenceSort = "created-desc"
    default_profile: StrictStr | None = None
    profiles: dict[str, ProfileConfig] = Field(default_factory=dict)

    @field_validator("keymap")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        return {binding: _key_string(keys) for binding, keys in value.items()}

    @field_validator("editor")
    @classmethod
    def _editor(cls, value: str | None) -> str | None:
        import shlex

        if value is None:
            return None
        try:
            words = shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot be split into words ({exc})") from None
        if not words:
            raise ValueError("is empty")
        return value

    @field_validator("default_profile")
    @classmethod
    def _profile_name(cls, value: str | None) -> str | None:
        if value is not None and not _PROFILE_NAME.match(value):
            raise ValueError("must be a profile name (letters, digits, '-', '_', '.')")
        return value
