"""Data tables in an email: which tables hold data, and how a data table's rows are laid out.

Emails nest layout tables several deep (wrapper, container, columns, buttons) and put the
tables that hold data (line items, totals, label/value rows) inside them. Layout tables are
flattened into blocks in reading order; a data table keeps each row on a line of its own, its
columns aligned and each cell wrapped within its column, as a mail client shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Segment
from .wrap import BREAK, Run, wrap_runs

if TYPE_CHECKING:
    from collections.abc import Iterable

# Content that makes a cell a layout region, not a value.
_STRUCTURE = frozenset(
    ["h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "menu", "blockquote", "pre", "hr", "form", "iframe"]
)
# Never shown, so neither text nor structure (a <style> in a cell is common in builders' output).
_UNSHOWN = frozenset(["script", "style", "template", "noscript", "title", "head"])
_BLOCK = frozenset(["p", "div", "section", "article", "header", "footer", "center", "address"])
_CELL = frozenset(["td", "th"])
_HEADERS = frozenset(["th", "thead", "caption"])
_SEPARATOR = " | "
_MUTED_SEPARATOR = Segment(_SEPARATOR, "muted")
WEAK_CELL_LIMIT = 80  # characters: longer text in a table without headers reads as prose
STRONG_CELL_LIMIT = 300  # with headers: a long description is still a line item
_MIN_COLUMN = 4  # narrower than this the columns would be unreadable: rows are wrapped instead


def _cell_facts(cell: Any) -> tuple[int, bool, bool] | None:
    """A cell's text length, whether it shows anything, and whether it holds an image; None
    when it holds structure (headings, lists, several paragraphs) or a table."""
    length = 0
    blocks = 0
    image = False
    node = cell.first_child
    stack: list[Any] = []
    while node is not None or stack:
        if node is None:
            node = stack.pop()
            continue
        tag = node.tag
        following = node.next
        if tag == "-text":
            length += len(" ".join((node.text_content or "").replace("\xa0", " ").split()))
        elif tag == "table" or tag in _STRUCTURE:
            return None
        elif tag in _UNSHOWN:
            pass
        elif tag == "img":
            image = image or bool((node.attributes.get("alt") or "").strip())
        elif tag and tag[0] not in "-!":
            if tag in _BLOCK:
                blocks += 1
                if blocks > 1:
                    return None
            if node.first_child is not None:
                if following is not None:
                    stack.append(following)
                node = node.first_child
                continue
        node = following
    return length, bool(length) or image, image


def is_data_table(table: Any) -> bool:
    """Whether a table holds data (rows of values) rather than laying out the email.

    A table holding another table is layout, as is one whose cells hold structure (headings,
    lists, more than one paragraph). Of the rest, a table with header cells (``th``, a
    ``thead`` or a ``caption``) and two columns with something in them is data; without
    headers it needs two rows of two such cells with short text (label/value rows, line
    items). ``role="presentation"`` is not trusted: builders put it on every table.
    """
    headers = False
    rows_with_two = 0
    longest = 0
    images = False
    filled = 0  # cells showing something, in the current row
    node = table.first_child
    stack: list[Any] = []
    while node is not None or stack:
        if node is None:
            node = stack.pop()
            continue
        tag = node.tag
        following = node.next
        if tag in _CELL:
            facts = _cell_facts(node)
            if facts is None:
                return False
            length, shows, image = facts
            headers = headers or tag == "th"
            longest = max(longest, length)
            images = images or image
            if shows:
                filled += 1
                if filled == 2:
                    rows_with_two += 1
        elif tag == "table":
            return False
        elif tag == "tr":
            filled = 0
            if node.first_child is not None:
                if following is not None:
                    stack.append(following)
                node = node.first_child
                continue
        elif tag and tag[0] not in "-!":
            headers = headers or tag in _HEADERS
            if node.first_child is not None:
                if following is not None:
                    stack.append(following)
                node = node.first_child
                continue
        node = following
    if not rows_with_two:
        return False
    if headers:
        return longest <= STRONG_CELL_LIMIT
    return rows_with_two >= 2 and longest <= WEAK_CELL_LIMIT and not images


class Cell:
    """One collected cell: its inline runs (``BREAK`` for a ``<br>``), columns spanned,
    alignment, and its lines of text (split at ``<br>``, ends stripped)."""

    __slots__ = ("align", "runs", "span", "texts")

    def __init__(self, runs: list[Run], span: int, align: str) -> None:
        self.runs = runs
        self.span = span
        self.align = align
        joined = "".join([text if (text, style) != BREAK else "\n" for text, style in runs])
        self.texts = [line.strip(" ").replace("\xa0", " ") for line in joined.split("\n")] if joined else []


def _words_longest(texts: Iterable[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=0)


def _fit(natural: list[int], floors: list[int], target: int) -> list[int]:
    """Column widths within ``target``: each column's natural width, the widest cut first, no
    column below its floor (its longest word) unless the floors alone overflow."""
    if sum(natural) <= target:
        return natural
    floors = [min(floor, width) for floor, width in zip(floors, natural)]
    if sum(floors) > target:
        floors = [1] * len(natural)  # words will be broken: the columns still fit

    def total(cap: int) -> int:
        return sum(max(floor, min(width, cap)) for floor, width in zip(floors, natural))

    low, high = 0, max(natural)
    while low < high:  # the largest cap that fits
        middle = (low + high + 1) // 2
        if total(middle) <= target:
            low = middle
        else:
            high = middle - 1
    widths = [max(floor, min(width, low)) for floor, width in zip(floors, natural)]
    spare = target - sum(widths)
    for index, width in enumerate(widths):  # what the cap left over, to the first columns cut
        if spare <= 0:
            break
        if width < natural[index]:
            widths[index] += 1
            spare -= 1
    return widths


def _columns(rows: list[list[Cell]]) -> tuple[list[list[tuple[int, int, Cell]]], int]:
    """Each row's cells placed as (first column, columns spanned, cell) after dropping the
    columns that show nothing in any row (spacer columns), and the number of columns left."""
    placed: list[list[tuple[int, Cell]]] = []
    count = 0
    for row in rows:
        column = 0
        cells = []
        for cell in row:
            cells.append((column, cell))
            column += cell.span
        placed.append(cells)
        count = max(count, column)
    used = [False] * count
    for cells in placed:
        for column, cell in cells:
            if cell.span == 1 and any(cell.texts):
                used[column] = True
    for cells in placed:  # a spanning cell with text over only unused columns keeps one
        for column, cell in cells:
            if cell.span > 1 and any(cell.texts) and not any(used[column : column + cell.span]):
                used[column] = True
    kept = [index for index, flag in enumerate(used) if flag]
    new_index = {old: new for new, old in enumerate(kept)}
    out: list[list[tuple[int, int, Cell]]] = []
    for cells in placed:
        row_out = []
        for column, cell in cells:
            covered = [new_index[index] for index in range(column, column + cell.span) if index in new_index]
            if covered:
                row_out.append((covered[0], len(covered), cell))
        out.append(row_out)
    return out, len(kept)


def layout_rows(
    rows: list[list[Cell]], width: int, first_prefix: list[Segment], rest_prefix: list[Segment]
) -> list[list[Segment]]:
    """A data table's rows as lines: one row per line, columns aligned and separated by
    ``|``, a cell too long for its column wrapped within it. When the columns cannot all get a
    few characters, each row is one paragraph, its cells separated by ``|``."""
    placed, count = _columns(rows)
    prefix_width = max(sum(len(s.text) for s in first_prefix), sum(len(s.text) for s in rest_prefix))
    available = max(1, width - prefix_width)
    target = available - len(_SEPARATOR) * (count - 1)
    lines: list[list[Segment]] = []

    def prefix() -> list[Segment]:
        return list(first_prefix if not lines else rest_prefix)

    if count == 0:
        return lines
    if target < _MIN_COLUMN * count:
        for cells in placed:
            runs: list[Run] = []
            for _column, _span, cell in cells:
                if runs:
                    runs.append((_SEPARATOR, "muted"))
                runs += [(" ", "") if run == BREAK else run for run in cell.runs]
            joined = "".join(text for text, _style in runs)
            if joined.strip(" " + _SEPARATOR):
                lines.extend(wrap_runs(runs, width, prefix(), list(rest_prefix)))
        return lines
    natural = [0] * count
    floors = [0] * count
    for cells in placed:
        for column, span, cell in cells:
            if span == 1:
                texts = cell.texts
                natural[column] = max(natural[column], max(map(len, texts), default=0))
                floors[column] = max(floors[column], _words_longest(texts))
    for cells in placed:  # a spanning cell wider than its columns widens the last of them
        for column, span, cell in cells:
            if span > 1:
                texts = cell.texts
                room = sum(natural[column : column + span]) + len(_SEPARATOR) * (span - 1)
                natural[column + span - 1] += max(0, max(map(len, texts), default=0) - room)
    widths = _fit([max(1, width) for width in natural], floors, target)
    for cells in placed:
        blocks = []
        for column, span, cell in cells:
            room = sum(widths[column : column + span]) + len(_SEPARATOR) * (span - 1)
            blocks.append((column, span, room, cell.align, wrap_runs(cell.runs, room, [], []) if cell.runs else []))
        height = max((len(block[4]) for block in blocks), default=0)
        for index in range(height):
            line: list[Segment] = []
            position = 0  # columns written so far
            pending: list[Segment] = []  # padding and separators, written only when something follows
            for column, span, room, align, cell_lines in blocks:
                while position < column:
                    pending += [Segment(" " * widths[position]), _MUTED_SEPARATOR]
                    position += 1
                segments = cell_lines[index] if index < len(cell_lines) else []
                gap = room - sum(len(segment.text) for segment in segments)
                if segments:
                    before = gap if align == "right" else gap // 2 if align == "center" else 0
                    line += pending + ([Segment(" " * before)] if before else []) + segments
                    pending = [Segment(" " * (gap - before))]
                else:
                    pending.append(Segment(" " * room))
                position = column + span
                if position < count:
                    pending.append(_MUTED_SEPARATOR)
            if line:  # a row of empty cells shows nothing
                lines.append(_merged(prefix() + line))
    return lines


def _merged(line: list[Segment]) -> list[Segment]:
    """Neighbouring segments of one style as one, empty ones dropped."""
    out: list[Segment] = []
    for segment in line:
        if not segment.text:
            continue
        if out and out[-1].style == segment.style:
            out[-1] = Segment(out[-1].text + segment.text, segment.style)
        else:
            out.append(segment)
    return out
