"""With the app in Simplified Chinese, no window or dialog shows an English word.

Walks every widget (visible or not: a hidden page or state is shown some time) of the
main window and of each dialog the operator can open -- the connection and custom-server
dialogs, the group dialog, the add-voiceprint dialog with a check report for a file that
is not audio, the enrollment wizard (every page), the identify dialog with its verdict,
the duplicate-check warning, Qt's own file dialog, the MiniMax view, error dialogs (a
network failure, the upload refusing a file that is not audio) and About -- and reads
every string a person sees: labels, buttons, window titles, tooltips, placeholder texts,
group box titles, tab titles, combo box items, table headers, menus and their actions.
Only proper nouns, units and file formats may be in Latin letters (:data:`ALLOWED`); user
data (the names below) is Chinese.
"""

from __future__ import annotations

import html
import platform
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QFileSystemModel,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import ZH_SHORT_TEXT, speech_file
from tests.toy_engine import SpectrumEngine
from tests.ui_fixtures import services_on
from voiceprint_studio.api import (
    AudioUpload,
    ConnectionFailedError,
    CozeClient,
    LocalValidationError,
    VoiceprintGroup,
)
from voiceprint_studio.settings.profiles import custom_profile
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OFFLINE_BASE_URL, OfflineBackend
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.shell.main_window import MainWindow

RATE = 16000

#: Latin-letter words that may appear in the Chinese UI: names of products and
#: libraries, file formats, units, key names.
ALLOWED = frozenset(
    {
        "MiniMax",
        "CSV",
        "zip",
        "wav",
        "WAV",
        "pcm",
        "PCM",
        "Hz",
        "kHz",
        "dB",
        "dBFS",
        "KB",
        "MB",
        "GB",
        "ID",
        "API",
        "URL",
        "HTTP",
        "HTTPS",
        "Qt",
        "PySide6",
        "Python",
        "httpx",
        "Ctrl",
        "Shift",
        "Del",
        "Esc",
        "F2",
        "F5",
        "English",  # the language's own name in View > Language
        "pat",  # a Coze token's prefix, shown as the placeholder "pat_…"
    }
)
_MARKUP = re.compile(r"<[^>]*>")
_URL = re.compile(r"\b(?:https?|file)://\S*")
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:cn|com|io|ai|org)\b")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][\w.\-\u4e00-\u9fff ]+)+[/\\]?")
_MNEMONIC = re.compile(r"\(&\w\)|&(?=\w)")
_PLACEHOLDER = re.compile(r"%\d|%n|\{\w+\}")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def english_words(text: str) -> list[str]:
    """The Latin-letter words in ``text`` that are not allowed (markup, URLs, paths,
    mnemonics and single letters aside)."""
    text = html.unescape(_MARKUP.sub(" ", text))
    for pattern in (_URL, _DOMAIN, _PATH, _MNEMONIC):
        text = pattern.sub(" ", text)
    found = [w for w in _WORD.findall(text) if len(w) > 1 and w not in ALLOWED]
    found += _PLACEHOLDER.findall(text)  # an unfilled placeholder is a bug too
    return found


def test_tool_buttons_show_no_access_key_that_does_nothing(
    qtbot: QtBot, services: AppServices
) -> None:
    """The views' buttons show their action's text without "&": a Chinese "(&R)" was left
    on them as "替换音频(R)", promising an Alt+R that did nothing. Menus keep it."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QToolButton

    from voiceprint_studio.ui.common.errors import ErrorPresenter
    from voiceprint_studio.ui.common.panel import Panel

    panel = Panel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    shown = {}
    for text in ("替换音频(&R)…", "编辑声纹(&E)…", "&Replace audio…", "Save audio &as…"):
        action = panel._action(text, QKeySequence())
        button = QToolButton(panel)
        button.setDefaultAction(action)
        shown[text] = button.text()
        assert action.text() == text  # (what a menu shows)
    assert shown == {
        "替换音频(&R)…": "替换音频",
        "编辑声纹(&E)…": "编辑声纹",
        "&Replace audio…": "Replace audio",
        "Save audio &as…": "Save audio as",
    }


def test_the_english_detector() -> None:
    assert english_words("查找范围：") == []
    assert english_words("删除(&D)") == []
    assert english_words("<b>MiniMax</b> 的 API 密钥，16 kHz 单声道 wav") == []
    assert english_words("见 https://www.coze.cn/open/oauth/pats 或 /tmp/a b/x.wav") == []
    assert english_words("Look in:") == ["Look", "in"]
    assert english_words("扣子 Coze") == ["Coze"]
    assert english_words("%1 个声纹") == ["%1"]


def _strings(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every string ``root`` and its children show."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        where = f"{type(widget).__name__}({widget.objectName()})"
        if widget.isWindow():
            yield f"{where}.windowTitle", widget.windowTitle()
        yield f"{where}.toolTip", widget.toolTip()
        yield f"{where}.accessibleName", widget.accessibleName()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield f"{where}.text", widget.text()
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield f"{where}.placeholderText", widget.placeholderText()
        elif isinstance(widget, QGroupBox):
            yield f"{where}.title", widget.title()
        elif isinstance(widget, QComboBox) and widget.objectName() != "input_device_combo":
            # (the microphones' names are the operating system's, shown as it gives them)
            for row in range(widget.count()):
                yield f"{where}.item{row}", widget.itemText(row)
                tip = widget.itemData(row, Qt.ItemDataRole.ToolTipRole)
                yield f"{where}.item{row}.toolTip", tip if isinstance(tip, str) else ""
        elif isinstance(widget, QTabWidget):
            for tab in range(widget.count()):
                yield f"{where}.tab{tab}", widget.tabText(tab)
                yield f"{where}.tab{tab}.toolTip", widget.tabToolTip(tab)
        elif isinstance(widget, QMenu):
            yield f"{where}.title", widget.title()
        if isinstance(widget, QMessageBox):
            yield f"{where}.text", widget.text()
            yield f"{where}.informativeText", widget.informativeText()
        if isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
            model = widget.model()
            for section in range(model.columnCount(QModelIndex())):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.headerData(section, Qt.Orientation.Horizontal, role)
                    yield f"{where}.header{section}", value if isinstance(value, str) else ""
        for action in widget.actions():
            yield f"{where}.action", action.text()
            yield f"{where}.action.toolTip", action.toolTip()
            yield f"{where}.action.statusTip", action.statusTip()
            if action.menu() is not None:
                yield from _strings(action.menu())


def english_in(root: QWidget, ignore: tuple[str, ...] = ()) -> list[str]:
    """Every string under ``root`` with an English word, as 'where: text'."""
    found = []
    for where, shown in _strings(root):
        text = shown
        for value in ignore:
            text = text.replace(value, " ")
        if text and english_words(text):
            found.append(f"{where}: {shown!r}")
    return sorted(set(found))


def _tone(freq: float, seconds: float = 1.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return 0.4 * np.sin(2 * np.pi * freq * t)


def _wav(path: Path, samples: np.ndarray) -> Path:
    soundfile.write(path, samples.astype(np.float32), RATE, subtype="PCM_16")
    return path


@pytest.fixture
def chinese() -> Iterator[Translations]:
    translations = Translations()
    assert translations.install("zh_CN"), "run python scripts/translations.py build"
    yield translations
    translations.uninstall()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppServices, Path]]:
    """An offline workspace (with a toy speaker engine) holding Chinese data."""
    offline = OfflineBackend(tmp_path / "offline", engine=SpectrumEngine())
    services = services_on(tmp_path, offline)
    with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as client:
        client.create_group("客厅音箱", "放在客厅的智能音箱")
        family = client.create_group("家人", "家庭成员的声纹")
        for i, (name, freq) in enumerate((("妈妈", 200), ("爸爸", 900), ("奶奶", 450))):
            # 妈妈's is speech (a new take of it passes the enrollment check in the dialog)
            path = (
                speech_file(tmp_path / f"录音{i}.wav", "zh", ZH_SHORT_TEXT)
                if i == 0
                else _wav(tmp_path / f"录音{i}.wav", _tone(freq))
            )
            client.create_voiceprint(family, name, AudioUpload.from_path(path), desc="家人")
    offline.app().store.add_voice("voice_cloning", "声音一号", ["复刻自客服录音"], voice_name="")
    yield services, tmp_path
    offline.close()


def test_no_english_in_the_chinese_ui(
    qtbot: QtBot, chinese: Translations, world: tuple[AppServices, Path]
) -> None:
    services, folder = world
    found: dict[str, list[str]] = {}
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    groups = window.groups_panel
    qtbot.waitUntil(lambda: not groups.loading and groups.table.model().rowCount() == 2)
    family = next(row for row in range(2) if groups.table.model().index(row, 0).data() == "家人")
    groups.table.selectRow(family)
    voiceprints = window.voiceprints_panel
    qtbot.waitUntil(lambda: not voiceprints.loading and voiceprints.count == 3)
    window.tabs.setCurrentWidget(window.minimax_panel)
    qtbot.waitUntil(lambda: window.minimax_panel.loaded)
    window.tabs.setCurrentIndex(0)
    found["main window"] = english_in(window)

    window.open_token_dialog()
    assert window.token_dialog is not None
    found["token dialog"] = english_in(window.token_dialog)
    window.token_dialog.reject()
    window.custom_server_action.trigger()
    assert window.custom_server_dialog is not None
    found["custom server dialog"] = english_in(window.custom_server_dialog)
    window.custom_server_dialog.reject()

    # the confirmations before deleting (answered No)
    groups.delete_action.trigger()
    assert groups.confirm_box is not None
    found["delete group confirmation"] = english_in(groups.confirm_box)
    groups.confirm_box.reject()
    voiceprints.table.selectRow(0)
    voiceprints.delete_action.trigger()
    assert voiceprints.confirm_box is not None
    found["delete voiceprint confirmation"] = english_in(voiceprints.confirm_box)
    voiceprints.confirm_box.reject()

    groups.new_action.trigger()
    assert groups.last_dialog is not None
    found["group dialog"] = english_in(groups.last_dialog)
    groups.last_dialog.reject()

    # the add-voiceprint dialog, with the check report of a file that is not audio
    voiceprints.new_action.trigger()
    add = voiceprints.last_dialog
    assert isinstance(add, VoiceprintDialog)
    not_audio = folder / "说明.wav"
    not_audio.write_text("这不是音频文件" * 20, encoding="utf-8")
    add.set_path(str(not_audio))
    add.check_file()
    qtbot.waitUntil(lambda: add.recorder_panel.report() is not None, timeout=10000)
    found["add-voiceprint dialog"] = english_in(add, (str(not_audio),))
    # ... and the duplicate check's warning for a voice already in the group
    assert add.fields is not None
    add.fields.name_edit.setText("妈妈（新录音）")
    add.set_path(str(speech_file(folder / "妈妈2.wav", "zh", ZH_SHORT_TEXT)))
    qtbot.waitUntil(add.ok_button.isEnabled, timeout=10000)
    add.ok_button.click()
    check = add.duplicate_check
    qtbot.waitUntil(lambda: check.asking, timeout=10000)
    assert check.message_box is not None
    found["duplicate warning"] = english_in(check.message_box, (str(folder),))
    assert check.dont_enroll_button is not None
    check.dont_enroll_button.click()
    found["add-voiceprint dialog, declined"] = english_in(add, (str(folder),))
    add.reject()

    wizard = window.open_enroll_wizard()
    assert wizard is not None
    found["enrollment wizard"] = english_in(wizard)
    wizard.reject()

    dialog = window.open_identify_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.groups_loaded)
    dialog.clip_source.set_path(str(_wav(folder / "问.wav", _tone(200) + 0.3 * _tone(900))))
    qtbot.waitUntil(dialog.identify_button.isEnabled, timeout=10000)
    dialog.identify_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.model.rowCount() == 3
    found["identify dialog"] = english_in(dialog, (str(folder),))
    # Qt's own file dialog (the widget one, as on Linux desktops without a native one)
    dialog.clip_source.browse_button.click()
    file_dialog = dialog.clip_source.file_dialog
    assert isinstance(file_dialog, QFileDialog)
    file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    file_dialog.setDirectory(str(folder))
    found["file dialog"] = english_in(file_dialog, (str(folder),))
    # ... and its Type column: a folder is "文件夹" (Qt 6's own catalogue lacks the word)
    files = file_dialog.findChild(QFileSystemModel)
    assert files is not None
    subfolder = files.index(str(folder / "offline"))
    qtbot.waitUntil(lambda: bool(files.type(subfolder)))
    assert files.type(subfolder) == "文件夹"
    file_dialog.reject()
    dialog.reject()

    # ... adding to several groups: the group list (a full one disabled), the calls it
    # costs on Coze, then the result per group
    voiceprints.new_action.trigger()
    several = voiceprints.last_dialog
    assert isinstance(several, VoiceprintDialog) and several.fields is not None
    picker = several.group_picker
    assert picker is not None
    several.fields.name_edit.setText("小王")
    if several.duplicate_box is not None:
        several.duplicate_box.setChecked(False)
    several.set_path(str(speech_file(folder / "小王.wav")))
    full = VoiceprintGroup("7000000000000000001", "满了的组", feature_count=10)
    picker.set_groups([*groups.model.records(), full], 3)
    picker.more_check.setChecked(True)
    for row in range(picker.list.count()):
        item = picker.list.item(row)
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            item.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(several.ok_button.isEnabled, timeout=10000)
    coze = custom_profile("coze", "https://coze.example.com")
    picker.set_cost(services.budget, coze, duplicate_check=True)
    assert picker.cost_label.text()
    found["add-voiceprint dialog, several groups"] = english_in(several, (str(folder),))
    with qtbot.waitSignal(several.multi_enrolled, timeout=20000):
        several.ok_button.click()
    assert len(several.results_list.lines()) == 2
    found["add-voiceprint dialog, result per group"] = english_in(several, (str(folder),))
    # (the walk above does not read list rows: the group list's and the result's here)
    rows = [picker.list.item(i) for i in range(picker.list.count())]
    shown = [*(r.text() for r in rows), *(r.toolTip() for r in rows)]
    shown += several.results_list.lines()
    assert any("已满" in text for text in shown) and any("已添加" in text for text in shown)
    found["several groups, list rows"] = [text for text in shown if english_words(text)]
    several.reject()

    with (
        CozeClient("t", "http://127.0.0.1:9", max_attempts=1) as dead,
        pytest.raises(ConnectionFailedError) as failure,
    ):
        dead.list_groups()
    error = window.presenter.show(failure.value, window)
    assert error is not None
    found["error dialog"] = english_in(error)
    error.close()

    # the upload's own refusal of a file that is not audio (checked before anything is sent)
    with pytest.raises(LocalValidationError) as refused:
        AudioUpload.from_path(not_audio)
    error = window.presenter.show(refused.value, window)
    assert error is not None
    assert error.text.message == "这不是有效的 wav 文件（缺少 wav 文件头）。"
    found["not-audio error"] = english_in(error)
    error.close()

    window.about_action.trigger()
    assert window.about_box is not None
    found["about"] = english_in(window.about_box, (platform.platform(),))
    window.about_box.close()

    report = [f"{name}: {line}" for name, strings in found.items() for line in strings]
    assert report == [], "English in the Chinese UI:\n" + "\n".join(report)
