"""After a whole session with a key configured, the drafts file holds no trace of the key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tui.api.models import Variant, build_update
from tui.config import effective, get_api_key, load_config
from tui.drafts import DraftJournal, DraftStore, account_label

FAKE_KEY = "shk_live_FAKE0123456789abcdefSECRET"
FILE_KEY = "shk_file_FAKE9876543210zyxwvuSECRET"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_key_never_in_the_drafts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'default_profile = "acme"\n[profiles.acme]\nbase_url = "https://open-api.saleshandy.com"\napi_key = "{FILE_KEY}"\n'
    )
    config.chmod(0o600)
    env = {"SALESHANDY_API_KEY": FAKE_KEY}
    loaded = load_config(config, env=env)
    settings = effective(loaded)
    assert get_api_key(settings, env) == FAKE_KEY
    assert get_api_key(settings, {}) == FILE_KEY

    account = account_label(profile=settings.profile, base_url=settings.base_url)
    path = tmp_path / "drafts.sqlite3"
    clock = Clock()
    store = DraftStore(path)
    journal = DraftJournal(store, clock=clock)
    base = Variant(id="v1", type="Email", payload={"subject": "Hi", "content": "<p>Hello</p>"})
    key = (account, "seq", "step", "v1")
    for n in range(20):
        edited = base.model_copy(update={"payload": {"subject": f"Hi {n}", "content": "<p>Hello</p>"}})
        journal.touch(key, base, edited, focus="payload.subject", cursor=(0, n), label=str(settings))
        clock.now += 1
        journal.flush_if_due()
    journal.flush()
    sent = build_update(base, edited).body()
    store.record_save(key, before=base, sent=sent, after=edited)
    journal.saved(key, edited)
    journal.touch(key, edited, edited.model_copy(update={"status": 0}), label=repr(settings))
    journal.flush()

    files = [p for p in tmp_path.iterdir() if p.name.startswith("drafts.sqlite3")]
    assert any(p.name.endswith("-wal") for p in files)
    store.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("drafts.sqlite3")] or files
    needles = [FAKE_KEY, FILE_KEY, hashlib.sha256(FAKE_KEY.encode()).hexdigest()[:12], FAKE_KEY[8:24]]
    for file in files:
        data = file.read_bytes()
        assert data, file
        for needle in needles:
            assert needle.encode() not in data, (file.name, needle)
    # The workflow really wrote something, so the search above looked at real content.
    assert b"Hi 19" in path.read_bytes()
