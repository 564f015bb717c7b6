"""GUI responsiveness, cold start and idle memory of the desktop app.

In one run:

1. Longest GUI-thread stall -- a 1 ms precise timer measuring its own lateness
   -- while the real main window pages through 1000 groups (page size 200),
   uploads a 4 MB voiceprint and identifies a clip, with 300 ms latency
   injected into the offline backend. Target: max < 16 ms, p99 < 4 ms.
2. Cold start to main window shown, as a ratio to a bare PySide6 QMainWindow
   process started the same way (median of alternated runs). Target <= 1.3x.
   Also the time until the first page of groups is shown (the app builds its
   views after the window's first paint).
3. Idle resident memory two seconds after start-up (first page loaded), as a
   ratio to the same bare window. Target <= 1.3x.

Runs offscreen by default (``QT_QPA_PLATFORM``); the settings, keyring and data
of the child processes live in a temporary folder. The stall run sets the app
up as :func:`voiceprint_studio.main.run_gui` does: its interpreter settings
(:func:`~voiceprint_studio.main.tune_runtime`), its GUI-thread garbage
collector (:class:`~voiceprint_studio.ui.common.gc_guard.GuiThreadCollector`) and the
offline workspace with the built-in speaker engine, so enrolling really embeds
the 4 MB of audio and identifying really runs the model.

Measurement hygiene: an installed app runs from compiled bytecode (pip compiles
on install, frozen builds ship ``.pyc``), but a checkout run with
``PYTHONDONTWRITEBYTECODE=1`` would compile every module of the app on every
start -- about 150 ms the bare window never pays. So the bench first compiles
the package's bytecode (``compileall``, into the usual ``__pycache__`` folders,
which git ignores) and starts each kind once, unmeasured, to warm the file
cache. ``--no-compile`` measures without compiling first.

    python bench/ui_responsiveness.py [--starts 7] [--no-compile]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
LATENCY = 0.3


def _wav(path: Path, seconds: float) -> Path:
    frames = int(16000 * seconds)
    rng = np.random.default_rng(3)
    t = np.arange(frames) / 16000
    signal = 0.3 * np.sin(2 * np.pi * 180 * t) + 0.05 * rng.standard_normal(frames)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((signal * 32767).astype("<i2").tobytes())
    return path


def measure_stalls(tmp: Path) -> dict[str, Any]:
    """Drive the real window through paging, a 4 MB upload and identify; time the GUI thread."""
    from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from voiceprint_studio.local.engine import BuiltinEngine
    from voiceprint_studio.main import tune_runtime
    from voiceprint_studio.settings.preferences import Preferences
    from voiceprint_studio.settings.secrets import SecretStore
    from voiceprint_studio.ui.common.gc_guard import GuiThreadCollector
    from voiceprint_studio.ui.common.services import AppServices
    from voiceprint_studio.ui.common.session import OfflineBackend
    from voiceprint_studio.ui.shell.main_window import MainWindow

    # As run_gui() sets the app up: interpreter settings, then the GUI-thread collector.
    tune_runtime()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    collector = GuiThreadCollector(parent=app)
    offline = OfflineBackend(tmp / "offline", latency=LATENCY, engine=BuiltinEngine())
    store = offline.app().store
    for i in range(999):
        store.create_group(f"group {i:04d}")
    store.create_group("upload target")  # newest: first row of page 1
    services = AppServices(
        preferences=Preferences(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)),
        secrets=SecretStore(_NoKeyring()),
        offline=offline,
    )
    big = _wav(tmp / "enroll.wav", (4 * 1024 * 1024 - 44) / 32000)
    clip = _wav(tmp / "clip.wav", 10.0)

    gaps: list[float] = []
    phases: list[str] = []
    phase = ["start"]
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    last = [0]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        phases.append(phase[0])
        last[0] = now

    timer.timeout.connect(tick)

    def wait(condition: object, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there in time")
            app.processEvents()
            time.sleep(0.0005)

    window = MainWindow(services)
    window.show()
    groups = window.groups_panel
    wait(lambda: not groups.loading and groups.table.model().rowCount() > 0)
    clock.start()
    last[0] = clock.nsecsElapsed()
    timer.start()

    # Paging 1000 groups at 200 a page.
    phase[0] = "paging"
    groups.pager.size_combo.setCurrentIndex(groups.pager.size_combo.findData(200))
    wait(lambda: not groups.loading and groups.table.model().rowCount() == 200)
    for _ in range(4):
        groups.pager.next_button.click()
        wait(lambda: not groups.loading)
    groups.pager.first_button.click()
    wait(lambda: not groups.loading)
    groups.table.selectRow(0)
    panel = window.voiceprints_panel
    wait(lambda: not panel.loading and panel.new_action.isEnabled())

    # A 4 MB voiceprint upload.
    phase[0] = "upload"
    phase[0] = "upload: opening the dialog"
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is not None
    dialog.fields.name_edit.setText("bench")
    dialog.set_path(big)
    wait(dialog.ok_button.isEnabled)
    phase[0] = "upload: sending"
    dialog.ok_button.click()
    wait(lambda: panel.count == 1, timeout=120)

    # Identify (the built-in engine embeds the clip and scores it against the group).
    phase[0] = "identify"
    phase[0] = "identify: opening the dialog"
    identify = window.open_identify_dialog()
    assert identify is not None
    wait(lambda: identify.groups_loaded)
    identify.clip_source.set_path(str(clip))
    wait(identify.identify_button.isEnabled)
    phase[0] = "identify: sending"
    identify.identify_button.click()
    wait(lambda: not identify.busy)
    timer.stop()
    identify.close()
    window.close()
    collector.stop()
    offline.close()

    worst = sorted(range(len(gaps)), key=gaps.__getitem__, reverse=True)[:5]
    late = sorted(max(0.0, gap - 1.0) for gap in gaps)
    return {
        "worst_phase": phases[worst[0]],
        "longest": [(max(0.0, gaps[i] - 1.0), phases[i]) for i in worst],
        "ticks": len(late),
        "max_ms": late[-1],
        "p99_ms": late[int(0.99 * (len(late) - 1))],
        "median_ms": statistics.median(late),
    }


class _NoKeyring:
    """The bench needs no token (offline workspace): every keyring call says 'none'."""

    def get_password(self, service: str, username: str) -> None:
        return None


def measure_start(runs: int, tmp: Path) -> dict[str, tuple[float, float, float]]:
    """Median (seconds to shown, seconds to ready, idle RSS bytes) for the bare window and
    the app (ready: the first page of groups shown; the bare window at once)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp / var)
        Path(env[var]).mkdir(parents=True, exist_ok=True)
    results: dict[str, list[tuple[float, float, int]]] = {"bare": [], "app": []}
    for run in range(-1, runs):  # run -1: a warm-up start of each kind, not counted
        for kind, samples in results.items():
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, str(HERE / "_ui_child.py"), kind],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
            )
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "SHOWN"
            shown = time.perf_counter() - start
            assert proc.stdout.readline().strip() == "READY"
            ready = time.perf_counter() - start
            rss = int(proc.stdout.readline().split()[1])
            proc.wait(60)
            if run >= 0:
                samples.append((shown, ready, rss))
    return {
        kind: (
            statistics.median(s for s, _, _ in v),
            statistics.median(r for _, r, _ in v),
            statistics.median(m for _, _, m in v),
        )
        for kind, v in results.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7, help="start-ups of each kind")
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help=(
            "do not compile the app's bytecode first (modules without up-to-date bytecode "
            "are then compiled on every start)"
        ),
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not args.no_compile:
        import voiceprint_studio

        compileall.compile_dir(Path(voiceprint_studio.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        starts = measure_start(args.starts, Path(tmp) / "start")
        stalls = measure_stalls(Path(tmp))
    bare_t, _, bare_rss = starts["bare"]
    app_t, app_ready, app_rss = starts["app"]
    print("ui_responsiveness" + (" (app bytecode not precompiled)" if args.no_compile else ""))
    print(
        f"  GUI-thread lateness over {stalls['ticks']} ticks of a 1 ms timer "
        f"(paging 1000 groups, 4 MB upload, identify; {LATENCY * 1000:.0f} ms backend latency):"
    )
    print(
        f"    max {stalls['max_ms']:.2f} ms (target < 16) | p99 {stalls['p99_ms']:.2f} ms "
        f"(target < 4) | median {stalls['median_ms']:.3f} ms | worst during {stalls['worst_phase']}"
    )
    longest = ", ".join(f"{ms:.0f} ({phase})" for ms, phase in stalls["longest"])
    print(f"    five longest, ms: {longest}")
    print(f"  cold start to window shown, median of {args.starts}:")
    print(
        f"    app {app_t * 1000:.0f} ms | bare QMainWindow {bare_t * 1000:.0f} ms | "
        f"ratio {app_t / bare_t:.2f}x (target <= 1.3)"
    )
    print(
        f"    first page of groups shown: app {app_ready * 1000:.0f} ms "
        f"({app_ready / bare_t:.2f}x the bare window shown)"
    )
    print("  idle resident memory 2 s after start:")
    print(
        f"    app {app_rss / 2**20:.1f} MiB | bare {bare_rss / 2**20:.1f} MiB | "
        f"ratio {app_rss / bare_rss:.2f}x (target <= 1.3)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
