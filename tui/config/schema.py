"""The shape of ``config.toml`` as pydantic models: what each key may hold, validated.

Imported only when there is a file to validate (``tui.config.load``): without one, the usual
case, start-up imports no pydantic (issue 16). Every field has a default, so each key can be
validated on its own: one bad key costs only that key, and the app starts on the default for it.
The fields are :class:`tui.config.model.FileValues`' own; :func:`file_values` turns a validated
model into those plain values.
"""

from __future__ import annotations

import re
from typing import Any

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

from .model import FileValues, ProfileValues, SecretText, SequenceSort, check_base_url

# A key as Textual's keymap takes it: "ctrl+w", "f2", "?", or several joined by commas.
_KEY = re.compile(r"^(?:[^\s,]|[A-Za-z0-9_+\-]+)$")
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


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


def _set_values(model: BaseModel) -> dict[str, Any]:
    """The fields the file set, as plain values (the key as :class:`SecretText`)."""
    values = {name: getattr(model, name) for name in model.model_fields_set if name != "profiles"}
    if isinstance(values.get("api_key"), SecretStr):
        values["api_key"] = SecretText(values["api_key"].get_secret_value())
    return values


def profile_values(model: ProfileConfig) -> ProfileValues:
    """A validated ``[profiles.NAME]`` table as plain values."""
    return ProfileValues(**_set_values(model))


def file_values(model: ConfigFile, profiles: dict[str, ProfileValues]) -> FileValues:
    """The validated top of the file, and its validated profiles, as plain values."""
    return FileValues(**_set_values(model), profiles=profiles, given=frozenset(model.model_fields_set))
