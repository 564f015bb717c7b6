"""File > Transfers: copies, moves and imports that did not finish, to resume or discard.

A job cut short (Cancel, a crash, a kill, a lost network) keeps its journal and staged
audio in the user data folder. Resuming runs it again: it looks at the target before
creating anything, so nothing is duplicated, and a move deletes an original only once
its copy is confirmed. Discarding removes the job's staged audio; what it already
brought over stays.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.settings.profiles import profile_of
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner
from voiceprint_studio.ui.shell.connection_dialog import profile_label
from voiceprint_studio.ui.transfer.apart import resume_apart
from voiceprint_studio.ui.transfer.copy_dialog import jobs_folder, result_text
from voiceprint_studio.ui.transfer.safety_net import keep_moved_originals, trash_folder
from voiceprint_studio.ui.transfer.trash_dialog import workspace_label

if TYPE_CHECKING:
    from voiceprint_studio.transfer.jobs import Job, JobProgress, JobResult

JobRole = Qt.ItemDataRole.UserRole + 1
# The widest the "Into" column starts, in average characters.
INTO_CHARS = 44


def check_account(services: AppServices, workspace: Workspace, where: dict[str, str]) -> None:
    """Raise :class:`~voiceprint_studio.transfer.jobs.AccountChangedError` when ``where`` (a job's
    source or target) records the account the job was started on and the token now saved
    for that workspace belongs to another: resumed, the job would create in (or delete
    from) an account the operator did not start it on. The account now is the one the
    call budget knows, else asked (one ``users/me`` call). On a worker.

    A job that records no account (started by an older version, or before the account was
    known) goes on as before; so does one whose token may not ask who it is."""
    from voiceprint_studio.api.errors import PermissionDeniedError
    from voiceprint_studio.transfer.jobs import AccountChangedError
    from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP

    then = where.get("user_id", "")
    profile = workspace.coze_profile
    if not then or profile.offline:
        return
    budget = services.budget
    state = budget.state(profile) if budget is not None else None
    now, now_name = (state.user_id, state.display_name) if state is not None else ("", "")
    if not now:
        if budget is not None and budget.identity_refused(profile):
            return  # (this token may not say who it is: not asked again)
        try:
            me = workspace.coze().me()
        except PermissionDeniedError:
            if budget is not None:
                budget.refuse_identity(profile)
            return
        now, now_name = me.user_id, me.shown_name
        if budget is not None:
            budget.remember_identity(profile, now, now_name)
    if now != then:
        raise AccountChangedError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "This job was started on the account “{then}”, but the token now saved for "
                "{workspace} belongs to “{now}”, so nothing was done. To resume it, save the "
                "token of “{then}” again (Connection > Token…); or discard the job.",
            ),
            then=where.get("user_name") or then,
            now=now_name or now,
            workspace=profile_label(profile),
        )


class TransfersDialog(QDialog):
    """Unfinished jobs with Resume and Discard (see the module docstring).

    Signals:
        jobs_changed(): a job was resumed or discarded (the main window counts the
            unfinished ones again and shows what a resume made).
    """

    jobs_changed = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = TaskRunner(parent=self)
        self._cancel: Any = None
        self._said = ""  # what the last resume did, in words
        self.setWindowTitle(self.tr("Transfers"))
        intro = QLabel(
            self.tr(
                "Copies, moves and imports that did not finish. Resume one to do the rest: "
                "nothing is created twice, and a move deletes an original only after its "
                "copy is confirmed."
            )
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("Job"), self.tr("Voiceprints done"), self.tr("Into"), self.tr("Started")]
        )
        self.tree.setRootIsDecorated(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.resume_button.setDefault(True)
        self.discard_button = QPushButton(self.tr("&Discard"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.resume_button.clicked.connect(self.on_resume_button_clicked)
        self.discard_button.clicked.connect(self.on_discard_button_clicked)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(720, 380)
        self.reload()

    @property
    def running(self) -> bool:
        """Whether a resume is running now (the main window asks before quitting)."""
        return self._cancel is not None

    def _kind(self, job: Job) -> str:
        kinds = {"copy": self.tr("Copy"), "move": self.tr("Move"), "import": self.tr("Import")}
        return kinds.get(job.plan.kind, job.plan.kind)

    def reload(self) -> None:
        """List the unfinished jobs (a worker: it reads the disk)."""
        from voiceprint_studio.transfer.jobs import unfinished_jobs

        folder = jobs_folder(self.services)

        def listed(_ctx: TaskContext) -> list[tuple[Job, int, float]]:
            # with what each has done (its journal) and when it began (all from the disk)
            return [
                (job, job.done_count(), (job.folder / "plan.json").stat().st_mtime)
                for job in unfinished_jobs(folder)
            ]

        self.runner.submit("list", listed, self._listed)

    def _listed(self, result: object) -> None:
        assert isinstance(result, list)
        self.tree.clear()
        for job, done, began in result:
            started = QDateTime.fromSecsSinceEpoch(int(began)).toString("yyyy-MM-dd HH:mm")
            names = {g.name for g in job.plan.groups}
            row = QTreeWidgetItem(
                [
                    fill(
                        self.tr("%1 into %2"),
                        self._kind(job),
                        QLocale().createSeparatedList([f"“{n}”" for n in sorted(names)]),
                    ),
                    fill(self.tr("%1 of %2"), str(done), str(len(job.plan.items))),
                    workspace_label(job.plan.target),
                    started,
                ]
            )
            for column in range(4):  # whole in the tooltip where a column cuts it
                row.setToolTip(column, row.text(column))
            row.setData(0, JobRole, job)
            self.tree.addTopLevelItem(row)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        # a custom server's address and the account make the target long: cut (its
        # tooltip has it whole), so that when each job began stays in view
        widest = self.fontMetrics().averageCharWidth() * INTO_CHARS
        self.tree.setColumnWidth(2, min(self.tree.columnWidth(2), widest))
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            # what the last resume did (why an item was skipped) stays in view
            finished = self.tr("Every transfer finished.")
            self.status_label.setText(f"{self._said}\n{finished}" if self._said else finished)
        self._update_buttons()

    def selected(self) -> Job | None:
        """The job selected, if any."""
        items = self.tree.selectedItems()
        return items[0].data(0, JobRole) if items else None

    @staticmethod
    def resumable(job: Job) -> bool:
        """Whether the job records where it goes (and, for a copy or a move, where from):
        one that does not (started from the command line or by an older version) is
        never resumed into a guessed workspace."""
        plan = job.plan
        if profile_of(plan.target) is None:
            return False
        return plan.kind not in ("copy", "move") or profile_of(plan.source) is not None

    def _update_buttons(self) -> None:
        idle = self._cancel is None
        job = self.selected()
        self.resume_button.setEnabled(idle and job is not None and self.resumable(job))
        self.discard_button.setEnabled(idle and job is not None)
        if idle and job is not None and not self.resumable(job):
            self.status_label.setText(
                self.tr(
                    "This transfer does not say which workspace it goes to (it was started "
                    "from the command line, or by an older version): run it again where it "
                    "was started, or discard it."
                )
            )

    def _workspace(self, where: dict[str, str]) -> Workspace:
        profile = profile_of(where)
        assert profile is not None, "resumable() said where"
        return self.services.workspace_on(profile)  # (its calls count for its account)

    @Slot()
    def on_resume_button_clicked(self) -> None:
        from pathlib import Path

        from voiceprint_studio.api.uploads import CancelToken
        from voiceprint_studio.transfer.child import JobProcess
        from voiceprint_studio.transfer.sources import WorkspaceSource, open_import_source
        from voiceprint_studio.transfer.trash import RecentlyDeleted

        job = self.selected()
        services = self.services
        if job is None:
            return
        plan = job.plan
        target = self._workspace(dict(plan.target))
        source_ws = self._workspace(dict(plan.source)) if plan.kind in ("copy", "move") else None
        self._cancel = token = CancelToken()
        self._update_buttons()
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self._said = ""
        self.status_label.setText(self.tr("Resuming…"))

        def run(ctx: TaskContext) -> JobResult:
            def report(p: JobProgress) -> None:
                ctx.progress(p.items_done, p.items_total)

            try:
                # on the account it was started on, or not at all
                check_account(services, target, dict(plan.target))
                if source_ws is not None:
                    check_account(services, source_ws, dict(plan.source))
                    # in a process of its own when it can (see the copy dialog)
                    apart = resume_apart(
                        services,
                        JobProcess(),
                        job.folder,
                        source_ws,
                        target,
                        move=plan.kind == "move",
                        cancel=token,
                        progress=report,
                    )
                    if apart is not None:
                        return apart
                    return job.run(
                        WorkspaceSource(source_ws.coze()),
                        target.coze(),
                        cancel=token,
                        progress=report,
                        # a move's originals go into Recently deleted before they go
                        keep_original=keep_moved_originals(self.services, plan.source),
                    )
                # an import or a restore: in a process of its own too when it can
                archive = Path(plan.source["archive"]) if "archive" in plan.source else None
                result = resume_apart(
                    services,
                    JobProcess(),
                    job.folder,
                    None,
                    target,
                    archive=archive,
                    cancel=token,
                    progress=report,
                )
                if result is None:
                    with contextlib.ExitStack() as stack:
                        result = job.run(
                            open_import_source(stack, archive),
                            target.coze(),
                            cancel=token,
                            progress=report,
                        )
                if result.complete and "recently_deleted" in plan.source:
                    # a restore: everything is back, its entry in Recently deleted goes
                    RecentlyDeleted(trash_folder(self.services)).restored(plan)
                return result
            finally:
                target.close()
                if source_ws is not None:
                    source_ws.close()

        self.runner.submit(
            "resume", run, self._resumed, on_failure=self._resume_failed, on_progress=self._progress
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _resumed(self, result: object) -> None:
        from voiceprint_studio.transfer.jobs import JobResult

        assert isinstance(result, JobResult)
        self._cancel = None
        self.progress.setVisible(False)
        self._said = result_text(result)
        self.status_label.setText(self._said)
        self.reload()
        self.jobs_changed.emit()

    def _resume_failed(self, exc: object) -> None:
        from voiceprint_studio.transfer.jobs import AccountChangedError

        assert isinstance(exc, BaseException)
        self._cancel = None
        self.progress.setVisible(False)
        said = describe_error(exc)
        # what to do next too (no token saved: where to enter it)
        text = sentences(said.message, said.next_step)
        if not isinstance(exc, AccountChangedError):
            text = fill(self.tr("The job stopped again: %1"), text)
        self.status_label.setText(text)
        self._update_buttons()

    @Slot()
    def on_discard_button_clicked(self) -> None:
        job = self.selected()
        if job is None:
            return

        def discarded(_result: object) -> None:
            self.reload()
            self.jobs_changed.emit()

        self.runner.submit("discard", lambda _ctx: job.discard(), discarded)

    def done(self, result: int) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
        self.runner.shutdown()
        super().done(result)
