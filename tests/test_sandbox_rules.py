"""Every rule the sandbox enforces on PATCH (and POST) of a variant, over HTTP in-process."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

SUCCESS = {"message": "Sequence step variant updated successfully", "payload": 1}


@dataclass
class Planted:
    sequence_id: str
    steps: dict[str, str]  # label → step id
    variants: dict[str, str]  # label → first variant id
    attachment_id: str
    assignee_id: str

    def url(self, label: str, variant: str | None = None) -> str:
        return f"/v1/sequences/{self.sequence_id}/steps/{self.steps[label]}/variants/{variant or self.variants[label]}"

    def step_url(self, label: str) -> str:
        return f"/v1/sequences/{self.sequence_id}/steps/{self.steps[label]}"


@pytest.fixture
def planted(sandbox_app) -> Planted:
    """A sequence with one step of each kind the rules care about, planted through the store."""
    store = sandbox_app.state.store
    team = store.add_team("Rules team")
    who = store.add_user("Rule", "Tester", "rule@example.com", team_id=team)
    attachment = store.add_attachment("brochure.pdf", 1000, "application/pdf")["id"]
    layout = {
        "email": (
            "Email",
            1,
            [
                {"payload": {"subject": "Hello", "content": "<p>Hi</p>"}},
                {"payload": {"subject": "B", "content": "<p>B</p>"}},
            ],
        ),
        "email2": ("Email", 3, [{"payload": {"subject": "", "content": "<p>Again</p>"}}]),
        "request": ("LinkedInConnectionRequest", 2, [{"payload": {"connectionNote": "Hi"}, "taskNote": "note"}]),
        "message": ("LinkedInMessage", 4, [{"payload": {"message": "Hello"}}]),
        "inmail": ("LinkedInInMail", 5, [{"payload": {"subject": "S", "message": "M"}}]),
        "custom": ("Custom", 6, [{"payload": {}, "taskNote": "Do it", "priority": "Normal"}]),
        "call": ("CallDemo", 7, [{"payload": {}}]),
    }
    made = store.add_sequence(
        "Rules", steps=[{"channel": ch, "day": day, "variants": vs} for ch, day, vs in layout.values()]
    )
    labels = list(layout)
    return Planted(
        sequence_id=made.sequence_id,
        steps=dict(zip(labels, made.step_ids)),
        variants={label: ids[0] for label, ids in zip(labels, made.variant_ids)},
        attachment_id=attachment,
        assignee_id=who,
    )


async def _variants(client, planted: Planted, label: str) -> list[dict]:
    response = await client.get(planted.step_url(label))
    assert response.status_code == 200
    return response.json()["payload"]


async def _whole_sequence(client, planted: Planted) -> list[dict]:
    response = await client.get(f"/v1/sequences/{planted.sequence_id}/steps")
    assert response.status_code == 200
    return response.json()["payload"]


REJECTIONS = [
    ("email", {"status": 2}, "status must be 0 (paused) or 1 (active)"),
    ("email", {"status": "1"}, "status must be 0"),
    ("email", {"status": True}, "status must be 0"),
    ("email", {"taskNote": "Call them"}, "taskNote is not allowed on Email variants"),
    ("custom", {"taskNote": "x" * 3001}, "taskNote is over the 3000-character limit"),
    ("custom", {"taskNote": 5}, "taskNote must be a string"),
    ("email", {"payload": {"subject": "Hi"}}, "payload.content is required on Email variants"),
    ("email", {"payload": {"content": "<p>x</p>"}}, "payload.subject is required on Email variants"),
    (
        "email",
        {"payload": {"subject": "Hi", "content": "x", "message": "no"}},
        "payload key 'message' is not allowed on Email",
    ),
    ("email", {"payload": {"subject": 3, "content": "x"}}, "payload.subject must be a string"),
    ("email", {"payload": "subject"}, "payload must be an object"),
    ("request", {"payload": {}}, "payload.connectionNote is required on LinkedInConnectionRequest"),
    ("request", {"payload": {"connectionNote": "x" * 301}}, "payload.connectionNote is over the 300-character limit"),
    ("message", {"payload": {"message": "x" * 8001}}, "payload.message is over the 8000-character limit"),
    ("inmail", {"payload": {"subject": "x" * 201, "message": "m"}}, "payload.subject is over the 200-character limit"),
    (
        "inmail",
        {"payload": {"subject": "s", "message": "x" * 1901}},
        "payload.message is over the 1900-character limit",
    ),
    ("inmail", {"payload": {"subject": "s"}}, "payload.message is required on LinkedInInMail"),
    ("call", {"payload": {"subject": "x"}}, "payload key 'subject' is not allowed on CallDemo"),
    ("email", {"absoluteDays": 0}, "absoluteDays must be a whole number from 1 to 999"),
    ("email", {"absoluteDays": 1000}, "absoluteDays must be a whole number from 1 to 999"),
    ("email", {"absoluteDays": 2.5}, "absoluteDays must be a whole number"),
    ("email", {"absoluteDays": 3}, "absoluteDays 3 already holds an Email step"),
    ("request", {"attachmentIds": []}, "attachmentIds are not allowed on LinkedInConnectionRequest variants"),
    ("email", {"attachmentIds": ["nope000000"]}, "unknown attachment id(s) nope000000"),
    ("email", {"attachmentIds": "abc"}, "attachmentIds must be a list of strings"),
    ("custom", {"priority": "Critical"}, "priority must be Urgent, High, Normal or Low"),
    ("custom", {"priority": 5}, "priority must be Urgent, High, Normal or Low"),
    ("email", {"type": "LinkedInMessage"}, "type LinkedInMessage does not match the step's channel Email"),
    ("email", {"type": 3}, "does not match the step's channel Email"),
    ("email", {"type": "Fax"}, "type is not a known channel"),
    ("custom", {"assigneeId": "ghost00000"}, "assigneeId ghost00000 is not a known assignee"),
    ("email", {"colour": "red"}, "unknown field(s) 'colour'"),
]


@pytest.mark.parametrize(
    ("label", "body", "expected"), REJECTIONS, ids=[f"{r[0]}-{next(iter(r[1]))}-{i}" for i, r in enumerate(REJECTIONS)]
)
async def test_a_broken_rule_is_rejected_and_nothing_changes(sandbox_http, planted, label, body, expected):
    before = await _whole_sequence(sandbox_http, planted)
    response = await sandbox_http.patch(planted.url(label), json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["statusCode"] == 400 and error["code"] == 1001 and error["error"] == "Bad Request"
    messages = error["message"] if isinstance(error["message"], list) else [error["message"]]
    assert any(expected in message for message in messages), messages
    assert await _whole_sequence(sandbox_http, planted) == before


async def test_several_broken_rules_are_all_named_and_the_valid_parts_are_not_applied(sandbox_http, planted):
    before = await _whole_sequence(sandbox_http, planted)
    body = {"status": 0, "taskNote": "no", "payload": {"subject": "New", "content": "<p>new</p>"}, "absoluteDays": 3}
    response = await sandbox_http.patch(planted.url("email"), json=body)
    assert response.status_code == 400
    messages = response.json()["message"]
    assert isinstance(messages, list) and len(messages) == 2
    assert await _whole_sequence(sandbox_http, planted) == before


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe"])
async def test_a_body_that_is_not_a_json_object_is_rejected(sandbox_http, planted, raw):
    before = await _whole_sequence(sandbox_http, planted)
    response = await sandbox_http.patch(planted.url("email"), content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["statusCode"] == 400
    assert await _whole_sequence(sandbox_http, planted) == before


async def test_the_happy_path_returns_the_seed_response_and_shows_on_the_next_get(sandbox_http, planted):
    body = {
        "status": 0,
        "payload": {"subject": "Following up, {{firstName}}", "content": "<p>Hi</p>", "preheader": "Following up"},
        "attachmentIds": [planted.attachment_id],
        "type": "Email",
    }
    response = await sandbox_http.patch(planted.url("email"), json=body)
    assert response.status_code == 200
    assert response.json() == SUCCESS
    first, second = await _variants(sandbox_http, planted, "email")
    assert first["status"] == 0
    assert first["payload"] == body["payload"]
    assert first["attachmentIds"] == [planted.attachment_id]
    assert first["attachments"] == [
        {"id": planted.attachment_id, "name": "brochure.pdf", "size": 1000, "contentType": "application/pdf"}
    ]
    assert second["payload"] == {"subject": "B", "content": "<p>B</p>"}  # the other variant is untouched


async def test_task_fields_update_and_priority_codes_come_back_as_names(sandbox_http, planted):
    body = {"taskNote": "Call before noon", "priority": 1, "assigneeId": planted.assignee_id, "type": 9}
    response = await sandbox_http.patch(planted.url("custom"), json=body)
    assert response.json() == SUCCESS
    (variant,) = await _variants(sandbox_http, planted, "custom")
    assert (variant["taskNote"], variant["priority"], variant["assigneeId"]) == (
        "Call before noon",
        "Urgent",
        planted.assignee_id,
    )
    assert variant["executionType"] == "Manual" and variant["stepStatus"] == 1


async def test_absolute_days_moves_the_step_and_all_its_variants(sandbox_http, planted):
    response = await sandbox_http.patch(planted.url("email"), json={"absoluteDays": 8})
    assert response.json() == SUCCESS
    steps = await _whole_sequence(sandbox_http, planted)
    moved = next(step for step in steps if step["id"] == planted.steps["email"])
    assert moved["absoluteDays"] == 8
    assert {variant["absoluteDays"] for variant in moved["variants"]} == {8}
    assert [step["number"] for step in steps] == list(range(1, len(steps) + 1))
    assert steps[-1]["id"] == planted.steps["email"]  # day 8 is now the last day


async def test_an_email_step_may_keep_its_own_day_and_a_task_may_share_an_email_day(sandbox_http, planted):
    assert (await sandbox_http.patch(planted.url("email"), json={"absoluteDays": 1})).json() == SUCCESS
    assert (await sandbox_http.patch(planted.url("custom"), json={"absoluteDays": 3})).json() == SUCCESS


async def test_an_empty_attachment_list_removes_all_attachments(sandbox_http, planted):
    await sandbox_http.patch(planted.url("email"), json={"attachmentIds": [planted.attachment_id]})
    assert (await sandbox_http.patch(planted.url("email"), json={"attachmentIds": []})).json() == SUCCESS
    assert (await _variants(sandbox_http, planted, "email"))[0]["attachmentIds"] == []


async def test_tolerated_payload_keys_round_trip(sandbox_http, planted):
    payload = {"title": "Send deck", "action": {"name": "Open", "url": "https://example.com"}}
    assert (await sandbox_http.patch(planted.url("custom"), json={"payload": payload})).json() == SUCCESS
    assert (await _variants(sandbox_http, planted, "custom"))[0]["payload"] == payload


@pytest.mark.parametrize(
    "where",
    ["unknown-sequence", "unknown-step", "unknown-variant", "variant-of-another-step"],
)
async def test_unknown_or_misplaced_ids_are_404(sandbox_http, planted, where):
    urls = {
        "unknown-sequence": f"/v1/sequences/zzzzzzzzzz/steps/{planted.steps['email']}/variants/{planted.variants['email']}",
        "unknown-step": f"/v1/sequences/{planted.sequence_id}/steps/zzzzzzzzzz/variants/{planted.variants['email']}",
        "unknown-variant": planted.url("email", "zzzzzzzzzz"),
        "variant-of-another-step": planted.url("email", planted.variants["email2"]),
    }
    before = await _whole_sequence(sandbox_http, planted)
    response = await sandbox_http.patch(urls[where], json={"status": 0})
    assert response.status_code == 404
    assert response.json()["statusCode"] == 404
    assert await _whole_sequence(sandbox_http, planted) == before


async def test_adding_an_email_variant_returns_it_and_lists_it(sandbox_http, planted):
    body = {
        "type": "Email",
        "payload": {"subject": "C", "content": "<p>C</p>"},
        "attachmentIds": [planted.attachment_id],
    }
    response = await sandbox_http.post(planted.step_url("email") + "/variants", json=body)
    assert response.status_code == 201
    new = response.json()["payload"]
    assert new["payload"] == body["payload"] and new["attachmentIds"] == [planted.attachment_id]
    assert [v["id"] for v in await _variants(sandbox_http, planted, "email")][-1] == new["id"]


@pytest.mark.parametrize(
    ("label", "body", "expected"),
    [
        ("email", {"payload": {"subject": "x", "content": "y"}}, "type is required when adding a variant"),
        ("email", {"type": "Email"}, "payload is required when adding a variant"),
        (
            "request",
            {"type": "LinkedInConnectionRequest", "payload": {"connectionNote": "x"}},
            "holds one active variant",
        ),
        (
            "email",
            {"type": "Email", "payload": {"subject": "x", "content": "y"}, "taskNote": "no"},
            "taskNote is not allowed",
        ),
    ],
)
async def test_adding_a_variant_checks_the_rules(sandbox_http, planted, label, body, expected):
    before = await _whole_sequence(sandbox_http, planted)
    response = await sandbox_http.post(planted.step_url(label) + "/variants", json=body)
    assert response.status_code == 400
    messages = response.json()["message"]
    assert expected in (messages if isinstance(messages, str) else " | ".join(messages))
    assert await _whole_sequence(sandbox_http, planted) == before


async def test_an_email_step_holds_at_most_26_variants(sandbox_http, planted):
    body = {"type": "Email", "payload": {"subject": "x", "content": "y"}}
    statuses = [
        (await sandbox_http.post(planted.step_url("email") + "/variants", json=body)).status_code for _ in range(25)
    ]
    assert statuses == [201] * 24 + [400]
    assert len(await _variants(sandbox_http, planted, "email")) == 26
