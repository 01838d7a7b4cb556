"""Issue 13 item 17: the sandbox logs a scripted dropped connection as one line, no traceback."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tui.sandbox import DEMO_API_KEY


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_scripted_drop_is_one_line_in_the_sandbox_log(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", str(port), "--db", str(tmp_path / "s.sqlite3")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"x-api-key": DEMO_API_KEY}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/v1/sequences", headers=headers, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox did not start"
                time.sleep(0.2)
        answer = httpx.post(
            f"{base}/v1/sandbox/faults",
            headers=headers,
            json={"method": "GET", "path": "/v1/sequences", "faults": [{"drop": "before"}]},
            timeout=5,
        )
        assert answer.status_code < 300, answer.text
        with contextlib.suppress(httpx.TransportError):  # the drop, as scripted
            httpx.get(f"{base}/v1/sequences", headers=headers, timeout=5)
        httpx.get(f"{base}/v1/sequences", headers=headers, timeout=5)  # still serving
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert "connection dropped mid-response (as scripted)" in err, err
    assert "Traceback" not in err, err
