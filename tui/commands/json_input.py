"""Reading a file named on the command line, and its JSON, with one clear message per failure.

``seqedit lint`` and ``seqedit preview`` both read variants and steps saved as JSON; they read
them here so that the same file gets the same answer from both. Pure: no Textual.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from typing import Any

from tui.text.safe_text import one_line

# The largest input read (README: Security). A whole sequence's steps as JSON are well under a
# megabyte; rendering and checking take many times the input's size in memory.
MAX_INPUT_BYTES = 10 * 1024 * 1024


class InputError(Exception):
    """A file that cannot be read, or is not valid JSON; the text names the file and the reason."""


class InputRefused(InputError):
    """A file refused before reading it whole: not a regular file, or larger than MAX_INPUT_BYTES."""


def _too_large(name: str, what: str) -> InputRefused:
    return InputRefused(f"{name}: the {what} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; not read")


def _read_bounded(path_text: str, name: str, what: str) -> bytes:
    """At most MAX_INPUT_BYTES of a regular file. Opened without blocking (a FIFO would wait
    for a writer) and checked on the open descriptor, so a swapped file is checked too."""
    handle = os.open(path_text, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused(f"{name}: cannot read the {what}: not a regular file (a device, a pipe or a socket)")
        if info.st_size > MAX_INPUT_BYTES:
            raise _too_large(name, what)
        data = file.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:  # it grew while being read
        raise _too_large(name, what)
    return data


def shown_name(path_text: str) -> str:
    """The file's name as given, safe to print."""
    return one_line(path_text, 200)


def read_input(path_text: str, *, what: str = "file", replace_undecodable: bool = False) -> str:
    """The text of ``path_text`` ('-' reads stdin). Not UTF-8 is an error unless
    ``replace_undecodable`` (an HTML body is still worth showing with a few odd characters)."""
    name = shown_name(path_text)
    try:
        if path_text == "-":
            text = sys.stdin.read(MAX_INPUT_BYTES + 1)
            if len(text) > MAX_INPUT_BYTES:
                raise _too_large("standard input", what)
            return text
        data = _read_bounded(path_text, name, what)
    except FileNotFoundError:
        raise InputError(f"{name}: cannot read the {what}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: cannot read the {what}: it is a directory") from None
    except OSError as exc:
        raise InputError(
            f"{name}: cannot read the {what}: {one_line(exc.strerror or type(exc).__name__, 200)}"
        ) from None
    except UnicodeDecodeError:  # stdin in a non-UTF-8 locale
        raise InputError(f"{name}: cannot read the {what}: not UTF-8 text") from None
    if replace_undecodable:
        return data.decode(declared_charset(data) or "utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name}: cannot read the {what}: not UTF-8 text") from None


_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML file's ``<meta charset>`` (or http-equiv content type) declares in
    its first 4 KB, when Python knows it and no UTF-8 byte order mark overrides it."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        found = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # A meta tag that could be read as ASCII cannot be UTF-16/32: HTML reads those as UTF-8.
    return "utf-8" if found.startswith(("utf-16", "utf-32")) else found


def load_json(text: str, path_text: str) -> Any:
    """``text`` parsed as JSON; a syntax error names its line and column."""
    import json  # here: `seqedit preview FILE.html` reads no JSON (start-up, benchmarks: preview)

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{shown_name(path_text)}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{shown_name(path_text)}: not valid JSON (nested too deeply)") from None


def read_json(path_text: str, *, what: str = "file") -> Any:
    """:func:`read_input` then :func:`load_json`."""
    return load_json(read_input(path_text, what=what), path_text)
