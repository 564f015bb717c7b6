"""A dialog the window manager leaves with its title bar above the screen, while it is
being placed, is put back (runs in the xcb pass: Xvfb 1280x720 with openbox).

While openbox frames a new window it reports it, for a few milliseconds, at the screen's
corner; the copy dialog, resizing itself when its list of groups came back in that
moment, sent that corner along, and openbox put its client area there: the title bar
20 px above the screen (a walk-through saw it once in three openings). That moment
cannot be timed from a test, so its outcome is made here: the dialog grows, and the
window manager is asked to put the client area at the corner, as the resize did.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import wav_bytes
from voiceprint_studio.api.uploads import AudioUpload
from voiceprint_studio.settings.profiles import OFFLINE_COZE
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog

pytestmark = pytest.mark.xcb

LONG_GROUP = "华东区域客户服务中心全体值班员工声纹一组"


class _FrameTops(QObject):
    """Records the top of ``dialog``'s frame each time it is moved."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.seen: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Move:
            self.seen.append(self.dialog.frameGeometry().top())
        return False


def test_a_dialog_put_above_the_screen_while_placed_comes_back_whole(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    source = Workspace(OFFLINE_COZE, services.minimax_profile(), services.secrets, services.offline)
    client = source.coze()
    gid = client.create_group(LONG_GROUP, "")
    audio = tmp_path / "a.wav"
    audio.write_bytes(wav_bytes(0.3))
    client.create_voiceprint(gid, "李娜", AudioUpload.from_path(audio))
    group = next(g for g in client.iter_groups() if g.id == gid)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.group_combo.isEnabled, timeout=10000)
    # framed: a title bar above the client area
    qtbot.waitUntil(lambda: dialog.frameGeometry().height() > dialog.height(), timeout=5000)
    area = dialog.screen().availableGeometry()
    qtbot.waitUntil(lambda: area.contains(dialog.frameGeometry()), timeout=5000)
    title_bar = dialog.frameGeometry().height() - dialog.height()
    before = dialog.height()
    dialog.status_label.setText(LONG_GROUP * 8)  # the dialog grows for it
    qtbot.waitUntil(lambda: dialog.height() > before, timeout=5000)
    handle = dialog.windowHandle()
    assert handle is not None
    tops = _FrameTops(dialog)  # (every place it is reported at: the app puts it back soon)
    dialog.installEventFilter(tops)
    handle.setPosition(QPoint(area.left(), area.top()))  # what that resize sent along
    qtbot.waitUntil(lambda: any(top < area.top() for top in tops.seen), timeout=5000)
    # put back over the main window's middle (here: no parent, the screen's), whole
    qtbot.waitUntil(lambda: area.contains(dialog.frameGeometry()), timeout=5000)
    frame = dialog.frameGeometry()
    assert frame.height() - dialog.height() == title_bar  # still framed, title bar shown
    assert abs(frame.center().x() - area.center().x()) <= 1
    start = dialog.start_button.geometry().translated(dialog.geometry().topLeft())
    assert area.contains(start)
    dialog.close()
    source.close()
