"""The command line as a windowed Windows build runs it (no stdout), and ``--self-test``."""

from __future__ import annotations

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

