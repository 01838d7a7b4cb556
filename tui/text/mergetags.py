"""Saleshandy merge tags and spintax, found with their spans in a text (subject, HTML, note).

- Merge tag: ``{{First Name}}``, ``{{firstName}}``, with an inline fallback
  ``{{First Name|'there'}}``. Labels match fields case-, space- and camelCase-insensitively.
- Spintax: ``{spin}Hi|Hey|Hello{endspin}``; one option is sent per email. ``|`` inside a merge
  tag does not split options. A plain ``{a|b}`` is not spintax here.

Pure: used by the validation engine, the preview and the headless commands alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import NamedTuple

TAG_RE = re.compile(r"\{\{(?P<body>[^{}]*)\}\}")
_FALLBACK_RE = re.compile(r"""^(?P<label>[^|]*?)\s*\|\s*(?P<quote>['"‘’“”]?)(?P<fallback>.*?)(?P=quote)?\s*$""", re.S)
SPIN_OPEN = "{spin}"
SPIN_CLOSE = "{endspin}"
_SPIN_TOKEN_RE = re.compile(r"\{spin\}|\{endspin\}", re.I)


# Records are NamedTuples, not dataclasses: `seqedit preview FILE.html` loads this module and
# would import dataclasses (with inspect: ~6 ms) for them alone (start-up, benchmarks: preview).
class MergeTag(NamedTuple):
    start: int
    end: int
    label: str
    fallback: str | None  # the inline fallback, None when there is none

    @property
    def key(self) -> str:
        return normalize_label(self.label)


class Spin(NamedTuple):
    start: int
    end: int
    options: tuple[str, ...]
    option_spans: tuple[tuple[int, int], ...]


class SyntaxProblem(NamedTuple):
    start: int
    end: int
    message: str


def normalize_label(label: str) -> str:
    """``First Name``, ``first_name``, ``firstName`` and ``FIRSTNAME`` all give ``firstname``."""
    return re.sub(r"[\s_\-.]+", "", label).casefold()


def find_tags(text: str) -> list[MergeTag]:
    tags = []
    for match in TAG_RE.finditer(text):
        body = match.group("body")
        fallback = None
        label = body
        if "|" in body:
            parsed = _FALLBACK_RE.match(body)
            if parsed:
                label, fallback = parsed.group("label"), parsed.group("fallback")
        tags.append(MergeTag(match.start(), match.end(), label.strip(), fallback))
    return tags


# What splits spintax options: "|", and the braces of merge tags (whose "|" does not split).
_OPTION_TOKEN_RE = re.compile(r"\{\{|\}\}|\|")


def _split_options(text: str, start: int, end: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Split text[start:end] on ``|`` that is not inside ``{{ }}``.

    A "}}" with no tag open changes nothing, so taking it whole (the regex does) or one "}"
    at a time gives the same split."""
    options, spans = [], []
    depth = 0
    cursor = start
    for token in _OPTION_TOKEN_RE.finditer(text, start, end):
        mark = token.group()
        if mark == "{{":
            depth += 1
        elif mark == "}}":
            if depth:
                depth -= 1
        elif depth == 0:
            at = token.start()
            options.append(text[cursor:at])
            spans.append((cursor, at))
            cursor = at + 1
    options.append(text[cursor:end])
    spans.append((cursor, end))
    return options, spans


def find_spins(text: str) -> list[Spin]:
    """Well-formed ``{spin}…{endspin}`` blocks, in order (nesting is not supported by the API)."""
    return _pair_spins(text, _SPIN_TOKEN_RE.finditer(text)) if "{" in text else []


def _pair_spins(text: str, tokens: Iterable[re.Match[str]]) -> list[Spin]:
    spins = []
    open_at: int | None = None
    for token in tokens:
        if token.group().lower() == SPIN_OPEN:
            open_at = token.start()
        elif open_at is not None:
            inner_start = open_at + len(SPIN_OPEN)
            options, spans = _split_options(text, inner_start, token.start())
            spins.append(Spin(open_at, token.end(), tuple(options), tuple(spans)))
            open_at = None
    return spins


def syntax_problems(text: str, tag_count: int | None = None) -> list[SyntaxProblem]:
    """Unbalanced ``{{``/``}}``, unpaired ``{spin}``/``{endspin}``, empty spintax options.

    ``tag_count``: how many merge tags (:data:`TAG_RE` matches) ``text`` holds, when known."""
    if "{" not in text and "}" not in text:
        return []
    tokens = list(_SPIN_TOKEN_RE.finditer(text))
    if tag_count is None:
        tag_count = len(TAG_RE.findall(text))
    # When every brace is in a merge tag or a spin token, the "{{" and "}}" are the tags' own,
    # in pairs: nothing to walk (a tag's braces are followed and preceded by its text, a
    # token's by its letters, so no run of braces mixes the two). Counting one character is
    # a few times faster than finding pairs.
    braces = 2 * tag_count + len(tokens)
    paired = text.count("{") == braces and text.count("}") == braces
    problems = _brace_problems(text) if not paired and _braces_unbalanced(text) else []
    # Spintax tokens.
    pending: int | None = None
    for token in tokens:
        if token.group().lower() == SPIN_OPEN:
            if pending is not None:
                problems.append(SyntaxProblem(pending, pending + len(SPIN_OPEN), "{spin} without {endspin}"))
            pending = token.start()
        else:
            if pending is None:
                problems.append(SyntaxProblem(token.start(), token.end(), "{endspin} without {spin}"))
            pending = None
    if pending is not None:
        problems.append(SyntaxProblem(pending, pending + len(SPIN_OPEN), "{spin} without {endspin}"))
    for spin in _pair_spins(text, tokens):
        for option in spin.options:
            if not option.strip():
                problems.append(SyntaxProblem(spin.start, spin.end, "a spintax option is empty"))
                break
    return problems


def _braces_unbalanced(text: str) -> bool:
    """Whether :func:`_brace_problems` finds anything, without walking tag by tag (a long
    body has hundreds of tags; a lone brace, as in a style sheet, is no problem): the "{{" and "}}" it walks are those ``str.split`` and
    ``str.count`` find (runs of "{" and of "}" never overlap), and it finds nothing exactly
    when they alternate, "{{" first: no "}}" before the first "{{", one after each."""
    pieces = text.split("{{")
    counts = list(map(str.count, pieces, repeat("}}", len(pieces))))
    return counts[0] != 0 or counts.count(1) != len(counts) - 1


def _brace_problems(text: str) -> list[SyntaxProblem]:
    # Walk the pairs; every "{{" needs a "}}" before the next "{{".
    problems: list[SyntaxProblem] = []
    index = 0
    open_at: int | None = None
    while True:
        next_open = text.find("{{", index)
        next_close = text.find("}}", index)
        if next_open == -1 and next_close == -1:
            break
        if next_open != -1 and (next_close == -1 or next_open < next_close):
            if open_at is not None:
                problems.append(SyntaxProblem(open_at, open_at + 2, "'{{' is never closed with '}}'"))
            open_at = next_open
            index = next_open + 2
        else:
            if open_at is None:
                problems.append(SyntaxProblem(next_close, next_close + 2, "'}}' has no opening '{{'"))
            open_at = None
            index = next_close + 2
    if open_at is not None:
        problems.append(SyntaxProblem(open_at, open_at + 2, "'{{' is never closed with '}}'"))
    return problems


def combinations(texts: Iterable[str]) -> int:
    """How many different versions the spintax in ``texts`` can produce."""
    return math.prod(len(spin.options) for text in texts for spin in find_spins(text))


def choose(text: str, choice: int) -> str:
    """The text with each spintax block replaced by one option: ``choice`` is a mixed-radix
    index, so 0, 1, 2, … walk every combination in turn."""
    spins = find_spins(text)
    return pick_options(text, spins, choice) if spins else text


def pick_options(text: str, spins: list[Spin], choice: int, before: str = "", after: str = "") -> str:
    """``text`` with each of its ``spins`` (from :func:`find_spins`) replaced by the option
    ``choice`` names (mixed radix, as in :func:`choose`), wrapped in ``before`` and ``after``."""
    parts = []
    cursor = 0
    for spin in spins:
        count = len(spin.options)
        pick = choice % count
        choice //= count
        parts.append(text[cursor : spin.start])
        parts.append(before + spin.options[pick] + after)
        cursor = spin.end
    parts.append(text[cursor:])
    return "".join(parts)


def substitute(text: str, replace: Callable[[MergeTag], str]) -> str:
    """Replace every merge tag with ``replace(tag)``."""
    parts = []
    cursor = 0
    for tag in find_tags(text):
        parts.append(text[cursor : tag.start])
        parts.append(replace(tag))
        cursor = tag.end
    parts.append(text[cursor:])
    return "".join(parts)


def outside_tags(text: str) -> str:
    """The text with merge tags blanked out (same length), so words inside tags do not count
    for spam-word checks and spans still line up."""
    return TAG_RE.sub(lambda match: " " * (match.end() - match.start()), text)
