"""Issue 17: the preview as mail clients show it, through both the pane's composition
(tui.preview.compose) and the headless command (tui.cli.main)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.api.models import Variant
from tui.cli import main
from tui.preview.compose import compose_preview

GOLDEN = Path(__file__).parent / "golden" / "preview"


def css_hidden_variant() -> Variant:
    html = (GOLDEN / "css_hidden.html").read_text(encoding="utf-8")
    return Variant.model_validate(
        {"id": "v1", "type": "Email", "status": 1, "payload": {"subject": "Receipt", "content": html}}
    )


def test_a_preheader_hidden_by_a_style_rule_feeds_the_inbox_line_only() -> None:
    view = compose_preview(css_hidden_variant(), width=100, sender="Acme")
    inbox = next(line for line in view.plain.splitlines() if line.startswith("Inbox"))
    assert "Receipt" in inbox and "Your receipt for March" in inbox
    body = view.plain.split("─" * 72, 1)[1]
    assert "Your receipt for March" not in body
    assert "Hidden" not in body and "Shown: this rule applies only on small screens." in body


def test_the_headless_command_honours_style_rules_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(css_hidden_variant().model_dump(mode="json")), encoding="utf-8")
    assert main(["preview", str(path), "--width", "100"]) == 0
    out = capsys.readouterr().out
    inbox = next(line for line in out.splitlines() if line.startswith("Inbox"))
    assert "Your receipt for March" in inbox
    assert out.count("Your receipt for March") == 1
    assert "Hidden" not in out
