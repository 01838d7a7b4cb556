"""`seqedit doctor`: check, before the first save, that seqedit and this account agree.

Read-only unless ``--write --sequence ID`` names a scratch sequence. The checks live in
:mod:`tui.commands.doctor_checks` (and doctor_write); this module resolves the account, runs
them and prints PASS/WARN/FAIL lines and the shape report. Nothing printed or saved holds a
value from the account or the key.

Exit codes: 0 seqedit can save safely on this account (warnings allowed), 1 a check failed (a
mismatch), 2 a usage problem or ``--write`` refused, 3 the account could not be reached or read.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3

EPILOG = """\
examples:
  seqedit doctor                                   read-only checks of your account
  seqedit doctor --output doctor.txt               also save the report (to attach to a bug report)
  seqedit doctor --write --sequence ID             also try a PATCH on a scratch sequence and undo it

exit codes: 0 seqedit can save on this account (warnings allowed), 1 a check failed: seqedit and
the account disagree (send the report), 2 a usage problem, or --write refused (the sequence's
title must start with seqedit-scratch), 3 the account could not be reached or read (network,
refused key), 70 seqedit itself failed.

The report names endpoints, field names, JSON types, HTTP statuses and counts: never a value
from your account and never your key, so it can be pasted into a bug report as it is."""


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``doctor`` subcommand."""
    parser = sub.add_parser(
        "doctor",
        parents=parents,
        help="check that seqedit and your account agree (read-only unless --write)",
        description="Check that seqedit reads your account correctly and can save safely on it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--output", metavar="FILE", help="also write the full report to FILE")
    parser.add_argument(
        "--write",
        action="store_true",
        help="also PATCH a scratch sequence (needs --sequence; its title must start with seqedit-scratch) and undo it",
    )
    parser.add_argument("--sequence", metavar="ID", help="the scratch sequence for --write")
    parser.add_argument(
        "--sample", type=_sample_count, default=3, metavar="N", help="sequences to walk (1 or more; default 3)"
    )


def _sample_count(text: str) -> int:
    """``--sample``'s value: a whole number of sequences, 1 or more (0 walked 1 silently)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more (sequences to walk), got {value}")
    return value


def _output_problem(output: str | None) -> str | None:
    """Why the report could not be written to ``output``, found before any check runs (the
    checks take a while and a --write run changes a scratch sequence); None when it can."""
    import os
    from pathlib import Path

    from tui.text.safe_text import one_line

    if not output:
        return None
    path = Path(output)
    folder = path.parent
    shown = one_line(output, 200)
    if path.is_dir():
        return f"--output {shown} is a directory: name a file"
    if not folder.is_dir():
        return f"--output {shown}: no such directory {one_line(str(folder), 200)}"
    if not os.access(folder if not path.exists() else path, os.W_OK):
        return f"--output {shown}: not writable"
    return None


def run(args: argparse.Namespace) -> int:
    from tui.commands._stdout import until_stdout_closes

    return until_stdout_closes(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    import asyncio

    from tui.session.connect import NoApiKey, resolve_account
    from tui.text.safe_text import one_line

    if args.write != bool(args.sequence):
        print("seqedit doctor: --write and --sequence ID go together", file=sys.stderr)
        return EXIT_USAGE
    if problem := _output_problem(args.output):
        print(f"seqedit doctor: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        account = resolve_account(args)
    except NoApiKey as exc:
        print(f"seqedit doctor: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except ValueError as exc:
        print(f"seqedit doctor: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_UNREACHABLE
    if args.write and (account.read_only or getattr(args, "read_only", False)):
        print("seqedit doctor: --write refused: read-only is set for this account", file=sys.stderr)
        return EXIT_USAGE
    for notice in account.notices:
        print(f"seqedit doctor: {one_line(notice)}", file=sys.stderr)
    diagnosis = asyncio.run(_diagnose(account, args))
    return report(diagnosis, account, args.output)


async def _diagnose(account: Any, args: argparse.Namespace) -> Any:
    from tui.session.connect import open_client

    from .doctor_checks import WRONG_KEY, diagnose

    wrong = type(account)(base_url=account.base_url, api_key=WRONG_KEY, demo=account.demo)
    async with open_client(account, max_retries=1) as client, open_client(wrong, max_retries=0) as wrong_client:
        return await diagnose(
            client, wrong_client, sequences=args.sample, write_sequence=args.sequence if args.write else None
        )


def _wrapped(head: str, text: str, width: int) -> list[str]:
    """``head`` then ``text`` wrapped beside it (below it when the terminal is too narrow)."""
    import textwrap

    # Wrapped at spaces only: "seqedit-scratch" and "GET …/steps/{stepId}" stay whole.
    first, rest = (head, " " * len(head)) if width - len(head) >= 30 else ("  ", "  ")
    wrapped = textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False, break_long_words=False
    )
    return wrapped if first == head else [head.rstrip(), *wrapped]


def render(diagnosis: Any, account: Any, width: int = 100) -> tuple[list[str], int]:
    """The report's lines (checks wrapped to ``width``) and the exit code."""
    from .doctor_checks import FAIL, WARN

    where = "the demo sandbox" if account.demo else account.base_url
    lines = [f"seqedit doctor: {where} (key from {account.key_source or 'unknown'}; the key is never shown)"]
    if diagnosis.refused:
        lines.append(f"--write refused: {diagnosis.refused}")
        return lines, EXIT_USAGE
    if diagnosis.unreachable:
        lines.extend(_wrapped(f"FAIL  {'reach':<20} ", diagnosis.unreachable, width))
        lines.extend(_wrapped("Verdict: ", "the account could not be read; nothing else was checked.", width))
        return lines, EXIT_UNREACHABLE
    for check in diagnosis.checks:
        lines.extend(_wrapped(f"{check.verdict}  {check.name:<20} ", check.text, width))
    fails = sum(check.verdict == FAIL for check in diagnosis.checks)
    warns = sum(check.verdict == WARN for check in diagnosis.checks)
    if fails:
        verdict = (
            f"MISMATCH ({fails} FAIL, {warns} WARN): seqedit and this account disagree. Do not save with "
            "seqedit yet; send this report (seqedit doctor --output doctor.txt) with a bug report."
        )
    else:
        verdict = f"OK ({warns} WARN): seqedit can save on this account."
    lines.extend(_wrapped("Verdict: ", verdict, width))
    lines.append("")
    lines.append("Shape report (keys and JSON types only: no values, no key)")
    lines.extend(diagnosis.shapes.lines())
    return lines, EXIT_MISMATCH if fails else EXIT_OK


def report(diagnosis: Any, account: Any, output: str | None) -> int:
    """Print the report (and write it to ``output``); the exit code."""
    import shutil

    from tui.text.safe_text import clean

    width = max(40, min(100, shutil.get_terminal_size().columns)) if sys.stdout.isatty() else 100
    lines, code = render(diagnosis, account, width)
    text = clean("\n".join(lines)) + "\n"
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(clean("\n".join(render(diagnosis, account)[0])) + "\n")
        except OSError as exc:
            print(f"seqedit doctor: could not write {output}: {exc.strerror or exc}", file=sys.stderr)
            code = max(code, EXIT_USAGE) if code != EXIT_UNREACHABLE else code
        else:
            text += f"(report saved to {output})\n"
    sys.stdout.write(text)
    return code
