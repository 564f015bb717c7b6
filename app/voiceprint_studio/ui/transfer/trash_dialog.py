"""File > Recently deleted: what deletes removed, kept 30 days on this computer.

Lists each entry (a group or some voiceprints, where from, when, size) with the total
size; *Restore* creates the voiceprints again in the current workspace (new ids: the
service gives every voiceprint a new one, and the dialog says so), *Remove* forgets an
entry and *Empty* all of them. Entries older than 30 days are removed when it opens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.settings.call_budget import FREE_PLAN_CALLS
from voiceprint_studio.settings.profiles import profile_of
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner
from voiceprint_studio.ui.shell.connection_dialog import profile_label
from voiceprint_studio.ui.transfer.copy_dialog import (
    WINDOW_RELOAD_CALLS,
    jobs_folder,
    result_text,
    words,
)
from voiceprint_studio.ui.transfer.safety_net import trash_folder

if TYPE_CHECKING:
    from voiceprint_studio.transfer.trash import Entry, RecentlyDeleted

EntryRole = Qt.ItemDataRole.UserRole + 1
# The column with each entry's size on disk.
SIZE_COLUMN = 4


def restore_calls(entry: Entry) -> int:
    """API calls a restore of ``entry`` makes at most: for audio from before a Replace, a
    look for its voiceprint (restored into another workspace, or added as new, the rest
    follows); a look for its group, and (gone) for a group of its name, then the group
    listed for names already there, and the job's list (or its create), one create per
    voiceprint; then the window lists what it shows again."""
    from voiceprint_studio.transfer.jobs import estimate_calls

    return (
        (1 if entry.kind == "replaced" else 0)
        + 2
        + estimate_calls(groups_given=1, groups_by_name=0, items=len(entry.voiceprints), move=False)
        + WINDOW_RELOAD_CALLS
    )


def size_text(size: int) -> str:
    """A size in MB with one decimal (KB below 0.1 MB)."""
    if size < 100 * 1024:
        return fill(QCoreApplication.translate("RecentlyDeleted", "%1 KB"), f"{size / 1024:.0f}")
    return fill(
        QCoreApplication.translate("RecentlyDeleted", "%1 MB"), f"{size / (1024 * 1024):.1f}"
    )


def workspace_label(where: Mapping[str, str]) -> str:
    """The name of the workspace a job or an entry records (translated), with the account
    when it records one ("Coze China (api.coze.cn), account “Wang Fang”")."""
    profile = profile_of(where)
    if profile is None:
        return QCoreApplication.translate("RecentlyDeletedDialog", "not recorded")
    account = where.get("user_name") or where.get("user_id")
    if not account:
        return profile_label(profile)
    return fill(
        QCoreApplication.translate("RecentlyDeletedDialog", "%1, account “%2”"),
        profile_label(profile),
        account,
    )


class RecentlyDeletedDialog(QDialog):
    """The safety net's list (see the module docstring).

    Signals:
        restored(): a restore created voiceprints (the views showing them are stale).
    """

    restored = Signal()

    def __init__(
        self,
        services: AppServices,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        store: RecentlyDeleted | None = None,
    ) -> None:
        super().__init__(parent)
        from voiceprint_studio.transfer.trash import RecentlyDeleted

        self.services, self.workspace = services, workspace
        self.store = store or RecentlyDeleted(trash_folder(services))
        self._kept = (0, 0)  # entries listed, their size on disk
        self.runner = TaskRunner(parent=self)
        self.confirm_box: QMessageBox | None = None  # the last question asked
        self.setWindowTitle(self.tr("Recently deleted"))
        intro = QLabel(
            self.tr(
                "Voiceprints you deleted are kept here on this computer for 30 days. "
                "Restoring creates them again (with new ids); audio from before a Replace "
                "goes back into its voiceprint (the same id)."
            )
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                self.tr("What"),
                self.tr("Group"),
                self.tr("Workspace"),
                self.tr("Deleted"),
                self.tr("Size"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        self.size_label = QLabel()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("&Restore"))
        self.remove_button = QPushButton(self.tr("Re&move…"))
        self.empty_button = QPushButton(self.tr("&Empty…"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.restore_button, self.remove_button, self.empty_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        # Enter restores what is selected (it closed the dialog); Escape closes
        for each in buttons.buttons():
            if isinstance(each, QPushButton):
                each.setAutoDefault(False)
        self.restore_button.setDefault(True)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.restore_button.clicked.connect(self.on_restore_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.empty_button.clicked.connect(self.on_empty_button_clicked)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.size_label)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(780, 400)
        self.reload()

    def reload(self) -> None:
        """Expire old entries and list the rest (a worker: it reads the disk)."""
        store = self.store

        def run(_ctx: TaskContext) -> list[tuple[Entry, int]]:
            store.expire()
            # (each one's size read here, once: not again on the GUI thread)
            return [(entry, entry.size_bytes) for entry in store.entries()]

        if self.tree.topLevelItemCount() == 0:
            # (a long list, or a slow disk: not an empty-looking list meanwhile)
            self.size_label.setText(self.tr("Reading what is kept here…"))
        self.runner.submit("list", run, self._listed, on_failure=self._list_failed)

    def _list_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        said = describe_error(exc)
        self.size_label.setText(
            fill(
                self.tr("What is kept here could not be read: %1"),
                sentences(said.message, said.next_step),
            )
        )

    def _listed(self, result: object) -> None:
        assert isinstance(result, list)
        entries = [entry for entry, _size in result]
        total = sum(size for _entry, size in result)
        self.tree.clear()
        for entry, size in result:
            if entry.kind == "group":
                what = fill(self.tr("The group, %1"), self._count(len(entry.voiceprints)))
            elif entry.kind == "replaced" and entry.undone:
                # (the audio a Restore put its older audio back over)
                what = fill(
                    self.tr("%1 (its audio before a Restore)"),
                    ", ".join(v.name for v in entry.voiceprints),
                )
            elif entry.kind == "replaced":
                what = fill(
                    self.tr("%1 (its audio before a Replace)"),
                    ", ".join(v.name for v in entry.voiceprints),
                )
            else:
                what = ", ".join(v.name for v in entry.voiceprints)
            when = QDateTime.fromSecsSinceEpoch(int(entry.deleted_at)).toString("yyyy-MM-dd HH:mm")
            row = QTreeWidgetItem(
                [
                    what,
                    entry.group_name,
                    workspace_label(entry.workspace),
                    when,
                    size_text(size),
                ]
            )
            row.setData(0, EntryRole, entry)
            for column in range(3):
                row.setToolTip(column, row.text(column))
            self.tree.addTopLevelItem(row)
        # (the headers are short words: a column is never narrower than a few names; a long
        # one -- names, a custom server's address -- ends in "…", whole in its tooltip)
        widest = {0: 240, 1: 170, 2: 200, 3: 170}
        for column, most in widest.items():  # (the last one, the size, stretches)
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(max(self.tree.columnWidth(column) + 12, 90), most))
        self._kept = (len(entries), total)
        first = self.tree.topLevelItem(0)
        if first is not None:  # selected, not only outlined: Enter restores it
            self.tree.setCurrentItem(first)
        self.size_label.setText(
            fill(self.tr("%1 kept, %2 on disk."), self._entries(len(entries)), size_text(total))
            if entries
            else self.tr("Nothing is kept here.")
        )
        self._update_buttons()

    def _count(self, n: int) -> str:
        return words().voiceprints(n)

    def _entries(self, n: int) -> str:
        return self.tr("%n deletion(s)", "", n)

    def selected(self) -> Entry | None:
        """The entry selected, if any."""
        items = self.tree.selectedItems()
        if not items:
            return None
        entry = items[0].data(0, EntryRole)
        return entry  # type: ignore[no-any-return]

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        listed = self.tree.topLevelItemCount() > 0
        self.empty_button.setEnabled(listed)
        # Nothing left to restore (the last one restored, or nothing kept): Enter closes
        self.close_button.setDefault(not listed)
        self.restore_button.setDefault(listed)

    @Slot()
    def on_restore_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        from voiceprint_studio.transfer.trash import other_accounts

        profile = self.workspace.coze_profile
        open_here = self.services.where_of(profile)
        here = workspace_label(open_here)
        # on a Coze account a restore spends calls: said before, as every job says it
        cost = (
            ""
            if profile.offline
            else fill(
                self.tr(
                    "This makes at most %1 API calls on the Coze account (a free plan allows "
                    "%2 calls in all)."
                ),
                str(restore_calls(entry)),
                str(FREE_PLAN_CALLS),
            )
        )
        # (the same profile with a token of another account is another workspace; so is
        # one whose account is not known, when the entry names the account it came from)
        unknown = bool(entry.workspace.get("user_id")) and not open_here.get("user_id")
        if (
            profile_of(entry.workspace) == profile
            and not other_accounts(entry.workspace, open_here)
            and not unknown
        ):
            if not cost:
                self.restore(entry)
                return
            self.confirm_box, _restore = ask_to_confirm(
                self,
                title=self.tr("Restore"),
                text=fill(
                    self.tr("Create %1 again in “%2”, in %3?"),
                    self._count(len(entry.voiceprints)),
                    entry.group_name,
                    here,
                ),
                info=cost,
                act=self.tr("Restore"),
                on_act=lambda: self.restore(entry),
                destructive=False,
                icon=QMessageBox.Icon.Question,
            )
            return
        # deleted in another workspace (or where is not recorded): restoring here is a copy
        # into this one, which the operator decides
        self.confirm_box, _restore = ask_to_confirm(
            self,
            title=self.tr("Restore into another workspace"),
            text=fill(
                self.tr("This was deleted in %1. Restore it into the open workspace, %2?"),
                workspace_label(entry.workspace),
                here,
            ),
            info=sentences(
                self.tr(
                    "To restore it where it was deleted, cancel, switch to that workspace and "
                    "restore it from there."
                ),
                cost,
            ),
            act=self.tr("Restore here"),
            # (audio from before a Replace has no voiceprint of its own here: it becomes a
            # new one, which this question already asked)
            on_act=lambda: self.restore(entry, as_new=True),
            destructive=False,
            icon=QMessageBox.Icon.Question,
        )

    def restore(self, entry: Entry, *, as_new: bool = False, second_of_name: bool = False) -> None:
        """Re-create ``entry`` in the open workspace (on a worker); ``as_new``: audio a
        Replace took the place of becomes a new voiceprint when its own is gone;
        ``second_of_name``: also beside a voiceprint of the same name (asked first)."""
        store, workspace, jobs = self.store, self.workspace, jobs_folder(self.services)
        target = self.services.where_of(workspace.coze_profile)
        self.restore_button.setEnabled(False)
        self.status_label.setText(self.tr("Restoring…"))

        def run(_ctx: TaskContext) -> object:
            return store.restore(
                entry,
                workspace.coze(),
                jobs,
                target,
                as_new=as_new,
                second_of_name=second_of_name,
            )

        self.runner.submit(
            "restore",
            run,
            lambda result: self._restored(entry, result),
            on_failure=lambda exc: self._restore_failed(exc, entry, as_new=as_new),
        )

    def _ask_to_add_as_new(self, entry: Entry, name: str) -> None:
        """The voiceprint whose audio a Replace took is gone: adding the audio back makes
        a new voiceprint, perhaps a second of its name -- asked, never done unasked."""
        self._ask_before_restoring(
            fill(
                self.tr(
                    "The voiceprint “%1” this audio was replaced in is gone. Add the audio as "
                    "a new voiceprint “%1” in “%2”?"
                ),
                name,
                entry.group_name,
            ),
            self.tr(
                "If a voiceprint of that name is back in the group already (restored with "
                "the group, say), there will be two of that name."
            ),
            self.tr("Add as new"),
            # (a second of its name: this question said so)
            lambda: self.restore(entry, as_new=True, second_of_name=True),
        )

    def _ask_to_restore_a_second(self, entry: Entry, names: list[str], *, as_new: bool) -> None:
        """The group holds voiceprints of these names with other audio (the person was
        enrolled again since the delete, say): a restore makes a second of each name --
        asked, never done unasked (``as_new``: as the restore that was not started)."""
        self._ask_before_restoring(
            fill(
                self.tr(
                    "The group “%1” already has voiceprint(s) named %2, with other audio "
                    "(enrolled again since the delete, perhaps). Restoring makes a second "
                    "voiceprint of each of those names. Restore?",
                    "",
                    len(names),
                ),
                entry.group_name,
                QLocale().createSeparatedList([f"“{n}”" for n in names]),
            ),
            self.tr(
                "Identify and agents tell two voiceprints of one name apart only by their "
                "ids. To keep one, delete the other afterwards."
            ),
            self.tr("Restore anyway"),
            lambda: self.restore(entry, as_new=as_new, second_of_name=True),
        )

    def _ask_before_restoring(
        self, text: str, info: str, act: str, on_act: Callable[[], None]
    ) -> None:
        """A restore that was not started asks ``text`` (Cancel is the default)."""
        self.status_label.setText("")
        self._update_buttons()
        self.confirm_box, _act = ask_to_confirm(
            self,
            title=self.tr("Restore"),
            text=text,
            info=info,
            act=act,
            on_act=on_act,
            destructive=False,
            icon=QMessageBox.Icon.Question,
        )

    def _restored(self, entry: Entry, result: object) -> None:
        from voiceprint_studio.transfer.jobs import JobResult

        assert isinstance(result, JobResult)
        nothing_new = result.complete and result.existed and not result.created
        if nothing_new and entry.kind != "replaced":
            # (an import or an earlier restore had brought them back already)
            self.status_label.setText(
                fill(
                    self.tr(
                        "Nothing was created: everything this held is already in the group “%1”."
                    ),
                    entry.group_name,
                )
            )
        elif nothing_new:  # a Replace undone
            self.status_label.setText(
                fill(
                    self.tr(
                        "“%1” has its audio from before the Replace again (the same id). The "
                        "audio it had until now is kept here."
                    ),
                    result.existed[0][0].name,
                )
            )
        elif result.complete and self.workspace.coze_profile.offline:
            # (no agent uses the offline workspace's ids)
            self.status_label.setText(
                self.tr("Restored: %n voiceprint(s) with new ids.", "", len(result.created))
            )
        elif result.complete:
            self.status_label.setText(
                self.tr(
                    "Restored: %n voiceprint(s) with new ids; agents that use the old ids "
                    "need the new ones.",
                    "",
                    len(result.created),
                )
            )
        else:
            self.status_label.setText(result_text(result))
        self.reload()
        self.tree.setFocus()  # (not the next button along, "Empty")
        if result.created or result.existed:
            self.restored.emit()

    def _restore_failed(self, exc: object, entry: Entry, *, as_new: bool) -> None:
        from voiceprint_studio.transfer.trash import ReplacedVoiceprintGoneError, SameNameError

        assert isinstance(exc, BaseException)
        if isinstance(exc, ReplacedVoiceprintGoneError):
            self._ask_to_add_as_new(entry, exc.name)
            return
        if isinstance(exc, SameNameError):
            self._ask_to_restore_a_second(entry, exc.names, as_new=as_new)
            return
        self.status_label.setText(
            fill(self.tr("Not restored: %1 The entry is kept."), describe_error(exc).message)
        )
        self._update_buttons()

    @Slot()
    def on_remove_button_clicked(self) -> None:
        items = self.tree.selectedItems()
        entry = self.selected()
        if entry is None:
            return
        store = self.store

        def remove() -> None:
            self.status_label.setText("")  # (what it said was of another entry)
            self.runner.submit("remove", lambda _ctx: store.remove(entry), lambda _r: self.reload())

        # (the last copy of what was deleted: it cannot be taken back, so it is asked first)
        self.confirm_box, _remove = ask_to_confirm(
            self,
            title=self.tr("Remove from recently deleted"),
            text=fill(
                self.tr(
                    "Remove “%1” from recently deleted? Its audio (%2) is deleted from this "
                    "computer and cannot be restored afterwards."
                ),
                items[0].text(0),
                items[0].text(SIZE_COLUMN),  # (as listed: the disk is not read again here)
            ),
            act=self.tr("Remove"),
            on_act=remove,
        )

    @Slot()
    def on_empty_button_clicked(self) -> None:
        store = self.store

        def empty() -> None:
            self.status_label.setText("")  # (what it said was of an entry now gone)
            self.runner.submit("empty", lambda _ctx: store.empty(), lambda _r: self.reload())

        count, total = self._kept
        self.confirm_box, _empty = ask_to_confirm(
            self,
            title=self.tr("Empty recently deleted"),
            text=fill(
                self.tr(
                    "Forget the %n deletion(s) kept here (%1), from every workspace? They "
                    "cannot be restored afterwards.",
                    "",
                    count,
                ),
                size_text(total),
            ),
            act=self.tr("Empty"),
            on_act=empty,
        )

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)
