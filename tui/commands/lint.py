"""`seqedit lint`: check variants headlessly, from JSON files or from an account.

Exit codes: 0 clean (warnings allowed), 1 warnings with --strict, 2 errors (or a variant the
server sent that could not be read), 3 the account could not be reached or read (no key, network,
HTTP error), or some sequences could not be read (the rest is still checked and reported; wins
over 1 and 2), 4 an input file could not be read as variants or steps (missing, a directory, not
JSON, an empty list, not a regular file, over 10 MB, …; wins over 1, 2 and 3, as the check is
incomplete), 70 seqedit itself failed (a bug: one line says where the report is), 141 stdout was
closed before everything was printed (as by ``| head``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_CLEAN, EXIT_WARNINGS, EXIT_ERRORS, EXIT_UNREACHABLE, EXIT_BAD_INPUT = 0, 1, 2, 3, 4
BAD_INPUT_RULE = "input.unreadable"
UNCHECKED_RULE = "sequence.unchecked"
TAGS_UNCHECKED_RULE = "tags.unchecked"
NO_ACCOUNT = "no account"

EPILOG = """\
examples:
  seqedit lint steps.json                 a variant, a step, or a list of steps (the API's JSON)
  seqedit lint --demo --all               every sequence in the demo sandbox
  seqedit lint --sequence ID --format json

exit codes: 0 clean (warnings allowed), 1 warnings with --strict, 2 errors (or a variant the
server sent that could not be read), 3 the account could not be reached or read (no key,
network, HTTP error) or some of its sequences could not be read (the others are still checked
and reported; 3 wins over 1 and 2), 4 could not read the input (a file missing, a directory,
not a regular file, over 10 MB, not JSON, not a variant or a step, an empty list; 4 wins over
1, 2 and 3), 70 seqedit itself failed (a bug; a report file is written), 141 stdout was closed
early (as by `| head`).

--format json prints a list of findings. A file that could not be read is an entry too, with
"rule_id": "input.unreadable", "severity": "E", "source" naming the file and "message" saying
why (the other fields null), and its reason is also printed on stderr. A sequence that could
not be read is an entry with "rule_id": "sequence.unchecked" and its "sequence_id"."""


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` subcommand."""
    parser = sub.add_parser(
        "lint",
        parents=parents,
        help="check variants for what the API rejects and what hurts deliverability",
        description="Check variants for what the API rejects and what hurts deliverability.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE.json",
        help="JSON files holding a variant, a step or a list of steps ('-' reads stdin)",
    )
    parser.add_argument(
        "--sequence", action="append", default=[], metavar="ID", help="check a sequence on the account (repeatable)"
    )
    parser.add_argument("--all", action="store_true", help="check every sequence on the account")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text for people (default), json for machines"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    parser.add_argument(
        "--first-email",
        action="store_true",
        help="treat a lone Email variant or step in a file as the sequence's first email",
    )
    parser.add_argument(
        "--free-linkedin",
        action="store_true",
        help="the LinkedIn account is free: notes over 200 characters are errors",
    )


def run(args: argparse.Namespace) -> int:
    """Check what ``args`` names, print the findings, return the exit code."""
    files = list(getattr(args, "files", []) or [])
    remote = bool(args.sequence or args.all)
    if files and remote:
        print("seqedit lint: give files or --sequence/--all, not both", file=sys.stderr)
        return EXIT_ERRORS
    if not files and not remote:
        print(
            "seqedit lint: nothing to check: give FILE.json, --sequence ID or --all (see seqedit lint --help)",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    report: _Report | None
    if files:
        report = _from_files(files, args)
    else:
        import asyncio

        report = asyncio.run(_from_account(args))
        if report is None:
            return EXIT_UNREACHABLE
    return _print(report, args)


class _Report:
    """Checked targets with their findings, problems that stopped something being checked
    (they make the exit code 2), and notes."""

    def __init__(self) -> None:
        self.results: list[tuple[Any, str | None, list[Any]]] = []  # (target, source file, findings)
        self.problems: list[str] = []
        # Input files that could not be read as variants: (file as given, why). Exit code 4.
        self.unreadable: list[tuple[str, str]] = []
        # Sequences of the account that could not be read: (id, title, why). Exit code 3, but
        # what was checked is still reported.
        self.unchecked: list[tuple[str, str, str]] = []
        self.notes: list[str] = []  # worth saying, but nothing failed
        # Why merge tags were not checked against the account's fields (None: they were).
        self.tags_unchecked: str | None = None

    def check(self, targets: list[Any], source: str | None) -> None:
        from tui.validation import validate

        for target in targets:
            self.results.append((target, source, validate(target.variant, target.ctx)))


def _from_files(files: list[str], args: argparse.Namespace) -> _Report:
    from tui.commands.json_input import InputError, read_json, shown_name
    from tui.text.safe_text import one_line
    from tui.validation.targets import ShapeError, targets_from_json

    report = _Report()
    fields = _account_fields(args, report)
    for name in files:
        try:
            data = read_json(name)
        except InputError as exc:
            report.unreadable.append((name, str(exc)))
            continue
        try:
            targets = targets_from_json(
                data, fields=fields, first_email=args.first_email, linkedin_free_account=args.free_linkedin
            )
        except (ShapeError, ValueError) as exc:
            report.unreadable.append((name, f"{shown_name(name)}: not a variant or a step: {one_line(str(exc), 200)}"))
            continue
        report.check(targets, name)
    return report


def _account_fields(args: argparse.Namespace, report: _Report) -> list[Any] | None:
    """The account's merge-tag fields for checking files, as the app checks them; None, with
    the reason in ``report.tags_unchecked``, when there is no account or it cannot be read
    (a file's tags then go unchecked, and the output says so: never a silent clean)."""
    import asyncio

    from tui.api.errors import ApiError
    from tui.session.connect import NoApiKey, open_client, resolve_account
    from tui.text.safe_text import one_line

    try:
        account = resolve_account(args)
    except NoApiKey:
        report.tags_unchecked = NO_ACCOUNT
        return None
    except ValueError as exc:
        report.tags_unchecked = one_line(str(exc), 200)
        return None
    for notice in account.notices:
        print(f"seqedit lint: {notice}", file=sys.stderr)

    async def fetch() -> list[Any]:
        async with open_client(account, reset_demo=getattr(args, "demo_reset", False)) as client:
            return list(await client.list_fields())

    try:
        return asyncio.run(fetch())
    except (ApiError, OSError) as exc:
        report.tags_unchecked = one_line(str(exc) or type(exc).__name__, 200)
        return None


def _tags_unchecked_line(report: _Report) -> str | None:
    why = report.tags_unchecked
    if why is None or not report.results:  # nothing was checked: there were no tags to leave out
        return None
    if why == NO_ACCOUNT:
        return (
            f"merge tags not checked ({NO_ACCOUNT}): --demo, --profile or SALESHANDY_API_KEY "
            "checks them against the account's fields"
        )
    return f"merge tags not checked: {why}"


async def _from_account(args: argparse.Namespace) -> _Report | None:
    import contextlib

    from tui.api.errors import ApiError
    from tui.api.scheduler import background
    from tui.session.connect import NoApiKey, open_client, resolve_account
    from tui.text.safe_text import one_line

    try:
        account = resolve_account(args)
    except NoApiKey as exc:
        print(f"seqedit lint: {exc}", file=sys.stderr)
        return None
    except ValueError as exc:
        print(f"seqedit lint: {one_line(str(exc))}", file=sys.stderr)
        return None
    for notice in account.notices:
        print(f"seqedit lint: {notice}", file=sys.stderr)
    report = _Report()
    try:
        async with open_client(account, reset_demo=getattr(args, "demo_reset", False)) as client:
            # --all is bulk work nobody waits on request by request: paced within the rate limit
            # (tui/api/scheduler.py) instead of earning 429s.
            with background() if args.all else contextlib.nullcontext():
                await _check_account(args, client, report)
            held = client.scheduler.held_seconds
            if held >= 0.05:
                report.notes.append(f"waited {held:.1f} s in all for the server's rate limit")
    except ApiError as exc:
        # The client's messages are already terminal-safe and never carry the key.
        print(f"seqedit lint: {one_line(str(exc))}", file=sys.stderr)
        return None
    return report


async def _check_account(args: argparse.Namespace, client: Any, report: _Report) -> None:
    """Check the sequences ``args`` names on the account behind ``client`` into ``report``."""
    from tui.api.errors import ApiError, AuthError, NetworkError
    from tui.text.safe_text import one_line
    from tui.validation.targets import sequence_targets

    try:
        fields: list[Any] | None = list(await client.list_fields())
    except (AuthError, NetworkError):
        raise
    except ApiError as exc:
        # Not fatal: the tag checks that need the field list are skipped.
        fields = None
        report.notes.append(f"merge tags not checked against the field list: {one_line(str(exc))}")
    listing = await client.list_sequences()
    # A sequence the list holds but that could not be read (an id of "..", say) is one
    # seqedit could not check: named as such (exit 3), like one whose steps failed.
    if args.all:
        report.unchecked += [
            (ident or "(no id)", title, f"the sequence list's entry is unusable: {one_line(why)}")
            for ident, title, why in listing.rejected
        ]
    named = {why for _ident, _title, why in listing.rejected} if args.all else set()
    report.problems += [
        f"sequence list: {one_line(error)}" for error in listing.errors if not any(error.endswith(why) for why in named)
    ]
    titles = {sequence.id: sequence.title for sequence in listing.items}
    if args.all:
        wanted = [sequence.id for sequence in listing.items]
    else:
        wanted = list(dict.fromkeys(args.sequence))
    for position, sequence_id in enumerate(wanted):
        try:
            steps = await client.list_steps(sequence_id)
        except AuthError as exc:  # the key: every sequence left would fail the same way
            why = one_line(str(exc))
            report.unchecked += [(other, titles.get(other, ""), why) for other in wanted[position:]]
            break
        except (ApiError, ValueError) as exc:  # this sequence only (a 404, retries spent, an id like "..")
            report.unchecked.append((sequence_id, titles.get(sequence_id, ""), one_line(str(exc))))
            continue
        report.problems += [f"sequence {one_line(sequence_id)}: {one_line(error)}" for error in steps.errors]
        for step in steps.items:
            report.problems += [f"step {one_line(step.id)}: {one_line(error)}" for error in step.load_errors]
        targets = sequence_targets(
            sequence_id,
            titles.get(sequence_id, ""),
            steps.items,
            fields,
            linkedin_free_account=args.free_linkedin,
        )
        report.check(targets, None)


def _counts(report: _Report) -> dict[str, int]:
    counts = {"E": 0, "W": 0, "I": 0}
    for _target, _source, findings in report.results:
        for finding in findings:
            counts[finding.severity.value] += 1
    return counts


def _exit_code(report: _Report, strict: bool) -> int:
    counts = _counts(report)
    if report.unreadable:
        return EXIT_BAD_INPUT
    if report.unchecked:
        return EXIT_UNREACHABLE
    if counts["E"] or report.problems:
        return EXIT_ERRORS
    if counts["W"] and strict:
        return EXIT_WARNINGS
    return EXIT_CLEAN


def _print(report: _Report, args: argparse.Namespace) -> int:
    from tui.commands._stdout import until_stdout_closes

    printer = _print_json if args.format == "json" else _print_text
    closed = until_stdout_closes(lambda: printer(report) or 0)
    # Still said when stdout was closed early: stderr is usually the terminal, and they explain
    # what could not be checked.
    for line in report.notes + report.problems + [why for _name, why in report.unreadable] + _unchecked_lines(report):
        print(f"seqedit lint: {line}", file=sys.stderr)
    return closed or _exit_code(report, args.strict)


def _unchecked_lines(report: _Report) -> list[str]:
    from tui.text.safe_text import one_line

    lines = []
    for sequence_id, title, why in report.unchecked:
        named = f"{one_line(title, 60)} ({one_line(sequence_id)})" if title else one_line(sequence_id)
        lines.append(f"sequence {named} not checked: {why}")
    if report.unchecked:
        lines.append(
            f"{len(report.unchecked)} sequence{'s' if len(report.unchecked) != 1 else ''} not checked; "
            "the findings above are for the rest"
        )
    return lines


def _print_json(report: _Report) -> None:
    import json

    rows = []
    for target, source, findings in report.results:
        for finding in findings:
            rows.append(
                {
                    "source": source,
                    "sequence_id": target.sequence_id,
                    "step_id": target.step_id,
                    "variant_id": target.variant.id,
                    "variant": target.letter,
                    "rule_id": finding.rule_id,
                    "severity": finding.severity.value,
                    "field": finding.field,
                    "message": finding.message,
                    "hint": finding.hint,
                    "span": list(finding.span) if finding.span else None,
                    "threshold": finding.threshold,
                }
            )
    for name, why in report.unreadable:
        # An entry rather than nothing: `[]` would read as "checked, nothing found".
        rows.append(
            {
                "source": name,
                "sequence_id": None,
                "step_id": None,
                "variant_id": None,
                "variant": None,
                "rule_id": BAD_INPUT_RULE,
                "severity": "E",
                "field": None,
                "message": why,
                "hint": "fix or replace the file, then run seqedit lint again",
                "span": None,
                "threshold": None,
            }
        )
    for sequence_id, _title, why in report.unchecked:
        rows.append(
            {
                "source": None,
                "sequence_id": sequence_id,
                "step_id": None,
                "variant_id": None,
                "variant": None,
                "rule_id": UNCHECKED_RULE,
                "severity": "E",
                "field": None,
                "message": f"not checked: {why}",
                "hint": f"run seqedit lint --sequence {sequence_id} again later",
                "span": None,
                "threshold": None,
            }
        )
    unchecked_tags = _tags_unchecked_line(report)
    if unchecked_tags is not None:
        # An entry, so that a clean list cannot be read as "the tags were checked".
        rows.append(
            {
                "source": None,
                "sequence_id": None,
                "step_id": None,
                "variant_id": None,
                "variant": None,
                "rule_id": TAGS_UNCHECKED_RULE,
                "severity": "I",
                "field": None,
                "message": unchecked_tags,
                "hint": "run seqedit lint with --demo, --profile or SALESHANDY_API_KEY set",
                "span": None,
                "threshold": None,
            }
        )
    # ensure_ascii (the default) escapes every control character: safe on any terminal.
    print(json.dumps(rows, indent=2))


def _print_text(report: _Report) -> None:
    from tui.api.channels import Channel
    from tui.text.safe_text import one_line

    last_group: tuple[Any, ...] | None = None
    last_step: tuple[Any, ...] | None = None
    for target, source, findings in report.results:
        if not findings:
            continue
        group = (source, target.sequence_id)
        if group != last_group:
            if source is not None:
                print(one_line(source))
            else:
                title = one_line(target.sequence_title, 60) or "(untitled)"
                print(f"Sequence {title} ({one_line(target.sequence_id)})")
            last_group, last_step = group, None
        step = (group, target.step_id)
        if step != last_step and target.step_id is not None:
            channel = target.ctx.channel.label if isinstance(target.ctx.channel, Channel) else "?"
            number = f"Step {target.step_number}" if target.step_number is not None else "Step"
            shown_name = one_line(target.step_name, 40)
            name = f" {shown_name}" if shown_name and shown_name.casefold() != channel.casefold() else ""
            day = f", day {target.ctx.day}" if target.ctx.day is not None else ""
            print(f"  {number}{name} · {channel}{day} ({one_line(target.step_id)})")
            last_step = step
        print(f"    Variant {target.letter} ({one_line(target.variant.id)})")
        for finding in findings:
            print(
                f"      {finding.severity.value} {finding.rule_id}  {one_line(finding.field)}  "
                f"{one_line(finding.message)} → {one_line(finding.hint)}"
            )
    if (report.problems or report.unreadable or report.unchecked) and not report.results:
        return  # stderr says what went wrong; a line of zeros would only add noise
    unchecked_tags = _tags_unchecked_line(report)
    if unchecked_tags is not None:
        print(unchecked_tags)
    counts = _counts(report)
    checked = len(report.results)
    flagged = sum(1 for _t, _s, findings in report.results if findings)
    print(
        f"{checked} variant{'s' if checked != 1 else ''} checked, {flagged} with findings: "
        f"{counts['E']} error{'s' if counts['E'] != 1 else ''}, {counts['W']} warning{'s' if counts['W'] != 1 else ''}, "
        f"{counts['I']} info"
    )
