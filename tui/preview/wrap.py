"""Greedy word-wrap of styled runs into lines of Segments, with a per-block line prefix.

Words may span style boundaries (``<b>foo</b>bar`` is one word); a word longer than the line
(a long URL) is broken hard. Work is per word and per run, never per character.
"""

from __future__ import annotations

from bisect import bisect_right

from .model import Segment

Run = tuple[str, str]  # (text, style)
BREAK = ("\n", "")  # a forced line break (<br>) inside a block

_NBSP = str.maketrans({"\xa0": " "})


def _width_of(prefix: list[Segment]) -> int:
    return sum(len(segment.text) for segment in prefix)


def _slice(runs: list[Run], starts: list[int], begin: int, end: int) -> list[Segment]:
    """The styled Segments covering characters ``begin:end`` of the runs' joined text."""
    out: list[Segment] = []
    index = bisect_right(starts, begin) - 1
    pending_text = ""
    pending_style = None
    while index < len(runs) and starts[index] < end:
        text, style = runs[index]
        run_start = starts[index]
        piece = text[max(0, begin - run_start) : end - run_start]
        if piece:
            if style == pending_style:
                pending_text += piece
            else:
                if pending_text:
                    out.append(Segment(pending_text.translate(_NBSP), pending_style or ""))
                pending_text, pending_style = piece, style
        index += 1
    if pending_text:
        out.append(Segment(pending_text.translate(_NBSP), pending_style or ""))
    return out


def _starts(runs: list[Run]) -> list[int]:
    starts = []
    total = 0
    for text, _style in runs:
        starts.append(total)
        total += len(text)
    return starts


def _break_points(text: str, available: int) -> list[tuple[int, int]]:
    """Line ranges over ``text``: greedy, breaking at spaces; a word longer than the line is
    cut. Each step is a C-level search, so long paragraphs cost per line, not per character."""
    ranges: list[tuple[int, int]] = []
    size = len(text)
    position = 0
    while position < size and text[position] == " ":
        position += 1
    while position < size:
        if size - position <= available:
            end = size
            while end > position and text[end - 1] == " ":
                end -= 1
            if end > position:
                ranges.append((position, end))
            break
        space = text.rfind(" ", position, position + available + 1)
        if space > position:
            end = space
            while end > position and text[end - 1] == " ":
                end -= 1
            following = space + 1
        else:
            end = following = position + available
        ranges.append((position, end))
        position = following
        while position < size and text[position] == " ":
            position += 1
    return ranges


def _one_line(runs: list[Run], nbsp: bool) -> list[Segment]:
    """Runs that fit on one line, same-style neighbours merged."""
    out: list[Segment] = []
    last_style = None
    for text, style in runs:
        if not text:
            continue
        if nbsp:
            text = text.translate(_NBSP)
        if style == last_style:
            out[-1] = Segment(out[-1].text + text, style)
        else:
            out.append(Segment(text, style))
            last_style = style
    return out


def wrap_runs(
    runs: list[Run],
    width: int,
    first_prefix: list[Segment],
    rest_prefix: list[Segment],
    joined: str | None = None,
) -> list[list[Segment]]:
    """Wrap a block's inline runs to ``width`` columns, prefixing each line; ``BREAK`` runs
    force a new line. ``joined`` is the runs' text joined, when the caller has it already."""
    if joined is None:
        joined = "".join([text for text, _style in runs])
    if first_prefix or rest_prefix:
        available = max(1, width - max(_width_of(first_prefix), _width_of(rest_prefix)))
    else:
        available = max(1, width)
    if len(joined) <= available + 2 and "\n" not in joined:
        # The common short block (a list item, a heading): one line, no search needed.
        if len(joined) <= available and joined[:1] != " " and joined[-1:] != " ":
            return [list(first_prefix) + _one_line(runs, "\xa0" in joined)]
        begin = len(joined) - len(joined.lstrip(" "))
        end = len(joined.rstrip(" "))
        if end - begin <= available:
            return [list(first_prefix) + _slice(runs, _starts(runs), begin, end)]
    lines: list[list[Segment]] = []
    pieces: list[list[Run]] = [[]]
    for run in runs:
        if run[0] == "\n":
            pieces.append([])
        elif run[0]:
            pieces[-1].append(run)
    if len(pieces) > 1 and not pieces[-1]:
        pieces.pop()  # a trailing <br> ends the block without an empty line, as in browsers
    for part in pieces:
        starts = _starts(part)
        joined = "".join(text for text, _style in part)
        ranges = _break_points(joined, available) or [(0, 0)]
        for begin, end in ranges:
            prefix = first_prefix if not lines else rest_prefix
            lines.append(list(prefix) + (_slice(part, starts, begin, end) if end > begin else []))
    return lines


def wrap_preformatted(
    text: str, style: str, width: int, first_prefix: list[Segment], rest_prefix: list[Segment]
) -> list[list[Segment]]:
    """Preformatted text: whitespace kept, each source line broken hard at ``width``."""
    available = max(1, width - max(_width_of(first_prefix), _width_of(rest_prefix)))
    lines: list[list[Segment]] = []
    for source_line in text.expandtabs(4).split("\n"):
        chunks = [source_line[start : start + available] for start in range(0, len(source_line), available)] or [""]
        for chunk in chunks:
            prefix = first_prefix if not lines else rest_prefix
            segments = [Segment(chunk.translate(_NBSP), style)] if chunk else []
            lines.append(list(prefix) + segments)
    return lines
