"""keep_placed (ui/common/fit.py): a window the window manager left out of the screen
while placing it is put back over its parent -- on the parent's screen -- and a resize
the operator makes is not taken for the window manager's placing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.common import fit


def _settle(qtbot: QtBot, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        qtbot.wait(10)


def test_an_operator_resizing_a_dialog_partly_off_the_screen_keeps_it_there(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operator moved a dialog partly past the screen's right edge (to see the window
    under it), later dragged one of its edges: it jumped back over the main window."""
    monkeypatch.setattr(fit, "PLACING_SECONDS", 0.3)
    main = QWidget()
    qtbot.addWidget(main)
    main.setGeometry(100, 100, 500, 400)
    main.show()
    dialog = QDialog(main)
    dialog.resize(300, 200)
    fit.keep_placed(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _settle(qtbot, 0.6)  # placed
    handle = dialog.windowHandle()
    area = fit.available_area(dialog)
    handle.setPosition(QPoint(area.right() - 150, 150))  # the operator's drag
    _settle(qtbot, 0.6)
    where = dialog.frameGeometry().topLeft()
    handle.resize(320, 260)  # the operator drags its bottom edge
    _settle(qtbot, 0.6)
    assert dialog.height() == 260
    assert dialog.frameGeometry().topLeft() == where


_TWO_SCREENS = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": True,
    "screens": [
        {
            "name": name,
            "x": x,
            "y": 0,
            "width": 1280,
            "height": 720,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
        for name, x in (("left", 0), ("right", 1280))
    ],
}

_PLACED_ON_THE_CORNER = textwrap.dedent(
    """
    import time
    from PySide6.QtWidgets import QApplication, QDialog, QWidget
    from voiceprint_studio.ui.common.fit import keep_placed

    app = QApplication([])
    assert len(app.screens()) == 2, app.screens()

    def settle(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    main = QWidget()
    main.setGeometry(1500, 100, 800, 500)  # on the right-hand monitor
    main.show()
    dialog = QDialog(main)
    dialog.resize(400, 300)
    keep_placed(dialog)
    dialog.show()
    settle(0.3)
    dialog.resize(420, 320)  # it grows (its lists came back) ...
    dialog.move(0, -20)  # ... and the window manager put it at the corner, above
    settle(0.6)
    print(dialog.frameGeometry().center().x(), main.frameGeometry().center().x())
    """
)


def test_a_dialog_put_out_of_the_screen_goes_back_over_its_parent_on_another_monitor(
    tmp_path: Path,
) -> None:
    """Two monitors, the main window on the right-hand one: a dialog the window manager
    put above the left-hand one's corner was put at that monitor's right edge, not over
    the main window."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(_TWO_SCREENS), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, "-c", _PLACED_ON_THE_CORNER],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    dialog_x, main_x = (int(n) for n in done.stdout.split())
    assert abs(dialog_x - main_x) <= 1
