"""The groups view against the real offline backend: paging, search, filters, create/edit/delete."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QThreadPool
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import wav_bytes
from tests.ui_fixtures import destructive_button, hang_service
from voiceprint_studio.local.store import LocalUser, NewAudio, Store
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.common.pager import PAGE_SIZES
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.groups.group_dialogs import GroupDialog
from voiceprint_studio.ui.groups.groups_panel import GroupsPanel


@pytest.fixture
def presenter() -> ErrorPresenter:
    return ErrorPresenter()


@pytest.fixture
def make_panel(
    qtbot: QtBot, services: AppServices, presenter: ErrorPresenter
) -> Iterator[Callable[[], GroupsPanel]]:
    """Build the panel on a fresh workspace (after the test seeded the store) and load."""
    made: list[tuple[GroupsPanel, Workspace]] = []

    def make() -> GroupsPanel:
        panel = GroupsPanel(services, presenter)
        qtbot.addWidget(panel)
        panel.resize(900, 500)
        panel.show()
        workspace = services.new_workspace()
        panel.set_workspace(workspace)
        made.append((panel, workspace))
        wait_loaded(qtbot, panel)
        return panel

    yield make
    for panel, workspace in made:
        panel.shutdown()
        QThreadPool.globalInstance().waitForDone(5000)
        workspace.close()


def wait_loaded(qtbot: QtBot, panel: GroupsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.loading and not panel.busy, timeout=5000)


def names(panel: GroupsPanel) -> list[str]:
    return [g.name for g in panel.model.records()]


def select_rows(panel: GroupsPanel, *rows: int) -> None:
    selection = panel.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            panel.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def seed(store: Store, count: int, prefix: str = "Group") -> None:
    for i in range(count):
        store.create_group(f"{prefix} {i:02d}", f"description {i}")


def test_empty_workspace_says_what_to_do(make_panel: Callable[[], GroupsPanel]) -> None:
    panel = make_panel()
    assert panel.stack.currentWidget() is panel.empty_label
    assert panel.empty_label.text() == "No voiceprint groups yet. Click New group to create one."
    assert panel.new_action.isEnabled()
    assert not panel.edit_action.isEnabled()
    assert not panel.delete_action.isEnabled()


def test_pages_through_25_groups_and_remembers_page_size(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    make_panel: Callable[[], GroupsPanel],
    qtmodeltester: Any,
) -> None:
    services.preferences.set(prefs.PAGE_SIZE, 10)
    seed(store, 25)
    panel = make_panel()
    qtmodeltester.check(panel.model)
    assert names(panel) == [f"Group {i:02d}" for i in range(24, 14, -1)]  # newest first
    assert panel.pager.total == 25
    assert panel.pager.label.text().startswith("Page 1 of 3")
    assert not panel.pager.prev_button.isEnabled()

    qtbot.mouseClick(panel.pager.next_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, panel)
    assert names(panel)[0] == "Group 14"
    qtbot.mouseClick(panel.pager.last_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, panel)
    assert names(panel) == [f"Group {i:02d}" for i in range(4, -1, -1)]
    assert panel.pager.label.text().startswith("Page 3 of 3")
    assert not panel.pager.next_button.isEnabled()
    qtbot.mouseClick(panel.pager.first_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, panel)
    assert names(panel)[0] == "Group 24"

    panel.pager.size_combo.setCurrentIndex(PAGE_SIZES.index(50))
    wait_loaded(qtbot, panel)
    assert len(names(panel)) == 25
    assert panel.pager.label.text().startswith("Page 1 of 1")
    assert services.preferences.get(prefs.PAGE_SIZE) == 50
    qtmodeltester.check(panel.model)


def test_search_is_debounced_and_matches_the_start_of_the_name(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    for name in ("Alpha team", "Alphabet", "Team alpha", "Beta"):
        store.create_group(name)
    panel = make_panel()
    assert "start" in panel.search_edit.placeholderText()
    qtbot.keyClicks(panel.search_edit, "Alpha")
    # Nothing was asked yet: the timer waits for the typing to stop.
    assert panel.search_timer.isActive()
    assert not panel.loading
    assert len(names(panel)) == 4
    with qtbot.waitSignal(panel.search_timer.timeout, timeout=2000):
        pass
    wait_loaded(qtbot, panel)
    assert sorted(names(panel)) == ["Alpha team", "Alphabet"]  # not "Team alpha"
    assert panel.pager.total == 2  # the server's count for the prefix

    with qtbot.waitSignal(panel.search_timer.timeout, timeout=2000):
        panel.search_edit.setText("Zeta")
    wait_loaded(qtbot, panel)
    assert names(panel) == []
    assert panel.stack.currentWidget() is panel.empty_label
    assert "Zeta" in panel.empty_label.text()
    assert "clear the search" in panel.empty_label.text()


def test_created_by_me_filter(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    store.add_user(LocalUser("7480000000000000999", "colleague", "Colleague"))
    store.create_group("Mine")
    store.create_group("Theirs", user_id="7480000000000000999")
    panel = make_panel()
    assert sorted(names(panel)) == ["Mine", "Theirs"]
    creators = {panel.model.index(r, 0).data(): panel.model.index(r, 3).data() for r in range(2)}
    assert creators["Theirs"] == "Colleague"
    panel.mine_check.setChecked(True)
    wait_loaded(qtbot, panel)
    assert names(panel) == ["Mine"]
    panel.mine_check.setChecked(False)
    wait_loaded(qtbot, panel)
    assert len(names(panel)) == 2


def test_create_validates_live_then_selects_the_new_group(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    seed(store, 3)
    panel = make_panel()
    emitted: list[object] = []
    panel.current_group_changed.connect(emitted.append)
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, GroupDialog)
    fields = dialog.fields
    assert not dialog.ok_button.isEnabled()
    assert fields.name_counter.text() == "0/20"
    assert fields.message_label.text() == ""  # nothing typed yet: no red reproach
    assert dialog.ok_button.toolTip() == "Enter a name."
    fields.name_edit.setText("   ")
    assert not dialog.ok_button.isEnabled()
    assert fields.message_label.text() == "Enter a name."
    fields.name_edit.setText("x" * 21)
    assert fields.name_counter.text() == "21/20"
    assert fields.name_counter.property("overLimit") is True
    assert not dialog.ok_button.isEnabled()
    fields.name_edit.setText("x" * 20)
    assert fields.name_counter.property("overLimit") is False
    assert dialog.ok_button.isEnabled()
    fields.desc_edit.setPlainText("d" * 501)
    assert fields.desc_counter.text() == "501/500"
    assert not dialog.ok_button.isEnabled()
    fields.desc_edit.setPlainText("d" * 500)
    assert dialog.ok_button.isEnabled()

    fields.name_edit.setText("Reception")
    fields.desc_edit.setPlainText("Front desk staff")
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, panel)
    current = panel.current_group()
    assert current is not None
    assert current.name == "Reception"
    assert current.desc == "Front desk staff"
    assert emitted and emitted[-1] == current
    assert [g.name for g in store.list_groups(page_size=50)[0]].count("Reception") == 1


class _LoseFirstGroupAnswer(httpx.BaseTransport):
    """The offline backend; the first group create is carried out, then its connection
    breaks before the answer (the app cannot know it was made)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.creates = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        creating = request.method == "POST" and request.url.path.endswith("/voiceprint_groups")
        if creating:
            self.creates += 1
        response = self.inner.handle_request(request)
        if creating and self.creates == 1:
            response.read()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


def test_save_again_after_a_lost_answer_finds_the_group_instead_of_making_another(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    presenter: ErrorPresenter,
    make_panel: Callable[[], GroupsPanel],
) -> None:
    lossy = _LoseFirstGroupAnswer(services.offline.transport())
    services.transport_factory = lambda profile: lossy if profile.service == "coze" else None
    panel = make_panel()
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, GroupDialog)
    dialog.fields.name_edit.setText("Reception")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: presenter.last_dialog is not None, timeout=5000)
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # the operator saves again
    assert presenter.last_dialog is not None
    presenter.last_dialog.close()
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.ok_button.click()
    wait_loaded(qtbot, panel)
    assert lossy.creates == 1  # looked first: not sent again
    assert [g.name for g in store.list_groups(page_size=50)[0]] == ["Reception"]
    current = panel.current_group()
    assert current is not None and current.name == "Reception"


def test_edit_group(qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]) -> None:
    group = store.create_group("Old name", "old")
    panel = make_panel()
    select_rows(panel, 0)
    assert panel.edit_action.isEnabled()
    panel.edit_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None
    assert dialog.fields.name_edit.text() == "Old name"
    dialog.fields.name_edit.setText("New name")
    dialog.fields.desc_edit.setPlainText("new")
    with qtbot.waitSignal(panel.current_group_changed, timeout=5000) as blocker:
        dialog.ok_button.click()
    assert blocker.args[0].name == "New name"
    wait_loaded(qtbot, panel)
    assert names(panel) == ["New name"]
    stored = store.get_group(group.id)
    assert stored is not None
    assert (stored.name, stored.desc) == ("New name", "new")


def test_enter_on_a_group_edits_it_like_a_double_click(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    # the tester's: Enter on a selected group did nothing (F2 and a double-click edit it)
    store.create_group("Front desk")
    panel = make_panel()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # nothing selected: nothing opens
    assert panel.last_dialog is None
    select_rows(panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    dialog = panel.last_dialog
    assert isinstance(dialog, GroupDialog)
    assert dialog.fields.name_edit.text() == "Front desk"


def test_delete_one_group_names_it_and_its_voiceprint_count(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    group = store.create_group("Sales")
    for i in range(3):
        store.create_feature(group.id, f"Person {i}", "", NewAudio(wav_bytes(), "wav"))
    store.create_group("Keep")
    panel = make_panel()
    select_rows(panel, names(panel).index("Sales"))
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    assert "“Sales”" in box.text()
    assert "3 voiceprint" in box.text()
    assert "Recently deleted" in box.informativeText()
    # Cancel keeps the group.
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert store.get_group(group.id) is not None

    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    destructive_button(box).click()
    qtbot.waitUntil(lambda: not panel.deleting, timeout=5000)
    wait_loaded(qtbot, panel)
    assert names(panel) == ["Keep"]
    assert store.get_group(group.id) is None
    assert "Deleted" in panel.state_label.text()


def test_multi_delete_reports_each_group(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    a = store.create_group("Group A")
    store.create_feature(a.id, "Person", "", NewAudio(wav_bytes(), "wav"))
    b = store.create_group("Group B")
    store.create_group("Group C")
    panel = make_panel()
    select_rows(panel, 0, 1, 2)
    assert panel.current_group() is None  # several selected: no single current group
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    assert "3 groups" in box.text()
    assert "1 voiceprint" in box.text()
    for name in ("Group A", "Group B", "Group C"):
        assert name in box.informativeText()
    # Someone else deletes B meanwhile: the server will answer "not found" for it.
    store.delete_group(b.id)
    destructive_button(box).click()
    qtbot.waitUntil(lambda: panel.result_dialog is not None, timeout=5000)
    dialog = panel.result_dialog
    assert dialog is not None
    lines = dialog.lines()
    assert any(line.startswith("“Group A”: deleted") for line in lines)
    assert any(line.startswith("“Group C”: deleted") for line in lines)
    failed = [line for line in lines if line.startswith("“Group B”: not deleted.")]
    assert len(failed) == 1
    assert "not found" in failed[0].lower() or "no longer" in failed[0].lower()
    assert dialog.summary_label.text().startswith("2 group")
    assert "1 group" in dialog.summary_label.text()
    dialog.close()
    wait_loaded(qtbot, panel)
    assert names(panel) == []


def test_multi_delete_that_fully_succeeds_needs_no_dialog(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    for name in ("Group A", "Group B", "Keep"):
        store.create_group(name)
    panel = make_panel()
    select_rows(panel, names(panel).index("Group A"), names(panel).index("Group B"))
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    destructive_button(box).click()
    qtbot.waitUntil(lambda: not panel.deleting, timeout=5000)
    wait_loaded(qtbot, panel)
    assert names(panel) == ["Keep"]
    assert panel.result_dialog is None
    assert panel.state_label.text().startswith("2 group") and "deleted" in panel.state_label.text()


def test_busy_state_and_stale_pages_are_dropped(
    qtbot: QtBot, services: AppServices, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    services.preferences.set(prefs.PAGE_SIZE, 10)
    seed(store, 25)
    panel = make_panel()
    services.offline.app().latency = 0.15
    shown: list[str] = []
    panel.model.modelReset.connect(lambda: shown.append(names(panel)[0] if names(panel) else ""))
    qtbot.mouseClick(panel.pager.next_button, Qt.MouseButton.LeftButton)
    assert panel.loading
    # The table stays usable while a page loads; the actions on its rows wait for the page.
    assert panel.table.isEnabled()
    select_rows(panel, 0)
    assert not panel.edit_action.isEnabled()
    assert not panel.delete_action.isEnabled()
    assert panel.new_action.isEnabled()
    assert panel.busy_bar.isVisible()
    assert panel.state_label.text() == "Loading groups…"
    qtbot.mouseClick(panel.pager.next_button, Qt.MouseButton.LeftButton)  # quickly on to page 3
    wait_loaded(qtbot, panel)
    assert shown == ["Group 04"]  # page 2 arrived first and was dropped
    assert panel.pager.label.text().startswith("Page 3 of 3")
    assert panel.table.isEnabled()
    assert not panel.busy_bar.isVisible()

    # A delete in flight disables Delete and Edit.
    select_rows(panel, 0)
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert box is not None
    destructive_button(box).click()
    assert panel.deleting
    assert not panel.delete_action.isEnabled()
    assert not panel.edit_action.isEnabled()
    qtbot.waitUntil(lambda: not panel.deleting, timeout=5000)
    wait_loaded(qtbot, panel)
    services.offline.app().latency = 0.0


def test_long_names_stay_on_one_line(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel], qtmodeltester: Any
) -> None:
    long_name = "声纹组名称测试用的非常长的中文名字二十个"
    assert len(long_name) == 20
    long_desc = "很长的描述" * 100
    assert len(long_desc) == 500
    store.create_group(long_name, long_desc)
    store.create_group("short")
    panel = make_panel()
    qtmodeltester.check(panel.model)
    row = names(panel).index(long_name)
    default_height = panel.table.verticalHeader().defaultSectionSize()
    assert panel.table.rowHeight(row) == default_height
    assert panel.table.rowHeight(1 - row) == default_height
    assert panel.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == long_name
    assert panel.model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) == long_desc
    assert not panel.table.wordWrap()
    assert panel.table.columnWidth(0) < 400


def test_shortcuts_and_focus_search(make_panel: Callable[[], GroupsPanel]) -> None:
    panel = make_panel()
    for action in (panel.new_action, panel.edit_action, panel.delete_action):
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    assert panel.new_action.shortcut().toString() == "Ctrl+N"
    assert panel.delete_action.shortcut().toString() == "Del"
    panel.activateWindow()
    panel.focus_search()
    assert panel.search_edit.hasFocus() or panel.focusWidget() is panel.search_edit


def test_dialog_cancel_closes_without_request(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    panel = make_panel()
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None
    dialog.fields.name_edit.setText("Never saved")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    box = dialog.discard_box  # a name was typed: asked first
    assert box is not None
    with qtbot.waitSignal(dialog.finished):
        destructive_button(box).click()
    assert store.list_groups()[1] == 0


def test_stop_gives_up_on_a_page_that_does_not_come(
    qtbot: QtBot, services: AppServices, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    seed(store, 3)
    entered, release = hang_service(services, "coze")
    release.set()  # answering for now
    panel = make_panel()
    assert names(panel) == ["Group 02", "Group 01", "Group 00"]
    workspace = panel.workspace
    assert workspace is not None
    # From now on the server takes the request and does not answer until released.
    entered.clear()
    release.clear()
    try:
        panel.refresh()
        qtbot.waitUntil(entered.is_set)
        strip = panel.state_label
        assert panel.loading
        assert strip.busy_bar.isVisible() and strip.stop_button.isVisible()
        store.create_group("Arrives late")

        qtbot.mouseClick(strip.stop_button, Qt.MouseButton.LeftButton)
        assert not panel.loading
        assert not strip.busy_bar.isVisible() and not strip.stop_button.isVisible()
        assert strip.text() == "Loading was cancelled. Refresh to try again."
        assert panel.refresh_button_action.isEnabled() and panel.new_action.isEnabled()
        select_rows(panel, 0)
        assert panel.edit_action.isEnabled()  # the rows shown are usable again

        release.set()  # the answer comes after all: it is dropped
        qtbot.waitUntil(lambda: not panel.busy)
        assert names(panel) == ["Group 02", "Group 01", "Group 00"]

        panel.refresh_button_action.trigger()  # trying again works and clears the notice
        wait_loaded(qtbot, panel)
        assert names(panel)[0] == "Arrives late"
        assert strip.text() == ""
    finally:
        release.set()
        qtbot.waitUntil(lambda: not panel.busy)


def test_a_refresh_that_fails_says_the_rows_shown_may_be_out_of_date(
    qtbot: QtBot,
    services: AppServices,
    store: Store,
    presenter: ErrorPresenter,
    make_panel: Callable[[], GroupsPanel],
) -> None:
    """The walk-through's: with the server stopped, a failed Refresh left the old rows on
    screen with nothing saying they were not fresh. The status says so until a page comes."""
    seed(store, 2)
    backend = services.offline.transport()
    down = [False]

    def answering(request: httpx.Request) -> httpx.Response:
        if down[0]:
            raise httpx.ConnectError("Connection refused", request=request)
        return backend.handle_request(request)

    services.transport_factory = lambda profile: (
        httpx.MockTransport(answering) if profile.service == "coze" else None
    )
    panel = make_panel()
    assert names(panel) == ["Group 01", "Group 00"] and panel.state_label.text() == ""
    down[0] = True
    panel.refresh_button_action.trigger()
    qtbot.waitUntil(lambda: not panel.loading, timeout=30000)
    assert names(panel) == ["Group 01", "Group 00"]  # kept: better than nothing ...
    assert panel.state_label.text() == (  # ... and said to be what they are
        "Not refreshed: the list below may be out of date. Refresh to try again."
    )
    assert presenter.last_dialog is not None  # the failure itself, in its own words
    presenter.last_dialog.close()
    down[0] = False
    store.create_group("Group 02")
    panel.refresh_button_action.trigger()
    wait_loaded(qtbot, panel)
    assert names(panel)[0] == "Group 02" and panel.state_label.text() == ""


@pytest.mark.parametrize(("language", "local_user"), [("en", "Local user"), ("zh_CN", "本地用户")])
def test_the_offline_workspace_user_is_named_in_the_operators_language(
    store: Store, make_panel: Callable[[], GroupsPanel], language: str, local_user: str
) -> None:
    store.add_user(LocalUser("7480000000000000999", "colleague", "同事"))
    store.create_group("Mine")
    store.create_group("Theirs", user_id="7480000000000000999")
    translations = Translations()
    assert translations.install(language)
    try:
        panel = make_panel()
        creators = {
            panel.model.index(r, 0).data(): panel.model.index(r, 3).data() for r in range(2)
        }
    finally:
        translations.uninstall()
    # The stored nickname of the workspace's own user is "本地用户" in every language;
    # other users keep their own names.
    assert creators == {"Mine": local_user, "Theirs": "同事"}


def test_escape_in_the_group_dialog_asks_before_dropping_what_was_typed(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    # the tester's: Escape closed "New voiceprint group" with a 20-character name and a
    # long description typed, unasked
    panel = make_panel()
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, GroupDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert dialog.discard_box is None and not dialog.isVisible()

    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, GroupDialog)
    qtbot.waitExposed(dialog)
    dialog.fields.name_edit.setText("华东区域客户服务中心全体值班员工声纹一组")
    qtbot.keyClick(dialog.fields.name_edit, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and dialog.isVisible()
    assert box.text() == "Close without creating the group?"
    assert box.defaultButton().text() == "Keep editing"
    box.defaultButton().click()
    qtbot.waitUntil(lambda: dialog.discard_box is None)
    assert dialog.isVisible() and dialog.fields.name() == "华东区域客户服务中心全体值班员工声纹一组"
    dialog.reject()
    box = dialog.discard_box
    assert box is not None
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        destructive_button(box).click()
    assert store.list_groups()[1] == 0  # nothing was created


def test_a_group_name_already_listed_is_pointed_out(
    qtbot: QtBot, store: Store, make_panel: Callable[[], GroupsPanel]
) -> None:
    seed(store, 2)
    panel = make_panel()
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, GroupDialog)
    taken = names(panel)[0]
    dialog.fields.name_edit.setText(taken)
    assert dialog.fields.note_label.isVisibleTo(dialog)
    assert dialog.fields.note_label.text().startswith(f"A group named “{taken}” is already")
    assert dialog.ok_button.isEnabled()  # said, not refused
    dialog.fields.name_edit.setText(taken + " 2")
    assert not dialog.fields.note_label.isVisibleTo(dialog)
    dialog.done(0)
