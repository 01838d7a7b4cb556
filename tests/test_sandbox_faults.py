"""Scripted faults, fault options and the request counter of the sandbox (in-process)."""

from __future__ import annotations

import httpx
import pytest

from tui.sandbox import DEMO_API_KEY
from tui.sandbox.app import create_app

PATCH_TEMPLATE = "PATCH /v1/sequences/{sequenceId}/steps/{stepId}/variants/{variantId}"


async def _first_email_variant(client) -> tuple[str, dict]:
    sequence = (await client.get("/v1/sequences", params={"sequenceName": "Q4 Outbound"})).json()["payload"][0]
    step_id = sequence["steps"][0]["id"]
    variant = (await client.get(f"/v1/sequences/{sequence['id']}/steps/{step_id}")).json()["payload"][0]
    return f"/v1/sequences/{sequence['id']}/steps/{step_id}/variants/{variant['id']}", variant


async def _queue(client, faults, **where) -> None:
    response = await client.post("/v1/sandbox/faults", json={"faults": faults, **where})
    assert response.status_code == 200, response.text
    assert response.json()["message"].startswith("Sandbox only")


async def test_faults_are_consumed_one_per_request_in_order(sandbox_http):
    await _queue(sandbox_http, [{"status": 429, "retryAfter": 2}, {"status": 503}])
    first = await sandbox_http.get("/v1/fields")
    assert first.status_code == 429
    assert first.headers["retry-after"] == "2" and first.headers["x-ratelimit-remaining"] == "0"
    assert "x-ratelimit-reset" in first.headers
    second = await sandbox_http.get("/v1/fields")
    assert second.status_code == 503 and second.json()["statusCode"] == 503
    assert (await sandbox_http.get("/v1/fields")).status_code == 200


async def test_a_truncated_body_is_served_as_given(sandbox_http):
    await _queue(sandbox_http, [{"status": 200, "body": '{"trunc'}])
    response = await sandbox_http.get("/v1/sequences")
    assert response.status_code == 200 and response.text == '{"trunc'


async def test_faults_only_hit_matching_path_and_method(sandbox_http):
    url, _ = await _first_email_variant(sandbox_http)
    await _queue(sandbox_http, [{"status": 500}], path="/v1/sequences/", method="patch")
    assert (await sandbox_http.get("/v1/sequences")).status_code == 200
    assert (await sandbox_http.get(url.split("/variants/")[0])).status_code == 200
    assert (await sandbox_http.patch(url, json={"status": 1})).status_code == 500
    assert (await sandbox_http.patch(url, json={"status": 1})).status_code == 200


async def test_clearing_faults(sandbox_http):
    await _queue(sandbox_http, [{"status": 503}, {"status": 503}])
    assert (await sandbox_http.delete("/v1/sandbox/faults")).status_code == 200
    assert (await sandbox_http.get("/v1/fields")).status_code == 200


async def test_sandbox_endpoints_are_never_faulted(sandbox_http):
    await _queue(sandbox_http, [{"status": 503}])
    assert (await sandbox_http.get("/v1/sandbox/prospects")).status_code == 200
    assert (await sandbox_http.get("/v1/sandbox/requests")).status_code == 200
    assert (await sandbox_http.get("/v1/fields")).status_code == 503


async def test_drop_after_applies_the_patch_then_breaks_the_response(sandbox_http):
    url, variant = await _first_email_variant(sandbox_http)
    await _queue(sandbox_http, [{"drop": "after"}], method="PATCH")
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox_http.patch(url, json={"status": 0})
    _, after = await _first_email_variant(sandbox_http)
    assert variant["status"] == 1 and after["status"] == 0


async def test_drop_before_breaks_the_response_without_applying(sandbox_http):
    url, variant = await _first_email_variant(sandbox_http)
    await _queue(sandbox_http, [{"drop": "before"}], method="PATCH")
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox_http.patch(url, json={"status": 0})
    _, after = await _first_email_variant(sandbox_http)
    assert after == variant


@pytest.mark.parametrize(
    "body",
    [
        {"faults": "x"},
        {"faults": [{"drop": "sideways"}]},
        {"faults": [{"status": 42}]},
        {"faults": [{"colour": 1}]},
        [1],
    ],
)
async def test_unreadable_fault_scripts_are_400(sandbox_http, body):
    response = await sandbox_http.post("/v1/sandbox/faults", json=body)
    assert response.status_code == 400


async def test_the_request_counter_groups_by_route_template(sandbox_http):
    url, _ = await _first_email_variant(sandbox_http)
    await sandbox_http.delete("/v1/sandbox/requests")
    for _ in range(3):
        await sandbox_http.patch(url, json={"status": 1})
    await sandbox_http.get("/v1/sequences")
    counts = (await sandbox_http.get("/v1/sandbox/requests")).json()["payload"]
    assert counts == {PATCH_TEMPLATE: 3, "GET /v1/sequences": 1}


async def _client(app):
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://s", headers={"x-api-key": DEMO_API_KEY}
    )


async def test_the_rate_limit_option_answers_429_with_headers():
    app = create_app(rate_limit=3)
    async with await _client(app) as client:
        statuses, limited, allowed = [], None, []
        for _ in range(8):
            response = await client.get("/v1/fields")
            statuses.append(response.status_code)
            if response.status_code == 429:
                limited = response
            else:
                allowed.append(response)
    # Eight quick requests span at most two one-second windows of 3: some pass, some are refused.
    assert 3 <= statuses.count(200) <= 6 and 429 in statuses
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["x-ratelimit-remaining"] == "0" and "x-ratelimit-reset" in limited.headers
    assert allowed[0].headers["x-ratelimit-remaining"] in ("0", "1", "2")


async def test_the_fail_rate_option_is_seeded():
    async def run() -> list[int]:
        async with await _client(create_app(fail_rate=0.5)) as client:
            return [(await client.get("/v1/fields")).status_code for _ in range(30)]

    first, second = await run(), await run()
    assert first == second
    assert set(first) == {200, 503}


async def test_retry_after_goes_on_any_scripted_status_and_body(sandbox_http):
    await _queue(sandbox_http, [{"status": 503, "body": '{"message": "busy"}', "retryAfter": 0}, {"status": 503}])
    first = await sandbox_http.get("/v1/fields")
    assert first.status_code == 503 and first.text == '{"message": "busy"}'
    assert first.headers["retry-after"] == "0" and "x-ratelimit-reset" not in first.headers
    second = await sandbox_http.get("/v1/fields")
    assert second.status_code == 503 and "retry-after" not in second.headers
