"""The application shell: connections, the offline banner, menus, shortcuts, closing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import speech_file
from tests.backend_fixtures import Loopback
from tests.ui_fixtures import MemoryKeyring, fill_add_dialog
from voiceprint_studio import __version__, logging_setup
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import custom_profile, find_profile, keyring_account
from voiceprint_studio.settings.secrets import SERVICE, SecretStore
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OfflineBackend
from voiceprint_studio.ui.shell.main_window import MainWindow

MakeWindow = Callable[[], MainWindow]


def _idle(window: MainWindow) -> bool:
    return (
        window.workspace is not None
        and not window.runner.busy
        and not any(panel.busy for panel in window.panels)
    )


@pytest.fixture
def make_window(qtbot: QtBot, services: AppServices) -> Iterator[MakeWindow]:
    """Build, show and wait for a main window on ``services``; closed after the test."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(services)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: _idle(window))
        return window

    yield make
    for window in windows:
        window.close()


def _use_loopback(services: AppServices, loopback: Loopback) -> None:
    services.preferences.set(prefs.COZE_CUSTOM_URL, loopback.url)
    services.preferences.set(prefs.MINIMAX_CUSTOM_URL, loopback.url)


def _save_token_in_dialog(qtbot: QtBot, window: MainWindow, token: str) -> None:
    dialog = window.token_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    dialog.token_edit.setText(token)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: _idle(window))


# -- offline start and the banner -----------------------------------------------------


def test_starts_offline_and_says_so(make_window: MakeWindow) -> None:
    window = make_window()
    assert window.windowTitle() == "Voiceprint Studio"
    assert window.workspace is not None and window.workspace.coze_profile.offline
    assert "Offline workspace" in window.connection_label.text()
    assert "MiniMax: Offline workspace" in window.minimax_label.text()
    assert window.banner.isVisible()
    assert window.banner.message_label.text() == (
        "You are working in the offline workspace: its groups and voiceprints are kept on "
        "this computer only and are not in Coze. Nothing is sent to Coze."
    )
    assert not window.keyring_label.isVisible()


def test_on_the_minimax_tab_the_banner_speaks_of_minimax(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Offline, the MiniMax tab lists sample voices: the banner said only that nothing is
    sent to Coze and offered "Connect to Coze…" there."""
    window = make_window()
    window.tabs.setCurrentWidget(window.minimax_panel)
    assert window.banner.isVisible()
    assert "not your MiniMax voices" in window.banner.message_label.text()
    assert window.banner.connect_button.text() == "Connect to MiniMax…"
    window.banner.connect_button.click()
    dialog = window.token_dialog
    assert dialog is not None and dialog.profile.service == "minimax"
    dialog.reject()
    window.tabs.setCurrentIndex(0)
    assert window.banner.connect_button.text() == "Connect to Coze…"


def test_banner_dismissal_is_remembered(make_window: MakeWindow, services: AppServices) -> None:
    window = make_window()
    window.banner.close_button.click()
    assert not window.banner.isVisible()
    assert services.preferences.get(prefs.OFFLINE_BANNER_DISMISSED) is True
    window.close()
    assert not make_window().banner.isVisible()


def test_banner_connect_opens_the_token_dialog(make_window: MakeWindow) -> None:
    window = make_window()
    window.banner.connect_button.click()
    dialog = window.token_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.profile == find_profile("coze", "coze_cn")


# -- the Connection menu ---------------------------------------------------------------


def test_connection_menu_has_two_exclusive_groups(
    make_window: MakeWindow, services: AppServices, loopback: Loopback
) -> None:
    _use_loopback(services, loopback)
    window = make_window()
    keys = set(window.profile_actions)
    assert keys == {
        ("coze", "offline"),
        ("coze", "coze_cn"),
        ("coze", "coze_com"),
        ("coze", "custom_coze"),
        ("minimax", "offline"),
        ("minimax", "minimax_cn"),
        ("minimax", "minimax_intl"),
        ("minimax", "custom_minimax"),
    }
    groups = {action.actionGroup() for action in window.profile_actions.values()}
    assert len(groups) == 2
    assert all(group is not None and group.isExclusive() for group in groups)
    assert window.profile_actions[("coze", "offline")].isChecked()
    assert window.profile_actions[("minimax", "offline")].isChecked()
    texts = [action.text() for action in window.connection_menu.actions()]
    assert "&Token…" in texts
    assert "&Custom server…" in texts


def test_profile_without_token_opens_the_token_dialog(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    window.profile_actions[("coze", "coze_com")].trigger()
    # the radio follows the workspace, which stays offline until a token is saved
    assert window.profile_actions[("coze", "offline")].isChecked()
    qtbot.waitUntil(lambda: window.token_dialog is not None)
    dialog = window.token_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.profile == find_profile("coze", "coze_com")
    assert window.workspace is not None and window.workspace.coze_profile.offline


def test_token_switches_to_remote_and_back_to_offline(
    qtbot: QtBot,
    make_window: MakeWindow,
    services: AppServices,
    loopback: Loopback,
    keyring_backend: MemoryKeyring,
) -> None:
    _use_loopback(services, loopback)
    window = make_window()
    window.banner.close_button.click()  # dismissed while offline
    remote = custom_profile("coze", loopback.url)
    changes: list[object] = []
    window.workspace_changed.connect(changes.append)
    window.open_token_dialog(remote)
    _save_token_in_dialog(qtbot, window, loopback.token)

    assert window.workspace is not None and window.workspace.coze_profile == remote
    assert changes == [window.workspace]
    assert services.preferences.get(prefs.COZE_PROFILE) == "custom_coze"
    assert keyring_backend.entries[(SERVICE, keyring_account(remote))] == loopback.token
    assert window.profile_actions[("coze", "custom_coze")].isChecked()
    qtbot.waitUntil(lambda: "signed in as" in window.connection_label.text())
    assert loopback.app.user.nick_name in window.connection_label.text()
    assert not window.banner.isVisible()
    # the views reloaded from the loopback server without a restart
    assert window.groups_panel.workspace is window.workspace

    window.profile_actions[("coze", "offline")].trigger()
    qtbot.waitUntil(lambda: _idle(window))
    assert window.workspace.coze_profile.offline
    assert services.preferences.get(prefs.COZE_PROFILE) == "offline"
    # back to offline from a remote profile: the banner says so again
    assert window.banner.isVisible()
    assert services.preferences.get(prefs.OFFLINE_BANNER_DISMISSED) is False


def test_minimax_profile_switch(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices, loopback: Loopback
) -> None:
    _use_loopback(services, loopback)
    window = make_window()
    remote = custom_profile("minimax", loopback.url)
    window.open_token_dialog(remote)
    _save_token_in_dialog(qtbot, window, loopback.token)
    assert window.workspace is not None and window.workspace.minimax_profile == remote
    assert window.workspace.coze_profile.offline
    assert loopback.url in window.minimax_label.text()
    assert services.preferences.get(prefs.MINIMAX_PROFILE) == "custom_minimax"
    assert window.minimax_panel.workspace is window.workspace


def test_start_on_saved_remote_profile(
    qtbot: QtBot,
    make_window: MakeWindow,
    services: AppServices,
    loopback: Loopback,
    keyring_backend: MemoryKeyring,
) -> None:
    _use_loopback(services, loopback)
    services.preferences.set(prefs.COZE_PROFILE, "custom_coze")
    remote = custom_profile("coze", loopback.url)
    keyring_backend.entries[(SERVICE, keyring_account(remote))] = loopback.token
    window = make_window()
    assert window.workspace is not None and window.workspace.coze_profile == remote
    qtbot.waitUntil(lambda: "signed in as" in window.connection_label.text())
    assert not window.banner.isVisible()


def test_start_without_token_falls_back_to_offline(
    make_window: MakeWindow, services: AppServices
) -> None:
    services.preferences.set(prefs.COZE_PROFILE, "coze_cn")
    window = make_window()
    assert window.workspace is not None and window.workspace.coze_profile.offline
    assert services.preferences.get(prefs.COZE_PROFILE) == "offline"
    assert "No token is saved for Coze China" in window.message_label.text()
    assert window.banner.isVisible()


def test_removing_the_active_token_goes_offline(
    qtbot: QtBot,
    make_window: MakeWindow,
    services: AppServices,
    loopback: Loopback,
    keyring_backend: MemoryKeyring,
) -> None:
    _use_loopback(services, loopback)
    services.preferences.set(prefs.COZE_PROFILE, "custom_coze")
    remote = custom_profile("coze", loopback.url)
    keyring_backend.entries[(SERVICE, keyring_account(remote))] = loopback.token
    window = make_window()
    dialog = window.open_token_dialog()
    assert dialog.profile == remote
    qtbot.waitUntil(dialog.remove_button.isEnabled)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.coze_profile.offline)
    assert keyring_backend.entries == {}
    assert "token was removed" in window.message_label.text()


def test_without_keyring_the_status_bar_warns(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices, loopback: Loopback
) -> None:
    services.secrets = SecretStore(fail.Keyring())  # type: ignore[no-untyped-call]
    _use_loopback(services, loopback)
    window = make_window()
    dialog = window.open_token_dialog(custom_profile("coze", loopback.url))
    qtbot.waitUntil(lambda: dialog.storage_label.isVisibleTo(dialog))
    _save_token_in_dialog(qtbot, window, loopback.token)
    assert window.keyring_label.isVisible()
    assert "this session only" in window.keyring_label.text()
    assert "only until you close" in window.message_label.text()
    remote = custom_profile("coze", loopback.url)
    assert services.secrets.get(keyring_account(remote)) == loopback.token


def test_custom_server_flow(qtbot: QtBot, make_window: MakeWindow, services: AppServices) -> None:
    window = make_window()
    window.custom_server_action.trigger()
    server_dialog = window.custom_server_dialog
    assert server_dialog is not None and server_dialog.isVisible()
    server_dialog.url_edit.setText("https://coze.example.org/")
    server_dialog.ok_button.click()
    assert ("coze", "custom_coze") in window.profile_actions
    dialog = window.token_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.profile == custom_profile("coze", "https://coze.example.org")
    assert window.workspace is not None and window.workspace.coze_profile.offline


# -- errors anywhere offer the token dialog --------------------------------------------


def test_auth_error_offers_the_token_dialog(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices
) -> None:
    def rejected(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401, json={"code": 4100, "msg": "authentication is invalid", "detail": {}}
        )

    def transports(profile: object) -> httpx.BaseTransport | None:
        if getattr(profile, "service", "") == "coze":
            return httpx.MockTransport(rejected)
        return None

    services.transport_factory = transports
    window = make_window()
    qtbot.waitUntil(lambda: window.presenter.last_dialog is not None)
    error = window.presenter.last_dialog
    assert error is not None
    assert "Coze rejected the access token" in error.message_label.text()
    assert error.action_button is not None
    assert error.action_button.text() == "Enter token…"
    error.action_button.click()
    dialog = window.token_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.profile.service == "coze"
    for child in window.findChildren(type(error)):
        child.close()


# -- menus: language, help, tools, edit -------------------------------------------------


def test_language_menu(qtbot: QtBot, make_window: MakeWindow, services: AppServices) -> None:
    window = make_window()
    labels = [action.text() for action in window.language_menu.actions()]
    assert labels == ["System default", "简体中文", "English"]
    assert window.language_actions[""].isChecked()
    with qtbot.waitSignal(window.language_change_requested) as requested:
        window.language_actions["zh_CN"].trigger()
    assert requested.args == ["zh_CN"]
    assert services.preferences.get(prefs.LANGUAGE) == "zh_CN"
    with qtbot.waitSignal(window.language_change_requested) as requested:
        window.language_actions[""].trigger()
    assert requested.args == [""]


def test_open_log_folder(
    make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    opened: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(window, "open_url", fake_open)
    logging_setup.setup_logging(tmp_path / "logs")
    try:
        window.open_log_action.trigger()
    finally:
        logging_setup.shutdown_logging()
    assert [Path(url.toLocalFile()) for url in opened] == [tmp_path / "logs"]


def test_a_log_folder_that_cannot_be_opened_is_named_whole_and_selectable(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A machine with no file manager: the status bar said the path, cut off, and it could
    # not be copied (a tester's)
    window = make_window()
    monkeypatch.setattr(window, "open_url", lambda _url: False)
    folder = tmp_path / "a rather long folder name" / "for the logs of voiceprint studio"
    logging_setup.setup_logging(folder)
    try:
        window.open_log_action.trigger()
    finally:
        logging_setup.shutdown_logging()
    box = window.log_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert box.informativeText() == str(folder)
    assert "could not be opened" in box.text() and "copy it" in box.text()
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    box.accept()


def test_about_box_lists_versions(qtbot: QtBot, make_window: MakeWindow) -> None:
    import platform

    import PySide6

    window = make_window()
    window.about_action.trigger()
    box = window.about_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    for part in (__version__, PySide6.__version__, httpx.__version__, platform.python_version()):
        assert part in text
    assert "Qt" in text and "httpx" in text
    box.accept()


def test_shortcuts(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    assert QKeySequence("F5") in window.refresh_action.shortcuts()
    assert window.search_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.identify_action.shortcut() == QKeySequence("Ctrl+I")
    edit = [action for action in window.edit_menu.actions() if not action.isSeparator()]
    stands_for = [action.data() for action in edit]
    for action in (
        window.groups_panel.new_action,
        window.groups_panel.delete_action,
        window.voiceprints_panel.new_action,
        window.voiceprints_panel.edit_action,
    ):
        assert action in stands_for
    assert window.search_action in edit
    assert not window.groups_panel.new_action.shortcut().isEmpty()
    assert not window.groups_panel.delete_action.shortcut().isEmpty()
    # the two views share Ctrl+N, F2 and Del: the menu shows each key once
    keys = [a.shortcut().toString() for a in edit if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), keys
    assert (
        window.voiceprints_panel.new_action.shortcut() == window.groups_panel.new_action.shortcut()
    )
    # an entry triggers the view's own action and follows its state
    entry = edit[stands_for.index(window.voiceprints_panel.edit_action)]
    assert entry.isEnabled() == window.voiceprints_panel.edit_action.isEnabled()
    with qtbot.waitSignal(window.groups_panel.new_action.triggered):
        edit[stands_for.index(window.groups_panel.new_action)].trigger()
    if window.groups_panel.last_dialog is not None:
        window.groups_panel.last_dialog.reject()


def test_neither_list_can_be_dragged_out_of_sight(qtbot: QtBot, make_window: MakeWindow) -> None:
    """The walk-through's: dragging the split down hid the voiceprints behind a thin
    handle. Dragged as far as it goes, each list keeps its smallest height."""
    window = make_window()
    window.resize(1200, 680)
    splitter = window.coze_splitter
    qtbot.waitUntil(lambda: splitter.height() > 400)
    total = sum(splitter.sizes())
    splitter.moveSplitter(total, 1)  # the handle dragged to the bottom ...
    assert splitter.sizes()[1] >= window.voiceprints_panel.minimumSizeHint().height() > 0
    splitter.moveSplitter(0, 1)  # ... and to the top
    assert splitter.sizes()[0] >= window.groups_panel.minimumSizeHint().height() > 0


def test_search_action_focuses_the_group_search(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.tabs.setCurrentWidget(window.minimax_panel)
    window.activateWindow()
    qtbot.waitActive(window)
    window.search_action.trigger()
    assert window.tabs.currentWidget() is window.coze_splitter
    qtbot.waitUntil(window.groups_panel.search_edit.hasFocus)


def _create_group(services: AppServices, name: str) -> str:
    workspace = services.new_workspace()
    try:
        return workspace.coze().create_group(name)
    finally:
        workspace.close()


def test_selected_group_drives_voiceprints_and_identify(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices
) -> None:
    group_id = _create_group(services, "Front desk")
    window = make_window()
    qtbot.waitUntil(lambda: window.groups_panel.model.rowCount() == 1)
    window.groups_panel.table.selectRow(0)
    group = window.groups_panel.current_group()
    assert group is not None and group.id == group_id
    qtbot.waitUntil(lambda: _idle(window))
    qtbot.waitUntil(lambda: window.voiceprints_panel.group == group)

    window.identify_action.trigger()
    dialog = window.identify_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.workspace is window.workspace
    qtbot.waitUntil(lambda: dialog.group_combo.count() >= 1)
    assert dialog.group_combo.currentText().startswith("Front desk")
    dialog.reject()


def test_refresh_reloads_the_current_tab(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    with qtbot.waitSignal(window.groups_panel.busy_changed):
        window.refresh_action.trigger()
    qtbot.waitUntil(lambda: _idle(window))


# -- closing ---------------------------------------------------------------------------


def test_closing_with_calls_in_flight(qtbot: QtBot, services: AppServices, tmp_path: Path) -> None:
    slow = OfflineBackend(tmp_path / "slow", latency=0.4)
    services.offline = slow
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: any(panel.busy for panel in window.panels))
        started = time.monotonic()
        assert window.close()
        assert not window.isVisible()
        assert time.monotonic() - started < 5
        assert QThreadPool.globalInstance().activeThreadCount() == 0
        assert window.presenter.last_dialog is None
        qtbot.wait(50)  # late deliveries (if any) would raise in the event loop here
    finally:
        slow.close()


def test_python_m_starts_and_quits(tmp_path: Path, _isolated_user_dirs: Path) -> None:
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "VOICEPRINT_STUDIO_QUIT_AFTER_MS": "1500",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "voiceprint_studio"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    logs = list(_isolated_user_dirs.rglob("voiceprint-studio.log"))
    assert logs, "no log file written"
    text = logs[0].read_text(encoding="utf-8")
    assert "starting" in text and "stopped" in text
    assert "Traceback" not in text


def test_version_flag_needs_no_qt() -> None:
    code = (
        "import sys\n"
        "from voiceprint_studio.main import main\n"
        "try:\n    main(['--version'])\n"
        "except SystemExit as e:\n"
        "    sys.exit(10 if any(m.startswith('PySide6') for m in sys.modules) else e.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_switching_workspace_clears_the_voiceprints_view(
    qtbot: QtBot,
    make_window: MakeWindow,
    services: AppServices,
    loopback: Loopback,
) -> None:
    _create_group(services, "Front desk")
    window = make_window()
    qtbot.waitUntil(lambda: window.groups_panel.model.rowCount() == 1)
    window.groups_panel.table.selectRow(0)
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(lambda: voiceprints.group is not None and _idle(window))
    assert voiceprints.new_action.isEnabled()

    _use_loopback(services, loopback)
    window.open_token_dialog(custom_profile("coze", loopback.url))
    _save_token_in_dialog(qtbot, window, loopback.token)
    qtbot.waitUntil(lambda: _idle(window))
    # Nothing selected on the new server: no stale group, rows or enabled actions.
    assert voiceprints.group is None
    assert voiceprints.model.rowCount() == 0
    assert voiceprints.pager.total == 0
    for action in (voiceprints.new_action, voiceprints.edit_action, voiceprints.delete_action):
        assert not action.isEnabled()


def test_adding_a_voiceprint_updates_the_group_count(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices, tmp_path: Path
) -> None:

    _create_group(services, "Front desk")
    window = make_window()
    groups = window.groups_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(lambda: voiceprints.group is not None and _idle(window))
    dialog = fill_add_dialog(voiceprints, tmp_path / "take.wav", "Wang Fang")
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: groups.model.rowCount() == 1 and groups.model.record(0).feature_count == 1
    )


def test_a_long_message_is_elided_and_its_tooltip_has_it_whole(
    qtbot: QtBot, services: AppServices
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(700, 400)
    window.show()
    qtbot.waitExposed(window)
    text = "A long warning. " * 20 + "The end says what to do next."
    window.show_message(text)
    label = window.message_label
    assert label.text() == text
    qtbot.waitUntil(lambda: label.shown_text() != "" and label.shown_text() != text)
    assert label.shown_text().endswith("…")
    assert label.label.toolTip() == text
    window.show_message("Short.")
    assert label.shown_text() == "Short."
    assert label.label.toolTip() == ""
    window.close()


class _Logged(httpx.BaseTransport):
    """The loopback server over real HTTP, every request's (method, path) noted."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.log: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.log.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_change_lists_the_page_once_and_another_clients_change_still_shows(
    qtbot: QtBot,
    *,
    make_window: MakeWindow,
    services: AppServices,
    loopback: Loopback,
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> None:
    """After an add (and a delete) the voiceprints page is listed once, not again when the
    groups view hands the group back with its new count: on Coze every call counts. A change
    made by someone else still reloads the page when the groups view is refreshed."""

    from voiceprint_studio.local.store import NewAudio

    _use_loopback(services, loopback)
    remote = custom_profile("coze", loopback.url)
    services.preferences.set(prefs.COZE_PROFILE, "custom_coze")
    keyring_backend.entries[(SERVICE, keyring_account(remote))] = loopback.token
    logged = _Logged()
    services.transport_factory = lambda profile: None if profile.offline else logged
    gid = loopback.app.store.create_group("Front desk").id
    window = make_window()
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    qtbot.waitUntil(lambda: voiceprints.group is not None and _idle(window))
    lists = f"/v1/audio/voiceprint_groups/{gid}/features"

    def page_lists() -> int:
        return sum(1 for method, path in logged.log if method == "GET" and path == lists)

    dialog = fill_add_dialog(voiceprints, tmp_path / "take.wav", "Wang Fang")
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    logged.log.clear()
    dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: (
            groups.model.record(0).feature_count == 1
            and voiceprints.model.rowCount() == 1
            and _idle(window)
        )
    )
    creates = [entry for entry in logged.log if entry == ("POST", lists)]
    assert len(creates) == 1
    # the page after the create (the one before it is the duplicate check's count)
    after = logged.log[logged.log.index(("POST", lists)) + 1 :]
    assert after.count(("GET", lists)) == 1, after
    assert ("GET", "/v1/audio/voiceprint_groups") in after  # the groups view's new count

    # someone else adds a voiceprint: F5 on the groups view shows it in both views
    audio = NewAudio((tmp_path / "take.wav").read_bytes(), "wav")
    loopback.app.store.create_feature(gid, "Li Lei", "", audio)
    before = page_lists()
    groups.refresh()
    qtbot.waitUntil(
        lambda: (
            groups.model.record(0).feature_count == 2
            and voiceprints.model.rowCount() == 2
            and _idle(window)
        )
    )
    assert page_lists() == before + 1

    # a delete from this view: listed once again
    voiceprints.table.selectRow(0)
    logged.log.clear()
    voiceprints.delete_action.trigger()
    box = voiceprints.confirm_box
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Delete").click()
    qtbot.waitUntil(
        lambda: (
            groups.model.record(0).feature_count == 1
            and voiceprints.model.rowCount() == 1
            and _idle(window)
        )
    )
    deletes = [entry for entry in logged.log if entry[0] == "DELETE"]
    assert len(deletes) == 1
    after = logged.log[logged.log.index(deletes[0]) + 1 :]
    assert after.count(("GET", lists)) == 1, after


def test_a_restore_shows_in_the_views_while_recently_deleted_is_open(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices, tmp_path: Path
) -> None:
    from voiceprint_studio.api.uploads import AudioUpload
    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.transfer.trash_dialog import RecentlyDeletedDialog, trash_folder

    gid = _create_group(services, "Front desk")
    workspace = services.new_workspace()
    try:
        client = workspace.coze()
        wav = speech_file(tmp_path / "take.wav")
        client.create_voiceprint(gid, "Wang Fang", AudioUpload.from_path(wav))
        group = next(g for g in client.iter_groups() if g.id == gid)
        victim = next(iter(client.iter_voiceprints(gid)))
        RecentlyDeleted(trash_folder(services)).keep_voiceprints(
            client, group, [victim], {"profile": "offline"}
        )
        client.delete_voiceprint(gid, victim.id)
    finally:
        workspace.close()
    window = make_window()
    groups = window.groups_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(lambda: voiceprints.group is not None and _idle(window))
    assert voiceprints.model.rowCount() == 0
    window.transfer_actions.trash_action.trigger()
    dialog = window.transfer_actions.dialog
    assert isinstance(dialog, RecentlyDeletedDialog)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    voiceprints.show_status("Deleted “Wang Fang”.")  # (as the delete left it)
    groups.show_status("Deleted “Front desk”.")  # (the tester's: a group deleted before)
    dialog.restore_button.click()
    # the views show it with the dialog still open
    qtbot.waitUntil(
        lambda: voiceprints.model.rowCount() == 1 and groups.model.record(0).feature_count == 1,
        timeout=20000,
    )
    assert dialog.isVisible()
    assert dialog.focusWidget() is not dialog.empty_button
    # the window's status line says so (it said what was done before: "Deleted …")
    qtbot.waitUntil(
        lambda: "Restored: 1 voiceprint" in voiceprints.state_label.text(), timeout=5000
    )
    assert "Deleted" not in voiceprints.state_label.text()
    qtbot.waitUntil(lambda: "Restored: 1 voiceprint" in groups.state_label.text(), timeout=5000)
    dialog.close()


def test_the_tables_right_click_menus_hold_their_actions_and_copy(
    make_window: MakeWindow,
) -> None:
    from PySide6.QtCore import Qt

    window = make_window()
    transfers = window.transfer_actions
    groups = window.groups_panel.table
    voiceprints = window.voiceprints_panel.table
    for table in (groups, voiceprints):
        assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    group_actions = [a for a in groups.actions() if not a.isSeparator()]
    assert group_actions == [
        window.groups_panel.new_action,
        window.groups_panel.edit_action,
        window.groups_panel.delete_action,
        transfers.copy_action,
        transfers.export_action,
    ]
    panel = window.voiceprints_panel
    assert [a for a in voiceprints.actions() if not a.isSeparator()] == [
        panel.new_action,
        panel.edit_action,
        panel.replace_action,
        panel.delete_action,
        panel.play_action,
        panel.stop_action,
        panel.save_audio_action,
        transfers.copy_action,
    ]


def test_the_views_have_the_keyboard_again_after_a_file_menu_dialog(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices
) -> None:
    """File > Recently deleted, closed with Escape: Ctrl+N (new group) did nothing until
    the operator clicked into a list -- the window had no focus to go back to."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    _create_group(services, "Front desk")
    window = make_window()
    qtbot.waitUntil(lambda: window.groups_panel.model.rowCount() == 1)
    window.activateWindow()
    qtbot.waitActive(window)
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()  # as after choosing from the menu bar with the mouse
    window.transfer_actions.trash_action.trigger()
    dialog = window.transfer_actions.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()  # (the window manager's part, offscreen)
    qtbot.waitActive(window)
    groups = window.groups_panel
    qtbot.waitUntil(lambda: groups.isAncestorOf(QApplication.focusWidget()))
    assert groups.last_dialog is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: groups.last_dialog is not None)
    groups.last_dialog.reject()


def test_after_editing_a_voiceprint_the_keyboard_and_copy_stay_on_it(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices, tmp_path: Path
) -> None:
    """F2 on a voiceprint, Save: the focus was nowhere afterwards, so F2 and Delete did
    nothing until a click, and Copy/move offered the whole group for the highlighted
    voiceprint (a move would have moved every voiceprint of it)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from voiceprint_studio.api.uploads import AudioUpload
    from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog

    gid = _create_group(services, "Front desk")
    workspace = services.new_workspace()
    try:
        for name in ("Wang Fang", "Li Na"):
            wav = speech_file(tmp_path / f"{name}.wav")
            workspace.coze().create_voiceprint(gid, name, AudioUpload.from_path(wav))
    finally:
        workspace.close()
    window = make_window()
    window.activateWindow()
    qtbot.waitActive(window)
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    qtbot.waitUntil(lambda: voiceprints.model.rowCount() == 2 and _idle(window))
    voiceprints.table.setFocus()
    voiceprints.table.selectRow(0)
    chosen = voiceprints.current_voiceprint()
    assert chosen is not None
    qtbot.keyClick(voiceprints.table, Qt.Key.Key_F2)
    dialog = voiceprints.last_dialog
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    qtbot.waitExposed(dialog)
    dialog.fields.desc_edit.setPlainText("mornings")
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: _idle(window))
    window.activateWindow()  # (the window manager's part, offscreen)
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is voiceprints.table)
    window.transfer_actions.copy_action.trigger()
    copy = window.transfer_actions.dialog
    assert copy is not None
    assert [(g.id, [v.id for v in vs] if vs else None) for g, vs in copy.selection] == [
        (gid, [chosen.id])
    ]
    # and says which one, by name (the tester read only "1 voiceprint")
    assert copy.title_label.text().startswith(f"The voiceprint “{chosen.name}” from the group")
    copy.reject()


def test_what_the_views_said_last_goes_once_a_job_has_changed_the_workspace(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    # "Deleted “x”." stayed on above the tables after an import had made "x" again, and
    # "Restored." through an export and an import (a tester's)
    window = make_window()
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    qtbot.waitUntil(lambda: _idle(window))
    groups.show_status("Deleted “front desk”.")
    voiceprints.show_status("Restored: 2 voiceprints with new ids.")
    assert groups.state_label.text() == "Deleted “front desk”."
    window.transfer_actions.jobs_action.trigger()  # File > Transfers (a job resumed there)
    dialog = window.transfer_actions.dialog
    assert dialog is not None
    dialog.reject()
    qtbot.waitUntil(lambda: _idle(window))
    assert "front desk" not in groups.state_label.text()
    assert "Restored" not in voiceprints.state_label.text()


def test_the_token_dialog_takes_what_is_typed_into_the_token_field(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Connection > MiniMax China with no key: the dialog opened with the focus on the
    connection picker, so the pasted key went nowhere."""
    from voiceprint_studio.settings.profiles import find_profile

    window = make_window()
    dialog = window.open_token_dialog(find_profile("minimax", "minimax_cn"))
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.focusWidget() is dialog.token_edit
    dialog.reject()


def test_no_two_entries_of_a_menu_share_an_underlined_letter(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Edit held "&Edit group" and "&Edit voiceprint" (and two "&Delete"): Alt+E went
    back and forth between them instead of choosing."""
    import re

    window = make_window()
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    assert len(menus) >= 5
    for menu in menus:
        letters = [
            found.group(1).lower()
            for action in menu.actions()
            if (found := re.search(r"&(\w)", action.text().replace("&&", "")))
        ]
        assert len(letters) == len(set(letters)), (menu.title(), letters)


def test_changing_the_language_asks_before_closing_what_is_open(
    qtbot: QtBot, make_window: MakeWindow, services: AppServices
) -> None:
    """The window is rebuilt in the new language: Recently deleted (or Identify, with its
    billed results) closed without a word."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from voiceprint_studio.ui.common.confirm import ACT_BUTTON

    window = make_window()
    requested: list[str] = []
    window.language_change_requested.connect(requested.append)
    window.transfer_actions.trash_action.trigger()
    assert window.transfer_actions.dialog is not None
    qtbot.waitExposed(window.transfer_actions.dialog)
    window.language_actions["zh_CN"].trigger()
    box = window.language_box
    assert box is not None and box.isVisible()
    assert "closes what is open over it: Recently deleted" in box.text()
    assert window.language_actions[services.preferences.get(prefs.LANGUAGE)].isChecked()
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the safe choice
    assert requested == []
    window.language_actions["zh_CN"].trigger()
    box = window.language_box
    assert box is not None
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    with qtbot.waitSignal(box.finished):
        act.click()
    assert requested == ["zh_CN"]
