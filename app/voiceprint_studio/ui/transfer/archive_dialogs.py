"""Export to an archive, import from an archive, a folder or a CSV, with a preview.

* :class:`ExportDialog` writes the chosen groups (their voiceprints and audio) to one zip
  on a worker, with progress and Cancel; the file appears only when complete.
* :class:`ImportDialog` reads the source on a worker -- an archive is checked completely
  (a tampered one is refused and nothing is written) -- and previews, against the
  current workspace, what will be created and what is there already; Import then runs
  a journaled job (see :mod:`voiceprint_studio.transfer.jobs`), each file of a folder
  or a CSV going through the enrollment checker and converted when needed.

Signals (both): finished_job(bool) -- the work ended; True when all of it was done.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from voiceprint_studio.ui.common.errors import describe_error, reason_text
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import TaskContext
from voiceprint_studio.ui.enroll.multi_group import held_label
from voiceprint_studio.ui.groups.voiceprints_panel import MAX_VOICEPRINTS
from voiceprint_studio.ui.transfer.apart import can_run_apart, resume_apart
from voiceprint_studio.ui.transfer.copy_dialog import (
    FREE_PLAN_CALLS,
    NEW_GROUP,
    add_new_group_item,
    add_new_group_row,
    jobs_folder,
    result_text,
    words,
)
from voiceprint_studio.ui.transfer.work_dialog import WorkDialog

if TYPE_CHECKING:
    from voiceprint_studio.api.models import VoiceprintGroup
    from voiceprint_studio.transfer.jobs import JobProgress, JobResult, Plan
    from voiceprint_studio.transfer.reasons import Reason


class ExportDialog(WorkDialog):
    """Export ``groups`` of ``workspace`` to the archive ``out`` (:meth:`start` starts);
    ``groups`` None: the whole workspace, every group (listed on the worker)."""

    def __init__(
        self,
        workspace: Workspace,
        groups: Sequence[VoiceprintGroup] | None,
        out: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export to an archive"))
        self.workspace, self.out = workspace, out
        self.groups = None if groups is None else list(groups)
        what = (
            self.tr("the whole workspace (every group)")
            if self.groups is None
            else words().groups(len(self.groups))
        )
        self._what = what
        self.title_label.setText(fill(self.tr("Exporting %1 to %2"), what, str(out)))
        self._finish_layout()

    def _end_title(self) -> None:
        """The heading once the export is over (not "Exporting …" any more)."""
        self.title_label.setText(fill(self.tr("Export of %1 to %2"), self._what, str(self.out)))

    def start(self) -> None:
        """Begin the export on a worker."""
        from voiceprint_studio import __version__
        from voiceprint_studio.transfer.sources import export_groups

        self._start(self.tr("Downloading the audio…"))
        workspace, groups, out, token = self.workspace, self.groups, self.out, self._cancel
        where = {
            "workspace": workspace.coze_profile.key,
            "base_url": workspace.coze_profile.base_url,
        }

        def run(ctx: TaskContext) -> int:
            client = workspace.coze()
            manifest = export_groups(
                client,
                list(client.iter_groups()) if groups is None else groups,
                out,
                source=where,
                app_version=__version__,
                cancel=token,
                progress=ctx.progress,
            )
            return len(manifest.voiceprints)

        self.runner.submit(
            "export", run, self._done, on_failure=self._failed, on_progress=self._progress
        )

    def _done(self, count: object) -> None:
        self._end_title()
        self._end(
            # (the heading says where: the path once is enough)
            fill(self.tr("Done: %1 exported."), words().voiceprints(int(str(count)))),
            True,
        )

    def _failed(self, exc: object) -> None:
        from voiceprint_studio.api.errors import UploadCancelledError

        assert isinstance(exc, BaseException)
        self._end_title()
        if isinstance(exc, UploadCancelledError):
            self._end(self.tr("Cancelled: no archive was written."), False)
            return
        self._end(
            fill(
                self.tr("The export failed: %1 No archive was written."),
                describe_error(exc).message,
            ),
            False,
        )


class ImportDialog(WorkDialog):
    """Preview and import ``source`` (an archive, a folder or a CSV) into ``workspace``."""

    def __init__(
        self,
        services: AppServices,
        workspace: Workspace,
        source: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import voiceprints"))
        self.services, self.workspace, self.source = services, workspace, source
        self.plan: Plan | None = None
        self._archive: Any = None
        self.warm_job_process(can_run_apart(services))
        self.title_label.setText(fill(self.tr("Import from %1"), str(source)))
        # where to: the groups the source names (found or created), one existing group, or
        # a new one (as the copy dialog offers: a backup taken into a new device's group)
        self.group_combo = QComboBox()
        self.group_combo.addItem(self.tr("The groups named in the source (found or created)"), "")
        self.group_combo.setEnabled(False)
        into_row = QFormLayout()
        into_title = QLabel(self.tr("Into &group:"))
        into_title.setBuddy(self.group_combo)
        into_row.addRow(into_title, self.group_combo)
        self.new_group_edit = add_new_group_row(into_row)
        self._into_row = into_row
        self.body.addLayout(into_row)
        self.new_group_edit.textChanged.connect(self._preview_new_group)
        self._source_plan: Plan | None = None
        self._names: dict[str, set[str] | None] = {}  # plan group key -> names there
        self._group_names: dict[str, set[str]] = {}  # target group id -> names there
        self._refusals: dict[str, Reason] = {}  # item key -> why the service would refuse it
        # item key -> why its group (named in the source) cannot be made: said only while
        # the items go into the groups the source names, not into one chosen here
        self._group_refusals: dict[str, Reason] = {}
        self._group_rows: dict[str, QTreeWidgetItem] = {}  # plan group key -> its row
        self._group_titles: dict[str, str] = {}  # target group id -> its name
        self._rows: dict[str, QTreeWidgetItem] = {}  # plan item key -> its row
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("What happens")])
        self.tree.setRootIsDecorated(True)
        self.body.addWidget(self.tree, 1)
        self.cost_label = QLabel()
        self.cost_label.setWordWrap(True)
        self.body.addWidget(self.cost_label)
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.on_import_button_clicked)
        self._finish_layout()
        self.resize(640, 460)

    # -- preview -----------------------------------------------------------------------

    def load(self) -> None:
        """Read and check the source, then preview it against the workspace (a worker)."""
        self.status_label.setText(self.tr("Reading and checking the source…"))
        source, workspace = self.source, self.workspace
        where = self.services.where_of(workspace.coze_profile)

        def run(
            _ctx: TaskContext,
        ) -> tuple[
            Any,
            Plan,
            dict[str, set[str] | None],
            list[tuple[str, str, int]],
            dict[str, Reason],
            dict[str, Reason],
        ]:
            from voiceprint_studio.transfer.archive import read_archive
            from voiceprint_studio.transfer.jobs import ItemRejectedError, group_name_too_long
            from voiceprint_studio.transfer.sources import (
                FileSource,
                entries_from_csv,
                entries_from_folder,
                plan_archive,
                plan_files,
            )

            archive = None
            if source.is_dir():
                plan = plan_files(entries_from_folder(source), target=where)
            elif source.suffix.lower() == ".csv":
                plan = plan_files(entries_from_csv(source), target=where)
            else:
                archive = read_archive(source)
                plan = plan_archive(archive, target=where)
            client = workspace.coze()
            groups = list(client.iter_groups())
            existing = {g.name: g.id for g in groups}
            names: dict[str, set[str] | None] = {}
            for group in plan.groups:
                gid = existing.get(group.name)
                names[group.key] = (
                    None if gid is None else {v.name for v in client.iter_voiceprints(gid)}
                )
            # each file through the checker now (on this worker): the preview says which
            # will be skipped and why, not "will be created" of a file refused later
            refusals: dict[str, Reason] = {}
            group_refusals: dict[str, Reason] = {}
            for group in plan.groups:  # (a group that is not there, and cannot be made)
                too_long = None if names[group.key] is not None else group_name_too_long(group.name)
                if too_long is not None:
                    group_refusals.update(
                        (i.key, too_long) for i in plan.items if i.group == group.key
                    )
            if archive is None:
                files = FileSource()
                for item in plan.items:
                    try:
                        files.checked(item)
                    except ItemRejectedError as exc:
                        refusals[item.key] = exc.reason
            listed = [(g.id, g.name, g.feature_count) for g in groups]
            return archive, plan, names, listed, refusals, group_refusals

        self.runner.submit("load", run, self._loaded, on_failure=self._load_failed)

    def _loaded(self, result: object) -> None:
        assert isinstance(result, tuple)
        self._archive, plan, self._names, groups, self._refusals, self._group_refusals = result
        self._source_plan = plan
        for gid, name, count in groups:
            # what each holds, of the most it may (as the copy dialog and the add dialog)
            self.group_combo.addItem(held_label(name, count), gid)
            self._group_titles[gid] = name
        add_new_group_item(self.group_combo)
        self.group_combo.setEnabled(bool(plan.items))
        self.group_combo.currentIndexChanged.connect(self.on_group_combo_changed)
        self._preview(plan, self._names)

    @Slot(int)
    def on_group_combo_changed(self, _index: int) -> None:
        plan = self._source_plan
        if plan is None or self._running:
            return
        gid = str(self.group_combo.currentData() or "")
        self.runner.cancel("group")  # (a listing for another choice no longer matters)
        new = gid == NEW_GROUP
        self._into_row.setRowVisible(self.new_group_edit, new)
        if new:
            chosen_here = self.group_combo.hasFocus()  # (before the preview moves it)
            self._preview_new_group()
            if chosen_here:
                self.new_group_edit.setFocus()
            return
        if not gid:
            self._preview(plan, self._names)
            return
        into = _into(plan, gid, self._group_titles.get(gid, ""))
        known = self._group_names.get(gid)
        if known is not None:
            self._preview(into, {"t": known})
            return
        # what that group holds (one list call), then the preview
        self.import_button.setEnabled(False)
        self.status_label.setText(self.tr("Loading the voiceprints of that group…"))
        workspace = self.workspace

        def run(_ctx: TaskContext) -> set[str]:
            return {v.name for v in workspace.coze().iter_voiceprints(gid)}

        def listed(result: object) -> None:
            assert isinstance(result, set)
            self._group_names[gid] = result
            if self.group_combo.currentData() == gid and not self._running:
                self._preview(into, {"t": result})

        def failed(exc: object) -> None:  # (Import stays off: the preview is not known)
            assert isinstance(exc, BaseException)
            if self.group_combo.currentData() == gid and not self._running:
                self.status_label.setText(
                    fill(
                        self.tr("The voiceprints of that group could not be listed: %1"),
                        describe_error(exc).message,
                    )
                )

        self.runner.submit("group", run, listed, on_failure=failed)

    def _preview_new_group(self) -> None:
        """ "A new group…" chosen: every voiceprint into the group of the name typed (found
        by that name when it is made, else created: never made twice); Import stays off,
        saying why, while the name cannot be used."""
        plan = self._source_plan
        if plan is None or self._running or self.group_combo.currentData() != NEW_GROUP:
            return
        typed = self.new_group_edit.text()
        self._preview(_into(plan, "", typed.strip()), {"t": None})
        problem = self.new_group_problem()
        if problem:
            self.import_button.setEnabled(False)
            # (said once something was typed: "Enter a name" before that reads as a reproach)
            self.status_label.setText(problem if typed else "")

    def new_group_problem(self) -> str:
        """With "A new group…" chosen, why its name cannot be used; empty when it can (or
        another target is chosen)."""
        if self.group_combo.currentData() != NEW_GROUP:
            return ""
        return words().new_group_problem(
            self.new_group_edit.text(), list(self._group_titles.values())
        )

    def _preview(self, plan: Plan, names: dict[str, set[str] | None]) -> None:
        """Show what ``plan`` will do, given the names each target group holds."""
        self.plan = plan
        self.tree.clear()
        self._rows = {}
        self._group_rows = {}
        new = there = full = skipped = 0
        refusals = (  # (a group's own refusals: only into the groups the source names)
            self._group_refusals | self._refusals if plan is self._source_plan else self._refusals
        )
        for group in plan.groups:
            present = names.get(group.key)
            row = QTreeWidgetItem(
                [
                    group.name,
                    self.tr("a new group") if present is None else self.tr("an existing group"),
                ]
            )
            self.tree.addTopLevelItem(row)
            self._group_rows[group.key] = row
            items = [i for i in plan.items if i.group == group.key]
            fresh = [
                i
                for i in items
                if (present is None or i.name not in present) and i.key not in refusals
            ]
            # which ones get the room left is decided as they arrive (several at once)
            room = max(0, MAX_VOICEPRINTS - len(present or ()))
            new += min(room, len(fresh))
            full += max(0, len(fresh) - room)
            for item in items:
                refused = refusals.get(item.key)
                if refused is not None:
                    what = fill(self.tr("will be skipped: %1"), reason_text(refused))
                    skipped += 1
                elif present is not None and item.name in present:
                    there += 1
                    what = self.tr(
                        "one of this name is there: kept if its audio is the same, else added"
                    )
                elif room == 0:
                    what = self.tr(
                        "no room: the group holds %n voiceprint(s) at most", "", MAX_VOICEPRINTS
                    )
                elif len(fresh) > room:
                    what = fill(
                        self.tr("will be created if there is room (room for %1 of %2)"),
                        str(room),
                        str(len(fresh)),
                    )
                else:
                    what = self.tr("will be created")
                child = QTreeWidgetItem([item.name, what])
                for column in (0, 1):  # whole in the tooltip where the column cuts it
                    child.setToolTip(column, child.text(column))
                row.addChild(child)
                self._rows[item.key] = child
            row.setExpanded(True)
        # names whole (with room for the expander), yet the reasons keep most of the width
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(
            0, min(max(self.tree.columnWidth(0) + 16, 160), self.tree.width() // 2)
        )
        said = fill(
            self.tr("%1 to create, %2 of the same name already there."), str(new), str(there)
        )
        if full:
            said = sentences(said, self.tr("%n will not fit and will be skipped.", "", full))
        if skipped:
            # (why is in each one's row: the checker on this computer, mostly, not the
            # service; "below" pointed away from the rows)
            said = sentences(
                said, self.tr("%n will be skipped; each one's row says why.", "", skipped)
            )
        self.status_label.setText(said)
        if not self.workspace.coze_profile.offline:
            self.cost_label.setText(
                fill(
                    self.tr(
                        "This import makes at most %1 API calls on the Coze account (a free "
                        "plan allows %2 calls in all)."
                    ),
                    str(plan.estimate_calls()),
                    str(FREE_PLAN_CALLS),
                )
            )
        self.import_button.setEnabled(bool(plan.items))
        if plan.items and not self.new_group_edit.hasFocus():
            # (not from the new group's name: each letter typed there previews again)
            self.import_button.setFocus()

    def _load_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self.status_label.setText(
            fill(self.tr("%1 Nothing was imported."), describe_error(exc).message)
        )
        self.close_button.setText(self.tr("&Close"))

    # -- import ----------------------------------------------------------------------------

    @Slot()
    def on_import_button_clicked(self) -> None:
        from voiceprint_studio.transfer.jobs import Job
        from voiceprint_studio.transfer.sources import ArchiveSource, FileSource

        plan = self.plan
        assert plan is not None
        if self.new_group_problem():  # (Enter in the name: Import is off, and says why)
            return
        self.import_button.setEnabled(False)
        self.group_combo.setEnabled(False)
        self.new_group_edit.setEnabled(False)
        self._start(self.tr("Importing…"))
        folder = jobs_folder(self.services)
        workspace, token = self.workspace, self._cancel
        archive, self._archive = self._archive, None  # the job closes it when it ends
        source = ArchiveSource(archive) if archive is not None else FileSource()

        services = self.services
        process = self.job_process
        assert process is not None
        archive_path = archive.path if archive is not None else None

        def run(ctx: TaskContext) -> JobResult:
            folder.mkdir(parents=True, exist_ok=True)

            def report(p: JobProgress) -> None:
                ctx.progress(p.items_done, p.items_total)

            try:
                job = Job.create(folder, plan)
                # in a process of its own when it can (the uploads and a folder's
                # conversions keep the GUI's GIL and CPU free); the archive is read, and
                # checked, again there
                apart = resume_apart(
                    services,
                    process,
                    job.folder,
                    None,
                    workspace,
                    archive=archive_path,
                    cancel=token,
                    progress=report,
                )
                if apart is not None:
                    return apart
                return job.run(source, workspace.coze(), cancel=token, progress=report)
            finally:
                if archive is not None:
                    archive.close()

        self.runner.submit(
            "import",
            run,
            self._imported,
            on_failure=self._import_failed,
            on_progress=self._progress,
        )

    def _imported(self, result: object) -> None:
        from voiceprint_studio.transfer.jobs import JobResult

        assert isinstance(result, JobResult)
        # each row says what happened to it, not what was going to
        for item, _id in result.created:
            self._say_row(item.key, self.tr("created"))
        for item, _id in result.existed:
            self._say_row(item.key, self.tr("already there (the same audio): kept"))
        for item, why in result.skipped:
            self._say_row(item.key, fill(self.tr("skipped: %1"), reason_text(why)))
        for item, why in result.failed:
            self._say_row(item.key, fill(self.tr("not done: %1"), reason_text(why)))
        # the groups' rows too ("a new group" was what was going to happen)
        made = {item.key for item, _id in result.created}
        kept = {item.key for item, _id in result.existed}
        plan = self.plan
        for group_key, row in self._group_rows.items():
            keys = {i.key for i in plan.items if i.group == group_key} if plan else set()
            row.setText(
                1,
                fill(
                    self.tr("%1 created, %2 already there"),
                    str(len(keys & made)),
                    str(len(keys & kept)),
                ),
            )
        self.tree.headerItem().setText(1, self.tr("What happened"))
        said = result_text(result)
        self._end(fill(self.tr("Imported: %1"), said) if result.complete else said, result.complete)

    def _say_row(self, key: str, text: str) -> None:
        row = self._rows.get(key)
        if row is not None:
            row.setText(1, text)
            row.setToolTip(1, text)

    def _import_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self._end(
            sentences(
                # (a space after the reason, none after a full-width "。")
                fill(self.tr("The import stopped: %1"), describe_error(exc).message),
                self.tr("What was done is kept; resume it from File > Transfers."),
            ),
            False,
        )

    def done(self, result: int) -> None:
        super().done(result)
        if self._archive is not None:  # read, previewed, not imported
            self._archive.close()
            self._archive = None


def _into(plan: Plan, group_id: str, group_name: str) -> Plan:
    """``plan`` with every item going into the existing group ``group_id``."""
    from dataclasses import replace

    from voiceprint_studio.transfer.jobs import PlanGroup

    return replace(
        plan,
        groups=(PlanGroup("t", group_name, target_id=group_id),),
        items=tuple(replace(item, group="t") for item in plan.items),
    )
