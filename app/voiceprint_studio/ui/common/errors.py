"""How failures are shown: a sentence, what to do next, and details to copy.

:func:`describe_error` turns any exception a worker delivered into
:class:`ErrorText` (translated); :class:`ErrorDialog` shows it with an
expandable details section, "Copy details", and an optional action button
(for authentication errors: open the token dialog). :func:`reason_text` says a
transfer's reason (why an item was skipped or not done) in the UI language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    UploadCancelledError,
)
from voiceprint_studio.local.workspace import WorkspaceBusyError, WorkspaceDamagedError
from voiceprint_studio.transfer.reasons import CONTEXT as TRANSFER_CONTEXT
from voiceprint_studio.transfer.reasons import Reason, TransferError, sentences
from voiceprint_studio.ui.common.session import NoTokenError
from voiceprint_studio.ui.enroll.pending import StillSettlingError


def _tr_api(text: str) -> str:
    return QCoreApplication.translate("ApiErrors", text)


def _tr_transfer(text: str) -> str:
    return QCoreApplication.translate(TRANSFER_CONTEXT, text)


def reason_text(reason: Reason) -> str:
    """A transfer's sentence in the UI language: the template through
    ``QCoreApplication.translate("TransferErrors", ...)``, its values filled in; an API
    error inside it in the API layer's translated words (:func:`describe_error`)."""
    return reason.render(_tr_transfer, _error_message, finding_words=_finding_message)


def _finding_message(data: Mapping[str, object]) -> str:
    """A checker finding inside a transfer's reason, said as the check report says it."""
    from pathlib import Path

    from voiceprint_studio.audio.checker import AudioReport, Finding, Severity
    from voiceprint_studio.ui.recorder.findings import finding_text

    def text(name: str) -> str:
        return str(data.get(name, ""))

    try:
        value = float(text("value")) if text("value") else None
        converted = int(text("converted_size")) if text("converted_size") else None
        finding = Finding(text("key"), Severity(text("severity")), text("english"), value=value)
    except ValueError:  # not a finding this version knows: its English words
        return text("english")
    report = AudioReport(
        Path(text("file")),  # the file's name, said in the file's findings
        (finding,),
        container=text("container") or None,
        subtype=text("subtype") or None,
        converted_size_bytes=converted,
    )
    message, advice, _translated = finding_text(finding, report)
    if finding.key in _UNUSABLE_FILES:
        # a file that cannot be used at all says what to do about it too (a file a CSV
        # names that is not there said only "cannot be read")
        return sentences(message, advice)
    return message


# Checker findings about the file itself, said with their advice inside a reason.
_UNUSABLE_FILES = frozenset({"unreadable", "empty", "not_audio"})


def _error_message(exc: BaseException) -> str:
    return describe_error(exc).message


@dataclass(frozen=True)
class ErrorText:
    """What to show for one failure."""

    message: str
    next_step: str
    details: str
    # "auth" (offer the token dialog), "not_found" (refresh), "cancelled", or "other".
    kind: str = "other"


def _os_reason(exc: OSError) -> str:
    """Why the system refused a file, in the UI's language for the usual reasons (the
    system's own words, in English, otherwise)."""
    import errno

    reasons = {
        errno.ENOENT: QCoreApplication.translate("Errors", "the file or its folder does not exist"),
        errno.EACCES: QCoreApplication.translate("Errors", "permission was denied"),
        errno.EPERM: QCoreApplication.translate("Errors", "permission was denied"),
        errno.ENOSPC: QCoreApplication.translate("Errors", "the disk is full"),
        errno.EROFS: QCoreApplication.translate("Errors", "the disk is read-only"),
        errno.EISDIR: QCoreApplication.translate("Errors", "it is a folder"),
    }
    said = reasons.get(exc.errno) if exc.errno is not None else None
    return said or exc.strerror or type(exc).__name__


def describe_error(exc: BaseException) -> ErrorText:
    """Plain, translated words for ``exc`` plus the technical details."""
    if isinstance(exc, ApiError):
        message, step = exc.render(_tr_api)
        rows = [
            (QCoreApplication.translate("Errors", "Service"), exc.service),
            (QCoreApplication.translate("Errors", "Endpoint"), exc.endpoint),
            (
                QCoreApplication.translate("Errors", "HTTP status"),
                "" if exc.http_status is None else str(exc.http_status),
            ),
            (
                QCoreApplication.translate("Errors", "Code"),
                "" if exc.code is None else str(exc.code),
            ),
            (QCoreApplication.translate("Errors", "Server message"), exc.server_message),
            (QCoreApplication.translate("Errors", "Request ID"), exc.request_id or ""),
        ]
        details = "\n".join(f"{label}: {value}" for label, value in rows if value)
        kind = "other"
        if isinstance(exc, AuthenticationError):
            kind = "auth"
        elif isinstance(exc, NotFoundError):
            kind = "not_found"
        elif isinstance(exc, UploadCancelledError):
            kind = "cancelled"
        return ErrorText(message, step, details, kind)
    if isinstance(exc, TransferError):
        # the sentence says what to do next itself
        return ErrorText(reason_text(exc.reason), "", f"{type(exc).__name__}: {exc}")
    if isinstance(exc, NoTokenError):
        return ErrorText(
            QCoreApplication.translate("Errors", "No token is saved for this connection."),
            QCoreApplication.translate(
                "Errors", "Choose Connection > Token... and paste your access token."
            ),
            f"{exc.profile.service}: {exc.profile.key}",
            "auth",
        )
    if isinstance(exc, StillSettlingError):
        return ErrorText(
            QCoreApplication.translate(
                "Errors",
                "The service may still be adding “%1” from the upload that got no answer: "
                "nothing was sent again.",
            ).replace("%1", exc.name),
            QCoreApplication.translate(
                "Errors",
                "Try again in %1 seconds: the app looks for it first, so it is not added twice.",
            ).replace("%1", str(exc.seconds_left)),
            str(exc),
        )
    if isinstance(exc, WorkspaceBusyError):
        return ErrorText(
            QCoreApplication.translate(
                "Errors", "This workspace is open in another Voiceprint Studio window."
            ),
            QCoreApplication.translate(
                "Errors",
                "Close the other window (or the offline server started on this folder), "
                "then choose View > Refresh.",
            ),
            str(exc),
        )
    if isinstance(exc, WorkspaceDamagedError):
        return ErrorText(
            QCoreApplication.translate(
                "Errors",
                "The offline workspace's database is missing or damaged. No recording was deleted.",
            ),
            QCoreApplication.translate(
                "Errors", "Restart Voiceprint Studio to rebuild the list from the recordings."
            ),
            str(exc),
            "workspace_damaged",
        )
    if isinstance(exc, OSError):
        reason = _os_reason(exc)
        if exc.filename:
            message = QCoreApplication.translate(
                "Errors", "“{file}” could not be read or written: {reason}."
            ).format(file=exc.filename, reason=reason)
        else:
            message = QCoreApplication.translate(
                "Errors", "The file could not be read or written: {reason}."
            ).format(reason=reason)
        return ErrorText(
            message,
            QCoreApplication.translate(
                "Errors", "Check that the file exists and that you may open it, then try again."
            ),
            f"{type(exc).__name__}: {exc}",
        )
    return ErrorText(
        QCoreApplication.translate("Errors", "Something went wrong: {what}").format(
            what=type(exc).__name__
        ),
        QCoreApplication.translate(
            "Errors", "Try again. If it keeps happening, open the log folder from the Help menu."
        ),
        f"{type(exc).__name__}: {exc}",
    )


class ErrorDialog(QDialog):
    """A failure, in words, with expandable details.

    Signals:
        action_requested(): the action button (e.g. "Enter token...") was pressed.
    """

    action_requested = Signal()

    def __init__(self, text: ErrorText, parent: QWidget | None = None, *, action: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Errors", "Voiceprint Studio"))
        self.text = text
        icon = QLabel()
        # QStyle is looked up here, not imported: PySide builds all of a class's enums
        # the first time the class is touched, which start-up does not need to pay for.
        warning = QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning
        icon.setPixmap(self.style().standardIcon(warning).pixmap(32, 32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel(f"<b>{_escape(text.message)}</b>")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # plain text, shown as it is ("Connection > Token…" escaped, with no tag to make
        # Qt take it for rich text, showed "&gt;")
        self.next_step_label = QLabel(text.next_step)
        self.next_step_label.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step_label.setWordWrap(True)
        self.details = QPlainTextEdit(text.details)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(110)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.details_button = QPushButton(QCoreApplication.translate("Errors", "Show details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self.on_details_button_toggled)
        self.details_button.setEnabled(bool(text.details))
        self.copy_button = QPushButton(QCoreApplication.translate("Errors", "Copy details"))
        self.copy_button.clicked.connect(self.on_copy_button_clicked)
        self.copy_button.setEnabled(bool(text.details))
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.action_button: QPushButton | None = None
        if action:
            self.action_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
            self.action_button.clicked.connect(self.on_action_button_clicked)

        text_box = QVBoxLayout()
        text_box.addWidget(self.message_label)
        text_box.addWidget(self.next_step_label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text_box, 1)
        layout = QVBoxLayout(self)
        # Grow with labels whose text changes after the dialog is shown.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def copied_text(self) -> str:
        """What "Copy details" puts on the clipboard."""
        return f"{self.text.message}\n{self.text.next_step}\n\n{self.text.details}".strip()

    @Slot(bool)
    def on_details_button_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(
            QCoreApplication.translate("Errors", "Hide details")
            if shown
            else QCoreApplication.translate("Errors", "Show details")
        )
        self.adjustSize()

    @Slot()
    def on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.copied_text())

    @Slot()
    def on_action_button_clicked(self) -> None:
        self.action_requested.emit()
        self.accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ErrorPresenter(QObject):
    """Shows failures for every view the same way.

    Authentication failures get an "Enter token..." button; not-found
    failures also run the view's refresh callback. A failure saying the same as a
    dialog still open does not open a second one.

    Signals:
        token_requested(): the user chose to enter a token.
    """

    token_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_dialog: ErrorDialog | None = None
        # shows a damaged offline workspace its own way (ui.workspace_recovery) when set
        self.damaged_workspace_handler: Callable[[WorkspaceDamagedError], None] | None = None
        self._open: list[ErrorDialog] = []  # the dialogs shown and not yet closed

    def _forget(self, dialog: ErrorDialog) -> None:
        if dialog in self._open:
            self._open.remove(dialog)

    def show(
        self,
        exc: BaseException,
        parent: QWidget | None,
        *,
        on_not_found: Callable[[], None] | None = None,
    ) -> ErrorDialog | None:
        """Open a (non-blocking, window-modal) dialog for ``exc``; None for cancellations."""
        if isinstance(exc, WorkspaceDamagedError) and self.damaged_workspace_handler:
            self.damaged_workspace_handler(exc)
            return None
        text = describe_error(exc)
        if text.kind == "cancelled":
            return None
        if text.kind == "not_found" and on_not_found is not None:
            on_not_found()
        for shown in self._open:
            # One failure can come back twice (a "not found" that refreshes the view, whose
            # reload fails the same way): the dialog already open says it, once.
            if (shown.text.message, shown.text.next_step) == (text.message, text.next_step):
                return shown
        action = QCoreApplication.translate("Errors", "Enter token…") if text.kind == "auth" else ""
        dialog = ErrorDialog(text, parent, action=action)
        self._open.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.action_requested.connect(self.token_requested)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        self.last_dialog = dialog
        return dialog
