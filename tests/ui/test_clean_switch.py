"""Clean switches and exits, in the window: nothing of one connection shows on another,
and closing during an upload asks first."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback
from tests.ui_fixtures import GatedUploads, MemoryKeyring, destructive_button, fill_add_dialog
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import ConnectionProfile, custom_profile, keyring_account
from voiceprint_studio.settings.secrets import SERVICE
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.main_window import MainWindow


def _idle(window: MainWindow) -> bool:
    return (
        window.workspace is not None
        and not window.runner.busy
        and not any(panel.busy for panel in window.panels)
    )


@pytest.fixture
def window(qtbot: QtBot, services: AppServices) -> Iterator[MainWindow]:
    services.offline.app().store.create_group("Front desk")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: _idle(window) and window.groups_panel.model.rowCount() == 1)
    yield window
    window.close()


def test_switch_to_a_wrong_token_shows_no_foreign_rows(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    keyring_backend: MemoryKeyring,
    loopback: Loopback,
) -> None:
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    groups.table.selectRow(0)
    qtbot.waitUntil(lambda: voiceprints.group is not None and _idle(window))
    groups._set_status("Deleted “Old group”.")  # a status line of the offline workspace
    window.show_message("Added “Wang Fang”.")
    loopback.app.store.create_group("Their group")  # on the other server

    profile = custom_profile("coze", loopback.url)
    services.preferences.set(prefs.COZE_CUSTOM_URL, loopback.url)
    keyring_backend.set_password(SERVICE, keyring_account(profile), "pat_wrong_token")
    window.activate_profile(profile)

    # At once, before any answer: nothing of the offline workspace is left.
    assert groups.model.rowCount() == 0
    assert voiceprints.group is None and voiceprints.model.rowCount() == 0
    assert groups.stack.currentWidget() is groups.empty_label
    assert groups.empty_label.text() == "Loading groups…"
    assert window.message_label.text() == ""
    assert not groups.edit_action.isEnabled() and not groups.delete_action.isEnabled()

    # The server refuses the token: the view says so, in its own words.
    qtbot.waitUntil(lambda: _idle(window))
    assert groups.model.rowCount() == 0
    assert groups.empty_label.text().startswith("Not signed in — enter a token")
    assert "Deleted" not in groups.state_label.text()  # the old status does not come back
    assert window.message_label.text() == ""
    assert "not signed in" in window.connection_label.text()
    dialog = window.presenter.last_dialog
    if dialog is not None:
        dialog.close()

    # Back to the offline workspace: its own rows, loaded again.
    offline = ConnectionProfile("offline", "coze", "")
    window.activate_profile(offline)
    assert groups.model.rowCount() == 0  # cleared at once, then loaded
    qtbot.waitUntil(lambda: _idle(window) and groups.model.rowCount() == 1)
    assert groups.model.record(0).name == "Front desk"


def test_a_switch_with_no_answer_yet_shows_loading_not_the_old_rows(
    qtbot: QtBot, window: MainWindow, services: AppServices, keyring_backend: MemoryKeyring
) -> None:
    from tests.net_fixtures import SilentServer

    with SilentServer() as server:
        profile = custom_profile("coze", server.url)
        services.preferences.set(prefs.COZE_CUSTOM_URL, server.url)
        keyring_backend.set_password(SERVICE, keyring_account(profile), "pat_some_token")
        window.activate_profile(profile)
        qtbot.waitUntil(lambda: server.accepted >= 1)
        qtbot.wait(100)
        assert window.groups_panel.model.rowCount() == 0
        assert window.groups_panel.empty_label.text() == "Loading groups…"
        started = time.monotonic()
        assert window.close()
        closed = time.monotonic() - started
        assert not window.isVisible()
        assert QThreadPool.globalInstance().waitForDone(1000)
    print(f"\nclose with a silent server: window closed in {closed * 1000:.0f} ms")
    assert closed < 1.5


def test_stop_ends_a_page_load_that_waits_on_a_silent_server(
    qtbot: QtBot, window: MainWindow, services: AppServices, keyring_backend: MemoryKeyring
) -> None:
    """Stop does not only drop the answer: the read itself ends (its socket is shut), so
    no worker is left waiting for the call's 60 s deadline."""
    from tests.net_fixtures import SilentServer

    groups = window.groups_panel
    with SilentServer() as server:
        profile = custom_profile("coze", server.url)
        services.preferences.set(prefs.COZE_CUSTOM_URL, server.url)
        keyring_backend.set_password(SERVICE, keyring_account(profile), "pat_some_token")
        window.activate_profile(profile)
        qtbot.waitUntil(lambda: server.accepted >= 1 and groups.loading)
        assert groups.runner.busy
        qtbot.mouseClick(groups.state_label.stop_button, Qt.MouseButton.LeftButton)
        assert groups.state_label.text() == "Loading was cancelled. Refresh to try again."
        started = time.monotonic()
        qtbot.waitUntil(lambda: not groups.runner.busy, timeout=5000)  # the deadline is 60 s
        ended = time.monotonic() - started
    print(f"\nStop with a silent server: the read ended in {ended * 1000:.0f} ms")


def _start_held_upload(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> GatedUploads:
    gate = GatedUploads(services.offline.transport())
    services.transport_factory = lambda p: gate if p.service == "coze" else None
    window.activate_profile(ConnectionProfile("offline", "coze", ""))
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    qtbot.waitUntil(lambda: _idle(window) and groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    qtbot.waitUntil(lambda: voiceprints.group is not None and _idle(window))
    dialog = fill_add_dialog(voiceprints, tmp_path / "li-na.wav", "Li Na")
    if dialog.duplicate_box is not None:
        dialog.duplicate_box.setChecked(False)
    gate.hold = True
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.ok_button.click()
    qtbot.waitUntil(gate.held.is_set, timeout=5000)
    assert window.upload_in_progress()
    return gate


def test_quit_during_an_upload_asks_and_can_stay(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> None:
    gate = _start_held_upload(qtbot, window, services, tmp_path)
    dialog = window.voiceprints_panel.last_dialog
    assert dialog is not None
    try:
        # Ctrl+Q in the upload dialog (held over the window) reaches the window's Quit.
        assert QKeySequence("Ctrl+Q") in window.quit_action.shortcuts()
        QTest.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        box = window.quit_box
        assert box is not None and box.isVisible()
        assert box.text() == "An upload is in progress — quit anyway?"
        assert window.isVisible()
        stay = next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole
        )
        stay.click()
        # The Ctrl release of that click reached the dialog while the question blocked
        # it, so Qt still thinks Ctrl is held (later selectRow() calls would toggle):
        # release it again, now that the dialog takes input.
        QTest.keyRelease(dialog, Qt.Key.Key_Control)
        assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
        assert window.isVisible() and dialog.uploading
    finally:
        gate.release.set()
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(  # the upload finished
        lambda: [v.name for v in voiceprints.model.records()] == ["Li Na"], timeout=5000
    )


def test_quit_during_an_upload_quits_when_confirmed(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> None:
    gate = _start_held_upload(qtbot, window, services, tmp_path)
    try:
        window.close()  # the window's × (or File > Quit)
        box = window.quit_box
        assert box is not None and box.isVisible() and window.isVisible()
        quit_button = destructive_button(box)
        started = time.monotonic()
        quit_button.click()
        assert not window.isVisible()
        elapsed = time.monotonic() - started
    finally:
        gate.release.set()
    assert elapsed < 1.5
    assert QThreadPool.globalInstance().waitForDone(2000)
    assert (tmp_path / "li-na.wav").exists()  # the take stays on disk


def test_the_language_is_not_switched_during_an_upload(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> None:
    """Switching language rebuilds the window: during an upload the old window asked
    "quit anyway?" and both windows stayed open. The switch waits for the operator."""
    gate = _start_held_upload(qtbot, window, services, tmp_path)
    before = services.preferences.get(prefs.LANGUAGE)
    requested: list[str] = []
    window.language_change_requested.connect(requested.append)
    try:
        window.language_actions["zh_CN"].trigger()
        assert requested == [] and window.quit_box is None
        assert services.preferences.get(prefs.LANGUAGE) == before
        assert window.language_actions[before].isChecked()
        assert "let the upload or transfer in progress finish" in window.message_label.text()
    finally:
        gate.release.set()
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(
        lambda: [v.name for v in voiceprints.model.records()] == ["Li Na"], timeout=5000
    )
    window.language_actions["zh_CN"].trigger()  # nothing in progress now
    assert requested == ["zh_CN"]


def test_quit_during_a_transfer_asks_and_the_question_goes_when_the_job_ends(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The walk-through's: the window's × during a copy or move closed the app with no
    word (the job stopped; File > Transfers resumed it). It asks, as during an upload; and
    a question whose work ended meanwhile goes by itself (it said an upload was running
    after the upload had finished)."""
    from voiceprint_studio.ui.transfer.work_dialog import WorkDialog

    job = WorkDialog(window)
    job.show()
    job._start("Copying…")  # (a job's dialog, running: as when its Start was clicked)
    assert window.transfer_in_progress() and window.work_in_progress()
    window.close()
    box = window.quit_box
    assert box is not None and box.isVisible() and window.isVisible()
    assert box.text() == "A copy, move or import is running — quit anyway?"
    assert "File > Transfers resumes the rest" in box.informativeText()
    assert box.defaultButton().text() == "Keep it running"
    job._end("Copied: 3 created.", True)  # the job ends meanwhile
    qtbot.waitUntil(lambda: window.quit_box is None, timeout=3000)  # (closed and gone)
    assert window.isVisible() and not window.transfer_in_progress()
    window.close()  # nothing running: no question
    assert not window.isVisible() and window.quit_box is None
