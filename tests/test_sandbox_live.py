"""The sandbox over real HTTP on 127.0.0.1: concurrency, dropped connections, delays, the CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from tui.sandbox import DEMO_API_KEY
from tui.sandbox.app import create_app
from tui.sandbox.testing import free_port, running_server

SUCCESS = {"message": "Sequence step variant updated successfully", "payload": 1}


def _client(live) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=live.base_url, headers={"x-api-key": live.api_key}, timeout=10)


def _plant(store) -> tuple[str, list[str], list[list[str]]]:
    made = store.add_sequence(
        "Concurrency",
        steps=[
            {
                "channel": "Email",
                "day": 1,
                "variants": [{"payload": {"subject": f"s{i}", "content": "c"}} for i in range(20)],
            },
            {"channel": "Email", "day": 2, "variants": [{"payload": {"subject": "x", "content": "c"}}]},
            {"channel": "Email", "day": 3, "variants": [{"payload": {"subject": "y", "content": "c"}}]},
        ],
    )
    return made.sequence_id, made.step_ids, made.variant_ids


async def test_the_live_server_serves_the_demo_account(live_sandbox):
    async with _client(live_sandbox) as client:
        response = await client.get("/v1/sequences")
    assert response.status_code == 200
    assert len(response.json()["payload"]) == 8


async def test_twenty_concurrent_patches_of_one_variant_leave_one_whole_body(live_sandbox):
    sequence_id, steps, variants = _plant(live_sandbox.store)
    url = f"/v1/sequences/{sequence_id}/steps/{steps[0]}/variants/{variants[0][0]}"
    bodies = [
        {"payload": {"subject": f"Writer {i}", "content": f"<p>{i}</p>" * (i + 1)}, "status": i % 2} for i in range(20)
    ]
    async with _client(live_sandbox) as client:
        responses = await asyncio.gather(*(client.patch(url, json=body) for body in bodies))
        assert all(response.json() == SUCCESS for response in responses)
        variant = (await client.get(f"/v1/sequences/{sequence_id}/steps/{steps[0]}")).json()["payload"][0]
    winner = next(body for body in bodies if body["payload"] == variant["payload"])
    assert variant["status"] == winner["status"]


async def test_twenty_concurrent_patches_of_different_variants_all_land(live_sandbox):
    sequence_id, steps, variants = _plant(live_sandbox.store)
    async with _client(live_sandbox) as client:
        responses = await asyncio.gather(
            *(
                client.patch(
                    f"/v1/sequences/{sequence_id}/steps/{steps[0]}/variants/{vid}",
                    json={"payload": {"subject": f"new {i}", "content": "c"}},
                )
                for i, vid in enumerate(variants[0])
            )
        )
        assert [response.status_code for response in responses] == [200] * 20
        listed = (await client.get(f"/v1/sequences/{sequence_id}/steps/{steps[0]}")).json()["payload"]
    assert [v["payload"]["subject"] for v in listed] == [f"new {i}" for i in range(20)]


async def test_concurrent_moves_onto_one_day_let_exactly_one_email_step_in(live_sandbox):
    sequence_id, steps, variants = _plant(live_sandbox.store)
    async with _client(live_sandbox) as client:
        responses = await asyncio.gather(
            *(
                client.patch(
                    f"/v1/sequences/{sequence_id}/steps/{steps[i]}/variants/{variants[i][0]}", json={"absoluteDays": 9}
                )
                for i in [1, 2] * 5
            )
        )
        statuses = sorted(response.status_code for response in responses)
        days = [
            step["absoluteDays"] for step in (await client.get(f"/v1/sequences/{sequence_id}/steps")).json()["payload"]
        ]
    # The first move wins; its repeats keep the step where it is; every move of the other is refused.
    assert statuses == [200] * 5 + [400] * 5
    assert sorted(days) in ([1, 2, 9], [1, 3, 9])


async def test_a_drop_after_over_the_network_loses_the_response_but_keeps_the_write(live_sandbox):
    sequence_id, steps, variants = _plant(live_sandbox.store)
    url = f"/v1/sequences/{sequence_id}/steps/{steps[1]}/variants/{variants[1][0]}"
    async with _client(live_sandbox) as client:
        await client.post("/v1/sandbox/faults", json={"faults": [{"drop": "after"}], "method": "PATCH"})
        with pytest.raises(httpx.TransportError):
            await client.patch(url, json={"status": 0})
        assert (await client.get("/v1/fields")).status_code == 200  # the server carries on
    assert live_sandbox.store.get_variant(variants[1][0])["status"] == 0


async def test_a_scripted_delay_trips_the_client_timeout(live_sandbox):
    async with _client(live_sandbox) as client:
        await client.post("/v1/sandbox/faults", json={"faults": [{"delayMs": 2000}]})
        with pytest.raises(httpx.TimeoutException):
            await client.get("/v1/fields", timeout=0.2)


async def test_the_latency_option_delays_every_request(tmp_path):
    app = create_app(tmp_path / "slow.sqlite3", latency_ms=1000)
    with running_server(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers={"x-api-key": DEMO_API_KEY}) as client:
            with pytest.raises(httpx.TimeoutException):
                await client.get("/v1/fields", timeout=0.2)
    app.state.store.close()


def _get_when_up(client: httpx.Client, url: str, process: subprocess.Popen) -> httpx.Response:
    for _ in range(100):
        try:
            return client.get(url, headers={"x-api-key": "cli-test-key"})
        except httpx.ConnectError:
            if process.poll() is not None:
                raise AssertionError(f"seqedit sandbox exited: {process.stderr.read()}") from None
    raise AssertionError("seqedit sandbox never started listening")


def test_the_sandbox_command_prints_url_and_key_and_serves(tmp_path):
    port = free_port()
    env = {**os.environ, "SEQEDIT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", str(port), "--api-key", "cli-test-key"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        assert f"http://127.0.0.1:{port}" in lines[1]
        assert "cli-test-key" in lines[2]
        # uvicorn starts listening just after the banner: retry the connection until it does.
        transport = httpx.HTTPTransport(retries=50)
        with httpx.Client(transport=transport) as client:
            response = _get_when_up(client, f"http://127.0.0.1:{port}/v1/fields", process)
        assert response.status_code == 200
        assert (tmp_path / "data" / "sandbox.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_default_database_lives_in_the_data_directory(tmp_path, monkeypatch):
    from tui.sandbox.server import default_db_path

    monkeypatch.setenv("SEQEDIT_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_db_path() == tmp_path / "elsewhere" / "sandbox.sqlite3"
