"""The account to talk to, from the command line, the environment and the config file.

Pure (no Textual) and light (start-up): the account is resolved before the first frame, so nothing
here imports httpx, pydantic models or the API client at module level; the base URL and key are
vetted by :mod:`tui.api.base_url`, the policy the client applies again when it is built.
:mod:`tui.session.connect` re-exports all of this and turns an account into a client.

The seam for the config file: :func:`resolve_account` takes ``config``, the chosen profile's
settings already read (``api_key``, ``base_url``, ``name``), so the config module can add
profiles and ``api_key_command`` without touching the precedence rules here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.api.base_url import DEFAULT_BASE_URL, check_api_key, check_base_url, normalize_base_url

if TYPE_CHECKING:
    from tui.config import Settings

API_KEY_ENV = "SALESHANDY_API_KEY"
# In-process only: the host is a label, never resolved, so the demo cannot reach the network.
DEMO_BASE_URL = "http://sandbox.local"


class NoApiKey(Exception):
    """No API key anywhere we look; the message says how to get and set one.

    ``settings`` and ``config_problems``: what the config file gave when it was read (the no-key
    screen still takes its theme from them), so the app does not read the file a second time.
    """

    def __init__(
        self,
        profile: str | None = None,
        reason: str | None = None,
        *,
        settings: Settings | None = None,
        config_problems: tuple[str, ...] = (),
    ) -> None:
        self.settings = settings
        self.config_problems = config_problems
        where = f" for profile {profile!r}" if profile else ""
        # ``reason``: why the config gave none (a failed api_key_command, a refused file, an
        # unknown profile); never the key or a command's output.
        why = f"  {reason}\n" if reason else ""
        super().__init__(
            f"No Saleshandy API key{where}.\n{why}"
            "  1. In Saleshandy, open Settings → API Key and create (or copy) a key.\n"
            f"  2. Make it available to seqedit, e.g.  export {API_KEY_ENV}='…'\n"
            "     (or put it in a profile of the config file: `seqedit config --help`).\n"
            "  To try seqedit without an account, run  seqedit --demo"
        )


@dataclass(frozen=True)
class Account:
    """Where to connect and with which key. ``repr`` and ``str`` never show the key."""

    base_url: str
    api_key: str = field(repr=False)
    demo: bool = False
    profile: str | None = None
    key_source: str = ""  # "env", "config", "command", "demo": shown in diagnostics instead of the key
    read_only: bool = False  # from the config (file, profile or SEQEDIT_READ_ONLY)
    config_problems: tuple[str, ...] = ()  # the config file's problems, for the app to show once
    notices: tuple[str, ...] = ()  # what was adjusted (a base URL's /v1 removed), to say once

    def __post_init__(self) -> None:
        from tui.terminal.crash_report import remember_secret

        remember_secret(self.api_key)  # crash reports redact it

    # ``[[sample_prospects]]`` of the config (field label → value): the Preview's samples on a
    # real account, which has no endpoint for them.
    sample_prospects: tuple[dict[str, str], ...] = ()
    # Where test emails go by default (config ``test_email_to``).
    test_email_to: tuple[str, ...] = ()
    # The effective settings this account was resolved from (None: --demo, or ``config`` given):
    # the app's theme, keymap, cache and sort come from this one read of the file, so they
    # cannot disagree with the key and read-only taken from it (a file saved in between).
    settings: Settings | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"Account(base_url={self.base_url!r}, api_key='***', demo={self.demo!r}, "
            f"profile={self.profile!r}, key_source={self.key_source!r})"
        )

    __str__ = __repr__


def _setting(config: Mapping[str, Any] | None, name: str) -> str | None:
    if not config:
        return None
    value = config.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def resolve_account(args: Any, env: Mapping[str, str] = os.environ, config: Mapping[str, Any] | None = None) -> Account:
    """The account the command line asks for.

    ``args`` needs only the attributes of ``tui.cli.connection_options`` (``demo``,
    ``demo_reset``, ``base_url``, ``profile``); missing ones count as unset. Precedence:
    ``--demo`` wins outright; the key comes from ``SALESHANDY_API_KEY``, then ``config``; the
    base URL from ``--base-url``, then ``config``, then the vendor's. Raises :class:`NoApiKey`
    without a key and ValueError for an unsafe base URL (plain http to a remote host).
    Without ``config`` the config file is read (profiles, ``api_key_command``, read-only): see
    :func:`_from_config_file`.
    """
    profile = getattr(args, "profile", None) or _setting(config, "name")
    if getattr(args, "demo", False) or getattr(args, "demo_reset", False):
        from tui.sandbox import DEMO_API_KEY

        return Account(base_url=DEMO_BASE_URL, api_key=DEMO_API_KEY, demo=True, key_source="demo")
    if config is None:
        return _from_config_file(args, env)
    base_url, notice = _vetted_base_url(getattr(args, "base_url", None) or _setting(config, "base_url"))
    key = (env.get(API_KEY_ENV) or "").strip()
    source = "env"
    if not key:
        key = _setting(config, "api_key") or ""
        source = "config"
    if not key:
        raise NoApiKey(profile)
    return Account(
        base_url=base_url,
        api_key=_vetted_key(key, source),
        profile=profile,
        key_source=source,
        notices=(notice,) if notice else (),
    )


def _vetted_base_url(base_url: str | None) -> tuple[str, str | None]:
    """The base URL to use (a trailing /v1 removed) and the notice saying so; ValueError if unsafe."""
    text, notice = normalize_base_url(base_url or DEFAULT_BASE_URL)
    check_base_url(text)
    return text.strip().rstrip("/"), notice


def _vetted_key(key: str, source: str) -> str:
    """``key`` if it can be sent in a header; otherwise ValueError naming where it came from (never the key)."""
    where = {"env": API_KEY_ENV, "command": "api_key_command's output", "config": "the config file's api_key"}
    try:
        return check_api_key(key)
    except ValueError as exc:
        raise ValueError(f"{exc} (from {where.get(source, source)})") from None


def _from_config_file(args: Any, env: Mapping[str, str]) -> Account:
    """The account from ``config.toml`` (``tui.config``): profile from ``--profile``, then
    ``SEQEDIT_PROFILE``, then ``default_profile``; base URL from ``--base-url``, then
    ``SEQEDIT_BASE_URL``, the profile, the file; key from ``SALESHANDY_API_KEY``, then
    ``api_key_command``, then the file."""
    from tui.config import ApiKeyError, UnknownProfile, effective, get_api_key, load_config
    from tui.config.secrets import API_KEY_ENV as ENV_NAME

    asked = getattr(args, "profile", None)
    loaded = load_config(env=env)
    try:
        settings = effective(loaded, asked)
    except UnknownProfile as exc:
        # No settings for the profile asked: the app chooses its fallback (tui.config.preferences).
        raise NoApiKey(asked or env.get("SEQEDIT_PROFILE"), reason=str(exc)) from None
    problems = tuple(loaded.messages)
    base_url, notice = _vetted_base_url(getattr(args, "base_url", None) or settings.base_url)
    try:
        key = get_api_key(settings, env)
    except ApiKeyError as exc:
        raise NoApiKey(settings.profile, reason=str(exc), settings=settings, config_problems=problems) from None
    if not key:
        raise NoApiKey(settings.profile, reason=settings.key_refused, settings=settings, config_problems=problems)
    if (env.get(ENV_NAME) or "").strip():
        source = "env"
    else:
        source = "command" if settings.api_key_command else "config"
    return Account(
        base_url=base_url,
        api_key=_vetted_key(key, source),
        profile=settings.profile,
        key_source=source,
        read_only=settings.read_only,
        config_problems=problems,
        notices=(notice,) if notice else (),
        sample_prospects=tuple(settings.sample_prospects),
        test_email_to=tuple(settings.test_email_to),
        settings=settings,
    )
