"""When seqedit itself fails: a short line on the terminal, the whole story in a private file.

A crash must not print the API key, and a traceback that shows local variables does (the key sits
in the client's and the parsers' frames). So the terminal gets one line naming the error and the
report's path, and the report holds the traceback without locals, with every secret this process
knows replaced. The report is created 0600 in the state directory (``crashes/``), or in the
system's temporary directory when that cannot be written. Pure: no Textual.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import sys
import tempfile
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path

from .child_env import is_secret_env

# sysexits' EX_SOFTWARE: "an internal software error", apart from every documented exit code.
EXIT_CRASH = 70
REDACTED = "[redacted]"

_secrets: set[str] = set()


def remember_secret(value: str | None) -> None:
    """Have crash reports redact ``value`` (the API key once it is known)."""
    if value and len(value.strip()) >= 4:
        _secrets.add(value.strip())


def redact(text: str, env: Mapping[str, str] | None = None, extra: Iterable[str] = ()) -> str:
    """``text`` with every known secret replaced, longest first (one may contain another)."""
    env = os.environ if env is None else env
    secrets = set(_secrets) | {s for s in extra if s}
    secrets |= {value.strip() for name, value in env.items() if is_secret_env(name) and len(value.strip()) >= 4}
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def report_text(error: BaseException, *, command: str = "") -> str:
    """The report: versions, the command, the traceback (no local variables), redacted."""
    try:
        from tui import __version__
    except ImportError:  # pragma: no cover - the package always has it
        __version__ = "?"
    lines = [
        f"seqedit {__version__} crash report, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"python {platform.python_version()} on {platform.platform()}",
        f"command: seqedit {command}".rstrip(),
        "",
        *traceback.format_exception(error),
    ]
    return redact("\n".join(line.rstrip("\n") for line in lines) + "\n")


def _crash_dir() -> Path:
    from tui.config.paths import state_dir

    folder = state_dir() / "crashes"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def write_report(error: BaseException, *, command: str = "") -> Path | None:
    """Write the report of ``error`` to a new 0600 file; its path, or None if nowhere would take it."""
    text = report_text(error, command=command)
    stamp = f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        path = _crash_dir() / f"crash-{stamp}.txt"
        handle = os.open(path, flags, 0o600)
    except Exception:  # the state directory is the problem, maybe the very one that crashed us
        try:
            handle, name = tempfile.mkstemp(prefix=f"seqedit-crash-{stamp}-", suffix=".txt")  # 0600
        except OSError:
            return None
        path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError:
        return None
    return path


def short_message(error: BaseException, report: Path | None) -> str:
    """What the terminal shows: the error's kind (never its text: it may hold server data) and
    where the report is."""
    where = (
        f"The full report (without the API key) is in {report}; please attach it to a bug report."
        if report is not None
        else "No report could be written."
    )
    return f"seqedit stopped on an internal error ({type(error).__name__}). {where}"


def crashed(error: BaseException, *, command: str = "") -> int:
    """Report ``error``: the file, then one line on stderr. Returns :data:`EXIT_CRASH`."""
    report = write_report(error, command=command)
    with contextlib.suppress(OSError, ValueError):  # stderr closed: the report is still on disk
        print(short_message(error, report), file=sys.stderr)
    return EXIT_CRASH
