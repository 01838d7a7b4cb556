"""The word diff the conflict dialog shows for long fields (tui.drafts.diff.word_diff and its text)."""

from __future__ import annotations

from tui.drafts import word_diff
from tui.drafts.diff import WORD_DIFF_LIMIT
from tui.screens.diff_text import MAX_CHANGES, word_diff_text

BODY = (
    "<p>Hi {{First Name}},</p>\n<p>Saw that {{Company}} has eight open engineering roles. We place senior "
    "backend engineers in about three weeks, with a 90-day replacement guarantee.</p>"
    "<p>Open to a quick chat about the hardest role to fill?</p><p>Alex</p>"
)


def test_equal_texts_have_no_pieces_and_say_so() -> None:
    assert word_diff(BODY, BODY) == []
    assert word_diff_text(BODY, BODY).plain == "(no change)"


def test_a_change_keeps_six_words_around_it_and_gaps_the_rest_tag_names_count_as_words() -> None:
    after = BODY.replace("three weeks", "two weeks").replace("<p>Alex</p>", "<p>Alex Morgan</p>")
    pieces = word_diff(BODY, after)
    assert [piece.kind for piece in pieces] == [
        "gap",
        "same",
        "removed",
        "added",
        "same",
        "gap",
        "same",
        "added",
        "same",
    ]
    assert pieces[1].text == "place senior backend engineers in about "
    assert (pieces[2].text, pieces[3].text) == ("three", "two")
    assert pieces[4].text == " weeks, with a 90-day replacement "
    text = word_diff_text(BODY, after).plain
    assert text == (
        "… place senior backend engineers in about [-three-]{+two+} weeks, with a 90-day replacement"
        " … role to fill?</p><p>Alex{+ Morgan+}</p>"
    )


def test_pieces_rebuild_both_texts_when_nothing_is_left_out() -> None:
    before, after = "one two three", "one 2 three four"
    pieces = word_diff(before, after, context=10)
    assert "".join(p.text for p in pieces if p.kind in ("same", "removed")) == before
    assert "".join(p.text for p in pieces if p.kind in ("same", "added")) == after


def test_a_one_word_change_in_a_100kb_body_is_found_and_shown_short() -> None:
    big = " ".join(f"word{i}" for i in range(15_000))
    changed = big.replace("word7500 ", "CHANGED ")
    pieces = word_diff(big, changed)
    assert [(p.kind, p.text) for p in pieces if p.kind in ("removed", "added")] == [
        ("removed", "word7500"),
        ("added", "CHANGED"),
    ]
    assert len(word_diff_text(big, changed).plain) < 200


def test_a_middle_too_large_to_compare_is_one_change_cut_in_its_middle() -> None:
    size = int(WORD_DIFF_LIMIT**0.5) + 10
    before = "start " + " ".join("a" * 3 for _ in range(size)) + " end"
    after = "start " + " ".join("b" * 3 for _ in range(size)) + " end"
    kinds = [p.kind for p in word_diff(before, after)]
    assert kinds == ["same", "removed", "added", "same"]
    text = word_diff_text(before, after).plain
    assert text.startswith("start [-aaa") and " … " in text and len(text) < 250


def test_many_changes_are_counted_past_the_shown_ones() -> None:
    before = " ".join(f"w{i}" for i in range(200))
    after = " ".join(f"W{i}" if i % 20 == 0 else f"w{i}" for i in range(200))
    text = word_diff_text(before, after).plain
    assert text.count("{+") == MAX_CHANGES
    assert text.endswith(f"… and {10 - MAX_CHANGES} more changes")


def test_hostile_text_stays_literal_and_clean() -> None:
    before = "x " * 50 + "[bold]a[/bold]"
    after = "x " * 50 + "[bold]b[/bold]\x1b[31m"
    text = word_diff_text(before, after)
    assert "\x1b" not in text.plain and "[bold]" in text.plain
