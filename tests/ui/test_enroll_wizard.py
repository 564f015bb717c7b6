"""The enrollment wizard and the recorder's recent takes, against the real offline backend.

Recording uses the synthetic microphone (espeak-ng speech played faster than
real time), so no sound card is needed.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import espeak_wav, read_mono, silence, speech_file, synthetic_factory
from tests.backend_fixtures import wav_bytes
from tests.ui_fixtures import GatedUploads, age_pending, destructive_button
from voiceprint_studio.api import VoiceprintGroup
from voiceprint_studio.audio import InputDevice
from voiceprint_studio.audio.playback import Player
from voiceprint_studio.local.store import NewAudio, Store
from voiceprint_studio.settings.profiles import ConnectionProfile
from voiceprint_studio.ui.common.confirm import ACT_BUTTON
from voiceprint_studio.ui.common.errors import ErrorDialog, ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.enroll.enroll_wizard import (
    AUDIO_PAGE,
    CHECK_PAGE,
    DONE_PAGE,
    NAME_PAGE,
    UPLOAD_PAGE,
    EnrollWizard,
)
from voiceprint_studio.ui.recorder.panel import RecorderPanel
from voiceprint_studio.ui.shell.main_window import MainWindow

MIC = InputDevice(0, "Desk mic", "Test API", 48000.0, 1, is_default=True)


def devices() -> list[InputDevice]:
    return [MIC]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> npt.NDArray[np.float32]:
    return read_mono(espeak_wav(tmp_path_factory.mktemp("speech")))


@pytest.fixture
def workspace(services: AppServices) -> Iterator[Workspace]:
    made: list[Workspace] = []

    def factory(profile: ConnectionProfile) -> httpx.BaseTransport | None:
        return transport if profile.service == "coze" else None

    transport = GatedUploads(services.offline.transport())
    services.transport_factory = factory
    workspace = services.new_workspace()
    made.append(workspace)
    yield workspace
    QThreadPool.globalInstance().waitForDone(5000)
    workspace.close()


def make_group(store: Store, name: str = "Front desk") -> VoiceprintGroup:
    row = store.create_group(name)
    return VoiceprintGroup(id=row.id, name=row.name, desc=row.desc, feature_count=0)


def make_panel(
    tmp_path: Path, signal: npt.NDArray[np.float32], services: AppServices
) -> RecorderPanel:
    return RecorderPanel(
        services.preferences,
        folder=tmp_path / "recs",
        stream_factory=synthetic_factory(signal, speed=8.0),
        device_lister=devices,
    )


@pytest.fixture
def speech_panel(
    tmp_path: Path, services: AppServices, speech: npt.NDArray[np.float32]
) -> RecorderPanel:
    return make_panel(tmp_path, speech, services)


def record(qtbot: QtBot, panel: RecorderPanel, seconds: float) -> str:
    """Record ``seconds`` of audio, stop, wait for the check; the take's path."""
    qtbot.waitUntil(panel.record_button.isEnabled, timeout=5000)
    panel.record_button.click()
    qtbot.waitUntil(panel.timer.isActive, timeout=5000)
    qtbot.waitUntil(
        lambda: panel._recorder is not None and panel._recorder.elapsed_seconds >= seconds,
        timeout=10000,
    )
    with qtbot.waitSignal(panel.check_finished, timeout=15000):
        panel.record_button.click()
    return panel.current_path()


def open_wizard(
    qtbot: QtBot,
    services: AppServices,
    workspace: Workspace,
    group: VoiceprintGroup,
    panel: RecorderPanel,
) -> EnrollWizard:
    wizard = EnrollWizard(services, ErrorPresenter(), workspace, group, recorder_panel=panel)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def to_check_page(qtbot: QtBot, wizard: EnrollWizard, seconds: float) -> str:
    assert wizard.page == NAME_PAGE
    assert not wizard.next_button.isEnabled()  # a name is needed
    # said once, below (not also in red under the name before anything was typed)
    assert wizard.hint_label.text() == "Enter a name."
    assert wizard.fields.message_label.text() == ""
    # the name field has the focus: typing goes there
    wizard.activateWindow()
    qtbot.waitUntil(lambda: wizard.focusWidget() is wizard.fields.name_edit)
    qtbot.keyClicks(wizard.focusWidget(), "W")
    qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Backspace)
    assert wizard.fields.message_label.text() == "Enter a name."  # now said there ...
    assert wizard.hint_label.text() == ""  # ... and only there
    qtbot.keyClicks(wizard.focusWidget(), "Wang Fang")
    assert wizard.fields.name() == "Wang Fang"
    wizard.fields.desc_edit.setPlainText("Front desk, mornings")
    assert wizard.next_button.isEnabled()
    wizard.next_button.click()
    assert wizard.page == AUDIO_PAGE
    assert not wizard.next_button.isEnabled()  # nothing recorded yet
    take = record(qtbot, wizard.recorder_panel, seconds)
    assert wizard.next_button.isEnabled()
    wizard.next_button.click()
    assert wizard.page == CHECK_PAGE
    assert wizard.recorder_panel.report_box.isVisibleTo(wizard)
    return take


def test_happy_path_name_record_check_upload_done(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech_panel: RecorderPanel,
) -> None:
    group = make_group(store)
    wizard = open_wizard(qtbot, services, workspace, group, speech_panel)
    take = to_check_page(qtbot, wizard, 8.0)
    report = wizard.recorder_panel.report()
    assert report is not None and not report.blocking, report
    assert wizard.next_button.isEnabled()
    # the offline workspace: the voiceprint is added on this computer, not "uploaded"
    assert wizard.next_button.text() == "&Add >"
    with qtbot.waitSignal(wizard.enrolled, timeout=10000) as signal:
        wizard.next_button.click()
        assert wizard.page == UPLOAD_PAGE
        assert wizard.step_label.text() == "Step 4 of 5: Add"
    assert wizard.page == DONE_PAGE
    assert "was added to the group “Front desk”" in wizard.done_label.text()
    features, total = store.list_features(group.id)
    assert total == 1
    assert features[0].id == signal.args[0]
    assert features[0].name == "Wang Fang"
    assert Path(take).exists()
    # the earlier takes list it under the name typed (the tester's: "(no name)")
    panel = wizard.recorder_panel
    panel.takes_button.click()
    qtbot.waitUntil(lambda: panel.takes() == [take], timeout=5000)
    qtbot.waitUntil(lambda: panel.takes_list.item(0).text().startswith("Wang Fang — started"))
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.next_button.click()  # Finish


def test_a_chosen_raw_pcm_file_is_enrolled_as_16k_mono(
    qtbot: QtBot,
    *,
    tmp_path: Path,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech: npt.NDArray[np.float32],
) -> None:
    """Step 2 offers raw pcm as well as wav (Coze's layout: 16 kHz, mono, 16-bit), and says
    so: a chosen pcm file is checked and enrolled as it is."""
    pcm = tmp_path / "front desk.pcm"
    pcm.write_bytes((np.clip(speech, -1, 1) * 32767).astype("<i2").tobytes())
    group = make_group(store)
    wizard = open_wizard(qtbot, services, workspace, group, make_panel(tmp_path, speech, services))
    wizard.fields.name_edit.setText("Wang Fang")
    wizard.next_button.click()
    assert wizard.page == AUDIO_PAGE
    assert "raw pcm: 16 kHz, mono, 16-bit" in " ".join(
        label.text() for label in wizard.findChildren(QLabel)
    )
    wizard.on_file_dialog_file_selected(str(pcm))  # as the file dialog's fileSelected does
    qtbot.waitUntil(lambda: wizard.recorder_panel.report_for(pcm) is not None, timeout=15000)
    report = wizard.recorder_panel.report_for(pcm)
    assert report is not None and not report.blocking, report
    assert report.duration_seconds == pytest.approx(len(speech) / 16000, abs=0.01)
    qtbot.waitUntil(wizard.next_button.isEnabled)
    wizard.next_button.click()
    assert wizard.page == CHECK_PAGE
    with qtbot.waitSignal(wizard.enrolled, timeout=10000):
        wizard.next_button.click()
    features, total = store.list_features(group.id)
    assert total == 1 and features[0].name == "Wang Fang"
    stored = store.audio_path(features[0].audio_file)
    assert stored is not None and stored.read_bytes() == pcm.read_bytes()


def _on_the_check_page_with_a_44k_stereo_file(
    qtbot: QtBot, wizard: EnrollWizard, folder: Path, speech: npt.NDArray[np.float32]
) -> Path:
    """Name "Wang Fang", a chosen 44.1 kHz stereo wav of ``speech`` (Coze takes it only
    converted), on to the check step; the file."""
    import soundfile
    import soxr

    stereo = np.asarray(soxr.resample(speech, 16000, 44100), np.float32)
    original = folder / "chosen" / "front desk.wav"
    original.parent.mkdir()
    soundfile.write(str(original), np.stack([stereo, stereo], axis=1), 44100)
    wizard.fields.name_edit.setText("Wang Fang")
    wizard.next_button.click()
    wizard.on_file_dialog_file_selected(str(original))
    qtbot.waitUntil(lambda: wizard.recorder_panel.report_for(original) is not None, timeout=15000)
    qtbot.waitUntil(wizard.next_button.isEnabled)
    wizard.next_button.click()
    assert wizard.page == CHECK_PAGE
    return original


def test_a_chosen_44k_stereo_file_is_converted_when_upload_is_clicked(
    qtbot: QtBot,
    *,
    tmp_path: Path,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech: npt.NDArray[np.float32],
) -> None:
    """The add dialog converts such a file when it sends it; the wizard alone kept Upload
    disabled and asked for "Convert to 16 kHz mono" first (a tester's). Now Upload writes
    the copy Coze takes, checks it and sends it; the original stays as it was."""
    import soundfile

    group = make_group(store)
    panel = make_panel(tmp_path, speech, services)
    wizard = open_wizard(qtbot, services, workspace, group, panel)
    original = _on_the_check_page_with_a_44k_stereo_file(qtbot, wizard, tmp_path, speech)
    before = original.read_bytes()
    assert wizard.next_button.isEnabled() and wizard.problem() == ""  # no Convert first
    assert "converted to 16 kHz mono 16-bit when sent" in wizard.recorder_panel.summary_label.text()
    with qtbot.waitSignal(wizard.enrolled, timeout=20000):
        wizard.next_button.click()
        assert wizard.problem() == "Converting to 16 kHz mono…"
    assert wizard.page == DONE_PAGE
    features, total = store.list_features(group.id)
    assert total == 1 and features[0].name == "Wang Fang"
    stored = store.audio_path(features[0].audio_file)
    assert stored is not None
    info = soundfile.info(str(stored))
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    assert original.read_bytes() == before  # the original stays


def test_back_waits_while_upload_converts_the_file(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    *,
    tmp_path: Path,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech: npt.NDArray[np.float32],
) -> None:
    """A reviewer's: Back pressed while Upload converted the file left the check step
    saying "Converting…" for ever, Upload disabled. Back waits for the conversion now."""
    import voiceprint_studio.audio as audio_package

    gate = threading.Event()
    convert = audio_package.convert_file

    def slow_convert(*args: object, **kwargs: object) -> Path:
        gate.wait(10)
        return convert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audio_package, "convert_file", slow_convert)
    group = make_group(store)
    panel = make_panel(tmp_path, speech, services)
    wizard = open_wizard(qtbot, services, workspace, group, panel)
    _on_the_check_page_with_a_44k_stereo_file(qtbot, wizard, tmp_path, speech)
    try:
        wizard.next_button.click()  # Upload: the conversion starts
        assert wizard.problem() == "Converting to 16 kHz mono…"
        assert not wizard.back_button.isEnabled()
        wizard.back_button.click()
        assert wizard.page == CHECK_PAGE
    finally:
        gate.set()
    qtbot.waitUntil(lambda: wizard.page == DONE_PAGE, timeout=20000)
    features, total = store.list_features(group.id)
    assert total == 1 and features[0].name == "Wang Fang"


def test_silent_take_keeps_next_disabled(
    qtbot: QtBot,
    tmp_path: Path,
    services: AppServices,
    store: Store,
    workspace: Workspace,
) -> None:
    group = make_group(store)
    wizard = open_wizard(
        qtbot, services, workspace, group, make_panel(tmp_path, silence(1.0), services)
    )
    to_check_page(qtbot, wizard, 2.0)
    assert wizard.recorder_panel.blocking
    assert not wizard.next_button.isEnabled()
    # (in the offline workspace nothing is uploaded: the walk-through's)
    assert wizard.next_button.toolTip().startswith(
        "The check found a problem that keeps it from being added (see the check)"
    )
    wizard.next_button.click()  # ignored
    assert wizard.page == CHECK_PAGE
    wizard.back_button.click()
    assert wizard.page == AUDIO_PAGE
    wizard.reject()


def test_failed_upload_keeps_the_take_and_retry_succeeds(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech_panel: RecorderPanel,
) -> None:
    transport = services.transport_factory(workspace.coze_profile)  # type: ignore[misc]
    assert isinstance(transport, GatedUploads)
    transport.break_next = True
    group = make_group(store)
    presenter = ErrorPresenter()
    panel = speech_panel
    wizard = EnrollWizard(services, presenter, workspace, group, recorder_panel=panel)
    qtbot.addWidget(wizard)
    wizard.show()
    take = to_check_page(qtbot, wizard, 8.0)
    wizard.next_button.click()
    assert wizard.page == UPLOAD_PAGE
    assert wizard.cancel_upload_button.isEnabled()
    # the duplicate check (on by default offline) finds the group empty, then the upload runs
    qtbot.waitUntil(lambda: not wizard.uploading and not wizard.checking, timeout=10000)
    assert wizard.page == UPLOAD_PAGE
    assert wizard.retry_button.isVisibleTo(wizard)
    assert "Retry" in wizard.message_label.text()
    assert take in wizard.message_label.text()
    assert Path(take).exists()
    assert store.list_features(group.id)[1] == 0
    assert isinstance(presenter.last_dialog, ErrorDialog)
    presenter.last_dialog.close()
    # at once: not in the list yet, and the service may still be adding it -- nothing is
    # sent again (it could be added twice)
    wizard.retry_button.click()
    qtbot.waitUntil(lambda: not wizard.uploading and not wizard.checking, timeout=10000)
    assert "nothing was sent again" in wizard.message_label.text()
    assert "Try again in" in wizard.message_label.text()
    assert store.list_features(group.id)[1] == 0 and wizard.retry_button.isVisibleTo(wizard)
    age_pending(services.pending_journal())  # the operator waited
    with qtbot.waitSignal(wizard.enrolled, timeout=10000):
        wizard.retry_button.click()
    assert wizard.page == DONE_PAGE
    assert store.list_features(group.id)[1] == 1
    wizard.accept()


def test_a_take_is_listed_under_the_name_typed_even_when_the_wizard_closes_unsent(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech_panel: RecorderPanel,
) -> None:
    """The walk-through's: a name typed, a take recorded, the wizard closed without adding:
    Earlier takes listed the take as "(no name)" (it was labelled only when sent). It is
    labelled when it is made, and again when the name is changed afterwards."""
    from voiceprint_studio.audio.takes import take_speaker

    wizard = open_wizard(qtbot, services, workspace, make_group(store), speech_panel)
    take = to_check_page(qtbot, wizard, 2.0)
    qtbot.waitUntil(lambda: take_speaker(take) == "Wang Fang")
    wizard.back_button.click()
    wizard.back_button.click()
    assert wizard.page == NAME_PAGE
    wizard.fields.name_edit.setText("Wang Fang (front desk)")
    wizard.fields.name_edit.editingFinished.emit()  # (the field is left)
    qtbot.waitUntil(lambda: take_speaker(take) == "Wang Fang (front desk)")
    wizard.close()
    box = wizard.discard_box
    assert box is not None
    # it says the take stays (it is one of the recordings folder's)
    assert "The recording stays on this computer" in box.informativeText()
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        destructive_button(box).click()
    assert take_speaker(take) == "Wang Fang (front desk)"


def test_recent_takes_use_and_delete(qtbot: QtBot, tmp_path: Path, services: AppServices) -> None:
    panel = make_panel(tmp_path, silence(1.0), services)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_recording_visible(True)
    assert not panel.takes_box.isVisibleTo(panel)  # earlier takes wait behind a button
    panel.takes_button.click()
    assert panel.takes_box.isVisibleTo(panel)
    qtbot.waitUntil(lambda: panel.takes() == [""], timeout=5000)  # "No takes yet"
    first = record(qtbot, panel, 1.0)
    qtbot.waitUntil(lambda: panel.takes() == [first], timeout=5000)
    second = record(qtbot, panel, 1.0)
    qtbot.waitUntil(lambda: panel.takes() == [second, first], timeout=5000)  # newest first
    assert "MB" in panel.takes_list.item(0).text()
    assert "0:01" in panel.takes_list.item(0).text()
    assert "started" in panel.takes_list.item(0).text()
    assert panel.takes_list.currentRow() == -1  # no older take is pre-selected

    assert not panel.use_take_button.isEnabled()
    assert panel.select_take(first)
    assert panel.use_take_button.isEnabled()
    with (
        qtbot.waitSignal(panel.file_ready) as ready,
        qtbot.waitSignal(panel.check_finished, timeout=15000),
    ):
        panel.use_take_button.click()
    assert ready.args == [first]
    assert panel.current_path() == first

    assert panel.select_take(second)
    panel.delete_take_button.click()
    box = panel.confirm_box
    assert box is not None and box.isVisible()
    assert Path(second).name in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert Path(second).exists()

    panel.delete_take_button.click()
    box = panel.confirm_box
    assert box is not None
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None and act.text() == "Delete"
    act.click()
    qtbot.waitUntil(lambda: panel.takes() == [first], timeout=5000)
    assert not Path(second).exists()
    assert panel.current_path() == first  # the current file was not the deleted one
    panel.shutdown()


def test_deleting_a_take_an_unanswered_upload_was_sent_from_says_so(
    qtbot: QtBot,
    *,
    tmp_path: Path,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech: npt.NDArray[np.float32],
) -> None:
    """A take sent as a voiceprint whose upload got no answer is what Retry sends again if
    it was not made: the delete question said nothing of it (it removes the file for good)."""
    import dataclasses

    from voiceprint_studio.ui.enroll import pending

    group = make_group(store)
    panel = make_panel(tmp_path, speech, services)
    wizard = open_wizard(qtbot, services, workspace, group, panel)
    wizard.fields.name_edit.setText("Li Na")
    wizard.next_button.click()
    take = record(qtbot, panel, 2.0)
    other = record(qtbot, panel, 2.0)
    journal = services.pending_journal()
    sent = pending.PendingCreate(
        id="e1",
        connection="coze|custom|http://x",
        group_id=group.id,
        group_name=group.name,
        name="Li Na",
        path=take,
        started=1000.0,
        state=pending.UNCERTAIN,
    )
    journal.add(sent)
    journal.add(dataclasses.replace(sent, id="e2", path=other, state=pending.ADDED))
    panel.takes_button.click()
    qtbot.waitUntil(lambda: sorted(panel.takes()) == sorted([take, other]), timeout=5000)
    for path, warned in ((take, True), (other, False)):  # (the other was added: not needed)
        box = panel.delete_take(path)
        assert box is not None
        said = "It was sent as “Li Na”, and that upload has had no answer yet"
        assert (said in box.informativeText()) is warned, box.informativeText()
        box.button(QMessageBox.StandardButton.Cancel).click()
        qtbot.waitUntil(lambda: panel.confirm_box is None or not panel.confirm_box.isVisible())
    assert Path(take).exists() and Path(other).exists()


def test_main_window_action_opens_the_wizard_for_the_group(
    qtbot: QtBot, services: AppServices, store: Store
) -> None:
    group = store.create_group("Front desk")
    store.create_feature(group.id, "Li Lei", "", NewAudio(wav_bytes(0.1), "wav"))
    full = store.create_group("Full")
    for i in range(10):
        store.create_feature(full.id, f"Person {i}", "", NewAudio(wav_bytes(0.1), "wav"))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.views_built and window.groups_panel.model.rowCount() == 2)
    assert not window.enroll_action.isEnabled()
    assert "Select a group" in window.enroll_action.toolTip()
    rows = [window.groups_panel.model.record(r).id for r in range(2)]

    window.groups_panel.table.selectRow(rows.index(full.id))
    qtbot.waitUntil(lambda: window.voiceprints_panel.full and not window.voiceprints_panel.busy)
    assert not window.enroll_action.isEnabled()
    assert "full" in window.enroll_action.toolTip()
    assert window.open_enroll_wizard() is None

    window.groups_panel.table.selectRow(rows.index(group.id))
    qtbot.waitUntil(window.enroll_action.isEnabled)
    qtbot.waitUntil(lambda: window.voiceprints_panel.model.rowCount() == 1)
    window.enroll_action.trigger()
    wizard = window.enroll_wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.group.id == group.id
    assert wizard.workspace is window.workspace
    wizard.fields.name_edit.setText("Li Lei")  # a name the group holds already: said
    assert wizard.fields.note_label.text().startswith("“Li Lei” is already in this group")
    wizard.fields.name_edit.clear()
    wizard.reject()
    qtbot.waitUntil(lambda: not window.panels[0].busy and not window.panels[1].busy)
    window.close()
    assert shiboken6.isValid(window)


class AnswersLate(httpx.BaseTransport):
    """Passes requests on; an upload's whole body goes out, then the answer waits for
    ``release`` (the service is still working on it)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sent = threading.Event()
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not request.headers.get("content-type", "").startswith("multipart/"):
            return self.inner.handle_request(request)
        body = b"".join(request.stream)  # type: ignore[union-attr]
        self.sent.set()
        self.release.wait(10)
        again = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        return self.inner.handle_request(again)


def test_escape_during_the_upload_stops_it_and_says_what_happened(
    qtbot: QtBot, services: AppServices, store: Store, tmp_path: Path
) -> None:
    # The reviewer's case: Escape with the whole file sent closed the wizard at once,
    # saying nothing, while the voiceprint was still being added.
    late = AnswersLate(services.offline.transport())
    services.transport_factory = lambda p: late if p.service == "coze" else None
    workspace = services.new_workspace()
    try:
        group = make_group(store)
        take = speech_file(tmp_path / "recs" / "take-20261204-100000-000000.wav")
        panel = RecorderPanel(services.preferences, folder=take.parent, device_lister=devices)
        wizard = open_wizard(qtbot, services, workspace, group, panel)
        wizard.fields.name_edit.setText("Wang Fang")
        wizard.next_button.click()
        with qtbot.waitSignal(panel.check_finished, timeout=15000):
            panel.use_take(take)
        wizard.next_button.click()
        assert wizard.page == CHECK_PAGE
        wizard.duplicate_box.setChecked(False)
        qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
        wizard.next_button.click()
        assert late.sent.wait(10) and wizard.uploading
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
        assert wizard.isVisible()  # stays to say what happened
        late.release.set()
        qtbot.waitUntil(lambda: not wizard.uploading, timeout=10000)
        assert wizard.isVisible() and wizard.page == UPLOAD_PAGE
        assert "may have been added" in wizard.message_label.text()
        assert str(take) in wizard.message_label.text() and take.exists()
        # now Escape asks (a name typed, a take chosen, nothing known to be added)
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
        ask = wizard.discard_box
        assert ask is not None and ask.isVisible()
        assert ask.text() == "Close without adding the voiceprint?"
        ask.defaultButton().click()  # "Keep editing" is the default
        qtbot.waitUntil(lambda: wizard.discard_box is None)
        assert wizard.isVisible()
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
        ask = wizard.discard_box
        assert ask is not None
        destructive_button(ask).click()
        qtbot.waitUntil(lambda: not wizard.isVisible())
        assert take.exists()  # the recording stays on disk
    finally:
        late.release.set()
        QThreadPool.globalInstance().waitForDone(10000)
        workspace.close()


def test_escape_with_nothing_entered_closes_at_once(
    qtbot: QtBot, services: AppServices, workspace: Workspace, store: Store, tmp_path: Path
) -> None:
    panel = RecorderPanel(services.preferences, folder=tmp_path / "recs", device_lister=devices)
    wizard = open_wizard(qtbot, services, workspace, make_group(store), panel)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.discard_box is None and not wizard.isVisible()


def _on_the_audio_step_with_a_take(
    qtbot: QtBot,
    services: AppServices,
    workspace: Workspace,
    store: Store,
    tmp_path: Path,
    **panel_options: Any,
) -> tuple[EnrollWizard, RecorderPanel, Path]:
    """The wizard on step 2 for "Li Na", with an earlier take picked and checked (Next
    enabled): the wizard, its recorder panel, the take."""
    take = speech_file(tmp_path / "recs" / "take-20261204-100000-000000.wav")
    panel = RecorderPanel(
        services.preferences, folder=take.parent, device_lister=devices, **panel_options
    )
    wizard = open_wizard(qtbot, services, workspace, make_group(store), panel)
    wizard.fields.name_edit.setText("Li Na")
    wizard.next_button.click()
    with qtbot.waitSignal(panel.check_finished, timeout=15000):
        panel.use_take(take)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
    return wizard, panel, take


def test_enter_goes_on_whichever_button_has_the_focus(
    qtbot: QtBot, services: AppServices, workspace: Workspace, store: Store, tmp_path: Path
) -> None:
    # the tester's: a take picked from Earlier takes left the focus on "Choose file…",
    # and Enter opened the file picker instead of going to the next step
    wizard, _panel, _take = _on_the_audio_step_with_a_take(
        qtbot, services, workspace, store, tmp_path
    )
    wizard.activateWindow()
    wizard.choose_button.setFocus()
    qtbot.waitUntil(lambda: wizard.focusWidget() is wizard.choose_button)
    qtbot.keyClick(wizard.choose_button, Qt.Key.Key_Return)
    assert wizard.page == CHECK_PAGE and wizard.file_dialog is None


def test_the_view_says_what_the_wizard_added(
    qtbot: QtBot, services: AppServices, store: Store, tmp_path: Path
) -> None:
    # the tester's: after the wizard added "欧阳…", the view still said "Added “李雷”."
    group = store.create_group("Front desk")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.views_built and window.groups_panel.model.rowCount() == 1)
    window.groups_panel.table.selectRow(0)
    qtbot.waitUntil(window.enroll_action.isEnabled)
    view = window.voiceprints_panel
    view.say_added("Li Lei")  # what the add dialog said earlier
    wizard = window.open_enroll_wizard()
    assert wizard is not None and wizard.group.id == group.id
    wizard.fields.name_edit.setText("Ouyang Na")
    wizard.next_button.click()
    take = speech_file(tmp_path / "take-20261204-100000-000000.wav")
    with qtbot.waitSignal(wizard.recorder_panel.check_finished, timeout=15000):
        wizard.recorder_panel.use_take(take)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
    wizard.next_button.click()
    wizard.duplicate_box.setChecked(False)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
    with qtbot.waitSignal(wizard.enrolled, timeout=15000):
        wizard.next_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and not view.busy, timeout=10000)
    assert view.state_label.text() == "Added “Ouyang Na”."
    wizard.done(0)
    window.close()


def test_while_a_new_take_records_the_old_one_is_not_named_as_the_audio_to_use(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    workspace: Workspace,
    speech_panel: RecorderPanel,
) -> None:
    # the tester's: recording a second take, step 2 still said "Audio to use: take-…wav"
    # of the first one
    wizard = open_wizard(qtbot, services, workspace, make_group(store), speech_panel)
    wizard.fields.name_edit.setText("Wang Fang")
    wizard.next_button.click()
    panel = wizard.recorder_panel
    first = Path(record(qtbot, panel, 8.0))
    assert wizard.file_label.text() == f"Audio to use: {first.name}"
    if panel.collapsed:
        panel.record_button.click()  # "Record again…" opens the recorder
    panel.record_button.click()
    qtbot.waitUntil(panel.timer.isActive, timeout=5000)
    assert first.name not in wizard.file_label.text()
    assert wizard.file_label.text() == "Audio to use: the new take being recorded"
    qtbot.waitUntil(
        lambda: panel._recorder is not None and panel._recorder.elapsed_seconds >= 8.0,
        timeout=10000,
    )
    with qtbot.waitSignal(panel.check_finished, timeout=15000):
        panel.record_button.click()  # Stop
    second = Path(panel.current_path())
    assert second != first
    assert wizard.file_label.text() == f"Audio to use: {second.name}"


class PacedStream:
    """An output stream that takes each block as long as a sound card takes to play it."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.frames = 0
        self.open = True
        self.aborted = False
        self._never = threading.Event()

    def __enter__(self) -> PacedStream:
        return self

    def __exit__(self, *args: object) -> None:
        self.open = False

    def write(self, block: npt.NDArray[np.float32]) -> None:
        self._never.wait(len(block) / self.rate)  # (played in real time)
        self.frames += len(block)

    def abort(self) -> None:
        self.aborted = True


class PacedSoundDevice:
    """sounddevice's output side, playing in real time into :class:`PacedStream` s."""

    PortAudioError = OSError

    def __init__(self) -> None:
        self.streams: list[PacedStream] = []

    def query_devices(self, kind: str) -> dict[str, str]:
        return {"name": "speakers"}

    def OutputStream(self, *, samplerate: int, **_kwargs: object) -> PacedStream:
        stream = PacedStream(samplerate)
        self.streams.append(stream)
        return stream


def _play(qtbot: QtBot, panel: RecorderPanel, playing: Callable[[], bool]) -> None:
    assert panel.play_button.isVisible()
    panel.play_button.click()
    qtbot.waitUntil(lambda: panel.playing and playing(), timeout=10000)
    assert panel.play_button.text() == "■ Stop playing"


def test_leaving_the_audio_step_stops_the_take_playing(
    qtbot: QtBot, services: AppServices, workspace: Workspace, store: Store, tmp_path: Path
) -> None:
    # the tester's: a take played on step 2 went on playing after Next (下一步)
    device = PacedSoundDevice()
    wizard, panel, take = _on_the_audio_step_with_a_take(
        qtbot, services, workspace, store, tmp_path, player=Player(lambda: device)
    )

    def stream_playing() -> bool:
        return bool(device.streams) and device.streams[-1].open and device.streams[-1].frames > 0

    ways_out = (
        (wizard.next_button, CHECK_PAGE, wizard.back_button),
        (wizard.back_button, NAME_PAGE, wizard.next_button),
    )
    for leave, page, come_back in ways_out:
        _play(qtbot, panel, stream_playing)
        leave.click()
        assert wizard.page == page
        qtbot.waitUntil(lambda: not panel.playing, timeout=5000)
        stream = device.streams[-1]
        assert stream.aborted and not stream.open  # stopped and closed, not played out
        assert stream.frames < len(read_mono(take))
        come_back.click()
        assert wizard.page == AUDIO_PAGE

    # Cancel: stopped at once, also while it asks whether to close without adding
    _play(qtbot, panel, stream_playing)
    wizard.close_button.click()
    assert wizard.discard_box is not None
    qtbot.waitUntil(lambda: not panel.playing, timeout=5000)
    assert not device.streams[-1].open
    destructive_button(wizard.discard_box).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)


def _our_sink_inputs() -> int:
    """How many PulseAudio playback streams this process has open."""
    listed = subprocess.run(
        ["pactl", "list", "sink-inputs"], capture_output=True, text=True, timeout=10, check=True
    ).stdout
    return listed.count(f'application.process.id = "{os.getpid()}"')


@pytest.mark.realparts
@pytest.mark.skipif(
    os.environ.get("VPS_REAL_PARTS") != "1",
    reason="needs the PulseAudio server scripts/test.sh starts (VPS_REAL_PARTS=1)",
)
def test_next_closes_the_real_playback_stream(
    qtbot: QtBot, services: AppServices, workspace: Workspace, store: Store, tmp_path: Path
) -> None:
    """The real player (PortAudio through PulseAudio's virtual speaker): the stream the
    take plays into is open while it plays and is gone once Next is pressed."""
    wizard, panel, _take = _on_the_audio_step_with_a_take(
        qtbot, services, workspace, store, tmp_path
    )
    assert _our_sink_inputs() == 0
    _play(qtbot, panel, lambda: _our_sink_inputs() == 1)
    wizard.next_button.click()
    assert wizard.page == CHECK_PAGE
    qtbot.waitUntil(lambda: not panel.playing, timeout=5000)
    qtbot.waitUntil(lambda: _our_sink_inputs() == 0, timeout=5000)
