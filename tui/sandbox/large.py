"""A large generated account for benchmarks: N sequences × 6 steps × 12 variants, fast.

Rows are made in Python and written with ``executemany`` in one transaction; 5,000 sequences
(30,000 steps, 60,000 variants) take a couple of seconds. The file is marked with the size and
seed so that a later run with the same options reuses it.
"""

from __future__ import annotations

import json
import random

from tui.api.channels import Channel

from .demo import build_account_basics
from .store import SandboxStore

# (channel, day, variant count): 4 Email steps with 10 variants and 2 task steps, per sequence.
LAYOUT = (
    (Channel.EMAIL, 1, 3),
    (Channel.LINKEDIN_CONNECTION_REQUEST, 2, 1),
    (Channel.EMAIL, 3, 3),
    (Channel.CALL_FOLLOW_UP, 5, 1),
    (Channel.EMAIL, 7, 2),
    (Channel.EMAIL, 12, 2),
)
STEPS_PER_SEQUENCE = len(LAYOUT)
VARIANTS_PER_SEQUENCE = sum(count for _, _, count in LAYOUT)
_WORDS = ("Pipeline", "Outbound", "Q3", "Renewal", "Founders", "EMEA", "SaaS", "Agency", "Webinar", "Trial")


def large_marker(sequences: int, seed: int) -> str:
    """The ``dataset`` meta value of a generated account."""
    return f"large:sequences={sequences}:seed={seed}"


def build_large(store: SandboxStore, sequences: int, *, seed: int = 7) -> None:
    """Fill an empty ``store`` with ``sequences`` generated sequences (plus the demo's users and fields)."""
    owners, assignees = build_account_basics(store)
    rng = random.Random(seed)
    make = store.ids.make
    seq_rows, step_rows, variant_rows = [], [], []
    base = 1_600_000_000
    for index in range(sequences):
        sequence_id = make()
        title = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} #{index + 1}"
        seq_rows.append((sequence_id, title, int(index % 3 != 0), None, owners[index % len(owners)], base + index * 60))
        for pos, (channel, day, count) in enumerate(LAYOUT):
            step_id = make()
            step_rows.append((step_id, sequence_id, channel.label, channel.value, day, pos, None, None))
            for letter in range(count):
                if channel is Channel.EMAIL:
                    payload = {
                        "subject": f"{{{{First Name}}}}, idea {index}-{pos}{'ABC'[letter]}",
                        "content": f"<p>Hi {{{{First Name}}}},</p><p>Variant {'ABC'[letter]} of step {pos + 1}.</p>",
                    }
                    note, priority, who = None, None, None
                elif channel is Channel.LINKEDIN_CONNECTION_REQUEST:
                    payload = {"connectionNote": "Hi {{First Name}}, saw your work at {{Company}}."}
                    note, priority, who = "Personalise the note first.", "Normal", assignees[index % len(assignees)]
                else:
                    payload = {}
                    note, priority, who = "Call about the proposal.", "High", assignees[index % len(assignees)]
                variant_rows.append((make(), step_id, letter, None, json.dumps(payload), 1, note, "[]", priority, who))
    with store.transaction() as conn:
        conn.executemany("INSERT INTO sequences VALUES (?, ?, ?, ?, ?, ?)", seq_rows)
        conn.executemany("INSERT INTO steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)", step_rows)
        conn.executemany("INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", variant_rows)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', ?)", (large_marker(sequences, seed),))
