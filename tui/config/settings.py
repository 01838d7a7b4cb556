"""The effective settings: file, then the chosen profile, then the environment.

``--base-url`` and the other command-line options go on top of these in ``tui.session.connect``. Each
setting remembers where it came from (``sources``) so ``seqedit config show`` can say why a value
is what it is. The key itself stays a :class:`SecretText`: ``repr`` and ``str`` never show it.
Plain values, no pydantic: start-up reads them before its first frame (issue 16).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .load import LoadedConfig
from .model import DEFAULT_BASE_URL, FILE_KEYS, PROFILE_KEYS, SecretText, SequenceSort


class UnknownProfile(ValueError):
    """A profile was asked for (``--profile``, ``SEQEDIT_PROFILE``) that the file does not define."""


@dataclass(frozen=True)
class Settings:
    """Everything the app needs from the config, merged for one profile."""

    profile: str | None = None
    base_url: str = DEFAULT_BASE_URL
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    editor: str | None = None
    sequence_sort: SequenceSort = "created-desc"
    read_only: bool = False
    cache: bool = True
    api_key: SecretText | None = None
    api_key_command: str | None = None
    no_color: bool = False
    config_path: Path | None = None
    profiles: list[str] = field(default_factory=list)
    key_refused: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    # The preview's sample prospects on a real account (field label → value); a profile's own
    # list replaces the file's.
    sample_prospects: list[dict[str, str]] = field(default_factory=list)
    # Where test emails go unless the person types others (config test_email_to).
    test_email_to: list[str] = field(default_factory=list)

    def editor_command(self) -> list[str]:
        """The external editor as argv (``$VISUAL``/``$EDITOR``/``editor``, else ``vi``)."""
        return shlex.split(self.editor) if self.editor else ["vi"]

    def source(self, name: str) -> str:
        """Where ``name`` came from: "default", "config.toml", "profile NAME", an env var, …"""
        return self.sources.get(name, "default")


def effective(config: LoadedConfig, profile: str | None = None) -> Settings:
    """The settings for ``profile`` (else ``SEQEDIT_PROFILE``, else ``default_profile``).

    Precedence per setting: environment > profile > top of the file > default. A profile that
    names its own key source (``api_key`` or ``api_key_command``) does not inherit the top-level
    one, so one account's key is never sent to another account's base URL.
    Raises :class:`UnknownProfile` for a profile the file does not define.
    """
    file, env = config.file, config.env
    label = config.path.name
    sources: dict[str, str] = {}
    values: dict[str, Any] = {}

    def put(name: str, value: object, source: str) -> None:
        if value is not None:
            values[name] = value
            sources[name] = source

    name, name_source = profile, "--profile"
    if not name and env.profile:
        name, name_source = env.profile, "SEQEDIT_PROFILE"
    if not name and file.default_profile:
        name, name_source = file.default_profile, f"default_profile in {label}"
    chosen = None
    if name:
        chosen = file.profiles.get(name)
        if chosen is None:
            known = ", ".join(sorted(file.profiles)) or "none are defined"
            raise UnknownProfile(f"no profile named {name!r} (from {name_source}) in {config.path}; profiles: {known}")
        put("profile", name, name_source)

    for key in FILE_KEYS:
        if key in file.given:
            put(key, getattr(file, key), label)
    if file.keymap:
        put("keymap", dict(file.keymap), label)

    if chosen is not None:
        where = f"profile {name}"
        if chosen.api_key is not None or chosen.api_key_command is not None:
            values.pop("api_key", None), values.pop("api_key_command", None)
            sources.pop("api_key", None), sources.pop("api_key_command", None)
        for key in PROFILE_KEYS:
            put(key, getattr(chosen, key), where)

    put("base_url", env.base_url, "SEQEDIT_BASE_URL")
    put("theme", env.theme, "SEQEDIT_THEME")
    put("read_only", env.read_only, "SEQEDIT_READ_ONLY")
    put("editor", env.editor, env.editor_var or "")
    if env.no_color:
        put("no_color", True, "NO_COLOR")

    return Settings(
        **values,
        config_path=config.path,
        profiles=sorted(file.profiles),
        key_refused=config.key_refused,
        sources=sources,
    )
