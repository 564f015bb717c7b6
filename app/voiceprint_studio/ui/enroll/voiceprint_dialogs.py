"""The dialog to add a voiceprint, edit its name and description, or replace its audio.

The file is chosen in a path box (typed, pasted or filled by Browse…), so
tests set it without the native file dialog. Like the group dialog it never
calls the server itself: OK emits ``save_requested`` with a
:class:`VoiceprintRequest`, the voiceprints view runs the upload and reports
progress ("1.2 MB of 3.9 MB") back; Cancel upload emits ``cancel_requested``.
After a failure the dialog stays open with everything chosen, and OK reads
"Retry".

Adding and replacing offer two ways to the audio: "Record with the microphone"
(the first; the last choice is remembered in ``preferences.ENROLL_SOURCE``) and
"Use a file". Recording uses a
:class:`~voiceprint_studio.ui.recorder.panel.RecorderPanel`: the take is written
to the recordings folder and put in the path box only once its file is closed,
then checked; the take just recorded is always the one used (an earlier take only
when the operator picks it). A file chosen with Browse… (or checked with Check)
is checked too. While that check runs, or while it has a blocking finding for the
file in the path box, OK stays disabled and says why. Enter presses OK ("Add"),
never a recorder button.

Every file's format is read on a worker when it is chosen; one Coze would reject
as it is (sample rate, channels, bit depth, type or size) is converted when OK is
pressed into a 16 kHz mono 16-bit copy in the recordings folder (the original is
untouched), the copy is sent, and the dialog says so. The contents scroll inside a
dialog that fits the screen's available area; the buttons stay pinned below.

Adding and replacing also offer the duplicate check
(:mod:`~voiceprint_studio.ui.enroll.duplicate_check`): when it is ticked, OK first
identifies the take against the group on a worker (Cancel check stops it) and
warns when it already matches a voiceprint; ``save_requested`` is emitted only
when there is no match or the operator chose "Enroll anyway". Replacing leaves
the voiceprint being replaced out of the match. The dialog finds the workspace
to check in on its parent (the voiceprints view) unless one is given.

Adding can target several groups (:mod:`~voiceprint_studio.ui.enroll.multi_group`):
"Also add to other groups" lists the workspace's groups with their counts, the
dialog's group ticked. With more than that one group chosen, OK says first how many
API calls it makes (and asks when that would pass the call budget), then the dialog
runs the enrollment itself -- fresh counts, one upload per group, each journalled --
shows a line per group (added, skipped and why, not added and why) and offers
"Retry failed"; ``multi_enrolled`` tells the view. Adding to the one group alone
still emits ``save_requested`` as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import Voiceprint, VoiceprintGroup
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.ui.common.confirm import ACT_BUTTON, ask_to_discard
from voiceprint_studio.ui.common.fit import ScrollBody, keep_on_screen
from voiceprint_studio.ui.common.folders import remember, start_folder
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner
from voiceprint_studio.ui.enroll.duplicate_check import (
    CheckRequest,
    DuplicateCheck,
    DuplicateCheckBox,
)
from voiceprint_studio.ui.enroll.multi_group import (
    EnrollRequest,
    GroupPicker,
    MultiEnroll,
    MultiGroupWords,
    ResultList,
    loaded_groups,
)
from voiceprint_studio.ui.enroll.pending import takes_in_doubt
from voiceprint_studio.ui.groups.group_dialogs import NameDescFields
from voiceprint_studio.ui.recorder.conversion import fixed_by_conversion, needs_conversion
from voiceprint_studio.ui.recorder.panel import (
    RecorderPanel,
    conversion_task,
    discard_late_copy,
)
from voiceprint_studio.ui.recorder.words import error_words

if TYPE_CHECKING:
    from voiceprint_studio.transfer.trash import Entry

_ERROR_COLOR = "#c92a2a"


def _needs_conversion(path: str) -> bool:
    """Whether Coze would reject the audio file at ``path`` as it is (reads its header)."""
    import soundfile

    from voiceprint_studio.audio import thresholds as th

    info = soundfile.info(path)
    return (
        Path(path).suffix.lower() != ".wav"
        or info.format != "WAV"
        or info.samplerate != th.TARGET_SAMPLE_RATE
        or info.channels != th.TARGET_CHANNELS
        or info.subtype != "PCM_16"
        or Path(path).stat().st_size > th.MAX_UPLOAD_BYTES
    )


# The pcm layout Coze accepts, offered as the default.
DEFAULT_PCM_RATE = 16000
DEFAULT_PCM_CHANNELS = 1


def format_size(size: int) -> str:
    """A byte count for people: "820 bytes", "12.5 KB", "1.2 MB"."""
    if size < 1024:
        return QCoreApplication.translate("Sizes", "%1 bytes").replace("%1", str(size))
    if size < 1024 * 1024:
        return QCoreApplication.translate("Sizes", "%1 KB").replace("%1", f"{size / 1024:.1f}")
    megabytes = f"{size / (1024 * 1024):.1f}"
    return QCoreApplication.translate("Sizes", "%1 MB").replace("%1", megabytes)


def adds_here(workspace: Workspace | None) -> bool:
    """Whether a voiceprint sent to ``workspace`` stays on this computer (the offline
    workspace): the add dialog and the wizard then say "add", not "upload" (a tester's:
    nothing leaves the computer there, and the banner says so)."""
    return workspace is not None and workspace.coze_profile.offline


def blocked_words(workspace: Workspace | None) -> str:
    """ "The check found a problem that blocks the upload", or in the offline workspace
    "... that keeps it from being added" (:func:`adds_here`; a sentence's start)."""
    if adds_here(workspace):
        return QCoreApplication.translate(
            "SendingWords", "The check found a problem that keeps it from being added"
        )
    return QCoreApplication.translate(
        "SendingWords", "The check found a problem that blocks the upload"
    )


def sending_words(workspace: Workspace | None) -> str:
    """ "Adding…" or "Uploading…" (:func:`adds_here`)."""
    if adds_here(workspace):
        return QCoreApplication.translate("SendingWords", "Adding…")
    return QCoreApplication.translate("SendingWords", "Uploading…")


def stop_sending_words(workspace: Workspace | None) -> str:
    """The button that stops sending: "Stop adding" or "Cancel upload" (:func:`adds_here`)."""
    if adds_here(workspace):
        return QCoreApplication.translate("SendingWords", "Stop adding")
    return QCoreApplication.translate("SendingWords", "Cancel upload")


def open_enrollment_file_dialog(
    parent: QWidget, on_selected: Callable[[str], None], start: str = ""
) -> QFileDialog:
    """Open (non-blocking) the file dialog that picks an enrollment recording."""
    dialog = QFileDialog(
        parent,
        QCoreApplication.translate("VoiceprintDialog", "Choose the enrollment audio"),
        start or str(start_folder()),  # (not the folder the app was started from)
        QCoreApplication.translate("VoiceprintDialog", "Audio (*.wav *.pcm)"),
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(remember)
    dialog.fileSelected.connect(on_selected)
    dialog.open()
    return dialog


@dataclass(frozen=True)
class VoiceprintRequest:
    """What the operator asked for; None means "leave as it is"."""

    name: str | None = None
    desc: str | None = None
    path: str | None = None
    sample_rate: int | None = None
    channels: int | None = None


class VoiceprintDialog(QDialog):
    """Add a voiceprint (``mode="add"``), edit it (``"edit"``) or replace its audio (``"replace"``).

    Signals:
        save_requested(object): a :class:`VoiceprintRequest` to send.
        cancel_requested(): the operator wants the upload in flight stopped.
        progress_changed(int, int): bytes sent and the file's size, as shown.
        multi_enrolled(object): an enrollment into several groups ended (or a retry of
            it): the list of :class:`~voiceprint_studio.ui.enroll.multi_group.GroupResult`.
    """

    ADD = "add"
    EDIT = "edit"
    REPLACE = "replace"

    save_requested = Signal(object)
    cancel_requested = Signal()
    progress_changed = Signal(int, int)
    multi_enrolled = Signal(object)

    def __init__(
        self,
        mode: str,
        group: VoiceprintGroup,
        voiceprint: Voiceprint | None = None,
        parent: QWidget | None = None,
        *,
        preferences: Preferences | None = None,
        recorder_panel: RecorderPanel | None = None,
        workspace: Workspace | None = None,
        services: AppServices | None = None,
        groups: tuple[list[VoiceprintGroup], int] | None = None,
    ) -> None:
        super().__init__(parent)
        if services is None:  # the voiceprints view has the app's services (the journal)
            found_services = getattr(parent, "services", None)
            services = found_services if isinstance(found_services, AppServices) else None
        if preferences is None and services is not None:
            preferences = services.preferences
        if preferences is None:  # the voiceprints view has the app's services
            found = getattr(getattr(parent, "services", None), "preferences", None)
            preferences = found if isinstance(found, Preferences) else None
        if workspace is None:  # ... and the workspace the duplicate check runs in
            found_workspace = getattr(parent, "workspace", None)
            workspace = found_workspace if isinstance(found_workspace, Workspace) else None
        if mode not in (self.ADD, self.EDIT, self.REPLACE):
            raise ValueError(f"unknown mode {mode!r}")
        if mode != self.ADD and voiceprint is None:
            raise ValueError(f"mode {mode!r} needs a voiceprint")
        self.services = services
        self.mode = mode
        self.group = group
        self.voiceprint = voiceprint
        self.busy = False
        self.uploading = False
        self.checking = False
        self.workspace = workspace
        self.runner = TaskRunner(parent=self)
        runner = self.runner
        self.destroyed.connect(lambda: runner.shutdown())  # noqa: PLW0108
        self.file_dialog: QFileDialog | None = None
        self._pending: VoiceprintRequest | None = None
        # Converting the file for Coze before sending it (Add was pressed).
        self._converting = False
        # A converted copy that came back while "Close without adding?" was asked: (the
        # file chosen, the copy); the answer decides whether it is sent or deleted.
        self._held_copy: tuple[str, Path] | None = None
        # The path whose format is being read, and what was found: path -> needs conversion.
        self._probing = ""
        self._formats: dict[str, bool] = {}
        self._passed: set[str] = set()  # files whose check allows the upload
        # Replace audio: the old audio is in "Recently deleted" (set by the view's worker),
        # in this entry (None: it had no audio to keep)
        self.old_audio_kept = False
        self.old_audio_entry: Entry | None = None
        # Replace audio: a try ended without an answer after sending (the audio may have
        # been replaced: the old audio's entry then stays even if the dialog is closed)
        self.replace_in_doubt = False
        self._counted_groups: set[str] = set()  # groups whose shown count includes this one
        self._unreadable: set[str] = set()  # files whose format could not be read
        self._enter_pressed_on = ""  # Enter in the path box while its format was read
        # "Close without adding?", while it asks (see :meth:`reject`)
        self.discard_box: QMessageBox | None = None
        vp_name = voiceprint.name if voiceprint is not None else ""
        if mode == self.ADD:
            self.setWindowTitle(self.tr("Add voiceprint"))
            heading = self.tr("Add a voiceprint to the group “%1”.").replace("%1", group.name)
        elif mode == self.EDIT:
            self.setWindowTitle(self.tr("Edit voiceprint"))
            heading = self.tr("Change the name or description of “%1”.").replace("%1", vp_name)
        else:
            self.setWindowTitle(self.tr("Replace audio"))
            heading = self.tr(
                "Replace the enrollment audio of “%1”. The old recording is kept in File > "
                "Recently deleted for 30 days."
            ).replace("%1", vp_name)
        self.heading_label = QLabel(heading)
        self.heading_label.setWordWrap(True)

        # Everything but the progress, the message and the buttons scrolls when the
        # screen is too small for it; those stay pinned below.
        self.body_area = ScrollBody()
        layout = self.body_area.body_layout
        layout.addWidget(self.heading_label)

        self.fields: NameDescFields | None = None
        if mode in (self.ADD, self.EDIT):
            self.fields = NameDescFields(
                voiceprint.name if voiceprint else "",
                voiceprint.desc if voiceprint else "",
                name_placeholder=self.tr("The speaker's name, e.g. Wang Fang"),
            )
            self.fields.changed.connect(self.on_inputs_changed)
            layout.addWidget(self.fields)

        # -- the groups to enroll into (adding, with a workspace and the app's services)
        self.group_picker: GroupPicker | None = None
        # An enrollment into several groups ran (OK then retries the failed groups).
        self._multi_started = False
        self.multi = MultiEnroll(self.runner, self)
        self.multi.changed.connect(self.on_multi_changed)
        self.multi.progress.connect(self.on_multi_progress)
        self.multi.finished.connect(self.on_multi_finished)
        self._confirm_box: object | None = None
        if mode == self.ADD and workspace is not None and services is not None:
            count = getattr(parent, "count", None)
            self.group_picker = GroupPicker(
                group,
                count if isinstance(count, int) else group.feature_count,
                workspace,
                self.runner,
                known=groups if groups is not None else loaded_groups(parent),
            )
            self.group_picker.changed.connect(self.on_inputs_changed)
            layout.addWidget(self.group_picker)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Choose a wav or pcm file"))
        self.path_edit.textChanged.connect(self.on_path_edit_text_changed)
        self.path_edit.returnPressed.connect(self.on_path_edit_return_pressed)
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        self.check_button = QPushButton(self.tr("Chec&k"))
        self.check_button.setToolTip(self.tr("Check the file for enrollment before uploading it"))
        self.check_button.clicked.connect(self.on_check_button_clicked)
        # Enter goes to the dialog's button (Add), as in the recorder: after Browse… had
        # chosen a file, the focus stayed on it and Enter opened the file dialog again
        for button in (self.browse_button, self.check_button):
            button.setAutoDefault(False)
        self.sample_rate_spin = QSpinBox()
        self.sample_rate_spin.setRange(8000, 48000)
        self.sample_rate_spin.setSingleStep(8000)
        self.sample_rate_spin.setSuffix(" Hz")
        self.sample_rate_spin.setValue(DEFAULT_PCM_RATE)
        self.channels_spin = QSpinBox()
        self.channels_spin.setRange(1, 2)
        self.channels_spin.setValue(DEFAULT_PCM_CHANNELS)
        self.pcm_widget = QWidget()
        pcm_form = QFormLayout(self.pcm_widget)
        pcm_form.setContentsMargins(0, 0, 0, 0)
        pcm_form.addRow(self.tr("Sample rate:"), self.sample_rate_spin)
        pcm_form.addRow(self.tr("Channels:"), self.channels_spin)
        pcm_hint = QLabel(self.tr("Raw pcm has no header: Coze needs 16000 Hz, 1 channel, 16-bit."))
        pcm_hint.setWordWrap(True)
        pcm_form.addRow(pcm_hint)
        self.pcm_widget.setVisible(False)
        self.file_widget = QWidget()
        file_layout = QVBoxLayout(self.file_widget)
        file_layout.setContentsMargins(0, 0, 0, 0)
        path_row = QHBoxLayout()
        path_row.addWidget(QLabel(self.tr("Audio file:")))
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        path_row.addWidget(self.check_button)
        file_layout.addLayout(path_row)
        hint = QLabel(
            self.tr("A wav or pcm file of at most 4 MB with one person speaking clearly.")
        )
        hint.setWordWrap(True)
        file_layout.addWidget(hint)
        file_layout.addWidget(self.pcm_widget)
        self.file_widget.setVisible(mode != self.EDIT)

        # -- record (the first way) or choose a file (add and replace); the last choice
        # is remembered
        self.preferences = preferences
        self.record_radio = QRadioButton(self.tr("&Record with the microphone"))
        self.file_radio = QRadioButton(self.tr("Use a &file"))
        self.source_group = QButtonGroup(self)
        self.source_group.addButton(self.record_radio)
        self.source_group.addButton(self.file_radio)
        self.source_widget = QWidget()
        source_row = QHBoxLayout(self.source_widget)
        source_row.setContentsMargins(0, 0, 0, 0)
        source_row.addWidget(self.record_radio)
        source_row.addWidget(self.file_radio)
        source_row.addStretch(1)
        self.source_widget.setVisible(mode != self.EDIT)
        self.recorder_panel = recorder_panel or RecorderPanel(preferences)
        self.recorder_panel.setParent(self)
        if services is not None:  # (deleting a take an unanswered upload was sent from)
            self.recorder_panel.uploads_in_doubt = partial(
                takes_in_doubt, services.pending_journal()
            )
        self.recorder_panel.converts_on_upload = True
        self.recorder_panel.set_recording_visible(False)
        self.recorder_panel.setVisible(mode != self.EDIT)
        self.recorder_panel.file_ready.connect(self.on_recorder_panel_file_ready)
        self.recorder_panel.check_finished.connect(self.on_recorder_panel_check_finished)
        self.recorder_panel.state_changed.connect(self.on_inputs_changed)
        if self.fields is not None:
            self.recorder_panel.speaker_name = self.fields.name
            # a name typed after the take: Earlier takes lists the take under it
            self.fields.name_edit.editingFinished.connect(self.recorder_panel.relabel)
        layout.addWidget(self.source_widget)
        layout.addWidget(self.file_widget)
        layout.addWidget(self.recorder_panel)
        record = mode == self.EDIT or preferences is None
        if not record and preferences is not None:
            record = preferences.get(prefs.ENROLL_SOURCE) != "file"
        if mode != self.EDIT and record:
            self.record_radio.setChecked(True)
            self.file_widget.setVisible(False)
            self.recorder_panel.set_recording_visible(True)
        else:
            self.file_radio.setChecked(True)
        self.record_radio.toggled.connect(self.on_record_radio_toggled)

        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton(stop_sending_words(self.workspace))
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        self.progress_widget = QWidget()
        progress_row = QHBoxLayout(self.progress_widget)
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.cancel_button)
        self.progress_widget.setVisible(False)
        self.results_list = ResultList()  # one line per group, when adding to several

        # -- the duplicate check (a new take, when there is a workspace to check in)
        self.duplicate_box: DuplicateCheckBox | None = None
        if mode != self.EDIT and workspace is not None:
            self.duplicate_box = DuplicateCheckBox(preferences, workspace.coze_profile.offline)
            self.duplicate_box.toggled.connect(self.on_inputs_changed)
            layout.addWidget(self.duplicate_box)
        layout.addStretch(1)  # spare height stays below the contents
        self.duplicate_check = DuplicateCheck(self.runner, preferences, self)
        self.duplicate_check.enroll_confirmed.connect(self.on_duplicate_check_enroll_confirmed)
        self.duplicate_check.enroll_declined.connect(self.on_duplicate_check_enroll_declined)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(f"color: {_ERROR_COLOR};")
        self.note_label = QLabel()  # what Add did to the file (converted it), in plain words
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(False)
        self.summary_label = QLabel()  # after adding to several groups: "Added to 2 of 3."
        self.summary_label.setWordWrap(True)
        self.summary_label.setVisible(False)
        # why Enter did not add (OK disabled): said once Enter is pressed, kept up to date
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setVisible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self._ok_text = {
            self.ADD: self.tr("Add"),
            self.EDIT: self.tr("Save"),
            self.REPLACE: self.tr("Replace"),
        }[mode]
        self.ok_button.setText(self._ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.body_area, 1)
        outer.addWidget(self.note_label)
        outer.addWidget(self.progress_widget)
        outer.addWidget(self.summary_label)
        outer.addWidget(self.results_list)
        outer.addWidget(self.message_label)
        outer.addWidget(self.hint_label)
        outer.addWidget(self.buttons)
        # Enter adds (never records: the recorder's buttons are no default buttons). Set
        # once the button is in the dialog, so the dialog knows its default button.
        self.ok_button.setDefault(True)
        self.setMinimumWidth(560 if mode != self.EDIT else 480)
        keep_on_screen(self, self.body_area.body)
        if self.fields is not None:
            self.fields.name_edit.setFocus()  # type the speaker's name first
        self.on_inputs_changed()

    # -- state -------------------------------------------------------------------------

    def path(self) -> str:
        """The chosen file path (stripped)."""
        return self.path_edit.text().strip()

    def set_path(self, path: str | Path) -> None:
        """Choose the file to upload (shows the file row)."""
        if self.mode != self.EDIT and not self.file_radio.isChecked():
            self.set_source(False)
        self.path_edit.setText(str(path))

    def reading_file(self) -> bool:
        """Whether the chosen file is being read: its format, its conversion or its check
        (Add waits for it)."""
        return bool(self._probing) or self._converting or self._being_checked(self.path())

    def _being_checked(self, path: str) -> bool:
        """Whether the recorder panel's check is reading ``path`` now."""
        panel = self.recorder_panel
        return panel.checking and bool(path) and Path(panel.checking_path() or ".") == Path(path)

    def is_pcm(self) -> bool:
        """Whether the chosen file is raw pcm (asks for its layout)."""
        return Path(self.path()).suffix.lower() == ".pcm"

    def problem(self) -> str:
        """Why OK is disabled, in words; empty when it is not."""
        if self._multi_started:
            if self.multi.running:
                return sending_words(self.workspace)
            if any(result.retryable for result in self.multi.results):
                return ""
            return self.tr("Done: see the result for each group above, then close the dialog.")
        if self.fields is not None and self.fields.problem():
            return self.fields.problem()
        if self.mode == self.EDIT:
            return ""
        if self.group_picker is not None and self.group_picker.problem():
            return self.group_picker.problem()
        panel = self.recorder_panel
        if panel.recording:
            return self.tr("Stop the recording first.")
        if not self.path():
            if self.record_radio.isChecked():
                return self.tr("Record the audio, or choose a file.")
            return self.tr("Choose the audio file.")
        if panel.checking and Path(panel.checking_path() or panel.current_path()) == Path(
            self.path()
        ):
            return self.tr("Checking the recording…")
        report = panel.report_for(self.path())
        if report is not None and report.blocking and not fixed_by_conversion(report):
            return fill(self.tr("%1: see the check."), blocked_words(self.workspace))
        if self._probing and self._probing == self.path():
            return self.tr("Reading the file…")
        if self._converting:
            return self.tr("Converting the file for Coze…")
        if report is None and self.path() not in self._passed and not self.is_pcm():
            # a path typed or pasted (not chosen with Browse): nothing is sent unchecked
            if self._formats.get(self.path()) is None and self.path() in self._unreadable:
                return self.tr(
                    "This file cannot be read as audio: check the path, or choose the file "
                    "with Browse."
                )
            return self.tr("Check the file first: press Check.")
        if self.is_pcm() and (
            self.sample_rate_spin.value() != DEFAULT_PCM_RATE
            or self.channels_spin.value() != DEFAULT_PCM_CHANNELS
        ):
            return self.tr(
                "Coze accepts raw pcm only as 16000 Hz, 1 channel: choose a wav file instead."
            )
        return ""

    def request(self) -> VoiceprintRequest:
        """What to send, from the inputs."""
        name = desc = path = None
        rate = channels = None
        if self.fields is not None:
            name, desc = self.fields.name(), self.fields.desc()
            if self.mode == self.EDIT and self.voiceprint is not None:
                name = None if name == self.voiceprint.name.strip() else name
                desc = None if desc == self.voiceprint.desc.strip() else desc
        if self.mode != self.EDIT:
            path = self.path()
            if self.is_pcm():
                rate, channels = self.sample_rate_spin.value(), self.channels_spin.value()
        return VoiceprintRequest(name, desc, path, rate, channels)

    def set_busy(self, busy: bool, *, uploading: bool = False, checking: bool = False) -> None:
        """Lock the inputs while a request runs; show progress and Cancel for uploads.

        ``checking``: the duplicate check runs (progress and "Cancel check").
        """
        self.busy = busy
        self.uploading = busy and uploading
        self.checking = busy and checking
        if self.duplicate_box is not None:
            self.duplicate_box.setEnabled(not busy)
        if self.group_picker is not None:
            self.group_picker.set_locked(busy)
        if self.fields is not None:
            self.fields.setEnabled(not busy)
        self.path_edit.setEnabled(not busy)
        self.browse_button.setEnabled(not busy)
        self.check_button.setEnabled(not busy)
        self.pcm_widget.setEnabled(not busy)
        self.source_widget.setEnabled(not busy)
        self.recorder_panel.setEnabled(not busy)
        self.progress_widget.setVisible(self.uploading or self.checking)
        self.cancel_button.setEnabled(self.uploading or self.checking)
        self.cancel_button.setText(
            self.tr("Cancel check") if self.checking else stop_sending_words(self.workspace)
        )
        self.close_button.setEnabled(not busy)
        if busy:
            self.message_label.setText("")
            self.progress_bar.setRange(0, 0)
            if self.checking:
                text = self.tr("Checking that this voice is not already in the group…")
            else:
                text = self.tr("Checking the file…") if uploading else ""
            self.progress_label.setText(text)
        self.on_inputs_changed()

    def set_progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` bytes sent."""
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(int(1000 * done / total) if total else 0)
        self.progress_label.setText(
            self.tr("%1 of %2").replace("%1", format_size(done)).replace("%2", format_size(total))
        )
        self.progress_changed.emit(done, total)

    def show_failure(self, text: str) -> None:
        """End the request, keep every input, explain and offer Retry."""
        self.set_busy(False)
        self.message_label.setText(text)
        self.ok_button.setText(self.tr("Retry"))

    def finish(self) -> None:
        """Close as accepted (the server saved it)."""
        self.busy = self.uploading = False
        super().accept()

    def set_source(self, record: bool) -> None:
        """Choose "Record with the microphone" (True) or "Use a file" (False)."""
        (self.record_radio if record else self.file_radio).setChecked(True)

    def recording_source(self) -> bool:
        """Whether the audio comes from the microphone (else from a file)."""
        return self.record_radio.isChecked()

    def done(self, result: int) -> None:
        """Close: end a take still recording (it stays on disk), stop playing and checking;
        a converted copy nobody will send is deleted."""
        held, self._held_copy = self._held_copy, None
        if held is not None:
            discard_late_copy(held[1])
        self.multi.cancel()
        self.recorder_panel.shutdown()
        self.duplicate_check.shutdown()
        self.runner.shutdown()
        super().done(result)

    def duplicate_check_wanted(self) -> bool:
        """Whether OK runs the duplicate check first (ticked, for a new take)."""
        return (
            self.duplicate_box is not None
            and self.duplicate_box.isChecked()
            and self.workspace is not None
        )

    def _check_request(self, request: VoiceprintRequest) -> CheckRequest | None:
        if request.path is None or not self.duplicate_check_wanted():
            return None
        # Adding to several groups: the check runs once, against the first one chosen.
        targets = self.group_picker.targets() if self.group_picker is not None else []
        group_id, group_name = (
            (targets[0].id, targets[0].name) if targets else (self.group.id, self.group.name)
        )
        check = CheckRequest(
            group_id,
            group_name,
            request.path,
            request.sample_rate,
            request.channels,
            exclude_id=self.voiceprint.id if self.voiceprint is not None else "",
        )
        return check if self.duplicate_check.needed(check) else None

    # -- QDialog -----------------------------------------------------------------------

    def accept(self) -> None:
        """Ask for the save when the inputs are valid; stays open until :meth:`finish`.

        A file Coze would reject as it is (sample rate, channels, bit depth, size, type)
        is first converted into a 16 kHz mono 16-bit copy in the recordings folder (the
        original is untouched), and the copy is sent; the dialog says so.
        """
        if self._multi_started:  # after adding to several groups, OK retries the failed ones
            if not self.busy and not self.multi.running and not self.problem():
                self.set_busy(True, uploading=True)
                self.summary_label.setVisible(False)
                self.multi.retry()
            return
        if self.busy or self.problem():
            return
        if self.mode != self.EDIT and self._formats.get(self.path()):
            self.convert_for_upload()
            return
        self.recorder_panel.label_take(
            self.path(), self.fields.name() if self.fields is not None else ""
        )
        request = self.request()
        if self.mode == self.EDIT and request.name is None and request.desc is None:
            super().accept()  # nothing changed
            return
        check = self._check_request(request)
        if check is not None and self.workspace is not None:
            self._pending = request
            self.set_busy(True, checking=True)
            self.duplicate_check.start(self.workspace, check)
            return
        self._send(request)

    def _send(self, request: VoiceprintRequest) -> None:
        """Hand the request to the view, or enroll into several groups here."""
        picker = self.group_picker
        if picker is None or not picker.multi() or request.path is None or not request.name:
            self.save_requested.emit(request)
            return
        workspace, services = self.workspace, self.services
        assert workspace is not None and services is not None
        self._confirm_box = picker.ask_before(
            self, services.budget, workspace.coze_profile, lambda: self._start_multi(request)
        )

    def _start_multi(self, request: VoiceprintRequest) -> None:
        picker, workspace, services = self.group_picker, self.workspace, self.services
        assert picker is not None and workspace is not None and services is not None
        assert request.path is not None and request.name is not None
        self._multi_started = True
        self.set_busy(True, uploading=True)
        self.progress_label.setText(self.tr("Checking that the groups still have room…"))
        self.multi.start(
            workspace,
            services.pending_journal(),
            picker.targets(),
            EnrollRequest(
                request.name,
                request.path,
                request.desc or "",
                request.sample_rate,
                request.channels,
            ),
            groups_total=picker.groups_total,
        )

    def _lock_inputs(self) -> None:
        """After an enrollment into several groups: the take and the name were sent."""
        for widget in (
            self.fields,
            self.duplicate_box,
            self.path_edit,
            self.browse_button,
            self.check_button,
            self.pcm_widget,
            self.source_widget,
            self.recorder_panel,
        ):
            if widget is not None:
                widget.setEnabled(False)
        if self.group_picker is not None:
            self.group_picker.set_locked(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter while the dialog's button is disabled says why, under the form (the
        button's tooltip says it too, but Enter gave no sign at all)."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        problem = self.problem() if enter and not self.ok_button.isEnabled() else ""
        if problem and not self.busy:
            self.hint_label.setText(problem)
            self.hint_label.setVisible(True)
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Close; while uploading or checking, cancel that first (the dialog stays open).

        With something the operator entered and not yet sent (a name or description
        typed, a take or a file chosen, a take being recorded), asks first: Escape or the
        close button must not throw that away unasked (see :meth:`unsaved`)."""
        if self.uploading or self.checking:
            self.on_cancel_button_clicked()
            return
        if self.busy:
            return
        if self.discard_box is not None:  # (asking already)
            return
        if self.unsaved():
            self._ask_before_closing()
            return
        super().reject()

    def unsaved(self) -> bool:
        """Whether closing now would drop input that was not sent: a typed name or
        description (in the edit dialog: a changed one), a chosen take or file, or a take
        being recorded (the take itself stays on disk, under Earlier takes)."""
        if self._multi_started:
            return False
        return self._typed() or bool(self.path()) or self.recorder_panel.recording

    def _typed(self) -> bool:
        """Whether the name or description holds something the operator typed."""
        if self.fields is None:
            return False
        name, desc = self.fields.name(), self.fields.desc()
        if self.mode == self.EDIT and self.voiceprint is not None:
            return (name, desc) != (self.voiceprint.name.strip(), self.voiceprint.desc.strip())
        return bool(name or desc)

    def _ask_before_closing(self) -> None:
        def closed() -> None:
            box, self.discard_box = self.discard_box, None
            held, self._held_copy = self._held_copy, None
            if held is None:
                return
            clicked = box.clickedButton() if box is not None else None
            if clicked is not None and clicked.objectName() == ACT_BUTTON:
                # closing without adding: the copy made for the upload is not left behind
                self._converting = False
                discard_late_copy(held[1])
            else:  # kept editing: the Add pressed before goes on
                self._use_converted(*held)

        if self.mode == self.ADD:
            question = self.tr("Close without adding the voiceprint?")
            act = self.tr("Close without adding")
        elif self.mode == self.REPLACE:
            question = self.tr("Close without replacing the audio?")
            act = self.tr("Close without replacing")
        else:
            question = self.tr("Close without saving the changes?")
            act = self.tr("Close without saving")
        self.discard_box = ask_to_discard(
            self,
            question=question,
            act=act,
            typed=self._typed(),
            recorded=self.recorder_panel.holds_a_take(),
            busy=lambda: self.busy,
            on_closed=closed,
        )

    # -- slots -------------------------------------------------------------------------

    # -- the file's format ---------------------------------------------------------------

    def _probe(self) -> None:
        """Read the chosen file's format on a worker: does Coze take it as it is?"""
        path = self.path()
        if self.mode == self.EDIT or not path or self.is_pcm() or path in self._formats:
            self._probing = ""
            return
        self._probing = path
        self._unreadable.discard(path)  # (it may be there now)

        def task(_ctx: TaskContext) -> bool:
            return _needs_conversion(path)

        def done(result: object) -> None:
            self._probing = ""
            self._formats[path] = bool(result)
            if (
                path == self.path()
                and self.recorder_panel.report_for(path) is None
                and not self._being_checked(path)
                and path not in self._passed
            ):
                self.check_file()  # a typed path to an audio file: checked like a chosen one
            self.on_inputs_changed()

        def failed(_exc: object) -> None:  # unreadable: Check (the checker) says why
            self._probing = ""
            self._unreadable.add(path)
            if self._enter_pressed_on == path == self.path():
                self.check_file()  # Enter was pressed while it was read: say why now
            self._enter_pressed_on = ""
            self.on_inputs_changed()

        self.runner.submit("probe", task, done, on_failure=failed)

    def convert_for_upload(self) -> None:
        """Write the 16 kHz mono 16-bit copy Coze takes (on a worker), then send it."""
        src = self.path()
        if not src or self._converting:
            return
        folder = self.recorder_panel.folder
        speaker = self.fields.name() if self.fields is not None else ""

        task = conversion_task(src, folder, trim=False, speaker=speaker)

        def done(result: object) -> None:
            assert isinstance(result, Path)
            if self.discard_box is not None:  # "Close without adding?": the answer decides
                self._held_copy = (src, result)
                return
            self._use_converted(src, result)

        def failed(exc: object) -> None:
            self._converting = False
            self.message_label.setText(error_words(exc, recording=False))
            self.on_inputs_changed()

        self._converting = True
        self.message_label.setText("")
        self.on_inputs_changed()
        self.runner.submit("convert", task, done, on_failure=failed, on_dropped=discard_late_copy)

    def _use_converted(self, src: str, result: Path) -> None:
        """Send the converted copy ``result`` of ``src`` (Add was pressed)."""
        self._converting = False
        self._formats[str(result)] = False
        if src in self._passed:  # the copy differs only in the format it fixed
            self._passed.add(str(result))
        self.path_edit.setText(str(result))
        self.note_label.setText(
            fill(
                self.tr(
                    "Converted to 16 kHz mono 16-bit, the format Coze takes: %1 is sent; "
                    "the original file is unchanged."
                ),
                result.name,
            )
        )
        self.note_label.setVisible(True)
        self.on_inputs_changed()
        self.accept()

    @Slot()
    def on_inputs_changed(self) -> None:
        picker, services, workspace = self.group_picker, self.services, self.workspace
        if picker is not None and services is not None and workspace and not self._multi_started:
            picker.set_cost(
                services.budget,
                workspace.coze_profile,
                duplicate_check=self.duplicate_check_wanted(),
            )
        problem = self.problem()
        self.ok_button.setEnabled(not self.busy and not problem)
        self.ok_button.setToolTip(problem)
        if self.hint_label.isVisibleTo(self):
            self.hint_label.setText(problem)
            self.hint_label.setVisible(bool(problem) and not self.busy)

    @Slot(object)
    def on_recorder_panel_check_finished(self, report: object) -> None:
        from voiceprint_studio.audio.checker import AudioReport  # loaded: it made ``report``

        path = str(getattr(report, "path", ""))
        if path:  # the check read the format too
            self._formats[path] = needs_conversion(report)
            if isinstance(report, AudioReport) and (
                not report.blocking or fixed_by_conversion(report)
            ):
                self._passed.add(path)
            else:
                self._passed.discard(path)
            if self._probing == path:
                self.runner.cancel("probe")
                self._probing = ""
        self.on_inputs_changed()

    @Slot(str)
    def on_path_edit_text_changed(self, _text: str) -> None:
        panel = self.recorder_panel
        stale = self.path() and Path(self.path()) != Path(panel.current_path() or ".")
        if stale and (panel.report() is not None or panel.checking):
            panel.clear_report()  # another file: the report no longer applies
        if stale and not self._converting:
            self.note_label.setVisible(False)
        self._probe()
        self.pcm_widget.setVisible(self.is_pcm())
        self.ok_button.setText(self._ok_text)
        self.message_label.setText("")
        self.on_inputs_changed()

    @Slot()
    def on_browse_button_clicked(self) -> None:
        start = str(Path(self.path()).parent) if self.path() else ""
        self.file_dialog = open_enrollment_file_dialog(
            self, self.on_file_dialog_file_selected, start
        )

    @Slot(str)
    def on_file_dialog_file_selected(self, path: str) -> None:
        if path:
            self.set_path(path)
            self.check_file()

    @Slot()
    def on_path_edit_return_pressed(self) -> None:
        """Enter in the path box: a path that cannot be read (yet) is checked at once, so
        the check says why (not there, not audio) instead of nothing happening; a path
        being read or checked, or already checked, is left to it (Enter then adds)."""
        path = self.path()
        if self._probing == path:
            self._enter_pressed_on = path  # the format is still being read: when it fails
            return
        panel = self.recorder_panel
        if (
            path
            and path in self._unreadable
            and panel.report_for(path) is None
            and not self._being_checked(path)
        ):
            self.check_file()

    def check_file(self) -> None:
        """Check the file in the path box (on a worker; the report shows below)."""
        if self.path() and not self.is_pcm():
            self.recorder_panel.check(self.path())
            self.on_inputs_changed()

    @Slot()
    def on_check_button_clicked(self) -> None:
        self.check_file()

    @Slot(bool)
    def on_record_radio_toggled(self, record: bool) -> None:
        self.file_widget.setVisible(not record)
        self.recorder_panel.set_recording_visible(record)
        if self.preferences is not None and self.mode != self.EDIT:
            self.preferences.set(prefs.ENROLL_SOURCE, "microphone" if record else "file")
        self.on_inputs_changed()

    @Slot(str)
    def on_recorder_panel_file_ready(self, path: str) -> None:
        self.path_edit.setText(path)  # a finished take or a converted copy, closed on disk

    @Slot()
    def on_duplicate_check_enroll_confirmed(self) -> None:
        request, self._pending = self._pending, None
        self.set_busy(False)
        if request is not None:
            self._send(request)

    @Slot(str)
    def on_duplicate_check_enroll_declined(self, reason: str) -> None:
        self._pending = None
        self.set_busy(False)
        self.message_label.setText(reason)

    @Slot()
    def on_multi_changed(self) -> None:
        multi = self.multi
        self.results_list.show_results(multi.results)
        index = multi.sending
        if index >= 0 and self.cancel_button.isEnabled():
            self.progress_bar.setRange(0, 0)
            self.progress_label.setText(
                fill(
                    self.tr("Adding to “%1” (%2 of %3)…")
                    if adds_here(self.workspace)
                    else self.tr("Uploading to “%1” (%2 of %3)…"),
                    multi.results[index].target.name,
                    str(index + 1),
                    str(len(multi.results)),
                )
            )

    @Slot(int, int)
    def on_multi_progress(self, done: int, total: int) -> None:
        multi = self.multi
        index = multi.sending
        if index < 0 or not self.cancel_button.isEnabled():
            return
        self.set_progress(done, total)
        self.progress_label.setText(
            fill(
                self.tr("“%1” (%2 of %3): %4 of %5"),
                multi.results[index].target.name,
                str(index + 1),
                str(len(multi.results)),
                format_size(done),
                format_size(total),
            )
        )

    @Slot()
    def on_multi_finished(self) -> None:
        multi = self.multi
        results = list(multi.results)
        self.set_busy(False)
        self._lock_inputs()
        added = sum(1 for result in results if result.added)
        summary = MultiGroupWords().summary(added, len(results))
        if self.group_picker is not None:  # the counts shown include what was just added
            now = {r.target.id for r in results if r.added} - self._counted_groups
            self._counted_groups |= now
            self.group_picker.note_added(now)
        kept = fill(self.tr("The recording is kept in %1."), self.path())
        self.summary_label.setText(f"{summary} {kept}")
        self.summary_label.setVisible(True)
        if multi.failure:
            self.message_label.setText(
                fill(
                    self.tr("The groups could not be checked: %1 Nothing was sent."),
                    multi.failure,
                )
            )
        self.on_inputs_changed()
        retry = any(result.retryable for result in results)
        if retry:
            self.ok_button.setText(self.tr("Retry failed"))
            self.ok_button.setToolTip(
                self.tr("Send again to the groups that did not get it; none gets it twice.")
            )
        self.ok_button.setVisible(retry)
        if not retry:
            self.close_button.setDefault(True)
            self.close_button.setFocus()
        self.multi_enrolled.emit(results)

    @Slot()
    def on_cancel_button_clicked(self) -> None:
        if self.multi.running:
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))
            self.multi.cancel()
            return
        if self.checking:
            self.cancel_button.setEnabled(False)
            self.duplicate_check.cancel()
            return
        if self.uploading:
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))
            self.cancel_requested.emit()
