"""A client for an account: a real Saleshandy account or the demo sandbox.

Pure (no Textual). :func:`open_client` turns an :class:`Account` into a :class:`SaleshandyClient`.
For ``--demo`` the sandbox app runs inside this process over ``httpx.ASGITransport``: nothing
listens on a port and nothing leaves the machine. Choosing the account lives in the light
:mod:`tui.session.account` (start-up) and is re-exported here, so ``from tui.session.connect
import resolve_account`` keeps working.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tui.api.client import SaleshandyClient
from tui.api.errors import ApiError, unreached
from tui.api.models import Prospect, ProspectField
from tui.session.account import API_KEY_ENV, DEMO_BASE_URL, Account, NoApiKey, resolve_account

__all__ = [
    "API_KEY_ENV",
    "DEMO_BASE_URL",
    "Account",
    "ChecksData",
    "NoApiKey",
    "SandboxTransport",
    "checks_data",
    "demo_db_path",
    "open_client",
    "pick_prospect",
    "resolve_account",
    "sample_prospects",
    "unreached",
]

log = logging.getLogger("seqedit.api")

DEMO_DB_NAME = "demo-sandbox.sqlite3"


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
