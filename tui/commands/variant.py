"""`seqedit variant add|duplicate`: add a variant to a step (A/B testing) without the app.

The new variant is made as the app makes it (:mod:`tui.session.new_variants`), checked with the
same rules (errors refuse it, exit 2 as lint), then POSTed; the step is read again and the
server's variant named. Heavy imports happen inside :func:`run`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.commands.account_command import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNREACHABLE,
    account_client,
    check_variant,
    fail,
    run_command,
)

EPILOG = """\
examples:
  seqedit --demo variant add --sequence ID --step ID --file payload.json
  seqedit variant duplicate --sequence ID --step ID --from B --paused

exit codes (as lint's): 0 added, 2 the rules or the server refused it (the findings are
printed; nothing was added), 3 the account could not be reached or read, 4 bad input (a
payload file missing or not a JSON object, an unknown step or variant)."""


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "variant",
        parents=parents,
        help="add a variant to a step, or duplicate one (A/B testing)",
        description="Add a variant to a step, or duplicate one, checked by the rules first.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(module="variant")
    parser.add_argument("action", choices=("add", "duplicate"))
    parser.add_argument("--sequence", required=True, metavar="ID")
    parser.add_argument("--step", required=True, metavar="ID")
    parser.add_argument("--from", dest="source", default="A", metavar="B", help="duplicate: the variant (letter or id)")
    parser.add_argument("--file", metavar="payload.json", help="add: the payload (a JSON object)")
    parser.add_argument("--paused", action="store_true", help="add it paused (status 0)")
    parser.add_argument("--dry-run", action="store_true", help="print the POST body and the findings; send nothing")


def pick_variant(variants: list[Any], wanted: str) -> Any:
    """The variant named by letter (A, B, …) or id."""
    from tui.api.channels import variant_letter
    from tui.text.safe_text import one_line

    for index, variant in enumerate(variants):
        if variant.id == wanted or variant_letter(index) == wanted.upper():
            return variant
    raise fail(f"no variant {one_line(wanted, 40)} in that step (it has {len(variants)})", EXIT_BAD_INPUT)


def find_step(steps: list[Any], step_id: str) -> Any:
    from tui.text.safe_text import one_line

    for step in steps:
        if step.id == step_id:
            return step
    raise fail(f"no step {one_line(step_id, 40)} in that sequence", EXIT_BAD_INPUT)


def print_findings(findings: list[Any], out: Any = None) -> None:
    from tui.text.safe_text import one_line

    out = out or sys.stdout
    for finding in findings:
        severity = str(getattr(finding.severity, "value", finding.severity))
        print(f"{severity} {finding.rule_id} {finding.field}: {one_line(finding.message, 300)}", file=out)


def _payload(path: str) -> dict[str, Any]:
    import json
    from pathlib import Path

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise fail(f"cannot read {path}: {exc}", EXIT_BAD_INPUT) from None
    if isinstance(data, dict) and isinstance(data.get("payload"), dict):
        data = data["payload"]
    if not isinstance(data, dict):
        raise fail(f"{path} must hold a JSON object (the payload, or a variant with a payload)", EXIT_BAD_INPUT)
    return data


def run(args: argparse.Namespace) -> int:
    return run_command("variant", lambda: _run(args))


async def _run(args: argparse.Namespace) -> int:
    import json

    from tui.api.channels import Status
    from tui.session.new_variants import (
        add_body,
        add_new_variant,
        blank_variant,
        duplicate_variant,
        fresh_variant,
        left_out_of_copy,
        new_key,
    )
    from tui.session.workspace import Workspace
    from tui.text.safe_text import one_line

    payload = _payload(args.file) if args.action == "add" and args.file else None
    async with account_client(args) as (_account, client):
        steps = (await client.list_steps(args.sequence)).items
        step = find_step(steps, args.step)
        workspace = Workspace()
        workspace.set_steps(args.sequence, steps)
        key = new_key(args.sequence, args.step)
        status = Status.PAUSED if args.paused else Status.ACTIVE
        if args.action == "duplicate":
            source = pick_variant(step.variants, args.source)
            variant = duplicate_variant(source, key.variant_id, status=status)
            if left_out := left_out_of_copy(source):
                print(f"seqedit variant: not copied: {one_line('; '.join(left_out), 300)}", file=sys.stderr)
        else:
            variant = fresh_variant(key.variant_id, step.type, status=status)
            if payload is not None:
                variant = variant.model_copy(update={"payload": payload})
        workspace.add_new(key, blank_variant(key.variant_id, step.type), variant)
        findings, errors, _fields = await check_variant(client, workspace, key)
        body = add_body(variant).body()
        letter = workspace.letter(key)
        print(f"POST /v1/sequences/{args.sequence}/steps/{args.step}/variants (new variant {letter})")
        print(json.dumps(body, indent=2, ensure_ascii=False))
        print_findings(findings)
        if errors:
            print(f"seqedit variant: refused: {len(errors)} error(s); nothing was sent", file=sys.stderr)
            return EXIT_REFUSED
        if args.dry_run:
            return EXIT_OK
        outcome = await add_new_variant(client, workspace, key)
    if not outcome.ok:
        raise fail(outcome.text, EXIT_REFUSED if outcome.refused else EXIT_UNREACHABLE)
    where = f" (id {outcome.key.variant_id})" if outcome.key is not None else ""
    print(f"{one_line(outcome.text, 300)}{where}")
    return EXIT_OK
