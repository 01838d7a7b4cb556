"""`seqedit lint` end to end through the CLI: files, output formats, exit codes, the demo account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

DATA = Path(__file__).parent / "data" / "lint"


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_variant_exits_0(capsys) -> None:
    code, out, err = lint(capsys, str(DATA / "clean_variant.json"))
    assert code == 0, out + err
    assert "1 variant checked, 0 with findings: 0 errors, 0 warnings" in out
    assert err == ""


def test_warnings_exit_0_and_1_with_strict(capsys) -> None:
    code, out, _ = lint(capsys, str(DATA / "warning_step.json"))
    assert code == 0
    assert "W email.subject-shouting  payload.subject  'URGENT' is in capitals" in out
    assert "Step 2 Follow-up · Email, day 3 (sWarn00001)" in out and "Variant A (vWarn0001)" in out
    code, _, _ = lint(capsys, "--strict", str(DATA / "warning_step.json"))
    assert code == 1


def test_errors_exit_2_grouped_by_step_and_variant(capsys) -> None:
    code, out, _ = lint(capsys, str(DATA / "error_steps.json"))
    assert code == 2
    lines = out.splitlines()
    assert lines[0].endswith("error_steps.json")
    step_a = lines.index("  Step 1 Intro · Email, day 1 (sErr00001)")
    variant_a = lines.index("    Variant A (vErrA0001)")
    variant_b = lines.index("    Variant B (vErrB0001)")
    assert step_a < variant_a < variant_b
    assert any(
        line.startswith("      E api.task-note-email  taskNote  ") and " → " in line
        for line in lines[variant_a:variant_b]
    )
    assert any(line.startswith("      E api.status  status  Status 7") for line in lines[variant_b:])
    assert "E api.days-email-clash" in out and "E email.subject-empty-first" in out
    assert lines[-1] == "4 variants checked, 4 with findings: 7 errors, 3 warnings, 1 info"


def test_server_text_reaches_the_terminal_defused(capsys) -> None:
    _, out, _ = lint(capsys, str(DATA / "error_steps.json"))
    assert "\x1b" not in out
    # Markup stays literal text: nothing interprets it on the way out.
    assert "Connect [bold]now[/bold]" in out


def test_json_output_for_machines(capsys) -> None:
    code, out, err = lint(capsys, "--format", "json", str(DATA / "error_steps.json"))
    assert code == 2 and err == ""
    rows = json.loads(out)
    assert {row["severity"] for row in rows} == {"E", "W", "I"}
    status = next(row for row in rows if row["rule_id"] == "api.status")
    assert status["variant_id"] == "vErrB0001" and status["variant"] == "B" and status["step_id"] == "sErr00001"
    assert status["field"] == "status" and status["source"].endswith("error_steps.json")
    script = next(row for row in rows if row["rule_id"] == "email.markup")
    assert script["span"] == [len("<p>Hi</p>"), len("<p>Hi</p><script>")]
    assert set(status) == {
        "source",
        "sequence_id",
        "step_id",
        "variant_id",
        "variant",
        "rule_id",
        "severity",
        "field",
        "message",
        "hint",
        "span",
        "threshold",
    }
    assert "\x1b" not in out


def test_json_output_of_a_clean_file_is_an_empty_list(capsys) -> None:
    # With the demo account, so that the merge tags are checked too (issue 13: without an
    # account the list holds a tags.unchecked entry instead of being empty).
    code, out, _ = lint(capsys, "--demo", "--format", "json", str(DATA / "clean_variant.json"))
    assert code == 0 and json.loads(out) == []


def test_first_email_flag_changes_the_lone_variant_context(capsys) -> None:
    _code, out, _ = lint(capsys, "--first-email", "--format", "json", str(DATA / "warning_step.json"))
    rules = {row["rule_id"] for row in json.loads(out)}
    assert "email.body-length" in rules  # a first email under 25 words


def test_a_variant_file_on_an_unknown_channel_is_an_error_not_unreadable(capsys) -> None:
    # Issue 12: kept as data and refused as a save would be, with the reason (was exit 4).
    code, out, err = lint(capsys, str(DATA / "unknown_channel.json"))
    assert code == 2, err
    assert "api.channel-unknown" in out and "Carrier pigeon" in out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad.json", "not valid JSON (line 2"),
        ("not_a_variant.json", "not a variant or a step"),
        ("no_type.json", "the variant has no type"),
        ("missing.json", "cannot read the file"),
    ],
)
def test_unreadable_input_is_one_clear_message_and_exit_4(capsys, name: str, expected: str) -> None:
    code, out, err = lint(capsys, str(DATA / name))
    assert code == 4
    assert expected in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_one_bad_file_does_not_hide_the_others(capsys) -> None:
    code, out, err = lint(capsys, str(DATA / "bad.json"), str(DATA / "warning_step.json"))
    assert code == 4
    assert "subject-shouting" in out and "not valid JSON" in err


def test_a_file_of_non_utf8_bytes(capsys, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"id": "\xe9"}')
    code, _, err = lint(capsys, str(path))
    assert code == 4 and "cannot read the file" in err


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[str, str]]:
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    return {
        "missing": (str(tmp_path / "nowhere.json"), "no such file"),
        "directory": (str(tmp_path), "it is a directory"),
        "empty list": (str(empty), "the list is empty"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty list"])
def test_input_that_cannot_be_read_exits_4_not_2(capsys, tmp_path: Path, case: str) -> None:
    name, reason = _bad_inputs(tmp_path)[case]
    code, out, err = lint(capsys, name)
    assert code == 4
    assert err.count("\n") == 1 and err.startswith("seqedit lint: ") and reason in err
    assert out == ""


@pytest.mark.parametrize("case", ["missing", "directory", "empty list"])
def test_json_output_names_the_input_that_failed(capsys, tmp_path: Path, case: str) -> None:
    name, reason = _bad_inputs(tmp_path)[case]
    code, out, err = lint(capsys, "--format", "json", name)
    assert code == 4 and reason in err
    rows = json.loads(out)
    assert rows != []
    [row] = rows
    assert row["rule_id"] == "input.unreadable" and row["severity"] == "E"
    assert row["source"] == name and reason in row["message"]
    assert row["variant_id"] is None and row["span"] is None


def test_unreadable_input_wins_over_errors_found_in_another_file(capsys, tmp_path: Path) -> None:
    code, out, _ = lint(capsys, "--format", "json", str(tmp_path / "nowhere.json"), str(DATA / "error_steps.json"))
    rows = json.loads(out)
    assert code == 4
    assert any(row["rule_id"] == "api.status" for row in rows)
    assert [row["source"] for row in rows if row["rule_id"] == "input.unreadable"] == [str(tmp_path / "nowhere.json")]


def test_help_documents_exit_4_and_the_json_entry(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["lint", "--help"])
    out = capsys.readouterr().out
    assert "4 could not read the input" in out and '"rule_id": "input.unreadable"' in out


def test_nothing_to_check_and_both_modes_are_refused(capsys) -> None:
    code, _, err = lint(capsys)
    assert code == 2 and "nothing to check" in err
    code, _, err = lint(capsys, "--all", str(DATA / "clean_variant.json"))
    assert code == 2 and "not both" in err


def test_no_api_key_is_a_clear_message_and_exit_3(capsys) -> None:
    code, out, err = lint(capsys, "--all")
    assert code == 3 and out == ""
    assert "SALESHANDY_API_KEY" in err and "Traceback" not in err


def test_lint_all_on_the_demo_sandbox(capsys, tmp_path: Path, monkeypatch) -> None:
    # conftest points SEQEDIT_DATA_DIR at a temp dir; platformdirs' XDG too, for good measure.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    code, out, err = lint(capsys, "--demo", "--all", "--format", "json")
    rows = json.loads(out)
    assert rows, err
    assert code == (2 if any(row["severity"] == "E" for row in rows) else 0)
    assert all(row["sequence_id"] and row["step_id"] and row["variant_id"] for row in rows)
    # Fields come from the account, so the tag checks that need them ran.
    assert "tags.no-fallback" in {row["rule_id"] for row in rows}

    code, text, _ = lint(capsys, "--demo", "--all")
    assert text.startswith("Sequence ") and "variants checked" in text.splitlines()[-1]

    one = rows[0]["sequence_id"]
    code, out, _ = lint(capsys, "--demo", "--sequence", one, "--format", "json")
    assert {row["sequence_id"] for row in json.loads(out)} == {one}
    assert not (tmp_path / "xdg").exists() or not any((tmp_path / "xdg").iterdir())


def test_unknown_sequence_on_the_demo_is_a_clear_message(capsys) -> None:
    code, _out, err = lint(capsys, "--demo", "--sequence", "NoSuchSeq")
    assert code == 3 and "Traceback" not in err and err.strip()


def _queue_faults(live_sandbox, body: dict) -> None:
    import httpx

    answer = httpx.post(
        f"{live_sandbox.base_url}/v1/sandbox/faults", json=body, headers={"x-api-key": live_sandbox.api_key}
    )
    assert answer.status_code < 300, answer.text


def test_lint_over_http_with_a_missing_field_list(capsys, live_sandbox, monkeypatch) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", live_sandbox.api_key)
    _queue_faults(live_sandbox, {"faults": [{"status": 404}], "path": "/v1/fields"})
    code, out, err = lint(capsys, "--base-url", live_sandbox.base_url, "--all", "--format", "json")
    rows = json.loads(out)
    assert rows and code in (0, 2)
    assert "merge tags not checked against the field list" in err
    # Without the field list the checks that need it are skipped, not guessed.
    assert not {"tags.unknown", "tags.no-fallback"} & {row["rule_id"] for row in rows}
    assert live_sandbox.api_key not in out + err


def test_lint_over_http_refused_key_exits_3(capsys, live_sandbox, monkeypatch) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", live_sandbox.api_key)
    _queue_faults(live_sandbox, {"faults": [{"status": 401}], "path": "/v1/sequences"})
    code, out, err = lint(capsys, "--base-url", live_sandbox.base_url, "--all")
    assert code == 3 and out == ""
    assert err.startswith("seqedit lint: ") and "Traceback" not in err
    assert live_sandbox.api_key not in err


def test_a_variant_the_server_sent_unreadable_is_reported_and_exits_2(capsys, live_sandbox, monkeypatch) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", live_sandbox.api_key)
    steps = {
        "message": "ok",
        "payload": [
            {
                "id": "sX",
                "type": "Email",
                "absoluteDays": 1,
                "variants": [
                    {"id": "vGood", "type": "Email", "payload": {"subject": "Hi", "content": "<p>Hello there</p>"}},
                    # Issue 12: an unknown channel is kept (as the server sent it, so at most
                    # advice: nothing of it would be sent), an unreadable variant (a payload
                    # that is not an object) is one error line.
                    {"id": "vOdd", "type": 99, "payload": {}},
                    {"id": "vBad", "type": "Email", "payload": "not an object"},
                ],
            }
        ],
    }
    import httpx

    listing = httpx.get(f"{live_sandbox.base_url}/v1/sequences", headers={"x-api-key": live_sandbox.api_key}).json()
    sequence_id = listing["payload"][0]["id"]
    # Only the steps request ("/v1/sequences/{id}/steps") matches the prefix, not the listing.
    _queue_faults(
        live_sandbox,
        {"faults": [{"status": 200, "body": json.dumps(steps)}], "path": "/v1/sequences/", "method": "GET"},
    )
    code, out, err = lint(capsys, "--base-url", live_sandbox.base_url, "--sequence", sequence_id)
    assert code == 2
    assert "vBad" in err and "Traceback" not in err
    assert "Variant A (vGood)" in out
    assert "api.value-kept" in out and "api.channel-unknown" not in out
