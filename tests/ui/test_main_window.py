"""The main window opens and says which workspace it is on."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.main_window import MainWindow
from voiceprint_studio.ui.services import AppServices


def test_main_window_shows_offline_workspace(qtbot: QtBot, services: AppServices) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Voiceprint Studio"
    assert "Offline workspace" in window.connection_label.text()
