"""Issue 12 item 8 and issue 13 item 9: ``seqedit doctor`` against both sandbox flavors.

The checks run over the real client against the sandbox in process (``flavored_app``: the
contract's shapes and the vendor's) and, through the command line, against the vendor flavor
served on loopback. A server whose two variant reads disagree is the vendor flavor with one
field changed on ``GET …/steps/{stepId}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.api.client import SaleshandyClient
from tui.cli import main
from tui.commands.doctor_checks import FAIL, PASS, READ_CHECKS, WARN, WRONG_KEY, Diagnosis, diagnose
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.testing import running_server
from tui.sandbox.vendor import VendorShapes

BASE = "http://doctor.test"
SECRET_KEY = "sk-doctor-VERY-secret-0123456789"


def _client(app: Any, key: str = DEMO_API_KEY) -> SaleshandyClient:
    return SaleshandyClient(key, BASE, transport=httpx.ASGITransport(app=app), max_retries=0)


async def _diagnose(app: Any, **options: Any) -> Diagnosis:
    async with _client(app) as client, _client(app, WRONG_KEY) as wrong:
        return await diagnose(client, wrong, **options)


def _verdicts(diagnosis: Diagnosis) -> dict[str, str]:
    return {check.name: check.verdict for check in diagnosis.checks}


async def test_every_read_check_passes_on_both_flavors(flavored_app) -> None:
    diagnosis = await _diagnose(flavored_app)
    assert diagnosis.unreachable is None
    verdicts = _verdicts(diagnosis)
    assert set(verdicts) == set(READ_CHECKS)
    assert FAIL not in verdicts.values(), [(c.name, c.text) for c in diagnosis.checks if c.verdict == FAIL]
    if flavored_app.flavor == "vendor":
        # The vendor's reads never show these: said, not failed.
        fields = diagnosis.get("variant-fields")
        assert fields is not None and fields.verdict == WARN
        assert "attachmentIds" in fields.text and "priority" in fields.text


class _Disagreeing(VendorShapes):
    """The vendor flavor whose GET …/steps/{stepId} changes one field of every variant."""

    def __init__(self, app: Any, field: str) -> None:
        super().__init__(app)
        self.field = field

    def _spec_variant(self, variant: dict[str, Any]) -> dict[str, Any]:
        shaped = super()._spec_variant(variant)
        if self.field == "taskNote":
            shaped["taskNote"] = (shaped.get("taskNote") or "") + " (changed by one read only)"
        elif self.field == "subject" and "subject" in shaped.get("payload", {}):
            shaped["payload"] = {**shaped["payload"], "subject": "another subject"}
        return shaped


@pytest.mark.parametrize(("field", "named"), [("taskNote", "taskNote"), ("subject", "payload.subject")])
async def test_two_variant_reads_that_disagree_are_named(sandbox_app, field: str, named: str) -> None:
    diagnosis = await _diagnose(_Disagreeing(sandbox_app, field))
    check = diagnosis.get("variant-reads-agree")
    assert check is not None and check.verdict == FAIL
    assert f"{named} differ" in check.text
    assert diagnosis.failed


def _account_strings(app: Any) -> set[str]:
    """Every text value the account holds that a report could leak (ids, titles, bodies, names)."""
    store = app.state.store
    found: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str) and len(value) >= 6:
            found.add(value)

    sequences = store.list_sequences(name=None, page=1, page_size=1000, descending=True, sort_by="sequence.title")
    collect(sequences)
    for sequence in sequences:
        collect(store.steps_of(sequence["id"]))
    collect(store.fields(system=True))
    collect(store.assignees())
    return found


def test_the_command_passes_on_the_vendor_flavor_and_prints_no_value_nor_key(
    sandbox_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.sandbox.app import create_app

    app = create_app(sandbox_db, api_key=SECRET_KEY)
    values = _account_strings(app)
    assert {"Q4 Outbound: Heads of RevOps", "Acme Robotics: Warehouse Managers"} <= values
    report = tmp_path / "doctor.txt"
    monkeypatch.setenv("SALESHANDY_API_KEY", SECRET_KEY)
    try:
        with running_server(VendorShapes(app)) as url:
            code = main(["doctor", "--base-url", url, "--output", str(report)])
    finally:
        app.state.store.close()
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Verdict: OK" in out and "Shape report" in out
    assert "payload[].user.id" in out and "number" in out  # the vendor's numeric user id, as a type
    saved = report.read_text()
    assert "Verdict: OK" in saved
    for text in (out, err, saved):
        assert SECRET_KEY not in text
        leaked = sorted(value for value in values if value in text)
        assert not leaked, leaked


def test_a_wrong_key_is_unreachable_with_exit_3(
    sandbox_app, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SALESHANDY_API_KEY", SECRET_KEY)
    with running_server(VendorShapes(sandbox_app)) as url:
        code = main(["doctor", "--base-url", url])
    out, err = capsys.readouterr()
    assert code == 3
    assert "refused the key" in out and "SALESHANDY_API_KEY" in out
    assert SECRET_KEY not in out + err


def test_a_server_that_does_not_answer_is_exit_3(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from tui.sandbox.testing import free_port

    monkeypatch.setenv("SALESHANDY_API_KEY", SECRET_KEY)
    code = main(["doctor", "--base-url", f"http://127.0.0.1:{free_port()}"])
    out, _ = capsys.readouterr()
    assert code == 3 and "could not reach the server" in out


def _scratch(app: Any, title: str = "seqedit-scratch doctor") -> str:
    store = app.state.store
    made = store.add_sequence(
        title,
        steps=[
            {
                "channel": "Email",
                "day": 1,
                "variants": [
                    {"payload": {"subject": "Scratch A", "content": "<p>A</p>"}},
                    {"payload": {"subject": "Scratch B", "content": "<p>B</p>"}},
                ],
            },
            {
                "channel": "CallIntroduction",
                "day": 3,
                "variants": [{"payload": {}, "taskNote": "Call them", "priority": "High"}],
                "priority": "High",
            },
        ],
    )
    return made.sequence_id


async def test_write_reports_days_per_step_and_priority_and_restores_everything(flavored_app) -> None:
    sequence_id = _scratch(flavored_app)
    before = flavored_app.state.store.steps_of(sequence_id)
    diagnosis = await _diagnose(flavored_app, write_sequence=sequence_id)
    verdicts = _verdicts(diagnosis)
    assert diagnosis.refused is None
    assert verdicts["write-noop"] == PASS
    days = diagnosis.get("write-days")
    assert days is not None and days.verdict == PASS and "per step" in days.text
    priority = diagnosis.get("write-priority")
    assert priority is not None
    if flavored_app.flavor == "contract":
        assert priority.verdict == PASS and "shows the priority as a name" in priority.text.replace("showed", "shows")
    else:
        assert priority.verdict == WARN and "never shows" in priority.text
    assert not diagnosis.failed, [(c.name, c.text) for c in diagnosis.checks if c.verdict == FAIL]
    assert flavored_app.state.store.steps_of(sequence_id) == before  # everything restored


async def test_write_is_refused_on_a_sequence_that_is_not_scratch(sandbox_app) -> None:
    vendor = VendorShapes(sandbox_app)
    sequence_id = _scratch(sandbox_app, title="Live campaign")
    diagnosis = await _diagnose(vendor, write_sequence=sequence_id)
    assert diagnosis.refused and "seqedit-scratch" in diagnosis.refused
    assert not diagnosis.checks and vendor.patches == []


def test_write_refusal_exits_2_through_the_command(
    sandbox_app, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sequence_id = _scratch(sandbox_app, title="Live campaign")
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    vendor = VendorShapes(sandbox_app)
    with running_server(vendor) as url:
        code = main(["doctor", "--base-url", url, "--write", "--sequence", sequence_id])
        lonely = main(["doctor", "--base-url", url, "--write"])
    out, err = capsys.readouterr()
    assert code == 2 and "--write refused" in out and "Live campaign" not in out
    assert lonely == 2 and "--write and --sequence" in err
    assert not [path for path in vendor.paths if path.startswith("PATCH")]


def test_the_shape_report_never_shows_a_key_that_could_be_data() -> None:
    from tui.commands.doctor_shapes import ShapeReport

    shapes = ShapeReport()
    shapes.add("GET /v1/x", {"byEmail": {"ann@example.com": 1, "aB3dE5fG7h": [True]}, "n": None})
    text = "\n".join(shapes.lines())
    assert "ann@example.com" not in text and "aB3dE5fG7h" not in text
    assert "payload.byEmail.<key>" in text and "payload.byEmail.<key>[]" in text


class _DaysPerVariant(VendorShapes):
    """The vendor flavor on a server where absoluteDays belongs to each variant, not the step."""

    def __init__(self, app: Any) -> None:
        super().__init__(app, thin_listing=False)
        self.days: dict[str, int] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "PATCH":
            message = await receive()
            body = json.loads(message.get("body") or b"{}")
            if "absoluteDays" in body:
                self.days[scope["path"].rsplit("/", 1)[-1]] = body.pop("absoluteDays")
            raw = json.dumps(body).encode()
            if not body:
                # Nothing left for the sandbox: answer as the server would for a day change.
                await send(
                    {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
                )
                await send({"type": "http.response.body", "body": b'{"message": "ok", "payload": 1}'})
                return
            sent = False

            async def replay() -> Any:
                nonlocal sent
                if sent:
                    return {"type": "http.disconnect"}
                sent = True
                return {"type": "http.request", "body": raw, "more_body": False}

            receive = replay
        await super().__call__(scope, receive, send)

    def _listed_variant(self, variant: dict[str, Any]) -> dict[str, Any]:
        shaped = super()._listed_variant(variant)
        if shaped.get("id") in self.days:
            shaped["absoluteDays"] = self.days[shaped["id"]]
        return shaped


async def test_write_says_when_absolute_days_is_per_variant(sandbox_app) -> None:
    sequence_id = _scratch(sandbox_app)
    diagnosis = await _diagnose(_DaysPerVariant(sandbox_app), write_sequence=sequence_id)
    days = diagnosis.get("write-days")
    assert days is not None and days.verdict == FAIL and "per variant" in days.text


async def test_the_checks_fit_80_columns(sandbox_app) -> None:
    from tui.commands.doctor import render

    class Account:
        demo = False
        base_url = "http://127.0.0.1:8787"
        key_source = "env"

    diagnosis = await _diagnose(_Disagreeing(sandbox_app, "taskNote"))
    lines, code = render(diagnosis, Account(), width=80)
    checks = lines[: lines.index("Shape report (keys and JSON types only: no values, no key)")]
    assert code == 1 and any(line.startswith("Verdict: MISMATCH") for line in checks)
    assert all(len(line) <= 80 for line in checks), [line for line in checks if len(line) > 80]
    assert any("GET …/steps/{stepId}" in line for line in checks)  # never cut inside a path


class _NoSenders(VendorShapes):
    """The vendor flavor on a server without GET …/email-accounts."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/email-accounts"):
            await self._send(send, 404, b'{"payload": [{"message": "Not found", "code": 404, "httpStatus": 404}]}', [])
            return
        await super().__call__(scope, receive, send)


async def test_senders_are_read_and_a_server_without_them_is_a_warning(sandbox_app) -> None:
    read = await _diagnose(VendorShapes(sandbox_app))
    senders = read.get("email-accounts")
    assert senders is not None and senders.verdict == PASS
    assert "GET /v1/sequences/{sequenceId}/email-accounts" in read.shapes.endpoints
    missing = await _diagnose(_NoSenders(sandbox_app))
    senders = missing.get("email-accounts")
    assert senders is not None and senders.verdict == WARN and "HTTP 404" in senders.text
    assert not missing.failed


def test_write_through_the_command_on_the_vendor_flavor(
    sandbox_app, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sequence_id = _scratch(sandbox_app)
    before = sandbox_app.state.store.steps_of(sequence_id)
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    vendor = VendorShapes(sandbox_app)
    with running_server(vendor) as url:
        code = main(["doctor", "--base-url", url, "--write", "--sequence", sequence_id])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "PASS  write-days" in out and "per step" in out
    assert "WARN  write-priority" in out  # the vendor's reads never show a priority
    assert sequence_id not in out and "Scratch A" not in out
    assert any(path.startswith("PATCH") for path in vendor.paths)
    assert sandbox_app.state.store.steps_of(sequence_id) == before


def test_an_output_file_that_cannot_be_written_is_a_usage_error_before_any_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # QA: --output into a missing directory failed only after every check had run.
    missing = tmp_path / "no-such-dir" / "doctor.txt"
    assert main(["doctor", "--demo", "--output", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing was checked
    assert "no such directory" in err and str(tmp_path / "no-such-dir") in err
    assert main(["doctor", "--demo", "--output", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "is a directory" in err
    assert not missing.parent.exists()


@pytest.mark.parametrize("sample", ["0", "-2"])
def test_a_sample_below_one_is_a_usage_error(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    # QA: --sample 0 silently walked one sequence.
    with pytest.raises(SystemExit) as stopped:
        main(["doctor", "--demo", "--sample", sample])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--sample" in err and "1 or more" in err
