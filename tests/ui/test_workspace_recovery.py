"""Issue 10 in the app: a damaged offline database gets its own dialog (rebuild, start empty,
quit), a workspace held by another process gets a clear sentence, and no recording is lost."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import wav_bytes
from tests.ui_fixtures import MemoryKeyring, services_on
from tests.unit.test_local_cli import _read_lines
from voiceprint_studio.local.store import NewAudio, Store
from voiceprint_studio.local.workspace import audio_files
from voiceprint_studio.ui.common.errors import ErrorDialog
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OfflineBackend
from voiceprint_studio.ui.shell.main_window import MainWindow
from voiceprint_studio.ui.shell.workspace_recovery import WorkspaceRecoveryDialog

SERVER = [sys.executable, "-m", "voiceprint_studio.local", "--port", "0", "--no-engine"]


def _seed(data_dir: Path) -> dict[str, bytes]:
    store = Store(data_dir)
    try:
        for g in range(2):
            group = store.create_group(f"组{g}")
            for v in range(3):
                audio = NewAudio(wav_bytes(0.3, freq=200 + 50 * v + 300 * g), "wav")
                store.create_feature(group.id, f"声纹{g}{v}", "", audio)
    finally:
        store.close()
    return {p.name: p.read_bytes() for p in audio_files(data_dir / "audio")}


def _recordings(data_dir: Path) -> dict[str, bytes]:
    files = audio_files(data_dir / "audio") + audio_files(data_dir / "quarantine")
    return {p.name: p.read_bytes() for p in files}


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[tuple[AppServices, Path, dict[str, bytes]]]:
    data_dir = tmp_path / "offline"
    seeded = _seed(data_dir)
    (data_dir / "backend.sqlite3").write_bytes(b"")  # emptied to 0 bytes
    offline = OfflineBackend(data_dir)
    yield services_on(tmp_path, offline, keyring=MemoryKeyring()), data_dir, seeded
    offline.close()


def _open_window(qtbot: QtBot, services: AppServices) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _recovery_dialog(qtbot: QtBot, window: MainWindow) -> WorkspaceRecoveryDialog:
    qtbot.waitUntil(
        lambda: window.recovery.dialog is not None and window.recovery.dialog.isVisible()
    )
    dialog = window.recovery.dialog
    assert dialog is not None
    return dialog


def test_damaged_database_offers_a_rebuild_that_restores_every_voiceprint(
    qtbot: QtBot, damaged: tuple[AppServices, Path, dict[str, bytes]]
) -> None:
    services, data_dir, seeded = damaged
    window = _open_window(qtbot, services)
    dialog = _recovery_dialog(qtbot, window)
    text = dialog.message_label.text()
    assert "database file is empty, but 6 recording" in text  # "(s)", or the English plural
    assert "still in its folder" in text
    assert "Nothing has been changed or deleted" in dialog.next_step_label.text()
    assert str(data_dir) in dialog.folder_label.text()
    # no generic "Something went wrong" on top of it, and only one recovery dialog
    assert not [d for d in window.findChildren(ErrorDialog) if d.isVisible()]
    assert len(window.findChildren(WorkspaceRecoveryDialog)) == 1
    assert _recordings(data_dir) == seeded

    dialog.rebuild_button.click()
    qtbot.waitUntil(dialog.close_button.isVisible, timeout=20000)
    result = dialog.next_step_label.text()
    assert "2 group(s) restored. 6 voiceprint(s) restored." in result
    assert "backend.sqlite3.damaged-" in result
    # the views reloaded on their own: the rebuilt groups are listed
    groups = window.groups_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 2, timeout=20000)
    names = {groups.model.index(r, 0).data() for r in range(2)}
    assert names == {"组0", "组1"}
    dialog.close_button.click()
    qtbot.waitUntil(lambda: window.recovery.dialog is None)
    assert _recordings(data_dir) == seeded  # 6 of 6, byte for byte
    assert (data_dir / "quarantine").exists() is False
    window.close()


def test_start_empty_keeps_the_recordings_in_quarantine(
    qtbot: QtBot, damaged: tuple[AppServices, Path, dict[str, bytes]]
) -> None:
    services, data_dir, seeded = damaged
    window = _open_window(qtbot, services)
    dialog = _recovery_dialog(qtbot, window)
    dialog.empty_button.click()
    qtbot.waitUntil(dialog.close_button.isVisible, timeout=20000)
    assert "6 recording(s) without a name were moved to" in dialog.next_step_label.text()
    assert _recordings(data_dir) == seeded
    assert len(audio_files(data_dir / "quarantine")) == 6
    dialog.close_button.click()
    window.close()


def test_quit_closes_the_window_and_changes_nothing(
    qtbot: QtBot, damaged: tuple[AppServices, Path, dict[str, bytes]]
) -> None:
    services, data_dir, seeded = damaged
    window = _open_window(qtbot, services)
    dialog = _recovery_dialog(qtbot, window)
    dialog.quit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert (data_dir / "backend.sqlite3").stat().st_size == 0
    assert _recordings(data_dir) == seeded


def test_recovery_dialog_is_translated(
    qtbot: QtBot, damaged: tuple[AppServices, Path, dict[str, bytes]]
) -> None:
    from voiceprint_studio.ui.common.i18n import Translations

    services, _data_dir, _seeded = damaged
    translations = Translations()
    translations.install("zh_CN")
    try:
        window = _open_window(qtbot, services)
        dialog = _recovery_dialog(qtbot, window)
        assert "录音" in dialog.message_label.text()
        assert dialog.rebuild_button.text() != "Rebuild from recordings"
        dialog.quit_button.click()
    finally:
        translations.uninstall()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_workspace_held_by_another_process_is_refused_with_a_clear_message(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data_dir = tmp_path / "offline"
    seeded = _seed(data_dir)
    server = subprocess.Popen(
        [*SERVER, "--data", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    offline = OfflineBackend(data_dir)
    try:
        _read_lines(server, 2)
        window = _open_window(qtbot, services_on(tmp_path, offline, keyring=MemoryKeyring()))
        qtbot.waitUntil(lambda: window.presenter.last_dialog is not None, timeout=20000)
        error = window.presenter.last_dialog
        assert error is not None
        assert error.message_label.text() == (
            "<b>This workspace is open in another Voiceprint Studio window.</b>"
        )
        assert "Close the other window" in error.next_step_label.text()
        window.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
        offline.close()
    assert _recordings(data_dir) == seeded
