from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text.safe_text import clean, one_line, plain


def test_plain_text_is_unchanged() -> None:
    assert clean("Hello, {{First Name}} [bold]x[/bold]") == "Hello, {{First Name}} [bold]x[/bold]"


def test_csi_osc_and_dcs_sequences_are_removed_whole() -> None:
    text = "a\x1b[31mred\x1b[0m \x1b]0;pwned title\x07b \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1bP+q\x1b\\c"
    assert clean(text) == "ared b link c"


def test_c1_controls_and_bidi_overrides_are_dropped() -> None:
    assert clean("x\x9b31my\u202ez") == "xyz"


def test_other_controls_become_visible() -> None:
    assert clean("bell\x07 nul\x00") == "bell^G nul^@"


def test_newlines_kept_or_folded() -> None:
    assert clean("a\r\nb\tc") == "a\nb\tc"
    assert one_line("a\nb   c", width=4) == "a b…"


def test_plain_never_parses_markup() -> None:
    text = plain("[bold red]boom[/] [link=http://x]y[/link]")
    assert text.plain == "[bold red]boom[/] [link=http://x]y[/link]"
    assert not text.spans


@given(st.text())
def test_no_escape_or_control_survives(text: str) -> None:
    result = clean(text)
    assert "\x1b" not in result
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in result)


def test_a_mis_decoded_quote_keeps_the_rest_of_its_paragraph() -> None:
    # UTF-8 curly quotes read as Latin-1: U+009C and U+009D are C1 controls (OSC, ST in 8-bit form).
    text = "â\x80\x9cHello,â\x80\x9d she said â\x80\x9cbyeâ\x80\x9d and left."
    assert clean(text) == "âHello,â she said âbyeâ and left."


def test_a_cut_off_escape_sequence_keeps_the_text_after_it() -> None:
    assert clean("a\x1b]0;no end here, more text\nnext line") == "a0;no end here, more text\nnext line"
    assert clean("a\x1bP+q never ended") == "a+q never ended"
    assert clean("one \x1b]0;title\x07 two") == "one  two"  # complete: removed whole, text around kept


_PRINTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
_CONTROL = st.sampled_from(
    [chr(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(code) not in "\n\t\x1b"]
)


@given(_PRINTABLE, _CONTROL, _PRINTABLE)
def test_one_control_character_never_swallows_the_text_after_it(before: str, control: str, after: str) -> None:
    # A space first: an 8-bit CSI followed by digits and a letter is a complete sequence.
    result = clean(before + control + " " + after)
    assert result.startswith(clean(before))
    assert result.endswith(" " + after)
