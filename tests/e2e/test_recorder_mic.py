"""The recorder panel end to end: speech played into the virtual microphone is enrolled.

Runs where ``scripts/test.sh`` started PulseAudio with sink ``vspeaker`` and
source ``vmic`` (``VPS_REAL_PARTS=1``); elsewhere skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import soundfile
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import ZH_SHORT_TEXT, espeak_wav, record_from_virtual_mic
from voiceprint_studio.api import VoiceprintGroup
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel

pytestmark = [
    pytest.mark.realparts,
    pytest.mark.skipif(
        os.environ.get("VPS_REAL_PARTS") != "1",
        reason="needs the PulseAudio virtual microphone scripts/test.sh starts (VPS_REAL_PARTS=1)",
    ),
]


def test_speech_recorded_in_the_add_dialog_is_enrolled(
    qtbot: QtBot, tmp_path: Path, services: AppServices
) -> None:
    speech = espeak_wav(tmp_path, "zh", ZH_SHORT_TEXT)
    played_seconds = soundfile.info(str(speech)).duration
    store = services.offline.app().store
    row = store.create_group("Mic test")
    group = VoiceprintGroup(id=row.id, name=row.name)
    panel = VoiceprintsPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.show()
    workspace = services.new_workspace()
    try:
        panel.set_workspace(workspace)
        panel.set_group(group)
        qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)

        panel.new_action.trigger()
        dialog = panel.last_dialog
        assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
        dialog.fields.name_edit.setText("Espeak speaker")
        dialog.set_source(True)
        recorder = dialog.recorder_panel
        qtbot.waitUntil(recorder.record_button.isEnabled, timeout=10000)
        assert recorder.selected_device() is not None
        peaks: list[float] = []
        recorder.timer.timeout.connect(lambda: peaks.append(recorder.meter.dbfs))
        record_from_virtual_mic(qtbot, recorder, speech)
        assert max(peaks) > -40  # the meter moved with the speech
        with qtbot.waitSignal(recorder.check_finished, timeout=30000) as signal:
            recorder.record_button.click()
        report = signal.args[0]
        assert not report.blocking, report.findings
        assert report.speech_seconds is not None and report.speech_seconds > 3.0
        assert report.duration_seconds >= played_seconds
        assert dialog.path() == recorder.current_path()
        assert Path(dialog.path()).exists()
        assert dialog.ok_button.isEnabled(), dialog.problem()

        with qtbot.waitSignal(panel.voiceprints_changed, timeout=30000):
            dialog.ok_button.click()
        qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
        features, total = store.list_features(row.id)
        assert total == 1
        assert panel.model.index(0, 0).data() == "Espeak speaker"
        assert features
    finally:
        panel.shutdown()
        QThreadPool.globalInstance().waitForDone(10000)
        workspace.close()
