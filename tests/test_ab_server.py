"""Issue 15, the server side: senders, test emails, the outbox and the variant rules, through the
real client over loopback (the sandbox) and over the vendor-shaped server (no /v1/sandbox/*)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.vendor_shapes import VendorShapes
from tui.api.channels import Channel, variant_slots
from tui.api.client import SaleshandyClient
from tui.api.errors import ValidationFailed, sender_not_connected
from tui.api.models import AddVariant, TestEmail
from tui.sandbox import DEMO_API_KEY


def _sequences(store: Any) -> dict[str, str]:
    return {title: sequence_id for sequence_id, title in store.sequence_ids()}


async def test_each_demo_sequence_has_its_senders_and_one_has_none(live_sandbox):
    ids = _sequences(live_sandbox.store)
    async with SaleshandyClient(live_sandbox.api_key, live_sandbox.base_url) as client:
        two = await client.list_email_accounts(ids["Q4 Outbound: Heads of RevOps"])
        one = await client.list_email_accounts(ids["Founders intro"])
        none = await client.list_email_accounts(ids["Partner programme: agencies"])
    assert [account.address for account in two] == ["maya.chen@northpeak.example.com", "sales@northpeak.example.com"]
    assert two[1].display == "Northpeak Sales <sales@northpeak.example.com>"
    assert len(one) == 1 and none == []


async def test_a_test_email_lands_in_the_outbox_as_sent(live_sandbox):
    sequence = _sequences(live_sandbox.store)["Founders intro"]
    async with SaleshandyClient(live_sandbox.api_key, live_sandbox.base_url) as client:
        sender = (await client.list_email_accounts(sequence))[0]
        email = TestEmail(
            fromEmailAccountId=sender.id, to=["me@example.com"], subject="Hi Dana", content="<p>x</p>", preheader="p"
        )
        await client.send_test_email(sequence, email)
        outbox = await client.sandbox_outbox()
    assert outbox[-1]["to"] == ["me@example.com"]
    assert (outbox[-1]["subject"], outbox[-1]["preheader"], outbox[-1]["fromEmail"]) == (
        "Hi Dana",
        "p",
        sender.address,
    )


async def test_a_sender_of_another_sequence_gets_the_vendors_refusal(live_sandbox):
    ids = _sequences(live_sandbox.store)
    async with SaleshandyClient(live_sandbox.api_key, live_sandbox.base_url, max_retries=0) as client:
        other = (await client.list_email_accounts(ids["Q4 Outbound: Heads of RevOps"]))[1]
        email = TestEmail(fromEmailAccountId=other.id, to=["me@example.com"], subject="s", content="c")
        with pytest.raises(ValidationFailed) as caught:
            await client.send_test_email(ids["Founders intro"], email)
        assert sender_not_connected(caught.value)
        bad = TestEmail(fromEmailAccountId=other.id, to=["not an address"], subject="s", content="c")
        with pytest.raises(ValidationFailed) as caught:
            await client.send_test_email(ids["Q4 Outbound: Heads of RevOps"], bad)
        assert not sender_not_connected(caught.value)
        assert "not an email address" in str(caught.value)
    assert live_sandbox.store.outbox() == []


async def test_the_client_never_asks_a_real_server_for_the_outbox(sandbox_app):
    vendor = VendorShapes(sandbox_app)
    transport = httpx.ASGITransport(app=vendor)
    async with SaleshandyClient(DEMO_API_KEY, "http://vendor.test", transport=transport, max_retries=0) as client:
        await client.list_sequences()
        assert await client.sandbox_outbox() == []
    assert not any("/v1/sandbox/" in path for path in vendor.paths)


def _step(store: Any, channel: Channel) -> tuple[str, str, list[dict[str, Any]]]:
    for sequence_id, _ in store.sequence_ids():
        for step in store.steps_of(sequence_id):
            if Channel.parse(step["type"]) is channel:
                return sequence_id, step["id"], step["variants"]
    raise AssertionError(f"no {channel} step in the demo")


async def test_a_linkedin_step_holds_one_active_variant(live_sandbox):
    sequence, step, variants = _step(live_sandbox.store, Channel.LINKEDIN_CONNECTION_REQUEST)
    assert any(item["status"] == 1 for item in variants)
    body = AddVariant(type=Channel.LINKEDIN_CONNECTION_REQUEST, payload={"connectionNote": "Hi"})
    async with SaleshandyClient(live_sandbox.api_key, live_sandbox.base_url, max_retries=0) as client:
        with pytest.raises(ValidationFailed) as caught:
            await client.add_variant(sequence, step, body)
        assert "one active variant" in str(caught.value)
        paused = await client.add_variant(sequence, step, body.model_copy(update={"status": 0}))
        assert paused.status == 0  # type: ignore[union-attr]
        with pytest.raises(ValidationFailed):  # and it cannot be switched on beside the other
            from tui.api.models import VariantUpdate

            await client.update_variant(sequence, step, paused.id, VariantUpdate(status=1))  # type: ignore[union-attr]
    assert len(live_sandbox.store.variants_of(sequence, step)) == len(variants) + 1


def test_email_holds_26_variants_a_to_z():
    assert variant_slots(Channel.EMAIL, [1] * 25).refusal is None
    assert variant_slots(Channel.EMAIL, [1] * 25).next_letter == "Z"
    assert "A to Z" in (variant_slots(Channel.EMAIL, [1] * 26).refusal or "")
    assert variant_slots(Channel.LINKEDIN_MESSAGE, [0, 0]).active_refusal is None
    assert variant_slots(Channel.LINKEDIN_MESSAGE, [0, 1]).active_refusal


async def test_the_vendor_flavor_serves_senders_and_test_emails_but_no_outbox(tmp_path):
    from tui.sandbox.vendor import create_vendor_app

    app = create_vendor_app(tmp_path / "vendor.sqlite3")
    store = app.state.store
    sequence = _sequences(store)["Founders intro"]
    transport = httpx.ASGITransport(app=app)
    async with SaleshandyClient(DEMO_API_KEY, "http://vendor.test", transport=transport, max_retries=0) as client:
        sender = (await client.list_email_accounts(sequence))[0]
        await client.send_test_email(
            sequence, TestEmail(fromEmailAccountId=sender.id, to=["me@example.com"], subject="s", content="c")
        )
        assert client.server_is_sandbox is False
        assert await client.sandbox_outbox() == []
        raw = await client._http.get("/v1/sandbox/outbox", headers={"x-api-key": DEMO_API_KEY})
    assert raw.status_code == 404
    assert [item["to"] for item in store.outbox()] == [["me@example.com"]]
    store.close()


def test_a_letter_fills_tags_as_text_and_keeps_them_without_a_prospect():
    from tui.api.models import Prospect, Variant
    from tui.session.test_email import letter_for, recipients

    variant = Variant(
        id="v", type="Email", payload={"subject": "Hi {{Company}}", "content": "<p>{{Company}} {{City|'there'}}</p>"}
    )
    prospect = Prospect(id="p", name="Ann", fields={"Company": "A<B & Co"})
    letter = letter_for(variant, prospect=prospect)
    assert letter.subject == "Hi A<B & Co"
    assert letter.content == "<p>A&lt;B &amp; Co there</p>"
    assert letter.missing == ["City"]
    bare = letter_for(variant)
    assert (bare.subject, bare.prospect) == ("Hi {{Company}}", "")
    assert recipients("a@b.co; c@d.org x") == (["a@b.co", "c@d.org", "x"], ["x"])
