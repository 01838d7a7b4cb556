"""Merge tags filled from a sample prospect (or highlighted) and spintax resolved to one choice.

Spintax is resolved on the raw text before parsing, so an option may hold markup; the chosen
option is wrapped in two private-use sentinels that the renderer turns into the ``spin`` style.
Merge tags are filled afterwards, on decoded text, so a value holding ``<`` or ``&`` stays text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.text import mergetags

if TYPE_CHECKING:
    from .model import PreviewOptions

SPIN_START = "\ue000"
SPIN_END = "\ue001"
_SENTINELS = str.maketrans("", "", SPIN_START + SPIN_END)


def strip_sentinels(text: str) -> str:
    """``text`` without spin sentinels (for attributes, and for input that carried them)."""
    if SPIN_START in text or SPIN_END in text:
        return text.translate(_SENTINELS)
    return text


def mark_spins(text: str, choice: int) -> tuple[str, int]:
    """Resolve each ``{spin}…{endspin}`` to one option wrapped in sentinels.

    ``choice`` is a mixed-radix index as in :func:`tui.text.mergetags.choose`, taken modulo the
    number of combinations so that cycling wraps around. Returns the text and that number.
    """
    text = strip_sentinels(text)
    if "{" not in text:
        return text, 1
    spins = mergetags.find_spins(text)
    if not spins:
        return text, 1
    total = 1
    for spin in spins:
        total *= len(spin.options)
    return mergetags.pick_options(text, spins, choice % total, SPIN_START, SPIN_END), total


def split_choice(choice: int, texts: list[str]) -> tuple[list[int], int]:
    """One spintax combination index spread over several texts (subject, preheader, body):
    the choice for each text and the number of combinations of them all together."""
    counts = [mergetags.combinations([text]) for text in texts]
    total = 1
    for count in counts:
        total *= count
    choice %= total
    picks = []
    for count in counts:
        picks.append(choice % count)
        choice //= count
    return picks, total


class TagFiller:
    """Fills merge tags for one render and remembers which ones fell back or had no value."""

    def __init__(self, options: PreviewOptions) -> None:
        self.highlight_only = options.prospect is None
        self.values = {
            mergetags.normalize_label(str(label)): "" if value is None else str(value)
            for label, value in (options.prospect or {}).items()
        }
        self.stored_fallbacks = {
            mergetags.normalize_label(field.label): field.fallbackText
            for field in options.fields or ()
            if field.fallbackText
        }
        self.missing: list[str] = []
        self.notes: list[str] = []  # every label noted, repeats included (tui.preview.blocks)
        self._keys: dict[str, str] = {}  # label as written -> normalised, for this render only
        self._missing_seen: set[str] = set()

    def note_missing(self, label: str) -> None:
        self.notes.append(label)
        if label not in self._missing_seen:
            self._missing_seen.add(label)
            self.missing.append(label)

    def resolve(self, tag: mergetags.MergeTag, written: str) -> tuple[str, str]:
        """The text a tag becomes and its style: ``tag``, ``filled``, ``fallback`` or ``missing``."""
        if self.highlight_only:
            return written, "tag"
        key = self._keys.get(tag.label)
        if key is None:
            key = self._keys[tag.label] = mergetags.normalize_label(tag.label)
        value = self.values.get(key, "")
        if value.strip():
            return value, "filled"
        self.note_missing(tag.label)
        if tag.fallback is not None:
            return tag.fallback, "fallback"
        stored = self.stored_fallbacks.get(key)
        if stored:
            return stored, "fallback"
        return written, "missing"

    def pieces(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into (text, extra style) pieces: plain text has the style ``""``."""
        if "{{" not in text:
            return [(text, "")]
        out: list[tuple[str, str]] = []
        cursor = 0
        for tag in mergetags.find_tags(text):
            if tag.start > cursor:
                out.append((text[cursor : tag.start], ""))
            out.append(self.resolve(tag, text[tag.start : tag.end]))
            cursor = tag.end
        if cursor < len(text):
            out.append((text[cursor:], ""))
        return out

    def fill(self, text: str) -> str:
        """``text`` with every tag replaced by what it becomes (for link targets)."""
        if "{{" not in text:
            return text
        return "".join(piece for piece, _style in self.pieces(text))
