"""The voiceprints of the selected group: list, add, edit, replace audio, delete, play.

The groups view hands the selected group in with :meth:`VoiceprintsPanel.set_group`.
A group holds at most :data:`MAX_VOICEPRINTS` voiceprints: the header says
"N of 10 voiceprints" and Add is disabled (with the reason and what to do)
when the group is full. Uploads run on a worker with byte progress and a
Cancel button that stops the upload in flight. Enrollment audio is downloaded
on a worker and played by :class:`~voiceprint_studio.audio.playback.Player`
on another; without a sound device the view offers "Save audio as…" instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import (
    AudioUpload,
    CancelToken,
    LocalValidationError,
    Page,
    UploadCancelledError,
    Voiceprint,
    VoiceprintGroup,
)
from voiceprint_studio.audio.errors import AudioError, AudioSystemError
from voiceprint_studio.audio.playback import Player, decode_audio, is_wav
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.ui.common.call_budget import budget_warning
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.errors import ErrorPresenter, describe_error
from voiceprint_studio.ui.common.folders import remember, start_folder
from voiceprint_studio.ui.common.lines import StatusStrip
from voiceprint_studio.ui.common.pager import Pager
from voiceprint_studio.ui.common.panel import PagedPanel, page_or_last
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.table_model import Column, RecordTableModel, format_time
from voiceprint_studio.ui.common.text import sentences
from voiceprint_studio.ui.common.window_hold import open_over
from voiceprint_studio.ui.common.worker import ProgressThrottle, TaskContext, TaskRunner
from voiceprint_studio.ui.enroll import pending
from voiceprint_studio.ui.enroll.multi_group import GroupResult, MultiGroupWords
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog, VoiceprintRequest
from voiceprint_studio.ui.groups.groups_panel import (
    CREATOR_SAMPLE,
    TIME_SAMPLE,
    creator_text,
    make_table,
    one_line,
    separator,
    stack_with_empty_label,
)

# The most voiceprints Coze keeps in one group.
MAX_VOICEPRINTS = 10
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def audio_suffix(voiceprint: Voiceprint, data: bytes | None = None) -> str:
    """ ".wav" or ".pcm": from the downloaded bytes when known, else from the URL."""
    if data is not None:
        return ".wav" if is_wav(data) else ".pcm"
    suffix = Path(urlparse(voiceprint.audio_url).path).suffix.lower()
    return suffix if suffix in (".wav", ".pcm") else ".wav"


class VoiceprintsPanel(PagedPanel):
    """The voiceprints of one group, with paging and Add / Edit / Replace / Delete / Play.

    Signals:
        voiceprints_changed(): a voiceprint was added, changed or deleted (the
            group's count or update time changed; the groups view may reload).
        playing_changed(bool): playback started (True) or ended (False).
        busy_changed(bool): inherited from :class:`Panel`.
    """

    voiceprints_changed = Signal()
    playing_changed = Signal(bool)

    def __init__(
        self,
        services: AppServices,
        presenter: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, presenter, parent)
        self._group: VoiceprintGroup | None = None
        self._page_num = 1
        self._total: int | None = None
        self._listed_at: float | None = None  # when the page shown came (time.monotonic())
        # The group whose page this view reloaded itself after changing it: when the
        # groups view then hands the group back with its new count, that is not a reason
        # to list the page a second time (one call less per add, edit or delete).
        self._reloaded_for: str | None = None
        self._loading = False
        self._deleting = False
        self._playing = False
        self._status = ""
        self._restoring = False
        self._local_user: str | None = None  # the offline workspace's own user id
        # The last downloaded audio: (voiceprint id, audio_url, bytes).
        self._audio: tuple[str, str, bytes] | None = None
        self.player = Player()
        self.play_runner = TaskRunner(parent=self)
        play_runner = self.play_runner
        # Deleted without shutdown(): stop playback. A lambda, since the runner (a child)
        # is being destroyed too and would not receive a direct connection.
        self.destroyed.connect(lambda: play_runner.shutdown())  # noqa: PLW0108
        self.last_dialog: VoiceprintDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.playback_box: QMessageBox | None = None
        self.save_dialog: QFileDialog | None = None

        columns: list[Column[Voiceprint]] = [
            Column(self.tr("Name"), lambda v: v.name),
            Column(self.tr("Description"), lambda v: one_line(v.desc)),
            Column(self.tr("Created"), lambda v: format_time(v.created_at)),
            Column(self.tr("Updated"), lambda v: format_time(v.updated_at)),
            Column(self.tr("Created by"), lambda v: creator_text(v.user_info, self._local_user)),
        ]
        self.model: RecordTableModel[Voiceprint] = RecordTableModel(columns, self)

        # -- actions ---------------------------------------------------------------
        self.new_action = self._action(
            self.tr("&Add voiceprint…"), QKeySequence(QKeySequence.StandardKey.New)
        )
        self.edit_action = self._action(self.tr("&Edit voiceprint…"), QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setToolTip(self.tr("Change the name or description"))
        self.replace_action = self._action(self.tr("&Replace audio…"), QKeySequence())
        self.replace_action.setToolTip(
            self.tr("Enroll the selected voiceprint again from a new file")
        )
        self.delete_action = self._action(
            self.tr("&Delete voiceprint"), QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.delete_action.setToolTip(self.tr("Delete the selected voiceprint"))
        self.play_action = self._action(self.tr("&Play"), QKeySequence())
        self.play_action.setToolTip(self.tr("Listen to the enrollment audio"))
        self.stop_action = self._action(self.tr("&Stop"), QKeySequence())
        self.stop_action.setToolTip(self.tr("Stop playing"))
        self.save_audio_action = self._action(self.tr("Save audio &as…"), QKeySequence())
        self.save_audio_action.setToolTip(self.tr("Save the enrollment audio as a file"))
        self.new_action.triggered.connect(self.on_new_action_triggered)
        self.edit_action.triggered.connect(self.on_edit_action_triggered)
        self.replace_action.triggered.connect(self.on_replace_action_triggered)
        self.delete_action.triggered.connect(self.on_delete_action_triggered)
        self.play_action.triggered.connect(self.on_play_action_triggered)
        self.stop_action.triggered.connect(self.on_stop_action_triggered)
        self.save_audio_action.triggered.connect(self.on_save_audio_action_triggered)

        # -- widgets ---------------------------------------------------------------
        self.header_label = QLabel()
        self.header_label.setStyleSheet("font-weight: bold;")
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        self.full_label = QLabel()
        self.full_label.setWordWrap(True)
        self.full_label.setStyleSheet("color: #c92a2a;")
        self.full_label.setVisible(False)
        self.header_label.setWordWrap(True)
        # What is loading (with a busy bar and Stop) or what last happened.
        self.state_label = StatusStrip()
        self.state_label.stop_requested.connect(self.on_state_label_stop_requested)
        self.busy_bar = self.state_label.busy_bar
        top = QHBoxLayout()
        top.addWidget(self.header_label, 2)
        top.addWidget(self.state_label, 2)
        buttons = QHBoxLayout()
        for action in (
            self.new_action,
            self.edit_action,
            self.replace_action,
            self.delete_action,
            None,
            self.play_action,
            self.stop_action,
            self.save_audio_action,
        ):
            if action is None:
                buttons.addSpacing(12)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.table = make_table(
            self.model,
            QAbstractItemView.SelectionMode.SingleSelection,
            samples={2: TIME_SAMPLE, 3: TIME_SAMPLE, 4: CREATOR_SAMPLE},
        )
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        # right-click: the same actions as the buttons (the window adds its transfers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions(
            [
                self.new_action,
                self.edit_action,
                self.replace_action,
                self.delete_action,
                separator(self.table),
                self.play_action,
                self.stop_action,
                self.save_audio_action,
            ]
        )
        self.stack, self.empty_label = stack_with_empty_label(self.table)

        self.pager = Pager(services.preferences.get(prefs.PAGE_SIZE))
        self.pager.page_requested.connect(self.on_pager_page_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.full_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.pager)
        self._update_header()
        self._update_actions()

    # -- public API ------------------------------------------------------------------

    @property
    def group(self) -> VoiceprintGroup | None:
        """The group shown."""
        return self._group

    @property
    def count(self) -> int | None:
        """How many voiceprints the group has (the server's total once loaded)."""
        if self._group is None:
            return None
        return self._total if self._total is not None else self._group.feature_count

    @property
    def full(self) -> bool:
        """Whether the group already holds :data:`MAX_VOICEPRINTS` voiceprints."""
        count = self.count
        return count is not None and count >= MAX_VOICEPRINTS

    @property
    def playing(self) -> bool:
        """Whether enrollment audio is being played."""
        return self._playing

    @property
    def loading(self) -> bool:
        """Whether a page is being loaded."""
        return self._loading

    def whole_group_listing(self) -> tuple[float, list[Voiceprint]] | None:
        """All the voiceprints of the group shown and when they were listed
        (:func:`time.monotonic`), when this view holds all of them (the group fits in its
        first page, and no page is on its way); None otherwise. A copy of the group
        started moments later need not list it again."""
        records = self.model.records()
        if (
            self._group is None
            or self._listed_at is None
            or self._loading
            or self._page_num != 1
            or self._total != len(records)
        ):
            return None
        return self._listed_at, list(records)

    def current_voiceprint(self) -> Voiceprint | None:
        """The selected voiceprint, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.record(rows[0].row())

    def set_group(self, group: VoiceprintGroup | None) -> None:
        """Show the voiceprints of ``group`` (None: nothing selected)."""
        reloaded_for, self._reloaded_for = self._reloaded_for, None
        if group == self._group:
            return
        same = group is not None and self._group is not None and group.id == self._group.id
        self._group = group
        if not same:
            self.stop_playback()
            self._page_num = 1
            self._total = None
            self._listed_at = None
            self._status = ""
            self.runner.cancel("page")
            self._set_loading(False)
            self.model.set_records(())
            self.pager.set_state(1, 0)  # (the last group's "page 1 of 1 · 3 in all" went)
        self._update_header()
        self._update_actions()
        if group is None:
            self._show_empty()
            return
        if same and reloaded_for == group.id:
            return  # its new count or time comes from this view's own change, reloaded
        self._load(self._page_num)

    def set_workspace(self, workspace: Workspace) -> None:
        """Use another connection: forget the group (the groups view selects again)."""
        self.runner.cancel_all()
        self.stop_playback()
        self._audio = None
        self._deleting = False
        self._group = None
        self._reloaded_for = None
        self._total = None
        self._listed_at = None
        self._status = ""  # status lines belong to the connection they were about
        self._local_user = None
        self.model.set_records(())
        self.pager.set_state(1, 0)
        self._update_header()
        self._show_empty()
        super().set_workspace(workspace)
        self._update_actions()

    def refresh(self) -> None:
        """Reload the page shown, keeping the selection."""
        self._load(self._page_num)

    def expect_group_back(self) -> None:
        """The groups view is being reloaded with this one (the window's Refresh): when it
        hands the group back with a new count, the page this refresh is listing is that
        fresh list already (it was listed twice after a move or a restore). Forgotten when
        the groups view is idle again (:meth:`on_groups_busy_changed`)."""
        if self._group is not None:
            self._reloaded_for = self._group.id

    @Slot(bool)
    def on_groups_busy_changed(self, busy: bool) -> None:
        """The groups view's reload ended: a group it did not hand back (a failed list) is
        not expected any more."""
        if not busy:
            self._reloaded_for = None

    def shutdown(self) -> None:
        """Stop playback and every call in flight."""
        self.play_runner.shutdown()
        self._set_playing(False)
        super().shutdown()

    # -- loading -----------------------------------------------------------------------

    def _reload_after_change(self, page_num: int, select_id: str | None = None) -> None:
        """Reload the page after this view changed the group, and tell the other views."""
        self._load(page_num, select_id)
        self._reloaded_for = self._group.id if self._group is not None else None
        self.voiceprints_changed.emit()

    def _load(self, page_num: int, select_id: str | None = None) -> None:
        self._reloaded_for = None
        workspace, group = self.workspace, self._group
        if workspace is None or group is None:
            return
        size = self.pager.page_size
        journal = self.services.pending_journal()
        connection = pending.connection_key(workspace.coze_profile)

        def fetch(
            _ctx: TaskContext,
        ) -> tuple[Page[Voiceprint], str | None, list[pending.Settled]]:
            client = workspace.coze()
            page = page_or_last(
                lambda num: client.list_voiceprints(group.id, num, size), page_num, size
            )
            # Uploads that ended without an answer: were they saved after all?
            whole = page.items if page.page_num == 1 and not page.has_more else None
            settled = pending.reconcile(client, journal, connection, group.id, whole)
            return page, workspace.offline_user_id(), settled

        self.pager.set_state(page_num, self.pager.total)
        self._set_loading(True)
        self.run_task(
            "page",
            fetch,
            lambda result: self._on_page_loaded(result[0], result[1], select_id, result[2]),
            on_failure=self._on_page_failed,
            on_finished=lambda: self._set_loading(False),
        )

    def _on_page_loaded(
        self,
        page: Page[Voiceprint],
        local_user: str | None,
        select_id: str | None,
        settled: list[pending.Settled] | None = None,
    ) -> None:
        self._local_user = local_user
        if settled:
            self._status = sentences(*(pending.settled_text(result) for result in settled))
            if any(result.state == "added" for result in settled):
                # this page is the fresh one: the groups view's reload need not list it again
                self._reloaded_for = self._group.id if self._group is not None else None
                self.voiceprints_changed.emit()
        if select_id is None:  # the row selected now (the table stays usable while loading)
            current = self.current_voiceprint()
            select_id = current.id if current is not None else None
        self._page_arrived()
        self._page_num = page.page_num
        self._total = page.total
        self._listed_at = time.monotonic()
        self._restoring = True
        try:
            self.model.set_records(page.items)
            for row, voiceprint in enumerate(page.items):
                if voiceprint.id == select_id:
                    self.table.selectionModel().select(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._restoring = False
        self.pager.set_state(page.page_num, page.total)
        if page.total:
            self.stack.setCurrentWidget(self.table)
        else:
            self._show_empty()
        self._update_header()
        self._update_actions()

    def _show_empty(self) -> None:
        if self._group is None:
            text = self.tr("Select one voiceprint group above to see its voiceprints.")
        else:
            text = self.tr(
                "This group has no voiceprints yet. Click Add voiceprint to record the "
                "speaker with a microphone, or to use a wav or pcm file."
            )
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    def _set_loading(self, loading: bool) -> None:
        # The table stays enabled (disabling it repaints it twice per page): the
        # actions that act on the rows wait for the page instead (_update_actions).
        self._loading = loading
        self._update_busy()
        self._update_actions()

    def _update_busy(self) -> None:
        busy = self._loading or self._deleting
        self.state_label.set_busy(busy, stoppable=self._loading)
        if self._loading:
            self.state_label.setText(self.tr("Loading voiceprints…"))
        elif self._deleting:
            self.state_label.setText(self.tr("Deleting…"))
        else:
            self.state_label.setText(self._status)

    def _set_status(self, text: str) -> None:
        self._status = text
        self._update_busy()

    def say_added(self, name: str) -> None:
        """Say that the voiceprint ``name`` was added (here or by the wizard)."""
        self._set_status(self.tr("Added “%1”.").replace("%1", name))

    def _update_header(self) -> None:
        group = self._group
        if group is None:
            self.header_label.setText(self.tr("Voiceprints"))
            self.full_label.setVisible(False)
            return
        count = self.count or 0
        self.header_label.setText(
            self.tr("Voiceprints of “%1” · %2 of %3")
            .replace("%1", group.name)
            .replace("%2", str(count))
            .replace("%3", self.tr("%n voiceprint(s)", "", MAX_VOICEPRINTS))
        )
        self.header_label.setToolTip(group.name)
        self.full_label.setText(
            self.tr(
                "This group is full: it has %n voiceprints, the most Coze allows. "
                "Delete a voiceprint first to add another.",
                "",
                MAX_VOICEPRINTS,
            )
        )
        self.full_label.setVisible(self.full)

    def _update_actions(self) -> None:
        ready = self.workspace is not None and self._group is not None
        current = self.current_voiceprint()
        selected = current is not None
        has_audio = current is not None and bool(current.audio_url)
        self.new_action.setEnabled(ready and not self.full)
        if self.full:
            self.new_action.setToolTip(
                self.tr(
                    "The group is full (%n voiceprints). Delete a voiceprint first to add another.",
                    "",
                    MAX_VOICEPRINTS,
                )
            )
        else:
            self.new_action.setToolTip(self.tr("Add a voiceprint from a wav or pcm file (Ctrl+N)"))
        idle = not self._deleting and not self._loading
        self.edit_action.setEnabled(ready and selected and idle)
        self.replace_action.setEnabled(ready and selected and idle)
        self.delete_action.setEnabled(ready and selected and idle)
        self.play_action.setEnabled(ready and has_audio)
        self.stop_action.setEnabled(self._playing)
        self.save_audio_action.setEnabled(ready and has_audio)

    # -- slots -------------------------------------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def on_table_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        if not self._restoring:
            self._update_actions()

    @Slot()
    def on_table_double_clicked(self) -> None:
        if self.edit_action.isEnabled():
            self.edit_action.trigger()

    # -- add, edit, replace ------------------------------------------------------------

    def names_in_group(self, group_id: str, but: str = "") -> list[str]:
        """The names of the voiceprints listed for ``group_id`` but the one of id ``but``
        (none when the view shows another group)."""
        if self._group is None or self._group.id != group_id:
            return []
        return [v.name for v in self.model.records() if v.id != but]

    def _open_dialog(self, mode: str, voiceprint: Voiceprint | None) -> VoiceprintDialog | None:
        if self._group is None or self.workspace is None:
            return None
        dialog = VoiceprintDialog(mode, self._group, voiceprint, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if dialog.fields is not None:  # a second "李雷" is said before it is added
            others = self.names_in_group(self._group.id, voiceprint.id if voiceprint else "")
            dialog.fields.set_taken_names(others, same_name_note())
        tokens: list[CancelToken] = []
        dialog.save_requested.connect(lambda request: self._save(dialog, request, tokens))
        dialog.multi_enrolled.connect(self._on_multi_enrolled)  # added to several groups

        def cancel() -> None:
            for token in tokens:
                token.cancel()

        dialog.cancel_requested.connect(cancel)
        # Closed while sending (the window quits): stop the transfer too.
        dialog.finished.connect(lambda _result: cancel())
        if mode == VoiceprintDialog.REPLACE:
            dialog.finished.connect(lambda result: self._replace_closed(dialog, result))
        # The window's Quit (Ctrl+Q) works from the dialog too: it asks first.
        quit_action = getattr(self.window(), "quit_action", None)
        if isinstance(quit_action, QAction):
            dialog.addAction(quit_action)
        # Non-modal over the held window: its × still asks during the upload.
        open_over(dialog)
        self.last_dialog = dialog
        return dialog

    def _replace_closed(self, dialog: VoiceprintDialog, result: int) -> None:
        """A Replace audio dialog closed. Its old audio was kept in "Recently deleted"
        before the first try; when the audio was certainly not replaced (no try's file
        reached the service: cancelled before it was sent, no connection), that entry goes
        again -- nothing is left there that the operator was not told about. When a try's
        file reached the service, whatever the answer (a refusal after an earlier try's
        lost answer, a gateway error, a broken answer), or the dialog closed while
        sending, it stays, and the status line says where."""
        entry = dialog.old_audio_entry
        if result == QDialog.DialogCode.Accepted.value or entry is None:
            return
        dialog.old_audio_entry = None
        name = dialog.voiceprint.name if dialog.voiceprint is not None else ""
        if dialog.replace_in_doubt or dialog.busy:
            self._set_status(
                self.tr(
                    "The new audio of “%1” may have been saved: its old audio stays in "
                    "File > Recently deleted."
                ).replace("%1", name)
            )
            return
        services = self.services

        def forget(_ctx: TaskContext) -> None:
            from voiceprint_studio.ui.transfer.safety_net import forget_kept

            forget_kept(services, entry)

        self.run_task("forget_kept", forget, on_failure=lambda _exc: None)

    def _on_multi_enrolled(self, results: list[GroupResult]) -> None:
        """The add dialog enrolled into several groups: say so, reload what changed."""
        added = sum(1 for result in results if result.added)
        self._set_status(MultiGroupWords().summary(added, len(results)))
        if added:
            self._total = None
            self._listed_at = None
            self._reload_after_change(self._page_num)

    @Slot()
    def on_new_action_triggered(self) -> None:
        if not self.full:  # the limit is enforced before the operator starts
            self._open_dialog(VoiceprintDialog.ADD, None)

    @Slot()
    def on_edit_action_triggered(self) -> None:
        voiceprint = self.current_voiceprint()
        if voiceprint is not None:
            self._open_dialog(VoiceprintDialog.EDIT, voiceprint)

    @Slot()
    def on_replace_action_triggered(self) -> None:
        voiceprint = self.current_voiceprint()
        if voiceprint is not None:
            self._open_dialog(VoiceprintDialog.REPLACE, voiceprint)

    def _save(
        self, dialog: VoiceprintDialog, request: VoiceprintRequest, tokens: list[CancelToken]
    ) -> None:
        workspace, group = self.workspace, self._group
        if workspace is None or group is None:
            return
        voiceprint = dialog.voiceprint
        adding = dialog.mode == VoiceprintDialog.ADD
        journal = self.services.pending_journal()
        connection = pending.connection_key(workspace.coze_profile)
        # The group's ids before the upload, when the view has all of them (a create
        # that ends without an answer is then recognised by its new id).
        records = self.model.records()
        known_ids = (
            [v.id for v in records]
            if self._page_num == 1 and self._total is not None and self._total == len(records)
            else None
        )
        token = CancelToken()
        tokens[:] = [token]
        services = self.services
        dialog.set_busy(True, uploading=request.path is not None)

        def save(ctx: TaskContext) -> pending.CreateOutcome:
            report = ProgressThrottle(ctx.progress)
            audio = None
            if request.path is not None:
                audio = AudioUpload.from_path(request.path, request.sample_rate, request.channels)
                report(0, audio.size)

            def progress(done: int, total: int) -> None:
                if ctx.cancelled:  # the view shut down: stop the upload too
                    token.cancel()
                report(done, total)

            client = workspace.coze()
            if adding:
                assert audio is not None and request.name is not None
                return pending.create_once(
                    client,
                    journal,
                    connection=connection,
                    group_id=group.id,
                    group_name=group.name,
                    name=request.name,
                    audio=audio,
                    desc=request.desc or None,
                    known_ids=known_ids,
                    progress=progress,
                    cancel=token,
                )
            assert voiceprint is not None
            if audio is not None and not dialog.old_audio_kept:
                from voiceprint_studio.ui.transfer.safety_net import keep_before_delete

                # the audio being replaced goes to "Recently deleted" first (once per
                # dialog: a Retry does not keep it twice)
                dialog.old_audio_entry = keep_before_delete(
                    services, workspace, group, [voiceprint], replaced=True
                )
                dialog.old_audio_kept = True
            client.update_voiceprint(
                group.id,
                voiceprint.id,
                name=request.name,
                desc=request.desc,
                audio=audio,
                progress=progress,
                cancel=token,
            )
            return pending.CreateOutcome(voiceprint.id)

        def saved(outcome: pending.CreateOutcome) -> None:
            voiceprint_id = outcome.id
            dialog.finish()
            name = request.name or (voiceprint.name if voiceprint else "")
            if adding and outcome.existing:
                self._set_status(pending.settled_text_added(name))
            elif adding:
                self.say_added(name)
                if self._total is not None:
                    self._total += 1
            else:
                if self._audio is not None and self._audio[0] == voiceprint_id:
                    self.stop_playback()  # (its audio may have changed; clears the status)
                    self._audio = None
                if request.path is None:
                    said = self.tr("Saved “%1”.")
                else:
                    said = self.tr("Saved “%1”. Its old audio is kept in File > Recently deleted.")
                self._set_status(said.replace("%1", name))
            self._reload_after_change(1 if adding else self._page_num, voiceprint_id)
            self._update_header()
            self._update_actions()

        def failed(exc: BaseException) -> None:
            if (
                not adding
                and request.path is not None
                and (token.body_sent or pending.uncertain_failure(exc))
            ):
                # the new audio reached the service on some try (the client sends an update
                # again after a lost answer, so the last error says little): it may have been
                # saved, and the old audio's copy stays kept, come what may
                dialog.replace_in_doubt = True
            if adding and pending.uncertain_failure(exc):
                # No answer: it may exist. Say so; the reload settles it, Retry looks first.
                dialog.show_failure(pending.uncertain_text(request.name or ""))
                self._load(self._page_num)
            elif isinstance(exc, UploadCancelledError) and not exc.request_sent:
                dialog.show_failure(
                    sentences(pending.cancelled_text(), self.tr("Press Retry to send it again."))
                )
            elif isinstance(exc, UploadCancelledError):
                dialog.show_failure(
                    self.tr(
                        "The upload was cancelled after the file was sent, so the new audio "
                        "may have been saved. Press Retry to send it again."
                    )
                )
                self._load(self._page_num)
            elif isinstance(exc, LocalValidationError):
                dialog.show_failure(describe_error(exc).message)
            elif isinstance(exc, pending.StillSettlingError):
                said = describe_error(exc)  # (nothing failed: when to try again)
                dialog.show_failure(sentences(said.message, said.next_step))
            else:
                dialog.show_failure(
                    self.tr("%1 Press Retry to try again.").replace(
                        "%1", describe_error(exc).message
                    )
                )
                self.presenter.show(exc, dialog)

        self.run_task(
            "save",
            save,
            saved,
            on_failure=failed,
            on_progress=dialog.set_progress,
        )

    # -- delete ------------------------------------------------------------------------

    @Slot()
    def on_delete_action_triggered(self) -> None:
        voiceprint, group = self.current_voiceprint(), self._group
        if voiceprint is None or group is None or self._deleting:
            return
        kept = self.tr(
            "A copy of the recording is kept on this computer for 30 days: "
            "File > Recently deleted restores it (as a new voiceprint, with a new id)."
        )
        if self.workspace is not None:
            warning = budget_warning(self.services.budget, self.workspace.coze_profile, 1)
            kept = "\n\n".join(text for text in (kept, warning) if text)
        self.confirm_box, _delete = ask_to_confirm(
            self,
            title=self.tr("Delete voiceprint"),
            text=self.tr("Delete the voiceprint “%1” from the group “%2”?")
            .replace("%1", voiceprint.name)
            .replace("%2", group.name),
            info=kept,
            act=self.tr("Delete"),
            on_act=lambda: self._delete(group, voiceprint),
        )

    def _delete(self, group: VoiceprintGroup, voiceprint: Voiceprint) -> None:
        workspace = self.workspace
        if workspace is None:
            return

        services = self.services

        def delete(_ctx: TaskContext) -> None:
            from voiceprint_studio.ui.transfer.safety_net import delete_with_safety_net

            # the safety net first: nothing is deleted without a copy kept
            delete_with_safety_net(
                services,
                workspace,
                group,
                [voiceprint],
                lambda: workspace.coze().delete_voiceprint(group.id, voiceprint.id),
            )

        def deleted(_result: object) -> None:
            self._set_status(self.tr("Deleted “%1”.").replace("%1", voiceprint.name))
            if self._total is not None:
                self._total = max(0, self._total - 1)
            if self._audio is not None and self._audio[0] == voiceprint.id:
                self.stop_playback()
                self._audio = None
            self.table.clearSelection()
            self._update_header()
            self._reload_after_change(self._page_num)

        def finished() -> None:
            self._deleting = False
            self._update_busy()
            self._update_actions()

        self._deleting = True
        self._update_busy()
        self._update_actions()
        self.run_task("delete", delete, deleted, on_finished=finished, on_not_found=self.refresh)

    # -- play and save -----------------------------------------------------------------

    def _cached_audio(self, voiceprint: Voiceprint) -> bytes | None:
        if self._audio is not None and self._audio[:2] == (voiceprint.id, voiceprint.audio_url):
            return self._audio[2]
        return None

    def _with_audio(self, voiceprint: Voiceprint, use: Callable[[bytes], None], key: str) -> None:
        """Call ``use(bytes)`` with the voiceprint's audio, downloading it when needed."""
        data = self._cached_audio(voiceprint)
        if data is not None:
            use(data)
            return
        workspace = self.workspace
        if workspace is None:
            return
        url = voiceprint.audio_url

        def download(_ctx: TaskContext) -> bytes:
            return workspace.coze().download_audio(url)

        def downloaded(result: bytes) -> None:
            self._audio = (voiceprint.id, url, result)
            self._set_status("")
            use(result)

        self._set_status(self.tr("Downloading the audio of “%1”…").replace("%1", voiceprint.name))
        self.run_task(key, download, downloaded, on_failure=self._on_audio_failed)

    def _on_audio_failed(self, exc: BaseException) -> None:
        self._set_status("")
        self.presenter.show(exc, self.window(), on_not_found=self.refresh)

    @Slot()
    def on_play_action_triggered(self) -> None:
        voiceprint = self.current_voiceprint()
        if voiceprint is None or not voiceprint.audio_url:
            return
        self.stop_playback()
        self._with_audio(voiceprint, lambda data: self._play(voiceprint, data), "audio")

    def _play(self, voiceprint: Voiceprint, data: bytes) -> None:
        player = self.player

        def play(ctx: TaskContext) -> bool:
            return player.play(decode_audio(data), ctx.cancel_event)

        def alive() -> bool:
            return shiboken6.isValid(self)

        def succeeded(_done: object) -> None:
            if alive():
                self._set_status("")

        def ended() -> None:
            if alive():
                self._set_playing(False)

        def failed(exc: object) -> None:
            if not alive():
                return
            self._set_playing(False)
            if isinstance(exc, AudioError):
                self._show_playback_unavailable(voiceprint, exc)
            else:
                assert isinstance(exc, BaseException)
                self.presenter.show(exc, self.window())

        self._set_playing(True)
        self._set_status(self.tr("Playing “%1”…").replace("%1", voiceprint.name))
        self.play_runner.submit("play", play, succeeded, on_failure=failed, on_finished=ended)

    def stop_playback(self) -> None:
        """Stop the audio being played (and drop a download for playing)."""
        self.runner.cancel("audio")
        if self._playing:
            self.play_runner.cancel("play")
            self._set_status("")
            self._set_playing(False)

    @Slot()
    def on_stop_action_triggered(self) -> None:
        self.stop_playback()

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playing_changed.emit(playing)
        self._update_actions()

    def _show_playback_unavailable(self, voiceprint: Voiceprint, exc: AudioError) -> None:
        self._set_status("")
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Cannot play audio"))
        if isinstance(exc, AudioSystemError) and exc.key == "no_portaudio":
            text = self.tr(
                "This computer cannot play sound: the sound system library (PortAudio) "
                "is not installed."
            )
        elif isinstance(exc, AudioSystemError) and exc.key == "no_device":
            text = self.tr("This computer cannot play sound: no sound output device was found.")
        elif isinstance(exc, AudioSystemError):
            text = self.tr("The sound output stopped with an error.")
        else:
            text = self.tr("This audio cannot be played here.")
        box.setText(text)
        box.setInformativeText(self.tr("Save the audio as a file and play it in another program."))
        box.setDetailedText(str(exc))
        save_button = box.addButton(self.tr("Save audio as…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def finished(_result: int) -> None:
            if box.clickedButton() is save_button:
                self.open_save_dialog(voiceprint)

        box.finished.connect(finished)
        box.open()
        self.playback_box = box

    @Slot()
    def on_save_audio_action_triggered(self) -> None:
        voiceprint = self.current_voiceprint()
        if voiceprint is not None and voiceprint.audio_url:
            self.open_save_dialog(voiceprint)

    def open_save_dialog(self, voiceprint: Voiceprint) -> QFileDialog:
        """Ask where to save ``voiceprint``'s audio (non-blocking); saving follows."""
        stem = _UNSAFE_FILE_CHARS.sub("_", voiceprint.name).strip() or voiceprint.id
        name = stem + audio_suffix(voiceprint, self._cached_audio(voiceprint))
        dialog = QFileDialog(self, self.tr("Save audio as"), str(start_folder() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr("Audio (*.wav *.pcm)"), self.tr("All files (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.fileSelected.connect(remember)
        dialog.fileSelected.connect(lambda path: self.save_audio_to(voiceprint, path))
        dialog.open()
        self.save_dialog = dialog
        return dialog

    def save_audio_to(self, voiceprint: Voiceprint, path: str | Path) -> None:
        """Write ``voiceprint``'s audio to ``path`` (downloading it first when needed)."""
        target = Path(path)

        def write(data: bytes) -> None:
            def save(_ctx: TaskContext) -> Path:
                target.write_bytes(data)
                return target

            self.run_task(
                "save_audio",
                save,
                lambda saved: self._set_status(
                    self.tr("Saved the audio to %1.").replace("%1", str(saved))
                ),
            )

        self._with_audio(voiceprint, write, "save_audio_download")


def same_name_note() -> str:
    """Under a voiceprint's name when the group already holds one of that name."""
    return QCoreApplication.translate(
        "VoiceprintsPanel",
        "“%1” is already in this group: two voiceprints of one name look the same in lists "
        "and in identify results. Add something that tells them apart, such as a place.",
    )
