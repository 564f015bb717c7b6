"""The token dialog (test, save, remove, no keyring) and the custom server dialog."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback
from tests.ui_fixtures import MemoryKeyring
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import (
    OFFLINE_KEY,
    ConnectionProfile,
    custom_profile,
    find_profile,
    keyring_account,
)
from voiceprint_studio.settings.secrets import SERVICE, SecretStore
from voiceprint_studio.ui.common.confirm import ACT_BUTTON
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.connection_dialog import (
    CustomServerDialog,
    TokenDialog,
    clean_token,
    profile_label,
)


def _on_loopback(services: AppServices, loopback: Loopback) -> tuple[ConnectionProfile, ...]:
    """Custom Coze and MiniMax profiles pointed at the loopback backend."""
    services.preferences.set(prefs.COZE_CUSTOM_URL, loopback.url)
    services.preferences.set(prefs.MINIMAX_CUSTOM_URL, loopback.url)
    return custom_profile("coze", loopback.url), custom_profile("minimax", loopback.url)


def _open(qtbot: QtBot, services: AppServices, profile: ConnectionProfile) -> TokenDialog:
    dialog = TokenDialog(services, profile)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    return dialog


def _test_connection(qtbot: QtBot, dialog: TokenDialog, token: str) -> str:
    dialog.token_edit.setText(token)
    assert dialog.test_button.isEnabled()
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    return dialog.result_label.text()


def test_picker_lists_remote_profiles_only(
    qtbot: QtBot, services: AppServices, loopback: Loopback
) -> None:
    coze, minimax = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, minimax)
    items = [dialog.profile_combo.itemText(i) for i in range(dialog.profile_combo.count())]
    assert len(items) == 6
    assert "Coze China (api.coze.cn)" in items
    assert "MiniMax international (api.minimax.io)" in items
    assert profile_label(coze) in items
    assert not any("Offline" in item for item in items)
    assert dialog.profile == minimax
    assert dialog.select_profile(coze)
    assert dialog.profile == coze
    assert not dialog.select_profile(find_profile("coze", OFFLINE_KEY))


def test_token_field_is_masked_with_a_show_toggle(qtbot: QtBot, services: AppServices) -> None:
    dialog = _open(qtbot, services, find_profile("coze", "coze_cn"))
    # typing goes into the token field (it went to the connection picker)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.focusWidget() is dialog.token_edit
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    assert not dialog.save_button.isEnabled()  # nothing typed, nothing saved
    assert not dialog.test_button.isEnabled()
    dialog.show_button.click()
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Normal
    assert dialog.show_button.text() == "Hide"
    dialog.show_button.click()
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password


def test_clean_token() -> None:
    assert clean_token("  pat_abc \n") == "pat_abc"
    assert clean_token("Bearer pat_abc") == "pat_abc"


def test_coze_right_token_signs_in(qtbot: QtBot, services: AppServices, loopback: Loopback) -> None:
    coze, _ = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    text = _test_connection(qtbot, dialog, loopback.token)
    assert text.startswith("Signed in as ")
    assert loopback.app.user.nick_name in text


def test_coze_wrong_token_says_why(qtbot: QtBot, services: AppServices, loopback: Loopback) -> None:
    coze, _ = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    text = _test_connection(qtbot, dialog, "pat_this_is_not_the_token")
    assert "Coze rejected the access token" in text
    assert "coze.cn and coze.com" in text
    assert "pat_this_is_not_the_token" not in text


def test_minimax_right_and_wrong_key(
    qtbot: QtBot, services: AppServices, loopback: Loopback
) -> None:
    _, minimax = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, minimax)
    assert "Connected to MiniMax" in _test_connection(qtbot, dialog, loopback.token)
    assert "MiniMax rejected the API key" in _test_connection(qtbot, dialog, "wrong-key-123")


def _coze_mock(handler: Callable[[httpx.Request], httpx.Response]) -> Callable[..., object]:
    return lambda profile: httpx.MockTransport(handler) if profile.service == "coze" else None


def test_missing_permission_is_named(qtbot: QtBot, services: AppServices) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/users/me":
            return httpx.Response(200, json={"code": 0, "msg": "", "data": {"user_id": "7"}})
        return httpx.Response(200, json={"code": 4101, "msg": "no permission"})

    services.transport_factory = _coze_mock(handler)  # type: ignore[assignment]
    dialog = _open(qtbot, services, find_profile("coze", "coze_cn"))
    text = _test_connection(qtbot, dialog, "pat_some_token_value")
    assert "listVoiceprintGroup" in text


def test_network_failure_is_in_words(qtbot: QtBot, services: AppServices) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    services.transport_factory = _coze_mock(handler)  # type: ignore[assignment]
    dialog = _open(qtbot, services, find_profile("coze", "coze_com"))
    text = _test_connection(qtbot, dialog, "pat_some_token_value")
    assert text and "Traceback" not in text


def test_save_stores_the_token_in_the_keyring(
    qtbot: QtBot, services: AppServices, keyring_backend: MemoryKeyring, loopback: Loopback
) -> None:
    coze, _ = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    assert "No token is saved" in dialog.saved_label.text()
    assert not dialog.storage_label.isVisibleTo(dialog)
    dialog.token_edit.setText(f"  {loopback.token}  ")
    with qtbot.waitSignal(dialog.token_saved) as saved:
        dialog.save_button.click()
    assert saved.args == [coze, True]
    assert keyring_backend.entries[(SERVICE, keyring_account(coze))] == loopback.token
    assert not dialog.isVisible()

    again = _open(qtbot, services, coze)
    assert "A token is saved" in again.saved_label.text()
    assert again.token_edit.text() == ""  # the saved token is never shown
    assert again.save_button.isEnabled()
    assert "Signed in as" in _test_connection(qtbot, again, "")  # tests the saved token
    with qtbot.waitSignal(again.token_removed) as removed:
        again.remove_button.click()
    assert removed.args == [coze]
    assert (SERVICE, keyring_account(coze)) not in keyring_backend.entries
    assert not again.remove_button.isEnabled()


def test_save_with_saved_token_and_empty_field_uses_it(
    qtbot: QtBot, services: AppServices, keyring_backend: MemoryKeyring
) -> None:
    profile = find_profile("minimax", "minimax_intl")
    keyring_backend.entries[(SERVICE, keyring_account(profile))] = "saved-key-1234"
    dialog = _open(qtbot, services, profile)
    with qtbot.waitSignal(dialog.token_saved) as saved:
        dialog.save_button.click()
    assert saved.args == [profile, True]
    assert keyring_backend.entries[(SERVICE, keyring_account(profile))] == "saved-key-1234"


def test_without_keyring_the_token_stays_in_memory(
    qtbot: QtBot, services: AppServices, loopback: Loopback
) -> None:
    services.secrets = SecretStore(fail.Keyring())  # type: ignore[no-untyped-call]
    coze, _ = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    assert dialog.storage_label.isVisibleTo(dialog)
    assert "only until you close" in dialog.storage_label.text()
    dialog.token_edit.setText(loopback.token)
    with qtbot.waitSignal(dialog.token_saved) as saved:
        dialog.save_button.click()
    assert saved.args == [coze, False]
    assert services.secrets.get(keyring_account(coze)) == loopback.token
    assert not services.secrets.persistent


def test_closing_during_a_test_drops_the_result(
    qtbot: QtBot, services: AppServices, loopback: Loopback
) -> None:
    coze, _ = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    dialog.token_edit.setText(loopback.token)
    dialog.test_button.click()
    dialog.reject()  # (a token typed: asked first, and closed without saving it)
    box = dialog.discard_box
    assert box is not None
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    act.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy)
    assert not dialog.isVisible()
    assert not dialog.result_label.text().startswith("Signed in")


def test_escape_with_a_token_typed_asks_before_dropping_it(
    qtbot: QtBot, services: AppServices, loopback: Loopback
) -> None:
    # A pasted token went with Escape, unasked (a tester's): the other dialogs ask first
    coze, _ = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    dialog.token_edit.setText(loopback.token)
    qtbot.keyClick(dialog.token_edit, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible()
    assert box.text() == "Close without saving the token?"
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Keep editing
    qtbot.waitUntil(lambda: dialog.discard_box is None)
    assert dialog.isVisible() and dialog.token_edit.text() == loopback.token
    dialog.token_edit.clear()
    qtbot.keyClick(dialog.token_edit, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not dialog.isVisible() and dialog.discard_box is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://example.com", "Plain http:// is only allowed for this computer"),
        ("ftp://example.com", "must start with https://"),
        ("", "Enter a server address"),
    ],
)
def test_custom_server_refuses_bad_addresses(
    qtbot: QtBot, services: AppServices, url: str, problem: str
) -> None:
    dialog = CustomServerDialog(services, "coze")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.url_edit.setText(url)
    dialog.ok_button.click()
    assert problem in dialog.error_label.text()
    assert dialog.isVisible()
    assert services.preferences.get(prefs.COZE_CUSTOM_URL) == ""


def test_custom_server_accepts_https_and_loopback(qtbot: QtBot, services: AppServices) -> None:
    dialog = CustomServerDialog(services, "minimax")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.service == "minimax"
    dialog.url_edit.setText("http://127.0.0.1:8080/")
    with qtbot.waitSignal(dialog.server_chosen) as chosen:
        dialog.ok_button.click()
    assert chosen.args == [custom_profile("minimax", "http://127.0.0.1:8080")]
    assert services.preferences.get(prefs.MINIMAX_CUSTOM_URL) == "http://127.0.0.1:8080"

    other = CustomServerDialog(services, "coze")
    qtbot.addWidget(other)
    other.open()
    other.url_edit.setText("https://coze.example.org")
    other.ok_button.click()
    assert services.preferences.get(prefs.COZE_CUSTOM_URL) == "https://coze.example.org"


@pytest.mark.parametrize("bad", ["pat_abc\u00a0def", "pat_abcＡdef", "pat_abc def"])
def test_a_token_with_a_bad_character_is_refused_where_it_is_typed(
    qtbot: QtBot, services: AppServices, loopback: Loopback, bad: str
) -> None:
    coze, _minimax = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    dialog.token_edit.setText(bad)
    assert not dialog.test_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    text = dialog.result_label.text()
    assert "cannot be part of a token" in text
    assert "abc" not in text and "def" not in text  # never the token itself
    dialog.token_edit.setText(loopback.token)
    assert dialog.test_button.isEnabled()
    assert dialog.result_label.text() == ""


@pytest.mark.parametrize(
    "case",
    [
        ("coze", "coze_cn", "https://www.coze.cn/open/oauth/pats", "&Token:"),
        ("coze", "coze_com", "https://www.coze.com/open/oauth/pats", "&Token:"),
        (
            "minimax",
            "minimax_cn",
            "https://platform.minimaxi.com/user-center/basic-information/interface-key",
            "API &key:",
        ),
    ],
)
def test_hint_links_to_where_a_token_is_made(
    qtbot: QtBot, services: AppServices, case: tuple[str, str, str, str]
) -> None:
    service, key, url, label = case
    profile = find_profile(service, key)
    dialog = _open(qtbot, services, profile)
    assert f'<a href="{url}">' in dialog.hint_label.text()
    assert dialog.hint_label.openExternalLinks()
    assert dialog.token_label.text() == label  # MiniMax says API key, Coze token
    # another profile: the link follows it
    other = find_profile("coze", "coze_com" if key != "coze_com" else "coze_cn")
    dialog.select_profile(other)
    assert "coze.c" in dialog.hint_label.text() and url not in dialog.hint_label.text()


def test_saving_the_token_its_test_was_refused_asks_first(
    qtbot: QtBot, services: AppServices, keyring_backend: MemoryKeyring, loopback: Loopback
) -> None:
    # A token the test had just refused was saved unasked; the window then said the same
    # refusal again (a new operator's walk-through)
    coze, _ = _on_loopback(services, loopback)
    account = (SERVICE, keyring_account(coze))
    keyring_backend.entries[account] = loopback.token
    dialog = _open(qtbot, services, coze)
    wrong = "pat_this_is_not_the_token"
    assert "Coze rejected the access token" in _test_connection(qtbot, dialog, wrong)
    saved: list[object] = []
    dialog.token_saved.connect(lambda profile, _persistent: saved.append(profile))

    dialog.save_button.click()
    box = dialog.save_box
    assert box is not None and box.isVisible()
    assert box.text() == "Coze refused this token when it was tested. Save it anyway?"
    assert "replaces the token saved" in box.informativeText()
    assert wrong not in box.text() + box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter: the safe choice, keep editing
    qtbot.waitUntil(lambda: dialog.save_box is None)
    assert dialog.isVisible() and dialog.token_edit.text() == wrong
    assert keyring_backend.entries[account] == loopback.token and not saved

    # another token, then the refused one again: still the refused one
    dialog.token_edit.setText(wrong + "x")
    dialog.token_edit.setText(f" {wrong} ")
    dialog.save_button.click()
    box = dialog.save_box
    assert box is not None
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None and act.text() == "Save anyway"
    with qtbot.waitSignal(dialog.token_saved):
        act.click()
    assert keyring_backend.entries[account] == wrong


def test_a_token_not_refused_is_saved_unasked(
    qtbot: QtBot, services: AppServices, keyring_backend: MemoryKeyring, loopback: Loopback
) -> None:
    coze, minimax = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, coze)
    # refused, then accepted by a later test (the server took it meanwhile): no question
    loopback.app.token = "pat_a_new_token"
    assert "Coze rejected" in _test_connection(qtbot, dialog, loopback.token)
    loopback.app.token = loopback.token
    assert _test_connection(qtbot, dialog, loopback.token).startswith("Signed in as ")
    with qtbot.waitSignal(dialog.token_saved):
        dialog.save_button.click()
    assert dialog.save_box is None

    # refused on another connection: this one never tested it
    other = _open(qtbot, services, minimax)
    assert "MiniMax rejected" in _test_connection(qtbot, other, "wrong-key-123")
    other.select_profile(coze)
    qtbot.waitUntil(lambda: not other.runner.busy)
    other.token_edit.setText("wrong-key-123")
    with qtbot.waitSignal(other.token_saved):
        other.save_button.click()
    assert other.save_box is None
    assert keyring_backend.entries[(SERVICE, keyring_account(coze))] == "wrong-key-123"


def test_saving_a_refused_minimax_key_asks_first(
    qtbot: QtBot, services: AppServices, keyring_backend: MemoryKeyring, loopback: Loopback
) -> None:
    _, minimax = _on_loopback(services, loopback)
    dialog = _open(qtbot, services, minimax)
    assert "MiniMax rejected" in _test_connection(qtbot, dialog, "wrong-key-123")
    dialog.save_button.click()
    box = dialog.save_box
    assert box is not None
    assert box.text() == "MiniMax refused this API key when it was tested. Save it anyway?"
    assert "replaces" not in box.informativeText()  # nothing was saved before
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.save_box is None)
    assert (SERVICE, keyring_account(minimax)) not in keyring_backend.entries
