"""Listing endpoints, auth, uploads, the demo account and the generated accounts of the sandbox."""

from __future__ import annotations

import httpx
import pytest

from tui.api.channels import Channel
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.app import create_app
from tui.sandbox.large import STEPS_PER_SEQUENCE, VARIANTS_PER_SEQUENCE


@pytest.fixture
def paging_app(tmp_path):
    """An app with 23 planted sequences named 'Paging 00' … 'Paging 22', plus the demo."""
    app = create_app(tmp_path / "paging.sqlite3")
    store = app.state.store
    client = store.add_client("Globex", None, None)
    for index in range(23):
        store.add_sequence(f"Paging {index:02d}", client=client if index % 5 == 0 else None)
    yield app
    store.close()


@pytest.fixture
async def paging_http(paging_app):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=paging_app), base_url="http://sandbox", headers={"x-api-key": DEMO_API_KEY}
    ) as client:
        yield client


async def _page(client, **params) -> list[dict]:
    response = await client.get("/v1/sequences", params=params)
    assert response.status_code == 200, response.text
    return response.json()["payload"]


async def test_paging_walks_every_item_once_and_ends_on_a_short_page(paging_http):
    pages = []
    page = 1
    while True:
        items = await _page(
            paging_http, sequenceName="paging", page=page, pageSize=10, sortBy="sequence.title", sort="ASC"
        )
        pages.append(items)
        if len(items) < 10:
            break
        page += 1
    assert [len(items) for items in pages] == [10, 10, 3]
    titles = [item["title"] for items in pages for item in items]
    assert titles == [f"Paging {index:02d}" for index in range(23)]


async def test_a_page_past_the_end_is_empty(paging_http):
    assert await _page(paging_http, sequenceName="paging", page=4, pageSize=10) == []


async def test_search_is_a_case_insensitive_substring(paging_http):
    titles = [item["title"] for item in await _page(paging_http, sequenceName="GING 1")]
    assert sorted(titles) == [f"Paging {index:02d}" for index in range(10, 20)]
    assert await _page(paging_http, sequenceName="%") == []  # no SQL wildcards


async def test_sort_by_title_and_by_creation_both_ways(paging_http):
    asc = [
        item["title"] for item in await _page(paging_http, sequenceName="paging", sortBy="sequence.title", sort="ASC")
    ]
    desc = [
        item["title"] for item in await _page(paging_http, sequenceName="paging", sortBy="sequence.title", sort="DESC")
    ]
    assert asc == sorted(asc) and desc == asc[::-1]
    newest_first = [
        item["title"]
        for item in await _page(paging_http, sequenceName="paging", sortBy="sequence.createdAt", sort="DESC")
    ]
    assert newest_first[0] == "Paging 22" and newest_first[-1] == "Paging 00"


async def test_client_filter(paging_http):
    items = await _page(
        paging_http, clientIds="nobody," + (await _page(paging_http, sequenceName="Paging 05"))[0]["client"]["id"]
    )
    assert sorted(item["title"] for item in items) == ["Paging 00", "Paging 05", "Paging 10", "Paging 15", "Paging 20"]
    assert all(item["client"]["companyName"] == "Globex" for item in items)


@pytest.mark.parametrize(
    "params",
    [{"pageSize": 1001}, {"pageSize": 0}, {"page": 0}, {"page": "two"}, {"sort": "UP"}, {"sortBy": "title"}],
)
async def test_bad_listing_parameters_are_400(paging_http, params):
    response = await paging_http.get("/v1/sequences", params=params)
    assert response.status_code == 400
    assert response.json()["statusCode"] == 400


async def test_page_size_1000_is_allowed(paging_http):
    assert len(await _page(paging_http, pageSize=1000)) == 31  # 23 planted + 8 demo


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}, {"authorization": f"Bearer {DEMO_API_KEY}"}])
@pytest.mark.parametrize("path", ["/v1/sequences", "/v1/fields", "/v1/sandbox/prospects", "/v1/sequences/x/steps"])
async def test_every_endpoint_needs_the_key(sandbox_client_transport, headers, path):
    async with httpx.AsyncClient(transport=sandbox_client_transport, base_url="http://sandbox") as client:
        response = await client.get(path, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["statusCode"] == 401 and isinstance(body["message"], str)
    assert "wrong" not in response.text


async def test_the_api_key_option_changes_the_key(tmp_path):
    app = create_app(tmp_path / "k.sqlite3", api_key="other-key")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        assert (await client.get("/v1/fields", headers={"x-api-key": DEMO_API_KEY})).status_code == 401
        assert (await client.get("/v1/fields", headers={"x-api-key": "other-key"})).status_code == 200
    app.state.store.close()


async def test_the_demo_account_covers_every_channel_and_the_planted_mistakes(sandbox_http):
    sequences = await _page(sandbox_http, pageSize=100)
    assert len(sequences) == 8
    assert {item["active"] for item in sequences} == {True, False}
    assert any(item["client"] and item["client"]["companyName"] for item in sequences)
    channels, emails = set(), []
    for item in sequences:
        response = await sandbox_http.get(f"/v1/sequences/{item['id']}/steps")
        steps = response.json()["payload"]
        assert [step["id"] for step in steps] == [ref["id"] for ref in item["steps"]]
        for step in steps:
            channels.add(Channel.parse(step["type"]))
            if step["type"] == "Email":
                emails.extend(variant["payload"] for variant in step["variants"])
    assert channels == set(Channel)
    texts = " ".join(p["subject"] + p["content"] for p in emails)
    for needle in (
        "{{First Name}}",
        "{{Company}}",
        "{{Pain Point}}",
        "{{First Name|'there'}}",
        "{spin}Hi|Hey|Hello{endspin}",
        "{{Frist Name}}",
        "bit.ly",
        "<ul>",
        "alt=",
    ):
        assert needle in texts, needle
    assert any(len(p["subject"]) > 60 for p in emails)
    assert any(p["subject"] == "" for p in emails)


async def test_assignees_fields_and_prospects(sandbox_http):
    teams = (await sandbox_http.get("/v1/tasks/assignee/list")).json()["payload"]
    assert len(teams) == 2 and all(
        team["users"] and {"id", "userName", "email"} <= set(team["users"][0]) for team in teams
    )
    every = (await sandbox_http.get("/v1/fields", params={"systemFields": "true"})).json()["payload"]
    custom = (await sandbox_http.get("/v1/fields")).json()["payload"]
    assert {"First Name", "Company", "Pain Point"} <= {field["label"] for field in every}
    assert "First Name" not in {field["label"] for field in custom} and custom
    assert any(field.get("fallbackText") for field in custom)
    response = await sandbox_http.get("/v1/sandbox/prospects")
    assert response.json()["message"].startswith("Sandbox only")
    prospects = response.json()["payload"]
    assert 3 <= len(prospects) <= 4
    assert any("First Name" not in prospect["fields"] for prospect in prospects)


async def test_upload_an_attachment_and_use_it(sandbox_http):
    response = await sandbox_http.post("/v1/attachments", files={"file": ("notes.txt", b"hello world", "text/plain")})
    assert response.status_code == 201
    attachment = response.json()["payload"]
    assert (attachment["name"], attachment["size"], attachment["contentType"]) == ("notes.txt", 11, "text/plain")
    sequences = await _page(sandbox_http, sequenceName="Q4 Outbound")
    step = sequences[0]["steps"][0]["id"]
    variants = (await sandbox_http.get(f"/v1/sequences/{sequences[0]['id']}/steps/{step}")).json()["payload"]
    url = f"/v1/sequences/{sequences[0]['id']}/steps/{step}/variants/{variants[0]['id']}"
    assert (await sandbox_http.patch(url, json={"attachmentIds": [attachment["id"]]})).status_code == 200


async def test_uploads_over_25_mb_or_without_a_file_field_are_400(sandbox_http):
    big = await sandbox_http.post("/v1/attachments", files={"file": ("big.bin", b"\0" * (25 * 1024 * 1024 + 1))})
    assert big.status_code == 400 and "25 MB" in big.json()["message"]
    wrong = await sandbox_http.post("/v1/attachments", files={"document": ("a.txt", b"x")})
    assert wrong.status_code == 400
    not_multipart = await sandbox_http.post("/v1/attachments", json={"file": "x"})
    assert not_multipart.status_code == 400


async def test_unknown_paths_and_methods_use_the_error_shape(sandbox_http):
    response = await sandbox_http.get("/v1/unknown")
    assert response.status_code == 404 and response.json()["statusCode"] == 404
    response = await sandbox_http.delete("/v1/sequences")
    assert response.status_code == 405 and response.json()["statusCode"] == 405
    assert (await sandbox_http.get("/v1/sequences/nope/steps")).status_code == 404
    assert (await sandbox_http.get("/v1/sequences/nope/steps/nope")).status_code == 404


def _snapshot(app) -> tuple:
    store = app.state.store
    sequences = store.list_sequences(page_size=1000)
    return tuple((item, store.steps_of(item["id"])) for item in sequences), store.fields(system=True), store.prospects()


def test_the_same_seed_builds_the_same_account_and_another_seed_does_not(tmp_path):
    one, two, other = create_app(), create_app(tmp_path / "two.sqlite3"), create_app(seed=8)
    assert _snapshot(one) == _snapshot(two)
    assert _snapshot(one) != _snapshot(other)
    ids = [item["id"] for item in one.state.store.list_sequences(page_size=1000)]
    assert all(id_.isalnum() for id_ in ids) and len(set(ids)) == len(ids)


def test_a_file_database_keeps_its_edits_until_reset(tmp_path):
    path = tmp_path / "keep.sqlite3"
    app = create_app(path)
    store = app.state.store
    sequence = store.list_sequences(page_size=1)[0]
    step = store.steps_of(sequence["id"])[0]
    store.update_variant(sequence["id"], step["id"], step["variants"][0]["id"], {"status": 0})
    store.close()
    again = create_app(path)
    assert again.state.store.get_variant(step["variants"][0]["id"])["status"] == 0
    again.state.store.close()
    fresh = create_app(path, reset=True)
    assert fresh.state.store.get_variant(step["variants"][0]["id"])["status"] == 1
    fresh.state.store.close()


def test_the_large_generator_builds_the_expected_counts_and_is_reused(tmp_path):
    path = tmp_path / "large.sqlite3"
    app = create_app(path, sequences=300)
    counts = app.state.store.counts()
    assert counts["sequences"] == 300
    assert counts["steps"] == 300 * STEPS_PER_SEQUENCE == 1800
    assert counts["variants"] == 300 * VARIANTS_PER_SEQUENCE == 3600
    first_ids = [item["id"] for item in app.state.store.list_sequences(page_size=1000)]
    app.state.store.close()
    reused = create_app(path, sequences=300)
    assert [item["id"] for item in reused.state.store.list_sequences(page_size=1000)] == first_ids
    reused.state.store.close()
    bigger = create_app(path, sequences=310)
    assert bigger.state.store.counts()["sequences"] == 310
    bigger.state.store.close()


async def test_a_large_account_serves_valid_edits(tmp_path):
    app = create_app(tmp_path / "l.sqlite3", sequences=20)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://s", headers={"x-api-key": DEMO_API_KEY}
    ) as client:
        sequences = (await client.get("/v1/sequences", params={"pageSize": 7, "page": 3})).json()["payload"]
        assert len(sequences) == 6
        steps = (await client.get(f"/v1/sequences/{sequences[0]['id']}/steps")).json()["payload"]
        assert [step["type"] for step in steps].count("Email") == 4
        variant = steps[0]["variants"][0]
        url = f"/v1/sequences/{sequences[0]['id']}/steps/{steps[0]['id']}/variants/{variant['id']}"
        response = await client.patch(url, json={"payload": {**variant["payload"], "subject": "Edited"}})
        assert response.status_code == 200
    app.state.store.close()


HOSTILE = "\x1b]52;c;cHduZWQ=\x07[bold red]pwned[/] \x1b[2J\u202eevil\u202c <script>alert(1)</script> {{x}} ✉"


async def test_hostile_planted_text_is_served_back_byte_for_byte(sandbox_app, sandbox_http):
    store = sandbox_app.state.store
    client = store.add_client(HOSTILE, HOSTILE, None)
    made = store.add_sequence(
        HOSTILE,
        client=client,
        steps=[
            {
                "channel": "Custom",
                "day": 1,
                "name": HOSTILE,
                "variants": [{"payload": {"title": HOSTILE}, "taskNote": HOSTILE}],
            }
        ],
    )
    store.add_field(HOSTILE, fallback_text=HOSTILE)
    store.add_prospect(HOSTILE, {HOSTILE: HOSTILE})
    (item,) = await _page(sandbox_http, sequenceName="pwned")
    assert item["title"] == HOSTILE and item["client"]["companyName"] == HOSTILE and item["steps"][0]["name"] == HOSTILE
    (step,) = (await sandbox_http.get(f"/v1/sequences/{made.sequence_id}/steps")).json()["payload"]
    assert step["variants"][0]["payload"] == {"title": HOSTILE} and step["variants"][0]["taskNote"] == HOSTILE
    assert {"label": HOSTILE, "fallbackText": HOSTILE}.items() <= (await sandbox_http.get("/v1/fields")).json()[
        "payload"
    ][-1].items()
    assert (await sandbox_http.get("/v1/sandbox/prospects")).json()["payload"][-1]["fields"] == {HOSTILE: HOSTILE}


async def test_odd_shapes_can_be_planted_for_client_tests(sandbox_app, sandbox_http):
    store = sandbox_app.state.store
    made = store.add_sequence(
        "Odd shapes",
        steps=[
            {"channel": 99, "day": 1, "variants": [{"payload": {}}]},
            {"channel": "Email", "day": 2, "variants": [{"payload": {}}]},
        ],
    )
    store.set_variant_payload(made.variant_ids[1][0], ["not", "an", "object"])
    steps = (await sandbox_http.get(f"/v1/sequences/{made.sequence_id}/steps")).json()["payload"]
    assert steps[0]["type"] == 99 and steps[0]["variants"][0]["type"] == 99
    assert steps[1]["variants"][0]["payload"] == ["not", "an", "object"]
    # An edit to a step of an unknown channel is refused, not a crash.
    url = f"/v1/sequences/{made.sequence_id}/steps/{made.step_ids[0]}/variants/{made.variant_ids[0][0]}"
    assert (await sandbox_http.patch(url, json={"status": 0})).status_code == 400


async def test_a_page_far_past_the_end_is_empty_not_an_error(sandbox_http):
    assert await _page(sandbox_http, page=10**30, pageSize=1000) == []


def test_sequences_added_after_a_reopen_are_the_newest(tmp_path):
    path = tmp_path / "reopen.sqlite3"
    create_app(path).state.store.close()
    store = create_app(path).state.store
    store.add_sequence("Brand new")
    assert store.list_sequences(page_size=1)[0]["title"] == "Brand new"
    store.close()
