"""How long to wait before trying a request again.

The vendor does not publish its rate limits; integrators saw 429 responses carrying
``retry-after`` (seconds or an HTTP date) and ``x-ratelimit-reset`` (sometimes epoch seconds,
sometimes seconds from now, occasionally epoch milliseconds or an HTTP date). :func:`server_wait` reads whichever
is present; :class:`Backoff` turns it, or the attempt number when the server said nothing, into a
bounded wait with jitter so that many clients do not retry in lockstep.
"""

from __future__ import annotations

import datetime
import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# A hint further away than this is a garbled header (a millisecond epoch read as seconds, a
# clock far off), not a real instruction: it is ignored and the ordinary backoff applies.
ABSURD_WAIT = 24 * 3600.0

# Numbers above this are epoch timestamps rather than "seconds from now" (1e9 s is 2001).
_EPOCH_SECONDS = 1e9
_EPOCH_MILLISECONDS = 1e11


def _parse_seconds_or_date(raw: str, now: float) -> float | None:
    text = raw.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT even when the zone is missing
        when = when.replace(tzinfo=datetime.UTC)
    return when.timestamp() - now


def _parse_reset(raw: str, now: float) -> float | None:
    try:
        value = float(raw.strip())
    except ValueError:
        return _parse_seconds_or_date(raw, now)  # the vendor's gateway may send an HTTP date
    if value > _EPOCH_MILLISECONDS:
        return value / 1000.0 - now
    if value > _EPOCH_SECONDS:
        return value - now
    return value


def server_wait(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after`` or ``x-ratelimit-reset``.

    Returns None when neither header is present, readable and plausible; a moment in the past
    gives 0.
    """
    now = time.time() if now is None else now
    hint: float | None = None
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        hint = _parse_seconds_or_date(retry_after, now)
    if hint is None:
        reset = headers.get("x-ratelimit-reset")
        if reset is not None:
            hint = _parse_reset(reset, now)
    if hint is None or hint != hint or hint > ABSURD_WAIT:  # hint != hint: NaN
        return None
    return max(0.0, hint)


# The pause before the next request when ``x-ratelimit-remaining`` is 0 and no reset time is given.
EXHAUSTED_PAUSE = 1.0


def quota(headers: Mapping[str, str], *, now: float | None = None) -> tuple[float, float | None] | None:
    """``(remaining, seconds until the reset)`` from ``x-ratelimit-remaining``/``-reset``.

    None when ``x-ratelimit-remaining`` is missing or unreadable; the reset is None when the
    server gave none that is readable and plausible. The request scheduler paces by this.
    """
    raw = headers.get("x-ratelimit-remaining")
    if raw is None:
        return None
    try:
        remaining = float(raw.strip())
    except ValueError:
        return None
    if remaining != remaining:  # NaN
        return None
    now = time.time() if now is None else now
    reset = headers.get("x-ratelimit-reset")
    hint = _parse_reset(reset, now) if reset is not None else None
    if hint is None or hint != hint or hint > ABSURD_WAIT:
        return remaining, None
    return remaining, max(0.0, hint)


def quota_pause(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to hold the next request when this answer used the last of the rate limit.

    None unless ``x-ratelimit-remaining`` reads 0 (or less); then the reset hint, or
    :data:`EXHAUSTED_PAUSE` when the server gave none that is readable.
    """
    state = quota(headers, now=now)
    if state is None or state[0] > 0:  # no header, or requests left
        return None
    return EXHAUSTED_PAUSE if state[1] is None else state[1]


@dataclass
class Backoff:
    """Bounded exponential backoff with jitter.

    ``base`` doubles with each attempt up to ``cap``; the wait is drawn from the upper half of
    that window ("equal jitter") so it never collapses to zero. A server's own hint is honoured
    as a floor, with a little jitter added on top, and never cut below what the server asked.
    """

    base: float = 0.5
    cap: float = 30.0
    rng: Callable[[], float] = field(default_factory=lambda: random.Random().random)

    def delay(self, attempt: int, hint: float | None = None) -> float:
        """The wait before retry number ``attempt`` (0 for the first retry)."""
        if hint is not None:
            spread = min(1.0, 0.1 * hint, max(0.0, self.cap - hint))
            return min(self.cap, hint) + spread * self.rng()
        window = min(self.cap, self.base * (2**attempt))
        return window / 2 + (window / 2) * self.rng()

    def honours(self, hint: float | None) -> bool:
        """Whether waiting out ``hint`` fits within the cap; if not, the caller should give up."""
        return hint is None or hint <= self.cap
