"""'Did you mean {{First Name}}?': the nearest known field label to a mistyped merge tag."""

from __future__ import annotations

from collections.abc import Iterable

from tui.text.mergetags import normalize_label


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        best = i
        for j, char_b in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def nearest_label(label: str, labels: Iterable[str]) -> str | None:
    """The known label closest to ``label``: first the same normalised form (case, spaces,
    camelCase), then the smallest edit distance on normalised forms, within about a third of
    the length. None when nothing is close."""
    key = normalize_label(label)
    if not key:
        return None
    limit = max(1, min(3, len(key) // 3))
    best: tuple[int, int, str] | None = None
    for position, candidate in enumerate(labels):
        other = normalize_label(candidate)
        if not other:
            continue
        if other == key:
            return candidate
        distance = edit_distance(key, other, limit)
        if distance <= limit and (best is None or (distance, position) < best[:2]):
            best = (distance, position, candidate)
    return best[2] if best else None
