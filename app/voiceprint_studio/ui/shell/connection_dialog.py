"""Connection dialogs: the access token of a profile, and a custom server address.

:class:`TokenDialog` lets the operator pick a remote profile (Coze China,
Coze international, MiniMax China, MiniMax international, or a custom
server), paste its token in a masked field, test it with a fresh client on a
worker ("Signed in as ..." or the exact problem in words), save it in the
keyring through :class:`~voiceprint_studio.settings.secrets.SecretStore`
(also on a worker: keyring calls may block) or remove it. Saving the very token
whose test the service just refused as an authentication failure asks first.

:class:`CustomServerDialog` asks for a custom base URL and validates it
(plain ``http://`` only for this computer).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio import logging_setup
from voiceprint_studio.api import token_problem
from voiceprint_studio.api.errors import (
    AuthenticationError,
    LocalValidationError,
    PermissionDeniedError,
)
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import (
    BUILTIN,
    ConnectionProfile,
    custom_profile,
    keyring_account,
)
from voiceprint_studio.ui.common.call_budget import BudgetBox
from voiceprint_studio.ui.common.confirm import ask_to_confirm, ask_to_discard
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import NoTokenError
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner

# Where a token (Coze: a personal access token) or API key (MiniMax) is made, per profile.
TOKEN_PAGES = {
    "coze_cn": "https://www.coze.cn/open/oauth/pats",
    "coze_com": "https://www.coze.com/open/oauth/pats",
    "minimax_cn": "https://platform.minimaxi.com/user-center/basic-information/interface-key",
    "minimax_intl": "https://www.minimax.io/platform/user-center/basic-information/interface-key",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ERROR_STYLE = "color: #b00020;"
_OK_STYLE = "color: #1b6e20;"
_WARNING_STYLE = "color: #7a4d00;"


def service_label(service: str) -> str:
    """The service's name for menus and the status bar."""
    return (
        QCoreApplication.translate("Connection", "Coze")
        if service == "coze"
        else QCoreApplication.translate("Connection", "MiniMax")
    )


def profile_label(profile: ConnectionProfile) -> str:
    """The profile's name for menus, the picker and the status bar (translated)."""
    labels = {
        ("coze", "offline"): QCoreApplication.translate(
            "Connection", "Offline workspace (this computer)"
        ),
        ("coze", "coze_cn"): QCoreApplication.translate("Connection", "Coze China (api.coze.cn)"),
        ("coze", "coze_com"): QCoreApplication.translate(
            "Connection", "Coze international (api.coze.com)"
        ),
        ("minimax", "offline"): QCoreApplication.translate(
            "Connection", "Offline workspace (this computer)"
        ),
        ("minimax", "minimax_cn"): QCoreApplication.translate(
            "Connection", "MiniMax China (api.minimaxi.com)"
        ),
        ("minimax", "minimax_intl"): QCoreApplication.translate(
            "Connection", "MiniMax international (api.minimax.io)"
        ),
    }
    label = labels.get((profile.service, profile.key))
    if label is not None:
        return label
    if profile.service == "coze":
        return QCoreApplication.translate("Connection", "Custom Coze server ({url})").format(
            url=profile.base_url
        )
    return QCoreApplication.translate("Connection", "Custom MiniMax server ({url})").format(
        url=profile.base_url
    )


def configured_custom_profile(services: AppServices, service: str) -> ConnectionProfile | None:
    """The custom profile of ``service`` if a valid custom URL is saved, else None."""
    option = prefs.COZE_CUSTOM_URL if service == "coze" else prefs.MINIMAX_CUSTOM_URL
    url = services.preferences.get(option)
    if not url:
        return None
    try:
        return custom_profile(service, url)
    except ValueError:
        return None


def remote_profiles(services: AppServices) -> list[ConnectionProfile]:
    """Every profile that needs a token, Coze first, in menu order."""
    result: list[ConnectionProfile] = []
    for service in ("coze", "minimax"):
        result.extend(p for p in BUILTIN[service] if not p.offline)
        custom = configured_custom_profile(services, service)
        if custom is not None:
            result.append(custom)
    return result


def _fingerprint(token: str) -> bytes:
    """What the dialog keeps of a token the service refused: enough to know the same token
    again, not the token (kept in no file, log or message either)."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def clean_token(text: str) -> str:
    """The token as pasted, without surrounding space or a leading ``Bearer``."""
    token = text.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    return token


@dataclass(frozen=True)
class ConnectionCheck:
    """What a connection test found.

    ``name``: who signed in ("" when unknown); ``user_id``: their id ("" when
    unknown); ``me_refused``: Coze refused ``users/me`` with 4101 and the test fell
    back to listing one page of groups (``users/me`` is not in Coze's public API
    list and its permission, if any, is undocumented).
    """

    name: str = ""
    user_id: str = ""
    me_refused: bool = False


def check_connection(
    services: AppServices, profile: ConnectionProfile, token: str
) -> ConnectionCheck:
    """Call the service with a fresh client for ``token``; says who signed in.

    Coze: ``users/me`` (the user's nick name, name or id), then one page of
    groups, so that a token without the voiceprint permissions fails here with
    the missing permission named; when ``users/me`` itself is refused (4101), the
    page of groups alone proves the token. MiniMax has no ``users/me``: listing
    the system voices proves the key. One attempt per call (no retries), counted
    against the profile's call budget. Blocking: call from a worker.
    """
    transport = services.transport_factory(profile) if services.transport_factory else None
    budget = services.budget
    observer = budget.observer(profile) if budget is not None and not profile.offline else None
    if profile.service == "coze":
        from voiceprint_studio.api import CozeClient

        with CozeClient(
            token, profile.base_url, transport=transport, max_attempts=1, observer=observer
        ) as coze:
            try:
                me = coze.me()
            except PermissionDeniedError:
                coze.list_groups(page_num=1, page_size=1)
                return ConnectionCheck(me_refused=True)
            coze.list_groups(page_num=1, page_size=1)
        return ConnectionCheck(me.shown_name, me.user_id)
    from voiceprint_studio.api import MiniMaxClient

    with MiniMaxClient(
        token, profile.base_url, transport=transport, max_attempts=1, observer=observer
    ) as minimax:
        minimax.list_voices("system")
    return ConnectionCheck()


def keyring_warning() -> str:
    """What to say when tokens cannot be kept by the system keyring."""
    return QCoreApplication.translate(
        "Connection",
        "No system keyring is available, so the token is kept only until you close "
        "Voiceprint Studio. You will need to enter it again next time.",
    )


class TokenDialog(QDialog):
    """Access token of one remote profile: test, save (keyring) or remove.

    Signals:
        token_saved(object, bool): the profile (:class:`ConnectionProfile`) to use now
            and whether the keyring keeps the token (False: this session only).
        token_removed(object): the profile whose token was removed.
    """

    token_saved = Signal(object, bool)
    token_removed = Signal(object)

    def __init__(
        self,
        services: AppServices,
        profile: ConnectionProfile | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = TaskRunner(parent=self)
        self.runner.busy_changed.connect(self.on_runner_busy_changed)
        self.setWindowTitle(self.tr("Access token"))
        self._profiles = remote_profiles(services)
        self._has_saved_token = False
        self.discard_box: QMessageBox | None = None  # "close without saving the token?"

        self.profile_combo = QComboBox()
        for item in self._profiles:
            self.profile_combo.addItem(profile_label(item))
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setClearButtonEnabled(True)
        self.token_edit.setMinimumWidth(340)
        self.token_edit.setAccessibleName(self.tr("Access token"))
        self.show_button = QToolButton()
        self.show_button.setCheckable(True)
        self.show_button.setText(self.tr("Show"))
        self.show_button.setToolTip(self.tr("Show or hide the token"))
        self.show_button.toggled.connect(self.on_show_button_toggled)
        token_row = QHBoxLayout()
        token_row.setContentsMargins(0, 0, 0, 0)
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.show_button)

        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextFormat(Qt.TextFormat.RichText)
        self.hint_label.setOpenExternalLinks(True)  # where a token is made
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.storage_label = QLabel(keyring_warning())
        self.storage_label.setWordWrap(True)
        self.storage_label.setStyleSheet(_WARNING_STYLE)
        self.storage_label.setVisible(False)
        self.budget_box = BudgetBox(services.budget)
        # (profile, check) of the last successful test of the token in the field.
        self._tested: tuple[ConnectionProfile, ConnectionCheck] | None = None
        # (profile, fingerprint) of the typed token whose last test the service refused
        # as an authentication failure: saving that token asks first.
        self._refused: tuple[ConnectionProfile, bytes] | None = None
        self.save_box: QMessageBox | None = None  # "… refused this token … Save it anyway?"

        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.on_test_button_clicked)
        self.remove_button = QPushButton(self.tr("Remove token"))
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.remove_button.setEnabled(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)

        form = QFormLayout()
        form.addRow(self.tr("&Connection:"), self.profile_combo)
        self.token_label = token_label = QLabel(self.tr("&Token:"))
        token_label.setBuddy(self.token_edit)
        form.addRow(token_label, token_row)
        layout = QVBoxLayout(self)
        # Grow with labels whose text changes after the dialog is shown.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(form)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.storage_label)
        layout.addWidget(self.budget_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.setTabOrder(self.profile_combo, self.token_edit)
        self.setTabOrder(self.token_edit, self.show_button)

        start = 0
        if profile is not None:
            for index, item in enumerate(self._profiles):
                if item == profile:
                    start = index
                    break
        self.profile_combo.setCurrentIndex(start)
        self.profile_combo.currentIndexChanged.connect(self.on_profile_combo_changed)
        self.token_edit.textChanged.connect(self.on_token_edit_changed)
        self.on_profile_combo_changed(start)
        # what the operator came to do is paste a token: typing goes there (it went to the
        # connection picker, which took the keys as a search)
        self.token_edit.setFocus()

    # -- state -----------------------------------------------------------------

    @property
    def profile(self) -> ConnectionProfile:
        """The profile chosen in the picker."""
        return self._profiles[max(self.profile_combo.currentIndex(), 0)]

    def token(self) -> str:
        """The token typed in the field (cleaned)."""
        return clean_token(self.token_edit.text())

    def select_profile(self, profile: ConnectionProfile) -> bool:
        """Choose ``profile`` in the picker; False if it is not a remote profile."""
        for index, item in enumerate(self._profiles):
            if item == profile:
                self.profile_combo.setCurrentIndex(index)
                return True
        return False

    def _show_result(self, text: str, style: str) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(style)
        self._fit()

    def _fit(self) -> None:
        # Wrapped labels change height after the dialog is shown; a top-level
        # layout does not grow for them by itself.
        QTimer.singleShot(0, self.adjustSize)

    def _update_buttons(self) -> None:
        busy = self.runner.busy
        typed = self.token()
        # a typed token that cannot be sent (non-ASCII, spaces) enables nothing
        has_token = (not typed and self._has_saved_token) or (
            bool(typed) and token_problem(typed) is None
        )
        self.test_button.setEnabled(not busy and has_token)
        self.save_button.setEnabled(not busy and has_token)
        self.remove_button.setEnabled(not busy and self._has_saved_token)
        self.profile_combo.setEnabled(not busy)

    def _submit(
        self,
        key: str,
        fn: Callable[[TaskContext], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Any], None] | None = None,
    ) -> None:
        self.runner.submit(key, fn, on_success, on_failure=on_failure or self._on_task_failed)
        self._update_buttons()

    def _on_task_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        text = describe_error(exc)
        self._show_result(f"{text.message}\n{text.next_step}", _ERROR_STYLE)

    def _note_keyring(self) -> None:
        self.storage_label.setVisible(not self.services.secrets.persistent)
        self._fit()

    # -- slots -----------------------------------------------------------------

    @Slot(int)
    def on_profile_combo_changed(self, _index: int) -> None:
        profile = self.profile
        self._has_saved_token = False
        self._tested = None
        self.budget_box.set_profile(profile)
        self.saved_label.setText(self.tr("Checking for a saved token…"))
        self._show_result("", _OK_STYLE)
        if profile.service == "coze":
            hint = self.tr(
                "Paste a personal access token from the Coze website. A token from "
                "coze.cn only works with Coze China, one from coze.com only with "
                "Coze international."
            )
            self.token_label.setText(self.tr("&Token:"))
            self.remove_button.setText(self.tr("Remove token"))
            self.token_edit.setPlaceholderText(self.tr("pat_…"))
        else:
            hint = self.tr(
                "Paste an API key from the MiniMax website. China keys only work with "
                "MiniMax China, international keys only with MiniMax international."
            )
            self.token_label.setText(self.tr("API &key:"))
            self.remove_button.setText(self.tr("Remove API key"))
            self.token_edit.setPlaceholderText(self.tr("API key"))
        url = TOKEN_PAGES.get(profile.key, "")
        link = fill(self.tr("Create one here: %1"), f'<a href="{url}">{url}</a>') if url else ""
        self.hint_label.setText(f"{_escape(hint)} {link}".strip())
        account = keyring_account(profile)
        secrets = self.services.secrets
        budget = self.services.budget

        def state(_ctx: TaskContext) -> bool:
            if budget is not None:
                budget.load()  # the file is read here, not on the GUI thread
            return secrets.get(account) is not None

        self._submit("state", state, self._on_state_loaded)

    def _on_state_loaded(self, saved: object) -> None:
        self._has_saved_token = bool(saved)
        self.budget_box.token_present = self._has_saved_token
        self.budget_box.refresh()
        if self._has_saved_token:
            self.saved_label.setText(
                self.tr(
                    "A token is saved for this connection. Paste a new one to replace it, "
                    "or press Save to use the saved one."
                )
            )
        else:
            self.saved_label.setText(self.tr("No token is saved for this connection yet."))
        self._note_keyring()

    @Slot(str)
    def on_token_edit_changed(self, _text: str) -> None:
        self._tested = None
        typed = self.token()
        if typed and token_problem(typed) is not None:
            # never the token itself in the message: it may be on screen in a meeting
            self._show_result(
                self.tr(
                    "This token contains a space or a character that cannot be part of a "
                    "token (only letters A–Z, digits and ASCII punctuation can). Copy it "
                    "again from the website."
                ),
                _WARNING_STYLE,
            )
        else:
            self._show_result("", _OK_STYLE)
        self._update_buttons()

    @Slot(bool)
    def on_runner_busy_changed(self, _busy: bool) -> None:
        self._update_buttons()

    @Slot(bool)
    def on_show_button_toggled(self, shown: bool) -> None:
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.show_button.setText(self.tr("Hide") if shown else self.tr("Show"))

    @Slot()
    def on_test_button_clicked(self) -> None:
        profile = self.profile
        typed = self.token()
        logging_setup.register_secret(typed)
        services = self.services
        account = keyring_account(profile)

        def test(_ctx: TaskContext) -> tuple[ConnectionProfile, ConnectionCheck]:
            token = typed or services.secrets.get(account)
            if not token:
                raise NoTokenError(profile)
            check = check_connection(services, profile, token)
            if not typed and check.user_id and services.budget is not None:
                # The saved token: its owner is known now, no users/me on switching to it.
                services.budget.remember_identity(profile, check.user_id, check.name)
            return profile, check

        def failed(exc: object) -> None:
            if typed and isinstance(exc, AuthenticationError):
                # the service said no to this very token (401, Coze 4100, MiniMax 1004...):
                # Save asks before keeping it (a timeout or a missing permission does not)
                self._refused = (profile, _fingerprint(typed))
            self._on_task_failed(exc)

        self._refused = None  # what is known of the token is what this test finds
        self._show_result(self.tr("Testing the connection…"), _OK_STYLE)
        self._submit("test", test, self._on_test_succeeded, failed)

    def _on_test_succeeded(self, result: object) -> None:
        assert isinstance(result, tuple)
        profile, check = result
        assert isinstance(check, ConnectionCheck)
        self._tested = (profile, check) if self.token() else None
        if profile.service != "coze":
            text = self.tr("Connected to MiniMax: the API key works.")
        elif check.me_refused:
            text = self.tr(
                "The token works: it can list voiceprint groups. Coze refused to say whom "
                "it belongs to (users/me answered 4101; that call is not in Coze's public "
                "API list), so the test listed one page of groups instead."
            )
        else:
            text = self.tr("Signed in as {name}.").format(name=check.name)
        self._show_result(text, _OK_STYLE)
        self.budget_box.refresh()

    @Slot()
    def on_save_button_clicked(self) -> None:
        profile = self.profile
        typed = self.token()
        secrets = self.services.secrets
        if not typed:  # keep the saved token and use this connection
            self.token_saved.emit(profile, secrets.persistent)
            self.accept()
            return
        if self._refused == (profile, _fingerprint(typed)):
            self._ask_to_save_refused()
            return
        self._save(profile, typed)

    def _ask_to_save_refused(self) -> None:
        """Ask before saving the typed token the service refused when it was tested; the
        safe choice (keep editing, the dialog stays open) is the default: Enter keeps it."""
        if self.save_box is not None:
            return
        profile = self.profile
        if profile.service == "coze":
            question = self.tr("Coze refused this token when it was tested. Save it anyway?")
        else:
            question = self.tr("MiniMax refused this API key when it was tested. Save it anyway?")
        info = [
            self.tr(
                "Once saved, it is used for every call on this connection, and those calls "
                "will most likely be refused the same way."
            )
        ]
        if self._has_saved_token:
            info.append(self.tr("It replaces the token saved for this connection now."))

        def closed() -> None:
            self.save_box = None

        def save_anyway() -> None:
            typed = self.token()
            if typed:
                self._save(profile, typed)

        self.save_box, _act = ask_to_confirm(
            self,
            title=self.windowTitle(),
            text=question,
            info=sentences(*info),
            act=self.tr("Save anyway"),
            on_act=save_anyway,
            safe=self.tr("Keep editing"),
            destructive=self._has_saved_token,
            on_closed=closed,
        )

    def _save(self, profile: ConnectionProfile, typed: str) -> None:
        """Keep ``typed`` in the keyring for ``profile`` (on a worker), then close."""
        secrets = self.services.secrets
        logging_setup.register_secret(typed)
        account = keyring_account(profile)
        budget = self.services.budget
        tested = self._tested[1] if self._tested and self._tested[0] == profile else None

        def save(_ctx: TaskContext) -> bool:
            persistent = secrets.set(account, typed)
            if budget is not None:
                budget.token_saved(profile)  # the 30 days start now
                if tested is not None and tested.user_id:
                    budget.remember_identity(profile, tested.user_id, tested.name)
            return bool(persistent)

        self._show_result(self.tr("Saving the token…"), _OK_STYLE)
        self._submit("save", save, self._on_saved)

    def _on_saved(self, persistent: object) -> None:
        self.token_edit.clear()
        self._note_keyring()
        self.token_saved.emit(self.profile, bool(persistent))
        self.accept()

    @Slot()
    def on_remove_button_clicked(self) -> None:
        profile = self.profile
        account = keyring_account(profile)
        secrets = self.services.secrets
        budget = self.services.budget

        def remove(_ctx: TaskContext) -> None:
            secrets.delete(account)
            if budget is not None:
                budget.token_removed(profile)

        self._submit("remove", remove, self._on_removed)

    def _on_removed(self, _result: object) -> None:
        self._has_saved_token = False
        self.token_edit.clear()
        self.saved_label.setText(self.tr("The token was removed from this computer."))
        self.budget_box.token_present = False
        self.budget_box.refresh()
        self._fit()
        self._update_buttons()
        self.token_removed.emit(self.profile)

    # -- closing ---------------------------------------------------------------

    def reject(self) -> None:
        """Close; a token typed (or pasted) and not saved yet is asked about first: Escape
        dropped it unasked, where the other dialogs ask before dropping what was typed."""
        if self.discard_box is not None:
            return
        if not self.token():
            super().reject()
            return

        def closed() -> None:
            self.discard_box = None

        self.discard_box = ask_to_discard(
            self,
            question=self.tr("Close without saving the token?"),
            act=self.tr("Close without saving"),
            typed=True,
            recorded=False,
            # (a test in flight is dropped by closing; a save is waited for)
            busy=lambda: self.runner.in_flight("save"),
            on_closed=closed,
        )

    def done(self, result: int) -> None:
        """Stop delivering results of calls still in flight, then close."""
        self.runner.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window cancels like the Cancel button."""
        self.runner.shutdown()
        super().closeEvent(event)


class CustomServerDialog(QDialog):
    """The address of a custom Coze or MiniMax server.

    Signals:
        server_chosen(object): the validated :class:`ConnectionProfile` (its URL is saved).
    """

    server_chosen = Signal(object)

    def __init__(
        self, services: AppServices, service: str = "coze", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Custom server"))
        self.service_combo = QComboBox()
        self.service_combo.addItem(service_label("coze"), "coze")
        self.service_combo.addItem(service_label("minimax"), "minimax")
        self.url_edit = QLineEdit()
        self.url_edit.setMinimumWidth(340)
        self.url_edit.setPlaceholderText("https://")
        explanation = QLabel(
            self.tr(
                "Use this only if your administrator gave you a server address. "
                "The address must start with https:// (plain http:// is allowed only "
                "for this computer)."
            )
        )
        explanation.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Continue"))
        self.ok_button.clicked.connect(self.on_ok_button_clicked)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("&Service:"), self.service_combo)
        form.addRow(self.tr("Server &address:"), self.url_edit)
        layout = QVBoxLayout(self)
        # Grow with labels whose text changes after the dialog is shown.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.service_combo.setCurrentIndex(0 if service == "coze" else 1)
        self.service_combo.currentIndexChanged.connect(self.on_service_combo_changed)
        self.url_edit.textChanged.connect(self.on_url_edit_changed)
        self.on_service_combo_changed(self.service_combo.currentIndex())

    @property
    def service(self) -> str:
        """``"coze"`` or ``"minimax"``."""
        return str(self.service_combo.currentData())

    @Slot(int)
    def on_service_combo_changed(self, _index: int) -> None:
        option = prefs.COZE_CUSTOM_URL if self.service == "coze" else prefs.MINIMAX_CUSTOM_URL
        self.url_edit.setText(self.services.preferences.get(option))

    @Slot(str)
    def on_url_edit_changed(self, _text: str) -> None:
        self.error_label.setText("")

    @Slot()
    def on_ok_button_clicked(self) -> None:
        try:
            profile = custom_profile(self.service, self.url_edit.text())
        except LocalValidationError as exc:
            self.error_label.setText(describe_error(exc).message)
            return
        option = prefs.COZE_CUSTOM_URL if self.service == "coze" else prefs.MINIMAX_CUSTOM_URL
        self.services.preferences.set(option, profile.base_url)
        self.server_chosen.emit(profile)
        self.accept()
