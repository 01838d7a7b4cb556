"""Which account to talk to, and a client for it: a real Saleshandy account or the demo sandbox.

Pure (no Textual). :func:`resolve_account` turns the command line and the environment into an
:class:`Account`; :func:`open_client` turns an account into a :class:`SaleshandyClient`. For
``--demo`` the sandbox app runs inside this process over ``httpx.ASGITransport``: nothing
listens on a port and nothing leaves the machine.

The seam for the config file: :func:`resolve_account` takes ``config``, the chosen profile's
settings already read (``api_key``, ``base_url``, ``name``), so the config module can add
profiles and ``api_key_command`` without touching the precedence rules here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tui.api.client import DEFAULT_BASE_URL, SaleshandyClient, check_api_key, check_base_url, normalize_base_url
from tui.api.errors import ApiError, AuthError
from tui.api.models import Prospect, ProspectField

log = logging.getLogger("seqedit.api")

API_KEY_ENV = "SALESHANDY_API_KEY"
# In-process only: the host is a label, never resolved, so the demo cannot reach the network.
DEMO_BASE_URL = "http://sandbox.local"
DEMO_DB_NAME = "demo-sandbox.sqlite3"


class NoApiKey(Exception):
    """No API key anywhere we look; the message says how to get and set one."""

    def __init__(self, profile: str | None = None, reason: str | None = None) -> None:
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
        raise NoApiKey(asked or env.get("SEQEDIT_PROFILE"), reason=str(exc)) from None
    base_url, notice = _vetted_base_url(getattr(args, "base_url", None) or settings.base_url)
    try:
        key = get_api_key(settings, env)
    except ApiKeyError as exc:
        raise NoApiKey(settings.profile, reason=str(exc)) from None
    if not key:
        raise NoApiKey(settings.profile, reason=settings.key_refused)
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
        config_problems=tuple(loaded.messages),
        notices=(notice,) if notice else (),
        sample_prospects=tuple(settings.sample_prospects),
        test_email_to=tuple(settings.test_email_to),
    )


async def sample_prospects(client: SaleshandyClient, account: Any) -> list[Prospect]:
    """The Preview's sample prospects: the sandbox's own (``GET /v1/sandbox/prospects``, only on
    a server that said it is the sandbox), else the account's ``[[sample_prospects]]`` from the
    config. The one place that decides where they come from."""
    if client.server_is_sandbox:
        return await client.list_prospects()
    configured = getattr(account, "sample_prospects", None) or ()
    prospects = []
    for index, fields in enumerate(configured, 1):
        name = " ".join(str(fields[label]) for label in ("First Name", "Last Name") if fields.get(label)) or ""
        prospects.append(Prospect(id=f"config-{index}", name=name or f"sample prospect {index}", fields=dict(fields)))
    return prospects


@dataclass
class ChecksData:
    """What the merge-tag checks and the Preview need from the account (:func:`checks_data`)."""

    fields: list[ProspectField] | None  # None: not known, the checks that need them are skipped
    prospects: list[Prospect]
    # A read failed for want of the server (down, slow, the key refused), not by its answer:
    # worth reading again once a request succeeds.
    unreached: bool = False


def unreached(exc: ApiError) -> bool:
    """Whether ``exc`` says nothing about the account's data, only that the server could not
    be used (no connection, a failing server, a refused key): asking again later may work."""
    return exc.retryable or isinstance(exc, AuthError)


async def checks_data(client: SaleshandyClient, account: Any) -> ChecksData:
    """The account's prospect fields and :func:`sample_prospects`; a failed read leaves its part
    empty (never raises ApiError)."""
    data = ChecksData(fields=None, prospects=[])
    try:
        data.fields = await client.list_fields()
    except ApiError as exc:
        data.unreached = unreached(exc)
    try:
        data.prospects = await sample_prospects(client, account)
    except ApiError as exc:
        data.unreached = data.unreached or unreached(exc)
    return data


def pick_prospect(prospects: list[Prospect], wanted: str) -> Prospect | None:
    """The sample prospect ``--prospect`` names: by id, else by its number (1, 2, …); None when
    none is (the commands say so, each with its exit code)."""
    for prospect in prospects:
        if prospect.id == wanted:
            return prospect
    if wanted.isdigit() and 1 <= int(wanted) <= len(prospects):
        return prospects[int(wanted) - 1]
    return None


class SandboxTransport(httpx.ASGITransport):
    """The demo sandbox, in-process.

    A bug inside the sandbox comes back as an HTTP 500 (a ServerError), as a real server's
    would, rather than as a stray exception in the UI; a simulated dropped connection (an httpx
    transport error) still comes through as one. Closing the client closes the database.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.TransportError:
            raise
        except Exception as exc:
            log.exception("demo sandbox failed on %s %s", request.method, request.url.path)
            body = {
                "message": f"the demo sandbox failed: {type(exc).__name__}",
                "error": "Internal Server Error",
                "statusCode": 500,
            }
            return httpx.Response(500, json=body, request=request)

    async def aclose(self) -> None:
        self.app.state.store.close()  # type: ignore[attr-defined]  # httpx types app as any ASGI callable; ours is the sandbox's Starlette app


def demo_db_path() -> Path:
    """The demo sandbox's SQLite file, in seqedit's data directory (made on first use)."""
    from tui.config.paths import data_dir

    return data_dir() / DEMO_DB_NAME


def open_client(account: Account, *, reset_demo: bool = False, **client_options: Any) -> SaleshandyClient:
    """A client for ``account``; ``client_options`` go to :class:`SaleshandyClient` (timeouts, on_event…).

    For a demo account the sandbox app is built in-process on :func:`demo_db_path` (seeded
    on first run, rebuilt when ``reset_demo``).
    """
    if not account.demo:
        return SaleshandyClient(account.api_key, account.base_url, **client_options)
    from tui.sandbox.app import create_app

    app = create_app(demo_db_path(), reset=reset_demo)
    transport = SandboxTransport(app=app)
    return SaleshandyClient(account.api_key, account.base_url, transport=transport, sandbox=True, **client_options)
