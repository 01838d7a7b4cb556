"""Issue 13 item 6: `seqedit lint FILE.json` checks merge tags against the account's fields with
--demo (or an account), and without one says they were not checked, in text and in JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

VARIANT = {
    "id": "vTags0001",
    "type": "Email",
    "payload": {"subject": "Hi {{First Name}}", "content": "<p>Hello {{Favourite Colour}}, a word from us.</p>"},
    "status": 1,
}


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    path = tmp_path / "tagged.json"
    path.write_text(json.dumps(VARIANT), encoding="utf-8")
    return path


def test_with_the_demo_account_an_unknown_tag_in_a_file_is_found(capsys, tagged: Path) -> None:
    _code, out, _ = lint(capsys, "--demo", "--format", "json", str(tagged))
    rows = json.loads(out)
    unknown = [row for row in rows if row["rule_id"] == "tags.unknown"]
    assert unknown and "Favourite Colour" in unknown[0]["message"], rows
    assert not [row for row in rows if row["rule_id"] == "tags.unchecked"]


def test_without_an_account_the_text_output_says_tags_were_not_checked(capsys, tagged: Path) -> None:
    code, out, _ = lint(capsys, str(tagged))
    assert "merge tags not checked (no account)" in out
    assert "tags.unknown" not in out
    assert code == 0


def test_without_an_account_the_json_output_has_a_tags_unchecked_entry(capsys, tagged: Path) -> None:
    _code, out, _ = lint(capsys, "--format", "json", str(tagged))
    rows = json.loads(out)
    entry = next(row for row in rows if row["rule_id"] == "tags.unchecked")
    assert entry["severity"] == "I" and "merge tags not checked (no account)" in entry["message"]
