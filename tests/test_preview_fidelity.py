"""Issue 17: the preview as mail clients show it, through both the pane's composition
(tui.preview.compose) and the headless command (tui.cli.main)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.api.models import Variant
from tui.cli import main
from tui.preview import PreviewOptions, render_email, to_plain
from tui.preview.compose import compose_preview
from tui.preview.email_html import nesting_depth

GOLDEN = Path(__file__).parent / "golden" / "preview"
ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.parametrize(
    "body",
    ["{{First Name}},<p>quick question.</p>", "{spin}Hi|Hey{endspin} there,<p>a note.</p>", "[Draft] <p>Hello</p>"],
)
def test_an_html_file_starting_with_a_brace_is_previewed_as_html(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 17 item 3: JSON only when it parses as a variant or step.
    path = tmp_path / "email.html"
    path.write_text(body, encoding="utf-8")
    assert main(["preview", str(path), "--width", "60"]) == 0
    out = capsys.readouterr().out
    assert "quick question." in out or "a note." in out or "Hello" in out


def test_a_variant_in_a_file_not_named_json_is_still_read_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "variant.txt"
    path.write_text(json.dumps(css_hidden_variant().model_dump(mode="json")), encoding="utf-8")
    assert main(["preview", str(path), "--width", "100"]) == 0
    assert "Subject    Receipt" in capsys.readouterr().out


def test_a_json_file_that_is_not_json_is_still_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "variant.json"
    path.write_text("{{First Name}}", encoding="utf-8")
    assert main(["preview", str(path)]) == 2


def test_previewing_an_html_file_imports_no_validation_or_pydantic(tmp_path: Path) -> None:
    # issue 17 item 6: start-up imports only what the input needs.
    path = tmp_path / "email.html"
    path.write_text("<p>Hi {{First Name}},</p>", encoding="utf-8")
    code = (
        "import sys\nfrom tui.cli import main\n"
        f"code = main(['preview', {str(path)!r}])\n"
        "print([m for m in ('pydantic', 'tui.validation', 'tui.api.models', 'textual') if m in sys.modules], code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[] 0", done.stderr


@pytest.mark.parametrize("count", [1600, 2500])
def test_a_long_list_of_unclosed_items_stays_one_numbered_list(count: int) -> None:
    # issue 17 item 5: implied end tags are not nesting; the guard no longer cuts this apart.
    html = "<ol>" + "".join(f"<li><p>item {number}" for number in range(1, count + 1)) + "</ol>"
    lines = to_plain(render_email(html, PreviewOptions(width=60))).splitlines()
    items = [line.strip() for line in lines if "item" in line]
    assert items == [f"{number}. item {number}" for number in range(1, count + 1)]


def test_real_deep_nesting_is_still_guarded() -> None:
    assert nesting_depth("<div>" * 3000, 1500) > 1500
    assert nesting_depth("<table><tr><td>" * 600, 1500) > 1500
    assert nesting_depth("<li><p><td><tr>" * 3000) < 10


def test_a_huge_spintax_count_is_wrapped_within_the_width(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # issue 17 item 7: 10 options in 40 places: 10^40 combinations, a 41-digit number.
    path = tmp_path / "email.html"
    path.write_text("<p>" + "{spin}a|b|c|d|e|f|g|h|i|j{endspin} " * 40 + "</p>", encoding="utf-8")
    assert main(["preview", str(path), "--width", "30"]) == 0
    out = capsys.readouterr().out
    assert "Spintax" in out and all(len(line) <= 30 for line in out.splitlines())


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta charset="windows-1252">', "Café “quoted”"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "Café \x93quoted\x94"),
        ('<meta charset="utf-16">', "Caf\ufffd \ufffdquoted\ufffd"),  # read as UTF-8, as HTML does
    ],
)
def test_an_html_file_is_decoded_as_its_meta_charset_declares(
    head: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 17 item 7: a <meta charset> other than UTF-8 was ignored.
    path = tmp_path / "email.html"
    path.write_bytes(
        f"<html><head>{head}</head><body><p>".encode("ascii") + b"Caf\xe9 \x93quoted\x94</p></body></html>"
    )
    assert main(["preview", str(path)]) == 0
    out = capsys.readouterr().out
    assert expected.replace("\x93", "").replace("\x94", "") in out.replace("\x93", "").replace("\x94", "")
