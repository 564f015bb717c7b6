"""The frame the transfer dialogs share: what runs, its progress, its result, Cancel/Close."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from voiceprint_studio.ui.common.fit import (
    available_area,
    frame_height,
    keep_placed,
    move_inside,
)
from voiceprint_studio.ui.common.text import fill
from voiceprint_studio.ui.common.worker import TaskRunner

if TYPE_CHECKING:
    from voiceprint_studio.transfer.child import JobProcess

# The title line's least width, in average characters.
TITLE_CHARS = 64
# The least time between two progress updates on screen (later ones are coalesced).
PROGRESS_INTERVAL_MS = 250


class WorkDialog(QDialog):
    """A title line, a progress bar, a status text and a button row whose Cancel stops
    the work and then closes; subclasses add their own rows before :meth:`_finish_layout`.

    Progress reaches the screen at most every :data:`PROGRESS_INTERVAL_MS` (the latest
    one wins): ``QProgressBar.setValue`` repaints at once, on the GUI thread, holding the
    GIL, and a job's workers report far more often than anyone can read.

    Signals:
        finished_job(bool): the work ended; True when all of it was done.
    """

    finished_job = Signal(bool)

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(parent=self)
        # the process a job of this dialog runs in (see :meth:`warm_job_process`)
        self.job_process: JobProcess | None = None
        self._cancel: Any = None
        self._running = False
        self._shown_progress: tuple[int, int] | None = None
        self._next_progress: tuple[int, int] | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_INTERVAL_MS)
        self._progress_timer.timeout.connect(self.on_progress_timer_timeout)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        # wide enough for a sentence with a file's path on one line (it broke the path
        # after its first "/" in a narrow dialog)
        self.title_label.setMinimumWidth(self.fontMetrics().averageCharWidth() * TITLE_CHARS)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Cancel is first in the tab order: focused at opening, an auto-default button
        # would take Enter from the dialog's own action (Start, Import)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.on_close_button_clicked)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.title_label)
        keep_placed(self)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """Grow to the height the rows need at this width: a status or cost line that
        wraps onto more lines no longer squashes the rows above it (Qt does not grow a
        dialog for its word-wrapped labels by itself)."""
        layout = self.layout()
        if layout is None:
            return
        # never for a width narrower than the rows' least, which the dialog cannot have:
        # openbox, framing a new copy dialog, reported it for a moment at the 100x30 it
        # was created at, and the dialog grew to what its wrapped lines needed at 100 px
        # (347 px tall, 105 of them blank below the rows)
        width = max(self.width(), layout.totalMinimumSize().width())
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            # at most the screen's free height, title bar included, and moved back inside
            # it when the taller dialog sticks out below (its buttons were off the screen)
            area = available_area(self)
            self.resize(width, min(needed, area.height() - frame_height(self)))
            move_inside(self, area)

    @property
    def running(self) -> bool:
        """Whether the job (copy, move, import, export) is running now."""
        return self._running

    def _finish_layout(self) -> None:
        self.body.addWidget(self.progress)
        self.body.addWidget(self.status_label)
        self.body.addWidget(self.buttons)

    def _start(self, text: str) -> None:
        from voiceprint_studio.api.uploads import CancelToken

        self._cancel = CancelToken()
        self._running = True
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status_label.setText(text)

    def _progress(self, done: int, total: int) -> None:
        self._next_progress = (done, total)
        if not self._progress_timer.isActive():
            self._show_progress()
            self._progress_timer.start()

    @Slot()
    def on_progress_timer_timeout(self) -> None:
        if self._running and self._next_progress != self._shown_progress:
            self._show_progress()
            self._progress_timer.start()

    def _show_progress(self) -> None:
        if self._next_progress is None:
            return
        done, total = self._shown_progress = self._next_progress
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(fill(self.tr("%1 of %2 done…"), str(done), str(total)))

    def _end(self, text: str, complete: bool) -> None:
        self._running = False
        self._progress_timer.stop()
        self.progress.setVisible(False)
        self.status_label.setText(text)
        self.close_button.setText(self.tr("&Close"))
        self.close_button.setDefault(True)
        self.finished_job.emit(complete)

    @Slot()
    def on_close_button_clicked(self) -> None:
        if self._running and self._cancel is not None:
            self._cancel.cancel()
            self.status_label.setText(self.tr("Cancelling…"))
            return
        self.reject()

    def warm_job_process(self, wanted: bool) -> None:
        """Give the dialog its job's own process (:attr:`job_process`), started now when
        ``wanted`` (on a worker): it is ready when the job starts."""
        from voiceprint_studio.transfer.child import JobProcess

        self.job_process = JobProcess()
        if wanted:
            process = self.job_process
            self.runner.submit("warm", lambda _ctx: process.start())

    def done(self, result: int) -> None:
        if self._running and self._cancel is not None:
            self._cancel.cancel()
        self.runner.shutdown()
        super().done(result)
        if self.job_process is not None:
            # a child given no job ends (off the GUI thread: it waits for it to go)
            threading.Thread(target=self.job_process.close, name="job-process-close").start()
