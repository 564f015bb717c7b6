"""Project-wide test fixtures.

* Every test runs with its settings, data, cache and state directories pointed
  at its own ``tmp_path``, so no test reads or writes a real profile.
* A test that leaves a Python thread running fails.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.backend_fixtures", "tests.ui_fixtures"]

# Tests run without a screen unless the xcb pass asks for a real X11 window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Under pytest-xdist, worker N > 0 plays into and records from its own PulseAudio pair
# ("vspeakerN"/"vmicN", loaded by scripts/test.sh), set before anything opens a device:
# libpulse (PortAudio's ALSA "pulse" device, paplay) takes these as the defaults.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and _WORKER != "gw0" and os.environ.get("VPS_REAL_PARTS"):
    os.environ["PULSE_SINK"] = f"vspeaker{_WORKER[2:]}"
    os.environ["PULSE_SOURCE"] = f"vmic{_WORKER[2:]}"

_THREAD_GRACE_SECONDS = 5.0


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user directory at the test's own temporary folder."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _file_choosers_start_at_home() -> None:
    """The file choosers' memory of the last folder starts empty in every test."""
    from voiceprint_studio.ui.common import folders

    folders._last.clear()


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread running after it ends."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + _THREAD_GRACE_SECONDS
    leaked: list[threading.Thread] = []
    while True:
        leaked = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        leaked[0].join(timeout=0.05)
    if leaked:
        names = ", ".join(sorted(t.name for t in leaked))
        pytest.fail(f"test left threads running: {names}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``xcb`` need the real X11 pass; elsewhere they are skipped, saying so."""
    if os.environ.get("QT_QPA_PLATFORM") == "xcb":
        return
    skip = pytest.mark.skip(reason="needs a real X11 display: run with -m xcb under Xvfb")
    for item in items:
        if item.get_closest_marker("xcb"):
            item.add_marker(skip)
