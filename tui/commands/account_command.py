"""What the commands that act on one variant of the account share (``seqedit variant``,
``seqedit test-email``): their exit codes, how a failure ends them, the connection with its
errors told apart, and the rules' verdict on the variant before anything is sent.

Imported when the parser is built (``seqedit --help``): heavy imports stay inside functions.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from tui.api.client import SaleshandyClient
    from tui.api.errors import ValidationFailed
    from tui.session.workspace import VariantKey, Workspace

# As lint's: 0 done, 2 the rules or the server refused it, 3 unreachable, 4 bad input.
EXIT_OK, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_BAD_INPUT = 0, 2, 3, 4


class CommandError(Exception):
    """Exit with ``code`` after printing the message."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int) -> CommandError:
    return CommandError(message, code)


def run_command(name: str, body: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run the command's coroutine; a :class:`CommandError` is one line on stderr and its code."""
    import asyncio

    try:
        return asyncio.run(body())
    except CommandError as exc:
        from tui.text.safe_text import one_line

        print(f"seqedit {name}: {one_line(str(exc), 500)}", file=sys.stderr)
        return exc.code


def refused_text(exc: ValidationFailed) -> str:
    return f"the server refused it: {exc}"


@asynccontextmanager
async def account_client(
    args: argparse.Namespace, refused: Callable[[ValidationFailed], str] = refused_text
) -> AsyncIterator[tuple[Any, SaleshandyClient]]:
    """The account the options name and a client on it. What goes wrong inside ends the command:
    no key or a bad setting, and an unreadable account, exit 3; the server refusing a write,
    exit 2 with ``refused(exc)``."""
    from tui.api.errors import ApiError, ValidationFailed
    from tui.session.connect import NoApiKey, open_client, resolve_account
    from tui.text.safe_text import one_line

    try:
        account = resolve_account(args)
    except (NoApiKey, ValueError) as exc:
        raise fail(str(exc), EXIT_UNREACHABLE) from None
    try:
        async with open_client(account, reset_demo=bool(getattr(args, "demo_reset", False))) as client:
            yield account, client
    except ValidationFailed as exc:
        raise fail(refused(exc), EXIT_REFUSED) from None
    except ApiError as exc:
        raise fail(one_line(str(exc), 500), EXIT_UNREACHABLE) from None


async def check_variant(client: SaleshandyClient, workspace: Workspace, key: VariantKey) -> tuple[list, list, Any]:
    """The rules' findings on ``key``, those that refuse it (errors), and the account's prospect
    fields (None when they could not be read: merge tags are then unchecked, the API rules
    still run)."""
    from tui.api.errors import ApiError
    from tui.session.variant_checks import VariantChecks

    checks = VariantChecks(workspace)
    fields = None
    try:
        fields = await client.list_fields()
        checks.set_fields(fields)
    except ApiError:
        pass
    findings = checks.findings(key)
    errors = [item for item in findings if str(getattr(item.severity, "value", item.severity)) == "E"]
    return findings, errors, fields
