"""Where two versions of a text differ, for the checks that reuse work across an edit."""

from __future__ import annotations


def changed_region(old: str, new: str) -> tuple[int, int, int] | None:
    """The one stretch that differs: ``old[start:old_end]`` became ``new[start:new_end]``, the
    shortest such (longest common prefix, then suffix); None when the texts are equal.

    Binary search over slices compares in C: ~0.1 ms for two 100 KB texts."""
    if old == new:
        return None
    low, high = 0, min(len(old), len(new))
    while low < high:  # old[:low] == new[:low]
        middle = (low + high + 1) // 2
        if new.startswith(old[low:middle], low):
            low = middle
        else:
            high = middle - 1
    start = low
    limit = min(len(old), len(new)) - start
    low, high = 0, limit
    while low < high:  # the last ``low`` characters agree
        middle = (low + high + 1) // 2
        if old[len(old) - middle : len(old) - low] == new[len(new) - middle : len(new) - low]:
            low = middle
        else:
            high = middle - 1
    return start, len(old) - low, len(new) - low
