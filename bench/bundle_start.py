"""Start-up of the PyInstaller bundle against the venv: cold and warm, whole process.

    .venv/bin/python bench/bundle_start.py BUNDLE_DIR [--runs 5]

``BUNDLE_DIR`` is ``packaging/build.py``'s ``bundle/voiceprint-studio`` folder. Each run
starts the app on the offscreen platform with ``VOICEPRINT_STUDIO_QUIT_AFTER_MS=1`` (the
main window closes 1 ms after it is shown) and times the whole process, from spawn to
exit, with a fresh profile. *Cold*: every file the process may read (the bundle; or the
venv's site-packages, the checkout's package, the standard library and libpython) is first
evicted from the page cache with ``posix_fadvise(DONTNEED)`` (no root needed; the
system libraries both use, X11, GL, fontconfig, stay cached); *warm*: run again at once.
Bundle and venv runs alternate, so load on the machine hits both alike; the ratio is
bundle / venv of the medians in this run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def evict(folders: list[Path]) -> int:
    """Drop these folders' files from the page cache; return how many files."""
    count = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def start_once(command: list[str]) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG"}}
        env.update(
            HOME=home,
            XDG_CONFIG_HOME=f"{home}/config",
            XDG_DATA_HOME=f"{home}/data",
            XDG_STATE_HOME=f"{home}/state",
            XDG_CACHE_HOME=f"{home}/cache",
            QT_QPA_PLATFORM="offscreen",
            VOICEPRINT_STUDIO_QUIT_AFTER_MS="1",
        )
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    venv_python = Path(sys.executable)
    cases = {
        "bundle": ([str(bundle / "voiceprint-studio")], [bundle]),
        "venv": (
            [str(venv_python), "-m", "voiceprint_studio"],
            [
                Path(sysconfig.get_paths()["purelib"]),
                ROOT / "app",
                # the standard library and libpython
                Path(str(sysconfig.get_config_var("LIBDIR"))),
            ],
        ),
    }
    times: dict[str, dict[str, list[float]]] = {k: {"cold": [], "warm": []} for k in cases}
    start_once(cases["bundle"][0])  # compile nothing later, warm the OS's own libraries
    start_once(cases["venv"][0])
    for _ in range(args.runs):
        for name, (command, folders) in cases.items():
            evict(folders)
            times[name]["cold"].append(start_once(command))
            times[name]["warm"].append(start_once(command))
    print(f"whole-process start and quit, {args.runs} runs each, median (min-max) seconds")
    for name, kinds in times.items():
        cells = [
            f"{kind} {statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
            for kind, v in kinds.items()
        ]
        print(f"  {name:<7} " + "   ".join(cells))
    for kind in ("cold", "warm"):
        ratio = statistics.median(times["bundle"][kind]) / statistics.median(times["venv"][kind])
        print(f"  ratio bundle/venv, {kind}: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
