"""The large generated account, built once into a cache file and reused by later runs."""

from __future__ import annotations

from pathlib import Path

CACHE_DIR = Path(__file__).resolve().parent.parent / ".benchmarks"


def large_db(sequences: int, directory: Path = CACHE_DIR) -> Path:
    """A sandbox database holding ``sequences`` generated sequences (6 steps, 12 variants each).

    The sandbox marks the file with its size and seed, so an existing file is reused as it is.
    """
    from tui.sandbox.app import create_app

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"large-{sequences}.sqlite3"
    app = create_app(path, sequences=sequences)
    app.state.store.close()
    return path
