"""Screenshots of real windows under Xvfb (the xcb pass of scripts/test.sh)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.main_window import MainWindow
from voiceprint_studio.ui.services import AppServices

pytestmark = pytest.mark.xcb


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VPS_ARTIFACTS") or tmp_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_main_window_screenshot(qtbot: QtBot, tmp_path: Path, services: AppServices) -> None:
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    assert QGuiApplication.platformName() == "xcb"
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese), (
        "no CJK font: Chinese text would render as boxes"
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = QGuiApplication.primaryScreen()

    def painted() -> bool:
        image = screen.grabWindow(window.winId()).toImage()
        return any(
            image.pixelColor(x, image.height() // 2).lightness() > 0
            for x in range(0, image.width(), 7)
        )

    qtbot.waitUntil(painted, timeout=5000)
    path = _artifacts(tmp_path) / "main_window.png"
    assert screen.grabWindow(window.winId()).save(str(path))
    assert path.stat().st_size > 1000
