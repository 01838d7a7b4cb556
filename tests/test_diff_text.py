"""The shared field diff text (save review and history): hostile payload keys stay literal."""

from __future__ import annotations

from tui.api.models import Variant
from tui.drafts.diff import diff_variants
from tui.screens.diff_text import change_lines
from tui.screens.review_screen import diff_lines


def _variant(payload: dict) -> Variant:
    return Variant.model_validate({"id": "v1", "status": 1, "type": "Email", "payload": payload})


def test_a_hostile_payload_key_is_shown_cleaned_and_literal() -> None:
    key = "[bold red]x[/]\x1b[31m\x1b]0;pwned\x07"
    lines = diff_lines(_variant({key: "a"}), _variant({key: "b"}))
    text = "\n".join(line.plain for line in lines)
    assert "\x1b" not in text and "\x07" not in text
    assert "payload.[bold red]x[/]" in text  # literal brackets, not markup
    assert "  - a" in text and "  + b" in text


def test_long_text_is_a_unified_diff_and_nothing_changed_says_so() -> None:
    before, after = "line one\nline two", "line one\nline 2"
    lines = [
        line.plain for line in change_lines(diff_variants(_variant({"content": before}), _variant({"content": after})))
    ]
    assert "  -line two" in lines and "  +line 2" in lines
    assert [line.plain for line in change_lines([])] == ["no field changed"]
