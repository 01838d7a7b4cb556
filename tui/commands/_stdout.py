"""Printing commands end quietly when their reader stops early (``seqedit lint | head``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

# What a shell reports for a command that SIGPIPE ended (128 + 13), as for `yes | head`. Python
# ignores SIGPIPE, so a write to a closed pipe raises BrokenPipeError instead of ending it.
EXIT_STDOUT_CLOSED = 141


def until_stdout_closes(run: Callable[[], int]) -> int:
    """``run()``'s exit code, or EXIT_STDOUT_CLOSED without a traceback once nobody reads stdout."""
    try:
        code = run()
        # Flushed here so that a small output's failure is caught too: left to the interpreter's
        # exit, it would be reported as "Exception ignored ... BrokenPipeError".
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The buffer still holds what could not be written, and the exit flushes it again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_STDOUT_CLOSED
