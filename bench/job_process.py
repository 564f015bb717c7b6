"""Where a copy job should run: the GUI thread's lateness with the job in a thread of the
GUI's process (as the app ran copies before, and still runs imports and restores)
against the same job in a child process at a lower priority (nice 10; how the app runs
copies and moves now: ``voiceprint_studio.transfer.child``), alternating, in one run.

Both loopback servers run in their own processes, kept on the last core (a real Coze
takes none of the operator's CPU); the job copies 10 voiceprints of 4 MB each from one to
the other (``bench/transfer.py``'s copy, 4 creates and 4 downloads at once), and a 1 ms
precise Qt timer in this process measures its own lateness. In a thread, the job's
threads share the GUI thread's GIL and its priority; in a child process they share
neither (a job thread at a lower priority in the same process can hold the GIL the GUI
thread waits for: ``bench/transfer.py``'s note on idle priority). Prints each round's
longest stall and p99, the medians, and their ratio (child process / thread). Run:
``python bench/job_process.py [--rounds N] [--nice N]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from transfer import (
    COUNT,
    confine_to_last_core,
    copy_job,
    lateness,
    make_wav,
    set_copy_aside,
)


def _copy(a: tuple[str, str], b: tuple[str, str], gid: str, jobs: str) -> None:
    from voiceprint_studio.api.coze import CozeClient

    with CozeClient(a[1], a[0]) as src, CozeClient(b[1], b[0]) as dst:
        copy_job(src, dst, gid, Path(jobs), 4)
        set_copy_aside(dst, f"done {time.time_ns() % 10**12}")


def _child(copy: tuple[tuple[str, str], tuple[str, str], str, str], nice: int, go: Any) -> None:
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    go.wait()
    _copy(*copy)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--nice", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from api_overhead import start_backend
    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.api.uploads import AudioUpload
    from voiceprint_studio.main import tune_runtime

    tune_runtime()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = [root / f"clip{n}.wav" for n in range(COUNT)]
        for n, path in enumerate(files):
            make_wav(path, n)
        a_proc, a_url, a_token = start_backend(root / "a")
        b_proc, b_url, b_token = start_backend(root / "b")
        for proc in (a_proc, b_proc):
            confine_to_last_core(proc.pid)
        a, b = (a_url, a_token), (b_url, b_token)
        try:
            with CozeClient(a_token, a_url) as src:
                gid = src.create_group("bench")
                for n, path in enumerate(files):
                    src.create_voiceprint(gid, f"speaker {n}", AudioUpload.from_path(path))
            gaps: list[float] = []
            clock = QElapsedTimer()
            timer = QTimer()
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.setInterval(1)
            last = [0]

            def tick() -> None:
                now = clock.nsecsElapsed()
                gaps.append((now - last[0]) / 1e6)
                last[0] = now

            def until(done: Callable[[], bool]) -> None:
                while not done():
                    app.processEvents()
                    time.sleep(0.0005)

            def measure(start: Callable[[], Callable[[], bool]]) -> tuple[float, float]:
                finished = start()
                gaps.clear()
                last[0] = clock.nsecsElapsed()
                until(finished)
                late = lateness(gaps)
                return late["max_ms"], late["p99_ms"]

            def in_thread() -> Callable[[], bool]:
                worker = threading.Thread(target=_copy, args=(a, b, gid, str(root / "jobs")))
                worker.start()
                return lambda: not worker.is_alive()

            def in_child() -> Callable[[], bool]:
                go = spawn.Event()
                child = spawn.Process(
                    target=_child, args=((a, b, gid, str(root / "jobs")), args.nice, go)
                )
                child.start()
                time.sleep(1.0)  # the child's imports, before the clock (untimed)
                go.set()
                return lambda: not child.is_alive()

            timer.timeout.connect(tick)
            clock.start()
            timer.start()
            stalls: dict[str, list[tuple[float, float]]] = {"thread": [], "child": []}
            print(
                f"10 x 4 MB copied between two loopback servers (on the last core), "
                f"{args.rounds} rounds, {os.cpu_count()} cores; the GUI thread's 1 ms timer"
            )
            for n in range(args.rounds):
                for kind, start in (("thread", in_thread), ("child", in_child)):
                    worst, p99 = measure(start)
                    stalls[kind].append((worst, p99))
                    print(
                        f"round {n + 1}, job in a {kind}: max stall {worst:.1f} ms, "
                        f"p99 {p99:.2f} ms"
                    )
            med = {k: statistics.median(w for w, _ in v) for k, v in stalls.items()}
            top = {k: max(w for w, _ in v) for k, v in stalls.items()}
            for kind, label in (
                ("thread", "in a thread of the GUI's process (today)"),
                ("child", f"in a child process at nice {args.nice}"),
            ):
                p99 = statistics.median(p for _, p in stalls[kind])
                print(
                    f"job {label}: longest stall {top[kind]:.1f} ms over the rounds (target "
                    f"< 16), median of the rounds' longest {med[kind]:.1f} ms, median p99 "
                    f"{p99:.2f} ms"
                )
            print(
                f"ratio child / thread: longest stall {top['child'] / top['thread']:.2f}, "
                f"median {med['child'] / med['thread']:.2f}"
            )
            timer.stop()
        finally:
            for proc in (a_proc, b_proc):
                proc.terminate()
                proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
