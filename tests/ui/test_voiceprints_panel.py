"""The voiceprints view against the real offline backend: add, cancel, retry, limit, edit, play."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import speech_file
from tests.backend_fixtures import pcm_bytes, wav_bytes
from tests.ui_fixtures import GatedUploads, age_pending, destructive_button, hang_service
from voiceprint_studio.api import VoiceprintGroup
from voiceprint_studio.audio.errors import AudioSystemError
from voiceprint_studio.audio.playback import Clip, Player, decode_audio
from voiceprint_studio.local.store import NewAudio, Store
from voiceprint_studio.settings.profiles import ConnectionProfile
from voiceprint_studio.transfer.trash import RecentlyDeleted
from voiceprint_studio.ui.common.errors import ErrorDialog, ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog, format_size
from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel
from voiceprint_studio.ui.transfer.trash_dialog import trash_folder


@pytest.fixture
def gate(services: AppServices) -> GatedUploads:
    transport = GatedUploads(services.offline.transport())

    def factory(profile: ConnectionProfile) -> httpx.BaseTransport | None:
        return transport if profile.service == "coze" else None

    services.transport_factory = factory
    return transport


@pytest.fixture
def presenter() -> ErrorPresenter:
    return ErrorPresenter()


@pytest.fixture
def make_panel(
    qtbot: QtBot, services: AppServices, presenter: ErrorPresenter
) -> Iterator[Callable[[VoiceprintGroup | None], VoiceprintsPanel]]:
    made: list[tuple[VoiceprintsPanel, Workspace]] = []

    def make(group: VoiceprintGroup | None) -> VoiceprintsPanel:
        panel = VoiceprintsPanel(services, presenter)
        qtbot.addWidget(panel)
        panel.resize(900, 400)
        panel.show()
        workspace = services.new_workspace()
        panel.set_workspace(workspace)
        made.append((panel, workspace))
        panel.set_group(group)
        wait_idle(qtbot, panel)
        return panel

    yield make
    for panel, workspace in made:
        panel.shutdown()
        QThreadPool.globalInstance().waitForDone(5000)
        workspace.close()


def wait_idle(qtbot: QtBot, panel: VoiceprintsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=5000)


def group_record(store: Store, group_id: str) -> VoiceprintGroup:
    row = store.require_group(group_id)
    return VoiceprintGroup(id=row.id, name=row.name, desc=row.desc, feature_count=row.feature_count)


def write_wav(tmp_path: Path, name: str = "voice.wav") -> Path:
    """Speech that passes the enrollment check (nothing unchecked is uploaded)."""
    return speech_file(tmp_path / name)


def open_add_dialog(panel: VoiceprintsPanel) -> VoiceprintDialog:
    """Add voiceprint… on ``panel``: the dialog it opened."""
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    return dialog


def select_row(panel: VoiceprintsPanel, row: int) -> None:
    panel.table.selectionModel().select(
        panel.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def names(panel: VoiceprintsPanel) -> list[str]:
    return [v.name for v in panel.model.records()]


# -- add, cancel, retry ---------------------------------------------------------------


def test_add_from_wav_with_progress_then_play_download(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
    qtmodeltester: Any,
) -> None:
    group = store.create_group("Front desk")
    panel = make_panel(group_record(store, group.id))
    header = panel.header_label.text()
    assert "“Front desk”" in header
    assert "0 of 10 voiceprint" in header
    assert "no voiceprints yet" in panel.empty_label.text()
    assert panel.new_action.isEnabled()

    path = write_wav(tmp_path)  # 417 KB: several chunks
    dialog = open_add_dialog(panel)
    assert not dialog.ok_button.isEnabled()  # no name, no file yet
    assert dialog.fields is not None
    dialog.fields.name_edit.setText("Wang Fang")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem() == "Record the audio, or choose a file."  # recording comes first
    dialog.set_path(path)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    assert not dialog.pcm_widget.isVisibleTo(dialog)
    assert dialog.ok_button.isEnabled()
    progress: list[tuple[int, int]] = []
    dialog.progress_changed.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=5000):
        dialog.ok_button.click()
        assert dialog.progress_widget.isVisibleTo(dialog)
        assert dialog.cancel_button.isEnabled()
    size = path.stat().st_size
    assert progress[-1] == (size, size)
    assert progress[0] == (0, size)
    assert len(progress) >= 3
    wait_idle(qtbot, panel)
    assert names(panel) == ["Wang Fang"]
    assert "1 of 10" in panel.header_label.text()
    assert panel.current_voiceprint() is not None  # the new one is selected
    qtmodeltester.check(panel.model)

    # Play: the audio is downloaded on a worker, and is exactly what was uploaded.
    assert panel.play_action.isEnabled()
    panel.play_action.trigger()
    qtbot.waitUntil(lambda: panel._audio is not None, timeout=5000)
    assert panel._audio is not None
    assert panel._audio[2] == path.read_bytes()
    try:
        import sounddevice

        sounddevice.query_devices(kind="output")
        has_output = True
    except Exception:
        has_output = False
    if has_output:  # pragma: no cover - depends on the machine
        qtbot.waitUntil(lambda: panel.playing, timeout=5000)
        panel.stop_action.trigger()
        assert not panel.playing
        return
    # No sound device here: a clear message offering "Save audio as…" instead.
    qtbot.waitUntil(lambda: panel.playback_box is not None, timeout=5000)
    box = panel.playback_box
    assert box is not None
    assert "no sound output device" in box.text()
    assert "Save the audio" in box.informativeText()
    assert not panel.playing
    save = next(b for b in box.buttons() if b.text() == "Save audio as…")
    save.click()
    assert panel.save_dialog is not None
    target = tmp_path / "saved.wav"
    panel.save_dialog.close()
    voiceprint = panel.current_voiceprint()
    assert voiceprint is not None
    panel.save_audio_to(voiceprint, target)
    qtbot.waitUntil(lambda: target.exists() and "Saved the audio" in panel.state_label.text())
    assert target.read_bytes() == path.read_bytes()


def test_cancel_upload_in_flight_then_retry(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    gate: GatedUploads,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    path = write_wav(tmp_path)
    gate.hold = True
    dialog = open_add_dialog(panel)
    dialog.fields.name_edit.setText("Li Lei")
    dialog.set_path(path)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    dialog.ok_button.click()
    qtbot.waitUntil(gate.held.is_set, timeout=5000)
    qtbot.waitUntil(lambda: " of " in dialog.progress_label.text())
    assert dialog.progress_label.text().endswith(f"of {format_size(path.stat().st_size)}")
    assert not dialog.close_button.isEnabled()
    dialog.cancel_button.click()
    assert dialog.progress_label.text() == "Cancelling…"
    gate.release.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert "cancelled" in dialog.message_label.text()
    assert dialog.isVisible()
    assert dialog.path() == str(path)  # the chosen file stays for a retry
    assert dialog.ok_button.text() == "Retry"
    assert store.list_features(group.id)[1] == 0

    gate.hold = False
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.ok_button.click()
    wait_idle(qtbot, panel)
    assert names(panel) == ["Li Lei"]


def test_failed_upload_keeps_the_file_for_retry(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    gate: GatedUploads,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    path = write_wav(tmp_path)
    gate.break_next = True
    dialog = open_add_dialog(panel)
    dialog.fields.name_edit.setText("Han Meimei")
    dialog.fields.desc_edit.setPlainText("Evening shift")
    dialog.set_path(path)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    # The body went out and no answer came: the operator is told it may exist, inline.
    assert "may have been added" in dialog.message_label.text()
    assert "Retry" in dialog.message_label.text()
    assert dialog.ok_button.text() == "Retry"
    assert dialog.path() == str(path)
    assert dialog.fields.name() == "Han Meimei"
    assert store.list_features(group.id)[1] == 0
    # Retry at once: not listed yet, and the service may still be adding it -- nothing
    # is sent again (it could be added twice); the dialog says when to try again
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert "nothing was sent again" in dialog.message_label.text()
    assert "Try again in" in dialog.message_label.text()
    assert store.list_features(group.id)[1] == 0 and dialog.ok_button.text() == "Retry"
    age_pending(panel.services.pending_journal())  # the operator waited
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.ok_button.click()
    wait_idle(qtbot, panel)
    assert names(panel) == ["Han Meimei"]
    assert panel.model.index(0, 1).data() == "Evening shift"


@pytest.mark.parametrize("mode", ["add", "replace"])
def test_a_typed_path_is_checked_before_anything_is_sent(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
    mode: str,
) -> None:
    # the reviewer typed the path of a 0.9 s clip (and of a silent file for Replace)
    # instead of choosing it with Browse: it was sent without the check
    group = store.create_group("Team")
    feature = store.create_feature(group.id, "Old", "", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    short = tmp_path / "short.wav"
    short.write_bytes(wav_bytes(0.9))
    if mode == "add":
        panel.new_action.trigger()
    else:
        select_row(panel, 0)
        panel.replace_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, VoiceprintDialog)
    if dialog.fields is not None:
        dialog.fields.name_edit.setText("Someone")
    dialog.set_source(False)
    dialog.path_edit.setText(str(short))  # typed, not chosen
    qtbot.waitUntil(lambda: dialog.recorder_panel.report_for(short) is not None, timeout=10000)
    assert not dialog.ok_button.isEnabled()
    # (the offline workspace: nothing is uploaded there)
    assert dialog.problem() == (
        "The check found a problem that keeps it from being added: see the check."
    )
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # Enter sends nothing
    assert not dialog.busy
    assert store.list_features(group.id)[1] == 1
    stored = store.get_feature(group.id, feature.id)
    assert stored is not None
    audio = store.audio_path(stored.audio_file)
    assert audio is not None and audio.read_bytes() == wav_bytes(0.2)

    good = write_wav(tmp_path, "good.wav")
    dialog.path_edit.setText(str(good))
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    assert dialog.recorder_panel.report_for(good) is not None  # checked, then allowed


def test_enter_on_a_typed_path_that_is_not_there_says_why(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    """A path typed by hand that is not there: Enter says why (the check of it, in the
    dialog) instead of nothing happening while Add stays grey."""
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    dialog.fields.name_edit.setText("Someone")
    dialog.set_source(False)
    missing = tmp_path / "nothere.wav"
    dialog.path_edit.setFocus()
    qtbot.keyClicks(dialog.path_edit, str(missing))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    checker = dialog.recorder_panel
    qtbot.waitUntil(lambda: checker.report_for(missing) is not None, timeout=10000)
    assert checker.report_list.isVisibleTo(dialog)
    assert "“nothere.wav” cannot be read" in checker.report_list.item(0).text()
    assert "Check that the file exists" in checker.report_list.item(0).text()
    assert not dialog.ok_button.isEnabled() and not dialog.busy
    assert store.list_features(group.id)[1] == 0


def test_escape_asks_before_dropping_what_was_typed(
    qtbot: QtBot,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    """Escape (or Close) in the add dialog closed it at once, dropping the typed name; an
    empty dialog still closes at once."""
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    panel.new_action.trigger()
    empty = panel.last_dialog
    assert isinstance(empty, VoiceprintDialog)
    qtbot.waitExposed(empty)
    qtbot.keyClick(empty, Qt.Key.Key_Escape)
    assert empty.discard_box is None  # nothing to lose: closed without asking
    qtbot.waitUntil(lambda: not shiboken6.isValid(empty) or not empty.isVisible())

    dialog = open_add_dialog(panel)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.fields.name_edit, "Zhao Liu")
    qtbot.keyClick(dialog.fields.name_edit, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and dialog.isVisible()
    assert box.text() == "Close without adding the voiceprint?"
    # it says what applies: a name typed, no take recorded
    assert box.informativeText() == "What you typed here is not kept."
    assert box.defaultButton().text() == "Keep editing"
    box.defaultButton().click()  # Keep editing: nothing lost
    qtbot.waitUntil(lambda: dialog.discard_box is None)
    assert dialog.isVisible() and dialog.fields.name() == "Zhao Liu"
    dialog.close_button.click()
    box = dialog.discard_box
    assert box is not None
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        destructive_button(box).click()


def test_enter_without_audio_says_what_is_missing(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    """The walk-through's: a name typed and Enter pressed with no audio yet did nothing and
    said nothing (only the disabled Add's tooltip said why). Enter now says it under the
    form, and the words follow what is still missing until Add can add."""
    from tests.audio_fixtures import speech_file

    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    qtbot.waitExposed(dialog)
    assert not dialog.hint_label.isVisibleTo(dialog)  # (nothing said before Enter)
    qtbot.keyClicks(dialog.fields.name_edit, "Zhao Liu")
    qtbot.keyClick(dialog.fields.name_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.ok_button.isEnabled()
    assert dialog.hint_label.isVisibleTo(dialog)
    assert dialog.hint_label.text() == "Record the audio, or choose a file."
    dialog.file_radio.setChecked(True)
    assert dialog.hint_label.text() == "Choose the audio file."
    take = tmp_path / "zhao.wav"
    speech_file(take)
    dialog.set_path(take)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=15000)
    assert not dialog.hint_label.isVisibleTo(dialog)  # nothing missing: nothing said
    dialog.close_button.click()
    box = dialog.discard_box
    assert box is not None
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        destructive_button(box).click()


def test_bad_file_is_refused_in_the_dialog(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    dialog.fields.name_edit.setText("Someone")
    pcm = tmp_path / "voice.pcm"
    pcm.write_bytes(pcm_bytes())
    dialog.set_path(pcm)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    assert dialog.pcm_widget.isVisibleTo(dialog)
    assert dialog.sample_rate_spin.value() == 16000
    assert dialog.channels_spin.value() == 1
    dialog.set_path(tmp_path / "missing.wav")
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    assert not dialog.ok_button.isEnabled()
    assert "cannot be read" in dialog.problem()
    assert "cannot be read" in dialog.ok_button.toolTip()
    dialog.ok_button.click()
    assert not dialog.busy and dialog.isVisible()
    # The pcm file with the default layout goes through.
    dialog.set_path(pcm)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.ok_button.click()
    wait_idle(qtbot, panel)
    assert names(panel) == ["Someone"]


# -- the limit, edit, replace, delete -------------------------------------------------


def test_full_group_disables_add_with_the_reason(
    qtbot: QtBot,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    group = store.create_group("Full")
    for i in range(10):
        store.create_feature(group.id, f"Person {i}", "", NewAudio(wav_bytes(0.1), "wav"))
    record = group_record(store, group.id)
    assert record.feature_count == 10
    panel = make_panel(record)
    assert "10 of 10" in panel.header_label.text()
    assert not panel.new_action.isEnabled()
    assert "full" in panel.new_action.toolTip()
    assert "Delete a voiceprint first" in panel.new_action.toolTip()
    assert panel.full_label.isVisibleTo(panel)
    panel.on_new_action_triggered()  # even if triggered, no dialog opens
    assert panel.last_dialog is None

    # The group's count was stale (9): the server's total decides.
    stale = VoiceprintGroup(id=record.id, name=record.name, feature_count=9)
    panel.set_group(stale)
    wait_idle(qtbot, panel)
    assert not panel.new_action.isEnabled()

    # Deleting one frees a place.
    select_row(panel, 0)
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    destructive_button(box).click()
    qtbot.waitUntil(panel.new_action.isEnabled, timeout=5000)
    wait_idle(qtbot, panel)
    assert "9 of 10" in panel.header_label.text()
    assert not panel.full_label.isVisibleTo(panel)


def test_enter_on_a_voiceprint_edits_it_like_a_double_click(
    qtbot: QtBot,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    # the tester's: Enter on a selected voiceprint did nothing (F2 and a double-click edit it)
    group = store.create_group("Office")
    store.create_feature(group.id, "Zhang San", "", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    select_row(panel, 0)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is not None
    assert dialog.fields.name_edit.text() == "Zhang San"


def test_edit_replace_and_delete(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    group = store.create_group("Office")
    feature = store.create_feature(group.id, "Zhang San", "old", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    assert names(panel) == ["Zhang San"]
    assert not panel.edit_action.isEnabled()
    select_row(panel, 0)
    assert panel.edit_action.isEnabled()

    # Edit the name and description.
    panel.edit_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is not None
    assert not dialog.file_widget.isVisibleTo(dialog)
    dialog.fields.name_edit.setText("Zhang San (HR)")
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=5000):
        dialog.ok_button.click()
    wait_idle(qtbot, panel)
    assert names(panel) == ["Zhang San (HR)"]
    stored = store.get_feature(group.id, feature.id)
    assert stored is not None
    assert (stored.name, stored.desc) == ("Zhang San (HR)", "old")

    # Replace the audio.
    new_audio = write_wav(tmp_path, "new.wav")
    select_row(panel, 0)
    panel.play_action.trigger()  # the old audio is fetched (and cached) to play it
    qtbot.waitUntil(lambda: panel._audio is not None, timeout=5000)
    assert panel._audio is not None and panel._audio[2] == wav_bytes(0.2)
    panel.replace_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None
    assert dialog.fields is None
    assert "Zhang San (HR)" in dialog.heading_label.text()
    dialog.set_path(new_audio)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=5000):
        dialog.ok_button.click()
    wait_idle(qtbot, panel)
    stored = store.get_feature(group.id, feature.id)
    assert stored is not None
    audio_path = store.audio_path(stored.audio_file)
    assert audio_path is not None
    assert audio_path.read_bytes() == new_audio.read_bytes()
    assert panel._audio is None  # Play and Save audio fetch the new audio, not the cached old
    # the audio it replaced is in "Recently deleted", and the status says so
    (kept,) = RecentlyDeleted(trash_folder(panel.services)).entries()
    assert kept.kind == "replaced"
    assert [(v.name, v.audio.read_bytes()) for v in kept.voiceprints] == [
        ("Zhang San (HR)", wav_bytes(0.2))
    ]
    assert "Recently deleted" in panel.state_label.text()

    # Delete, after a confirmation naming the voiceprint and the group.
    select_row(panel, 0)
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    assert "“Zhang San (HR)”" in box.text()
    assert "“Office”" in box.text()
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=5000):
        destructive_button(box).click()
        assert not panel.delete_action.isEnabled()
    wait_idle(qtbot, panel)
    assert names(panel) == []
    assert store.list_features(group.id)[1] == 0
    assert "0 of 10" in panel.header_label.text()


def test_a_replace_that_did_not_happen_leaves_nothing_in_recently_deleted(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    gate: GatedUploads,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    """Replace audio keeps the old audio in "Recently deleted" before its first try.
    Cancelled before the file was sent, then abandoned (the dialog closed): the audio was
    certainly not replaced, and the kept copy goes again -- nothing is left there that
    the operator was not told about. Once a try's file reached the service, whatever the
    last answer (a refusal; no connection at all on the client's own second try, after
    the first was carried out and its answer lost), the copy stays, and the status line
    says where: it may be the only copy of the old audio."""
    group = store.create_group("Office")
    feature = store.create_feature(group.id, "Zhang San", "", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    trash = RecentlyDeleted(trash_folder(panel.services))
    new_audio = write_wav(tmp_path, "new.wav")

    def stored_audio() -> bytes:
        stored = store.get_feature(group.id, feature.id)
        assert stored is not None
        path = store.audio_path(stored.audio_file)
        assert path is not None
        return path.read_bytes()

    def replace_failing(fault: Callable[[VoiceprintDialog], None]) -> VoiceprintDialog:
        wait_idle(qtbot, panel)
        select_row(panel, 0)
        qtbot.waitUntil(panel.replace_action.isEnabled, timeout=5000)
        earlier = panel.last_dialog
        panel.replace_action.trigger()
        dialog = panel.last_dialog
        assert dialog is not None and dialog is not earlier
        assert dialog.mode == VoiceprintDialog.REPLACE
        dialog.set_path(new_audio)
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
        fault(dialog)
        qtbot.waitUntil(
            lambda: not dialog.busy and bool(dialog.message_label.text()), timeout=10000
        )
        assert dialog.ok_button.text() == "Retry"
        (kept,) = trash.entries()  # kept before the try
        assert kept.kind == "replaced"
        assert [(v.name, v.audio.read_bytes()) for v in kept.voiceprints] == [
            ("Zhang San", wav_bytes(0.2))
        ]
        return dialog

    def close(dialog: VoiceprintDialog) -> None:
        """Close the dialog as the operator does: Close, then "Close without replacing"."""
        dialog.close_button.click()
        box = dialog.discard_box
        assert box is not None and "without replacing" in box.text()
        destructive_button(box).click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    def cancelled_mid_body(dialog: VoiceprintDialog) -> None:
        gate.hold = True
        gate.release.clear()
        dialog.ok_button.click()
        qtbot.waitUntil(gate.held.is_set, timeout=10000)
        dialog.cancel_button.click()
        gate.release.set()

    # cancelled before the whole file was sent: nothing was replaced, nothing stays
    dialog = replace_failing(cancelled_mid_body)
    gate.hold = False
    close(dialog)
    qtbot.waitUntil(lambda: trash.entries() == [], timeout=5000)
    assert stored_audio() == wav_bytes(0.2)
    assert "Recently deleted" not in panel.state_label.text()

    # the file reached the service, which refused it: the copy stays, and it is said
    def refused(dialog: VoiceprintDialog) -> None:
        gate.refuse_next = True
        dialog.ok_button.click()

    dialog = replace_failing(refused)
    close(dialog)
    qtbot.waitUntil(lambda: "may have been saved" in panel.state_label.text(), timeout=5000)
    assert "File > Recently deleted" in panel.state_label.text()
    assert len(trash.entries()) == 1
    trash.empty()

    # carried out, its answer lost; the client's next try finds no connection (a
    # "nothing was sent" error is the last one): the audio WAS replaced, the copy stays
    def applied_then_unreachable(dialog: VoiceprintDialog) -> None:
        gate.lose_answer_next = True
        gate.unreachable_next = 10
        dialog.ok_button.click()

    dialog = replace_failing(applied_then_unreachable)
    gate.unreachable_next = 0
    assert stored_audio() == new_audio.read_bytes()
    panel._set_status("")
    close(dialog)
    qtbot.waitUntil(lambda: "may have been saved" in panel.state_label.text(), timeout=5000)
    (kept,) = trash.entries()  # the only copy of the old audio
    assert [v.audio.read_bytes() for v in kept.voiceprints] == [wav_bytes(0.2)]


def test_no_group_selected(
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    panel = make_panel(None)
    assert panel.stack.currentWidget() is panel.empty_label
    assert "Select one voiceprint group" in panel.empty_label.text()
    for action in (panel.new_action, panel.edit_action, panel.delete_action, panel.play_action):
        assert not action.isEnabled()


# -- the Qt-free player ---------------------------------------------------------------


class FakeStream:
    def __init__(self, written: list[np.ndarray], on_write: Callable[[], None]) -> None:
        self.written = written
        self.on_write = on_write
        self.aborted = False

    def __enter__(self) -> FakeStream:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def write(self, block: np.ndarray) -> None:
        self.written.append(block.copy())
        self.on_write()

    def abort(self) -> None:
        self.aborted = True


class FakeSoundDevice:
    class PortAudioError(Exception):
        pass

    def __init__(self, *, device: bool = True, on_write: Callable[[], None] = lambda: None) -> None:
        self.device = device
        self.written: list[np.ndarray] = []
        self.on_write = on_write
        self.streams: list[FakeStream] = []

    def query_devices(self, kind: str) -> dict[str, str]:
        if not self.device:
            raise self.PortAudioError("Error querying device -1")
        return {"name": "fake"}

    def OutputStream(self, **_kwargs: object) -> FakeStream:
        stream = FakeStream(self.written, self.on_write)
        self.streams.append(stream)
        return stream


def test_player_plays_every_frame_and_stops_on_request() -> None:
    clip = decode_audio(wav_bytes(0.5))
    assert clip.rate == 16000 and clip.channels == 1
    fake = FakeSoundDevice()
    assert Player(lambda: fake).play(clip, threading.Event()) is True
    assert sum(len(block) for block in fake.written) == clip.frames

    stop = threading.Event()
    stopper = FakeSoundDevice(on_write=stop.set)
    assert Player(lambda: stopper).play(clip, stop) is False
    assert len(stopper.written) == 1
    assert stopper.streams[0].aborted


def test_player_reports_missing_sound_system(monkeypatch: pytest.MonkeyPatch) -> None:
    clip = Clip(np.zeros((160, 1), dtype=np.float32), 16000)
    with pytest.raises(AudioSystemError) as no_device:
        Player(lambda: FakeSoundDevice(device=False)).play(clip, threading.Event())
    assert no_device.value.key == "no_device"

    monkeypatch.setitem(sys.modules, "sounddevice", None)  # as if it could not be imported
    with pytest.raises(AudioSystemError) as missing:
        Player().play(clip, threading.Event())
    assert missing.value.key == "no_portaudio"


def test_decode_raw_pcm() -> None:
    clip = decode_audio(pcm_bytes(0.1))
    assert (clip.rate, clip.channels, clip.frames) == (16000, 1, 1600)


def test_stop_gives_up_on_a_page_that_does_not_come(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    group = store.create_group("Team")
    entered, release = hang_service(services, "coze")
    panel = make_panel(None)
    store.create_feature(group.id, "Zhang San", "", NewAudio(wav_bytes(0.2), "wav"))
    try:
        panel.set_group(group_record(store, group.id))
        qtbot.waitUntil(entered.is_set)
        strip = panel.state_label
        assert panel.loading and strip.stop_button.isVisible()
        strip.stop_button.click()
        assert not panel.loading
        assert not strip.busy_bar.isVisible()
        assert strip.text() == "Loading was cancelled. Refresh to try again."
        assert panel.new_action.isEnabled()  # the view is usable again
        release.set()
        qtbot.waitUntil(lambda: not panel.busy)
        assert names(panel) == []  # the late page was dropped

        panel.refresh()
        wait_idle(qtbot, panel)
        assert names(panel) == ["Zhang San"]
        assert panel.model.index(0, 4).data() == "Local user"  # the workspace's own user
        assert strip.text() == ""
    finally:
        release.set()
        qtbot.waitUntil(lambda: not panel.busy)


def test_one_failure_one_error_dialog(
    qtbot: QtBot,
    store: Store,
    presenter: ErrorPresenter,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    """The group was deleted elsewhere: deleting a voiceprint fails with "not found", the
    view refreshes, and that reload fails the same way -- one dialog, not two alike."""
    group = store.create_group("Office")
    store.create_feature(group.id, "Zhang San", "", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    select_row(panel, 0)
    store.delete_group(group.id)
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    destructive_button(box).click()
    qtbot.waitUntil(lambda: presenter.last_dialog is not None, timeout=5000)
    wait_idle(qtbot, panel)
    dialogs = [d for d in panel.window().findChildren(ErrorDialog) if d.isVisible()]
    assert len(dialogs) == 1, [d.text.message for d in dialogs]
    for dialog in dialogs:
        dialog.close()


class _DeleteFails(httpx.BaseTransport):
    """The offline backend; the next voiceprint delete is refused (HTTP 403, code 4101,
    nothing deleted) or carried out with its answer lost."""

    def __init__(self, inner: httpx.BaseTransport, how: str) -> None:
        self.inner = inner
        self.how = how

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE" and self.how:
            how, self.how = self.how, ""
            if how == "refused":
                return httpx.Response(
                    403, json={"code": 4101, "msg": "not yours", "detail": {"logid": "d"}}
                )
            self.inner.handle_request(request).read()
            raise httpx.ReadError("connection reset by peer", request=request)
        return self.inner.handle_request(request)


@pytest.mark.parametrize("how", ["refused", "lost"])
def test_recently_deleted_lists_a_voiceprint_only_when_its_delete_may_have_happened(
    qtbot: QtBot,
    *,
    services: AppServices,
    store: Store,
    presenter: ErrorPresenter,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
    how: str,
) -> None:
    """A delete the service refused deleted nothing: its kept copy is taken out again (it
    stayed listed although the voiceprint still existed). One whose answer was lost may
    have happened: the copy stays."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.transfer.trash_dialog import trash_folder

    failing = _DeleteFails(services.offline.transport(), how)
    services.transport_factory = lambda profile: failing if profile.service == "coze" else None
    group = store.create_group("Office")
    store.create_feature(group.id, "Zhang San", "", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    select_row(panel, 0)
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    destructive_button(box).click()
    if how == "refused":  # said (the "lost" one is sent again and finds it gone)
        qtbot.waitUntil(lambda: presenter.last_dialog is not None, timeout=5000)
    qtbot.waitUntil(lambda: not failing.how, timeout=5000)
    wait_idle(qtbot, panel)
    kept = RecentlyDeleted(trash_folder(services)).entries()
    if how == "refused":
        assert store.list_features(group.id)[1] == 1 and kept == []
    else:
        assert store.list_features(group.id)[1] == 0
        assert [e.voiceprints[0].name for e in kept] == ["Zhang San"]


def test_no_group_no_count(
    qtbot: QtBot, store: Store, make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel]
) -> None:
    """The group shown was deleted (no group selected now): its count went with it (the
    footer still said "Page 1 of 1 · 3 items" under "Select a group above")."""
    group = store.create_group("Office")
    for name in ("A", "B", "C"):
        store.create_feature(group.id, name, "", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    wait_idle(qtbot, panel)
    assert "· 3 item" in panel.pager.label.text()
    panel.set_group(None)
    assert "· 3 item" not in panel.pager.label.text() and panel.pager.total == 0


def test_enter_after_browse_adds_instead_of_browsing_again(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    """A file chosen with Browse…: the focus is still on that button, and Enter opened the
    file dialog again; it adds, as Enter does anywhere else in the dialog."""
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    dialog.fields.name_edit.setText("Han Meimei")
    dialog.set_source(False)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.browse_button.setFocus()
    dialog.on_file_dialog_file_selected(str(write_wav(tmp_path)))  # what Browse… chose
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    assert dialog.browse_button.hasFocus()
    with qtbot.waitSignal(dialog.finished, timeout=10000):
        qtbot.keyClick(dialog.browse_button, Qt.Key.Key_Return)
    assert dialog.file_dialog is None or not dialog.file_dialog.isVisible()
    wait_idle(qtbot, panel)
    assert names(panel) == ["Han Meimei"]


def test_browse_starts_in_the_home_folder(
    qtbot: QtBot, store: Store, make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel]
) -> None:
    """Not in the folder the app happened to be started from (the program's own)."""
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    dialog.set_source(False)
    dialog.browse_button.click()
    chooser = dialog.file_dialog
    assert chooser is not None
    assert Path(chooser.directory().absolutePath()) == Path.home()
    chooser.reject()


def test_browse_starts_where_a_file_was_last_chosen(
    qtbot: QtBot,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
    tmp_path: Path,
) -> None:
    """The tester's: every chooser opened in the home folder, not the last one used."""
    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    takes = tmp_path / "takes"
    takes.mkdir()
    dialog = open_add_dialog(panel)
    dialog.set_source(False)
    dialog.browse_button.click()
    chooser = dialog.file_dialog
    assert chooser is not None
    chooser.fileSelected.emit(str(write_wav(takes)))  # what the operator chose there
    dialog.reject()
    dialog = open_add_dialog(panel)
    dialog.set_source(False)
    dialog.browse_button.click()
    chooser = dialog.file_dialog
    assert chooser is not None
    assert Path(chooser.directory().absolutePath()) == takes
    chooser.reject()


def test_escape_in_the_edit_and_replace_dialogs_asks_only_when_something_would_be_lost(
    qtbot: QtBot,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    # the tester's: Escape in "Edit voiceprint" dropped a typed description unasked, and
    # the Replace question spoke of typed text in a dialog that has none
    group = store.create_group("Office")
    store.create_feature(group.id, "Zhang San", "old", NewAudio(wav_bytes(0.2), "wav"))
    panel = make_panel(group_record(store, group.id))
    select_row(panel, 0)
    panel.edit_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing changed: closes at once
    assert dialog.discard_box is None
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())

    select_row(panel, 0)
    panel.edit_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is not None
    qtbot.waitExposed(dialog)
    dialog.fields.desc_edit.setPlainText("Works at the front desk on Mondays")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and dialog.isVisible()
    assert box.text() == "Close without saving the changes?"
    assert box.informativeText() == "What you typed here is not kept."
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        destructive_button(box).click()

    select_row(panel, 0)
    panel.replace_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is None
    dialog.set_path(write_wav(tmp_path, "new.wav"))  # a file of the operator's: no take
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    dialog.reject()
    box = dialog.discard_box
    assert box is not None
    assert box.text() == "Close without replacing the audio?"
    assert box.informativeText() == ""  # nothing typed, nothing recorded: nothing to explain
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        destructive_button(box).click()


def test_a_name_already_in_the_group_is_pointed_out_before_adding(
    qtbot: QtBot,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
) -> None:
    # the tester's: a second "李雷" was added without a word; the two could not be told
    # apart in the list or in identify results
    group = store.create_group("Office")
    store.create_feature(group.id, "李雷", "", NewAudio(wav_bytes(0.2), "wav"))
    store.create_feature(group.id, "韩梅梅", "", NewAudio(wav_bytes(0.3), "wav"))
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    assert dialog.fields is not None
    dialog.fields.name_edit.setText("李雷")
    note = dialog.fields.note_label
    assert note.isVisibleTo(dialog)
    assert note.text().startswith("“李雷” is already in this group")
    dialog.fields.name_edit.setText("李雷（办公室）")
    assert not note.isVisibleTo(dialog) and note.text() == ""
    dialog.fields.name_edit.setText("李雷")
    assert not dialog.fields.problem()  # said, not refused: Coze allows it
    dialog.done(0)

    select_row(panel, 1)  # editing one voiceprint: its own name is not "taken"
    panel.edit_action.trigger()
    edit = panel.last_dialog
    assert edit is not None and edit.fields is not None
    own = edit.fields.name()
    assert not edit.fields.note_label.isVisibleTo(edit)
    other = "韩梅梅" if own == "李雷" else "李雷"
    edit.fields.name_edit.setText(other)
    assert edit.fields.note_label.isVisibleTo(edit)
    edit.done(0)


def _44k_stereo(tmp_path: Path) -> Path:
    """A 44.1 kHz stereo copy of speech that passes the check (Coze takes it converted)."""
    import soundfile
    import soxr

    samples, rate = soundfile.read(str(write_wav(tmp_path, "mono.wav")), dtype="float32")
    wide = np.asarray(soxr.resample(samples, rate, 44100), np.float32)
    source = tmp_path / "chosen" / "interview.wav"
    source.parent.mkdir()
    soundfile.write(str(source), np.stack([wide, wide], axis=1), 44100, subtype="PCM_16")
    return source


@pytest.mark.parametrize("answer", ["close", "keep editing"])
def test_escape_while_add_converts_the_file_waits_for_the_answer(
    qtbot: QtBot,
    *,
    tmp_path: Path,
    store: Store,
    make_panel: Callable[[VoiceprintGroup | None], VoiceprintsPanel],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    """The walk-through's: Add pressed on a 44.1 kHz stereo file, then Escape while it was
    converted: "Close without adding the voiceprint?" was asked, but the copy coming back
    went on and added the voiceprint (or opened the duplicate check's question over it)
    whatever the answer. Now the answer decides: "Close without adding" adds nothing and
    deletes the copy; "Keep editing" goes on with the Add that was pressed."""
    from voiceprint_studio.audio import takes

    group = store.create_group("Team")
    panel = make_panel(group_record(store, group.id))
    dialog = open_add_dialog(panel)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.fields.name_edit, "Zhao Liu")
    dialog.set_path(_44k_stereo(tmp_path))
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=15000)
    assert dialog.duplicate_box is not None
    dialog.duplicate_box.setChecked(False)  # (with it, its question opened over this one)
    written = threading.Event()
    release = threading.Event()
    real = takes.convert_into_takes

    def convert_then_wait(*args: Any, **kwargs: Any) -> Path | None:
        result = real(*args, **kwargs)
        written.set()
        release.wait(10)  # Escape is pressed while the copy is made
        return result

    monkeypatch.setattr(takes, "convert_into_takes", convert_then_wait)
    folder = takes.recordings_dir(dialog.recorder_panel.folder)
    dialog.ok_button.click()
    qtbot.waitUntil(written.is_set, timeout=15000)
    [copy] = folder.glob("interview-16k*.wav")
    qtbot.keyClick(dialog.fields.name_edit, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.text() == "Close without adding the voiceprint?"
    release.set()
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=15000)
    qtbot.wait(50)  # (the copy's result delivered)
    assert dialog.isVisible() and dialog.discard_box is box  # still asking
    assert not panel.busy and store.list_features(group.id)[1] == 0  # nothing sent yet
    if answer == "close":
        with qtbot.waitSignal(dialog.finished, timeout=5000):
            destructive_button(box).click()
        qtbot.waitUntil(lambda: not copy.exists(), timeout=5000)
        QThreadPool.globalInstance().waitForDone(5000)
        assert store.list_features(group.id)[1] == 0
    else:
        with qtbot.waitSignal(dialog.finished, timeout=15000):
            box.defaultButton().click()  # Keep editing: the Add pressed goes on
        wait_idle(qtbot, panel)
        assert names(panel) == ["Zhao Liu"]
