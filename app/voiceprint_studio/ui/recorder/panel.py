"""The recorder: record a take from a microphone, see and hear it, and check it for enrollment.

:class:`RecorderPanel` is shared by "add voiceprint", "replace audio" and
"identify". It has two parts:

* the recording box: an input-device picker (listed on a worker, the choice
  remembered in ``preferences.INPUT_DEVICE``), Record/Stop, the length in plain
  words ("9 s recorded — 10 to 30 s is best"), a live level meter with "too
  quiet / good / too loud" (polled from :meth:`Recorder.level` at 25 Hz), the
  waveform of the take, Play, a short script to read aloud (in the UI language)
  and "Earlier takes…" (each named by its speaker and start time, never
  pre-selected). Once a take passes its check the box folds to one row
  ("Record again…", the length, Play; "Record again…" opens the box, and Record
  records: nothing opens above the button while a take starts). Its buttons are never
  default buttons:
  Enter in a dialog goes to the dialog's own (Add), never to Record or Stop;
* the check: after a take (or a file the dialog hands over with
  :meth:`RecorderPanel.check`) :func:`audio.check_file` runs on a worker; one
  line sums it up, "Details" lists its findings in plain words with an icon each
  (shown at once when something must be fixed). "Trim silence" cuts long silence
  at the edges into a copy; "Convert to 16 kHz mono" writes a copy in the format
  Coze takes, unless the owner converts when it sends
  (:attr:`RecorderPanel.converts_on_upload`). Copies go into the recordings
  folder; the original is untouched.

Nothing touching PortAudio or the disk runs on the GUI thread: listing
devices, :meth:`Recorder.start` (it opens the device), :meth:`Recorder.stop`
(it waits for the file to be closed), checking, converting and playing all run
through a :class:`~voiceprint_studio.ui.common.worker.TaskRunner`. When the sound
system fails (no PortAudio, no device, busy, unplugged mid-take: the take so
far is kept) the message and the next step are shown in the panel; choosing a
file keeps working.

Findings are translated from a table keyed by :attr:`Finding.key` (and
severity), using the finding's value and the report's measurements; the keys
whose English message carries details that cannot be rebuilt (``unreadable``,
``empty``, ``not_audio``, ``too_long``, ``bad_pcm``, ``vad_unavailable``,
``internal_error``) show the checker's English message and advice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.fit import reveal
from voiceprint_studio.ui.common.text import fill, format_clock, sentences
from voiceprint_studio.ui.common.worker import TaskCancelledError, TaskContext, TaskRunner
from voiceprint_studio.ui.recorder.conversion import (
    fixed_by_conversion,
    needs_conversion,
    trim_offered,
)
from voiceprint_studio.ui.recorder.findings import finding_text, format_mb
from voiceprint_studio.ui.recorder.meters import ERROR_COLOR, LevelMeter, WaveformView
from voiceprint_studio.ui.recorder.words import (
    elapsed_words,
    error_words,
    level_words,
    reading_script,
)

if TYPE_CHECKING:  # numpy and the recorder load on first use, not when the window opens
    from voiceprint_studio.audio import AudioReport, InputDevice, Recorder
    from voiceprint_studio.audio.playback import Player
    from voiceprint_studio.audio.recorder import StreamFactory
    from voiceprint_studio.audio.takes import Take

_log = logging.getLogger(__name__)

DeviceLister = Callable[[], "list[InputDevice]"]

# How often the level meter, elapsed time and waveform are refreshed while recording.
POLL_MS = 40
# Seconds of the take the waveform shows.
WAVEFORM_SECONDS = 5.0
# How long Stop waits for the take to be saved before it says why it is not yet (the
# sound card has not let the stream go), and waits on.
STOP_WAIT_SECONDS = 10.0

# Role of a report row holding its finding's key; the next one holds its severity value.
FindingKeyRole = Qt.ItemDataRole.UserRole + 1
SeverityRole = Qt.ItemDataRole.UserRole + 2
# Role of a recent-takes row holding its file's path.
TakePathRole = Qt.ItemDataRole.UserRole + 3


# ------------------------------------------------------------------------------------------
# The panel
# ------------------------------------------------------------------------------------------


def take_speaker_name(panel: RecorderPanel) -> str:
    """The speaker's name the panel's owner gives (stripped; "" when none)."""
    try:
        return str(panel.speaker_name()).strip()
    except Exception:
        return ""


def _default_lister() -> list[InputDevice]:
    from voiceprint_studio.audio import list_input_devices

    return list_input_devices()


def conversion_task(
    src: str | Path,
    folder: Path | None,
    *,
    trim: bool,
    speaker: str,
    segments: Sequence[tuple[float, float]] | None = None,
) -> Callable[[TaskContext], Path]:
    """The worker task that writes a 16 kHz copy of ``src`` among the takes
    (:func:`~voiceprint_studio.audio.takes.convert_into_takes`); when its owner closed
    meanwhile the copy is deleted again and the task ends cancelled."""

    def task(ctx: TaskContext) -> Path:
        from voiceprint_studio.audio.takes import convert_into_takes

        result = convert_into_takes(
            src,
            folder,
            trim=trim,
            segments=segments,
            speaker=speaker,
            cancelled=lambda: ctx.cancelled,
        )
        if result is None:
            raise TaskCancelledError
        return result

    return task


def discard_late_copy(result: object) -> None:
    """A converted copy that came back after its panel or dialog was closed: nobody will
    be told of it, so it is deleted again (on a pool thread: not the GUI's)."""
    if isinstance(result, Path):
        from PySide6.QtCore import QThreadPool

        from voiceprint_studio.audio.takes import delete_take

        QThreadPool.globalInstance().start(lambda: delete_take(result))


class RecorderPanel(QWidget):
    """Record a take or check a file for enrollment (see the module docstring).

    Signals:
        recording_changed(bool): a take started (True) or ended (False).
        take_finished(str): a take ended and its file is closed on disk (its path).
        file_ready(str): the file to use changed: a finished take or a converted copy.
        check_finished(object): the :class:`~voiceprint_studio.audio.AudioReport` of a check.
        state_changed(): recording, checking, the report or converting changed
            (what :attr:`blocking` and :attr:`busy` say may have changed).
    """

    recording_changed = Signal(bool)
    take_finished = Signal(str)
    file_ready = Signal(str)
    check_finished = Signal(object)
    state_changed = Signal()

    def __init__(
        self,
        preferences: Preferences | None = None,
        parent: QWidget | None = None,
        *,
        folder: str | Path | None = None,
        stream_factory: StreamFactory | None = None,
        device_lister: DeviceLister | None = None,
        player: Player | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self.folder = None if folder is None else Path(folder)
        self._stream_factory = stream_factory
        self._device_lister: DeviceLister = device_lister or _default_lister
        self._player = player
        self.runner = TaskRunner(parent=self)
        self.play_runner = TaskRunner(parent=self)
        runner, play_runner = self.runner, self.play_runner
        self.destroyed.connect(lambda: (runner.shutdown(), play_runner.shutdown()))
        self._devices: list[InputDevice] = []
        self._devices_requested = False
        self._recorder: Recorder | None = None
        # a recorder started on a worker, until the panel has it (see :meth:`shutdown`)
        self._start_lock = threading.Lock()
        self._opening: list[Recorder] = []
        self._closed = False
        self._recording = False
        self._starting = False
        self._stopping = False
        self._path = ""
        self._report: AudioReport | None = None
        self._checking_path = ""
        self._converting = False
        self._play_stop: threading.Event | None = None
        self._limit_seconds = 0.0
        self._takes_requested = False
        self._deleting_take = False
        self._pending_delete = ""
        self._collapsed = False
        self.confirm_box: QMessageBox | None = None
        # The dialog converts a file Coze would reject when it sends it, so the panel
        # offers no "Convert" of its own for that (only "Trim silence").
        self.converts_on_upload = False
        # The take is for enrollment (else a clip to identify: the verdict says so).
        self.for_enrollment = True
        # Who is being recorded (the dialog's name field), for the list of takes.
        self.speaker_name: Callable[[], str] = str
        # the takes that uploads with no answer yet were sent from (path -> voiceprint
        # names), asked on a worker with the takes; set by a dialog that knows the
        # journal of uploads (:func:`voiceprint_studio.ui.enroll.pending.takes_in_doubt`)
        self.uploads_in_doubt: Callable[[], dict[str, list[str]]] | None = None
        self._in_doubt: dict[str, list[str]] = {}

        # -- recording box
        self.device_combo = QComboBox()
        self.device_combo.setObjectName("input_device_combo")  # names the system gives
        self.device_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.device_combo.setMinimumContentsLength(20)
        self.device_combo.setAccessibleName(self.tr("Microphone"))
        self.device_combo.currentIndexChanged.connect(self.on_device_combo_changed)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("List the microphones again"))
        self.refresh_button.clicked.connect(self.on_refresh_button_clicked)
        self.record_button = QPushButton(self.tr("● Record"))
        self.record_button.clicked.connect(self.on_record_button_clicked)
        self.elapsed_label = QLabel()
        self.meter = LevelMeter()
        self.level_label = QLabel()
        self.level_label.setMinimumWidth(80)
        self.level_label.setToolTip(self.tr("How loud the microphone hears you"))
        self.waveform = WaveformView()
        self.play_button = QPushButton(self.tr("▶ Play"))
        self.play_button.clicked.connect(self.on_play_button_clicked)
        self.script_title = QLabel(
            self.tr("Read this aloud at your normal pace, about 50 cm from the microphone:")
        )
        self.script_title.setWordWrap(True)
        self.script_label = QLabel(reading_script())
        self.script_label.setWordWrap(True)
        self.script_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A margin (not stylesheet padding) is counted in the label's height for
        # its width, so the wrapped script never runs under the row below.
        self.script_label.setMargin(6)
        self.script_label.setFrameShape(QFrame.Shape.StyledPanel)
        # Room for six lines: the English script wraps to five at the wizard's width, and
        # a wrapped label's height-for-width is not honoured by the dialogs' layouts (the
        # last line then ran under the Record row).
        self.script_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 16)
        self.script_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.script_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.takes_button = QPushButton(self.tr("Earlier takes…"))
        self.takes_button.setCheckable(True)
        self.takes_button.setToolTip(self.tr("Show the takes recorded before, to use one again"))
        self.takes_button.toggled.connect(self.on_takes_button_toggled)

        # The parts hidden once a take is accepted (collapsed to the Record row).
        self.device_widget = QWidget()
        device_row = QHBoxLayout(self.device_widget)
        device_row.setContentsMargins(0, 0, 0, 0)
        device_row.addWidget(QLabel(self.tr("Microphone:")))
        device_row.addWidget(self.device_combo, 1)
        device_row.addWidget(self.refresh_button)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addWidget(self.elapsed_label)
        record_row.addWidget(self.meter, 100)
        record_row.addWidget(self.level_label)
        # the room the meter leaves when the recorder is folded (else Record again and
        # Play stretched across the whole row; a tester's)
        record_row.addStretch(1)
        record_row.addWidget(self.play_button)
        wave_row = QHBoxLayout()
        wave_row.addWidget(self.waveform, 1)
        wave_row.addWidget(self.takes_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.recording_box = QGroupBox(self.tr("Record"))
        box_layout = QVBoxLayout(self.recording_box)
        box_layout.addWidget(self.device_widget)
        box_layout.addWidget(self.script_title)
        box_layout.addWidget(self.script_label)
        box_layout.addLayout(record_row)
        box_layout.addLayout(wave_row)

        # -- sound-system messages and status
        self.system_label = QLabel()
        self.system_label.setWordWrap(True)
        self.system_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.system_label.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)

        # -- the check
        self.report_list = QListWidget()
        self.report_list.setWordWrap(True)
        self.report_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.report_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.report_list.setMinimumHeight(110)
        self.report_list.setAccessibleName(self.tr("Check of the recording"))
        self.report_list.setVisible(False)
        self.summary_label = QLabel()  # the check in one line; the list is behind "Details"
        self.summary_label.setWordWrap(True)
        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setToolTip(self.tr("Show every point of the check"))
        self.details_button.toggled.connect(self.on_details_button_toggled)
        self.convert_button = QPushButton(self.tr("Convert to 16 kHz mono"))
        self.convert_button.setToolTip(
            self.tr("Write a converted copy into the recordings folder; the original stays.")
        )
        self.convert_button.clicked.connect(self.on_convert_button_clicked)
        self.convert_button.setVisible(False)
        self.report_box = QGroupBox(self.tr("Check"))
        report_layout = QVBoxLayout(self.report_box)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_label, 1)
        summary_row.addWidget(self.convert_button)
        summary_row.addWidget(self.details_button)
        report_layout.addLayout(summary_row)
        report_layout.addWidget(self.report_list)
        self.report_box.setVisible(False)

        # -- recent takes
        self.takes_list = QListWidget()
        self.takes_list.setAccessibleName(self.tr("Recent takes"))
        self.takes_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.takes_list.setUniformItemSizes(True)
        self.takes_list.currentRowChanged.connect(self.on_takes_list_current_row_changed)
        self.takes_list.itemDoubleClicked.connect(self.on_takes_list_item_double_clicked)
        self.use_take_button = QPushButton(self.tr("Use"))
        self.use_take_button.setToolTip(self.tr("Use the selected take and check it"))
        self.use_take_button.clicked.connect(self.on_use_take_button_clicked)
        self.delete_take_button = QPushButton(self.tr("Delete…"))
        self.delete_take_button.setToolTip(self.tr("Delete the selected take from the disk"))
        self.delete_take_button.clicked.connect(self.on_delete_take_button_clicked)
        self.takes_box = QGroupBox(self.tr("Recent takes"))
        takes_layout = QHBoxLayout(self.takes_box)
        takes_layout.addWidget(self.takes_list, 1)
        takes_buttons = QVBoxLayout()
        takes_buttons.addWidget(self.use_take_button)
        takes_buttons.addWidget(self.delete_take_button)
        takes_buttons.addStretch(1)
        takes_layout.addLayout(takes_buttons)
        self.takes_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.recording_box)
        layout.addWidget(self.takes_box)
        layout.addWidget(self.system_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.report_box)

        # Enter never starts or stops a take, nor presses any other button here: in a
        # dialog it goes to the dialog's own default button (Add).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.on_timer_timeout)
        self._update_elapsed(0.0)
        self._update_buttons()

    # -- state --------------------------------------------------------------------------

    @property
    def recording(self) -> bool:
        """Whether a take is being recorded (from Record until its file is closed)."""
        return self._recording or self._starting or self._stopping

    @property
    def checking(self) -> bool:
        """Whether a check (or a conversion) is running."""
        return bool(self._checking_path) or self._converting

    @property
    def busy(self) -> bool:
        """Recording, checking or converting."""
        return self.recording or self.checking

    @property
    def blocking(self) -> bool:
        """Whether the last check found something that blocks the upload."""
        return self._report is not None and self._report.blocking

    def current_path(self) -> str:
        """The file the panel last produced or checked (a take or a converted copy)."""
        return self._path

    def holds_a_take(self) -> bool:
        """Whether a take is being recorded, or the file in use is one of the recordings
        folder's (a take: it stays there when the dialog closes)."""
        from voiceprint_studio.audio.takes import recordings_path

        if self.recording or self._starting:
            return True
        # (no folder given: the app's own recordings folder, where its takes are)
        return bool(self._path) and Path(self._path).parent == recordings_path(self.folder)

    def report(self) -> AudioReport | None:
        """The report of the last finished check."""
        return self._report

    def report_for(self, path: str | Path) -> AudioReport | None:
        """The last report if it is about ``path``."""
        if self._report is None or not str(path):
            return None
        return self._report if Path(self._report.path) == Path(path) else None

    def checking_path(self) -> str:
        """The file being checked ("" when none)."""
        return self._checking_path

    def devices(self) -> list[InputDevice]:
        """The listed input devices."""
        return list(self._devices)

    def selected_device(self) -> InputDevice | None:
        """The chosen input device."""
        row = self.device_combo.currentIndex()
        return self._devices[row] if 0 <= row < len(self._devices) else None

    def set_recording_visible(self, visible: bool) -> None:
        """Show the recording box (and list the devices the first time)."""
        self.recording_box.setVisible(visible)
        self.takes_box.setVisible(visible and self.takes_button.isChecked())
        # A sound-system message is about recording: shown with the recorder only.
        self.system_label.setVisible(visible and bool(self.system_label.text()))
        if visible and not self._devices_requested:
            self.refresh_devices()

    @property
    def collapsed(self) -> bool:
        """Whether the recorder shows only its Record row (a take was accepted)."""
        return self._collapsed

    def set_collapsed(self, collapsed: bool) -> None:
        """Fold the recorder to its Record row ("Record again", the take, Play) or unfold it."""
        self._collapsed = collapsed
        for widget in (
            self.device_widget,
            self.script_title,
            self.script_label,
            self.meter,
            self.level_label,
            self.waveform,
        ):
            widget.setVisible(not collapsed)
        self.takes_button.setVisible(not collapsed)
        if collapsed:
            self.takes_button.setChecked(False)
        self._update_buttons()

    def system_message(self) -> str:
        """The sound-system message shown, if any."""
        return self.system_label.text() if self.system_label.isVisibleTo(self) else ""

    # -- devices ------------------------------------------------------------------------

    def refresh_devices(self) -> None:
        """List the input devices on a worker."""
        self._devices_requested = True
        lister = self._device_lister
        self.device_combo.clear()
        self.device_combo.addItem(self.tr("Looking for microphones…"))
        self.device_combo.setEnabled(False)
        self.refresh_button.setEnabled(False)
        self._submit("devices", lambda _ctx: lister(), self._on_devices, self._on_devices_failed)

    def _on_devices(self, result: object) -> None:
        assert isinstance(result, list)
        self._devices = result
        self.refresh_button.setEnabled(True)
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        wanted = self.preferences.get(prefs.INPUT_DEVICE) if self.preferences else ""
        select = -1
        for row, device in enumerate(result):
            label = str(device)
            if device.is_default:
                label = fill(self.tr("%1 (system default)"), label)
            self.device_combo.addItem(label, device.key)
            self.device_combo.setItemData(row, str(device), Qt.ItemDataRole.ToolTipRole)
            if device.key == wanted:
                select = row
        if select < 0 and result:
            select = next((i for i, d in enumerate(result) if d.is_default), 0)
        self.device_combo.setCurrentIndex(select)
        self.device_combo.setEnabled(bool(result))
        self.device_combo.blockSignals(False)
        if not result:
            from voiceprint_studio.audio.devices import no_device_error

            self._show_system_error(no_device_error())
        else:
            self._show_system_error(None)
        self._update_buttons()

    def _on_devices_failed(self, exc: object) -> None:
        self._devices = []
        self.device_combo.clear()
        self.device_combo.addItem(self.tr("No microphone"))
        self.device_combo.setEnabled(False)
        self.refresh_button.setEnabled(True)
        self._show_system_error(exc)
        self._update_buttons()

    # -- recording ----------------------------------------------------------------------

    def start_recording(self) -> None:
        """Open the chosen device and start a take (on a worker)."""
        device = self.selected_device()
        if self.recording or device is None:
            return
        self.stop_playback()
        existing = self._recorder
        folder, factory = self.folder, self._stream_factory
        self._closed = False
        panel = self

        def task(_ctx: TaskContext) -> tuple[Recorder, Path]:
            from voiceprint_studio.audio import Recorder

            recorder = existing or Recorder(folder, stream_factory=factory)
            path = recorder.start(device)
            with panel._start_lock:
                closed = panel._closed
                if not closed:
                    panel._opening.append(recorder)
            if closed:
                # the dialog closed while the device opened: its result is dropped, so
                # the take is ended here (it stays on disk, as a take ended by a close)
                recorder.stop(timeout=5.0)
            return recorder, path

        self._starting = True
        self.set_collapsed(False)
        self._show_system_error(None)
        self.status_label.setText(self.tr("Opening the microphone…"))
        self._set_report_aside()
        self.waveform.set_samples(None)
        self._update_buttons()
        self.state_changed.emit()
        self._submit("record", task, self._on_started, self._on_start_failed)

    def _on_started(self, result: object) -> None:
        assert isinstance(result, tuple)
        recorder, _path = result
        self._recorder = recorder
        with self._start_lock:
            self._opening = [r for r in self._opening if r is not recorder]
        self._limit_seconds = recorder.limit_seconds
        self._starting = False
        self._recording = True
        self.status_label.setText(self.tr("Recording… Click Stop when you have finished reading."))
        self.meter.reset()
        self.timer.start()
        self._update_elapsed(0.0)
        self._update_buttons()
        self.recording_changed.emit(True)
        self.state_changed.emit()

    def _on_start_failed(self, exc: object) -> None:
        self._starting = False
        self.clear_report()  # (the last take's, set aside: no take replaces it)
        self.status_label.setText("")
        self._show_system_error(exc)
        self._update_buttons()
        self.state_changed.emit()

    def stop_recording(self) -> None:
        """End the take; its file is closed on a worker, then checked."""
        recorder = self._recorder
        if not self._recording or self._stopping or recorder is None:
            return
        self._stopping = True
        self._poll()
        self.timer.stop()
        self.status_label.setText(self.tr("Saving the take…"))
        self._update_buttons()
        self._wait_for_the_take(recorder)

    def _wait_for_the_take(self, recorder: Recorder) -> None:
        self._submit(
            "stop",
            lambda _ctx: recorder.stop(STOP_WAIT_SECONDS),
            self._on_stopped,
            self._on_stop_failed,
        )

    def _on_stopped(self, result: object) -> None:
        recorder = self._recorder
        if result is None and recorder is not None and not recorder.saving:
            # the take was saved just after the wait gave up: it is taken now (the writer
            # has ended, so this does not wait), and the recorder can record again (a
            # reviewer's: the take went unchecked and the next Record failed)
            result = recorder.stop(0)
        if result is None and recorder is not None and recorder.saving:
            # the sound card has not let the stream go (a driver that hangs on stop): the
            # take is not closed yet. Said, and waited for on; the take so far is on the
            # disk (its header is kept up to date as it records)
            self.meter.reset()
            self.level_label.setText("")
            self.status_label.setText(
                sentences(
                    self.tr("The sound card has not released the microphone yet."),
                    self.tr(
                        "The take is kept on the disk and is checked as soon as it is saved; "
                        "if this goes on, unplug the microphone."
                    ),
                )
            )
            if self._takes_requested:
                self.refresh_takes()
            self._wait_for_the_take(recorder)
            return
        self._recording = self._stopping = False
        self.meter.reset()
        self.level_label.setText("")
        self.status_label.setText("")
        self._update_buttons()
        self.recording_changed.emit(False)
        if recorder is not None:
            self._update_elapsed(recorder.elapsed_seconds)
            if recorder.error is not None:
                self._show_system_error(recorder.error)
            elif recorder.stop_reason is not None and recorder.stop_reason.value == "limit":
                self.status_label.setText(
                    fill(
                        self.tr("The take reached the 4 MB limit (%1) and stopped."),
                        format_clock(self._limit_seconds),
                    )
                )
        take: Take | None = result  # type: ignore[assignment]
        if take is None:
            self.clear_report()  # (the last take's, set aside: no take replaces it)
            self.state_changed.emit()
            return
        self._path = str(take.path)
        self.takes_list.setCurrentRow(-1)  # the new take is the one used, not a listed one
        # listed under whose it is (the name typed in the owner), not as "(no name)"
        self.label_take(self._path, take_speaker_name(self))
        self.take_finished.emit(self._path)
        self.file_ready.emit(self._path)
        self.check(self._path)
        if self._takes_requested:
            self.refresh_takes()

    def _on_stop_failed(self, exc: object) -> None:
        self._recording = self._stopping = False
        self._show_system_error(exc)
        self._update_buttons()
        self.recording_changed.emit(False)
        self.state_changed.emit()

    def _poll(self) -> None:
        recorder = self._recorder
        if recorder is None:
            return
        reading = recorder.level()
        self.meter.set_level(reading.peak_dbfs, reading.clipped)
        self.level_label.setText(level_words(self.meter.dbfs, self.meter.clipped))
        self._update_elapsed(recorder.elapsed_seconds)
        self.waveform.set_samples(recorder.waveform(WAVEFORM_SECONDS))

    def _update_elapsed(self, seconds: float, *, recorded: bool = True) -> None:
        limit = self._limit_seconds
        if limit <= 0:
            from voiceprint_studio.audio import thresholds as th

            limit = self._limit_seconds = th.max_take_seconds()
        self.elapsed_label.setText(elapsed_words(seconds, recorded=recorded))
        self.elapsed_label.setToolTip(
            fill(
                self.tr("A take stops by itself at %1 (the 4 MB upload limit)."),
                format_clock(limit),
            )
        )

    # -- checking and converting --------------------------------------------------------

    def check(self, path: str | Path) -> None:
        """Check ``path`` for enrollment on a worker and show the findings."""
        text = str(path)
        if not text:
            return
        self._path = text
        self._checking_path = text
        self._report = None
        self.report_list.clear()
        self.report_box.setVisible(True)
        self.report_box.setEnabled(True)
        self.convert_button.setVisible(False)
        self.summary_label.setText(self.tr("Checking the recording…"))
        self.status_label.setText("")

        def task(_ctx: TaskContext) -> AudioReport:
            from voiceprint_studio.audio import check_file

            return check_file(text)

        self._update_buttons()
        self.state_changed.emit()
        self._submit("check", task, self._on_checked, self._on_check_failed)

    def _set_report_aside(self) -> None:
        """A new take is being recorded: forget the last report, but leave it on screen,
        greyed, until the new take's check replaces it. Taken away, it shortened the
        dialog, and the Stop button jumped away from under the mouse that had just
        clicked Record (the tester's: a second click did not stop the take)."""
        if self.report_box.isHidden() or self.report_list.count() == 0:
            self.clear_report()
            return
        self._forget_report()
        self.report_box.setEnabled(False)
        self.summary_label.setText(self.tr("The last take's check (this take is checked next):"))
        self.state_changed.emit()

    def _forget_report(self) -> None:
        """The last report no longer holds (a check on its way is dropped)."""
        self.runner.cancel("check")
        self._report = None
        self._checking_path = ""
        self.convert_button.setVisible(False)

    def clear_report(self) -> None:
        """Forget the last report (the file changed)."""
        self._forget_report()
        self.report_list.clear()
        self.report_box.setVisible(False)
        self.report_box.setEnabled(True)
        self.summary_label.setText("")
        if not self.recording:
            self.status_label.setText("")
        self.state_changed.emit()

    def _on_checked(self, result: object) -> None:
        self._checking_path = ""
        self._report = result  # type: ignore[assignment]
        assert self._report is not None
        self._show_report(self._report)
        self._update_buttons()
        self.check_finished.emit(self._report)
        self.state_changed.emit()

    def _on_check_failed(self, exc: object) -> None:
        self._checking_path = ""
        self.summary_label.setText("")
        self.status_label.setText(error_words(exc))
        self._update_buttons()
        self.state_changed.emit()

    def _show_report(self, report: AudioReport) -> None:
        style = self.style()
        icons = {
            "ok": style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            "blocking": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
        }
        names = {
            "ok": self.tr("OK"),
            "warning": self.tr("Warning"),
            "blocking": self.tr("Must be fixed"),
        }
        self.report_list.clear()
        order = {"blocking": 0, "warning": 1, "ok": 2}
        for finding in sorted(report.findings, key=lambda f: order[f.severity.value]):
            message, advice, _translated = finding_text(
                finding, report, for_enrollment=self.for_enrollment
            )
            text = message if not advice else f"{message}\n{advice}"
            item = QListWidgetItem(icons[finding.severity.value], text)
            item.setData(FindingKeyRole, finding.key)
            item.setData(SeverityRole, finding.severity.value)
            item.setToolTip(f"{names[finding.severity.value]}: {text}")
            self.report_list.addItem(item)
        self.report_box.setVisible(True)
        self.report_box.setEnabled(True)
        self.status_label.setText("")
        self.summary_label.setText(self.summary(report))
        convert = needs_conversion(report) and not self.converts_on_upload
        trim = trim_offered(report) and not convert
        self.convert_button.setText(
            self.tr("Convert to 16 kHz mono") if convert else self.tr("Trim silence")
        )
        self.convert_button.setToolTip(
            self.tr("Write a converted copy into the recordings folder; the original stays.")
            if convert
            else self.tr(
                "Cut the long silence before and after the speech, in a copy; the original stays."
            )
        )
        self.convert_button.setVisible(convert or trim)
        # What must be fixed shows at once; otherwise the list waits behind "Details".
        fatal = report.blocking and not (self.converts_on_upload and fixed_by_conversion(report))
        self.details_button.setChecked(fatal)
        self.report_list.setVisible(self.details_button.isChecked())
        if Path(self._path) == Path(report.path) and not self.recording:
            # the length of the take in use; a chosen file was not "recorded" (a tester's)
            self._update_elapsed(report.duration_seconds or 0.0, recorded=self._a_take_in_use())
        if (
            Path(self._path) == Path(report.path)
            and not report.blocking
            and not self.recording_box.isHidden()
        ):
            self.set_collapsed(True)
        if Path(self._path) == Path(report.path):
            # the verdict, and what blocks the take, in sight (a dialog on a laptop screen
            # scrolls: below the recorder they would be out of sight)
            reveal(self.report_box)

    def summary(self, report: AudioReport) -> str:
        """The check in one plain line: the verdict and the length of the speech."""
        seconds = report.speech_seconds
        if seconds is None:
            seconds = report.duration_seconds
        elif report.duration_seconds is not None:
            seconds = min(seconds, report.duration_seconds)  # (the detector's frames pad it)
        # an unreadable file has no length at all; whole seconds rounded down, as the take's
        # length beside it ("21 s recorded" showed next to "22 s of speech"), and so that a
        # 2.9 s clip, blocked for speaking under 3 s, does not read "3 s of speech"
        length = "" if seconds is None else fill(self.tr("%1 s of speech."), str(int(seconds)))
        if report.blocking:
            if self.converts_on_upload and fixed_by_conversion(report):
                return fill(
                    self.tr(
                        "%1 It is converted to 16 kHz mono 16-bit, the format Coze takes, "
                        "when sent; the original stays."
                    ),
                    length,
                )
            problems = sum(1 for f in report.findings if f.severity.value == "blocking")
            return self.tr("Cannot be used yet: %n problem(s) to fix, listed below.", "", problems)
        note = ""
        if self.converts_on_upload and needs_conversion(report):
            note = self.tr("It is converted to 16 kHz mono 16-bit when sent; the original stays.")
        # (sentences: no space after a full-width "。" in Chinese)
        if report.severity.value == "warning":
            return sentences(
                fill(self.tr("Usable. %1 See the details to make it better."), length), note
            )
        if not self.for_enrollment:
            return sentences(fill(self.tr("Good to identify. %1"), length), note)
        return sentences(fill(self.tr("Good for enrollment. %1"), length), note)

    def convert(self, *, trim: bool = True) -> None:
        """Write a 16 kHz mono copy of the checked file to the recordings folder; check it.

        ``trim``: also cut long silence before and after the speech.
        """
        report = self._report
        if report is None or self._converting:
            return
        src = Path(report.path)
        folder = self.folder
        segments = report.speech_segments
        speaker = take_speaker_name(self)

        task = conversion_task(src, folder, trim=trim, segments=segments, speaker=speaker)
        self._converting = True
        self.summary_label.setText(self.tr("Converting…"))
        self._update_buttons()
        self.state_changed.emit()
        self._submit(
            "convert",
            task,
            self._on_converted,
            self._on_convert_failed,
            on_dropped=discard_late_copy,
        )

    def _on_converted(self, result: object) -> None:
        assert isinstance(result, Path)
        self._converting = False
        self._path = str(result)
        self.file_ready.emit(self._path)
        self.check(self._path)
        self.status_label.setText(fill(self.tr("Copy saved as %1."), result.name))
        if self._takes_requested:
            self.refresh_takes()

    def _on_convert_failed(self, exc: object) -> None:
        self._converting = False
        self.summary_label.setText("")
        self.status_label.setText(error_words(exc))
        self._update_buttons()
        self.state_changed.emit()

    # -- recent takes -------------------------------------------------------------------

    def refresh_takes(self) -> None:
        """List the takes in the recordings folder on a worker (newest first)."""
        self._takes_requested = True
        folder = self.folder
        in_doubt = self.uploads_in_doubt

        def task(_ctx: TaskContext) -> tuple[list[Take], dict[str, list[str]]]:
            from voiceprint_studio.audio import list_takes

            takes = list_takes(folder)
            try:
                doubts = in_doubt() if in_doubt is not None else {}
            except OSError:  # (the journal unreadable: the takes are listed all the same)
                doubts = {}
            return takes, doubts

        self._submit("takes", task, self._on_takes_listed, self._on_takes_failed)

    def takes(self) -> list[str]:
        """The paths listed under "Recent takes", in order."""
        return [
            str(self.takes_list.item(row).data(TakePathRole))
            for row in range(self.takes_list.count())
        ]

    def select_take(self, path: str | Path) -> bool:
        """Select the listed take at ``path``; whether it is listed."""
        for row, listed in enumerate(self.takes()):
            if Path(listed) == Path(path):
                self.takes_list.setCurrentRow(row)
                return True
        return False

    def selected_take(self) -> str:
        """The path of the selected take ("" when none)."""
        item = self.takes_list.currentItem()
        return "" if item is None else str(item.data(TakePathRole))

    def _on_takes_listed(self, listed: object) -> None:
        assert isinstance(listed, tuple)
        result, self._in_doubt = listed
        selected = self.selected_take()
        self.takes_list.clear()
        for take in result:
            started = take.started or take.created
            text = fill(
                self.tr("%1 — started %2 — %3 (%4 MB)"),
                take.speaker or self.tr("(no name)"),
                started.strftime("%Y-%m-%d %H:%M:%S"),
                format_clock(take.duration_seconds),
                format_mb(take.size_bytes),
            )
            item = QListWidgetItem(text)
            item.setData(TakePathRole, str(take.path))
            item.setToolTip(str(take.path))
            self.takes_list.addItem(item)
        if not result:
            empty = QListWidgetItem(self.tr("No takes yet."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            empty.setData(TakePathRole, "")
            self.takes_list.addItem(empty)
        elif selected:
            self.select_take(selected)
        self._update_take_buttons()

    def _on_takes_failed(self, exc: object) -> None:
        self.takes_list.clear()
        item = QListWidgetItem(error_words(exc, recording=False))
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setData(TakePathRole, "")
        self.takes_list.addItem(item)
        self._update_take_buttons()

    def relabel(self) -> None:
        """Label the take in use with the owner's speaker name as it is now (the name typed
        or changed after the take was made): Earlier takes lists it under that name."""
        if self.holds_a_take() and not self.recording:
            self.label_take(self._path, take_speaker_name(self))

    def label_take(self, path: str | Path, speaker: str) -> None:
        """Store ``speaker`` as whose the take at ``path`` is (a take in the recordings folder)."""
        text, name = str(path), speaker.strip()
        if not text or not name or not Path(text).name.startswith("take-"):
            return

        def task(_ctx: TaskContext) -> None:
            from voiceprint_studio.audio.takes import set_take_speaker

            set_take_speaker(text, name)

        self.runner.submit(f"label:{text}", task)

    def use_take(self, path: str | Path) -> None:
        """Make the take at ``path`` the current file and check it (as a finished take)."""
        text = str(path)
        if not text or self.recording:
            return
        self.stop_playback()
        self._path = text
        self.file_ready.emit(text)
        self.check(text)

    def delete_take(self, path: str | Path) -> QMessageBox | None:
        """Ask to delete the take at ``path`` (the box names it); deletes on a worker."""
        text = str(path)
        if not text or self._deleting_take:
            return None
        row_text = next(
            (
                self.takes_list.item(row).text()
                for row in range(self.takes_list.count())
                if str(self.takes_list.item(row).data(TakePathRole)) == text
            ),
            "",
        )
        info = (
            fill(self.tr("%1\nThe file is removed from the disk; this cannot be undone."), row_text)
            if row_text
            else self.tr("The file is removed from the disk; this cannot be undone.")
        )
        doubts = self._in_doubt.get(str(Path(text)))
        if doubts:
            # a Retry of that upload sends this take again if it was not made after all
            info += "\n" + fill(
                self.tr(
                    "It was sent as “%1”, and that upload has had no answer yet: if the "
                    "voiceprint was not added, Retry needs this take. Keep it until the "
                    "voiceprints' list says whether it was added."
                ),
                "”, “".join(doubts),
            )
        box, _delete = ask_to_confirm(
            self,
            title=self.tr("Delete take"),
            text=fill(self.tr("Delete the take “%1”?"), Path(text).name),
            info=info,
            act=self.tr("Delete"),
            on_act=lambda: self._delete_take_now(text),
        )
        self.confirm_box = box
        return box

    def _delete_take_now(self, path: str) -> None:
        def task(_ctx: TaskContext) -> None:
            from voiceprint_studio.audio import delete_take

            delete_take(path)

        self._deleting_take = True
        self._update_take_buttons()
        self._pending_delete = path
        self._submit("delete_take", task, self._on_take_deleted, self._on_take_delete_failed)

    def _on_take_deleted(self, _result: object) -> None:
        self._deleting_take = False
        path = self._pending_delete
        if path and self._path and Path(self._path) == Path(path) and not self.busy:
            self._path = ""
            self.clear_report()
            self.waveform.set_samples(None)
            self._update_buttons()
        self.status_label.setText(fill(self.tr("Deleted the take %1."), Path(path).name))
        self.refresh_takes()

    def _on_take_delete_failed(self, exc: object) -> None:
        self._deleting_take = False
        self.status_label.setText(error_words(exc, recording=False))
        self.refresh_takes()

    def _update_take_buttons(self) -> None:
        has = bool(self.selected_take())
        self.use_take_button.setEnabled(has and not self.recording)
        self.delete_take_button.setEnabled(has and not self._deleting_take and not self.recording)

    # -- playback -----------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        """Whether the take is being played."""
        return self._play_stop is not None

    def play(self) -> None:
        """Play the current file on a worker."""
        path = self._path
        if not path or self.playing or self.recording:
            return
        stop = threading.Event()
        player = self._player

        def task(_ctx: TaskContext) -> bool:
            from voiceprint_studio.audio.playback import Player, decode_audio

            clip = decode_audio(Path(path).read_bytes())
            return (player or Player()).play(clip, stop)

        self._play_stop = stop
        self._update_buttons()
        self.play_runner.submit(
            "play",
            task,
            on_failure=self._guard(self._on_play_failed),
            on_finished=self._guard(self._on_play_finished),
        )

    def stop_playback(self) -> None:
        """Stop playing (the worker notices within 50 ms)."""
        if self._play_stop is not None:
            self._play_stop.set()

    def hideEvent(self, event: QHideEvent) -> None:
        """Out of sight -- its page left (the wizard's Next or Back), its dialog closed --
        the take stops playing: its Stop button can no longer be reached. Not when the
        window is minimised (a spontaneous hide): that is still the operator listening."""
        if not event.spontaneous():
            self.stop_playback()
        super().hideEvent(event)

    def _on_play_failed(self, exc: object) -> None:
        self._show_system_error(exc, recording=False)

    def _on_play_finished(self, *_args: object) -> None:
        self._play_stop = None
        self._update_buttons()

    # -- plumbing -----------------------------------------------------------------------

    def _guard(self, fn: Callable[..., None]) -> Callable[..., None]:
        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                fn(*args)

        return call

    def _submit(
        self,
        key: str,
        fn: Callable[[TaskContext], Any],
        on_success: Callable[[object], None],
        on_failure: Callable[[object], None],
        on_dropped: Callable[[object], None] | None = None,
    ) -> None:
        self.runner.submit(
            key,
            fn,
            self._guard(on_success),
            on_failure=self._guard(on_failure),
            on_dropped=on_dropped,
        )

    def _show_system_error(self, exc: object, *, recording: bool = True) -> None:
        if exc is None:
            self.system_label.setText("")
            self.system_label.setToolTip("")
            self.system_label.setVisible(False)
            return
        self.system_label.setText(error_words(exc, recording=recording))
        # the details (device name, PortAudio's own English text) go to the log, not the
        # screen: the operator reads the sentence above in their language
        _log.info("sound system: %s", exc)
        self.system_label.setToolTip("")
        self.system_label.setVisible(not self.recording_box.isHidden() or not recording)

    def _a_take_in_use(self) -> bool:
        """Whether the audio in use was recorded here (a take, or a take's converted copy),
        not a file the operator chose."""
        from voiceprint_studio.audio.takes import TAKE_PREFIX

        return not self._path or Path(self._path).name.startswith(TAKE_PREFIX)

    def _update_buttons(self) -> None:
        # Enabled while the device opens or the take is saved too (a press then does
        # nothing), so the keyboard focus stays on it: Space records, Space stops.
        self.record_button.setEnabled(bool(self._devices) or self.recording)
        if self._recording:
            self.record_button.setText(self.tr("■ Stop"))
        elif self._collapsed and not self._a_take_in_use():
            self.record_button.setText(self.tr("● Record instead…"))
        elif self._collapsed:
            self.record_button.setText(self.tr("● Record again…"))
        else:
            self.record_button.setText(self.tr("● Record"))
        self.device_combo.setEnabled(bool(self._devices) and not self.recording)
        self.refresh_button.setEnabled(self._devices_requested and not self.recording)
        self.play_button.setEnabled((bool(self._path) and not self.recording) or self.playing)
        self.play_button.setText(self.tr("■ Stop playing") if self.playing else self.tr("▶ Play"))
        self.convert_button.setEnabled(
            self._report is not None and not self.checking and not self.recording
        )
        self._update_take_buttons()

    def shutdown(self) -> None:
        """Stop everything (the dialog closes): end a take, stop playing, drop pending results."""
        self.timer.stop()
        self.stop_playback()
        self.runner.cancel_all()
        self.play_runner.cancel_all()
        with self._start_lock:
            # a take a worker is opening now ends as soon as it has started
            self._closed = True
            opening, self._opening = self._opening, []
        for recorder in {id(r): r for r in [self._recorder, *opening] if r is not None}.values():
            recorder.stop(timeout=5.0)  # joins the writer thread; the take stays on disk
        self._recording = self._starting = self._stopping = False

    # -- slots --------------------------------------------------------------------------

    @Slot(int)
    def on_device_combo_changed(self, row: int) -> None:
        if 0 <= row < len(self._devices) and self.preferences is not None:
            self.preferences.set(prefs.INPUT_DEVICE, self._devices[row].key)

    @Slot()
    def on_refresh_button_clicked(self) -> None:
        self.refresh_devices()

    @Slot()
    def on_record_button_clicked(self) -> None:
        # the button takes the keyboard focus (Space stops the take), also where a click
        # leaves it elsewhere (macOS): the name typed before is not being typed into
        self.record_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._recording:
            self.stop_recording()
        elif self._collapsed and not self._starting:
            # "Record again…" opens the recorder (the microphone, the text to read) and
            # records on the next press: started at once, the row it is on moved down
            # under the opened parts, and Stop was no longer under the mouse
            self.set_collapsed(False)
            reveal(self.recording_box)
        else:
            self.start_recording()

    @Slot()
    def on_play_button_clicked(self) -> None:
        if self.playing:
            self.stop_playback()
        else:
            self.play()

    @Slot()
    def on_convert_button_clicked(self) -> None:
        self.convert()

    @Slot(bool)
    def on_details_button_toggled(self, shown: bool) -> None:
        self.report_list.setVisible(shown)
        # says what a press does now (it hid the list under the same "Details": a tester's)
        self.details_button.setText(self.tr("Hide details") if shown else self.tr("Details"))
        if shown:
            reveal(self.report_box)

    @Slot(bool)
    def on_takes_button_toggled(self, shown: bool) -> None:
        self.takes_box.setVisible(shown and self.recording_box.isVisible())
        if shown and not self._takes_requested:
            self.refresh_takes()

    @Slot(int)
    def on_takes_list_current_row_changed(self, _row: int) -> None:
        self._update_take_buttons()

    @Slot(QListWidgetItem)
    def on_takes_list_item_double_clicked(self, item: QListWidgetItem) -> None:
        path = str(item.data(TakePathRole) or "")
        if path:
            self.use_take(path)

    @Slot()
    def on_use_take_button_clicked(self) -> None:
        self.use_take(self.selected_take())

    @Slot()
    def on_delete_take_button_clicked(self) -> None:
        self.delete_take(self.selected_take())

    @Slot()
    def on_timer_timeout(self) -> None:
        self._poll()
        recorder = self._recorder
        if recorder is not None and self._recording and not recorder.is_recording:
            self.stop_recording()  # the limit or a lost device ended the take: reap it
