"""`seqedit sandbox`: run the local Saleshandy-compatible server (demo data, tests, benchmarks)."""

from __future__ import annotations

import argparse


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def register(sub, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``sandbox`` subcommand (it talks to no account, so it takes no connection options)."""
    parser = sub.add_parser(
        "sandbox",
        help="serve a local Saleshandy-compatible API with demo data",
        description="Serve a local, Saleshandy-compatible API backed by SQLite, with a demo account.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port (default 8787)")
    parser.add_argument("--db", help="SQLite file (default: sandbox.sqlite3 in seqedit's data directory)")
    parser.add_argument("--api-key", help="the key clients must send (default: the sandbox demo key)")
    parser.add_argument("--seed", type=int, default=7, help="seed for ids and generated data (default 7)")
    parser.add_argument("--sequences", type=_non_negative, help="build a large generated account of N sequences")
    parser.add_argument("--reset", action="store_true", help="throw the stored data away and rebuild it")
    parser.add_argument("--latency-ms", type=_non_negative, default=0, help="delay every request by N ms")
    parser.add_argument("--fail-rate", type=_fraction, default=0.0, help="answer 503 to this fraction of requests")
    parser.add_argument("--rate-limit", type=_non_negative, default=0, help="allow N requests per second, then 429")
    parser.add_argument(
        "--flavor",
        choices=("contract", "vendor"),
        default="contract",
        help="contract: seqedit's own API contract (default); vendor: the shapes the vendor's docs show"
        " (numeric ids, thin reads, 400/1001 for a bad key, no /v1/sandbox/* endpoints)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from pathlib import Path

    from tui.sandbox import DEMO_API_KEY
    from tui.sandbox.server import ServeOptions, serve

    options = ServeOptions(
        host=args.host,
        port=args.port,
        db=Path(args.db).expanduser() if args.db else None,
        api_key=args.api_key or DEMO_API_KEY,
        seed=args.seed,
        sequences=args.sequences,
        reset=args.reset,
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        rate_limit=args.rate_limit,
        flavor=args.flavor,
    )
    try:
        return serve(options)
    except KeyboardInterrupt:
        return 0
