"""Per-call cost of our Coze client against raw httpx and the official cozepy SDK.

Starts the embedded backend on loopback in a subprocess (so the server does not
share this process's GIL), seeds 1000 groups, then measures in one run,
interleaving the three clients round by round in a shuffled order:

* list groups, page_size 200 (of 1000 groups): JSON parsed into records;
* create voiceprint from a 4 MB wav (multipart upload).

Prints medians and the ratios ours/raw-httpx (target <= 1.05) and ours/cozepy
(target <= 0.8). Run: ``python bench/api_overhead.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np

GROUPS = 1000
FOUR_MB = 4 * 1024 * 1024


def start_backend(data: Path, *options: str) -> tuple[subprocess.Popen[str], str, str]:
    """The loopback backend in its own process, ``--no-engine`` (client overhead only: no
    server-side embedding in the timings) and ``options``; returns (process, url, token)."""
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
            *options,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[1]
    token = proc.stdout.readline().split()[1]
    return proc, url, token


def make_wav(path: Path) -> None:
    frames = (FOUR_MB - 44) // 2
    rng = np.random.default_rng(7)
    t = np.arange(frames) / 16000
    signal = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(frames)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((signal * 32767).astype("<i2").tobytes())


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=80, help="list-groups rounds per client")
    parser.add_argument("--uploads", type=int, default=15, help="4 MB uploads per client")
    args = parser.parse_args()

    from cozepy import Coze, TokenAuth

    from voiceprint_studio.api import AudioUpload, CozeClient

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        proc, url, token = start_backend(tmpdir / "data")
        try:
            wav = tmpdir / "enroll.wav"
            make_wav(wav)
            assert wav.stat().st_size <= FOUR_MB

            raw = httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
            ours = CozeClient(token, base_url=url)
            sdk = Coze(auth=TokenAuth(token), base_url=url)

            group_ids = [ours.create_group(f"bench-{i:04d}") for i in range(GROUPS)]
            audio = AudioUpload.from_path(wav)

            def list_ours() -> object:
                page = ours.list_groups(page_num=2, page_size=200)
                assert len(page.items) == 200
                return page

            def list_raw() -> object:
                response = raw.get(
                    "/v1/audio/voiceprint_groups", params={"page_num": 2, "page_size": 200}
                )
                body = response.json()
                assert body["code"] == 0 and len(body["data"]["items"]) == 200
                return body

            def list_sdk() -> object:
                page = sdk.audio.voiceprint_groups.list(page_num=2, page_size=200)
                assert len(page.items) == 200
                return page

            listers = {"ours": list_ours, "httpx": list_raw, "cozepy": list_sdk}
            for fn in listers.values():  # warm-up
                fn()
            list_times: dict[str, list[float]] = {k: [] for k in listers}
            order = random.Random(1)  # a fresh order each round: no client always goes first
            for _ in range(args.rounds):
                for name in order.sample(list(listers), len(listers)):
                    list_times[name].append(timed(listers[name]))

            targets = iter(group_ids)

            def create_ours() -> object:
                return ours.create_voiceprint(next(targets), "bench", audio)

            def create_raw() -> object:
                with wav.open("rb") as fh:
                    response = raw.post(
                        f"/v1/audio/voiceprint_groups/{next(targets)}/features",
                        data={"name": "bench"},
                        files={"file": (wav.name, fh, "audio/wav")},
                    )
                assert response.json()["code"] == 0
                return response

            def create_sdk() -> object:
                with wav.open("rb") as fh:
                    return sdk.audio.voiceprint_groups.features.create(
                        group_id=next(targets), name="bench", file=fh
                    )

            creators = {"ours": create_ours, "httpx": create_raw, "cozepy": create_sdk}
            for fn in creators.values():
                fn()
            create_times: dict[str, list[float]] = {k: [] for k in creators}
            for _ in range(args.uploads):
                for name in order.sample(list(creators), len(creators)):
                    create_times[name].append(timed(creators[name]))
            ours.close()
            raw.close()
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"api_overhead: loopback backend, {GROUPS} groups, medians")
    ok = True
    for title, times in (
        (f"list groups (page_size 200), {args.rounds} rounds", list_times),
        (f"create voiceprint (4 MB wav), {args.uploads} uploads", create_times),
    ):
        med = {k: median_ms(v) for k, v in times.items()}
        vs_raw = med["ours"] / med["httpx"]
        vs_sdk = med["ours"] / med["cozepy"]
        ok = ok and vs_raw <= 1.05 and vs_sdk <= 0.8
        print(f"  {title}")
        print(
            f"    ours {med['ours']:.2f} ms | httpx {med['httpx']:.2f} ms | "
            f"cozepy {med['cozepy']:.2f} ms"
        )
        print(
            f"    ours/httpx {vs_raw:.3f} (target <= 1.05) | "
            f"ours/cozepy {vs_sdk:.3f} (target <= 0.8)"
        )
    print("  all targets met" if ok else "  TARGET MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
