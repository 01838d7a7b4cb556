"""``pytest -m live``: the contract checks of ``seqedit doctor`` as tests, against a real account.

Deselected by default (pyproject's addopts: ``-m "not live"``): a plain run never touches the
network. ``SEQEDIT_LIVE_KEY=… python -m pytest -m live`` runs them against
https://open-api.saleshandy.com (``SEQEDIT_LIVE_BASE_URL`` for another endpoint); without the key,
the run stops at once saying so (tests/conftest.py). They only read; with
``SEQEDIT_LIVE_SCRATCH=ID`` (a sequence titled ``seqedit-scratch…``) the write checks run too, and
put back what they change. A failure's message is the check's text: endpoints, field names,
types and counts, never a value of the account or the key.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.conftest import LIVE_BASE_URL_ENV, LIVE_KEY_ENV
from tui.api.client import DEFAULT_BASE_URL, SaleshandyClient
from tui.commands.doctor_checks import FAIL, READ_CHECKS, WRITE_CHECKS, WRONG_KEY, Diagnosis, diagnose

pytestmark = pytest.mark.live
SCRATCH_ENV = "SEQEDIT_LIVE_SCRATCH"


def _run(write_sequence: str | None) -> Diagnosis:
    key = os.environ[LIVE_KEY_ENV].strip()
    base_url = os.environ.get(LIVE_BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL

    async def checks() -> Diagnosis:
        async with (
            SaleshandyClient(key, base_url, max_retries=2) as client,
            SaleshandyClient(WRONG_KEY, base_url, max_retries=0) as wrong,
        ):
            return await diagnose(client, wrong, write_sequence=write_sequence)

    return asyncio.run(checks())


@pytest.fixture(scope="module")
def diagnosis() -> Diagnosis:
    return _run(None)


@pytest.fixture(scope="module")
def written() -> Diagnosis:
    sequence = os.environ.get(SCRATCH_ENV, "").strip()
    if not sequence:
        pytest.skip(f"write checks need {SCRATCH_ENV}=ID, a sequence whose title starts with seqedit-scratch")
    return _run(sequence)


def _verdict(report: Diagnosis, name: str) -> None:
    assert report.refused is None, report.refused
    assert report.unreachable is None, report.unreachable
    check = report.get(name)
    assert check is not None, f"{name} was not checked"
    assert check.verdict != FAIL, f"{name}: {check.text}"


@pytest.mark.parametrize("name", READ_CHECKS)
def test_contract(diagnosis: Diagnosis, name: str) -> None:
    _verdict(diagnosis, name)


@pytest.mark.parametrize("name", WRITE_CHECKS)
def test_write_contract(written: Diagnosis, name: str) -> None:
    _verdict(written, name)
