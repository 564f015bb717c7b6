"""Copying voiceprints between two workspaces, against uploading the same files by hand.

Starts two embedded backends on loopback, each in its own process (``--no-engine``: no
server-side embedding in the timings), puts 10 voiceprints of 4 MB each into a group of
the first, then measures in one run, alternating the two, ``--rounds`` times:

* baseline: the same 10 files uploaded to the second server with raw httpx, one after
  the other (what a careful script does);
* copy: a :class:`~voiceprint_studio.transfer.jobs.Job` copying the group from the first
  server to the second -- listing, downloading each voiceprint's audio, staging it on
  disk (fsynced), looking at the target, creating each voiceprint, the journal fsynced
  at each step -- with ``--workers`` uploads at once.

Prints the medians and their ratio (target <= 0.5). ``--latency S`` makes each server
answer S seconds later, as a distant service does (bare loopback has none, so there the
servers' own CPU bounds both sides). Run:
``python bench/transfer.py [--rounds N] [--workers N] [--latency S]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx
import numpy as np

from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.uploads import AudioUpload
from voiceprint_studio.transfer.jobs import Job
from voiceprint_studio.transfer.sources import WorkspaceSource, plan_copy

COUNT = 10
FOUR_MB = 4 * 1024 * 1024


def start_backend(data: Path, latency: float) -> tuple[subprocess.Popen[str], str, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voiceprint_studio.local",
            "--port",
            "0",
            "--data",
            str(data),
            "--no-engine",
            "--latency",
            str(latency),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[1]
    token = proc.stdout.readline().split()[1]
    return proc, url, token


def make_wav(path: Path, seed: int) -> None:
    frames = (FOUR_MB - 44) // 2
    rng = np.random.default_rng(seed)
    samples = (0.2 * rng.standard_normal(frames)).clip(-1, 1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((samples * 32767).astype("<i2").tobytes())


def raw_uploads(url: str, token: str, gid: str, files: list[Path]) -> float:
    start = time.perf_counter()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        for n, path in enumerate(files):
            with path.open("rb") as handle:
                reply = http.post(
                    f"/v1/audio/voiceprint_groups/{gid}/features",
                    data={"name": f"raw {n}"},
                    files={"file": (path.name, handle, "audio/wav")},
                    timeout=60,
                )
            reply.raise_for_status()
            assert reply.json()["code"] == 0, reply.text
    return time.perf_counter() - start


def copy_job(src: CozeClient, dst: CozeClient, gid: str, jobs: Path, workers: int) -> float:
    group = next(g for g in src.iter_groups() if g.id == gid)
    start = time.perf_counter()
    job = Job.create(jobs, plan_copy(src, [(group, None)]))
    result = job.run(WorkspaceSource(src), dst, workers=workers)
    elapsed = time.perf_counter() - start
    assert result.complete and len(result.created) == COUNT, result
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="seconds each server adds to every answer (a WAN round trip; 0: bare loopback)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = []
        for n in range(COUNT):
            files.append(root / f"clip{n}.wav")
            make_wav(files[-1], n)
        a, a_url, a_token = start_backend(root / "a", args.latency)
        b, b_url, b_token = start_backend(root / "b", args.latency)
        try:
            with CozeClient(a_token, a_url) as src, CozeClient(b_token, b_url) as dst:
                source_gid = src.create_group("bench")
                for n, path in enumerate(files):
                    src.create_voiceprint(source_gid, f"speaker {n}", AudioUpload.from_path(path))
                raw_times, copy_times = [], []
                for r in range(args.rounds):
                    raw_gid = dst.create_group(f"raw {r}")
                    raw_times.append(raw_uploads(b_url, b_token, raw_gid, files))
                    copy_times.append(copy_job(src, dst, source_gid, root / "jobs", args.workers))
                    # the next round copies into a fresh group of the same name's successor
                    dst.update_group(
                        next(g.id for g in dst.iter_groups() if g.name == "bench"),
                        name=f"bench done {r}",
                    )
        finally:
            for proc in (a, b):
                proc.terminate()
                proc.wait(timeout=10)
    raw, copied = statistics.median(raw_times), statistics.median(copy_times)
    print(f"10 x 4 MB, {args.rounds} rounds, {args.workers} workers, latency {args.latency} s")
    print(
        f"raw httpx uploads, one after the other: median {raw * 1000:.0f} ms "
        f"({', '.join(f'{t * 1000:.0f}' for t in raw_times)})"
    )
    print(
        f"copy job (download + stage + create):   median {copied * 1000:.0f} ms "
        f"({', '.join(f'{t * 1000:.0f}' for t in copy_times)})"
    )
    print(f"ratio copy / raw uploads: {copied / raw:.2f} (target <= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
