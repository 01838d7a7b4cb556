"""How much a draft write costs while typing (printed, not asserted: run with -s to see it)."""

from __future__ import annotations

import time
from pathlib import Path

from tui.api.models import Variant
from tui.drafts import DraftJournal, DraftKey, DraftStore

KEY = DraftKey("demo", "seq", "step", "v1")


def test_upsert_of_a_100kb_body(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "d.sqlite3")
    body = "<p>" + "lorem ipsum dolor sit amet " * 3800 + "</p>"
    assert len(body) >= 100_000
    base = Variant(id="v1", type="Email", payload={"subject": "s", "content": body})
    rounds = 200
    started = time.perf_counter()
    for n in range(rounds):
        edited = base.model_copy(update={"payload": {"subject": f"s{n}", "content": body + str(n)}})
        assert store.save_draft(KEY, base=base, edited=edited, cursor=(0, n))
    per_write = (time.perf_counter() - started) / rounds

    started = time.perf_counter()
    for _ in range(rounds):
        assert not store.save_draft(KEY, base=base, edited=edited, cursor=(0, rounds - 1))
    per_skip = (time.perf_counter() - started) / rounds

    journal = DraftJournal(store)
    started = time.perf_counter()
    for n in range(rounds):
        journal.touch(KEY, base, edited, cursor=(1, n))
    per_touch = (time.perf_counter() - started) / rounds

    print(
        f"\n100 KB draft: upsert {per_write * 1e3:.3f} ms, unchanged (skipped) {per_skip * 1e3:.3f} ms, "
        f"journal.touch {per_touch * 1e6:.1f} µs; file {store.path.stat().st_size // 1024} KB"
    )
    assert store.get_draft(KEY).edited.payload["content"].endswith(str(rounds - 1))
