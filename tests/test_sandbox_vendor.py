"""Issue 12 item 7: the sandbox's vendor flavor serves the vendor's documented shapes.

In process (:class:`tui.sandbox.vendor.VendorShapes` over the demo sandbox) and as
``seqedit sandbox --flavor vendor`` over loopback; the contract flavor stays the default.
"""

from __future__ import annotations

import os
import subprocess
import sys
from email.utils import parsedate_to_datetime

import httpx
import pytest

from tui.api.client import SaleshandyClient
from tui.api.errors import AuthError
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.testing import free_port
from tui.sandbox.vendor import EXTRA_KEY, SPEC_VARIANT_FIELDS, VendorShapes

BASE = "http://vendor.test"


def _http(app, key: str = DEMO_API_KEY) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"x-api-key": key})


async def _first_email(http: httpx.AsyncClient) -> tuple[str, str, dict]:
    sequences = (await http.get("/v1/sequences")).json()["payload"]
    for sequence in sequences:
        for step in (await http.get(f"/v1/sequences/{sequence['id']}/steps")).json()["payload"]:
            for variant in step["variants"]:
                if variant["type"] in ("Email", 1):
                    return sequence["id"], step["id"], variant
    raise AssertionError("the demo has no Email variant")


async def test_reads_carry_the_vendors_shapes(sandbox_app) -> None:
    async with _http(VendorShapes(sandbox_app)) as http:
        listing = await http.get("/v1/sequences")
        assert listing.status_code == 200
        assert "x-seqedit-sandbox" not in listing.headers
        users = {item["user"]["id"] for item in listing.json()["payload"]}
        assert users == {1}
        sequence_id, step_id, listed = await _first_email(http)
        assert EXTRA_KEY in listed["payload"]
        assert "attachmentIds" not in listed and "priority" not in listed
        one_step = (await http.get(f"/v1/sequences/{sequence_id}/steps/{step_id}")).json()["payload"]
        assert one_step and all(set(variant) == set(SPEC_VARIANT_FIELDS) for variant in one_step)
        teams = (await http.get("/v1/tasks/assignee/list")).json()["payload"]
        fields = (await http.get("/v1/fields", params={"systemFields": "true"})).json()["payload"]
        assert all(isinstance(team["id"], int) for team in teams)
        assert all(isinstance(field["id"], int) for field in fields)


async def test_contract_flavor_is_unchanged(sandbox_app) -> None:
    async with _http(sandbox_app) as http:
        listing = await http.get("/v1/sequences")
        assert listing.headers.get("x-seqedit-sandbox") == "1"
        assert all(isinstance(item["user"]["id"], str) for item in listing.json()["payload"])
        assert (await http.get("/v1/sandbox/prospects")).status_code == 200


async def test_a_bad_key_is_400_with_code_1001_in_the_services_shape(sandbox_app) -> None:
    async with _http(VendorShapes(sandbox_app), key="not-the-key") as http:
        response = await http.get("/v1/sequences")
    assert response.status_code == 400
    assert response.json() == {"payload": [{"message": "Invalid token", "code": 1001, "httpStatus": 400}]}
    assert "not-the-key" not in response.text
    # The real client reads it as a key problem.
    client = SaleshandyClient("not-the-key", BASE, transport=httpx.ASGITransport(app=VendorShapes(sandbox_app)))
    async with client:
        with pytest.raises(AuthError):
            await client.list_sequences()


async def test_sandbox_endpoints_do_not_exist_and_errors_are_reshaped(sandbox_app) -> None:
    async with _http(VendorShapes(sandbox_app)) as http:
        prospects = await http.get("/v1/sandbox/prospects")
        faults = await http.post("/v1/sandbox/faults", json=[{"status": 500}])
        missing = await http.get("/v1/sequences/nosuchseq/steps")
    assert prospects.status_code == 404 and faults.status_code == 404
    assert len(sandbox_app.state.faults) == 0  # nothing was queued through the vendor flavor
    assert missing.status_code == 404
    item = missing.json()["payload"][0]
    assert set(item) == {"message", "code", "httpStatus"} and item["httpStatus"] == 404


async def test_rate_limit_reset_is_a_date(sandbox_app) -> None:
    async with _http(VendorShapes(sandbox_app)) as http:
        response = await http.get("/v1/fields")
    reset = parsedate_to_datetime(response.headers["x-ratelimit-reset"])
    assert reset.tzinfo is not None
    assert int(response.headers["x-ratelimit-remaining"]) > 0


async def test_the_sandboxs_own_limiter_says_its_reset_as_a_date(sandbox_db) -> None:
    from tui.sandbox.vendor import create_vendor_app

    app = create_vendor_app(sandbox_db, rate_limit=1)
    try:
        async with _http(app) as http:
            answers = [await http.get("/v1/fields") for _ in range(4)]
    finally:
        app.state.store.close()
    limited = [answer for answer in answers if answer.status_code == 429]
    assert limited, [answer.status_code for answer in answers]
    parsedate_to_datetime(limited[0].headers["x-ratelimit-reset"])  # a date, not "1"
    assert limited[0].json()["payload"][0]["httpStatus"] == 429


async def test_a_patch_with_the_servers_own_key_is_accepted(sandbox_app) -> None:
    vendor = VendorShapes(sandbox_app)
    async with _http(vendor) as http:
        sequence_id, step_id, listed = await _first_email(http)
        path = f"/v1/sequences/{sequence_id}/steps/{step_id}/variants/{listed['id']}"
        response = await http.patch(path, json={"payload": {**listed["payload"], "subject": "Changed"}})
    assert response.status_code == 200, response.text
    assert vendor.patches[-1]["payload"][EXTRA_KEY] == 42


async def test_a_post_of_a_new_variant_with_the_servers_own_key_is_accepted_like_a_patch(sandbox_app) -> None:
    # The vendor takes back the payload keys it sends (api.md); nothing says a POST differs, so
    # the flavor treats both writes alike (before: the PATCH was tolerant, the POST a 400).
    vendor = VendorShapes(sandbox_app)
    async with _http(vendor) as http:
        sequence_id, step_id, listed = await _first_email(http)
        body = {"type": "Email", "payload": {**listed["payload"], "subject": "Copy"}}
        response = await http.post(f"/v1/sequences/{sequence_id}/steps/{step_id}/variants", json=body)
    assert response.status_code in (200, 201), response.text
    assert vendor.posts == [body]
    stored = sandbox_app.state.store.variants_of(sequence_id, step_id)
    assert [v["payload"]["subject"] for v in stored][-1] == "Copy"


def test_the_sandbox_command_serves_the_vendor_flavor(tmp_path) -> None:
    port = free_port()
    env = {**os.environ, "SEQEDIT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", str(port), "--flavor", "vendor"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        banner = [process.stdout.readline() for _ in range(2)]
        assert "flavor:   vendor" in banner[1]
        with httpx.Client(transport=httpx.HTTPTransport(retries=50)) as client:
            for _ in range(100):
                try:
                    bad = client.get(f"http://127.0.0.1:{port}/v1/sequences", headers={"x-api-key": "wrong"})
                    break
                except httpx.ConnectError:
                    assert process.poll() is None, process.stderr.read()
            else:
                raise AssertionError("seqedit sandbox --flavor vendor never started listening")
            good = client.get(f"http://127.0.0.1:{port}/v1/sequences", headers={"x-api-key": DEMO_API_KEY})
        assert bad.status_code == 400 and bad.json()["payload"][0]["code"] == 1001
        assert good.status_code == 200 and good.json()["payload"][0]["user"]["id"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
