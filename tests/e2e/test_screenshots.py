"""Screenshots of the real window under Xvfb, in Chinese and in English.

Saved to ``$VPS_ARTIFACTS/screenshots`` (``artifacts/`` in scripts/test.sh) for
a person to look at: the groups and voiceprints views, identify results, the
add-voiceprint dialog with its duplicate check and the duplicate warning, the
MiniMax tab and an error, each in zh_CN and en. The test also checks that a
CJK font is present and that the captures are not blank.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import ZH_SHORT_TEXT, speech_file
from tests.toy_engine import SpectrumEngine
from tests.ui_fixtures import destructive_button, services_on
from voiceprint_studio.api import AudioUpload, ConnectionFailedError, CozeClient
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OFFLINE_BASE_URL, OfflineBackend
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.xcb

RATE = 16000


def _tone(freq: float, seconds: float = 1.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return 0.4 * np.sin(2 * np.pi * freq * t)


def _wav(path: Path, samples: np.ndarray) -> Path:
    soundfile.write(path, samples.astype(np.float32), RATE, subtype="PCM_16")
    return path


@pytest.fixture
def workspace_data(tmp_path: Path) -> Iterator[tuple[AppServices, Path]]:
    """An offline workspace with a (toy) speaker engine and realistic content."""
    offline = OfflineBackend(tmp_path / "offline", engine=SpectrumEngine())
    services = services_on(tmp_path, offline)
    with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as client:
        for name, desc in (
            ("客厅音箱", "放在客厅的智能音箱，全家共用"),
            ("Kitchen speaker", "Voice agent in the kitchen"),
            ("会议室 A 的语音助手声纹组", "x" * 500),  # 20 characters: the longest a name may be
            ("儿童房", ""),
        ):
            client.create_group(name[:20], desc)
        family = client.create_group("家人", "家庭成员的声纹，用于音箱识别说话人")
        for i, (name, freq) in enumerate(
            (("妈妈的声音", 200), ("爸爸的声音", 900), ("奶奶", 450), ("Guest speaker", 1500))
        ):
            # 奶奶's is speech: a new take of it passes the enrollment check in the add dialog
            path = (
                speech_file(tmp_path / f"enroll{i}.wav", "zh", ZH_SHORT_TEXT)
                if name == "奶奶"
                else _wav(tmp_path / f"enroll{i}.wav", _tone(freq))
            )
            client.create_voiceprint(family, name, AudioUpload.from_path(path), desc=f"{freq} Hz")
    store = offline.app().store
    store.add_voice("voice_cloning", "my_voice_01", ["复刻自客服录音"], voice_name="")
    store.add_voice("voice_generation", "ttv-voice-2025-calm", ["温和的男声，语速适中"])
    query = _wav(tmp_path / "query.wav", _tone(200) + 0.3 * _tone(900))
    speech_file(tmp_path / "奶奶（新录音）.wav", "zh", ZH_SHORT_TEXT)
    yield services, query
    offline.close()


def _folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VPS_ARTIFACTS") or tmp_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save(widget: QWidget, path: Path) -> None:
    image: QImage = widget.grab().toImage()
    assert image.save(str(path))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 20, f"{path.name} looks blank"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_main_window_screenshots(
    qtbot: QtBot,
    tmp_path: Path,
    workspace_data: tuple[AppServices, Path],
    language: str,
) -> None:
    assert QGuiApplication.platformName() == "xcb"
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese), (
        "no CJK font: Chinese text would render as boxes (install fonts-wqy-microhei)"
    )
    services, query = workspace_data
    translations = Translations()
    assert translations.install(language)
    folder = _folder(tmp_path)
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        groups = window.groups_panel
        qtbot.waitUntil(lambda: not groups.loading and groups.table.model().rowCount() == 5)
        family_row = next(
            row
            for row in range(groups.table.model().rowCount())
            if groups.table.model().index(row, 0).data() == "家人"
        )
        groups.table.selectRow(family_row)
        voiceprints = window.voiceprints_panel
        qtbot.waitUntil(lambda: not voiceprints.loading and voiceprints.count == 4)
        _save(window, folder / f"groups_voiceprints_{language}.png")

        window.tabs.setCurrentWidget(window.minimax_panel)
        qtbot.waitUntil(lambda: window.minimax_panel.loaded)
        _save(window, folder / f"minimax_{language}.png")
        window.tabs.setCurrentIndex(0)

        dialog = window.open_identify_dialog()
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.groups_loaded)
        dialog.clip_source.set_path(str(query))
        qtbot.waitUntil(dialog.identify_button.isEnabled)
        dialog.identify_button.click()
        qtbot.waitUntil(lambda: not dialog.busy)
        assert "妈妈的声音" in dialog.sentence()
        _save(dialog, folder / f"identify_{language}.png")
        dialog.close()

        # A new take of a voice already in the group: the duplicate check warns.
        voiceprints.new_action.trigger()
        add = voiceprints.last_dialog
        assert isinstance(add, VoiceprintDialog) and add.fields is not None
        add.fields.name_edit.setText("奶奶（新录音）")
        add.set_path(str(query.with_name("奶奶（新录音）.wav")))
        qtbot.waitUntil(lambda: not add.reading_file(), timeout=5000)
        assert add.duplicate_box is not None and add.duplicate_box.isChecked()
        qtbot.waitExposed(add)
        _save(add, folder / f"add_voiceprint_{language}.png")
        add.ok_button.click()
        check = add.duplicate_check
        qtbot.waitUntil(lambda: check.asking, timeout=10000)
        assert check.message_box is not None and check.dont_enroll_button is not None
        qtbot.waitExposed(check.message_box)
        _save(check.message_box, folder / f"duplicate_warning_{language}.png")
        check.dont_enroll_button.click()
        assert "奶奶" in add.message_label.text()
        qtbot.waitUntil(
            lambda: (
                add.message_label.height()
                >= add.message_label.heightForWidth(add.message_label.width())
            )
        )  # the dialog grew to show the whole reason
        _save(add, folder / f"duplicate_declined_{language}.png")
        add.reject()  # (asks first: a name is typed)
        ask = add.discard_box
        assert ask is not None
        destructive_button(ask).click()

        with (
            CozeClient("t", "http://127.0.0.1:9", max_attempts=1) as dead,
            pytest.raises(ConnectionFailedError) as failure,
        ):
            dead.list_groups()
        error_dialog = window.presenter.show(failure.value, window)
        assert error_dialog is not None
        error_dialog.details_button.click()
        qtbot.waitExposed(error_dialog)
        _save(error_dialog, folder / f"error_{language}.png")
        error_dialog.close()
    finally:
        translations.uninstall()
