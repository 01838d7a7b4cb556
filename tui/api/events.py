"""What the client reports about each request, for the connection-state indicator and the log.

Events carry the method and the path *template* (``/v1/sequences/{sequenceId}/steps``), never
headers, bodies or the key, so they are safe to show and to log.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


@dataclass(frozen=True)
class RequestScope:
    """What a caller asks of the requests made inside :func:`request_scope` (in its task and
    what that task awaits): ``observer`` is told of their events too, ``max_attempts`` caps
    their tries, retries included."""

    observer: EventHandler | None = None
    max_attempts: int | None = None


_SCOPE: ContextVar[RequestScope | None] = ContextVar("seqedit_request_scope", default=None)


def current_scope() -> RequestScope | None:
    """The scope of the requests made here, if a caller set one."""
    return _SCOPE.get()


@contextmanager
def request_scope(*, observer: EventHandler | None = None, max_attempts: int | None = None) -> Iterator[None]:
    """Watch (and cap the tries of) the client's requests made inside the block.

    A context variable rather than arguments through every client call: a save watches its
    re-read and its PATCH without the client's methods knowing about saves, and requests made
    elsewhere meanwhile (the tree's loads) are not counted.
    """
    token = _SCOPE.set(RequestScope(observer, max_attempts))
    try:
        yield
    finally:
        _SCOPE.reset(token)
