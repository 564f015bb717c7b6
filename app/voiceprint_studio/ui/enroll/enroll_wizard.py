"""The enrollment wizard: add one voiceprint to a group, step by step, for first-time operators.

Steps (a :class:`QStackedWidget` in a dialog, Back / Next at the bottom):

1. name (and an optional description, validated like the group dialog's fields);
2. record a take, use a recent take, or choose a file (an embedded
   :class:`~voiceprint_studio.ui.recorder.panel.RecorderPanel`); a take playing stops
   when the step is left (Next, Back, Cancel, the wizard closed);
3. check: the panel's report, with "Convert to 16 kHz mono" when it helps;
   Next stays disabled while the check runs or finds a blocking problem. Here
   too the duplicate check can be ticked
   (:mod:`~voiceprint_studio.ui.enroll.duplicate_check`);
4. upload: first the duplicate check when ticked (identify the take against the
   group, Cancel stops it; a match asks "Enroll anyway" or "Don't enroll"), then
   :meth:`CozeClient.create_voiceprint` on a worker with byte progress
   and Cancel; a failure keeps the take on disk, explains it in words and offers Retry;
5. done: says the voiceprint was added to the group.

The take is already on disk before the upload, so nothing is lost when the
upload fails or is cancelled.

Step 1 also offers "Also add to other groups"
(:mod:`~voiceprint_studio.ui.enroll.multi_group`): with more than the wizard's group
chosen, Upload says first how many API calls it makes (asking when that would pass
the call budget), step 4 checks the groups' counts and uploads into each one after
the other with a line per group, Retry sends again to the groups that did not get it
(never twice), and step 5 lists the result per group.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import (
    AudioUpload,
    CancelToken,
    LocalValidationError,
    UploadCancelledError,
    VoiceprintGroup,
)
from voiceprint_studio.ui.common.confirm import ask_to_discard
from voiceprint_studio.ui.common.errors import ErrorPresenter, describe_error
from voiceprint_studio.ui.common.fit import ScrollBody, keep_on_screen
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import ProgressThrottle, TaskContext, TaskRunner
from voiceprint_studio.ui.enroll import pending
from voiceprint_studio.ui.enroll.duplicate_check import (
    CheckRequest,
    DuplicateCheck,
    DuplicateCheckBox,
)
from voiceprint_studio.ui.enroll.multi_group import (
    NOT_SENT,
    EnrollRequest,
    GroupPicker,
    MultiEnroll,
    MultiGroupWords,
    ResultList,
    loaded_groups,
)
from voiceprint_studio.ui.enroll.voiceprint_dialogs import (
    adds_here,
    blocked_words,
    format_size,
    open_enrollment_file_dialog,
    sending_words,
    stop_sending_words,
)
from voiceprint_studio.ui.groups.group_dialogs import NameDescFields
from voiceprint_studio.ui.recorder.conversion import fixed_by_conversion, needs_conversion
from voiceprint_studio.ui.recorder.panel import RecorderPanel

_ERROR_COLOR = "#c92a2a"

NAME_PAGE, AUDIO_PAGE, CHECK_PAGE, UPLOAD_PAGE, DONE_PAGE = range(5)


class EnrollWizard(QDialog):
    """Enroll a voiceprint into ``group`` in five steps (see the module docstring).

    Signals:
        enrolled(str): the voiceprint was created (its id).
        page_changed(int): the step shown changed (its index).
    """

    enrolled = Signal(str)
    page_changed = Signal(int)

    def __init__(
        self,
        services: AppServices,
        presenter: ErrorPresenter,
        workspace: Workspace,
        group: VoiceprintGroup,
        parent: QWidget | None = None,
        *,
        recorder_panel: RecorderPanel | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.presenter = presenter
        self.workspace = workspace
        self.group = group
        self.runner = TaskRunner(parent=self)
        runner = self.runner
        self.destroyed.connect(lambda: runner.shutdown())  # noqa: PLW0108
        self.voiceprint_id = ""
        self.uploading = False
        self.file_dialog: QFileDialog | None = None
        # "Close without adding the voiceprint?", while it is asked
        self.discard_box: QMessageBox | None = None
        self._token: CancelToken | None = None
        self._uploaded_path = ""
        self.setWindowTitle(self.tr("Enrollment wizard"))

        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-weight: bold;")
        self.stack = QStackedWidget()

        # -- 1. name
        name_page = QWidget()
        name_layout = QVBoxLayout(name_page)
        intro = QLabel(
            fill(
                self.tr(
                    "This wizard adds one person's voice to the group “%1”. "
                    "First enter the speaker's name."
                ),
                group.name,
            )
        )
        intro.setWordWrap(True)
        self.fields = NameDescFields(name_placeholder=self.tr("The speaker's name, e.g. Wang Fang"))
        self.fields.changed.connect(self.on_fields_changed)
        # ... and the groups: this one, and others if wanted
        self.multi = MultiEnroll(self.runner, self)
        self.multi.changed.connect(self.on_multi_changed)
        self.multi.progress.connect(self.on_multi_progress)
        self.multi.finished.connect(self.on_multi_finished)
        self._multi_started = False
        self._confirm_box: object | None = None
        self.group_picker = GroupPicker(
            group, group.feature_count, workspace, self.runner, known=loaded_groups(parent)
        )
        self.group_picker.changed.connect(self.on_fields_changed)
        name_layout.addWidget(intro)
        name_layout.addWidget(self.fields)
        name_layout.addWidget(self.group_picker)
        name_layout.addStretch(1)

        # -- 2. record or pick
        audio_page = QWidget()
        audio_layout = QVBoxLayout(audio_page)
        audio_intro = QLabel(
            self.tr(
                "Record the speaker reading the text below (10 to 30 seconds), or choose an "
                "existing wav file (or raw pcm: 16 kHz, mono, 16-bit). Then click Next."
            )
        )
        audio_intro.setWordWrap(True)
        self.recorder_panel = recorder_panel or RecorderPanel(services.preferences)
        self.recorder_panel.setParent(audio_page)
        # (deleting a take an unanswered upload was sent from)
        self.recorder_panel.uploads_in_doubt = partial(
            pending.takes_in_doubt, services.pending_journal()
        )
        # a file Coze does not take as it is (44.1 kHz, stereo...) is converted when Upload
        # is clicked, as the add dialog does (the wizard alone asked for Convert first)
        self.recorder_panel.converts_on_upload = True
        self._convert_for = ""  # the file being converted for Upload ("" when none)
        self.recorder_panel.state_changed.connect(self.on_recorder_panel_state_changed)
        self.recorder_panel.file_ready.connect(self.on_recorder_panel_file_ready)
        self.recorder_panel.check_finished.connect(self.on_recorder_panel_check_finished)
        # a take is listed under the name typed on the first step (not as "(no name)"),
        # and under the name it is changed to there later
        self.recorder_panel.speaker_name = self.fields.name
        self.fields.name_edit.editingFinished.connect(self.recorder_panel.relabel)
        self.choose_button = QPushButton(self.tr("Choose &file…"))
        self.choose_button.clicked.connect(self.on_choose_button_clicked)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_button)
        choose_row.addWidget(self.file_label, 1)
        audio_layout.addWidget(audio_intro)
        audio_layout.addWidget(self.recorder_panel)
        audio_layout.addLayout(choose_row)
        audio_layout.addStretch(1)

        # -- 3. check (the panel's report box moves here)
        check_page = QWidget()
        check_layout = QVBoxLayout(check_page)
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        check_layout.addWidget(self.check_label)
        check_layout.addWidget(self.recorder_panel.report_box, 1)
        self.duplicate_box = DuplicateCheckBox(services.preferences, workspace.coze_profile.offline)
        check_layout.addWidget(self.duplicate_box)
        self.duplicate_check = DuplicateCheck(self.runner, services.preferences, self)
        self.duplicate_check.enroll_confirmed.connect(self.on_duplicate_check_enroll_confirmed)
        self.duplicate_check.enroll_declined.connect(self.on_duplicate_check_enroll_declined)
        self.duplicate_check.state_changed.connect(self.on_duplicate_check_state_changed)

        # -- 4. upload
        upload_page = QWidget()
        upload_layout = QVBoxLayout(upload_page)
        self.upload_label = QLabel()
        self.upload_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.cancel_upload_button = QPushButton(stop_sending_words(self.workspace))
        self.cancel_upload_button.clicked.connect(self.on_cancel_upload_button_clicked)
        self.retry_button = QPushButton(self.tr("&Retry"))
        self.retry_button.clicked.connect(self.on_retry_button_clicked)
        self.retry_button.setVisible(False)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(f"color: {_ERROR_COLOR};")
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.cancel_upload_button)
        retry_row = QHBoxLayout()
        retry_row.addStretch(1)
        retry_row.addWidget(self.retry_button)
        upload_layout.addWidget(self.upload_label)
        upload_layout.addLayout(progress_row)
        self.results_list = ResultList()  # a line per group, when adding to several
        upload_layout.addWidget(self.results_list)
        upload_layout.addWidget(self.message_label)
        upload_layout.addLayout(retry_row)
        upload_layout.addStretch(1)

        # -- 5. done
        done_page = QWidget()
        done_layout = QVBoxLayout(done_page)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        done_layout.addWidget(self.done_label)
        self.done_results = ResultList()
        done_layout.addWidget(self.done_results)
        done_layout.addStretch(1)

        for page in (name_page, audio_page, check_page, upload_page, done_page):
            self.stack.addWidget(page)

        # -- buttons
        self.back_button = QPushButton(self.tr("< &Back"))
        self.back_button.clicked.connect(self.on_back_button_clicked)
        self.next_button = QPushButton(self.tr("&Next >"))
        self.next_button.clicked.connect(self.on_next_button_clicked)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.clicked.connect(self.reject)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint_label, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)

        # The step scrolls when the screen is too small; the buttons stay pinned below.
        self.body_area = ScrollBody()
        self.body_area.body_layout.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.body_area, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(600)
        keep_on_screen(self, self.body_area.body)
        # Enter goes on from any step: no other button takes it when it has the focus
        # (after a take was picked, "Choose file…" had it, and Enter opened the file picker)
        for button in self.findChildren(QPushButton):
            if button is not self.next_button:
                button.setAutoDefault(False)
        self.next_button.setDefault(True)  # set in the dialog: Enter goes on (never records)
        self._show_page(NAME_PAGE)

    # -- state -------------------------------------------------------------------------

    @property
    def page(self) -> int:
        """The index of the step shown (``NAME_PAGE`` ... ``DONE_PAGE``)."""
        return self.stack.currentIndex()

    def path(self) -> str:
        """The file to upload (the current take or chosen file)."""
        return self.recorder_panel.current_path()

    def problem(self) -> str:
        """Why Next is disabled on this step, in words ("" when it is not)."""
        panel = self.recorder_panel
        page = self.page
        if page == NAME_PAGE:
            return self.fields.problem() or self.group_picker.problem()
        if page == AUDIO_PAGE:
            if panel.recording:
                return self.tr("Stop the recording first.")
            if not self.path():
                return self.tr("Record the audio, use a recent take, or choose a file.")
            return ""
        if page == CHECK_PAGE:
            if self._convert_for:
                return self.tr("Converting to 16 kHz mono…")
            if panel.checking or panel.report_for(self.path()) is None:
                return self.tr("Checking the recording…")
            report = panel.report_for(self.path())
            if panel.blocking and not (report is not None and fixed_by_conversion(report)):
                return fill(
                    self.tr(
                        "%1 (see the check): go Back and record again, or choose another file."
                    ),
                    blocked_words(self.workspace),
                )
            return ""
        if page == UPLOAD_PAGE:
            if self.checking:
                return self.tr("Checking…")
            if not self.uploading:
                return ""
            return sending_words(self.workspace)
        return ""

    @property
    def checking(self) -> bool:
        """Whether the duplicate check runs or waits for the operator's answer."""
        return self.duplicate_check.busy

    def _show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        titles = {
            NAME_PAGE: self.tr("Step 1 of 5: Name"),
            AUDIO_PAGE: self.tr("Step 2 of 5: Record or choose the audio"),
            CHECK_PAGE: self.tr("Step 3 of 5: Check the audio"),
            UPLOAD_PAGE: self.tr("Step 4 of 5: Add")
            if adds_here(self.workspace)
            else self.tr("Step 4 of 5: Upload"),
            DONE_PAGE: self.tr("Step 5 of 5: Done"),
        }
        self.step_label.setText(titles[page])
        if page == AUDIO_PAGE:
            self.recorder_panel.set_recording_visible(True)
        if page == NAME_PAGE:
            self.fields.name_edit.setFocus()  # the first thing to do: type the name
        self._update_buttons()
        self.page_changed.emit(page)

    def _update_buttons(self) -> None:
        page = self.page
        problem = self.problem()
        self.back_button.setVisible(page not in (NAME_PAGE, DONE_PAGE))
        # (Back while Upload's conversion runs left it waiting for ever: a reviewer's)
        working = self.uploading or self.checking or bool(self._convert_for)
        # After sending to several groups the take and the groups are fixed (Retry only).
        self.back_button.setEnabled(
            not working and not self.recorder_panel.recording and not self._multi_started
        )
        self.next_button.setVisible(page != UPLOAD_PAGE or not self.uploading)
        if page == CHECK_PAGE:
            self.next_button.setText(
                self.tr("&Add >") if adds_here(self.workspace) else self.tr("&Upload >")
            )
        elif page == DONE_PAGE:
            self.next_button.setText(self.tr("&Finish"))
        elif page == UPLOAD_PAGE:
            self.next_button.setVisible(False)
        else:
            self.next_button.setText(self.tr("&Next >"))
        self.next_button.setEnabled(not problem)
        self.next_button.setToolTip(problem)
        # (a problem the name fields already say in red is not said twice)
        said = bool(problem) and problem == self.fields.message_label.text()
        self.hint_label.setText(problem if page != UPLOAD_PAGE and not said else "")
        self.close_button.setVisible(page != DONE_PAGE)
        self.close_button.setEnabled(not self.uploading)
        self.duplicate_box.setEnabled(not working)
        if page == NAME_PAGE:
            self.group_picker.set_cost(
                self.services.budget,
                self.workspace.coze_profile,
                duplicate_check=self.duplicate_box.isChecked(),
            )
        if page == AUDIO_PAGE:
            path = self.path()
            if self.recorder_panel.recording:
                # the new take replaces the one before once it is saved: not named as used
                self.file_label.setText(self.tr("Audio to use: the new take being recorded"))
                self.file_label.setToolTip("")
            else:
                self.file_label.setText(
                    fill(self.tr("Audio to use: %1"), Path(path).name) if path else ""
                )
                self.file_label.setToolTip(path)
        if page == CHECK_PAGE:
            self.check_label.setText(self.recorder_panel.status_label.text())

    # -- upload ------------------------------------------------------------------------

    def enroll(self) -> None:
        """Run the duplicate check when ticked (and not already passed), then upload."""
        path = self.path()
        if not path or self.uploading or self.checking:
            return
        # Adding to several groups: the check runs once, against the first one chosen.
        first = self.group_picker.targets()[0]
        check = CheckRequest(first.id, first.name, path)
        if not self.duplicate_box.isChecked() or not self.duplicate_check.needed(check):
            self.upload()
            return
        self._uploaded_path = path
        self._start_step(self.tr("Cancel check"))
        self.upload_label.setText(
            fill(
                self.tr("Checking that this voice is not already enrolled in the group “%1”…"),
                first.name,
            )
        )
        self.duplicate_check.start(self.workspace, check)
        self._update_buttons()

    def upload(self) -> None:
        """Create the voiceprint from the current file on a worker (progress, Cancel)."""
        path = self.path()
        if not path or self.uploading:
            return
        # the take is listed under the name it is sent as (typed again since it was made)
        self.recorder_panel.label_take(path, self.fields.name())
        if self.group_picker.multi():
            self._confirm_multi()
            return
        workspace, group = self.workspace, self.group
        name, desc = self.fields.name(), self.fields.desc()
        journal = self.services.pending_journal()
        token = CancelToken()
        self._token = token
        self._uploaded_path = path
        self.uploading = True
        self._start_step(stop_sending_words(self.workspace))
        self.upload_label.setText(
            fill(
                self.tr("Adding the voice of “%1” to the group “%2”…")
                if adds_here(self.workspace)
                else self.tr("Uploading the voice of “%1” to the group “%2”…"),
                name,
                group.name,
            )
        )
        self._update_buttons()

        def task(ctx: TaskContext) -> str:
            report = ProgressThrottle(ctx.progress)
            audio = AudioUpload.from_path(path)
            report(0, audio.size)

            def progress(done: int, total: int) -> None:
                if ctx.cancelled:  # the wizard closed: stop the upload too
                    token.cancel()
                report(done, total)

            return pending.create_once(  # at most once, even on Retry after no answer
                workspace.coze(),
                journal,
                connection=pending.connection_key(workspace.coze_profile),
                group_id=group.id,
                group_name=group.name,
                name=name,
                audio=audio,
                desc=desc or None,
                progress=progress,
                cancel=token,
            ).id

        self.runner.submit(
            "upload",
            task,
            self._on_uploaded,
            on_failure=self._on_upload_failed,
            on_progress=self.set_progress,
        )

    # -- several groups --------------------------------------------------------------

    def _confirm_multi(self) -> None:
        """Ask first when the enrollment would pass the call budget, then start it."""
        box = self.group_picker.ask_before(
            self, self.services.budget, self.workspace.coze_profile, self._upload_multi
        )
        self._confirm_box = box
        if box is not None:  # once answered: declined, the operator can go Back or Retry
            box.finished.connect(self._on_multi_budget_answered)

    def _on_multi_budget_answered(self, _result: int) -> None:
        if self.uploading or self._multi_started:
            return  # the operator went on (the run has started)
        self.upload_label.setText(self.tr("The voiceprint was not added."))
        self.retry_button.setVisible(True)
        self._update_buttons()

    def _upload_multi(self) -> None:
        path = self.path()
        if not path or self.uploading:
            return
        self._multi_started = True
        self._uploaded_path = path
        self.uploading = True
        self.group_picker.set_locked(True)
        self._start_step(stop_sending_words(self.workspace))
        self.upload_label.setText(self.tr("Checking that the groups still have room…"))
        self._update_buttons()
        self.multi.start(
            self.workspace,
            self.services.pending_journal(),
            self.group_picker.targets(),
            EnrollRequest(self.fields.name(), path, self.fields.desc()),
            groups_total=self.group_picker.groups_total,
        )

    def _retry_multi(self) -> None:
        self.uploading = True
        self.message_label.setText("")
        self.retry_button.setVisible(False)
        self.cancel_upload_button.setEnabled(True)
        self._update_buttons()
        self.multi.retry()

    def _start_step(self, cancel_text: str) -> None:
        """The upload page at the start of a check or an upload: no message, no Retry,
        Cancel says ``cancel_text``, the progress bar busy until the first report."""
        self.message_label.setText("")
        self.retry_button.setVisible(False)
        self.cancel_upload_button.setText(cancel_text)
        self.cancel_upload_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText("")

    @Slot()
    def on_multi_changed(self) -> None:
        multi = self.multi
        self.results_list.show_results(multi.results)
        index = multi.sending
        if index >= 0:
            self.progress_bar.setRange(0, 0)
            self.progress_label.setText("")
            self.upload_label.setText(
                fill(
                    self.tr("Adding the voice of “%1” to the group “%2” (%3 of %4)…")
                    if adds_here(self.workspace)
                    else self.tr("Uploading the voice of “%1” to the group “%2” (%3 of %4)…"),
                    self.fields.name(),
                    multi.results[index].target.name,
                    str(index + 1),
                    str(len(multi.results)),
                )
            )

    @Slot(int, int)
    def on_multi_progress(self, done: int, total: int) -> None:
        if self.multi.sending >= 0 and self.cancel_upload_button.isEnabled():
            self.set_progress(done, total)

    @Slot()
    def on_multi_finished(self) -> None:
        multi = self.multi
        results = list(multi.results)
        self.uploading = False
        self.cancel_upload_button.setEnabled(False)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_label.setText("")
        added = [result for result in results if result.added]
        if all(result.state == NOT_SENT for result in results):
            self._multi_started = False  # nothing went out: Back may change the choice
        summary = MultiGroupWords().summary(len(added), len(results))
        kept = fill(self.tr("The recording is kept in %1."), self._uploaded_path)
        if added:
            self.voiceprint_id = added[0].voiceprint_id
        if any(result.retryable for result in results):
            self.upload_label.setText(summary)
            failure = ""
            if multi.failure:
                failure = fill(
                    self.tr("The groups could not be checked: %1 Nothing was sent."),
                    multi.failure,
                )
            self._say_failure(
                f"{failure} {kept} ".lstrip()
                + self.tr("Press Retry to send it to the groups that did not get it.")
            )
            self.retry_button.setVisible(True)
            self._update_buttons()
        else:
            self.done_label.setText(
                fill(
                    self.tr("“%1”: %2 Click Finish to close the wizard."),
                    self.fields.name(),
                    summary,
                )
            )
            self.done_results.show_results(results)
            self._show_page(DONE_PAGE)
        if added:
            self.enrolled.emit(self.voiceprint_id)

    def set_progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` bytes sent."""
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(int(1000 * done / total) if total else 0)
        self.progress_label.setText(
            fill(self.tr("%1 of %2"), format_size(done), format_size(total))
        )

    def _on_uploaded(self, result: object) -> None:
        self.uploading = False
        self.voiceprint_id = str(result)
        self.done_label.setText(
            fill(
                self.tr(
                    "The voiceprint “%1” was added to the group “%2”. "
                    "Click Finish to close the wizard."
                ),
                self.fields.name(),
                self.group.name,
            )
        )
        self._show_page(DONE_PAGE)
        self.enrolled.emit(self.voiceprint_id)

    def _on_upload_failed(self, exc: object) -> None:
        self.uploading = False
        self.cancel_upload_button.setEnabled(False)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        kept = fill(self.tr("The recording is kept in %1."), self._uploaded_path)
        if isinstance(exc, UploadCancelledError):
            # Before the end of the body nothing was saved; after it, it may have been.
            if exc.request_sent:
                text = pending.uncertain_text(self.fields.name())
            else:
                text = pending.cancelled_text()
        elif isinstance(exc, pending.StillSettlingError):
            said = describe_error(exc)  # (nothing failed: when to try again)
            text = sentences(said.message, said.next_step)
        elif isinstance(exc, BaseException):
            text = describe_error(exc).message
            if pending.uncertain_failure(exc):  # no answer: it may exist (Retry looks first)
                text = pending.uncertain_text(self.fields.name())
            if not isinstance(exc, LocalValidationError):
                self.presenter.show(exc, self)
        else:
            text = str(exc)
        self._say_failure(
            f"{text} {kept} " + self.tr("Press Retry to send it again, or go Back to change it.")
        )
        self.upload_label.setText(self.tr("The voiceprint was not added."))
        self.retry_button.setVisible(True)
        self._update_buttons()

    def cancel_upload(self) -> None:
        """Ask the upload (or the duplicate check) in flight to stop."""
        if self.multi.running:
            self.cancel_upload_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))
            self.multi.cancel()
            return
        if self.checking:
            self.cancel_upload_button.setEnabled(False)
            self.duplicate_check.cancel()
            return
        if self.uploading and self._token is not None:
            self._token.cancel()
            self.cancel_upload_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))

    # -- closing -----------------------------------------------------------------------

    def reject(self) -> None:
        """Escape, Cancel or the close button: while an upload or the duplicate check
        runs, stop it first and stay open to say what happened (the voiceprint may have
        been added after the file was sent). Before anything was sent, with a name typed
        or a take chosen or being recorded, ask first. A take playing stops at once."""
        self.recorder_panel.stop_playback()
        if self._working():
            self.cancel_upload()
            return
        if self.discard_box is not None:  # (asking already)
            return
        if self.unsaved():

            def closed() -> None:
                self.discard_box = None

            self.discard_box = ask_to_discard(
                self,
                question=QCoreApplication.translate(
                    "VoiceprintDialog", "Close without adding the voiceprint?"
                ),
                act=QCoreApplication.translate("VoiceprintDialog", "Close without adding"),
                typed=self._typed(),
                recorded=self.recorder_panel.holds_a_take(),
                busy=self._working,
                on_closed=closed,
            )
            return
        super().reject()

    def _working(self) -> bool:
        """Whether an upload (to one group or several) or the duplicate check runs."""
        return self.uploading or self.checking or self.multi.running

    def _typed(self) -> bool:
        return bool(self.fields.name() or self.fields.desc())

    def unsaved(self) -> bool:
        """Whether closing now would drop input that was not sent: a name or description
        typed, a take chosen or being recorded (the take itself stays on disk, under
        Earlier takes). Nothing once the voiceprint was added."""
        if self.voiceprint_id or self.page == DONE_PAGE:
            return False
        return self._typed() or bool(self.path()) or self.recorder_panel.recording

    def done(self, result: int) -> None:
        """Close: stop a take, cancel the upload (the take stays on disk)."""
        if self._token is not None:
            self._token.cancel()
        self.multi.cancel()
        self.recorder_panel.shutdown()
        self.duplicate_check.shutdown()
        self.runner.cancel_all()
        super().done(result)

    # -- slots -------------------------------------------------------------------------

    @Slot()
    def on_fields_changed(self) -> None:
        self._update_buttons()

    @Slot()
    def on_recorder_panel_state_changed(self) -> None:
        panel = self.recorder_panel
        if self._convert_for and not panel.checking and self.path() == self._convert_for:
            self._convert_for = ""  # the conversion failed: the panel says why
        self._update_buttons()

    @Slot(object)
    def on_recorder_panel_check_finished(self, report: object) -> None:
        converted = self._convert_for
        if not converted or self.path() == converted:
            return
        if self.page != CHECK_PAGE:  # (not reachable with Back disabled; never stuck)
            self._convert_for = ""
            self._update_buttons()
            return
        self._convert_for = ""  # the copy is written and checked: it is sent now
        self._update_buttons()
        if not self.problem():
            self.on_next_button_clicked()

    @Slot(str)
    def on_recorder_panel_file_ready(self, _path: str) -> None:
        self._update_buttons()

    @Slot()
    def on_choose_button_clicked(self) -> None:
        self.file_dialog = open_enrollment_file_dialog(self, self.on_file_dialog_file_selected)

    @Slot(str)
    def on_file_dialog_file_selected(self, path: str) -> None:
        if path:
            self.recorder_panel.use_take(path)
            self._update_buttons()

    @Slot()
    def on_back_button_clicked(self) -> None:
        if self.page > NAME_PAGE and not self.uploading and not self.checking:
            self._show_page(CHECK_PAGE if self.page == UPLOAD_PAGE else self.page - 1)

    @Slot()
    def on_next_button_clicked(self) -> None:
        if self.problem():
            return
        page = self.page
        if page == DONE_PAGE:
            self.accept()
        elif page == CHECK_PAGE:
            report = self.recorder_panel.report_for(self.path())
            if report is not None and (needs_conversion(report) or fixed_by_conversion(report)):
                # the copy Coze takes is written first (the original stays), checked, and
                # then sent (on_recorder_panel_check_finished)
                self._convert_for = self.path()
                self.recorder_panel.convert(trim=False)
                self._update_buttons()
                return
            self._show_page(UPLOAD_PAGE)
            self.enroll()
        elif page < CHECK_PAGE:
            self._show_page(page + 1)

    @Slot()
    def on_duplicate_check_state_changed(self) -> None:
        self._update_buttons()

    @Slot()
    def on_duplicate_check_enroll_confirmed(self) -> None:
        self.upload()

    @Slot(str)
    def on_duplicate_check_enroll_declined(self, reason: str) -> None:
        self.cancel_upload_button.setText(stop_sending_words(self.workspace))
        self.cancel_upload_button.setEnabled(False)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_label.setText("")
        self.upload_label.setText(self.tr("The voiceprint was not added, as you chose."))
        # the operator's choice (or Cancel), not a failure: not in the failures' red
        self.message_label.setStyleSheet("")
        # the reason ends with the take's path: the next step goes on its own line
        self.message_label.setText(
            f"{reason}\n"
            + self.tr("Go Back to use another take, or press Retry to check this one again.")
        )
        self.retry_button.setVisible(True)
        self._update_buttons()

    def _say_failure(self, text: str) -> None:
        self.message_label.setStyleSheet(f"color: {_ERROR_COLOR};")
        self.message_label.setText(text)

    @Slot()
    def on_cancel_upload_button_clicked(self) -> None:
        self.cancel_upload()

    @Slot()
    def on_retry_button_clicked(self) -> None:
        if self._multi_started and any(r.retryable for r in self.multi.results):
            self._retry_multi()  # the groups that did not get it; none gets it twice
            return
        self.enroll()  # a take that passed the check is not checked again
