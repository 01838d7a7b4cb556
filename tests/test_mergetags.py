from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text import mergetags as mt


def test_tags_with_and_without_fallback() -> None:
    text = "Hi {{First Name|'there'}}, how is {{Company}}?"
    tags = mt.find_tags(text)
    assert [(tag.label, tag.fallback) for tag in tags] == [("First Name", "there"), ("Company", None)]
    assert text[tags[1].start : tags[1].end] == "{{Company}}"


def test_labels_match_across_case_spaces_and_camel_case() -> None:
    assert mt.normalize_label("First Name") == mt.normalize_label("firstName") == mt.normalize_label("first_name")


def test_spintax_options_ignore_pipes_inside_tags() -> None:
    text = "{spin}Hi|Hey {{First Name|'there'}}|Hello{endspin}!"
    (spin,) = mt.find_spins(text)
    assert spin.options == ("Hi", "Hey {{First Name|'there'}}", "Hello")
    assert mt.combinations([text, "{spin}a|b{endspin}"]) == 6


def test_choose_walks_every_combination() -> None:
    text = "{spin}a|b{endspin}-{spin}x|y|z{endspin}"
    seen = {mt.choose(text, index) for index in range(6)}
    assert seen == {f"{first}-{second}" for first in "ab" for second in "xyz"}


def test_syntax_problems() -> None:
    assert [p.message for p in mt.syntax_problems("Hi {{First Name")] == ["'{{' is never closed with '}}'"]
    assert [p.message for p in mt.syntax_problems("Hi First}}")] == ["'}}' has no opening '{{'"]
    assert [p.message for p in mt.syntax_problems("{spin}a|b")] == ["{spin} without {endspin}"]
    assert [p.message for p in mt.syntax_problems("a{endspin}")] == ["{endspin} without {spin}"]
    assert [p.message for p in mt.syntax_problems("{spin}a||b{endspin}")] == ["a spintax option is empty"]
    assert mt.syntax_problems("{spin}Hi|Hey{endspin} {{Company}}") == []


def test_substitute_and_outside_tags() -> None:
    text = "Free {{Free Trial}} now"
    assert mt.substitute(text, lambda tag: tag.label.upper()) == "Free FREE TRIAL now"
    blanked = mt.outside_tags(text)
    assert len(blanked) == len(text) and "Trial" not in blanked


@given(st.text())
def test_parsers_never_raise(text: str) -> None:
    mt.find_tags(text)
    mt.syntax_problems(text)
    mt.choose(text, 3)
    assert mt.combinations([text]) >= 1
