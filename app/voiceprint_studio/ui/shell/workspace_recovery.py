"""A damaged offline workspace: say what happened and what the app can do.

When the offline workspace's database is missing or empty while recordings exist, or
cannot be read, the backend refuses to open it
(:class:`~voiceprint_studio.local.workspace.WorkspaceDamagedError`) and nothing is changed.
:class:`WorkspaceRecovery` catches that error where every failure is shown (the window's
:class:`~voiceprint_studio.ui.common.errors.ErrorPresenter`) and opens one
:class:`WorkspaceRecoveryDialog`, which offers:

* **Rebuild from recordings** -- keep the damaged file aside and rebuild the groups and
  voiceprints from the names stored next to each recording;
* **Start empty** -- keep the damaged file aside and start with an empty list; the
  recordings are moved to the quarantine folder, where they stay;
* **Quit**.

The chosen recovery runs on a worker; the dialog then says what was done.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.local.workspace import (
    QUARANTINE_DIR,
    RecoveryReport,
    WorkspaceDamagedError,
)
from voiceprint_studio.ui.common.errors import ErrorPresenter, describe_error
from voiceprint_studio.ui.common.session import OfflineBackend
from voiceprint_studio.ui.common.text import sentences
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner

log = logging.getLogger(__name__)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WorkspaceRecoveryDialog(QDialog):
    """Explains a damaged offline workspace and runs the recovery the user picks.

    Signals:
        recovered(object): the workspace was opened again (a :class:`RecoveryReport`).
        quit_requested(): the user chose to quit.
    """

    recovered = Signal(object)
    quit_requested = Signal()

    def __init__(
        self, error: WorkspaceDamagedError, offline: OfflineBackend, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.error = error
        self.offline = offline
        self.runner = TaskRunner(parent=self)
        self.setWindowTitle(self.tr("Offline workspace damaged"))
        problem = error.problem
        count = problem.audio_files
        if problem.kind == "missing":
            what = self.tr(
                "The offline workspace's database file is missing, but %n recording(s) are "
                "still in its folder.",
                "",
                count,
            )
        elif problem.kind == "empty":
            what = self.tr(
                "The offline workspace's database file is empty, but %n recording(s) are "
                "still in its folder.",
                "",
                count,
            )
        else:
            what = self.tr(
                "The offline workspace's database file is damaged and cannot be read. "
                "%n recording(s) are in its folder.",
                "",
                count,
            )
        self.message_label = QLabel(f"<b>{_escape(what)}</b>")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_step_label = QLabel(
            self.tr(
                "Nothing has been changed or deleted. Voiceprint Studio can rebuild the list "
                "of groups and voiceprints from the recordings (their names are stored next "
                "to each one), or start with an empty list. Either way the damaged file is "
                "kept aside in the workspace folder, and no recording is deleted."
            )
        )
        self.next_step_label.setWordWrap(True)
        self.folder_label = QLabel(self.tr("Folder: {folder}").format(folder=str(error.data_dir)))
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)  # (a path, as it is)
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setToolTip(problem.detail)

        self.buttons = QDialogButtonBox()
        self.rebuild_button = QPushButton(self.tr("Rebuild from recordings"))
        self.rebuild_button.setDefault(True)
        self.rebuild_button.clicked.connect(self.on_rebuild_button_clicked)
        self.empty_button = QPushButton(self.tr("Start empty"))
        self.empty_button.clicked.connect(self.on_empty_button_clicked)
        self.quit_button = QPushButton(self.tr("Quit"))
        self.quit_button.clicked.connect(self.on_quit_button_clicked)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        for button in (self.rebuild_button, self.empty_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setVisible(False)  # after addButton(), which shows it

        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.next_step_label)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _start(self, mode: str) -> None:
        for button in (self.rebuild_button, self.empty_button, self.quit_button):
            button.setEnabled(False)
        self.next_step_label.setText(
            self.tr("Rebuilding the list from the recordings…")
            if mode == "rebuild"
            else self.tr("Starting an empty list…")
        )
        offline = self.offline

        def recover(_ctx: TaskContext) -> RecoveryReport | None:
            return offline.recover(mode)

        self.runner.submit("recover", recover, self._on_recovered, on_failure=self._on_failed)

    def _on_recovered(self, report: object) -> None:
        assert report is None or isinstance(report, RecoveryReport)
        done = self.tr("The offline workspace is open again.")
        self.message_label.setText(f"<b>{_escape(done)}</b>")
        quarantine = self.error.data_dir / QUARANTINE_DIR
        if report is None:  # the database was repaired meanwhile: nothing to do
            text = self.tr("The database could be read again; nothing was changed.")
        else:
            text = sentences(
                self.tr("%n group(s) restored.", "", report.groups),
                self.tr("%n voiceprint(s) restored.", "", report.voiceprints),
            )
            if report.quarantined:
                text = sentences(
                    text,
                    self.tr(
                        "%n recording(s) without a name were moved to {folder}; add them again "
                        "to enroll them.",
                        "",
                        report.quarantined,
                    ).format(folder=quarantine),
                )
            if report.set_aside:
                text = sentences(
                    text,
                    self.tr("The damaged file was kept as {name}.").format(
                        name=report.set_aside[0].name
                    ),
                )
        self.next_step_label.setText(text)
        for button in (self.rebuild_button, self.empty_button, self.quit_button):
            button.setVisible(False)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)
        self.recovered.emit(report)

    def _on_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        log.error("recovering the offline workspace failed: %s", type(exc).__name__)
        text = describe_error(exc)
        self.next_step_label.setText(f"{text.message} {text.next_step}")
        for button in (self.rebuild_button, self.empty_button, self.quit_button):
            button.setEnabled(True)

    @Slot()
    def on_rebuild_button_clicked(self) -> None:
        self._start("rebuild")

    @Slot()
    def on_empty_button_clicked(self) -> None:
        self._start("empty")

    @Slot()
    def on_quit_button_clicked(self) -> None:
        self.quit_requested.emit()
        self.reject()

    def done(self, result: int) -> None:
        """Close, unless a recovery is running (it must not be cut off half-way)."""
        if self.runner.busy:
            return
        self.runner.shutdown()
        super().done(result)


class WorkspaceRecovery(QObject):
    """Shows one :class:`WorkspaceRecoveryDialog` when a view hits a damaged workspace.

    Signals:
        recovered(): the offline workspace opened again; the views should reload.
    """

    recovered = Signal()

    def __init__(self, offline: OfflineBackend, presenter: ErrorPresenter, window: QWidget) -> None:
        super().__init__(window)
        self.offline = offline
        self.window = window
        self.dialog: WorkspaceRecoveryDialog | None = None
        presenter.damaged_workspace_handler = self.on_workspace_damaged

    def on_workspace_damaged(self, exc: WorkspaceDamagedError) -> None:
        """Open the dialog (once: several views fail on the same damaged workspace)."""
        if self.dialog is not None:
            return
        log.error("offline workspace damaged: %s", exc)
        dialog = WorkspaceRecoveryDialog(exc, self.offline, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.recovered.connect(self.on_dialog_recovered)
        dialog.quit_requested.connect(self.window.close)
        dialog.finished.connect(self.on_dialog_finished)
        self.dialog = dialog
        dialog.show()

    @Slot(object)
    def on_dialog_recovered(self, _report: object) -> None:
        self.recovered.emit()

    @Slot(int)
    def on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
