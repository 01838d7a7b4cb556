"""Issue 12 item 9: how ``pytest -m live`` behaves, run as a person would run it.

A plain run deselects the live checks (it does not skip them); ``-m live`` without
``SEQEDIT_LIVE_KEY`` stops at once and says what to set; with a key and a base URL it runs them,
here against the sandbox's vendor flavor on loopback, where every read check passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LIVE_BASE_URL_ENV, LIVE_KEY_ENV
from tests.test_doctor import _scratch
from tui.sandbox import DEMO_API_KEY
from tui.sandbox.testing import running_server
from tui.sandbox.vendor import VendorShapes

pytestmark = pytest.mark.slow  # started first under -n (tests/conftest.py)
ROOT = Path(__file__).resolve().parent.parent


def _pytest(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SEQEDIT_LIVE"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_plain_run_deselects_the_live_checks() -> None:
    result = _pytest("tests/test_live.py")
    assert "deselected" in result.stdout, result.stdout
    assert "skipped" not in result.stdout and "passed" not in result.stdout


def test_minus_m_live_without_a_key_says_what_to_set() -> None:
    result = _pytest("-m", "live", "tests/test_live.py")
    text = result.stdout + result.stderr
    assert result.returncode == 4, text
    assert f"{LIVE_KEY_ENV} is not set" in text and "python -m pytest -m live" in text
    assert "passed" not in text and "failed" not in text


def test_minus_m_live_with_a_key_runs_the_checks_against_the_vendor_flavor(sandbox_app) -> None:
    with running_server(VendorShapes(sandbox_app)) as url:
        result = _pytest("-m", "live", "tests/test_live.py", env={LIVE_KEY_ENV: DEMO_API_KEY, LIVE_BASE_URL_ENV: url})
    text = result.stdout + result.stderr
    assert result.returncode == 0, text
    assert "12 passed" in text and "3 skipped" in text  # the write checks want SEQEDIT_LIVE_SCRATCH
    assert "SEQEDIT_LIVE_SCRATCH" in text
    assert DEMO_API_KEY not in text


def test_the_write_checks_run_on_a_scratch_sequence(sandbox_app) -> None:
    scratch = _scratch(sandbox_app)
    before = sandbox_app.state.store.steps_of(scratch)
    env = {LIVE_KEY_ENV: DEMO_API_KEY, "SEQEDIT_LIVE_SCRATCH": scratch}
    with running_server(VendorShapes(sandbox_app)) as url:
        result = _pytest("-m", "live", "tests/test_live.py", env={**env, LIVE_BASE_URL_ENV: url})
    text = result.stdout + result.stderr
    assert result.returncode == 0, text
    assert "15 passed" in text
    assert sandbox_app.state.store.steps_of(scratch) == before
