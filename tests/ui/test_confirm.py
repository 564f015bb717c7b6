"""The app's "are you sure?" question (ui/common/confirm.py): the safe choice is the default
and Escape, so neither Enter nor Escape acts; only the action's own button does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.common.confirm import ACT_BUTTON, ask_to_confirm


def _ask(qtbot: QtBot, parent: QWidget, safe: str = "") -> tuple[QMessageBox, list[str]]:
    happened: list[str] = []
    box, act = ask_to_confirm(
        parent,
        title="Delete group",
        text="Delete the group “Front desk”?",
        info="It holds 3 voiceprints.",
        act="Delete",
        on_act=lambda: happened.append("acted"),
        safe=safe,
        on_closed=lambda: happened.append("closed"),
    )
    assert box.findChild(QPushButton, ACT_BUTTON) is act
    qtbot.waitExposed(box)
    return box, happened


def _window(qtbot: QtBot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def test_enter_and_escape_take_the_safe_choice(qtbot: QtBot) -> None:
    window = _window(qtbot)
    box, happened = _ask(qtbot, window)
    assert box.isVisible() and box.windowModality() == Qt.WindowModality.WindowModal
    assert box.text() == "Delete the group “Front desk”?"
    assert box.informativeText() == "It holds 3 voiceprints."
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert happened == ["closed"]

    box, happened = _ask(qtbot, window, safe="Keep editing")
    assert box.defaultButton() is not None and box.defaultButton().text() == "Keep editing"
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert happened == ["closed"]


def test_only_the_action_button_acts(qtbot: QtBot) -> None:
    window = _window(qtbot)
    box, happened = _ask(qtbot, window)
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None and act.text() == "Delete"
    assert box.buttonRole(act) == QMessageBox.ButtonRole.DestructiveRole
    with qtbot.waitSignal(box.finished):
        act.click()
    assert happened == ["closed", "acted"]


def test_the_close_question_says_its_sentences_in_chinese_without_a_gap(qtbot: QtBot) -> None:
    # "这里填写的内容不会保留。 录音保留在…": a space after a full-width stop reads as a
    # slip (a tester's); the sentences of every such message are joined by sentences()
    import shiboken6
    from PySide6.QtWidgets import QDialog

    from voiceprint_studio.ui.common.confirm import ask_to_discard
    from voiceprint_studio.ui.common.i18n import Translations

    translations = Translations()
    assert translations.install("zh_CN"), "run python scripts/translations.py build"
    try:
        dialog = QDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        box = ask_to_discard(
            dialog,
            question="?",
            act="关闭",
            typed=True,
            recorded=True,
            busy=lambda: False,
            on_closed=lambda: None,
        )
        info = box.informativeText()
        assert info.startswith("这里填写的内容不会保留。") and "录音" in info
        assert "。 " not in info
        box.reject()
        qtbot.waitUntil(lambda: not shiboken6.isValid(box))  # (gone before the language is)
    finally:
        translations.uninstall()
