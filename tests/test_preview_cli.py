"""`seqedit preview` end to end through tui.cli.main: files, the demo account, exit codes."""

from __future__ import annotations

import asyncio
import json
from argparse import Namespace
from pathlib import Path

import pytest

from tui.cli import main

GOLDEN = Path(__file__).parent / "golden" / "preview"

EMAIL_VARIANT = {
    "id": "v1",
    "type": "Email",
    "status": 1,
    "payload": {
        "subject": "{spin}Quick|Short{endspin} question, {{First Name}}",
        "preheader": "About {{Company|'your team'}}",
        "content": "<p>Hi {{First Name|'there'}},</p><p>See <a href='https://example.com/x'>this</a>.</p>",
    },
}


def write(tmp_path: Path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_html_file_prints_plain_text_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["preview", str(GOLDEN / "cold_email.html"), "--width", "72"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Spintax    combination 1 of 3 (--spin N)" in out
    assert "Hi {{First Name|'there'}}," in out
    assert "\x1b" not in out  # not a terminal: no styling


def test_variant_json_with_prospect_file_and_spin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    variant = write(tmp_path, "variant.json", EMAIL_VARIANT)
    prospect = write(tmp_path, "ana.json", {"First Name": "Ana"})
    code = main(["preview", variant, "--prospect-file", prospect, "--spin", "2", "--width", "60"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert "Subject    Short question, Ana" in lines
    assert "Preheader  About your team" in lines
    assert "No value   Company (fallback or tag shown)" in lines  # the pane's line (issue 14 item 3)
    assert "Spintax    combination 2 of 2 (--spin N)" in lines
    assert lines[0] == "Inbox      Me · Short question, Ana — About your team Hi An…"  # cut at 60
    assert "Hi Ana," in lines and "See this[1]." in lines
    assert lines[-1] == "[1] https://example.com/x"


def test_envelope_and_step_with_variant_letter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    second = {**EMAIL_VARIANT, "id": "v2", "payload": {"subject": "B subject", "content": "<p>Body B</p>"}}
    step = {"id": "s1", "name": "Intro", "type": 1, "variants": [EMAIL_VARIANT, second]}
    path = write(tmp_path, "step.json", {"message": "ok", "payload": [step]})
    assert main(["preview", path, "--variant", "B"]) == 0
    out = capsys.readouterr().out
    assert "── Intro · variant B " in out and "Body B" in out
    assert "Hi {{First Name|'there'}}" not in out
    assert main(["preview", path]) == 0
    both = capsys.readouterr().out
    assert "variant A" in both and "variant B" in both


def test_linkedin_variant_shows_text_and_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    variant = {
        "id": "l1",
        "type": 2,
        "payload": {"connectionNote": "Hi {{First Name|'there'}}, let's connect."},
        "taskNote": "Check their posts",
    }
    assert main(["preview", write(tmp_path, "li.json", variant)]) == 0
    out = capsys.readouterr().out
    assert "Channel    LinkedIn connection request" in out
    assert "Hi {{First Name|'there'}}, let's connect." in out
    assert f"{len(variant['payload']['connectionNote'])} / 300 characters" in out
    assert "Check their posts" in out


def test_modes_plain_and_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = write(tmp_path, "a.html", "<p>Hello <b>there</b></p>")
    assert main(["preview", html, "--mode", "source"]) == 0
    assert capsys.readouterr().out == "<p>Hello <b>there</b></p>\n"
    assert main(["preview", html, "--mode", "plain"]) == 0
    assert capsys.readouterr().out == "Hello there\n"


def test_hostile_file_output_is_literal_and_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = write(tmp_path, "evil.html", "<p>[bold red]x[/] \x1b]52;c;ZXZpbA==\x07\x1b[2J<script>bad()</script></p>")
    assert main(["preview", html]) == 0
    out = capsys.readouterr().out
    assert out == "[bold red]x[/]\n"


def test_a_variant_on_an_unknown_channel_is_previewed_as_such(tmp_path: Path, capsys) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"id": "x", "type": 99, "payload": {"message": "hello"}}', encoding="utf-8")
    assert main(["preview", str(path)]) == 0
    assert "Unknown channel 99" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("{not json", "not valid JSON (line 1"),
        ('{"foo": 1}', "not a variant"),
        # An unknown channel (type 99) is now kept and previewed as such (issue 12); a variant
        # without a usable type is still not one.
        ('{"id": "x", "type": null, "payload": {}}', "not a variant"),
        ('["just a string"]', "not a variant"),
        ("[]", "the list is empty"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], content, message) -> None:
    path = tmp_path / "input.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["preview", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("seqedit preview: ") and message in captured.err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview"]) == 2
    assert "nothing to preview" in capsys.readouterr().err
    html = write(tmp_path, "a.html", "<p>x</p>")
    assert main(["preview", html, "--prospect", "1"]) == 2  # no --demo and no key: explains how
    assert "SALESHANDY_API_KEY" in capsys.readouterr().err
    assert main(["preview", html, "--prospect-file", str(tmp_path / "none.json")]) == 2
    assert "no such file" in capsys.readouterr().err


# -- the demo account ----------------------------------------------------------------------


def demo_email_with_tags() -> tuple[str, str, str, dict[str, str]]:
    """A demo Email variant whose body uses {{First Name}}, and the first sample prospect."""
    from tui.api.channels import Channel
    from tui.session.connect import open_client, resolve_account

    async def find():
        async with open_client(resolve_account(Namespace(demo=True))) as client:
            prospects = await client.list_prospects()
            async for page in client.iter_sequence_pages():
                for sequence in page.items:
                    steps = await client.list_steps(sequence.id)
                    for step in steps.items:
                        for variant in step.variants:
                            content = variant.payload.get("content") or ""
                            if variant.type is Channel.EMAIL and "{{First Name" in content:
                                return sequence.id, step.id, variant.id, prospects[0].fields
        raise AssertionError("the demo data has no Email variant with {{First Name}}")

    return asyncio.run(find())


def test_demo_variant_filled_from_a_sample_prospect(capsys: pytest.CaptureFixture[str]) -> None:
    sequence, step, variant, prospect = demo_email_with_tags()
    code = main(["preview", "--demo", "--sequence", sequence, "--step", step, "--variant", variant, "--prospect", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert prospect["First Name"] in out
    assert "{{First Name" not in out.split("\n\n", 1)[1]


def test_demo_whole_sequence_and_unknown_ids(capsys: pytest.CaptureFixture[str]) -> None:
    sequence, _step, _variant, _prospect = demo_email_with_tags()
    assert main(["preview", "--demo", "--sequence", sequence]) == 0
    assert "── " in capsys.readouterr().out
    assert main(["preview", "--demo", "--sequence", "nope404"]) == 1
    assert "not found" in capsys.readouterr().err
    assert main(["preview", "--demo", "--sequence", sequence, "--prospect", "999"]) == 2
    assert "no sample prospect 999" in capsys.readouterr().err


def test_terminal_output_is_styled_but_never_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    html = write(tmp_path, "a.html", "<p><b>Bold</b> [bold red]x[/] :smile: {{Company}}</p>")
    assert main(["preview", html, "--width", "40"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[1mBold" in out  # styled by Rich for a terminal
    assert "[bold red]x[/]" in out and ":smile:" in out  # markup and emoji codes stay literal
