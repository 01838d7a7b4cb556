"""The startup marker both measured apps print: the same protocol as ``tui.app``'s bench hook.

With ``SEQEDIT_BENCH_EXIT_WHEN_READY=1`` an app writes :data:`MARKER` to file descriptor 1 once
its tree shows the first items, then exits. Textual draws on stderr, so stdout is free for it.
"""

from __future__ import annotations

import os

ENV = "SEQEDIT_BENCH_EXIT_WHEN_READY"
MARKER = b"SEQEDIT_BENCH_READY\n"


def wanted() -> bool:
    """Whether this process runs under the startup benchmark."""
    return os.environ.get(ENV) == "1"


def announce() -> None:
    """Write the marker straight to the descriptor (sys.stdout is captured while Textual runs)."""
    os.write(1, MARKER)
