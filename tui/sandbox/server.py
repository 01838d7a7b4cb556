"""``seqedit sandbox``: serve the sandbox with uvicorn (loopback by default)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import DEMO_API_KEY

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
DB_NAME = "sandbox.sqlite3"


def default_db_path() -> Path:
    """The sandbox's SQLite file: ``sandbox.sqlite3`` in seqedit's data directory."""
    from tui.config.paths import data_dir

    return data_dir() / DB_NAME


@dataclass
class ServeOptions:
    """What ``seqedit sandbox`` was asked for."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    db: Path | None = None
    api_key: str = DEMO_API_KEY
    seed: int = 7
    sequences: int | None = None
    reset: bool = False
    latency_ms: int = 0
    fail_rate: float = 0.0
    rate_limit: int = 0
    flavor: str = "contract"


class _ScriptedDropsInOneLine(logging.Filter):
    """uvicorn logs an exception from the app with its traceback: for a drop the sandbox was
    asked for (POST /v1/sandbox/faults), one line says what happened (issue 13)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from .faults import DroppedOnPurpose

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, DroppedOnPurpose):
            record.msg, record.args = "%s (as scripted)", (exc,)
            record.exc_info, record.exc_text = None, None
        return True


def _log_scripted_drops_in_one_line() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _ScriptedDropsInOneLine) for f in logger.filters):
        logger.addFilter(_ScriptedDropsInOneLine())


def serve(options: ServeOptions, out: TextIO = sys.stdout) -> int:
    """Build the app, print where it listens and the key to use, and serve until interrupted."""
    import uvicorn

    from .app import create_app
    from .vendor import VendorShapes

    db = options.db or default_db_path()
    contract = create_app(
        db,
        api_key=options.api_key,
        seed=options.seed,
        sequences=options.sequences,
        reset=options.reset,
        latency_ms=options.latency_ms,
        fail_rate=options.fail_rate,
        rate_limit=options.rate_limit,
    )
    app = VendorShapes(contract) if options.flavor == "vendor" else contract
    host = f"[{options.host}]" if ":" in options.host else options.host
    print(f"seqedit sandbox (a local stand-in for the Saleshandy API), data in {db}", file=out)
    if options.flavor == "vendor":
        print("  flavor:   vendor (the vendor's documented shapes; no /v1/sandbox/* endpoints)", file=out)
    print(f"  base URL: http://{host}:{options.port}", file=out)
    print(f"  API key:  {options.api_key}  (the sandbox's own key, not a Saleshandy key)", file=out)
    print(
        f"  try:      seqedit --base-url http://{host}:{options.port}  with SALESHANDY_API_KEY set to that key",
        file=out,
    )
    from tui.api.base_url import is_loopback  # the client's rule: by address, never by name

    if not is_loopback(options.host):
        print(f"  warning: listening on {options.host}, reachable from other machines", file=out)
    out.flush()
    _log_scripted_drops_in_one_line()
    try:
        uvicorn.run(app, host=options.host, port=options.port, log_level="warning", access_log=False)
    finally:
        contract.state.store.close()
    return 0
