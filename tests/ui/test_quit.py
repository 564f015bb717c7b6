"""Quitting: the app process is gone within 2 s, silently, even while a server never answers.

The app runs as a real child process (``python -m voiceprint_studio``) on a custom Coze
profile pointed at :class:`~tests.net_fixtures.SilentServer` (accepts, never answers);
its token comes from :mod:`tests.env_keyring`. Once the window's first call has reached
the server, the window is closed (``VOICEPRINT_STUDIO_QUIT_AFTER_MS``) and the test times
the process's exit from that moment and reads its stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings

from tests.net_fixtures import SilentServer
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.settings.profiles import CUSTOM_COZE_KEY

ROOT = Path(__file__).resolve().parents[2]
# Long enough for the first call to reach the server on a loaded machine (two test
# workers on two cores), which the test needs before the close.
QUIT_AFTER_MS = 6000


def _app_env(home: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "VOICEPRINT_STUDIO_QUIT_AFTER_MS": str(QUIT_AFTER_MS),
            "PYTHON_KEYRING_BACKEND": "tests.env_keyring.EnvKeyring",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            "VPS_TEST_TOKEN": "pat_quit_test_token",
        }
    )
    return env


def _point_coze_at(url: str, home: Path) -> None:
    """Write the app's settings (the child reads them from the same XDG config folder)."""
    config = Path(os.environ["XDG_CONFIG_HOME"])
    settings = QSettings(
        str(config / "Voiceprint Studio" / "Voiceprint Studio.conf"), QSettings.Format.IniFormat
    )
    preferences = Preferences(settings)
    preferences.set(prefs.COZE_PROFILE, CUSTOM_COZE_KEY)
    preferences.set(prefs.COZE_CUSTOM_URL, url)
    preferences.set(prefs.OFFLINE_BANNER_DISMISSED, True)
    settings.sync()


def test_quit_with_a_server_that_never_answers_is_fast_and_silent(
    _isolated_user_dirs: Path,
) -> None:
    with SilentServer() as server:
        _point_coze_at(server.url, _isolated_user_dirs)
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "voiceprint_studio"],
            env=_app_env(_isolated_user_dirs, server.url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = started + 30
            while server.accepted == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert server.accepted >= 1, "the app never called the server"
            stdout, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
        ended = time.monotonic()
    logs = list(_isolated_user_dirs.rglob("voiceprint-studio.log"))
    assert logs, "no log file written"
    log_text = logs[0].read_text(encoding="utf-8")
    quit_at = _quit_time(log_text)
    exit_seconds = ended - quit_at if quit_at is not None else None
    stopped_at = _logged_time(log_text, "stopped at monotonic")
    print(
        f"\nquit with a silent server: process gone {exit_seconds:.2f} s after the close "
        f"(clean-up done after {stopped_at - quit_at:.2f} s)"
        if quit_at is not None and stopped_at is not None
        else "\nquit: no timings logged"
    )
    assert child.returncode == 0
    assert stderr == "", stderr
    assert stdout == ""
    assert "Traceback" not in log_text
    assert exit_seconds is not None and exit_seconds <= 2.0, log_text


def _quit_time(log_text: str) -> float | None:
    """The monotonic time the window was closed, as the app logged it."""
    return _logged_time(log_text, "closing the window at monotonic")


def _logged_time(log_text: str, marker: str) -> float | None:
    for line in log_text.splitlines():
        if marker in line:
            return float(line.rsplit(" ", 1)[1])
    return None
