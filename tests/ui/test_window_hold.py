"""The dialogs that run calls open non-modal, and hold the main window while they are open.

Non-modal, so that the window manager's close request (the title bar's ×) reaches the
main window during an upload (Qt drops it for a window blocked by a modal dialog; the
xcb test ``tests/e2e/test_close_during_upload.py`` closes it through openbox). Held, so
that the operator cannot switch the connection or delete the group under the dialog:
the views, the menus and the window's shortcuts are disabled, Quit is not; everything
comes back when the dialog closes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import speech_file
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
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
    groups = window.groups_panel
    qtbot.waitUntil(lambda: _idle(window) and groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    qtbot.waitUntil(lambda: window.voiceprints_panel.group is not None and _idle(window))
    yield window
    window.close()


def _open_add(window: MainWindow) -> QDialog | None:
    window.voiceprints_panel.new_action.trigger()
    return window.voiceprints_panel.last_dialog


OPENERS: dict[str, Callable[[MainWindow], QDialog | None]] = {
    "add voiceprint": _open_add,
    "enrollment wizard": lambda w: w.open_enroll_wizard(),
    "identify": lambda w: w.open_identify_dialog(),
    "new group": lambda w: (w.groups_panel.new_action.trigger(), w.groups_panel.last_dialog)[1],
    "token": lambda w: w.open_token_dialog(),
}


def _menu_opens(qtbot: QtBot, window: MainWindow, menu: QMenu) -> bool:
    """Click the menu's title in the menu bar, as a user does; whether the menu pops up."""
    bar = window.menuBar()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center()
    )
    qtbot.wait(200)  # (a menu that opens does so at once; this waits for one that does not)
    opened = menu.isVisible()
    menu.hide()
    return opened


def _delete_key_asks(qtbot: QtBot, window: MainWindow) -> bool:
    """Press Del in the groups table, as a user does; whether "Delete group?" comes up."""
    groups = window.groups_panel
    groups.table.setFocus()
    QTest.keyClick(groups.table, Qt.Key.Key_Delete)
    box = groups.confirm_box
    if box is None or not box.isVisible():
        return False
    box.reject()
    qtbot.waitUntil(lambda: not box.isVisible())
    groups.confirm_box = None
    return True


# (the offscreen platform says so when the test opens a menu, which is what it checks)
@pytest.mark.qt_log_ignore(
    "This plugin does not support (grabbing the keyboard|raise)", extend=True
)
@pytest.mark.parametrize("kind", list(OPENERS))
def test_a_dialog_that_runs_calls_holds_the_window_but_not_its_close(
    qtbot: QtBot, window: MainWindow, kind: str
) -> None:
    transfers = window.transfer_actions
    transfers.jobs_action.setEnabled(False)  # disabled before: stays so after the hold
    assert window.centralWidget().isEnabled()

    dialog = OPENERS[kind](window)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    # non-modal (so the title bar's × reaches the window), above the window (its child)
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert dialog.parentWidget() is window
    assert dialog.isEnabled()
    assert window.hold.held and window.hold.dialogs() == [dialog]

    # The views, the menus (but Quit) and the window's shortcuts are off.
    assert not window.centralWidget().isEnabled()
    assert not window.groups_panel.isEnabled()
    assert not _menu_opens(qtbot, window, window.connection_menu)  # no switching connection
    assert not _delete_key_asks(qtbot, window)  # no deleting the group
    assert not window.edit_menu.menuAction().isEnabled()
    for action in (window.refresh_action, window.search_action, window.identify_action):
        assert not action.isEnabled()
    assert not transfers.copy_action.isEnabled()
    assert not transfers.notice.isEnabled()  # the status bar's "Resume…" too
    assert window.quit_action.isEnabled()
    assert window.isEnabled()

    # Escape still closes the dialog (its own key), and everything comes back.
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.hold.held)
    assert window.centralWidget().isEnabled() and window.groups_panel.isEnabled()
    assert window.edit_menu.menuAction().isEnabled()
    for action in (window.refresh_action, window.search_action, window.identify_action):
        assert action.isEnabled()
    assert transfers.copy_action.isEnabled()
    assert transfers.notice.isEnabled()
    assert not transfers.jobs_action.isEnabled()
    window.activateWindow()
    assert _menu_opens(qtbot, window, window.connection_menu)
    assert _delete_key_asks(qtbot, window)


def _press_escape_where_the_keyboard_is() -> None:
    """Escape to the window that has the keyboard focus, where the window system sends
    a key press."""
    focus = QGuiApplication.focusWindow()
    assert focus is not None
    QTest.keyClick(focus, Qt.Key.Key_Escape)


@pytest.mark.qt_log_ignore(
    "This plugin does not support (grabbing the keyboard|raise)", extend=True
)
@pytest.mark.parametrize("kind", list(OPENERS))
def test_the_held_window_activated_gives_the_keyboard_back_to_the_dialog(
    qtbot: QtBot, window: MainWindow, kind: str
) -> None:
    # (a click on the greyed window, then on its File menu and away: Escape did nothing
    # until a click inside the dialog)
    dialog = OPENERS[kind](window)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)

    window.activateWindow()  # a click on the main window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)

    # a click on the File menu's title: the window activated and its menu open at once
    # (the platform's activation arrives later, and is ignored while a menu is open)
    menu = next(m for m in window.quit_action.associatedObjects() if isinstance(m, QMenu))
    with warnings.catch_warnings():  # (deprecated, but synchronous: what this needs)
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(window)
    menu.popup(window.menuBar().mapToGlobal(window.menuBar().rect().bottomLeft()))
    qtbot.wait(50)
    # the window stays active while its menu is open: the menu works
    assert menu.isVisible() and QApplication.activePopupWidget() is menu
    assert QApplication.activeWindow() is window
    menu.hide()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)

    _press_escape_where_the_keyboard_is()
    qtbot.waitUntil(lambda: not window.hold.held)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # (some delete on close)
    # released: the window activated stays active
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.wait(50)
    assert QApplication.activeWindow() is window


def test_two_dialogs_hold_until_the_last_one_closes(qtbot: QtBot, window: MainWindow) -> None:
    add = _open_add(window)
    identify = window.open_identify_dialog()
    assert add is not None and identify is not None
    assert window.hold.dialogs() == [add, identify]
    add.reject()
    qtbot.waitUntil(lambda: not add.isVisible())
    assert window.hold.held and not window.centralWidget().isEnabled()
    identify.reject()
    qtbot.waitUntil(lambda: not window.hold.held)
    assert window.centralWidget().isEnabled()


def test_enter_in_the_add_dialog_still_presses_add(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _open_add(window)
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    wav = tmp_path / "wang-fang.wav"
    speech_file(wav)
    dialog.fields.name_edit.setText("Wang Fang")
    dialog.set_path(wav)
    if dialog.duplicate_box is not None:
        dialog.duplicate_box.setChecked(False)
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.path_edit.setFocus()
    QTest.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(lambda: not window.hold.held, timeout=10000)  # added and closed
    qtbot.waitUntil(lambda: [v.name for v in voiceprints.model.records()] == ["Wang Fang"])
    assert not window.hold.held and window.centralWidget().isEnabled()
