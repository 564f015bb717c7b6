"""The error dialog for a server that answers with a 1 MB message stays small."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.unit.api_samples import Recorder, coze_client, coze_fail, json_response
from voiceprint_studio.api import ApiError
from voiceprint_studio.ui.common.errors import ErrorDialog, describe_error


def test_a_megabyte_message_gives_a_small_dialog(qtbot: QtBot) -> None:
    message = "line one\nline two " + "x" * 1_000_000
    rec = Recorder(json_response(coze_fail(9999, msg=message)))
    with coze_client(rec) as client, pytest.raises(ApiError) as caught:
        client.list_groups()
    text = describe_error(caught.value)
    dialog = ErrorDialog(text)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert len(dialog.message_label.text()) < 600
    assert len(dialog.details.toPlainText()) < 1200
    assert "line one\\nline two" in dialog.message_label.text()
    # cut, and said to be cut (the dialog shows the first 300 characters of the message)
    assert "…" in dialog.message_label.text()


def test_what_to_do_next_shows_its_signs_as_they_are(qtbot: QtBot) -> None:
    """ "Choose Connection > Token…" showed as "Connection &gt; Token…"."""
    from PySide6.QtCore import Qt

    from voiceprint_studio.settings.profiles import OFFLINE_COZE
    from voiceprint_studio.ui.common.session import NoTokenError

    dialog = ErrorDialog(describe_error(NoTokenError(OFFLINE_COZE)))
    qtbot.addWidget(dialog)
    dialog.show()
    shown = dialog.next_step_label.text()
    assert "Connection > Token" in shown and "&gt;" not in shown
    assert dialog.next_step_label.textFormat() == Qt.TextFormat.PlainText
