"""The command line as a windowed Windows build runs it (no stdout), and ``--self-test``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio_fixtures import tone
from voiceprint_studio import main as entry
from voiceprint_studio.selftest import CHECKS, NAME_WIDTH

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a windowed (``console=False``) Windows executable gets: no stdout, no stderr."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)


@pytest.mark.usefixtures("no_console")
def test_check_without_a_console_still_sets_its_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import soundfile

    # in English the command needs no Qt application (this process runs the UI tests)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")

    silent = tmp_path / "silence.wav"
    soundfile.write(silent, tone(3, amp=0.0), 16000, subtype="PCM_16")
    assert entry.main(["check", str(silent)]) == 1  # silence is a blocking finding
    assert entry.main(["check", str(tmp_path / "missing.wav")]) == 1


def test_self_test_reports_each_part_by_name_and_passes_here() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "voiceprint_studio", "--self-test"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    names = [line[6 : 6 + NAME_WIDTH].strip() for line in done.stdout.splitlines()[:-1]]
    assert names == [name for name, _check, _needs in CHECKS]
    assert {"Qt core", "Qt GUI"} <= set(names)
    if sys.platform.startswith("linux"):
        assert "xcb platform plugin" in names
    assert all(line.startswith("ok") for line in done.stdout.splitlines()[:-1])


def test_self_test_fails_by_name_when_a_part_is_missing(tmp_path: Path) -> None:
    """A package without its speaker model must not pass."""
    script = (
        "import sys, voiceprint_studio.local.models as m;"
        "m.MODEL_FILE = 'absent.npz';"
        "from voiceprint_studio.selftest import main; sys.exit(main())"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "FAIL  speaker model" in done.stdout
    assert "self-test FAILED: speaker model" in done.stdout


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11 and Wayland only")
def test_no_display_is_said_and_logged_instead_of_qt_aborting(tmp_path: Path) -> None:
    """Started outside a desktop session, the app says so by name and exits 1 (Qt alone
    aborted with rc 134 and "could not connect to display", nothing in the log)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    env.pop("QT_QPA_PLATFORM", None)
    env.update(LANG="en_US.UTF-8", HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-m", "voiceprint_studio"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == entry.EXIT_NO_WINDOW == 1, done.stderr
    assert done.stderr.startswith("Voiceprint Studio: No display found: start Voiceprint Studio")
    assert "qt.qpa" not in done.stderr
    (log,) = tmp_path.rglob("voiceprint-studio.log")
    assert "ERROR" in log.read_text(encoding="utf-8")
    assert "the window cannot open: No display found" in log.read_text(encoding="utf-8")
