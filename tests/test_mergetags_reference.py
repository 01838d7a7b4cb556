"""The optimised merge-tag parsers against the plain versions they replaced, on random text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.text import mergetags
from tui.text.mergetags import SPIN_OPEN, Spin, SyntaxProblem

PIECES = [
    "{",
    "}",
    "{{",
    "}}",
    "{{{",
    "}}}",
    "|",
    "{spin}",
    "{SPIN}",
    "{endspin}",
    "{EndSpin}",
    "{{a|b}}",
    "a",
    " ",
    "\n",
    "İ",
    "—",
]
texts = st.one_of(st.text(alphabet="{}| ab"), st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.text())


def reference_split_options(text: str, start: int, end: int) -> tuple[list[str], list[tuple[int, int]]]:
    options, spans = [], []
    depth = 0
    cursor = start
    index = start
    while index < end:
        if text.startswith("{{", index):
            depth += 1
            index += 2
            continue
        if text.startswith("}}", index) and depth:
            depth -= 1
            index += 2
            continue
        if text[index] == "|" and depth == 0:
            options.append(text[cursor:index])
            spans.append((cursor, index))
            cursor = index + 1
        index += 1
    options.append(text[cursor:end])
    spans.append((cursor, end))
    return options, spans


_SPIN_TOKEN_RE = re.compile(r"\{spin\}|\{endspin\}", re.I)


def reference_find_spins(text: str) -> list[Spin]:
    spins = []
    open_at = None
    for token in _SPIN_TOKEN_RE.finditer(text):
        if token.group().lower() == SPIN_OPEN:
            open_at = token.start()
        elif open_at is not None:
            inner_start = open_at + len(SPIN_OPEN)
            options, spans = reference_split_options(text, inner_start, token.start())
            spins.append(Spin(open_at, token.end(), tuple(options), tuple(spans)))
            open_at = None
    return spins


def reference_syntax_problems(text: str) -> list[SyntaxProblem]:
    problems: list[SyntaxProblem] = []
    index = 0
    open_at = None
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
    pending = None
    for token in _SPIN_TOKEN_RE.finditer(text):
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
    for spin in reference_find_spins(text):
        for option in spin.options:
            if not option.strip():
                problems.append(SyntaxProblem(spin.start, spin.end, "a spintax option is empty"))
                break
    return problems


@settings(max_examples=600)
@given(texts)
def test_syntax_problems_as_before(text: str) -> None:
    assert mergetags.syntax_problems(text) == reference_syntax_problems(text)


@settings(max_examples=600)
@given(texts)
def test_find_spins_as_before(text: str) -> None:
    assert mergetags.find_spins(text) == reference_find_spins(text)


def test_balanced_tags_in_a_long_text_have_no_problems_and_one_stray_brace_is_found() -> None:
    text = "Hi {{First Name|'there'}}, {spin}a|{{x|y}}|b{endspin} at {{Company}}. " * 200
    assert mergetags.syntax_problems(text) == []
    broken = text + "{{Company}" + text
    assert mergetags.syntax_problems(broken) == reference_syntax_problems(broken) != []


@settings(max_examples=300)
@given(texts)
def test_syntax_problems_with_the_tag_count_given_as_before(text: str) -> None:
    assert mergetags.syntax_problems(text, len(mergetags.find_tags(text))) == reference_syntax_problems(text)


WORDY = PIECES + [
    " ",
    "  ",
    "\t",
    "\x1c",
    "\u3000",
    "word",
    "{{First Name|'there'}}",
    "{{ a b }}",
    "{spin}a b| c{endspin}",
    "{spin} |x{endspin}",
    "{spin}{{x y}}|z{endspin}",
    "{{a {spin}b|c{endspin}}}",
]
wordy = st.one_of(st.lists(st.sampled_from(WORDY), max_size=40).map("".join), st.text(alphabet="{}| ab\n"), st.text())


@settings(max_examples=800)
@given(wordy)
def test_readable_word_count_as_counting_the_readable_text(text: str) -> None:
    from tui.validation.words import count_words, readable, readable_word_count

    assert readable_word_count(text) == count_words(readable(text))
    assert readable_word_count(text, count_words(text)) == count_words(readable(text))
