"""The process's edges (issue 18): child environments, odd keys, crashes, input files, lint --all.

Crashes are driven in a child process (the real ``python -m tui`` entry point, in a
pseudo-terminal for the app) with one function replaced by one that raises: the code under test
is what happens after an unexpected error, and a real one is exactly what the rest of this
issue removes.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from test_hostile_server_support import HostileServer, answer

from tui.cli import main
from tui.commands.json_input import MAX_INPUT_BYTES
from tui.terminal.child_env import child_environment
from tui.terminal.crash_report import EXIT_CRASH, redact
from tui.terminal.external_editor import edit_text

KEY = "sk-live-edges-4f9c2a7d1e"
ROOT = Path(__file__).resolve().parent.parent


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- 18.4: children do not inherit the key -------------------------------------------------------


def test_the_editor_does_not_inherit_the_key_or_seqedit_secrets(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", KEY)
    monkeypatch.setenv("SEQEDIT_LIVE_KEY", "live-" + KEY)
    monkeypatch.setenv("SEQEDIT_THEME", "seqedit-light")  # not a secret: kept
    dump = tmp_path / "env.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nenv > "{dump}"\n', encoding="utf-8")
    editor.chmod(0o700)
    edit_text("hello", [str(editor)], interactive=False)
    seen = dump.read_text(encoding="utf-8")
    assert KEY not in seen
    assert "SALESHANDY_API_KEY" not in seen and "SEQEDIT_LIVE_KEY" not in seen
    assert "SEQEDIT_THEME=seqedit-light" in seen


def test_the_key_command_and_config_edit_get_the_same_environment(tmp_path: Path, monkeypatch) -> None:
    from tui.config.secrets import run_key_command

    monkeypatch.setenv("SEQEDIT_API_TOKEN", KEY)
    assert run_key_command('printf "%s" "${SEQEDIT_API_TOKEN:-unset}"') == "unset"

    dump = tmp_path / "env.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nenv > "{dump}"\n', encoding="utf-8")
    editor.chmod(0o700)
    monkeypatch.setenv("SALESHANDY_API_KEY", KEY)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    main(["config", "edit"])
    assert KEY not in dump.read_text(encoding="utf-8")


def test_child_environment_names() -> None:
    env = {
        "SALESHANDY_API_KEY": "a",
        "SEQEDIT_LIVE_KEY": "b",
        "SEQEDIT_PASSWORD": "c",
        "SEQEDIT_THEME": "d",
        "HOME": "e",
    }
    assert child_environment(env) == {"SEQEDIT_THEME": "d", "HOME": "e"}


# -- 18.5: a key that cannot go in a header ------------------------------------------------------


@pytest.mark.parametrize("key", ["two words", "tab\there", "esc\x1b[2Jkey", "bell\x07key"])
def test_an_unsendable_key_is_a_clear_message_in_lint_and_preview(capsys, monkeypatch, key: str) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", key)
    code, out, err = run_cli(capsys, "lint", "--sequence", "s1")
    assert code == 3 and out == ""
    assert "cannot be sent in a header" in err and "SALESHANDY_API_KEY" in err
    assert "Traceback" not in err and key not in err and "\x1b" not in err
    code, out, err = run_cli(capsys, "preview", "--sequence", "s1")
    assert code == 2 and "cannot be sent in a header" in err
    assert "Traceback" not in err and key not in err


def test_an_unsendable_key_stops_the_app_before_it_starts(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", "two words")
    code, _out, err = run_cli(capsys)  # the app is the default command
    assert code == 2 and "cannot be sent in a header" in err and "two words" not in err


# -- 18.1 / 18.14: crashes exit non-zero, with a report and without the key ---------------------


def _child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SALESHANDY_API_KEY": KEY,
            "SEQEDIT_STATE_DIR": str(tmp_path / "state"),
            "SEQEDIT_DATA_DIR": str(tmp_path / "data"),
            "SEQEDIT_CONFIG_DIR": str(tmp_path / "config"),
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
        }
    )
    return env


def _crash_reports(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "state" / "crashes").glob("crash-*.txt"))


def _check_report(tmp_path: Path, output: str) -> None:
    reports = _crash_reports(tmp_path)
    assert len(reports) == 1, output
    report = reports[0]
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    assert KEY not in text and "[redacted]" in text  # the error's own text held the key
    assert str(report) in output.replace("\r\n", "").replace("\n", "")
    assert KEY not in output


def test_a_headless_command_that_crashes_exits_70_with_a_report(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import tui.commands.lint as lint

        def run(args):
            secret = {KEY!r}  # a local holding the key, as the client's frames do
            raise RuntimeError("boom with " + secret)

        lint.run = run
        from tui.cli import main
        sys.exit(main(["lint", "--all"]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=_child_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == EXIT_CRASH, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert "internal error (RuntimeError)" in done.stderr
    _check_report(tmp_path, done.stderr)


def test_the_app_that_crashes_exits_70_without_locals_or_the_key(tmp_path: Path) -> None:
    from test_crash_app import Terminal

    server = tmp_path / "server.py"
    script = textwrap.dedent(
        f"""
        import sys
        from tui.screens import main_screen

        def start_listing(self):
            secret = {KEY!r}
            raise RuntimeError("listing failed with " + secret)

        main_screen.MainScreen.start_listing = start_listing
        from tui.cli import main
        sys.exit(main(["--base-url", "http://127.0.0.1:9"]))
        """
    )
    server.write_text(script, encoding="utf-8")
    terminal = Terminal([sys.executable, str(server)], _child_env(tmp_path), size=(100, 30))
    status = None
    try:
        import time

        end = time.monotonic() + 60  # generous: a loaded machine
        while status is None and time.monotonic() < end:
            terminal.pump(0.1)
            pid, raw = os.waitpid(terminal.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(raw)
            else:
                time.sleep(0.05)
        terminal.pump(0.3)
    finally:
        if status is None:
            terminal.kill()
        else:
            os.close(terminal.fd)
    output = terminal.text
    assert status == EXIT_CRASH, output[-2000:]
    assert "internal error (RuntimeError)" in output and "NOTE" not in output
    assert "secret =" not in output and "Traceback" not in output
    _check_report(tmp_path, output)


def test_redact_covers_the_remembered_key_and_secret_variables() -> None:
    from tui.terminal.crash_report import remember_secret

    remember_secret("remembered-key-123")
    text = redact("a remembered-key-123 b live-xyz-987 c", env={"SEQEDIT_LIVE_KEY": "live-xyz-987"})
    assert text == "a [redacted] b [redacted] c"


# -- 18.16: input files have limits --------------------------------------------------------------


def test_lint_refuses_a_device_without_reading_it(capsys) -> None:
    code, _out, err = run_cli(capsys, "lint", "/dev/zero")
    assert code == 4
    assert "/dev/zero: cannot read the file: not a regular file" in err


def test_lint_and_preview_refuse_a_fifo_without_waiting_for_a_writer(capsys, tmp_path: Path) -> None:
    fifo = tmp_path / "steps.json"
    os.mkfifo(fifo)
    code, _out, err = run_cli(capsys, "lint", str(fifo))
    assert code == 4 and "not a regular file" in err
    code, _out, err = run_cli(capsys, "preview", str(fifo))
    assert code == 4 and "not a regular file" in err


def test_inputs_over_the_size_limit_are_refused(capsys, tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as file:  # sparse: no 10 MB written
        file.truncate(MAX_INPUT_BYTES + 1)
    code, _out, err = run_cli(capsys, "preview", str(big))
    assert code == 4 and "larger than 10 MB" in err
    big_json = tmp_path / "big.json"
    big.rename(big_json)
    code, out, err = run_cli(capsys, "lint", str(big_json), "--format", "json")
    assert code == 4 and "larger than 10 MB" in err
    assert json.loads(out)[0]["rule_id"] == "input.unreadable"


def test_an_input_at_the_limit_is_still_read(capsys, tmp_path: Path) -> None:
    body = "<p>Hello there</p>"
    page = tmp_path / "email.html"
    page.write_text(body + " " * (MAX_INPUT_BYTES - len(body)), encoding="utf-8")
    code, out, _err = run_cli(capsys, "preview", str(page), "--mode", "plain")
    assert code == 0 and "Hello there" in out


# -- 18.17: lint --all reports what it could check -----------------------------------------------


def test_lint_all_reports_the_rest_when_one_sequence_fails(capsys, live_sandbox, monkeypatch) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", live_sandbox.api_key)
    headers = {"x-api-key": live_sandbox.api_key}
    listing = httpx.get(f"{live_sandbox.base_url}/v1/sequences", headers=headers).json()["payload"]
    broken = listing[1]["id"]
    httpx.post(
        f"{live_sandbox.base_url}/v1/sandbox/faults",
        json={"faults": [{"status": 404}], "path": f"/v1/sequences/{broken}/steps", "method": "GET"},
        headers=headers,
    ).raise_for_status()
    code, out, err = run_cli(capsys, "lint", "--base-url", live_sandbox.base_url, "--all", "--format", "json")
    assert code == 3, err
    rows = json.loads(out)
    unchecked = [row for row in rows if row["rule_id"] == "sequence.unchecked"]
    assert [row["sequence_id"] for row in unchecked] == [broken]
    checked = {row["sequence_id"] for row in rows if row["rule_id"] != "sequence.unchecked"}
    assert checked and broken not in checked
    assert f"({broken}) not checked: " in err and "1 sequence not checked" in err


async def test_lint_all_survives_an_id_of_dot_dot(capsys, monkeypatch) -> None:
    server = HostileServer()
    await server.start()
    try:
        steps = [
            {
                "id": "t1",
                "type": "Email",
                "absoluteDays": 1,
                "variants": [{"id": "v1", "type": "Email", "payload": {"subject": "Hi", "content": "<p>Hello</p>"}}],
            }
        ]
        server.script("/v1/fields", answer(200, {"message": "ok", "payload": []}))
        server.script(
            "/v1/sequences",
            answer(200, {"message": "ok", "payload": [{"id": "..", "title": "Dots"}, {"id": "s2", "title": "Fine"}]}),
        )
        server.script("/v1/sequences/s2/steps", answer(200, {"message": "ok", "payload": steps}))
        monkeypatch.setenv("SALESHANDY_API_KEY", KEY)
        import asyncio

        code = await asyncio.to_thread(main, ["lint", "--base-url", server.base_url, "--all"])
        out, err = capsys.readouterr()
    finally:
        await server.close()
    assert code == 3, err
    assert "1 variant checked" in out
    assert "sequence Dots (..) not checked" in err and "Traceback" not in err


async def test_lint_of_a_deeply_nested_answer_exits_3_with_a_message(capsys, monkeypatch) -> None:
    from test_hostile_server_support import deep_json

    server = HostileServer()
    await server.start()
    try:
        server.script("/v1/fields", answer(200, {"message": "ok", "payload": []}))
        server.script("/v1/sequences", answer(200, deep_json()))
        monkeypatch.setenv("SALESHANDY_API_KEY", KEY)
        import asyncio

        code = await asyncio.to_thread(main, ["lint", "--base-url", server.base_url, "--all"])
        _out, err = capsys.readouterr()
    finally:
        await server.close()
    assert code == 3 and "nested more than 64 levels" in err
    assert "Traceback" not in err and KEY not in err
