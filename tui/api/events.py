"""What the client reports about each request, for the connection-state indicator and the log.

Events carry the method and the path *template* (``/v1/sequences/{sequenceId}/steps``), never
headers, bodies or the key, so they are safe to show and to log.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass


class EventKind(enum.Enum):
    """The stages of one request."""

    SENT = "sent"
    SLOW = "slow"  # no answer yet after the client's ``slow_after`` seconds; still waiting
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"
    FAILED = "failed"


@dataclass(frozen=True)
class ApiEvent:
    """One stage of one request.

    ``error`` is the exception class name (``"NetworkError"``) on RETRYING and FAILED;
    ``wait`` is the pause before the next attempt on RETRYING; ``attempt`` counts from 1.
    """

    kind: EventKind
    method: str
    path: str
    attempt: int = 1
    status: int | None = None
    error: str | None = None
    wait: float | None = None
    message: str = ""


EventHandler = Callable[[ApiEvent], None]
