"""Issue 12 (items 1 to 4) and issue 18 item 12: the vendor's own shapes, read and saved safely.

Two kinds of server: :class:`tests.test_client_shapes.Scripted` answers scripted bodies for the
odd shapes one by one; :class:`tests.vendor_shapes.VendorShapes` lays the vendor's documented
shapes over a whole sandbox, so the save path runs end to end over the real client.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.test_client_shapes import Scripted
from tests.vendor_shapes import EXTRA_KEY, VendorShapes
from tui.api.channels import Channel, Priority, UnknownChannel, encode_priority
from tui.api.client import SaleshandyClient
from tui.api.models import Variant, build_update, fill_unknown, known_fields
from tui.drafts.store import DraftKey, DraftStore
from tui.sandbox import DEMO_API_KEY
from tui.session.draft_keeper import DraftKeeper
from tui.session.save_flow import SaveResult, save_variant
from tui.session.workspace import VariantKey, Workspace

BASE = "http://vendor.test"


def client_over(app: Any) -> SaleshandyClient:
    return SaleshandyClient(DEMO_API_KEY, BASE, transport=httpx.ASGITransport(app=app), max_retries=0)


@pytest.fixture
def scripted() -> Scripted:
    return Scripted()


async def _all_variants(client: SaleshandyClient) -> list[tuple[VariantKey, Variant]]:
    found = []
    for sequence in (await client.list_sequences()).items:
        for step in (await client.list_steps(sequence.id)).items:
            for variant in step.variants:
                found.append((VariantKey(sequence.id, step.id, variant.id), variant))
    return found


# -- item 1: tolerant reading --------------------------------------------------------------------


async def test_the_docs_listing_with_a_numeric_user_id_keeps_every_sequence(sandbox_app):
    # Before: every sequence was dropped ("user.id: Input should be a valid string").
    async with client_over(VendorShapes(sandbox_app)) as client:
        listing = await client.list_sequences()
    assert len(listing.items) >= 5 and not listing.errors
    assert {sequence.user.id for sequence in listing.items if sequence.user} == {"1"}


async def test_numbers_in_every_id_position_nulls_and_a_double_wrap(scripted: Scripted):
    scripted.answer(
        "/v1/sequences",
        200,
        {
            "message": "ok",
            "payload": {
                "payload": [
                    {"id": 11, "title": None, "active": 1, "steps": [{"id": 21, "name": None}], "client": {}},
                    {"id": "..", "title": "a path walk"},
                    {
                        "id": 12,
                        "title": "ok",
                        "client": {"id": 5, "companyName": None, "firstName": "Al"},
                        "user": None,
                    },
                ]
            },
        },
    )
    variant = {
        "id": 31,
        "payload": {"payload": {"subject": "s", "content": "<p>c</p>"}},
        "status": 1,
        "attachmentIds": [41, "42"],
        "assigneeId": 51,
        "priority": 2,
    }
    scripted.answer(
        "/v1/sequences/11/steps",
        200,
        {"payload": [{"id": 21, "name": None, "type": 1, "absoluteDays": 1, "variants": [variant]}]},
    )
    scripted.answer("/v1/sequences/11/steps/21", 200, {"payload": [{**variant, "type": 1}]})
    scripted.answer("/v1/attachments", 200, {"message": "ok", "payload": {"attachmentId": 77}})
    scripted.answer(
        "/v1/tasks/assignee/list",
        200,
        {"payload": [{"id": 3, "teamName": None, "users": [{"id": 9, "userName": None, "email": "a@b.c"}]}]},
    )
    scripted.answer("/v1/fields", 200, {"payload": [{"id": 100, "label": "First Name", "fieldType": None}]})
    async with client_over(scripted.app) as client:
        listing = await client.list_sequences()
        assert [sequence.id for sequence in listing.items] == ["11", "12"]
        assert listing.items[0].title == "" and listing.items[0].client is None
        assert listing.items[0].steps[0].id == "21" and listing.items[1].client.display == "Al"
        assert len(listing.errors) == 1 and "not a usable id" in listing.errors[0]
        steps = await client.list_steps("11")
        read = steps.items[0].variants[0]
        assert (read.id, read.attachmentIds, read.assigneeId) == ("31", ["41", "42"], "51")
        assert read.payload == {"subject": "s", "content": "<p>c</p>"}
        again = await client.get_variant("11", "21", "31")  # the id matched although it is a number
        assert again.id == "31"
        tmp = __import__("pathlib").Path(__import__("tempfile").mkdtemp()) / "deck.pdf"
        tmp.write_bytes(b"%PDF")
        assert (await client.upload_attachment(tmp)).id == "77"
        teams = await client.list_assignees()
        assert (teams[0].id, teams[0].users[0].id, teams[0].users[0].userName) == ("3", "9", "")
        assert (await client.list_fields())[0].id == "100"


async def test_unknown_status_channel_and_priority_are_kept_as_data(scripted: Scripted):
    scripted.answer(
        "/v1/sequences/s/steps/t",
        200,
        {
            "payload": [
                {"id": "a", "type": 1, "payload": {"subject": "s", "content": "c"}, "status": 3},
                {"id": "b", "type": 19, "payload": {"note": "new channel"}},
                {"id": "c", "type": 9, "payload": {}, "priority": "Critical", "taskNote": "n"},
            ]
        },
    )
    async with client_over(scripted.app) as client:
        listing = await client.list_variants("s", "t")
    assert not listing.errors
    status, channel, priority = listing.items
    assert status.status == 3 and not status.status_known
    assert isinstance(channel.type, UnknownChannel) and channel.type.label == "Unknown channel 19"
    assert priority.priority == "Critical" and not priority.priority_known
    # Sent back (drafts, history) exactly as they came.
    assert channel.model_dump(mode="json")["type"] == 19
    assert priority.model_dump(mode="json")["priority"] == "Critical"


async def test_a_sequence_id_of_dot_dot_is_one_load_error(sandbox_app):
    # Issue 18 item 12: GET …/steps for ".." used to raise ValueError out of the listing's user.
    extra = [{"id": "..", "title": "dot dot", "active": True, "steps": []}]
    async with client_over(VendorShapes(sandbox_app, extra_sequences=extra)) as client:
        listing = await client.list_sequences()
    assert listing.items and all(sequence.id != ".." for sequence in listing.items)
    assert len(listing.errors) == 1 and "not a usable id" in listing.errors[0]


# -- item 2: known and unknown fields --------------------------------------------------------------


def test_fields_a_read_did_not_return_are_unknown_not_empty():
    thin = Variant.model_validate({"id": "v", "type": "Email", "payload": {"subject": "s", "content": "c"}})
    full = Variant.model_validate(
        {"id": "v", "type": "Email", "payload": {"subject": "s", "content": "c"}, "attachmentIds": ["a", "b"]}
    )
    assert "attachmentIds" not in known_fields(thin) and "attachmentIds" in known_fields(full)
    filled = fill_unknown(thin, full)
    assert filled.attachmentIds == ["a", "b"] and "attachmentIds" in known_fields(filled)
    assert fill_unknown(full, thin) is full  # what a read returned is never overwritten


async def _first(client: SaleshandyClient, test) -> tuple[VariantKey, Variant]:
    for key, variant in await _all_variants(client):
        if test(variant):
            return key, variant
    raise AssertionError("the demo account has no such variant")


@pytest.mark.parametrize("priority_as", ["name", "number"])
async def test_the_thin_pre_save_read_is_no_conflict_and_sends_only_the_edit(sandbox_app, priority_as: str):
    # The base comes from GET …/steps (priority, attachmentIds); the re-read from GET …/steps/{id}
    # has the seven spec fields only. Before: a false conflict (priority None, attachmentIds []).
    vendor = VendorShapes(sandbox_app, thin_listing=False, priority_as=priority_as)
    async with client_over(vendor) as client:
        key, task = await _first(client, lambda v: v.type is Channel.CALL_INTRODUCTION and v.priority is not None)
        mine = task.model_copy(update={"taskNote": "Call before noon"})
        outcome = await save_variant(client, key, base=task, mine=mine)
        assert outcome.result is SaveResult.SAVED, outcome.text
        assert vendor.patches[-1] == {"taskNote": "Call before noon"}
        assert outcome.after.priority == task.priority  # still known after the save

        key, email = await _first(client, lambda v: v.type is Channel.EMAIL and v.attachmentIds)
        mine = email.model_copy(update={"payload": {**email.payload, "subject": "A new subject"}})
        outcome = await save_variant(client, key, base=email, mine=mine)
        assert outcome.result is SaveResult.SAVED, outcome.text
        assert set(vendor.patches[-1]) == {"payload"}
        assert outcome.after.attachmentIds == email.attachmentIds


async def test_a_teammates_change_to_a_field_both_reads_return_is_still_a_conflict(sandbox_app):
    # Unknown fields are left out of the comparison; known ones are not.
    vendor = VendorShapes(sandbox_app, thin_listing=False)
    async with client_over(vendor) as client:
        key, task = await _first(client, lambda v: v.type is Channel.CALL_INTRODUCTION)
        sandbox_app.state.store.update_variant(*key, {"taskNote": "Changed by a teammate"})
        mine = task.model_copy(update={"taskNote": "My note"})
        outcome = await save_variant(client, key, base=task, mine=mine)
    assert outcome.result is SaveResult.CONFLICT
    assert [conflict.path for conflict in outcome.conflicts] == ["taskNote"]
    assert not vendor.patches


async def test_a_thin_listing_sends_neither_attachments_nor_priority(sandbox_app):
    vendor = VendorShapes(sandbox_app, thin_listing=True)
    async with client_over(vendor) as client:
        key, task = await _first(client, lambda v: v.type is Channel.CALL_INTRODUCTION)
        assert "priority" not in known_fields(task)
        outcome = await save_variant(client, key, base=task, mine=task.model_copy(update={"taskNote": "Hi"}))
        assert outcome.result is SaveResult.SAVED, outcome.text
        assert vendor.patches[-1] == {"taskNote": "Hi"}


def test_a_restored_draft_does_not_send_what_its_read_never_returned(tmp_path):
    # A draft of a thin copy, restored onto a fuller one: before, its attachmentIds [] (an
    # unknown's default, stored as a value) was applied as an edit and sent, deleting the files.
    thin = Variant.model_validate({"id": "v", "type": "Email", "payload": {"subject": "s", "content": "c"}})
    edited = thin.model_copy(update={"payload": {"subject": "new", "content": "c"}})
    store = DraftStore(tmp_path / "drafts.sqlite3")
    store.save_draft(DraftKey("acct", "q", "t", "v"), base=thin, edited=edited)
    workspace = Workspace()
    full = Variant.model_validate(
        {"id": "v", "type": "Email", "payload": {"subject": "s", "content": "c"}, "attachmentIds": ["a1", "a2"]}
    )
    from tui.api.models import Sequence, Step

    workspace.add_sequences([Sequence(id="q", title="Q")])
    workspace.set_steps("q", [Step(id="t", type="Email", absoluteDays=1, variants=[full])])
    keeper = DraftKeeper(workspace, store, "acct")
    keeper.restore()
    body = workspace.update_for(VariantKey("q", "t", "v")).body()
    assert body == {"payload": {"subject": "new", "content": "c"}}
    store.close()


# -- item 3 and 4 -------------------------------------------------------------------------------------


async def test_payload_keys_the_server_returned_go_back_unchanged(sandbox_app):
    vendor = VendorShapes(sandbox_app, thin_listing=True)
    async with client_over(vendor) as client:
        key, email = await _first(client, lambda v: v.type is Channel.EMAIL)
        assert email.payload[EXTRA_KEY] == 42
        mine = email.model_copy(update={"payload": {**email.payload, "subject": "Fresh subject"}})
        outcome = await save_variant(client, key, base=email, mine=mine)
    assert outcome.result is SaveResult.SAVED, outcome.text
    assert vendor.patches[-1]["payload"][EXTRA_KEY] == 42


@pytest.mark.parametrize(
    "raw, sent",
    [(3, 1), ("3", "1"), ("Normal", "Urgent"), ("normal", "Urgent"), (None, "Urgent")],
    ids=["number", "numeric-string", "name", "lower-case-name", "never-shown"],
)
def test_priority_goes_back_in_the_form_the_server_used(raw: Any, sent: Any):
    data: dict[str, Any] = {"id": "v", "type": "Custom", "payload": {}, "taskNote": "n"}
    if raw is not None:
        data["priority"] = raw
    server = Variant.model_validate(data)
    edited = server.model_copy(update={"priority": Priority.URGENT})
    assert build_update(server, edited).body() == {"priority": sent}
    # A draft or history copy keeps the form too: read back, it still answers the same way.
    again = Variant.model_validate_json(server.model_dump_json(exclude_unset=True))
    assert build_update(again, edited).body() == {"priority": sent}


def test_one_place_decides_the_priority_encoding():
    assert [encode_priority(Priority.HIGH, how) for how in ("number", "string", "name", None)] == [
        2,
        "2",
        "High",
        "High",
    ]


def test_lint_all_reads_a_vendor_account_with_a_dot_dot_sequence(sandbox_app, monkeypatch, capsys):
    # Issue 18 item 12: lint --all crashed on a sequence id of ".."; issue 12: it read 0 variants
    # of a listing whose user.id is a number. Now: every other sequence is checked, the odd one
    # named, and the server's own payload key is a warning, not an error.
    from tui.cli import main
    from tui.sandbox.testing import running_server

    extra = [{"id": "..", "title": "Dot dot", "active": True, "steps": []}]
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    with running_server(VendorShapes(sandbox_app, extra_sequences=extra)) as url:
        code = main(["lint", "--all", "--base-url", url, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and code == 3, err  # a part could not be checked (issue 18.17)
    assert "sequence Dot dot (..) not checked" in err and "not a usable id" in err
    import json

    rows = json.loads(out)
    assert len({row.get("sequence_id") for row in rows if row.get("sequence_id")}) >= 5
    assert any(row["rule_id"] == "api.payload-keys-server" for row in rows)
    assert not any(row["rule_id"] == "api.payload-keys" for row in rows)


def test_headless_preview_takes_the_configs_sample_prospects_on_a_real_account(sandbox_app, monkeypatch, capsys):
    # Issue 12 item 6, headless: `seqedit preview --prospect 1` on an account that is not the
    # sandbox fills from [[sample_prospects]] and never asks for /v1/sandbox/prospects.
    from tui.cli import main
    from tui.config import config_path
    from tui.sandbox.testing import running_server

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[[sample_prospects]]\n"First Name" = "Ada"\nCompany = "Lovelace Ltd"\n', encoding="utf-8")
    monkeypatch.setenv("SALESHANDY_API_KEY", DEMO_API_KEY)
    vendor = VendorShapes(sandbox_app)
    with running_server(vendor) as url:
        sequence = next(s for s in sandbox_app.state.store.list_sequences() if s["title"].startswith("Q4"))
        code = main(["preview", "--base-url", url, "--sequence", sequence["id"], "--prospect", "1", "--width", "100"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Hi Ada," in out and "Lovelace Ltd" in out
    assert not [seen for seen in vendor.paths if "/v1/sandbox/" in seen]


def test_odd_display_values_cost_nothing_but_themselves():
    # An attachment entry without an id or with a size in words, an "active" that is an object:
    # before, each made the whole variant or sequence a load error.
    from tui.api.models import Sequence

    variant = Variant.model_validate(
        {
            "id": "a",
            "type": 1,
            "attachments": [{"id": 1, "size": "12 KB"}, {"name": "no id"}, {"id": "b", "size": "10"}],
        }
    )
    assert [(a.id, a.size) for a in variant.attachments] == [("1", None), ("b", 10)]
    assert Sequence.model_validate({"id": "s", "active": {}}).active is False
    assert Sequence.model_validate({"id": "s", "active": 1}).active is True
