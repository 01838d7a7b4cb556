"""Issue 12 item 7: the main journeys, run against both sandbox flavors.

``flavored_app`` (tests/conftest.py) runs each test twice: over the sandbox in seqedit's own
contract, and over the same data in the vendor's documented shapes (numeric ids, a thin
``GET …/steps/{stepId}``, no priority or attachmentIds on reads, an Email payload key the form
does not know, no sandbox endpoints). Tree, one variant of each channel family, edit, review,
save, conflict check, preview in the app, and lint and preview from the command line.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_app_support import client_for, open_variant, settle, type_text
from test_drafts_app_support import last_note, review_and_send

from tui.api.channels import Channel
from tui.api.models import VariantUpdate
from tui.app import SeqEditApp
from tui.cli import main
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.testing import running_server

Q4 = "Q4 Outbound: Heads of RevOps"
ACME = "Acme Robotics: Warehouse Managers"
WEBINAR = "Webinar invite: Data Leaders"
FOUNDERS = "Founders intro"
PROSPECTS = ({"First Name": "Ada", "Last Name": "Byron", "Company": "Lovelace Ltd"},)

# One variant of each channel family, and the field its form must show.
FAMILIES = [
    ("email", Q4, Channel.EMAIL, "#field-subject"),
    ("linkedin", ACME, Channel.LINKEDIN_MESSAGE, "#field-message"),
    ("call", FOUNDERS, Channel.CALL_FOLLOW_UP, "#field-taskNote"),
    ("whatsapp", WEBINAR, Channel.WHATSAPP_VOICE_MESSAGE, "#field-taskNote"),
    ("task", FOUNDERS, Channel.CUSTOM, "#field-taskNote"),
]


def app_over(flavored: Any) -> SeqEditApp:
    """The editor on ``flavored``: the demo on the contract flavor, a real account on the vendor's."""

    class Account:
        demo = flavored.flavor == "contract"
        profile = None if demo else "vendor"
        base_url = "http://sandbox.local"
        sample_prospects = () if demo else PROSPECTS

    return SeqEditApp(Account(), client_factory=lambda: client_for(flavored))


def patches(flavored: Any) -> int:
    counts = flavored.state.requests.snapshot()
    return sum(n for name, n in counts.items() if name.startswith("PATCH "))


async def test_the_tree_and_one_variant_of_each_channel_family(flavored_app) -> None:
    app = app_over(flavored_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.workspace.sequences) == 8, [str(n.message) for n in app._notifications]
        for family, title, channel, field in FAMILIES:
            key = await open_variant(pilot, title, channel)
            assert app.screen.current_key == key, family
            assert app.screen.query(field), f"{family}: no {field} in the form"
            await pilot.press("escape")
            await settle(pilot)


async def test_edit_review_save_and_the_server_holds_it(flavored_app) -> None:
    app = app_over(flavored_app)
    async with app.run_test(size=(80, 24)) as pilot:
        key = await open_variant(pilot, ACME, Channel.EMAIL)
        subject = app.workspace.server_copy(key).payload["subject"]
        await pilot.press("end")
        await type_text(pilot, " now")
        body = await review_and_send(pilot)
        assert body["payload"]["subject"] == subject + " now"
        assert "priority" not in body and "attachmentIds" not in body  # nothing it did not change
        assert not app.workspace.is_dirty(key), last_note(app)
    stored = flavored_app.state.store.get_variant(key.variant_id)
    assert stored["payload"]["subject"] == subject + " now"


async def test_a_teammates_change_is_a_conflict_and_nothing_is_sent_before_a_choice(flavored_app) -> None:
    app = app_over(flavored_app)
    async with app.run_test(size=(120, 40)) as pilot:
        from tui.screens.conflict_screen import ConflictScreen

        key = await open_variant(pilot, FOUNDERS, Channel.EMAIL)
        await pilot.press("end")
        await type_text(pilot, " MINE")
        async with client_for(flavored_app) as teammate:
            current = await teammate.get_variant(*key)
            await teammate.update_variant(*key, VariantUpdate(payload={**current.payload, "content": "<p>theirs</p>"}))
        sent = patches(flavored_app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen), last_note(app)
        assert {c.path for c in app.screen.conflicts} >= {"payload.content", "payload.subject"}
        assert patches(flavored_app) == sent
        await pilot.press("m")  # keep mine
        await settle(pilot)
        assert not app.workspace.is_dirty(key), last_note(app)
    stored = flavored_app.state.store.get_variant(key.variant_id)
    assert stored["payload"]["subject"].endswith(" MINE")


async def test_the_preview_renders_the_open_email(flavored_app) -> None:
    from tui.widgets.preview_pane import PreviewPane

    app = app_over(flavored_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_variant(pilot, Q4, Channel.EMAIL)
        await pilot.press("escape", "v")
        await settle(pilot)
        pane = app.screen.query_one("#preview", PreviewPane)
        await pilot.press("n")
        await settle(pilot)
        assert pane.prospect is not None
        assert "{{" not in pane.view.plain and pane.prospect.fields.get("First Name") in pane.view.plain
    if flavored_app.flavor == "vendor":
        assert not [path for path in flavored_app.paths if "/v1/sandbox/" in path]


@pytest.fixture
def served(flavored_app, monkeypatch: pytest.MonkeyPatch):
    """``flavored_app`` on loopback, with the key in the environment as a person would set it."""
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    with running_server(flavored_app) as url:
        yield url


def test_lint_reads_every_variant(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lint", "--base-url", served, "--all"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "38 variants checked" in out and "0 errors" in out


def test_preview_prints_a_variant(served: str, flavored_app, capsys: pytest.CaptureFixture[str]) -> None:
    store = flavored_app.state.store
    sequence = next(s for s in store.list_sequences() if s["title"] == FOUNDERS)
    step = store.steps_of(sequence["id"])[0]
    code = main(["preview", "--base-url", served, "--sequence", sequence["id"], "--step", step["id"], "--variant", "A"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert step["variants"][0]["payload"]["subject"] in out
