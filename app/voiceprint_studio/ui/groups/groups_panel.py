"""The voiceprint groups of the Coze workspace: a paged table with search and actions.

The table shows one server page at a time (:class:`~voiceprint_studio.ui.common.pager.Pager`);
the name search (a prefix, as the server matches it) is debounced and asked
of the server, like the "Created by me" filter. New / Edit / Delete work on
the selection; several groups can be deleted with one confirmation and a
per-group result. The selected group is announced to the voiceprints view
through :attr:`GroupsPanel.current_group_changed`.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import Page, UserInfo, VoiceprintGroup
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.ui.common.call_budget import budget_warning
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.lines import StatusStrip
from voiceprint_studio.ui.common.names import show_names_whole
from voiceprint_studio.ui.common.pager import Pager
from voiceprint_studio.ui.common.panel import (
    PagedPanel,
    load_failed_text,
    page_or_last,
)
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.table_model import RIGHT, Column, RecordTableModel, format_time
from voiceprint_studio.ui.common.window_hold import open_over
from voiceprint_studio.ui.common.worker import TaskContext
from voiceprint_studio.ui.enroll.pending import CLOCK_SLACK_SECONDS, uncertain_failure
from voiceprint_studio.ui.groups.group_dialogs import DeleteOutcome, DeleteResultDialog, GroupDialog

if TYPE_CHECKING:
    from voiceprint_studio.api import CozeClient

# How long the search waits after the last keystroke before asking the server.
SEARCH_DELAY_MS = 300
# How many names a multi-delete confirmation lists before "and N more".
_LISTED_NAMES = 12


def creator_name(user: UserInfo | None) -> str:
    """The creator as people know them: nickname, else user name, else id."""
    if user is None:
        return ""
    return user.nickname or user.name or user.id


def creator_text(user: UserInfo | None, local_user_id: str | None) -> str:
    """The creator column: the offline workspace's own user is "Local user", translated."""
    if user is not None and local_user_id is not None and user.id == local_user_id:
        return QCoreApplication.translate("GroupsPanel", "Local user")
    return creator_name(user)


def one_line(text: str) -> str:
    """``text`` with line breaks and runs of spaces folded (table cells are one line)."""
    return " ".join(text.split())


# A sample of the widest text of a time column (see ``format_time``).
TIME_SAMPLE = "2000-12-28 23:59"
# A sample of a creator's name as wide as most (longer ones elide; the tooltip has them).
CREATOR_SAMPLE = "Creator Name 00"


class RecordTable(QTableView):
    """A table of records: Enter or Return on a selected row does what a double-click on
    it does (Edit…), so the keyboard reaches it too (Enter did nothing)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and index.isValid()
            and self.selectionModel().isRowSelected(index.row(), index.parent())
        ):
            self.doubleClicked.emit(index)
            event.accept()
            return
        super().keyPressEvent(event)


def make_table(
    model: QAbstractItemModel,
    selection: QAbstractItemView.SelectionMode,
    samples: Mapping[int, str] | None = None,
) -> QTableView:
    """A read-only, row-selecting table over ``model`` whose rows stay one line high.

    Column 0 (the name) starts as wide as a name of 20 wide characters and is
    resizable (:func:`~voiceprint_studio.ui.common.names.show_names_whole`),
    column 1 (the description) takes the remaining width; a column with a text
    in ``samples`` starts as wide as that text (or its header) and is resizable,
    the others fit their contents. Text that does not fit is cut in the middle
    (two names that differ only at their ends still look different) and its
    tooltip shows it whole. (Fitting
    contents measures the visible rows after every page, which costs the GUI
    thread a few milliseconds per page: columns of known width avoid it.)
    """
    table = RecordTable()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(False)
    # Rows are selected whole: Tab leaves the table (else it walks the cells and the
    # keyboard never gets past an empty table).
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    # Columns sized to their contents measure only the visible rows: measuring
    # all 200 rows of a page stalls the GUI thread for about 100 ms.
    header.setResizeContentsPrecision(0)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    show_names_whole(table, 0)
    cell_metrics = table.fontMetrics()
    header_metrics = header.fontMetrics()
    for column, sample in (samples or {}).items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(
            cell_metrics.horizontalAdvance(sample) + _CELL_PADDING,
            header_metrics.horizontalAdvance(title) + _HEADER_PADDING,
        )
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
    return table


_CELL_PADDING = 16
_HEADER_PADDING = 24


def separator(parent: QObject) -> QAction:
    """A separator for a widget's actions (its context menu)."""
    action = QAction(parent)
    action.setSeparator(True)
    return action


def stack_with_empty_label(table: QTableView) -> tuple[QStackedWidget, QLabel]:
    """The table, and in its place a centred sentence when the list is empty."""
    empty_label = QLabel()
    empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    empty_label.setWordWrap(True)
    stack = QStackedWidget()
    stack.addWidget(table)
    stack.addWidget(empty_label)
    return stack, empty_label


@dataclass(frozen=True)
class _GroupsLoaded:
    page: Page[VoiceprintGroup]
    me_id: str | None
    local_user_id: str | None = None


class GroupsPanel(PagedPanel):
    """The groups table with paging, search, "Created by me" and New / Edit / Delete.

    Signals:
        current_group_changed(object): the selected group (a ``VoiceprintGroup``) or
            None; emitted when the selection changes and whenever a reload brings
            the selected group's data again.
        busy_changed(bool): inherited from :class:`Panel`.
    """

    current_group_changed = Signal(object)

    def __init__(
        self,
        services: AppServices,
        presenter: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, presenter, parent)
        self._page_num = 1
        self._me_id: str | None = None
        self._carried: frozenset[str] = frozenset()  # see carry_selection()
        self._loading = False
        self._deleting = False
        self._restoring = False
        self._emitted: VoiceprintGroup | None = None
        self._status = ""
        self._local_user: str | None = None  # the offline workspace's own user id
        self.last_dialog: GroupDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.result_dialog: DeleteResultDialog | None = None

        columns: list[Column[VoiceprintGroup]] = [
            Column(self.tr("Name"), lambda g: g.name),
            Column(self.tr("Description"), lambda g: one_line(g.desc)),
            Column(self.tr("Voiceprints"), lambda g: str(g.feature_count), RIGHT),
            Column(self.tr("Created by"), lambda g: creator_text(g.user_info, self._local_user)),
            Column(self.tr("Created"), lambda g: format_time(g.created_at)),
            Column(self.tr("Updated"), lambda g: format_time(g.updated_at)),
        ]
        self.model: RecordTableModel[VoiceprintGroup] = RecordTableModel(columns, self)

        # -- actions ---------------------------------------------------------------
        self.new_action = self._action(self.tr("&New group…"), QKeySequence.StandardKey.New)
        self.new_action.setToolTip(self.tr("Create a voiceprint group (Ctrl+N)"))
        self.edit_action = self._action(self.tr("&Edit group…"), Qt.Key.Key_F2)
        self.edit_action.setToolTip(self.tr("Change the name or description of the selected group"))
        self.delete_action = self._action(self.tr("&Delete group"), QKeySequence.StandardKey.Delete)
        self.delete_action.setToolTip(self.tr("Delete the selected groups and their voiceprints"))
        self.refresh_button_action = QAction(self.tr("Refresh"), self)
        self.refresh_button_action.setToolTip(self.tr("Load the groups again from the server (F5)"))
        self.new_action.triggered.connect(self.on_new_action_triggered)
        self.edit_action.triggered.connect(self.on_edit_action_triggered)
        self.delete_action.triggered.connect(self.on_delete_action_triggered)
        self.refresh_button_action.triggered.connect(self.on_refresh_button_action_triggered)

        # -- widgets ---------------------------------------------------------------
        title = QLabel(self.tr("Voiceprint groups"))
        title.setStyleSheet("font-weight: bold;")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search: name starts with…"))
        self.search_edit.setToolTip(
            self.tr("Shows the groups whose name starts with what you type.")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaxLength(20)
        self.search_edit.setMinimumWidth(180)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.on_search_timer_timeout)
        self.search_edit.textChanged.connect(self.on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self.on_search_edit_return_pressed)
        self.mine_check = QCheckBox(self.tr("Created by me"))
        self.mine_check.setToolTip(self.tr("Show only the groups you created"))
        self.mine_check.toggled.connect(self.on_mine_check_toggled)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        for action in (
            self.new_action,
            self.edit_action,
            self.delete_action,
            self.refresh_button_action,
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            top.addWidget(button)

        # What is loading (with a busy bar and Stop) or what last happened.
        self.state_label = StatusStrip()
        self.state_label.stop_requested.connect(self.on_state_label_stop_requested)
        self.busy_bar = self.state_label.busy_bar
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        filters.addWidget(self.mine_check)
        filters.addWidget(self.state_label, 3)

        self.table = make_table(
            self.model,
            QAbstractItemView.SelectionMode.ExtendedSelection,
            samples={2: "0000", 3: CREATOR_SAMPLE, 4: TIME_SAMPLE, 5: TIME_SAMPLE},
        )
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        # right-click: the same actions as the buttons (the window adds its transfers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.new_action, self.edit_action, self.delete_action])
        self.stack, self.empty_label = stack_with_empty_label(self.table)

        self.pager = Pager(services.preferences.get(prefs.PAGE_SIZE))
        self.pager.page_requested.connect(self.on_pager_page_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.pager)
        self._update_actions()

    # -- public API ------------------------------------------------------------------

    def current_group(self) -> VoiceprintGroup | None:
        """The selected group when exactly one is selected, else None."""
        groups = self.selected_groups()
        return groups[0] if len(groups) == 1 else None

    def selected_groups(self) -> list[VoiceprintGroup]:
        """The selected groups, in table order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.record(row) for row in rows if row < self.model.rowCount()]

    def focus_search(self) -> None:
        """Put the cursor in the search box (Find)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def set_workspace(self, workspace: Workspace) -> None:
        """Forget the previous workspace at once (rows, selection, status), then load.

        Nothing of the previous connection stays on screen: the table is emptied and
        says "Loading groups…" until this connection's own groups (or its error, such
        as "Not signed in") arrive.
        """
        self.runner.cancel_all()
        self._me_id = None
        self._deleting = False
        self._page_num = 1
        self._status = ""
        self._local_user = None
        self.model.set_records(())
        self.pager.set_state(1, 0)
        self.empty_label.setText(self.tr("Loading groups…"))
        self.stack.setCurrentWidget(self.empty_label)
        self._update_actions()
        if self._emitted is not None:
            self._emit_current(None)  # the voiceprints view forgets the group too
        super().set_workspace(workspace)

    def _on_page_failed(self, exc: BaseException) -> None:
        if self.model.rowCount() == 0:
            self.empty_label.setText(
                load_failed_text(
                    exc, self.tr("The groups could not be loaded. Click Refresh to try again.")
                )
            )
            self.stack.setCurrentWidget(self.empty_label)
        super()._on_page_failed(exc)

    def refresh(self) -> None:
        """Reload the page shown, keeping the selection."""
        self._load(self._page_num)

    def shutdown(self) -> None:
        """Stop the search timer and every call in flight."""
        self.search_timer.stop()
        super().shutdown()

    @property
    def loading(self) -> bool:
        """Whether a page is being loaded."""
        return self._loading

    @property
    def deleting(self) -> bool:
        """Whether a delete is running."""
        return self._deleting

    # -- loading -----------------------------------------------------------------------

    def _cached_user_id(self, workspace: Workspace) -> str | None:
        """The token owner's id cached by the call budget (no users/me call), if known."""
        budget = self.services.budget
        if budget is None or not budget.loaded or workspace.coze_profile.offline:
            return None
        return budget.state(workspace.coze_profile).user_id or None

    def _load(self, page_num: int, select_ids: Collection[str] | None = None) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        # None: the rows selected when the page arrives (the table stays usable meanwhile).
        keep = None if select_ids is None else frozenset(select_ids)
        size = self.pager.page_size
        name = self.search_edit.text().strip() or None
        mine = self.mine_check.isChecked()
        me_id = self._me_id or self._cached_user_id(workspace)

        def fetch(_ctx: TaskContext) -> _GroupsLoaded:
            client = workspace.coze()
            user_id = None
            if mine:
                user_id = me_id or client.me().user_id
            page = page_or_last(
                lambda num: client.list_groups(num, size, name=name, user_id=user_id),
                page_num,
                size,
            )
            return _GroupsLoaded(page, user_id, workspace.offline_user_id())

        self.pager.set_state(page_num, self.pager.total)  # quick clicks move on at once
        self._set_loading(True)
        self.run_task(
            "page",
            fetch,
            lambda result: self._on_page_loaded(result, keep),
            on_failure=self._on_page_failed,
            on_finished=lambda: self._set_loading(False),
        )

    def carry_selection(self, group_ids: Collection[str]) -> None:
        """Select ``group_ids`` when the next page arrives, if nothing is selected by then
        (the window rebuilt for another language keeps the group the operator was on)."""
        self._carried = frozenset(group_ids)

    def _on_page_loaded(self, result: _GroupsLoaded, select_ids: frozenset[str] | None) -> None:
        page = result.page
        if select_ids is None:
            select_ids = frozenset(g.id for g in self.selected_groups()) or self._carried
        self._carried = frozenset()
        self._page_arrived()
        if result.me_id is not None:
            self._me_id = result.me_id
        self._page_num = page.page_num
        self._local_user = result.local_user_id
        self._restoring = True
        try:
            self.model.set_records(page.items)
            selection = self.table.selectionModel()
            first = None
            for row, group in enumerate(page.items):
                if group.id in select_ids:
                    index = self.model.index(row, 0)
                    selection.select(
                        index,
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    if first is None:
                        first = index
            if first is not None:
                selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(first)
        finally:
            self._restoring = False
        self.pager.set_state(page.page_num, page.total)
        self._update_empty_state(page.total)
        self._update_actions()
        current = self.current_group()
        if current is not None or self._emitted is not None:
            self._emit_current(current)

    def _set_loading(self, loading: bool) -> None:
        # The table stays enabled (disabling it repaints it twice per page): the
        # actions that act on the rows wait for the page instead (_update_actions).
        self._loading = loading
        self.state_label.set_busy(loading or self._deleting, stoppable=loading)
        if loading:
            self.state_label.setText(self.tr("Loading groups…"))
        elif not self._deleting:
            self.state_label.setText(self._status)
        self._update_actions()

    def _set_status(self, text: str) -> None:
        """Show what last happened (until something else happens)."""
        self._status = text
        if not self._loading:
            self.state_label.setText(text)

    def _update_empty_state(self, total: int) -> None:
        if total > 0:
            self.stack.setCurrentWidget(self.table)
            return
        search = self.search_edit.text().strip()
        if search:
            text = self.tr(
                "No group name starts with “%1”. Check the spelling or clear the search."
            ).replace("%1", search)
        elif self.mine_check.isChecked():
            text = self.tr(
                "You have not created any voiceprint groups yet. "
                "Click New group to create one, or clear “Created by me” to see all groups."
            )
        else:
            text = self.tr("No voiceprint groups yet. Click New group to create one.")
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    def _update_actions(self) -> None:
        count = len(self.selected_groups())
        has_workspace = self.workspace is not None
        self.new_action.setEnabled(has_workspace)
        idle = not self._deleting and not self._loading
        self.edit_action.setEnabled(has_workspace and count == 1 and idle)
        self.delete_action.setEnabled(has_workspace and count >= 1 and idle)
        self.refresh_button_action.setEnabled(has_workspace)

    def _emit_current(self, group: VoiceprintGroup | None) -> None:
        self._emitted = group
        self.current_group_changed.emit(group)

    # -- slots: filters and paging -------------------------------------------------------

    @Slot(str)
    def on_search_edit_text_changed(self, _text: str) -> None:
        self.search_timer.start()

    @Slot()
    def on_search_edit_return_pressed(self) -> None:
        self.search_timer.stop()
        self._load(1)

    @Slot()
    def on_search_timer_timeout(self) -> None:
        self._load(1)

    @Slot(bool)
    def on_mine_check_toggled(self, _checked: bool) -> None:
        self._load(1)

    @Slot()
    def on_refresh_button_action_triggered(self) -> None:
        self.refresh()

    @Slot(QItemSelection, QItemSelection)
    def on_table_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        if self._restoring:
            return
        self._update_actions()
        current = self.current_group()
        if current != self._emitted:
            self._emit_current(current)

    @Slot()
    def on_table_double_clicked(self) -> None:
        if self.edit_action.isEnabled():
            self.edit_action.trigger()

    # -- create and edit -----------------------------------------------------------------

    def _open_group_dialog(self, group: VoiceprintGroup | None) -> GroupDialog:
        dialog = GroupDialog(group, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # (the groups listed now: a search or another page may hide more)
        dialog.fields.set_taken_names(
            [g.name for g in self.model.records() if group is None or g.id != group.id],
            self.tr(
                "A group named “%1” is already in this workspace: two groups of one name "
                "look the same in every list. Add something that tells them apart."
            ),
        )
        dialog.save_requested.connect(lambda name, desc: self._save_group(dialog, name, desc))
        open_over(dialog)  # non-modal over the held window: its × still works
        self.last_dialog = dialog
        return dialog

    @Slot()
    def on_new_action_triggered(self) -> None:
        if self.workspace is not None:
            self._open_group_dialog(None)

    @Slot()
    def on_edit_action_triggered(self) -> None:
        group = self.current_group()
        if group is not None and self.workspace is not None:
            self._open_group_dialog(group)

    def _save_group(self, dialog: GroupDialog, name: str, desc: str) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        group = dialog.group
        dialog.set_busy(True)
        in_doubt_since = dialog.create_in_doubt_since
        sent_at: list[float] = []

        def save(_ctx: TaskContext) -> str:
            client = workspace.coze()
            if group is None:
                if in_doubt_since is not None:
                    # an earlier try got no answer: it may have made the group -- look
                    # before sending the create again (a create is not idempotent)
                    made = _group_made_since(client, name, in_doubt_since)
                    if made:
                        return made
                sent_at.append(time.time())
                return client.create_group(name, desc or None)
            client.update_group(group.id, name=name, desc=desc)
            return group.id

        def saved(group_id: str) -> None:
            dialog.finish()
            if group is None:
                self._show_created(group_id, name)
            else:
                self._set_status(self.tr("Saved “%1”.").replace("%1", name))
                self._load(self._page_num, {group_id})

        def failed(exc: BaseException) -> None:
            dialog.set_busy(False)
            doubt = group is None and sent_at and uncertain_failure(exc)
            if doubt and dialog.create_in_doubt_since is None:
                dialog.create_in_doubt_since = sent_at[0]
            self.presenter.show(exc, dialog, on_not_found=self.refresh)

        self.run_task("save", save, saved, on_failure=failed)

    def _show_created(self, group_id: str, name: str) -> None:
        """Go where the new group is listed (newest first, page 1) and select it."""
        search = self.search_edit.text().strip()
        if search and not name.startswith(search):
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            self.search_timer.stop()
        self.table.clearSelection()
        self._load(1, {group_id})

    # -- delete --------------------------------------------------------------------------

    @Slot()
    def on_delete_action_triggered(self) -> None:
        groups = self.selected_groups()
        if not groups or self._deleting or self.workspace is None:
            return
        info = self._listed_names(groups) if len(groups) > 1 else ""
        # Two calls per group (a group holds at most 10 voiceprints, one page): the safety
        # net lists its voiceprints to keep their audio, then the delete. Past the free
        # plan's 500 calls Coze locks the account out.
        warning = budget_warning(self.services.budget, self.workspace.coze_profile, 2 * len(groups))
        kept = self.tr(
            "A copy of the recordings is kept on this computer for 30 days: "
            "File > Recently deleted restores them (as new voiceprints, with new ids)."
        )
        self.confirm_box, _delete = ask_to_confirm(
            self,
            title=self.tr("Delete groups") if len(groups) > 1 else self.tr("Delete group"),
            text=self.confirmation_text(groups),
            info="\n\n".join(text for text in (info, kept, warning) if text),
            act=self.tr("Delete"),
            on_act=lambda: self._delete(groups),
        )

    def confirmation_text(self, groups: Sequence[VoiceprintGroup]) -> str:
        """The question asked before deleting ``groups``: names and voiceprint counts."""
        if len(groups) == 1:
            group = groups[0]
            if group.feature_count == 0:
                return self.tr("Delete the group “%1”? It has no voiceprints.").replace(
                    "%1", group.name
                )
            return self.tr(
                "Delete the group “%1” and its %n voiceprint(s)?",
                "",
                group.feature_count,
            ).replace("%1", group.name)
        voiceprints = sum(g.feature_count for g in groups)
        return self.tr(
            "Delete these %1 groups and their %n voiceprint(s)?",
            "",
            voiceprints,
        ).replace("%1", str(len(groups)))

    def _listed_names(self, groups: Sequence[VoiceprintGroup]) -> str:
        lines = [
            "• " + self.tr("%1 (%n voiceprint(s))", "", g.feature_count).replace("%1", g.name)
            for g in groups[:_LISTED_NAMES]
        ]
        if len(groups) > _LISTED_NAMES:
            lines.append(self.tr("…and %n more", "", len(groups) - _LISTED_NAMES))
        return "\n".join(lines)

    def _delete(self, groups: Sequence[VoiceprintGroup]) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        targets = tuple(groups)
        services = self.services

        def delete(ctx: TaskContext) -> list[DeleteOutcome]:
            from voiceprint_studio.ui.transfer.safety_net import delete_with_safety_net

            client = workspace.coze()
            outcomes: list[DeleteOutcome] = []
            for number, group in enumerate(targets, start=1):
                if ctx.cancelled:
                    break
                try:
                    # the safety net first: nothing is deleted without a copy kept
                    delete_with_safety_net(
                        services, workspace, group, None, partial(client.delete_group, group.id)
                    )
                except Exception as exc:  # reported per group, the rest go on
                    outcomes.append(DeleteOutcome(group.name, exc))
                else:
                    outcomes.append(DeleteOutcome(group.name))
                ctx.progress(number, len(targets))
            return outcomes

        def progress(done: int, total: int) -> None:
            self.state_label.setText(
                self.tr("Deleting… %1 of %2").replace("%1", str(done)).replace("%2", str(total))
            )

        def finished() -> None:
            self._deleting = False
            self.state_label.set_busy(self._loading, stoppable=self._loading)
            if not self._loading:
                self.state_label.setText(self._status)
            self._update_actions()

        self._deleting = True
        self.state_label.set_busy(True, stoppable=self._loading)
        self.state_label.setText(self.tr("Deleting %n group(s)…", "", len(targets)))
        self._update_actions()
        self.run_task(
            "delete",
            delete,
            self._on_deleted,
            on_progress=progress,
            on_finished=finished,
            on_not_found=self.refresh,
        )

    def _on_deleted(self, outcomes: list[DeleteOutcome]) -> None:
        self._deleting = False
        failed = [o for o in outcomes if o.error is not None]
        if len(outcomes) == 1 and failed:
            error = failed[0].error
            assert error is not None
            self._set_status("")
            self.presenter.show(error, self.window(), on_not_found=self.refresh)
        elif len(outcomes) == 1:
            self._set_status(self.tr("Deleted “%1”.").replace("%1", outcomes[0].name))
        else:
            self._set_status(self.tr("%n group(s) deleted.", "", len(outcomes) - len(failed)))
        if len(outcomes) > 1 and failed:  # all deleted: the status line says so, no dialog
            dialog = DeleteResultDialog(outcomes, self, title=self.tr("Delete groups"))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.open()
            self.result_dialog = dialog
        self.table.clearSelection()
        self._load(self._page_num, set())


def _group_made_since(client: CozeClient, name: str, since: float) -> str:
    """The id of a group named ``name`` made since ``since`` (a create that got no answer
    went through), or ""; one list call, filtered by name."""
    for found in client.iter_groups(name=name):
        made = found.created_at
        if (
            found.name == name
            and made is not None
            and made.timestamp() >= since - CLOCK_SLACK_SECONDS
        ):
            return found.id
    return ""
