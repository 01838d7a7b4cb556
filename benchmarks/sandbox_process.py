"""A sandbox served by ``seqedit sandbox`` (a real uvicorn) in a process of its own.

The server gets its own process so that its work does not share the benchmark's GIL, as a
remote API would not; it listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tui.sandbox import DEMO_API_KEY
from tui.sandbox.testing import free_port


def child_env(home: Path) -> dict[str, str]:
    """The environment for a child process: seqedit's directories under ``home``, no real key.

    Children run from compiled bytecode, as after ``pip install``: where the environment turns
    bytecode writing off (PYTHONDONTWRITEBYTECODE), each child would compile seqedit's sources
    again on every start, so they get a private bytecode cache under ``home`` instead.
    """
    env = dict(os.environ)
    env.pop("SALESHANDY_API_KEY", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    for name in ("CONFIG", "DATA", "STATE"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[f"SEQEDIT_{name}_DIR"] = str(path)
    return env


@contextmanager
def sandbox_server(
    db: Path,
    home: Path,
    *,
    sequences: int | None = None,
    latency_ms: int = 0,
    rate_limit: int = 0,
    timeout: float = 120.0,
) -> Iterator[str]:
    """Run ``python -m tui sandbox`` on ``db``; yield its base URL once it answers; stop it after."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tui",
        "sandbox",
        "--port",
        str(port),
        "--db",
        str(db),
        "--latency-ms",
        str(latency_ms),
    ]
    if sequences is not None:
        command += ["--sequences", str(sequences)]
    if rate_limit:
        command += ["--rate-limit", str(rate_limit)]
    process = subprocess.Popen(command, env=child_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"the sandbox exited early ({process.returncode}): {error[-500:]}")
            try:
                answer = httpx.get(f"{base_url}/v1/sandbox/requests", headers={"x-api-key": DEMO_API_KEY}, timeout=2)
                if answer.status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start in time")
            time.sleep(0.05)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def server_requests(base_url: str) -> int:
    """How many API requests the sandbox has served since the last :func:`reset_requests`."""
    answer = httpx.get(f"{base_url}/v1/sandbox/requests", headers={"x-api-key": DEMO_API_KEY}, timeout=10)
    payload = answer.json().get("payload") or {}
    return sum(int(count) for count in payload.values()) if isinstance(payload, dict) else 0


def reset_requests(base_url: str) -> None:
    """Zero the sandbox's request counter."""
    httpx.delete(f"{base_url}/v1/sandbox/requests", headers={"x-api-key": DEMO_API_KEY}, timeout=10)
