"""`seqedit lint` text output with a file whose payload key carries terminal escapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

HOSTILE_KEY = "x\x1b]0;pwned\x07\x1b[31m"


def test_a_hostile_payload_key_in_a_finding_reaches_stdout_cleaned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    variant = {
        "id": "v1",
        "type": "Email",
        "status": 1,
        "payload": {"subject": "Hi", "content": "<p>Hello</p>", HOSTILE_KEY: "Hi {spin}a|b"},
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(variant), encoding="utf-8")
    code = main(["lint", str(path)])
    out, _ = capsys.readouterr()
    assert code == 2
    assert "spin.unbalanced" in out  # the finding about the hostile key's text is there
    assert "\x1b" not in out and "\x07" not in out
