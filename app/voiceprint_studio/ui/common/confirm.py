"""The one way the app asks "are you sure?" before something it cannot take back.

:func:`ask_to_confirm` opens a non-blocking, window-modal question whose safe choice
(Cancel, or a named "keep …" button) is the default button and the Escape key, so
Enter or Escape never delete, quit or drop anything; the action runs only when its own
button was clicked. Delete group, delete voiceprint, delete MiniMax voices, delete a
take, close Add/Replace with input, quit during an upload and the call-budget warning
all ask this way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QMessageBox, QWidget

from voiceprint_studio.ui.common.text import sentences

# The object name of the action's button (tests and the screen-fit pass find it by it).
ACT_BUTTON = "act_button"


def ask_to_confirm(
    parent: QWidget,
    *,
    title: str,
    text: str,
    act: str,
    on_act: Callable[[], None],
    info: str = "",
    safe: str = "",
    destructive: bool = True,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
    on_closed: Callable[[], None] | None = None,
) -> tuple[QMessageBox, QAbstractButton]:
    """Open the question and return it with the action's button.

    ``act``: the action's button text ("Delete"); ``on_act`` runs when it was clicked.
    ``safe``: the text of the safe choice ("Keep editing"); empty: the standard Cancel.
    ``destructive``: the action cannot be taken back (its button's role says so; False
    for "Continue"). ``on_closed`` runs first whenever the box closes, however it does.
    """
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if info:
        box.setInformativeText(info)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    act_button = box.addButton(act, role)
    act_button.setObjectName(ACT_BUTTON)
    safe_button = (
        box.addButton(safe, QMessageBox.ButtonRole.RejectRole)
        if safe
        else box.addButton(QMessageBox.StandardButton.Cancel)
    )
    box.setDefaultButton(safe_button)
    box.setEscapeButton(safe_button)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)

    def finished(_result: int) -> None:
        if on_closed is not None:
            on_closed()
        if box.clickedButton() is act_button:
            on_act()

    box.finished.connect(finished)
    box.open()
    return box, act_button


def ask_to_discard(
    dialog: QDialog,
    *,
    question: str,
    act: str,
    typed: bool,
    recorded: bool,
    busy: Callable[[], bool],
    on_closed: Callable[[], None],
) -> QMessageBox:
    """Ask ``question`` ("Close without adding the voiceprint?") before Escape or the close
    button throws away what the operator entered; ``act`` names the closing button. The
    explanation says only what applies: ``typed`` (a name or description is dropped),
    ``recorded`` (a take was recorded: it stays on disk). "Keep editing" is the default.
    ``act`` closes ``dialog`` (its own :meth:`QDialog.reject`, not the override that asked)
    unless ``busy()`` says it started work meanwhile; ``on_closed`` runs however the
    question ends."""

    def close() -> None:
        if not busy():
            QDialog.reject(dialog)

    said = []
    if typed:
        said.append(
            QCoreApplication.translate("ConfirmDiscard", "What you typed here is not kept.")
        )
    if recorded:
        said.append(
            QCoreApplication.translate(
                "ConfirmDiscard",
                "The recording stays on this computer: “Earlier takes…” lists it the next time.",
            )
        )
    box, _close = ask_to_confirm(
        dialog,
        title=dialog.windowTitle(),
        text=question,
        info=sentences(*said),
        act=act,
        on_act=close,
        safe=QCoreApplication.translate("ConfirmDiscard", "Keep editing"),
        icon=QMessageBox.Icon.Question,
        on_closed=on_closed,
    )
    return box
