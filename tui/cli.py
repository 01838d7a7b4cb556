"""The ``seqedit`` command line: the app by default, and headless subcommands.

Each subcommand lives in ``tui/commands/<name>.py`` with ``register(subparsers, parents)`` and
``run(args) -> int``. Those modules import nothing heavy at module level, so ``seqedit --help``
and every subcommand start fast.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import types
from typing import Any

# Start-up (benchmarks: startup): two libraries pay at import for features seqedit never uses.
# httpx imports its command-line client (click, pygments, rich.syntax: ~35 ms) whenever click is
# installed (uvicorn brings it); marked absent, httpx falls back to a stub ``httpx.main``.
# Pydantic scans every installed package's entry points for plugins on the first model built;
# with plugins disabled it does not, but its plugin loader still imports importlib.metadata (with
# email, csv, zipfile: ~7 ms) for that scan. While they are disabled, a loader that finds none
# (what pydantic's own returns then) stands in for it.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # None blocks the import: documented
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("__all__", "1", "true") and "pydantic.plugin._loader" not in sys.modules:
    _no_plugins = types.ModuleType("pydantic.plugin._loader", "Stands in for pydantic's: plugins are disabled.")
    _no_plugins.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules["pydantic.plugin._loader"] = _no_plugins

COMMANDS = ("sandbox", "lint", "preview", "review", "config", "cache", "doctor", "variant", "test_email")
# The top-level options, to find the subcommand in argv before parsing (see _named_command).
_TOP_FLAGS = frozenset(["--demo", "--demo-reset", "--read-only", "--no-cache"])
_TOP_VALUED = frozenset(["--base-url", "--profile"])
_columns: int | None = None


def _help_width() -> int:
    """The width argparse's help is wrapped to, found as argparse finds it (shutil's way: COLUMNS,
    else the terminal's, else 80; less 2) but without importing shutil, which brings bz2, lzma
    and zlib."""
    global _columns
    if _columns is None:
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            columns = 0
        if columns <= 0:
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]  # None: caught
            except (AttributeError, ValueError, OSError):
                columns = 0
        _columns = columns if columns > 0 else 80
    return _columns - 2


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its help formatter given a width (start-up: argparse makes a
    formatter for every argument added, and one without a width imports shutil)."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        # Every formatter argparse has takes the width (typeshed types the class by prog alone).
        make: Any = self.formatter_class
        return make(prog=self.prog, width=_help_width())


def connection_options(*, for_subcommand: bool = False) -> argparse.ArgumentParser:
    """Options shared by everything that talks to an account (the app, lint, preview, review).

    ``for_subcommand``: the copy a subcommand gets sets nothing when an option is absent, so
    ``seqedit --demo lint`` keeps the --demo given before the subcommand (argparse would
    otherwise overwrite it with the subcommand's default and use the real account).
    """
    unset: dict[str, Any] = {"default": argparse.SUPPRESS} if for_subcommand else {}
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("account")
    group.add_argument("--demo", action="store_true", help="use the embedded sandbox, offline", **unset)
    group.add_argument("--demo-reset", action="store_true", help="rebuild the sandbox's demo data first", **unset)
    group.add_argument("--base-url", help="API base URL (default https://open-api.saleshandy.com)", **unset)
    group.add_argument("--profile", help="a named profile from the config file", **unset)
    return parent


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only`` (a module of COMMANDS), with that subcommand
    alone, and with ``only=""`` with none, for the editor (start-up: each subcommand's module
    and options cost time to load and build, ~21 ms for all of them)."""
    conn = connection_options()
    parser = _Parser(
        prog="seqedit",
        description="A keyboard-first terminal editor for Saleshandy sequences.",
        parents=[conn],
    )
    parser.add_argument("--read-only", action="store_true", help="browse and review; refuse to save")
    parser.add_argument("--no-cache", action="store_true", help="neither show nor keep the last sequence listing")
    parser.add_argument("--version", action="version", version=f"seqedit {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,) if only else ():
        module = importlib.import_module(f"tui.commands.{name}")
        module.register(sub, [connection_options(for_subcommand=True)])
    return parser


def _version() -> str:
    from tui import __version__

    return __version__


def _named_command(argv: list[str]) -> str | None:
    """The module of the subcommand ``argv`` names, when that is certain before parsing: every
    option before it is a top-level one spelled in full (argparse also takes abbreviations, and
    an option's value could look like a command); "" when it names none and holds only such
    options (the editor: no subcommand is needed to parse it). None otherwise, or for help and
    version."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token in _TOP_FLAGS or ("=" in token and token.partition("=")[0] in _TOP_VALUED):
            index += 1
        elif token in _TOP_VALUED:
            index += 2
        elif token.startswith("-"):
            return None
        else:
            name = token.replace("-", "_")
            return name if name in COMMANDS else None
    return ""


def _subcommand_parser(parser: argparse.ArgumentParser, name: str | None) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return action.choices[name]
    return None


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    parser = build_parser(_named_command(arguments))
    args, extra = parser.parse_known_args(arguments)
    if extra:
        # Said by the subcommand's parser, with its usage: the top-level usage answered
        # `seqedit lint --bogus` with options that lint does not take (issue 13).
        (_subcommand_parser(parser, args.command) or parser).error("unrecognized arguments: " + " ".join(extra))
    # A subcommand whose name is not its module's (test-email) says which module it is.
    name = getattr(args, "module", None) or args.command or "app"
    if name == "app":
        # Start-up (benchmarks: startup): the cyclic collector would run ~150 times over the
        # ~100,000 objects that the imports and the first screen create, finding next to
        # nothing to free (~35-45 ms). The app turns it back on once its first sequences are
        # drawn (SeqEditApp.startup_finished).
        gc.disable()
    try:
        module = importlib.import_module(f"tui.commands.{name}")
        return int(module.run(args) or 0)
    except Exception as exc:  # a bug: one line and a private report, never a traceback with the key
        # Imported here, not before the run: it brings pathlib (start-up, benchmarks: preview).
        from tui.config.paths import EXIT_DIRECTORY, DirectoryProblem

        if isinstance(exc, DirectoryProblem):
            # Its message names the directory and the variable that moves it: no traceback.
            from tui.text.safe_text import one_line

            print(f"seqedit: {one_line(exc, 500)}", file=sys.stderr)
            return EXIT_DIRECTORY
        from tui.terminal.crash_report import crashed

        return crashed(exc, command=name)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
