"""The shape of ``config.toml`` as the rest of seqedit reads it: plain values, no pydantic.

:class:`ProfileValues` and :class:`FileValues` hold what a file set, once validated
(``tui.config.schema`` validates it, with pydantic, only when there is a file to read). Without a
file, the usual case, the defaults here are all there is: resolving the account and the settings
at start-up imports no pydantic (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

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


def check_base_url(value: str) -> str:
    """The URL without a trailing slash; ValueError when it is not a safe API base URL."""
    from tui.api.base_url import check_base_url as vet  # the client's rule, so the two never differ

    vet(value)
    return value.strip().rstrip("/")


class SecretText:
    """A secret (the API key): ``repr`` and ``str`` never show it; ``get_secret_value`` does."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "SecretText('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretText) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


# The fields below are tui.config.schema's pydantic models' fields, with the same names, order
# and defaults (tests/test_config_light.py compares them): these hold what those validated.


@dataclass(frozen=True)
class ProfileValues:
    """One ``[profiles.NAME]`` table, validated: an account and its own overrides (None: unset)."""

    base_url: str | None = None
    api_key: SecretText | None = None
    api_key_command: str | None = None
    read_only: bool | None = None
    theme: str | None = None
    # Keep the last sequence listing on disk and show it at the next start (tui/session/listing_cache.py).
    cache: bool | None = None
    # The preview's sample prospects on a real account (field label → value).
    sample_prospects: list[dict[str, str]] | None = None
    # Where test emails go by default.
    test_email_to: list[str] | None = None


@dataclass(frozen=True)
class FileValues(ProfileValues):
    """The whole file, validated: top-level settings (the implicit default account) and profiles.

    ``given`` names the keys the file set (pydantic's ``model_fields_set``): a default is not
    the file's word. ``FileValues()`` is a missing or empty file.
    """

    keymap: dict[str, str] = field(default_factory=dict)
    editor: str | None = None
    sequence_sort: SequenceSort = "created-desc"
    default_profile: str | None = None
    profiles: dict[str, ProfileValues] = field(default_factory=dict)
    given: frozenset[str] = frozenset()


# The settings a profile may set (a new field is read without a list to extend), and those
# only the top of the file sets beside them.
PROFILE_KEYS = tuple(item.name for item in fields(ProfileValues))
FILE_KEYS = (*PROFILE_KEYS, "editor", "sequence_sort")
