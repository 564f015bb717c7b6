"""Issue 10 on screen: the call budget, the cached identity, the users/me fallback,
other MiniMax voices (real widgets; the loopback backend, or injected replies for what
it cannot say)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback
from tests.ui_fixtures import MemoryKeyring
from voiceprint_studio.api import MiniMaxVoice
from voiceprint_studio.local.store import LocalUser
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.profiles import (
    ConnectionProfile,
    custom_profile,
    find_profile,
    keyring_account,
)
from voiceprint_studio.settings.secrets import SERVICE
from voiceprint_studio.ui.common.call_budget import confirm_budget
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.table_model import RecordRole
from voiceprint_studio.ui.minimax.minimax_panel import MiniMaxPanel
from voiceprint_studio.ui.shell.connection_dialog import TokenDialog
from voiceprint_studio.ui.shell.main_window import MainWindow

START = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Spy(httpx.BaseTransport):
    """The real loopback server, with every request's path noted."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: list[str] = []
        self.requests: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        self.requests.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _idle(window: MainWindow) -> bool:
    return (
        window.workspace is not None
        and not window.runner.busy
        and not any(panel.busy for panel in window.panels)
    )


@dataclass
class Env:
    """The app's services on the loopback server, the spy, the clock, the keyring."""

    qtbot: QtBot
    services: AppServices
    loopback: Loopback
    spy: Spy
    clock: Clock
    keyring: MemoryKeyring
    windows: list[MainWindow] = field(default_factory=list)

    @property
    def budget(self) -> CallBudget:
        assert self.services.budget is not None
        return self.services.budget

    @property
    def remote(self) -> ConnectionProfile:
        return custom_profile("coze", self.loopback.url)

    def start_on_remote(self) -> None:
        """A token is saved for the loopback Coze profile, which is the active one."""
        self.keyring.entries[(SERVICE, keyring_account(self.remote))] = self.loopback.token
        self.services.preferences.set(prefs.COZE_PROFILE, "custom_coze")

    def window(self) -> MainWindow:
        window = MainWindow(self.services)
        self.qtbot.addWidget(window)
        self.windows.append(window)
        window.show()
        self.qtbot.waitExposed(window)
        self.qtbot.waitUntil(lambda: _idle(window))
        return window


@pytest.fixture
def env(
    qtbot: QtBot,
    services: AppServices,
    loopback: Loopback,
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> Iterator[Env]:
    """Coze and MiniMax profiles on the loopback server, through one spying transport;
    the call budget on an injected clock."""
    services.preferences.set(prefs.COZE_CUSTOM_URL, loopback.url)
    services.preferences.set(prefs.MINIMAX_CUSTOM_URL, loopback.url)
    clock = Clock()
    services.budget = CallBudget(tmp_path / "budget" / "call-budget.json", clock=clock)
    spy = Spy()
    services.transport_factory = lambda profile: None if profile.offline else spy
    environment = Env(qtbot, services, loopback, spy, clock, keyring_backend)
    yield environment
    for window in environment.windows:
        window.close()
    spy.close()


def plural(text: str, n: int = 2) -> str:
    """English plural forms of ``%n thing(s)`` (no translator is installed in tests)."""
    return text.replace("(s)", "" if n == 1 else "s")


def test_saved_token_date_identity_and_count_no_users_me_on_switching(
    qtbot: QtBot, env: Env
) -> None:
    services, loopback, spy = env.services, env.loopback, env.spy
    window = env.window()
    remote = env.remote
    window.open_token_dialog(remote)
    dialog = window.token_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    dialog.token_edit.setText(loopback.token)
    dialog.test_button.click()  # users/me + one page of groups: 2 calls, 1 attempt each
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert dialog.result_label.text().startswith("Signed in as ")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: _idle(window))
    assert spy.paths.count("/v1/users/me") == 1  # the test's; the new workspace used the cache
    assert "signed in as" in window.connection_label.text()
    assert loopback.app.user.nick_name in window.connection_label.text()

    budget = services.budget
    assert budget is not None
    state = budget.state(remote)
    assert state.token_saved_at == START
    assert state.user_id == loopback.app.user.user_id
    assert state.calls == len(spy.paths)  # every request counted (the test's too)
    qtbot.waitUntil(window.budget_label.isVisible)
    assert window.budget_label.text() == f"Coze calls: {len(spy.paths)} of 500"

    # to offline and back: no users/me at all
    window.profile_actions[("coze", "offline")].trigger()
    qtbot.waitUntil(lambda: _idle(window))
    assert not window.budget_label.isVisible()
    window.profile_actions[("coze", "custom_coze")].trigger()
    qtbot.waitUntil(lambda: _idle(window))
    assert spy.paths.count("/v1/users/me") == 1
    assert "signed in as" in window.connection_label.text()
    qtbot.waitUntil(lambda: window.budget_label.text() == f"Coze calls: {len(spy.paths)} of 500")


def test_token_reminder_in_the_status_bar_and_the_dialog(qtbot: QtBot, env: Env) -> None:
    remote = env.remote
    env.budget.token_saved(remote)
    env.budget.record_calls(remote, 480)
    env.start_on_remote()
    env.clock.now = START + timedelta(days=26)
    budget = CallBudget(env.budget.path, clock=env.clock)  # the next start of the app
    env.services.budget = budget
    window = env.window()
    assert "expires in about 4 days" in plural(window.message_label.text())
    qtbot.waitUntil(window.budget_label.isVisible)
    assert window.budget_label.text().startswith("Coze calls: 48")  # 480 + this start's calls
    assert "b00020" in window.budget_label.styleSheet()  # fewer than 50 left: red

    window.open_token_dialog(remote)
    dialog = window.token_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    box = dialog.budget_box
    assert box.isVisible()
    assert "expires in about 4 days" in plural(box.age_label.text())
    assert "call" in box.count_label.text() and "left on the free plan" in box.count_label.text()
    # the operator says the plan is paid: no limit any more, kept in the file
    box.plan_combo.setCurrentIndex(box.plan_combo.findData("paid"))
    box.plan_combo.activated.emit(box.plan_combo.currentIndex())
    qtbot.waitUntil(lambda: budget.state(remote).plan == "paid")
    qtbot.waitUntil(lambda: "left on the free plan" not in box.count_label.text())
    stored = json.loads(budget.path.read_text(encoding="utf-8"))
    assert [a["plan"] for a in stored["accounts"].values()] == ["paid"]
    qtbot.waitUntil(lambda: "of 500" not in window.budget_label.text())
    dialog.reject()


def test_the_token_age_is_not_shown_when_no_token_is_saved(qtbot: QtBot, env: Env) -> None:
    """The tester's: with no keyring the token is gone after a restart, and the dialog
    said both "no token is saved" and "the token was saved 0 days ago"."""
    env.budget.token_saved(env.remote)
    env.start_on_remote()
    window = env.window()
    window.open_token_dialog(env.remote)
    dialog = window.token_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    # saved, with its age (today: not "0 days ago", the walk-through's)
    assert dialog.budget_box.age_label.text() == (
        "The token was saved today (Coze tokens last at most 30 days)."
    )
    dialog.reject()
    del env.keyring.entries[(SERVICE, keyring_account(env.remote))]  # gone with the session
    window.open_token_dialog(env.remote)
    dialog = window.token_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert dialog.budget_box.isVisible()  # the count is still the account's
    assert dialog.budget_box.age_label.text() == ""
    dialog.reject()


def test_connection_test_falls_back_when_users_me_is_refused(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/v1/users/me":
            return httpx.Response(200, json={"code": 4101, "msg": "no permission"})
        return httpx.Response(200, json={"code": 0, "msg": "", "data": {"items": [], "total": 0}})

    services.transport_factory = lambda profile: httpx.MockTransport(handler)
    profile = find_profile("coze", "coze_cn")
    dialog = TokenDialog(services, profile)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    dialog.token_edit.setText("pat_some_token_value")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    text = dialog.result_label.text()
    assert "The token works" in text
    assert "users/me answered 4101" in text
    assert paths == ["/v1/users/me", "/v1/audio/voiceprint_groups"]  # one attempt each
    assert services.budget is not None
    assert services.budget.state(profile).calls == 2
    dialog.reject()


def test_group_delete_warns_before_crossing_the_free_plan(qtbot: QtBot, env: Env) -> None:
    remote, budget = env.remote, env.budget
    store = env.loopback.app.store
    for name in ("a", "b", "c"):
        store.create_group(name, user_id=env.loopback.app.user.user_id)
    env.start_on_remote()
    window = env.window()
    panel = window.groups_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    selection = panel.table.selectionModel()
    for row in range(3):
        selection.select(
            panel.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )

    panel.delete_action.trigger()
    box = panel.confirm_box
    assert isinstance(box, QMessageBox)
    assert "Careful" not in box.informativeText()  # plenty left
    box.reject()

    qtbot.waitUntil(lambda: _idle(window))  # the selection loads the voiceprints view
    budget.record_calls(remote, 500 - budget.state(remote).calls - 2)  # 2 calls left
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert isinstance(box, QMessageBox)
    # two calls a group: the safety net lists its voiceprints, then the delete
    assert "Careful: this needs about 6 API calls" in plural(box.informativeText())
    assert "only 2 of the free plan's 500" in box.informativeText()
    assert "• a" in box.informativeText()  # the names are still listed
    box.reject()

    # the estimate is what the delete spends
    budget.set_plan(remote, "paid")
    seen = len(env.spy.requests)
    panel.delete_action.trigger()
    box = panel.confirm_box
    assert isinstance(box, QMessageBox)
    delete_button = next(b for b in box.buttons() if b.text() == "Delete")
    delete_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and _idle(window))
    assert store.list_groups()[1] == 0
    made = env.spy.requests[seen:]
    deletes = [r for r in made if r[0] == "DELETE"]
    lists = [r for r in made if r[0] == "GET" and r[1].endswith("/features")]
    assert (len(deletes), len(lists)) == (3, 3)


def test_confirm_budget_asks_and_goes_on_only_when_told(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    budget = CallBudget(tmp_path / "b.json")
    profile = find_profile("coze", "coze_cn")
    went_on: list[bool] = []
    assert confirm_budget(parent, budget, profile, 1, lambda: went_on.append(True)) is None
    budget.record_calls(profile, 500)
    box = confirm_budget(parent, budget, profile, 1, lambda: went_on.append(True))
    assert box is not None and "only 0 of the free plan's 500" in box.text()
    box.reject()
    assert went_on == []
    box = confirm_budget(parent, budget, profile, 1, lambda: went_on.append(True))
    assert box is not None
    go = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    go.click()
    assert went_on == [True]
    budget.set_plan(profile, "paid")
    assert confirm_budget(parent, budget, profile, 1000, lambda: None) is None
    # MiniMax and the offline workspace never ask
    budget.record_calls(find_profile("minimax", "minimax_cn"), 10_000)
    assert (
        confirm_budget(parent, budget, find_profile("minimax", "minimax_cn"), 9, lambda: None)
        is None
    )


def test_minimax_panel_shows_other_kinds_read_only(qtbot: QtBot, services: AppServices) -> None:
    body = {
        "system_voice": [{"voice_id": "male-qn-qingse", "voice_name": "青涩青年音"}],
        "voice_cloning": [{"voice_id": "my_clone", "created_time": "2025-01-15"}],
        "music_voice": [{"voice_id": "music-piano", "voice_name": "钢琴"}],
        "base_resp": {"status_code": 0, "status_msg": "success"},
    }
    services.transport_factory = lambda profile: httpx.MockTransport(
        lambda request: httpx.Response(200, json=body)
    )
    profile = find_profile("minimax", "minimax_cn")
    services.secrets.set(keyring_account(profile), "minimax-key-123")
    services.preferences.set(prefs.MINIMAX_PROFILE, "minimax_cn")
    workspace = services.new_workspace()
    panel = MiniMaxPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.show()
    panel.set_workspace(workspace)
    qtbot.waitUntil(lambda: panel.loaded and not panel.busy)
    rows = {}
    for row in range(panel.proxy.rowCount()):
        voice = panel.proxy.data(panel.proxy.index(row, 0), RecordRole)
        assert isinstance(voice, MiniMaxVoice)
        rows[voice.voice_id] = (row, panel.proxy.index(row, 2).data())
    assert rows["music-piano"][1] == "Other (read-only)"
    assert rows["my_clone"][1] == "Cloned"
    selection = panel.view.selectionModel()
    selection.select(
        panel.proxy.index(rows["music-piano"][0], 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert not panel.delete_button.isEnabled()
    selection.select(
        panel.proxy.index(rows["my_clone"][0], 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert panel.delete_button.isEnabled()
    workspace.close()


def test_cached_identity_serves_the_status_bar_and_the_mine_filter(qtbot: QtBot, env: Env) -> None:
    store, owner = env.loopback.app.store, env.loopback.app.user
    colleague = LocalUser("7480000000000000444", "colleague", "同事")
    store.add_user(colleague)
    store.create_group("mine", user_id=owner.user_id)
    store.create_group("theirs", user_id=colleague.user_id)
    env.budget.remember_identity(env.remote, owner.user_id, "Cached Name")
    env.start_on_remote()
    window = env.window()
    assert "signed in as Cached Name" in window.connection_label.text()
    panel = window.groups_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    panel.mine_check.setChecked(True)
    qtbot.waitUntil(lambda: not panel.loading and panel.model.rowCount() == 1)
    assert [g.name for g in panel.model.records()] == ["mine"]
    assert "/v1/users/me" not in env.spy.paths


def _close_error_dialogs(window: MainWindow) -> None:
    dialog = window.presenter.last_dialog
    if dialog is not None and dialog.isVisible():
        dialog.close()


def test_a_refused_token_is_not_signed_in_and_its_identity_is_forgotten(
    qtbot: QtBot, env: Env
) -> None:
    # The status bar kept "signed in as" (the cached identity) while the views said Coze
    # rejected the token (a new operator's walk-through: the stand-in server restarted)
    owner = env.loopback.app.user
    env.loopback.app.store.create_group("Front desk", user_id=owner.user_id)
    env.budget.remember_identity(env.remote, owner.user_id, "Cached Name")
    env.start_on_remote()
    window = env.window()
    assert "signed in as Cached Name" in window.connection_label.text()
    assert window.groups_panel.model.rowCount() == 1

    env.loopback.app.token = "pat_the_restarted_server_s_token"  # the saved one is wrong now
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None and _idle(window))
    assert "Coze rejected the access token" in window.presenter.last_dialog.text.message
    _close_error_dialogs(window)
    status = window.connection_label.text()
    assert status.endswith(", not signed in") and "Cached Name" not in status
    assert env.budget.state(env.remote).user_id == ""  # not shown as this token's any more
    assert "/v1/users/me" not in env.spy.paths  # no call was spent to find that out

    # to offline and back, and a view failing again: still not signed in, still no users/me
    window.profile_actions[("coze", "offline")].trigger()
    qtbot.waitUntil(lambda: _idle(window))
    window.profile_actions[("coze", "custom_coze")].trigger()
    qtbot.waitUntil(lambda: _idle(window))
    _close_error_dialogs(window)
    assert window.connection_label.text().endswith(", not signed in")
    assert "/v1/users/me" not in env.spy.paths

    # the right token saved again: signed in (the dialog's test said who)
    env.loopback.app.token = env.loopback.token
    dialog = window.open_token_dialog(env.remote)
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    dialog.token_edit.setText(env.loopback.token)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and _idle(window))
    assert f"signed in as {owner.nick_name}" in window.connection_label.text()


def test_a_refused_minimax_key_leaves_the_coze_status_alone(qtbot: QtBot, env: Env) -> None:
    owner = env.loopback.app.user
    env.budget.remember_identity(env.remote, owner.user_id, "Cached Name")
    env.start_on_remote()
    minimax = custom_profile("minimax", env.loopback.url)
    env.keyring.entries[(SERVICE, keyring_account(minimax))] = "wrong-minimax-key"
    env.services.preferences.set(prefs.MINIMAX_PROFILE, "custom_minimax")
    window = env.window()
    window.tabs.setCurrentIndex(1)
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None and _idle(window))
    assert "MiniMax rejected the API key" in window.presenter.last_dialog.text.message
    _close_error_dialogs(window)
    assert "signed in as Cached Name" in window.connection_label.text()
    assert env.budget.state(env.remote).user_id == owner.user_id


def test_a_new_token_is_asked_who_it_is_after_the_old_one_could_not_say(
    qtbot: QtBot, services: AppServices, keyring_backend: MemoryKeyring
) -> None:
    """A token that may not call users/me (4101) is not asked again this session; a new
    token saved for the profile is (it was not asked until the app restarted)."""
    asked: list[str] = []
    may_say = [False]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/users/me":
            asked.append(request.headers["Authorization"])
            if not may_say[0]:
                return httpx.Response(200, json={"code": 4101, "msg": "no permission"})
            user = {"user_id": "7490000000000000001", "user_name": "wang", "nick_name": "Wang"}
            return httpx.Response(200, json={"code": 0, "msg": "", "data": user})
        return httpx.Response(200, json={"code": 0, "msg": "", "data": {"items": [], "total": 0}})

    services.transport_factory = lambda profile: (
        None if profile.offline else (httpx.MockTransport(handler))
    )
    china = find_profile("coze", "coze_cn")
    keyring_backend.entries[(SERVICE, keyring_account(china))] = "pat_old_token_value"
    services.preferences.set(prefs.COZE_PROFILE, china.key)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(asked) == 1 and _idle(window))
    window.activate_profile(china)  # switching back: not asked again (it would be refused)
    qtbot.waitUntil(lambda: _idle(window))
    assert len(asked) == 1
    keyring_backend.entries[(SERVICE, keyring_account(china))] = "pat_new_token_value"
    may_say[0] = True
    assert services.budget is not None
    services.budget.token_saved(china)  # (as the token dialog does when it saves)
    window.on_token_dialog_saved(china, True)
    qtbot.waitUntil(lambda: window.signed_in_as == "Wang")
    assert asked == ["Bearer pat_old_token_value", "Bearer pat_new_token_value"]
    window.close()
