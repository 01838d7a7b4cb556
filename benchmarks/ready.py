"""The startup marker both measured apps print: the same protocol as ``tui.app``'s bench hook.

With ``SEQEDIT_BENCH_EXIT_WHEN_READY=1`` an app writes :data:`MARKER` to file descriptor 1 once
its tree shows the first items, then exits. Textual draws on stderr, so stdout is free for it.
(``tui/app.py`` and ``benchmarks/bare_tree_app.py`` spell the bytes out rather than import
this module, so that neither measured app imports anything for the benchmark's sake.)
"""

from __future__ import annotations

ENV = "SEQEDIT_BENCH_EXIT_WHEN_READY"
MARKER = b"SEQEDIT_BENCH_READY\n"
