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

Then the longest GUI-thread stall while the app's copy dialog copies the same 10
voiceprints from the offline workspace (in-process, as the app runs it) to the second
server: a 1 ms precise timer measures its own lateness (target: max < 16 ms).

Prints the medians and their ratio (target <= 0.5). ``--latency S`` makes each server
answer S seconds later, as a distant service does (bare loopback has none, so there the
servers' own CPU bounds both sides). Run:
``python bench/transfer.py [--rounds N] [--workers N] [--latency S]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx
import numpy as np

from api_overhead import start_backend
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.uploads import AudioUpload
from voiceprint_studio.transfer.jobs import Job
from voiceprint_studio.transfer.sources import WorkspaceSource, plan_copy

COUNT = 10
FOUR_MB = 4 * 1024 * 1024


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


def gui_stall(files: list[Path], root: Path, url: str, token: str) -> dict[str, float]:
    """The GUI thread's lateness while :class:`CopyDialog` runs a copy job (offscreen)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from voiceprint_studio.main import tune_runtime
    from voiceprint_studio.settings import preferences as prefs
    from voiceprint_studio.settings.preferences import Preferences
    from voiceprint_studio.settings.profiles import OFFLINE_COZE, custom_profile, keyring_account
    from voiceprint_studio.settings.secrets import SecretStore
    from voiceprint_studio.ui.common.gc_guard import GuiThreadCollector
    from voiceprint_studio.ui.common.services import AppServices
    from voiceprint_studio.ui.common.session import OfflineBackend, Workspace
    from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog

    class Keys:
        def __init__(self) -> None:
            self.entries: dict[str, str] = {}

        def get_password(self, _service: str, user: str) -> str | None:
            return self.entries.get(user)

        def set_password(self, _service: str, user: str, password: str) -> None:
            self.entries[user] = password

    tune_runtime()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    collector = GuiThreadCollector(parent=app)
    offline = OfflineBackend(root / "gui-offline")
    keys = Keys()
    services = AppServices(
        preferences=Preferences(QSettings(str(root / "s.ini"), QSettings.Format.IniFormat)),
        secrets=SecretStore(keys),  # type: ignore[arg-type]
        offline=offline,
    )
    profile = custom_profile("coze", url)
    services.preferences.set(prefs.COZE_PROFILE, profile.key)
    services.preferences.set(prefs.COZE_CUSTOM_URL, url)
    keys.entries[keyring_account(profile)] = token
    source = Workspace(OFFLINE_COZE, services.minimax_profile(), services.secrets, offline)
    client = source.coze()
    gid = client.create_group("gui bench")
    for n, path in enumerate(files):
        client.create_voiceprint(gid, f"speaker {n}", AudioUpload.from_path(path))
    group = next(g for g in client.iter_groups() if g.id == gid)

    dialog = CopyDialog(services, source, [(group, None)])
    dialog.show()
    done: list[bool] = []
    dialog.finished_job.connect(done.append)

    def wait(condition: object, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise TimeoutError("the copy did not finish in time")
            app.processEvents()
            time.sleep(0.0005)

    wait(dialog.group_combo.isEnabled)
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

    timer.timeout.connect(tick)
    clock.start()
    last[0] = clock.nsecsElapsed()
    timer.start()
    dialog.start_button.click()
    wait(lambda: bool(done))
    timer.stop()
    assert done == [True], "the copy did not complete"
    dialog.close()
    source.close()
    collector.stop()
    offline.close()
    late = sorted(max(0.0, gap - 1.0) for gap in gaps)
    return {
        "ticks": float(len(late)),
        "max_ms": late[-1],
        "p99_ms": late[int(0.99 * (len(late) - 1))],
        "median_ms": statistics.median(late),
    }


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
        a, a_url, a_token = start_backend(root / "a", "--latency", str(args.latency))
        b, b_url, b_token = start_backend(root / "b", "--latency", str(args.latency))
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
            stall = gui_stall(files, root, b_url, b_token)
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
    print(
        f"GUI thread while the copy dialog copies 10 x 4 MB from the offline workspace: "
        f"max stall {stall['max_ms']:.1f} ms (target < 16), p99 {stall['p99_ms']:.2f} ms, "
        f"median {stall['median_ms']:.2f} ms over {stall['ticks']:.0f} ticks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
