"""The MiniMax voices tab against the offline backend: list by type, filter, delete, errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui_fixtures import hang_service
from voiceprint_studio.api import MiniMaxVoice
from voiceprint_studio.local.store import SYSTEM_VOICES
from voiceprint_studio.settings.profiles import ConnectionProfile
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.table_model import RecordRole
from voiceprint_studio.ui.minimax.minimax_panel import MiniMaxPanel

N_SYSTEM = len(SYSTEM_VOICES)


@pytest.fixture
def workspace(services: AppServices) -> Iterator[Workspace]:
    store = services.offline.app().store
    store.add_voice("voice_cloning", "my_voice_01", ["温柔的女声", "Warm"])
    store.add_voice("voice_generation", "ttv-voice-2025", "A deep narrator")
    ws = services.new_workspace()
    yield ws
    ws.close()


def plural(text: str, n: int = 2) -> str:
    """English plural forms of ``%n thing(s)`` (no translator is installed in tests)."""
    return text.replace("(s)", "" if n == 1 else "s")


def make_panel(qtbot: QtBot, services: AppServices, workspace: Workspace) -> MiniMaxPanel:
    panel = MiniMaxPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    panel.set_workspace(workspace)
    wait_loaded(qtbot, panel)
    return panel


def wait_loaded(qtbot: QtBot, panel: MiniMaxPanel) -> None:
    qtbot.waitUntil(lambda: panel.loaded and not panel.busy)


def shown_ids(panel: MiniMaxPanel) -> list[str]:
    ids = []
    for row in range(panel.proxy.rowCount()):
        voice = panel.proxy.data(panel.proxy.index(row, 0), RecordRole)
        assert isinstance(voice, MiniMaxVoice)
        ids.append(voice.voice_id)
    return ids


def select_ids(panel: MiniMaxPanel, *voice_ids: str) -> None:
    selection = panel.view.selectionModel()
    selection.clearSelection()
    for row, voice_id in enumerate(shown_ids(panel)):
        if voice_id in voice_ids:
            selection.select(
                panel.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def test_lists_each_type(
    qtbot: QtBot, services: AppServices, workspace: Workspace, qtmodeltester: ModelTester
) -> None:
    panel = make_panel(qtbot, services, workspace)
    assert panel.model.rowCount() == N_SYSTEM + 2
    assert plural(panel.count_label.text()) == f"{N_SYSTEM + 2} voices, {N_SYSTEM + 2} shown"
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)

    cloned = panel.model.index(shown_ids(panel).index("my_voice_01"), 0)
    row = cloned.row()
    assert [panel.model.index(row, c).data() for c in range(5)][2:4] == [
        "Cloned",
        "温柔的女声; Warm",
    ]

    expected = {
        "system": (N_SYSTEM, "System"),
        "voice_cloning": (1, "Cloned"),
        "voice_generation": (1, "Designed"),
    }
    for voice_type, (count, word) in expected.items():
        panel.set_voice_type(voice_type)
        wait_loaded(qtbot, panel)
        assert panel.model.rowCount() == count
        types = {panel.model.index(r, 2).data() for r in range(count)}
        assert types == {word}
    panel.set_voice_type("all")
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == N_SYSTEM + 2


def test_empty_type_is_said_in_words(qtbot: QtBot, services: AppServices) -> None:
    workspace = services.new_workspace()
    try:
        panel = make_panel(qtbot, services, workspace)
        panel.set_voice_type("voice_cloning")
        wait_loaded(qtbot, panel)
        assert panel.stack.currentWidget() is panel.empty_label
        assert "no cloned voices" in panel.empty_label.text()
        assert "used once" in panel.empty_label.text()
        assert "7 days" in panel.hint_label.text()
    finally:
        workspace.close()


def test_filter_is_case_insensitive_over_id_name_description(
    qtbot: QtBot, services: AppServices, workspace: Workspace, qtmodeltester: ModelTester
) -> None:
    panel = make_panel(qtbot, services, workspace)
    panel.filter_edit.setText("QINGSE")  # id male-qn-qingse
    assert shown_ids(panel) == ["male-qn-qingse"]
    assert plural(panel.count_label.text()) == f"{N_SYSTEM + 2} voices, 1 shown"
    panel.filter_edit.setText("少女")  # name
    assert shown_ids(panel) == ["female-shaonv"]
    panel.filter_edit.setText("warm")  # second description line
    assert shown_ids(panel) == ["my_voice_01"]
    qtmodeltester.check(panel.proxy)
    panel.filter_edit.setText("Cloned")  # the type column is not searched
    assert shown_ids(panel) == []
    assert panel.stack.currentWidget() is panel.empty_label
    assert "No voice matches “Cloned”" in panel.empty_label.text()
    panel.filter_edit.clear()
    assert len(shown_ids(panel)) == N_SYSTEM + 2
    assert panel.stack.currentWidget() is panel.view


def test_system_voices_cannot_be_deleted(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    panel = make_panel(qtbot, services, workspace)
    assert not panel.delete_button.isEnabled()
    select_ids(panel, "male-qn-qingse")
    assert not panel.delete_button.isEnabled()
    assert panel.delete_button.toolTip() == "System voices cannot be deleted."
    select_ids(panel, "ttv-voice-2025")
    assert panel.delete_button.isEnabled()


def test_delete_cloned_voice_after_confirmation(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    panel = make_panel(qtbot, services, workspace)
    select_ids(panel, "my_voice_01")
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_dialog
    assert box is not None and box.isVisible()
    assert box.text() == (
        "Delete the voice “my_voice_01”? After deletion this voice id can never be used "
        "again, not even for a new voice."
    )
    assert panel.confirm_delete_button is not None
    panel.confirm_delete_button.click()
    qtbot.waitUntil(lambda: "my_voice_01" not in shown_ids(panel) and not panel.busy)
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == N_SYSTEM + 1
    assert panel.status_label.text() == ""  # reloaded after "Deleted 1 voice."
    ids = {v.voice_id for v in services.offline.app().store.list_voices()}
    assert "my_voice_01" not in ids


def test_a_long_voice_id_wraps_whole_in_the_question(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    """A voice id may have up to 256 characters: the question shows it whole, wrapped
    inside the box (one of 126 ran out of it, its end and the question mark cut off)."""
    long_id = "clone_" + "x" * 120
    services.offline.app().store.add_voice("voice_cloning", long_id, "long")
    panel = make_panel(qtbot, services, workspace)
    select_ids(panel, long_id)
    panel.delete_button.click()
    box = panel.confirm_dialog
    assert box is not None
    qtbot.waitExposed(box)
    assert box.windowTitle() == "Delete voice"  # (one: not "Delete voices")
    label = next(each for each in box.findChildren(QLabel) if "“clone_" in each.text())
    assert label.text().replace("\u200b", "") == (
        f"Delete the voice “{long_id}”? After deletion this voice id can never be used "
        "again, not even for a new voice."
    )
    area = box.screen().availableGeometry()
    assert area.contains(box.frameGeometry())
    assert label.sizeHint().width() <= label.width()  # nothing is cut off
    box.reject()


@pytest.mark.qt_log_ignore(
    "This plugin does not support (grabbing the keyboard|raise)", extend=True
)
def test_the_menu_key_offers_delete(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    """Right-click or the Menu key on the voices opens a menu with Delete… (there was
    none: the keyboard reached Delete only through the Delete key or the button)."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    panel = make_panel(qtbot, services, workspace)
    select_ids(panel, "my_voice_01")
    seen: list[list[tuple[str, bool]]] = []

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.append([(a.text(), a.isEnabled()) for a in menu.actions()])
            menu.close()

    QTimer.singleShot(100, read_and_close)
    point = QPoint(10, 10)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, point, panel.view.viewport().mapToGlobal(point)
    )
    QApplication.sendEvent(panel.view.viewport(), event)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [[("Delete…", True)]]


def test_cancelled_confirmation_deletes_nothing(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    panel = make_panel(qtbot, services, workspace)
    select_ids(panel, "my_voice_01")
    panel.delete_button.click()
    box = panel.confirm_dialog
    assert box is not None
    box.reject()
    assert panel.confirm_dialog is None
    assert not panel.busy
    assert "my_voice_01" in {v.voice_id for v in services.offline.app().store.list_voices()}


def test_multi_delete_reports_each_voice(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> None:
    store = services.offline.app().store
    store.add_voice("voice_cloning", "clone_b", "second")
    panel = make_panel(qtbot, services, workspace)
    select_ids(panel, "my_voice_01", "clone_b", "ttv-voice-2025", "female-shaonv")
    panel.delete_button.click()
    box = panel.confirm_dialog
    assert box is not None
    assert plural(box.text()).startswith(
        "Delete 3 voices? After deletion these voice ids can never"
    )
    info = box.informativeText()
    for voice_id in ("my_voice_01", "clone_b", "ttv-voice-2025"):
        assert voice_id in info
    assert "1 selected voice will be kept: system voices" in plural(info, 1)
    store.delete_voice("voice_cloning", "clone_b")  # behind the panel's back
    assert panel.confirm_delete_button is not None
    panel.confirm_delete_button.click()
    qtbot.waitUntil(lambda: panel.result_dialog is not None)
    result = panel.result_dialog
    assert result is not None
    assert plural(result.text(), 1) == "1 voice could not be deleted."
    lines = result.informativeText().splitlines()
    assert lines[0] == "“my_voice_01”: deleted."
    assert lines[1].startswith("“clone_b”: not deleted. The voice id is not valid")
    assert lines[2] == "“ttv-voice-2025”: deleted."
    wait_loaded(qtbot, panel)
    assert set(shown_ids(panel)) == {voice[0] for voice in SYSTEM_VOICES}
    result.close()


def test_bad_key_is_shown_as_a_sentence(qtbot: QtBot, services: AppServices) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"base_resp": {"status_code": 1004, "status_msg": "login fail"}},
            headers={"Trace-Id": "trace-123"},
        )

    def factory(profile: ConnectionProfile) -> httpx.BaseTransport | None:
        return httpx.MockTransport(handler) if profile.service == "minimax" else None

    services.transport_factory = factory
    presenter = ErrorPresenter()
    panel = MiniMaxPanel(services, presenter)
    qtbot.addWidget(panel)
    workspace = services.new_workspace()
    try:
        panel.set_workspace(workspace)
        qtbot.waitUntil(lambda: presenter.last_dialog is not None and not panel.busy)
        dialog = presenter.last_dialog
        assert dialog is not None
        assert dialog.text.message.startswith("MiniMax rejected the API key.")
        assert "trace-123" in dialog.text.details
        assert dialog.action_button is not None  # "Enter token..."
        assert panel.stack.currentWidget() is panel.empty_label
        assert panel.empty_label.text().startswith("Not signed in")  # its own state
        assert not panel.loaded
        dialog.close()
    finally:
        workspace.close()


def test_stop_gives_up_on_a_list_that_does_not_come(qtbot: QtBot, services: AppServices) -> None:
    entered, release = hang_service(services, "minimax")
    panel = MiniMaxPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    workspace = services.new_workspace()
    try:
        panel.set_workspace(workspace)
        qtbot.waitUntil(entered.is_set)
        strip = panel.status_label
        assert strip.busy_bar.isVisible() and strip.stop_button.isVisible()
        assert not panel.refresh_button.isEnabled()

        qtbot.mouseClick(strip.stop_button, Qt.MouseButton.LeftButton)
        stopped = "Loading was cancelled. Refresh to try again."
        assert strip.text() == stopped
        assert panel.empty_label.text() == stopped
        assert not strip.busy_bar.isVisible()
        assert panel.refresh_button.isEnabled()  # usable while the dropped call still runs
        release.set()
        qtbot.waitUntil(lambda: not panel.busy)
        assert not panel.loaded  # the late answer was dropped

        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
        wait_loaded(qtbot, panel)
        assert set(shown_ids(panel)) == {voice[0] for voice in SYSTEM_VOICES}
        assert strip.text() == ""
    finally:
        release.set()
        qtbot.waitUntil(lambda: not panel.busy)
        workspace.close()
