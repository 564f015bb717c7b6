"""A first-time operator enrolls a voice from the microphone, from an empty workspace.

Driven with real mouse and key events (QTest) on the real main window in the xcb pass
(Xvfb with openbox), speech played into the PulseAudio virtual microphone that
``scripts/test.sh`` starts (``VPS_REAL_PARTS=1``; elsewhere skipped with the reason).

* ``test_mouse_path_takes_six_clicks``: New group, Create, Add voiceprint, Record,
  Stop, Add -- six clicks plus typing the two names -- and the voiceprint is saved.
* ``test_keyboard_path``: the same with the keyboard only; Enter right after Stop
  does not start a new take, and once the take is checked Enter adds it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import EN_TEXT, espeak_wav
from voiceprint_studio.local.store import Store
from voiceprint_studio.ui.common.panel import Panel
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.groups.group_dialogs import GroupDialog
from voiceprint_studio.ui.recorder.panel import RecorderPanel
from voiceprint_studio.ui.shell.main_window import MainWindow

pytestmark = [
    pytest.mark.xcb,
    pytest.mark.realparts,
    pytest.mark.skipif(
        os.environ.get("VPS_REAL_PARTS") != "1",
        reason="needs the PulseAudio virtual microphone scripts/test.sh starts (VPS_REAL_PARTS=1)",
    ),
]


class Operator:
    """Clicks and keys on real widgets, counting the clicks."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.clicks = 0

    def click(self, widget: QWidget) -> None:
        self.qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled(), timeout=15000)
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.clicks += 1

    def type(self, text: str) -> None:
        focus = QApplication.focusWidget()
        assert focus is not None
        QTest.keyClicks(focus, text)

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """Press ``key`` where the keyboard focus is (the active window when nothing has it)."""
        target = QApplication.focusWidget() or QApplication.activeWindow()
        assert target is not None
        QTest.keyClick(target, key, modifier)

    def tab_to(self, found: object, limit: int = 40) -> int:
        """Press Tab until ``found(focus)`` is true; how many presses it took."""
        for presses in range(limit):
            focus = QApplication.focusWidget()
            if focus is not None and found(focus):  # type: ignore[operator]
                return presses
            self.key(Qt.Key.Key_Tab)
        raise AssertionError(
            f"Tab never reached the wanted widget (focus: {QApplication.focusWidget()!r}, "
            f"active: {QApplication.activeWindow()!r})"
        )


def tool_button(panel: Panel, action: object) -> QToolButton:
    return next(b for b in panel.findChildren(QToolButton) if b.defaultAction() is action)


def within(widget: QWidget) -> object:
    return lambda focus: widget is focus or widget.isAncestorOf(focus)


def speak(qtbot: QtBot, recorder: RecorderPanel, clip: Path) -> None:
    """Wait until the take records audio, then play ``clip`` into the virtual microphone."""
    qtbot.waitUntil(recorder.timer.isActive, timeout=10000)
    qtbot.waitUntil(  # PulseAudio's first read can stall about 0.8 s
        lambda: recorder._recorder is not None and recorder._recorder.elapsed_seconds >= 1.0,
        timeout=10000,
    )
    player = subprocess.Popen(["paplay", str(clip)])
    try:
        qtbot.waitUntil(lambda: player.poll() is not None, timeout=60000)
    finally:
        if player.poll() is None:
            player.kill()
        player.wait(10)
    assert player.returncode == 0


@pytest.fixture
def window(qtbot: QtBot, services: AppServices) -> Iterator[MainWindow]:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.views_built, timeout=10000)
    groups = window.groups_panel
    qtbot.waitUntil(lambda: not groups.loading, timeout=10000)
    assert groups.table.model().rowCount() == 0  # an empty workspace
    yield window


def saved(store: Store, name: str) -> bool:
    return any(
        feature.name == name
        for group in store.list_groups()[0]
        for feature in store.list_features(group.id)[0]
    )


def test_mouse_path_takes_six_clicks(
    qtbot: QtBot, tmp_path: Path, services: AppServices, window: MainWindow
) -> None:
    speech = espeak_wav(tmp_path, "en", EN_TEXT)
    store = services.offline.app().store
    you = Operator(qtbot)
    groups, voiceprints = window.groups_panel, window.voiceprints_panel

    you.click(tool_button(groups, groups.new_action))  # 1
    group_dialog = groups.last_dialog
    assert isinstance(group_dialog, GroupDialog)
    qtbot.waitUntil(group_dialog.fields.name_edit.hasFocus, timeout=5000)
    you.type("Front desk")
    you.click(group_dialog.ok_button)  # 2
    qtbot.waitUntil(voiceprints.new_action.isEnabled, timeout=10000)

    you.click(tool_button(voiceprints, voiceprints.new_action))  # 3
    dialog = voiceprints.last_dialog
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    assert dialog.record_radio.isChecked()  # recording is the first way
    qtbot.waitUntil(dialog.fields.name_edit.hasFocus, timeout=5000)
    you.type("Li Na")
    recorder = dialog.recorder_panel
    you.click(recorder.record_button)  # 4: Record
    speak(qtbot, recorder, speech)
    you.click(recorder.record_button)  # 5: Stop
    qtbot.waitUntil(lambda: recorder.report() is not None, timeout=30000)
    assert not recorder.blocking, recorder.report()
    assert recorder.collapsed  # the accepted take folds the recorder
    take = Path(dialog.path())
    assert take.exists() and take == Path(recorder.current_path())
    with qtbot.waitSignal(voiceprints.voiceprints_changed, timeout=30000):
        you.click(dialog.ok_button)  # 6: Add
    qtbot.waitUntil(lambda: saved(store, "Li Na"), timeout=10000)
    assert you.clicks == 6
    assert take.exists()  # the take stays on disk


def test_keyboard_path(
    qtbot: QtBot, tmp_path: Path, services: AppServices, window: MainWindow
) -> None:
    speech = espeak_wav(tmp_path, "en", EN_TEXT)
    store = services.offline.app().store
    you = Operator(qtbot)
    groups, voiceprints = window.groups_panel, window.voiceprints_panel

    you.tab_to(within(groups))
    you.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # New group
    qtbot.waitUntil(lambda: isinstance(groups.last_dialog, GroupDialog), timeout=5000)
    group_dialog = groups.last_dialog
    assert group_dialog is not None
    qtbot.waitUntil(group_dialog.fields.name_edit.hasFocus, timeout=5000)
    you.type("Front desk")
    you.key(Qt.Key.Key_Return)  # Create
    qtbot.waitUntil(voiceprints.new_action.isEnabled, timeout=10000)

    you.tab_to(within(voiceprints))
    you.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Add voiceprint
    qtbot.waitUntil(lambda: isinstance(voiceprints.last_dialog, VoiceprintDialog), timeout=5000)
    dialog = voiceprints.last_dialog
    assert dialog is not None and dialog.fields is not None
    qtbot.waitUntil(dialog.fields.name_edit.hasFocus, timeout=5000)
    you.type("Wang Fang")
    recorder = dialog.recorder_panel
    qtbot.waitUntil(recorder.record_button.isEnabled, timeout=10000)
    you.tab_to(lambda focus: focus is recorder.record_button)
    you.key(Qt.Key.Key_Space)  # Record
    speak(qtbot, recorder, speech)
    you.key(Qt.Key.Key_Space)  # Stop
    qtbot.waitUntil(lambda: not recorder.recording, timeout=10000)
    take = recorder.current_path()
    you.key(Qt.Key.Key_Return)  # Enter after Stop never starts a new take ...
    qtbot.wait(300)
    assert not recorder.recording
    assert recorder.current_path() == take
    qtbot.waitUntil(lambda: recorder.report() is not None, timeout=30000)
    assert not recorder.blocking, recorder.report()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5000)
    assert dialog.path() == take  # ... and the take just recorded is the one used
    with qtbot.waitSignal(voiceprints.voiceprints_changed, timeout=30000):
        you.key(Qt.Key.Key_Return)  # ... once it is checked, Enter adds it
    qtbot.waitUntil(lambda: saved(store, "Wang Fang"), timeout=10000)
