"""Issue 15 headless: `seqedit variant add|duplicate` and `seqedit test-email` on the demo sandbox,
with lint's exit codes when the rules refuse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tui.cli import main
from tui.sandbox.store import SandboxStore
from tui.session.connect import demo_db_path


def _demo() -> SandboxStore:
    assert main(["--demo", "lint", "--sequence", "none-such"]) in (2, 3)  # builds the demo sandbox
    return SandboxStore(demo_db_path())


def _step(store: SandboxStore, title: str, kind: str) -> tuple[str, dict[str, Any]]:
    sequence = next(sid for sid, t in store.sequence_ids() if t == title)
    return sequence, next(step for step in store.steps_of(sequence) if step["type"] == kind)


def test_variant_add_from_a_payload_file(tmp_path: Path, capsys) -> None:
    store = _demo()
    sequence, step = _step(store, "Hiring managers: Engineering", "Email")
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"subject": "CLI B", "content": "<p>Hello there, a short one.</p>"}))
    code = main(["--demo", "variant", "add", "--sequence", sequence, "--step", step["id"], "--file", str(payload)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert '"subject": "CLI B"' in out and "Added variant B." in out
    after = store.variants_of(sequence, step["id"])
    assert [v["payload"]["subject"] for v in after][1] == "CLI B"


def test_a_second_active_linkedin_variant_is_refused_with_lints_code_and_paused_is_added(capsys) -> None:
    store = _demo()
    sequence, step = _step(store, "Q4 Outbound: Heads of RevOps", "LinkedInConnectionRequest")
    base = ["--demo", "variant", "duplicate", "--sequence", sequence, "--step", step["id"], "--from", "A"]
    assert main(base) == 2
    captured = capsys.readouterr()
    assert "api.one-active" in captured.out and "nothing was sent" in captured.err
    assert len(store.variants_of(sequence, step["id"])) == 1
    assert main([*base, "--paused"]) == 0
    after = store.variants_of(sequence, step["id"])
    assert [v["status"] for v in after] == [1, 0]
    assert after[1]["payload"] == after[0]["payload"]


def test_test_email_fills_prospect_and_spin_and_refuses_a_foreign_sender(capsys) -> None:
    store = _demo()
    sequence, step = _step(store, "Q4 Outbound: Heads of RevOps", "Email")
    base = ["--demo", "test-email", "--sequence", sequence, "--step", step["id"], "--variant", "B"]
    code = main([*base, "--to", "me@example.com", "--prospect", "1", "--spin", "2"])
    assert code == 0, capsys.readouterr()
    (sent,) = store.outbox()
    assert sent["subject"] == "A thought for Dana" and sent["to"] == ["me@example.com"]
    assert main([*base, "--to", "me@example.com", "--from", "not-connected"]) == 2
    assert "Please connect email account" in capsys.readouterr().err
    assert main([*base, "--to", "not an address"]) == 4
    assert len(store.outbox()) == 1


def test_duplicate_on_a_vendor_account_leaves_the_servers_own_key_behind(sandbox_app, monkeypatch, capsys) -> None:
    # The vendor's Email payloads carry templateId: A's own, not a key a new variant may be
    # POSTed with (before: copied, counted as added by the draft, and refused with exit 2).
    from tui.sandbox import DEMO_API_KEY
    from tui.sandbox.testing import running_server
    from tui.sandbox.vendor import EXTRA_KEY, VendorShapes

    vendor = VendorShapes(sandbox_app)
    store = sandbox_app.state.store
    sequence, step = _step(store, "Hiring managers: Engineering", "Email")
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    with running_server(vendor) as url:
        code = main(["variant", "duplicate", "--base-url", url, "--sequence", sequence, "--step", step["id"]])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert f"not copied: {EXTRA_KEY}" in captured.err
    (posted,) = vendor.posts
    assert EXTRA_KEY not in posted["payload"]
    after = store.variants_of(sequence, step["id"])
    assert len(after) == 2 and after[1]["payload"]["subject"] == after[0]["payload"]["subject"]
