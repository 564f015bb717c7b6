"""A whole session with a token: no file the app wrote contains it, plain or base64.

Everything the app may write lives under ``tmp_path``: the settings INI (the
``services`` fixture), the offline workspace, the log file (pointed there
with :func:`logging_setup.setup_logging`) and the XDG folders (the autouse
fixture points ``XDG_*`` and ``HOME`` at ``tmp_path / "home"``).
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback
from voiceprint_studio import logging_setup
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import custom_profile
from voiceprint_studio.ui.common.errors import ErrorDialog
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.main_window import MainWindow

WRONG_TOKEN = "pat_wrong_token_typed_first_0042"


def _forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [
        raw,
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw),
        base64.b64encode(raw).rstrip(b"="),
        secret.encode("utf-16-le"),
    ]


def _idle(window: MainWindow) -> bool:
    return not window.runner.busy and not any(panel.busy for panel in window.panels)


def _close_error_dialogs(window: MainWindow) -> int:
    dialogs = [d for d in window.findChildren(ErrorDialog) if d.isVisible()]
    for dialog in dialogs:
        dialog.close()
    return len(dialogs)


def test_token_is_never_written(
    qtbot: QtBot, services: AppServices, loopback: Loopback, tmp_path: Path
) -> None:
    token = loopback.token
    log_file = logging_setup.setup_logging(tmp_path / "logs", level=logging.DEBUG)
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.workspace is not None and _idle(window))

        # Connection > Custom server... (the loopback server), then the token dialog.
        window.custom_server_action.trigger()
        server_dialog = window.custom_server_dialog
        assert server_dialog is not None
        server_dialog.url_edit.setText(loopback.url)
        server_dialog.ok_button.click()
        dialog = window.token_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.profile == custom_profile("coze", loopback.url)
        qtbot.waitUntil(lambda: not dialog.runner.busy)
        dialog.token_edit.setText(WRONG_TOKEN)
        dialog.test_button.click()
        qtbot.waitUntil(lambda: not dialog.runner.busy)
        assert "rejected" in dialog.result_label.text()
        dialog.token_edit.setText(token)
        dialog.test_button.click()
        qtbot.waitUntil(lambda: not dialog.runner.busy)
        assert "Signed in as" in dialog.result_label.text()
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible())
        workspace = window.workspace
        assert workspace is not None and not workspace.coze_profile.offline
        qtbot.waitUntil(lambda: "signed in as" in window.connection_label.text())
        qtbot.waitUntil(lambda: _idle(window))

        # Calls: the groups list (loaded by the view), create a group, a failing call.
        panel = window.groups_panel
        created: list[object] = []
        panel.run_task(
            "test-create",
            lambda _ctx: workspace.coze().create_group("Session group"),
            created.append,
        )
        qtbot.waitUntil(lambda: bool(created))
        window.refresh_action.trigger()
        qtbot.waitUntil(lambda: _idle(window) and panel.model.rowCount() == 1)
        panel.run_task(
            "test-error", lambda _ctx: workspace.coze().delete_group("7499999999999999999")
        )
        qtbot.waitUntil(lambda: window.presenter.last_dialog is not None)
        qtbot.waitUntil(lambda: _idle(window))
        _close_error_dialogs(window)

        # Something that would leak if the file handler did not redact.
        logging.getLogger("voiceprint_studio.test").warning("Authorization: Bearer %s", token)
        logging.getLogger("voiceprint_studio.test").warning("typed first: %s", WRONG_TOKEN)

        window.close()
        assert not window.isVisible()
    finally:
        services.preferences.sync()
        logging_setup.shutdown_logging()
        services.offline.close()

    assert log_file.stat().st_size > 0
    assert services.preferences.get(prefs.COZE_PROFILE) == "custom_coze"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert log_file in files
    assert tmp_path / "settings.ini" in files
    leaks = []
    for path in files:
        data = path.read_bytes()
        for secret in (token, WRONG_TOKEN):
            if any(form in data for form in _forms(secret)):
                leaks.append(str(path.relative_to(tmp_path)))
    assert leaks == []
