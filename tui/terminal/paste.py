"""Bracketed paste, taken whole from the terminal's input before any key parsing.

A terminal in bracketed-paste mode sends ``ESC [200~``, the pasted text, ``ESC [201~``. Textual's
parser (8.2) reads an escape sequence inside the paste as one of its own: it stops collecting the
paste there and sends the sequence's characters as key presses, an ESC as ``^``. Pasted
``ESC[31mred ESC[0m`` then arrived as the keys ``^[31mred^[0m`` typed before the paste event
itself: reordered, with a literal ``^[`` and no warning (issue 13). :class:`PasteSplitter` cuts the
input into plain input and whole pastes, so the paste reaches the field as one event, where its
control characters are removed with a warning like any other paste's.
"""

from __future__ import annotations

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def _held_prefix(text: str, marker: str) -> int:
    """How many characters at the end of ``text`` could begin ``marker`` (cut between reads)."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class PasteSplitter:
    """Split terminal input, read after read, into ``("input", text)`` and ``("paste", text)``.

    A marker cut between two reads is held back until the next read; outside a paste, at most
    until :meth:`flush` (the driver's idle tick), so a lone ESC key still arrives.
    """

    def __init__(self) -> None:
        self._pasting = False
        self._paste: list[str] = []
        self._held = ""

    @property
    def pasting(self) -> bool:
        return self._pasting

    def feed(self, data: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        text = self._held + data
        self._held = ""
        while text:
            if self._pasting:
                end = text.find(PASTE_END)
                if end < 0:
                    keep = _held_prefix(text, PASTE_END)
                    self._paste.append(text[: len(text) - keep])
                    self._held = text[len(text) - keep :]
                    return out
                self._paste.append(text[:end])
                out.append(("paste", "".join(self._paste)))
                self._paste = []
                self._pasting = False
                text = text[end + len(PASTE_END) :]
            else:
                start = text.find(PASTE_START)
                if start < 0:
                    keep = _held_prefix(text, PASTE_START) if len(text) > 1 else 0
                    if text[: len(text) - keep]:
                        out.append(("input", text[: len(text) - keep]))
                    self._held = text[len(text) - keep :]
                    return out
                if start:
                    out.append(("input", text[:start]))
                self._pasting = True
                text = text[start + len(PASTE_START) :]
        return out

    def flush(self) -> list[tuple[str, str]]:
        """Outside a paste, give back input held for a marker that did not come."""
        if self._pasting or not self._held:
            return []
        held, self._held = self._held, ""
        return [("input", held)]
