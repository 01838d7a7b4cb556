"""lint and preview read JSON files through one reader: the same file, the same answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

STEP = {
    "id": "s1",
    "name": "Intro",
    "type": 1,
    "variants": [{"id": "v1", "type": 1, "status": 1, "payload": {"subject": "Hello", "content": "<p>Body A</p>"}}],
}


def test_a_steps_object_is_read_by_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "steps.json"
    path.write_text(json.dumps({"steps": [STEP]}), encoding="utf-8")
    assert main(["lint", str(path)]) == 0
    assert "1 variant checked" in capsys.readouterr().out
    assert main(["preview", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Intro · variant A" in out and "Body A" in out


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "cannot read the file: no such file"),
        (b'{"id": "\xe9"}', "cannot read the file: not UTF-8 text"),
        (b"{oops", "not valid JSON (line 1"),
    ],
)
def test_unreadable_files_get_the_same_message_from_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content, reason
) -> None:
    path = tmp_path / "input.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["lint", str(path)]) == 4  # lint: could not read the input
    lint_err = capsys.readouterr().err
    assert main(["preview", str(path)]) == 2
    preview_err = capsys.readouterr().err
    assert f"{path}: {reason}" in lint_err and f"{path}: {reason}" in preview_err
