"""Hang-up and termination: write the drafts before the process goes.

A dropped SSH link hangs up the terminal: the kernel sends SIGHUP, whose default action ends
the process at once, so whatever was typed since the last one-second journal tick would be
lost. SIGTERM (``kill``, a shutdown) is the same. Both are handled on the event loop, never in
the middle of a journal write: the drafts are flushed first.

After a hang-up the terminal is gone: there is nothing left to restore or draw on, and trying
could block on a dead pty, so the process ends at once with the conventional 128 + SIGHUP.
After SIGTERM the terminal is still there and the app exits normally, restoring it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable

log = logging.getLogger(__name__)

HANGUP_EXIT = 128 + signal.SIGHUP


def install(loop: asyncio.AbstractEventLoop, flush: Callable[[], object], stop: Callable[[], None]) -> None:
    """On SIGHUP: ``flush()`` then end the process; on SIGTERM: ``flush()`` then ``stop()``.

    Only for an app on a real terminal: the handlers are process-wide, so a headless app (a
    test) must not take them from its host.
    """

    def flushed() -> None:
        try:
            flush()
        except Exception:  # the exit must happen whatever the journal says
            log.exception("could not write the drafts on the way out")

    def hung_up() -> None:
        flushed()
        log.warning("the terminal hung up: drafts written, exiting")
        logging.shutdown()
        os._exit(HANGUP_EXIT)

    def terminated() -> None:
        flushed()
        stop()

    loop.add_signal_handler(signal.SIGHUP, hung_up)
    loop.add_signal_handler(signal.SIGTERM, terminated)


__all__ = ["HANGUP_EXIT", "install"]
