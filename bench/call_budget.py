"""What counting calls costs: a Coze call with the call-budget observer against one without.

Starts the embedded backend on loopback in a subprocess (its own GIL), then lists one
page of groups (page_size 10) with two clients on the same server, interleaved round by
round in a shuffled order: one plain, one whose observer records every call in a real
call-budget file (lock file, re-read, atomic replace). Prints the medians, their ratio
(counted/plain) and the median cost of one ``record_calls`` on its own.

A loopback call is far cheaper than a call to api.coze.cn (tens to hundreds of ms), so
the ratio here is an upper bound of what counting adds. Run:
``python bench/call_budget.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_overhead import start_backend
from voiceprint_studio.api import CozeClient
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.profiles import custom_profile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="calls per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, token = start_backend(Path(tmp) / "data")
        try:
            profile = custom_profile("coze", url)
            budget = CallBudget(Path(tmp) / "call-budget.json")
            plain = CozeClient(token, url)
            counted = CozeClient(token, url, observer=budget.observer(profile))
            plain.create_group("bench")
            times: dict[str, list[float]] = {"plain": [], "counted": []}
            clients = {"plain": plain, "counted": counted}
            for _ in range(5):  # warm both connections
                plain.list_groups()
                counted.list_groups()
            for _ in range(args.rounds):
                order = list(clients)
                random.shuffle(order)
                for name in order:
                    start = time.perf_counter()
                    clients[name].list_groups()
                    times[name].append(time.perf_counter() - start)
            records = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                budget.record_calls(profile)
                records.append(time.perf_counter() - start)
            plain.close()
            counted.close()
        finally:
            proc.terminate()
            proc.wait(10)
    plain_ms = statistics.median(times["plain"]) * 1000
    counted_ms = statistics.median(times["counted"]) * 1000
    print(f"list_groups on loopback, median of {args.rounds}:")
    print(f"  plain   {plain_ms:7.2f} ms")
    print(f"  counted {counted_ms:7.2f} ms   ratio counted/plain {counted_ms / plain_ms:.2f}")
    print(f"record_calls alone, median: {statistics.median(records) * 1000:.2f} ms")
    print(f"calls counted in the file: {budget.state(profile).calls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
