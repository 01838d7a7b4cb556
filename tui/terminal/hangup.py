"""Hang-up and termination: write the drafts before the process goes.

A dropped SSH link hangs up the terminal: the kernel sends SIGHUP, whose default action ends
the process at once, so whatever was typed since the last one-second journal tick would be
lost. SIGTERM (``kill``, a shutdown) is the same. Both are handled on the event loop, never in
the middle of a journal write: the drafts are flushed first.

After a hang-up the terminal is gone: there is nothing left to restore or draw on, and trying
could block on a dead pty, so the process ends at once with the conventional 128 + SIGHUP.
Before it does, the window leaves the drafts file as a clean exit would (``leave``): a person who
closed the terminal and starts seqedit again at once gets the drafts back as this window's own,
even while the old process is still being torn down or waits to be reaped.
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


def install(
    loop: asyncio.AbstractEventLoop,
    flush: Callable[[], object],
    stop: Callable[[], None],
    leave: Callable[[], object] | None = None,
) -> None:
    """On SIGHUP: ``flush()``, ``leave()``, then end the process; on SIGTERM: ``flush()`` then
    ``stop()`` (the app's own exit leaves the drafts file).

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
        if leave is not None:
            try:
                leave()
            except Exception:  # as above: a window that failed to leave is noticed once its pid is gone
                log.exception("could not leave the drafts file on the way out")
        log.warning("the terminal hung up: drafts written, exiting")
        logging.shutdown()
        os._exit(HANGUP_EXIT)

    def terminated() -> None:
        flushed()
        stop()

    loop.add_signal_handler(signal.SIGHUP, hung_up)
    loop.add_signal_handler(signal.SIGTERM, terminated)


__all__ = ["HANGUP_EXIT", "install"]
