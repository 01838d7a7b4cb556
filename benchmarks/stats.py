"""Medians and percentiles of timing samples."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(samples: Sequence[float]) -> float:
    """The median (0.0 for no samples, so a failed run still prints a number)."""
    return float(statistics.median(samples)) if samples else 0.0


def percentile(samples: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest sample with ``pct`` % of samples at or below it."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, with 0 for an empty denominator instead of an exception."""
    return numerator / denominator if denominator > 0 else 0.0
