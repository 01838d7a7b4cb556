"""The client against the sandbox, both in-process (ASGI) and over a real uvicorn on 127.0.0.1.

Data the assertions depend on is planted through the store's seeding API, so the tests do not
lean on the demo account's exact contents. Faults are scripted through ``/v1/sandbox/faults``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.api.client import SaleshandyClient
from tui.api.errors import AuthError, NetworkError, NotFoundError, ServerError, UnexpectedResponse, ValidationFailed
from tui.api.models import AddVariant, Variant, VariantUpdate
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.testing import free_port

SUCCESS = "Sequence step variant updated successfully"
EMAIL = {"subject": "Quick idea for {{Company}}", "content": "<p>Hi {{First Name}},</p><p>One idea.</p>"}


class Sleeps:
    """An injected ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class Target:
    """A sandbox reachable one way or the other, with helpers to script it."""

    kind: str
    base_url: str
    transport: Callable[[], httpx.AsyncBaseTransport | None]
    app: Any

    @property
    def store(self) -> Any:
        return self.app.state.store

    def client(self, key: str = DEMO_API_KEY, **options: Any) -> SaleshandyClient:
        options.setdefault("sleep", Sleeps())
        return SaleshandyClient(key, self.base_url, transport=self.transport(), **options)

    async def _sandbox(self, method: str, path: str, body: Any = None) -> Any:
        async with httpx.AsyncClient(base_url=self.base_url, transport=self.transport()) as http:
            response = await http.request(method, path, json=body, headers={"x-api-key": DEMO_API_KEY})
            response.raise_for_status()
            return response.json()["payload"]

    async def fault(self, *faults: dict[str, Any], path: str | None = None, method: str | None = None) -> None:
        body: dict[str, Any] = {"faults": list(faults)}
        if path:
            body["path"] = path
        if method:
            body["method"] = method
        await self._sandbox("POST", "/v1/sandbox/faults", body)

    async def served(self, method: str, prefix: str = "/v1/") -> int:
        """How many ``method`` requests under ``prefix`` reached the sandbox (faulted ones too)."""
        counts = await self._sandbox("GET", "/v1/sandbox/requests")
        return sum(
            int(count)
            for key, count in counts.items()
            if key.startswith(f"{method} {prefix}") and not key.startswith(f"{method} /v1/sandbox/")
        )


@pytest.fixture(params=["in-process", "loopback"])
def target(request: pytest.FixtureRequest, sandbox_app: Any) -> Target:
    if request.param == "in-process":
        return Target("in-process", "http://sandbox.local", lambda: httpx.ASGITransport(app=sandbox_app), sandbox_app)
    live = request.getfixturevalue("live_sandbox")
    return Target("loopback", live.base_url, lambda: None, sandbox_app)


@dataclass
class Planted:
    sequence_id: str
    email_step: str
    email_variants: list[str]
    linkedin_step: str
    linkedin_variant: str


def plant(store: Any, title: str = "zq planted sequence") -> Planted:
    made = store.add_sequence(
        title,
        steps=[
            {
                "channel": "Email",
                "day": 1,
                "variants": [{"payload": EMAIL}, {"payload": {**EMAIL, "subject": "B side"}}],
            },
            {
                "channel": "LinkedInMessage",
                "day": 3,
                "variants": [{"payload": {"message": "Hi there"}, "taskNote": "be kind"}],
            },
        ],
    )
    return Planted(made.sequence_id, made.step_ids[0], made.variant_ids[0], made.step_ids[1], made.variant_ids[1][0])


# -- reading -----------------------------------------------------------------------------------


async def test_list_with_search_and_sort(target: Target):
    for title in ("zq Charlie outreach", "zq alpha outreach", "zq Bravo outreach", "unrelated"):
        target.store.add_sequence(title)
    async with target.client() as client:
        ascending = await client.list_sequences(name="zq", sort="ASC", sort_by="sequence.title")
        descending = await client.list_sequences(name="ZQ", sort="DESC", sort_by="sequence.title")
    titles = [item.title for item in ascending.items]
    assert titles == ["zq alpha outreach", "zq Bravo outreach", "zq Charlie outreach"]
    assert [item.title for item in descending.items] == titles[::-1]
    assert ascending.errors == []


async def test_paging_fetches_every_page_and_stops_at_the_short_one(target: Target):
    planted = {target.store.add_sequence(f"zq paged {index:02d}").sequence_id for index in range(25)}
    async with target.client() as client:
        listing = await client.list_sequences(name="zq paged", page_size=10)
        assert client.request_count == 3
        pages = [len(page.items) async for page in client.iter_sequence_pages(name="zq paged", page_size=10)]
    assert {item.id for item in listing.items} == planted
    assert len(listing.items) == 25 and listing.pages == 3
    assert pages == [10, 10, 5]
    assert await target.served("GET", "/v1/sequences") == 6


async def test_an_exact_multiple_of_the_page_size_costs_one_empty_page(target: Target):
    for index in range(20):
        target.store.add_sequence(f"zq even {index:02d}")
    async with target.client() as client:
        listing = await client.list_sequences(name="zq even", page_size=10)
        assert client.request_count == 3
    assert len(listing.items) == 20


async def test_steps_and_variants(target: Target):
    planted = plant(target.store)
    async with target.client() as client:
        steps = await client.list_steps(planted.sequence_id)
        variants = await client.list_variants(planted.sequence_id, planted.email_step)
        one = await client.get_variant(planted.sequence_id, planted.linkedin_step, planted.linkedin_variant)
    assert [step.id for step in steps.items] == [planted.email_step, planted.linkedin_step]
    assert [step.type.value for step in steps.items] == ["Email", "LinkedInMessage"]
    assert [variant.id for variant in steps.items[0].variants] == planted.email_variants
    assert [variant.payload["subject"] for variant in variants.items] == [EMAIL["subject"], "B side"]
    assert one.payload == {"message": "Hi there"} and one.taskNote == "be kind"


async def test_missing_things_are_not_found(target: Target):
    planted = plant(target.store)
    async with target.client() as client:
        with pytest.raises(NotFoundError):
            await client.list_steps("nosuchseq")
        with pytest.raises(NotFoundError):
            await client.list_variants(planted.sequence_id, "nosuchstep")
        with pytest.raises(NotFoundError):
            await client.get_variant(planted.sequence_id, planted.email_step, "nosuchvar")


async def test_unknown_channel_is_kept_and_the_rest_is_there(target: Target):
    # Issue 12: a step on a channel seqedit does not know is kept (shown, refused at save
    # time), no longer one error line; the other steps are all there.
    planted = plant(target.store)
    target.store.add_step(planted.sequence_id, 7, 9, [{"payload": {}}])
    async with target.client() as client:
        steps = await client.list_steps(planted.sequence_id)
    assert [step.id for step in steps.items][:2] == [planted.email_step, planted.linkedin_step]
    assert not steps.errors
    unknown = [step for step in steps.items if step.type.label == "Unknown channel 7"]
    assert len(unknown) == 1 and len(unknown[0].variants) == 1


async def test_assignees_fields_and_prospects(target: Target):
    async with target.client() as client:
        teams = await client.list_assignees()
        fields = await client.list_fields()
        prospects = await client.list_prospects()
    assert teams and all(team.teamName for team in teams)
    assert any(team.users for team in teams)
    labels = {field.label for field in fields}
    assert "First Name" in labels
    assert prospects and all(prospect.id for prospect in prospects)
    assert any(prospect.fields for prospect in prospects)


# -- writing -----------------------------------------------------------------------------------


async def test_patch_happy_path_returns_the_seed_response_and_shows_on_next_get(target: Target):
    planted = plant(target.store)
    variant_id = planted.email_variants[0]
    new_payload = {**EMAIL, "subject": "A sharper subject"}
    async with target.client() as client:
        result = await client.update_variant(
            planted.sequence_id, planted.email_step, variant_id, VariantUpdate(payload=new_payload, status=0)
        )
        after = await client.get_variant(planted.sequence_id, planted.email_step, variant_id)
    assert (result.message, result.payload) == (SUCCESS, 1)
    assert after.payload == new_payload and after.status == 0


async def test_rejected_patch_carries_the_servers_message_and_changes_nothing(target: Target):
    planted = plant(target.store)
    variant_id = planted.email_variants[0]
    before = target.store.get_variant(variant_id)
    async with target.client() as client:
        with pytest.raises(ValidationFailed) as caught:
            await client.update_variant(
                planted.sequence_id, planted.email_step, variant_id, VariantUpdate(taskNote="call them")
            )
    assert caught.value.status == 400
    assert any("taskNote" in message for message in caught.value.messages)
    assert "taskNote" in str(caught.value)
    assert target.store.get_variant(variant_id) == before


async def test_add_variant_returns_the_new_variant(target: Target):
    planted = plant(target.store)
    async with target.client() as client:
        added = await client.add_variant(
            planted.sequence_id, planted.email_step, AddVariant(type="Email", payload={**EMAIL, "subject": "C side"})
        )
        listing = await client.list_variants(planted.sequence_id, planted.email_step)
    assert isinstance(added, Variant) and added.payload["subject"] == "C side"
    assert [variant.id for variant in listing.items] == [*planted.email_variants, added.id]


async def test_upload_an_attachment_and_attach_it(target: Target, tmp_path: Path):
    planted = plant(target.store)
    file = tmp_path / "pricing.pdf"
    file.write_bytes(b"%PDF-1.4 not really a pdf\n" * 100)
    async with target.client() as client:
        attachment = await client.upload_attachment(file)
        await client.update_variant(
            planted.sequence_id,
            planted.email_step,
            planted.email_variants[0],
            VariantUpdate(attachmentIds=[attachment.id]),
        )
        after = await client.get_variant(planted.sequence_id, planted.email_step, planted.email_variants[0])
    assert attachment.id and attachment.name == "pricing.pdf" and attachment.size == file.stat().st_size
    assert after.attachmentIds == [attachment.id]


# -- faults ------------------------------------------------------------------------------------


async def test_429_then_success_honours_retry_after(target: Target):
    planted = plant(target.store)
    await target.fault({"status": 429, "retryAfter": 2}, path="/v1/sequences", method="GET")
    sleeps = Sleeps()
    async with target.client(sleep=sleeps) as client:
        listing = await client.list_sequences(name="zq planted")
    assert [item.id for item in listing.items] == [planted.sequence_id]
    assert len(sleeps.waits) == 1 and 2 <= sleeps.waits[0] <= 2.5


async def test_patch_retried_after_429(target: Target):
    planted = plant(target.store)
    await target.fault({"status": 429, "retryAfter": 1}, method="PATCH")
    sleeps = Sleeps()
    async with target.client(sleep=sleeps) as client:
        result = await client.update_variant(
            planted.sequence_id, planted.email_step, planted.email_variants[0], VariantUpdate(status=0)
        )
    assert result.payload == 1 and len(sleeps.waits) == 1 and sleeps.waits[0] >= 1
    assert await target.served("PATCH") == 2


async def test_5xx_is_retried_for_get(target: Target):
    planted = plant(target.store)
    await target.fault({"status": 503}, {"status": 500}, path="/v1/sequences/", method="GET")
    sleeps = Sleeps()
    async with target.client(sleep=sleeps) as client:
        steps = await client.list_steps(planted.sequence_id)
        assert client.request_count == 3
    assert len(steps.items) == 2 and len(sleeps.waits) == 2


async def test_5xx_is_not_retried_for_patch(target: Target):
    planted = plant(target.store)
    await target.fault({"status": 503}, method="PATCH")
    sleeps = Sleeps()
    async with target.client(sleep=sleeps) as client:
        with pytest.raises(ServerError):
            await client.update_variant(
                planted.sequence_id, planted.email_step, planted.email_variants[0], VariantUpdate(status=0)
            )
    assert sleeps.waits == []
    assert await target.served("PATCH") == 1


async def test_patch_dropped_after_sending_is_outcome_unknown_and_not_retried(target: Target):
    planted = plant(target.store)
    variant_id = planted.email_variants[0]
    await target.fault({"drop": "after"}, method="PATCH")
    sleeps = Sleeps()
    async with target.client(sleep=sleeps) as client:
        with pytest.raises(NetworkError) as caught:
            await client.update_variant(planted.sequence_id, planted.email_step, variant_id, VariantUpdate(status=0))
    assert caught.value.sent is None
    assert "may or may not" in str(caught.value)
    assert sleeps.waits == []
    assert await target.served("PATCH") == 1
    assert target.store.get_variant(variant_id)["status"] == 0  # it did happen: hence "re-read first"


async def test_get_dropped_mid_response_is_retried(target: Target):
    plant(target.store)
    await target.fault({"drop": "before"}, path="/v1/sequences", method="GET")
    async with target.client() as client:
        listing = await client.list_sequences(name="zq planted")
    assert len(listing.items) == 1


async def test_truncated_json_is_unexpected_response(target: Target):
    planted = plant(target.store)
    await target.fault({"status": 200, "body": '{"trunc'}, path="/v1/sequences/", method="GET")
    async with target.client() as client:
        with pytest.raises(UnexpectedResponse) as caught:
            await client.list_steps(planted.sequence_id)
    assert "not valid JSON" in str(caught.value)


async def test_bad_key_is_auth_error_without_the_key(target: Target, caplog: pytest.LogCaptureFixture):
    wrong = "sk-live-0123456789abcdef-wrong"
    caplog.set_level(logging.DEBUG)
    async with target.client(key=wrong) as client:
        with pytest.raises(AuthError) as caught:
            await client.list_sequences()
    error = caught.value
    assert error.status == 401
    assert wrong not in str(error) and wrong not in repr(error) and all(wrong not in m for m in error.messages)
    assert wrong not in caplog.text
    assert "GET /v1/sequences" in str(error)


async def test_connection_refused_is_network_error_not_sent():
    port = free_port()
    sleeps = Sleeps()
    async with SaleshandyClient(DEMO_API_KEY, f"http://127.0.0.1:{port}", sleep=sleeps, max_retries=2) as client:
        with pytest.raises(NetworkError) as got:
            await client.list_fields()
        with pytest.raises(NetworkError) as patched:
            await client.update_variant("s", "t", "v", VariantUpdate(status=1))
        assert client.request_count == 0
    assert got.value.sent is False and patched.value.sent is False
    assert "nothing was sent" in str(patched.value)
    assert len(sleeps.waits) == 4, "a PATCH may be retried when the connection was refused"


async def test_read_timeout_retries_a_get_but_not_a_patch(live_sandbox: Any):
    store = live_sandbox.store
    planted = plant(store)
    target = Target("loopback", live_sandbox.base_url, lambda: None, live_sandbox.app)
    await target.fault({"delayMs": 2500}, path="/v1/sequences/", method="GET")
    await target.fault({"delayMs": 2500}, method="PATCH")
    sleeps = Sleeps()
    # The retry must answer within the limit, so it is not so short that a loaded machine misses it.
    async with target.client(timeout=5.0, sleep=sleeps) as client:
        client.timeout = 0.8
        assert client.timeout == 0.8
        steps = await client.list_steps(planted.sequence_id)
        assert len(steps.items) == 2 and len(sleeps.waits) == 1
        with pytest.raises(NetworkError) as caught:
            await client.update_variant(
                planted.sequence_id, planted.email_step, planted.email_variants[0], VariantUpdate(status=0)
            )
    assert caught.value.sent is None and "did not answer in time" in str(caught.value)
    assert len(sleeps.waits) == 1


async def test_the_key_is_in_no_log_line_or_event(target: Target, caplog: pytest.LogCaptureFixture):
    planted = plant(target.store)
    events: list[Any] = []
    caplog.set_level(logging.DEBUG)  # httpx and httpcore debug logging included
    await target.fault({"status": 429, "retryAfter": 1}, {"status": 503}, path="/v1/sequences", method="GET")
    async with target.client(on_event=events.append) as client:
        await client.list_sequences(name="zq planted")
        with pytest.raises(ValidationFailed):
            await client.update_variant(
                planted.sequence_id, planted.email_step, planted.email_variants[0], VariantUpdate(taskNote="x")
            )
    assert "retrying" in caplog.text and "ValidationFailed" in caplog.text
    assert DEMO_API_KEY not in caplog.text
    assert all(DEMO_API_KEY not in repr(event) for event in events)
