"""`seqedit test-email`: send yourself a test email of an Email variant without the app.

The email is made as the app makes it (:mod:`tui.session.test_email`: ``--prospect`` fills the
merge tags, ``--spin`` picks the spintax combination, as ``seqedit preview`` takes them), the
variant is checked by the rules first (errors refuse it, exit 2 as lint), and it goes out through
``POST /v1/sequences/{sequenceId}/test-email``.
"""

from __future__ import annotations

import argparse
import sys

from tui.commands.account_command import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    account_client,
    check_variant,
    fail,
    refused_text,
    run_command,
)

EPILOG = """\
examples:
  seqedit --demo test-email --sequence ID --step ID --variant B --to you@example.com --prospect 1 --spin 2

exit codes (as lint's): 0 sent, 2 the rules or the server refused it (nothing was sent; a sender
not connected to the sequence is one), 3 the account could not be reached or read, 4 bad input
(an address that is not one, an unknown step, variant, sender or prospect)."""


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "test-email",
        parents=parents,
        help="send yourself a test email of an Email variant",
        description="Send a test email of an Email variant, merge tags and spintax filled as in the Preview.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(module="test_email")
    parser.add_argument("--sequence", required=True, metavar="ID")
    parser.add_argument("--step", required=True, metavar="ID")
    parser.add_argument("--variant", default="A", metavar="B", help="the variant (letter or id; default A)")
    parser.add_argument("--to", action="append", required=True, metavar="ADDRESS", help="recipient (repeatable)")
    parser.add_argument("--from", dest="sender", metavar="ACCOUNT_ID", help="the sending account (default: the first)")
    parser.add_argument("--prospect", metavar="N|ID", help="fill merge tags from sample prospect N or ID")
    parser.add_argument("--spin", type=int, default=1, metavar="N", help="spintax combination N (1, 2, …; wraps)")


def run(args: argparse.Namespace) -> int:
    return run_command("test-email", lambda: _run(args))


def _refused(exc) -> str:
    from tui.api.errors import NOT_CONNECTED_ADVICE, sender_not_connected

    return NOT_CONNECTED_ADVICE if sender_not_connected(exc) else refused_text(exc)


async def _run(args: argparse.Namespace) -> int:
    from tui.api.channels import Channel
    from tui.commands.variant import find_step, pick_variant, print_findings
    from tui.session.connect import sample_prospects
    from tui.session.test_email import letter_for, recipients, request
    from tui.session.workspace import VariantKey, Workspace
    from tui.text.safe_text import one_line

    to, bad = recipients(",".join(args.to))
    if bad or not to:
        raise fail(f"not an email address: {', '.join(bad) or '(none)'}", EXIT_BAD_INPUT)
    async with account_client(args, refused=_refused) as (account, client):
        steps = (await client.list_steps(args.sequence)).items
        step = find_step(steps, args.step)
        variant = pick_variant(step.variants, args.variant)
        if variant.type is not Channel.EMAIL:
            raise fail("test emails are of Email variants only", EXIT_BAD_INPUT)
        workspace = Workspace()
        workspace.set_steps(args.sequence, steps)
        _findings, errors, fields = await check_variant(
            client, workspace, VariantKey(args.sequence, args.step, variant.id)
        )
        if errors:
            print_findings(errors)
            print(f"seqedit test-email: refused: {len(errors)} error(s); nothing was sent", file=sys.stderr)
            return EXIT_REFUSED
        prospect = None
        if args.prospect:
            prospect = _pick(await sample_prospects(client, account), args.prospect)
        accounts = await client.list_email_accounts(args.sequence)
        if not accounts:
            raise fail("this sequence has no sending account connected; connect one in Saleshandy", EXIT_REFUSED)
        sender = accounts[0].id if args.sender is None else args.sender
        letter = letter_for(variant, prospect=prospect, spin=max(args.spin, 1) - 1, fields=fields)
        await client.send_test_email(args.sequence, request(letter, sender, to))
    made = f"merge tags for {letter.prospect}" if letter.prospect else "merge tags as written"
    spin = f", spintax combination {letter.combination} of {letter.combinations}" if letter.combinations > 1 else ""
    print(f"Test email sent to {', '.join(to)} ({made}{spin}). Subject: {one_line(letter.subject, 120)}")
    return EXIT_OK


def _pick(prospects: list, wanted: str):
    from tui.session.connect import pick_prospect
    from tui.text.safe_text import one_line

    chosen = pick_prospect(prospects, wanted)
    if chosen is None:
        raise fail(f"no sample prospect {one_line(wanted, 40)} (there are {len(prospects)})", EXIT_BAD_INPUT)
    return chosen
