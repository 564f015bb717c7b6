"""The main window opens and says which workspace it is on."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.main_window import MainWindow


def test_main_window_shows_offline_workspace(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Voiceprint Studio"
    assert "Offline workspace" in window.statusBar().currentMessage()
