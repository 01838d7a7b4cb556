"""Save: the client's PATCH round trip against a raw httpx PATCH to the same sandbox.

Both talk to one ``seqedit sandbox`` process (real uvicorn, no added latency, so the client's
own overhead is as visible as it can be) over kept-alive connections, interleaved, each sending
the same shape of body (a new subject and the variant's content) to the same variant.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import httpx

from tui.api.channels import Channel
from tui.api.client import SaleshandyClient
from tui.api.models import VariantUpdate
from tui.sandbox import DEMO_API_KEY

from .report import Progress, Row, at_most, info
from .sandbox_process import sandbox_server
from .stats import median, ratio

GOAL = 1.1


async def _email_variant(client: SaleshandyClient) -> tuple[str, str, str, str]:
    """(sequence id, step id, variant id, content) of the first Email variant of the account."""
    for sequence in (await client.list_sequences()).items:
        for step in (await client.list_steps(sequence.id)).items:
            if step.type is Channel.EMAIL and step.variants:
                variant = step.variants[0]
                return sequence.id, step.id, variant.id, str(variant.payload.get("content") or "<p>Hi</p>")
    raise RuntimeError("the demo account has no Email variant")


async def _measure(base_url: str, runs: int) -> tuple[list[float], list[float]]:
    client = SaleshandyClient(DEMO_API_KEY, base_url)
    raw = httpx.AsyncClient(base_url=base_url, headers={"x-api-key": DEMO_API_KEY, "Accept": "application/json"})
    try:
        sequence_id, step_id, variant_id, content = await _email_variant(client)
        path = f"/v1/sequences/{sequence_id}/steps/{step_id}/variants/{variant_id}"
        client_times: list[float] = []
        raw_times: list[float] = []
        for index in range(runs + 3):  # the first three of each warm the connections up
            body = {"subject": f"Save {index}", "content": content}

            async def by_client() -> float:
                start = time.perf_counter()
                await client.update_variant(sequence_id, step_id, variant_id, VariantUpdate(payload=body))
                return time.perf_counter() - start

            async def by_raw() -> float:
                start = time.perf_counter()
                answer = await raw.patch(path, json={"payload": body})
                answer.raise_for_status()
                answer.json()
                return time.perf_counter() - start

            # Alternate which goes first, so neither always follows the other's server work.
            if index % 2:
                elapsed_raw, elapsed_client = await by_raw(), await by_client()
            else:
                elapsed_client, elapsed_raw = await by_client(), await by_raw()
            if index >= 3:
                client_times.append(elapsed_client)
                raw_times.append(elapsed_raw)
        return client_times, raw_times
    finally:
        await client.aclose()
        await raw.aclose()


def run(runs: int, progress: Progress) -> list[Row]:
    """``runs`` saves each way; medians and their ratio."""
    with tempfile.TemporaryDirectory(prefix="seqedit-bench-save-") as tmp:
        home = Path(tmp)
        with sandbox_server(home / "demo.sqlite3", home) as base_url:
            client_times, raw_times = asyncio.run(_measure(base_url, runs))
    client_ms, raw_ms = median(client_times) * 1000, median(raw_times) * 1000
    progress(f"save: client {client_ms:.2f} ms, raw httpx {raw_ms:.2f} ms")
    return [
        info("save", f"client PATCH round trip, median of {runs}", client_ms, "ms"),
        info("save", f"raw httpx PATCH round trip, median of {runs}", raw_ms, "ms"),
        at_most("save", "client / raw httpx", ratio(client_ms, raw_ms), "×", GOAL),
    ]
