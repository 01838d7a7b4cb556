"""`seqedit preview`: print a variant as the recipient reads it, without starting the app.

``seqedit preview FILE.html`` renders an email body; ``FILE.json`` holds a Variant, a Step or a
list of either in the API's shapes (the ``{"message", "payload"}`` envelope is accepted);
``--sequence ID [--step ID [--variant ID]]`` reads them from the account (``--demo`` for the
sandbox). Heavy imports happen inside :func:`run` so ``seqedit --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from tui.api.models import ProspectField, Variant
    from tui.preview import Segment
    from tui.preview.compose import SampleProspect

Lines = list[list["Segment"]]


class PreviewInputError(Exception):
    """Bad input (a missing file, bad JSON, not a variant): exit code 2."""


class PreviewInputRefused(PreviewInputError):
    """An input file refused unread (not a regular file, or over the size limit): exit code 4."""


class PreviewApiError(Exception):
    """The account could not be read: exit code 1."""


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``seqedit preview`` and its options."""
    parser = sub.add_parser(
        "preview",
        parents=parents,
        help="print a variant as the recipient reads it",
        description=(
            "Print an email (or LinkedIn/WhatsApp text) as the recipient reads it: from an HTML "
            "file, a JSON file with a Variant or Step, or the account (--sequence/--step/--variant). "
            "Plain text when stdout is not a terminal."
        ),
    )
    parser.add_argument("file", nargs="?", help="FILE.html (an email body) or FILE.json (a Variant or Step)")
    parser.add_argument("--sequence", metavar="ID", help="read the sequence's variants from the account")
    parser.add_argument("--step", metavar="ID", help="only this step (with --sequence)")
    parser.add_argument("--variant", metavar="ID", help="only this variant (its id, or its letter A, B, …)")
    who = parser.add_mutually_exclusive_group()
    who.add_argument(
        "--prospect",
        metavar="N|ID",
        help="fill merge tags from sample prospect N (1, 2, …) or ID: the sandbox's, or [[sample_prospects]] in the config",
    )
    who.add_argument("--prospect-file", metavar="FILE", help="fill merge tags from a JSON object: label -> value")
    parser.add_argument("--spin", type=int, default=1, metavar="N", help="show spintax combination N (1, 2, …; wraps)")
    parser.add_argument("--width", type=int, metavar="N", help="wrap width (default: the terminal's, or 72)")
    parser.add_argument("--mode", choices=("rendered", "plain", "source"), default="rendered")
    parser.add_argument("--sender", default="Me", help="sender name on the inbox line (default: Me)")


def run(args: argparse.Namespace) -> int:
    """Render and print; 0 on success, 2 for bad input, 4 for an input file refused unread (not
    a regular file, or over the size limit), 1 when the account cannot be read, 141 when stdout
    was closed early (as by ``| head``)."""
    from tui.commands._stdout import until_stdout_closes

    try:
        return until_stdout_closes(lambda: _run(args))
    except PreviewInputRefused as exc:
        print(f"seqedit preview: {exc}", file=sys.stderr)
        return 4
    except PreviewInputError as exc:
        print(f"seqedit preview: {exc}", file=sys.stderr)
        return 2
    except PreviewApiError as exc:
        print(f"seqedit preview: {exc}", file=sys.stderr)
        return 1


# NamedTuples and a plain class, not dataclasses: see tui/preview/model.py (start-up).
class _Item(NamedTuple):
    """One thing to print: a variant (with where it sits) or a bare email body."""

    title: str
    variant: Variant | None = None
    html: str | None = None


class _FileProspect(NamedTuple):
    """The values of ``--prospect-file``: no name, so no Prospect line above the preview."""

    fields: dict[str, str]
    id: str = ""
    name: str = ""


class _Context:
    def __init__(self) -> None:
        self.prospect: SampleProspect | None = None
        self.fields: list[ProspectField] | None = None
        self.items: list[_Item] = []


def _connected(args: argparse.Namespace) -> bool:
    return bool(args.sequence or args.demo or getattr(args, "demo_reset", False) or args.prospect)


def _run(args: argparse.Namespace) -> int:
    from tui.text.safe_text import one_line

    if args.file and args.sequence:
        raise PreviewInputError("give a FILE or --sequence, not both")
    if not args.file and not args.sequence:
        raise PreviewInputError("nothing to preview: give FILE.html, FILE.json or --sequence ID (see --help)")
    if args.step and not args.sequence and not args.file:
        raise PreviewInputError("--step needs --sequence")
    if args.width is not None:
        from tui.preview.compose import MIN_WIDTH

        if args.width < MIN_WIDTH:
            raise PreviewInputError(f"--width must be at least {MIN_WIDTH}")
    context = _Context()
    if args.file:
        context.items = _items_from_file(args.file, args.variant)
    if args.prospect_file:
        context.prospect = _prospect_from_file(args.prospect_file)
    if _connected(args):
        import asyncio

        asyncio.run(_from_account(args, context))
    if not context.items:
        raise PreviewInputError(f"no variant matches --variant {one_line(args.variant, 40)}")
    _print(_render(args, context), args)
    return 0


# -- input -----------------------------------------------------------------------------------


def _items_from_file(path_text: str, variant_filter: str | None) -> list[_Item]:
    import os.path  # not pathlib, which brings urllib.parse (start-up, benchmarks: preview)

    from tui.commands.json_input import InputError, InputRefused, read_input

    try:
        maybe_html = os.path.splitext(path_text)[1].lower() != ".json"
        # An HTML body is still worth showing with a few odd characters; JSON is not.
        text = read_input(path_text, replace_undecodable=maybe_html)
    except InputRefused as exc:
        raise PreviewInputRefused(str(exc)) from None
    except InputError as exc:
        raise PreviewInputError(str(exc)) from None
    if maybe_html and not text.lstrip().startswith(("{", "[")):
        return [_Item(title="", html=text)]  # decided before importing validation (start-up)
    # Decided by content: a file not named .json is JSON only when it reads as a variant or a
    # step; an email body may well start with `{{First Name}},` or `{spin}Hi|Hey{endspin}`.
    try:
        targets = _targets(text, path_text)
    except PreviewInputError:
        if maybe_html:
            return [_Item(title="", html=text)]
        raise
    lone = len(targets) == 1 and targets[0].step_id is None
    items = [_Item("" if lone else _target_title(target), target.variant) for target in targets]
    return _filter(items, variant_filter)


def _targets(text: str, path_text: str) -> list[Any]:
    """The variants in a JSON text, read as `seqedit lint` reads them (a variant, a step, lists)."""
    from tui.commands.json_input import InputError, load_json, shown_name
    from tui.validation.targets import ShapeError, targets_from_json

    try:
        data = load_json(text, path_text)
    except InputError as exc:
        raise PreviewInputError(str(exc)) from None
    try:
        return targets_from_json(data)
    except (ShapeError, ValueError) as exc:
        raise PreviewInputError(f"{shown_name(path_text)}: not a variant ({exc})") from None


def _target_title(target: Any) -> str:
    """ "Intro · variant B": the step's name (or number) and the variant's letter."""
    from tui.text.safe_text import one_line

    number = f"Step {target.step_number}" if target.step_number else "Step"
    return f"{one_line(target.step_name, 60) or number} · variant {target.letter}"


def _filter(items: list[_Item], wanted: str | None) -> list[_Item]:
    if not wanted:
        return items
    wanted = wanted.strip()
    matches = [item for item in items if item.variant is not None and item.variant.id == wanted]
    if not matches and len(wanted) == 1 and wanted.isalpha():
        matches = [item for item in items if item.title.endswith(f"variant {wanted.upper()}")]
    return matches


def _prospect_from_file(path_text: str) -> _FileProspect:
    from tui.commands.json_input import InputError, InputRefused, read_json
    from tui.text.safe_text import one_line

    try:
        data = read_json(path_text, what="prospect file")
    except InputRefused as exc:
        raise PreviewInputRefused(str(exc)) from None
    except InputError as exc:
        raise PreviewInputError(str(exc)) from None
    if isinstance(data, dict) and isinstance(data.get("fields"), dict):
        data = data["fields"]
    if not isinstance(data, dict):
        raise PreviewInputError(f"{one_line(path_text, 200)}: expected a JSON object of field label -> value")
    return _FileProspect({str(label): "" if value is None else str(value) for label, value in data.items()})


async def _from_account(args: argparse.Namespace, context: _Context) -> None:
    from tui.api.channels import variant_letter
    from tui.api.errors import ApiError
    from tui.session.connect import NoApiKey, open_client, resolve_account, sample_prospects
    from tui.text.safe_text import one_line

    try:
        account = resolve_account(args)
    except (NoApiKey, ValueError) as exc:
        raise PreviewInputError(str(exc)) from None
    for notice in account.notices:
        print(f"seqedit preview: {notice}", file=sys.stderr)
    try:
        async with open_client(account, reset_demo=bool(getattr(args, "demo_reset", False))) as client:
            if args.sequence:
                if args.step:
                    listing = await client.list_variants(args.sequence, args.step)
                    items = [
                        _Item(f"variant {variant_letter(index)}", variant)
                        for index, variant in enumerate(listing.items)
                    ]
                else:
                    steps = await client.list_steps(args.sequence)
                    items = []
                    for position, step in enumerate(steps.items, 1):
                        label = one_line(step.name, 60) or f"Step {step.number or position}"
                        items += [
                            _Item(f"{label} · variant {variant_letter(index)}", variant)
                            for index, variant in enumerate(step.variants)
                        ]
                context.items = _filter(items, args.variant)
            try:
                context.fields = await client.list_fields()
            except ApiError:
                context.fields = None  # stored fallbacks are a nicety; the preview still works
            if args.prospect:
                context.prospect = _pick_prospect(await sample_prospects(client, account), args.prospect)
    except ApiError as exc:
        raise PreviewApiError(one_line(str(exc), 500)) from None


def _pick_prospect(prospects: list, wanted: str) -> Any:
    from tui.session.connect import pick_prospect
    from tui.text.safe_text import one_line

    if not prospects:
        raise PreviewInputError(
            "this account has no sample prospects: add [[sample_prospects]] tables (field label = value) to the "
            "config file (seqedit config edit), or use --prospect-file"
        )
    chosen = pick_prospect(prospects, wanted)
    if chosen is None:
        raise PreviewInputError(
            f"no sample prospect {one_line(wanted, 40)} (there are {len(prospects)}: 1 to {len(prospects)} or an id)"
        )
    return chosen


# -- output ----------------------------------------------------------------------------------


def _width(args: argparse.Namespace) -> int:
    if args.width:
        return args.width
    if sys.stdout.isatty():
        import shutil  # only here: it imports bz2, lzma and zlib (start-up, benchmarks: preview)

        return max(20, shutil.get_terminal_size((72, 24)).columns)
    return 72


def _render(args: argparse.Namespace, context: _Context) -> list[tuple[Lines, str | None]]:
    """Blocks to print: lines of Segments, and raw HTML to show after them in source mode.

    Each item is composed as the Preview pane composes it (:mod:`tui.preview.compose`)."""
    from tui.preview import Segment
    from tui.preview.compose import compose_body, compose_preview

    width = _width(args)
    ask = dict(
        width=width,
        mode=args.mode,
        prospect=context.prospect,
        fields=context.fields,
        spin=max(0, args.spin - 1),
        spin_hint="--spin N",
    )
    blocks: list[tuple[Lines, str | None]] = []
    for index, item in enumerate(context.items):
        lines: Lines = []
        if index:
            lines.append([])
        if item.title:
            label = f"── {item.title} "
            lines.append([Segment(label + "─" * max(0, width - len(label)), "muted")])
        if item.variant is not None:
            view = compose_preview(item.variant, sender=args.sender, **ask)
        else:
            view = compose_body(item.html or "", **ask)
        blocks.append((lines + view.lines, view.source))
    return blocks


def _print(blocks: list[tuple[Lines, str | None]], args: argparse.Namespace) -> None:
    from tui.preview import Rendered, to_plain

    if not sys.stdout.isatty():
        for lines, source in blocks:
            if lines:
                sys.stdout.write(to_plain(Rendered(lines=lines)))
            if source is not None:
                from tui.text.safe_text import clean

                sys.stdout.write(clean(source).rstrip("\n") + "\n")
        return
    import os

    from tui.preview.terminal import segments_to_ansi

    # Written directly when the terminal understands ANSI styles and there is no source to
    # highlight: Rich's console costs ~35 ms to import (start-up, benchmarks: preview). Windows
    # consoles go through Rich, which switches them to ANSI first.
    styled = os.environ.get("TERM", "") not in ("dumb", "unknown")
    if os.name != "nt" and all(source is None for _lines, source in blocks):
        texts = [segments_to_ansi(lines, colour="NO_COLOR" not in os.environ, styled=styled) for lines, _ in blocks]
        if all(text is not None for text in texts):
            sys.stdout.write("".join(text for text in texts if text))
            return
    from rich.console import Console

    from tui.preview import highlight_source
    from tui.preview.terminal import segments_to_rich

    console = Console(markup=False, highlight=False, emoji=False, soft_wrap=True)
    for lines, source in blocks:
        if lines:
            console.print(segments_to_rich(lines), markup=False, highlight=False, emoji=False)
        if source is not None:
            console.print(highlight_source(source), markup=False, highlight=False, emoji=False)
