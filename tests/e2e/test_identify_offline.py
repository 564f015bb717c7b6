"""Speaker identification end to end on the offline workspace, through the GUI.

Three espeak-ng voices are enrolled through the main window's add-voiceprint
dialog (files), then the identify dialog is opened from the main window and a
DIFFERENT text of one voice is identified: that voiceprint must rank first with a
score of at least 40, and the dialog must name it as the match.

* ``test_identify_a_file_offline``: the clip is a file; runs offscreen anywhere.
* ``test_identify_a_take_recorded_with_the_virtual_microphone``: the clip is
  recorded with "Record…" while ``paplay`` plays it into PulseAudio's virtual
  microphone (``VPS_REAL_PARTS=1``, as ``scripts/test.sh`` sets up); elsewhere
  skipped with the reason.

Voices and texts as in tests/unit/test_speaker_engine.py, whose score matrix shows
these three voices apart.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import espeak_wav, record_from_virtual_mic
from tests.ui_fixtures import services_on
from voiceprint_studio.api import CozeClient
from voiceprint_studio.local.engine import BuiltinEngine
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OFFLINE_BASE_URL, OfflineBackend
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.identify.identify_dialog import COL_SCORE, IdentifyDialog, ScoreRole
from voiceprint_studio.ui.shell.main_window import MainWindow

ENROLL_TEXT = (
    "The quick brown fox jumps over the lazy dog while the sun sets slowly behind the "
    "hills, and the children walk home."
)
TEST_TEXT = "Please remember to bring the documents to the meeting on Thursday morning at nine."
#: name -> espeak voice
VOICES = {"Li Lei": "en-us+m1", "Han Meimei": "en-us+f3", "Wang Qiang": "en-us+m7"}
SPEAKER = "Li Lei"  # the one who speaks the clip

real_parts = pytest.mark.skipif(
    os.environ.get("VPS_REAL_PARTS") != "1",
    reason="needs the PulseAudio virtual microphone scripts/test.sh starts (VPS_REAL_PARTS=1)",
)


@dataclass
class Setup:
    services: AppServices
    window: MainWindow
    clip: Path  # SPEAKER reading TEST_TEXT


@pytest.fixture
def setup(qtbot: QtBot, tmp_path: Path) -> Iterator[Setup]:
    """The main window on an offline workspace with the built-in engine; three voices enrolled
    through its add-voiceprint dialog."""
    offline = OfflineBackend(tmp_path / "offline", engine=BuiltinEngine())
    services = services_on(tmp_path, offline)
    with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as client:
        client.create_group("Front desk", "Staff at the front desk")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    groups = window.groups_panel
    qtbot.waitUntil(lambda: window.views_built and groups.model.rowCount() == 1, timeout=10000)
    groups.table.selectRow(0)
    panel = window.voiceprints_panel
    qtbot.waitUntil(lambda: panel.group is not None and not panel.loading, timeout=10000)
    for name, voice in VOICES.items():
        wav = espeak_wav(tmp_path, voice, ENROLL_TEXT, name=f"enroll-{voice}")
        panel.new_action.trigger()
        dialog = panel.last_dialog
        assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
        dialog.fields.name_edit.setText(name)
        dialog.set_path(wav)
        qtbot.waitUntil(lambda d=dialog: not d.reading_file(), timeout=5000)
        # The duplicate check has its own tests; these are three different voices.
        assert dialog.duplicate_box is not None
        dialog.duplicate_box.setChecked(False)
        with qtbot.waitSignal(panel.voiceprints_changed, timeout=30000):
            dialog.ok_button.click()
        qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
    assert panel.count == 3
    qtbot.waitUntil(lambda: not groups.busy and not groups.loading, timeout=10000)
    clip = espeak_wav(tmp_path, VOICES[SPEAKER], TEST_TEXT, name="clip")
    yield Setup(services, window, clip)
    window.close()
    QThreadPool.globalInstance().waitForDone(10000)
    offline.close()


def open_identify(qtbot: QtBot, window: MainWindow) -> IdentifyDialog:
    dialog = window.open_identify_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.groups_loaded, timeout=10000)
    group = dialog.selected_group()
    assert group is not None and group.name == "Front desk"
    assert group.feature_count == 3
    assert "built-in model" in dialog.billing_label.text()
    return dialog


def identify_and_check(qtbot: QtBot, dialog: IdentifyDialog) -> None:
    qtbot.waitUntil(dialog.identify_button.isEnabled, timeout=20000)
    dialog.identify_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    model = dialog.model
    rows = [
        (model.index(r, 0).data(), model.index(r, COL_SCORE).data(ScoreRole))
        for r in range(model.rowCount())
    ]
    print("\nidentify results:", rows)
    assert len(rows) == 3
    assert rows[0][0] == SPEAKER
    assert rows[0][1] >= 40
    assert rows[1][1] < rows[0][1]
    assert rows[0][1] - rows[1][1] >= 10  # a clear lead over the runner-up
    assert dialog.sentence_label.text() == f"Most likely {SPEAKER}."
    assert f"“{SPEAKER}” scored {rows[0][1]:.1f}" in dialog.details_label.text()
    assert model.index(0, 3).data() == "Most likely"


def test_identify_a_file_offline(qtbot: QtBot, setup: Setup) -> None:
    dialog = open_identify(qtbot, setup.window)
    dialog.clip_source.set_path(setup.clip)
    identify_and_check(qtbot, dialog)
    dialog.close()


@pytest.mark.realparts
@real_parts
def test_identify_a_take_recorded_with_the_virtual_microphone(qtbot: QtBot, setup: Setup) -> None:
    dialog = open_identify(qtbot, setup.window)
    source = dialog.clip_source
    source.record_button.click()  # "Record…" shows the recorder
    recorder = source.recorder_panel
    assert recorder.isVisibleTo(dialog)
    qtbot.waitUntil(recorder.record_button.isEnabled, timeout=10000)
    assert recorder.selected_device() is not None
    record_from_virtual_mic(qtbot, recorder, setup.clip)
    with qtbot.waitSignal(recorder.check_finished, timeout=30000) as checked:
        recorder.record_button.click()
    report = checked.args[0]
    assert not report.blocking, report.findings
    take = recorder.current_path()
    assert take and Path(take).exists()
    assert source.path_edit.text() == take  # the take is the clip
    identify_and_check(qtbot, dialog)
    dialog.close()
