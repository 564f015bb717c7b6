"""Command line: serve the embedded backend on loopback.

``python -m voiceprint_studio.local --port 0 --data DIR [--token T] [--latency S]
[--engine campp|ge2e] [--no-engine] [--rebuild | --start-empty]`` prints
``URL http://127.0.0.1:PORT`` and ``TOKEN ...`` (one per line, flushed) and serves until
SIGINT or SIGTERM. Without ``--token`` a random token is generated. Speaker identification
uses the built-in engine (CAM++ unless ``--engine ge2e``) unless ``--no-engine`` is given
(identify then answers code 4900, as before the engine existed).

The server owns the workspace while it runs. Exit status 3: the workspace is open in another
Voiceprint Studio window or server. Exit status 4: its database is missing, empty or damaged
while recordings exist; nothing was changed, and ``--rebuild`` (rebuild the catalogue from
the recordings' sidecars) or ``--start-empty`` (an empty catalogue; the recordings go to the
quarantine folder) says what to do -- either keeps the damaged file aside. ``--list-quarantine``
lists the recordings in the quarantine folder and exits.
"""

from __future__ import annotations

import argparse
import logging
import secrets
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.engine import BuiltinEngine
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.local.workspace import (
    WorkspaceBusyError,
    WorkspaceDamagedError,
    list_quarantine,
)

EXIT_BUSY = 3
EXIT_DAMAGED = 4


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
    recovery = parser.add_mutually_exclusive_group()
    recovery.add_argument(
        "--rebuild",
        action="store_true",
        help="if the database is missing or damaged: keep it aside and rebuild the catalogue "
        "from the recordings' sidecars",
    )
    recovery.add_argument(
        "--start-empty",
        action="store_true",
        help="if the database is missing or damaged: keep it aside and start an empty "
        "catalogue (the recordings go to the quarantine folder)",
    )
    recovery.add_argument(
        "--list-quarantine", action="store_true", help="list the quarantined recordings and exit"
    )
    args = parser.parse_args(argv)
    if args.list_quarantine:
        for item in list_quarantine(Path(args.data)):
            names = f"{item.group_name} / {item.voiceprint_name}" if item.group_name else "-"
            print(f"{item.path}\t{item.size}\t{names}")
        return 0

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
    try:
        app = create_app(
            args.data,
            token,
            latency=args.latency,
            engine=engine,
            recovery="rebuild" if args.rebuild else "empty" if args.start_empty else None,
        )
    except WorkspaceBusyError as exc:
        print(
            f"error: This workspace is open in another Voiceprint Studio window "
            f"(or server): {exc.data_dir}\nClose it, then start the server again.",
            file=sys.stderr,
        )
        return EXIT_BUSY
    except WorkspaceDamagedError as exc:
        print(
            f"error: {exc}.\nNothing was changed. Start again with --rebuild to keep the "
            "damaged file aside and rebuild the catalogue from the recordings, or with "
            "--start-empty to keep it aside and start an empty catalogue (the recordings "
            "are kept in the quarantine folder).",
            file=sys.stderr,
        )
        return EXIT_DAMAGED
    report = app.store.recovery_report
    if report is not None:
        print(
            f"recovered: {report.groups} group(s) and {report.voiceprints} voiceprint(s) "
            f"rebuilt, {report.quarantined} recording(s) quarantined; damaged files kept "
            f"aside: {', '.join(str(p) for p in report.set_aside) or 'none'}",
            file=sys.stderr,
        )
    elif app.store.quarantined_on_open:
        print(
            f"{len(app.store.quarantined_on_open)} recording(s) no voiceprint referred to "
            f"were moved to {app.store.data_dir / 'quarantine'}",
            file=sys.stderr,
        )
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
