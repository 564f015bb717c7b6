"""Long names show whole in the groups and voiceprints tables (at 1280x720), and where a
column is too narrow for them they are cut in the middle: two 20-character names that
differ only at their ends never look the same."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QTableView
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import wav_bytes
from voiceprint_studio.api import VoiceprintGroup
from voiceprint_studio.local.store import NewAudio, Store
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.groups.groups_panel import GroupsPanel
from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel
from voiceprint_studio.ui.shell.main_window import MainWindow

# 20 characters each (Coze's limit), the same but for the last two
TEST_NAME = "华东区域客服中心前台接待员工声纹识别测试"
BACKUP_NAME = "华东区域客服中心前台接待员工声纹识别备份"
VOICEPRINT_NAMES = (
    "前台接待员工张伟伟声纹样本第一次录音甲",
    "前台接待员工张伟伟声纹样本第一次录音乙",
)


def shown_text(view: QTableView, row: int, column: int = 0) -> str:
    """The text the view draws in a cell (cut as its elide mode cuts it)."""
    index = view.model().index(row, column)
    text = str(index.data())
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    room = view.visualRect(index).width() - 2 * margin
    return view.fontMetrics().elidedText(text, view.textElideMode(), room)


def assert_names_whole(view: QTableView, names: tuple[str, ...]) -> None:
    model = view.model()
    assert sorted(str(model.index(row, 0).data()) for row in range(model.rowCount())) == sorted(
        names
    )
    for row in range(model.rowCount()):
        name = str(model.index(row, 0).data())
        assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(name)
        assert shown_text(view, row) == name
    # the description takes the rest of the width
    assert (
        view.horizontalHeader().sectionResizeMode(1) == view.horizontalHeader().ResizeMode.Stretch
    )
    assert view.columnWidth(1) > 100


def assert_cut_in_the_middle(view: QTableView) -> None:
    """Dragged narrow, the names still show both ends, and so differ."""
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    view.setColumnWidth(0, 150)  # the operator drags it narrower: allowed
    assert view.columnWidth(0) == 150
    shown = [shown_text(view, row) for row in range(view.model().rowCount())]
    names = [str(view.model().index(row, 0).data()) for row in range(view.model().rowCount())]
    assert all(s != n for s, n in zip(shown, names, strict=True))  # cut, yet...
    assert len(set(shown)) == len(shown)  # ...not alike
    for s, n in zip(shown, names, strict=True):
        assert s[0] == n[0] and s[-1] == n[-1]


@pytest.fixture
def workspace(services: AppServices) -> Iterator[Workspace]:
    made = services.new_workspace()
    yield made
    QThreadPool.globalInstance().waitForDone(5000)
    made.close()


def test_groups_table_shows_20_character_names_whole(
    qtbot: QtBot, services: AppServices, store: Store, workspace: Workspace
) -> None:
    store.create_group(TEST_NAME, "前台接待员工的声纹，用于识别测试")
    store.create_group(BACKUP_NAME, "前台接待员工的声纹，备份")
    panel = GroupsPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.resize(1260, 320)  # the main window's width at 1280x720
    panel.show()
    panel.set_workspace(workspace)
    qtbot.waitUntil(lambda: not panel.loading and not panel.busy and panel.model.rowCount() == 2)
    try:
        assert_names_whole(panel.table, (TEST_NAME, BACKUP_NAME))
        assert_cut_in_the_middle(panel.table)
    finally:
        panel.shutdown()


def test_voiceprints_table_shows_20_character_names_whole(
    qtbot: QtBot, services: AppServices, store: Store, workspace: Workspace
) -> None:
    row = store.create_group(TEST_NAME)
    for name in VOICEPRINT_NAMES:
        store.create_feature(row.id, name, "一段说明", NewAudio(wav_bytes(), "wav"))
    panel = VoiceprintsPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.resize(1260, 320)
    panel.show()
    panel.set_workspace(workspace)
    panel.set_group(VoiceprintGroup(id=row.id, name=row.name, desc=row.desc, feature_count=2))
    qtbot.waitUntil(lambda: not panel.loading and not panel.busy and panel.model.rowCount() == 2)
    try:
        assert_names_whole(panel.table, VOICEPRINT_NAMES)
        assert_cut_in_the_middle(panel.table)
    finally:
        panel.shutdown()


def test_main_window_at_1280x720_shows_both_group_names_whole(
    qtbot: QtBot, services: AppServices, store: Store
) -> None:
    store.create_group(TEST_NAME)
    store.create_group(BACKUP_NAME)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    panel = window.groups_panel
    qtbot.waitUntil(lambda: not panel.loading and not panel.busy and panel.model.rowCount() == 2)
    try:
        assert_names_whole(panel.table, (TEST_NAME, BACKUP_NAME))
    finally:
        window.close()


def test_minimax_voices_and_identify_results_use_the_same_name_column(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    """The other tables of names (MiniMax voices, identification results) are as wide."""
    from PySide6.QtGui import QFont

    from voiceprint_studio.ui.common.names import name_width
    from voiceprint_studio.ui.identify.identify_dialog import COL_NAME as IDENTIFY_NAME
    from voiceprint_studio.ui.identify.identify_dialog import IdentifyDialog
    from voiceprint_studio.ui.minimax.minimax_panel import COL_NAME as VOICE_NAME
    from voiceprint_studio.ui.minimax.minimax_panel import MiniMaxPanel

    panel = MiniMaxPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    view = panel.view
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert view.columnWidth(VOICE_NAME) >= view.fontMetrics().horizontalAdvance(TEST_NAME)
    dialog = IdentifyDialog(services, ErrorPresenter(), workspace, None)
    qtbot.addWidget(dialog)
    view = dialog.view
    bold = QFont(view.font())
    bold.setBold(True)
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert view.columnWidth(IDENTIFY_NAME) == name_width(view.font(), bold=True)
    assert view.columnWidth(IDENTIFY_NAME) > QFontMetrics(bold).horizontalAdvance(TEST_NAME)
