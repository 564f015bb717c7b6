"""Command line: serve the embedded backend on loopback.

``python -m voiceprint_studio.local --port 0 --data DIR [--token T] [--latency S]
[--engine campp|ge2e] [--no-engine]`` prints ``URL http://127.0.0.1:PORT`` and
``TOKEN ...`` (one per line, flushed) and serves until SIGINT or SIGTERM. Without
``--token`` a random token is generated. Speaker identification uses the built-in engine
(CAM++ unless ``--engine ge2e``) unless ``--no-engine`` is given (identify then answers
code 4900, as before the engine existed).
"""

from __future__ import annotations

import argparse
import logging
import secrets
import signal
import sys
import threading
from types import FrameType

from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.engine import BuiltinEngine
from voiceprint_studio.local.server import LoopbackServer


def main(argv: list[str] | None = None) -> int:
    """Run the server; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m voiceprint_studio.local",
        description="Serve the Voiceprint Studio offline backend (Coze + MiniMax contracts).",
    )
    parser.add_argument("--data", required=True, help="data directory (created if missing)")
    parser.add_argument("--port", type=int, default=0, help="TCP port, 0 picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--token", default=None, help="bearer token (default: random)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    parser.add_argument(
        "--engine",
        choices=("campp", "ge2e"),
        default="campp",
        help="built-in speaker engine (default campp; GE2E is the fallback)",
    )
    parser.add_argument(
        "--no-engine", action="store_true", help="no speaker engine: identify answers 4900"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    token = args.token or secrets.token_urlsafe(32)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    engine = None if args.no_engine else BuiltinEngine(args.engine)
    app = create_app(args.data, token, latency=args.latency, engine=engine)
    try:
        with LoopbackServer(app, host=args.host, port=args.port) as server:
            print(f"URL {server.url}", flush=True)
            print(f"TOKEN {token}", flush=True)
            while not stop.wait(0.2):
                pass
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
