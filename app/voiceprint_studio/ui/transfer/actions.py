"""The main window's File-menu entries for transfers.

:class:`TransferActions` owns the actions *Copy or move…*, *Export…*, *Import…*,
*Transfers…* and *Recently deleted…* and opens their dialogs for the main window's
workspace and selection (the groups selected in the groups view, or the voiceprint
selected in the voiceprints view when that view has the focus).

It also owns :attr:`TransferActions.notice`, a status-bar button shown while transfer
jobs are unfinished ("2 transfers did not finish — Resume…", opening *Transfers…*):
:meth:`TransferActions.check_unfinished` counts them from their journals on a worker
(at start-up and whenever a transfer dialog closes; no network call).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QPushButton, QWidget

from voiceprint_studio.ui.common.folders import remember, start_folder
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.window_hold import focus_back_on_close
from voiceprint_studio.ui.common.worker import TaskRunner

if TYPE_CHECKING:
    from voiceprint_studio.api.models import Voiceprint, VoiceprintGroup
    from voiceprint_studio.ui.groups.groups_panel import GroupsPanel
    from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel


def archive_stem(name: str) -> str:
    """``name`` as a file name on any system: the characters Windows, macOS or Linux do
    not allow in one (``<>:"/\\|?*`` and control characters) become ``_``; spaces and
    dots at the ends go (Windows); empty when nothing is left."""
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(" .")


class Window(Protocol):
    """What the actions need of the main window (a protocol: the shell imports this module)."""

    services: AppServices
    workspace: Workspace | None

    @property
    def groups_panel(self) -> GroupsPanel: ...

    @property
    def voiceprints_panel(self) -> VoiceprintsPanel: ...

    def focusWidget(self) -> QWidget | None: ...

    def refresh_coze_views(self) -> None: ...


class TransferActions(QObject):
    """The File-menu entries of transfers (see the module docstring). Signals: none."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.parent_widget = window
        self.window = cast(Window, window)
        self.copy_action = QAction(self.tr("&Copy or move…"), self)
        self.copy_action.setToolTip(
            self.tr("Copy or move the selected groups or voiceprint to another group or workspace")
        )
        self.export_action = QAction(self.tr("E&xport groups…"), self)
        self.export_all_action = QAction(self.tr("Export the &whole workspace…"), self)
        self.import_archive_action = QAction(self.tr("&Import from an archive or CSV…"), self)
        self.import_folder_action = QAction(self.tr("Import from a &folder…"), self)
        self.jobs_action = QAction(self.tr("&Transfers…"), self)
        self.trash_action = QAction(self.tr("Recently &deleted…"), self)
        self.copy_action.triggered.connect(self.on_copy_action_triggered)
        self.export_action.triggered.connect(self.on_export_action_triggered)
        self.export_all_action.triggered.connect(self.on_export_all_action_triggered)
        self.import_archive_action.triggered.connect(self.on_import_archive_action_triggered)
        self.import_folder_action.triggered.connect(self.on_import_folder_action_triggered)
        self.jobs_action.triggered.connect(self.on_jobs_action_triggered)
        self.trash_action.triggered.connect(self.on_trash_action_triggered)
        self.dialog: QWidget | None = None
        self.notice = QPushButton()
        self.notice.setFlat(True)
        self.notice.setVisible(False)
        self.notice.setToolTip(self.tr("Open File > Transfers to resume or discard them"))
        self.notice.clicked.connect(self.on_jobs_action_triggered)
        self.unfinished = 0
        self._runner = TaskRunner(parent=self)

    def check_unfinished(self) -> None:
        """Count the unfinished transfer jobs on a worker (their folders on this computer;
        no network call) and show :attr:`notice` when there are any."""
        from voiceprint_studio.transfer.jobs import unfinished_jobs
        from voiceprint_studio.ui.transfer.copy_dialog import jobs_folder

        folder = jobs_folder(self.window.services)
        self._runner.submit(
            "unfinished", lambda _ctx: len(unfinished_jobs(folder)), self._unfinished_counted
        )

    def _unfinished_counted(self, count: object) -> None:
        assert isinstance(count, int)
        self.unfinished = count
        self.notice.setText(self.tr("%n transfer(s) did not finish — Resume…", "", count))
        self.notice.setVisible(count > 0)

    def _after_job(self, *, refresh: bool = True) -> None:
        """After a job: the views listed again (``refresh``: the job may have changed the
        window's workspace), and the unfinished jobs counted."""
        if refresh:
            # what the views said last is older than the job: "Deleted “x”." stayed on
            # after an import had made "x" again, "Restored." through an export (a tester's)
            for panel in (self.window.voiceprints_panel, self.window.groups_panel):
                panel.show_status("")
            self.window.refresh_coze_views()
        self.check_unfinished()

    def add_to(self, menu: QMenu) -> None:
        """Put the entries into ``menu`` (before what is there, with a separator)."""
        first = menu.actions()[0] if menu.actions() else None
        for action in (
            self.copy_action,
            self.export_action,
            self.export_all_action,
            self.import_archive_action,
            self.import_folder_action,
        ):
            menu.insertAction(first, action)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]
        menu.insertAction(first, self.jobs_action)  # type: ignore[arg-type]
        menu.insertAction(first, self.trash_action)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

    def add_to_context_menus(self, groups: GroupsPanel, voiceprints: VoiceprintsPanel) -> None:
        """Put Copy/move (and Export, for groups) at the end of the views' right-click
        menus: a right-click selects the row it is on, and that row is what is copied."""
        from voiceprint_studio.ui.groups.groups_panel import separator

        for table, actions in (
            (groups.table, [self.copy_action, self.export_action]),
            (voiceprints.table, [self.copy_action]),
        ):
            table.addActions([separator(table), *actions])

    # -- what is selected ---------------------------------------------------------------

    def _selection(self) -> list[tuple[VoiceprintGroup, Sequence[Voiceprint] | None]]:
        window = self.window
        voiceprints = window.voiceprints_panel
        focus = window.focusWidget()
        if (
            voiceprints is not None
            and focus is not None
            and voiceprints.isAncestorOf(focus)
            and voiceprints.group is not None
            and voiceprints.current_voiceprint() is not None
        ):
            chosen = voiceprints.current_voiceprint()
            assert chosen is not None
            return [(voiceprints.group, [chosen])]
        return [(group, None) for group in window.groups_panel.selected_groups()]

    def _say(self, text: str) -> None:
        QMessageBox.information(self.parent_widget, self.tr("Voiceprint Studio"), text)

    def _show(self, dialog: QDialog) -> None:
        """Show ``dialog``; when it closes, the keyboard focus goes back into the window's
        views (opened from the menu, the window had none to go back to, and the views'
        shortcuts -- Ctrl+N, Delete -- did nothing until a click)."""
        self.dialog = dialog
        focus_back_on_close(dialog, self.window.focusWidget(), self.window.groups_panel.table)
        dialog.show()

    # -- slots ------------------------------------------------------------------------

    @Slot()
    def on_copy_action_triggered(self) -> None:
        from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog

        workspace = self.window.workspace
        selection = self._selection()
        if workspace is None or not selection:
            self._say(self.tr("Select the groups (or a voiceprint) to copy or move first."))
            return
        window = self.window

        def shown() -> dict[str, tuple[float, list[Voiceprint]]]:
            """A whole group of the selection the window shows now, as it lists it (not
            listed again if Start comes soon); asked at Start, not at opening: the dialog
            is not modal, and the window may have listed the group again meanwhile."""
            pane = window.voiceprints_panel
            if pane.group is None or window.workspace is not workspace:
                return {}
            listing = pane.whole_group_listing()
            if listing is None:
                return {}
            return {
                group.id: listing
                for group, chosen in selection
                if chosen is None and group.id == pane.group.id
            }

        dialog = CopyDialog(window.services, workspace, selection, self.parent_widget, shown=shown)

        def after_copy(_ok: bool) -> None:
            # what the window shows when the job ends (the dialog is not modal: the
            # operator may have switched it to the target meanwhile, to see the copies
            # come): listed again when the job changed it; a copy into another workspace
            # changed nothing of the source's, and listing it would spend two calls of the
            # account's budget for nothing
            now = window.workspace.coze_profile if window.workspace is not None else None
            if now == dialog.target_profile():
                self._after_job(refresh=True)
            elif now == workspace.coze_profile:
                self._after_job(refresh=dialog.changed_source_workspace())
            else:
                self._after_job(refresh=False)

        dialog.finished_job.connect(after_copy)
        self._show(dialog)

    @Slot()
    def on_export_action_triggered(self) -> None:
        groups = self.window.groups_panel.selected_groups()
        if self.window.workspace is None or not groups:
            self._say(
                self.tr(
                    "Select the groups to export first, or use File > Export the whole workspace."
                )
            )
            return
        self._export(groups)

    @Slot()
    def on_export_all_action_triggered(self) -> None:
        self._export(None)

    def _export(self, groups: list[VoiceprintGroup] | None) -> None:
        from voiceprint_studio.ui.transfer.archive_dialogs import ExportDialog

        workspace = self.window.workspace
        if workspace is None:
            return
        # one group: its name (what it holds, and where it came from, at a glance)
        stem = archive_stem(groups[0].name) if groups is not None and len(groups) == 1 else ""
        name, _filter = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("Export to an archive"),
            str(start_folder() / f"{stem or 'voiceprints'}.zip"),
            self.tr("Voiceprint archives (*.zip)"),
        )
        if not name:
            return
        remember(name)
        out = Path(name) if name.lower().endswith(".zip") else Path(name + ".zip")
        dialog = ExportDialog(workspace, groups, out, self.parent_widget)
        self._show(dialog)
        dialog.start()

    def _import(self, source: Path) -> None:
        from voiceprint_studio.ui.transfer.archive_dialogs import ImportDialog

        workspace = self.window.workspace
        if workspace is None:
            return
        dialog = ImportDialog(self.window.services, workspace, source, self.parent_widget)
        dialog.finished_job.connect(lambda _ok: self._after_job())
        self._show(dialog)
        dialog.load()

    @Slot()
    def on_import_archive_action_triggered(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("Import voiceprints"),
            str(start_folder()),
            self.tr("Voiceprint archives and CSV lists (*.zip *.csv)"),
        )
        if name:
            remember(name)
            self._import(Path(name))

    @Slot()
    def on_import_folder_action_triggered(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self.parent_widget, self.tr("Import a folder of recordings"), str(start_folder())
        )
        if name:
            remember(Path(name).parent)  # (next time: beside it, not inside it)
            self._import(Path(name))

    @Slot()
    def on_jobs_action_triggered(self) -> None:
        from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

        dialog = TransfersDialog(self.window.services, self.parent_widget)
        dialog.finished.connect(lambda _r: self._after_job())
        # the notice and the views follow at once, not only when the dialog closes
        dialog.jobs_changed.connect(self._after_job)
        self._show(dialog)

    @Slot()
    def on_trash_action_triggered(self) -> None:
        from voiceprint_studio.ui.transfer.trash_dialog import RecentlyDeletedDialog

        workspace = self.window.workspace
        if workspace is None:
            return
        dialog = RecentlyDeletedDialog(self.window.services, workspace, self.parent_widget)
        # the main views show a restore at once, not only once the dialog is closed
        dialog.restored.connect(self.window.refresh_coze_views)

        # ... and say so there (the status lines still said "Deleted …")
        def say_restored() -> None:
            for panel in (self.window.voiceprints_panel, self.window.groups_panel):
                panel.show_status(dialog.status_label.text())

        dialog.restored.connect(say_restored)
        self._show(dialog)
