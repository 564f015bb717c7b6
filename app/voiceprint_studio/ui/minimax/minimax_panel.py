"""The MiniMax voices tab: list voices by type, filter them, delete cloned and designed ones.

The list comes from ``MiniMaxClient.list_voices(voice_type)`` on a worker; the
text filter works on the loaded list (id, name, description; case-insensitive)
without asking the server again. Only cloned (``voice_cloning``) and designed
(``voice_generation``) voices can be deleted; several can be deleted with one
confirmation, and each gets its own result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import MiniMaxVoice
from voiceprint_studio.api.errors import QT_TRANSLATE_NOOP
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.errors import ErrorPresenter, describe_error
from voiceprint_studio.ui.common.lines import StatusStrip
from voiceprint_studio.ui.common.names import show_names_whole
from voiceprint_studio.ui.common.panel import Panel, stopped_text
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.table_model import Column, RecordRole, RecordTableModel
from voiceprint_studio.ui.common.worker import TaskContext

# The type selector: (voice_type sent to MiniMax, source text of the label).
VOICE_TYPE_CHOICES: tuple[tuple[str, str], ...] = (
    ("all", QT_TRANSLATE_NOOP("MiniMaxPanel", "All")),
    ("system", QT_TRANSLATE_NOOP("MiniMaxPanel", "System")),
    ("voice_cloning", QT_TRANSLATE_NOOP("MiniMaxPanel", "Cloned")),
    ("voice_generation", QT_TRANSLATE_NOOP("MiniMaxPanel", "Designed")),
)

COL_ID, COL_NAME, COL_TYPE, COL_DESCRIPTION, COL_CREATED = range(5)


def _fill(template: str, *values: str) -> str:
    """Put ``values`` into a translated template's ``%1``, ``%2``... in one pass."""
    return re.sub(
        r"%(\d)",
        lambda m: values[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(values) else m[0],
        template,
    )


# A zero-width space: where a long voice id may wrap (it is not seen).
_WRAP_HERE = "\u200b"


def wrappable(voice_id: str, every: int = 24) -> str:
    """``voice_id`` (up to 256 characters, no spaces) as a message shows it: a place to
    wrap after every ``every`` characters, so that a long one wraps inside its box instead
    of running out of it (its end and the question mark were cut off)."""
    return re.sub(rf"(\S{{{every}}})(?=\S)", rf"\1{_WRAP_HERE}", voice_id)


def voice_type_text(voice_type: str) -> str:
    """The translated word for a voice type ("System", "Cloned", "Designed")."""
    words = {
        "system": QCoreApplication.translate("MiniMaxPanel", "System"),
        "voice_cloning": QCoreApplication.translate("MiniMaxPanel", "Cloned"),
        "voice_generation": QCoreApplication.translate("MiniMaxPanel", "Designed"),
        # Lists the contract does not name (e.g. voices for music): shown, read-only.
        "other": QCoreApplication.translate("MiniMaxPanel", "Other (read-only)"),
    }
    return words.get(voice_type, voice_type)


def description_text(voice: MiniMaxVoice) -> str:
    """The voice's description lines joined into one cell."""
    return "; ".join(voice.description)


def voice_columns() -> list[Column[MiniMaxVoice]]:
    """The columns of the voice table (headers translated now)."""
    return [
        Column(QCoreApplication.translate("MiniMaxPanel", "Voice ID"), lambda v: v.voice_id),
        Column(QCoreApplication.translate("MiniMaxPanel", "Name"), lambda v: v.voice_name),
        Column(
            QCoreApplication.translate("MiniMaxPanel", "Type"),
            lambda v: voice_type_text(v.voice_type),
        ),
        Column(QCoreApplication.translate("MiniMaxPanel", "Description"), description_text),
        Column(QCoreApplication.translate("MiniMaxPanel", "Created"), lambda v: v.created_time),
    ]


class VoiceFilterProxy(QSortFilterProxyModel):
    """Shows the voices whose id, name or description contains the filter text (any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    @property
    def text(self) -> str:
        """The current filter text (as typed, stripped)."""
        return self._needle

    def set_text(self, text: str) -> None:
        """Filter by ``text`` (empty shows everything)."""
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self._needle = text.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._needle = text.strip()
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self,
        source_row: int,
        source_parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        voice = model.data(model.index(source_row, 0, source_parent), RecordRole)
        if not isinstance(voice, MiniMaxVoice):
            return False
        needle = self._needle.casefold()
        haystack = (voice.voice_id, voice.voice_name, *voice.description)
        return any(needle in part.casefold() for part in haystack)


@dataclass(frozen=True)
class DeleteOutcome:
    """What happened to one voice of a delete request (``error`` is None on success)."""

    voice: MiniMaxVoice
    error: BaseException | None = None


class MiniMaxPanel(Panel):
    """The MiniMax voices of the active MiniMax profile.

    Signals (from :class:`Panel`):
        busy_changed(bool): a call started (True) or the last one ended (False).

    Attributes tests and the window use: ``model`` (the voices), ``proxy`` (the
    filter), ``view``, ``type_combo``, ``filter_edit``, ``delete_button``,
    ``confirm_dialog`` / ``result_dialog`` (the last ones opened).
    """

    def __init__(
        self,
        services: AppServices,
        presenter: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, presenter, parent)
        self._loaded = False
        self._load_failed = False
        self._signed_out = False  # the last list call was refused: no or a wrong API key
        self._stopped = False  # the last list call was stopped with Stop
        self.confirm_dialog: QMessageBox | None = None
        self.result_dialog: QMessageBox | None = None
        self.confirm_delete_button: QAbstractButton | None = None

        self.type_combo = QComboBox()
        for voice_type, label in VOICE_TYPE_CHOICES:
            self.type_combo.addItem(QCoreApplication.translate("MiniMaxPanel", label), voice_type)
        self.type_combo.setAccessibleName(self.tr("Voice type"))
        self.type_combo.currentIndexChanged.connect(self.on_type_combo_changed)
        type_label = QLabel(self.tr("&Type:"))
        type_label.setBuddy(self.type_combo)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by voice id, name or description"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter"))
        self.filter_edit.textChanged.connect(self.on_filter_edit_text_changed)

        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.on_refresh_button_clicked)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.on_delete_button_clicked)

        self.model: RecordTableModel[MiniMaxVoice] = RecordTableModel(voice_columns(), self)
        self.proxy = VoiceFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # server order until a header is clicked
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_ID, 200)
        # a name of 20 wide characters whole, a longer one (or a long id) cut in the middle
        show_names_whole(self.view, COL_NAME)
        header.resizeSection(COL_TYPE, 90)
        header.resizeSection(COL_CREATED, 110)
        self.view.selectionModel().selectionChanged.connect(self.on_view_selection_changed)
        self.delete_action = QAction(self.tr("Delete…"), self.view)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.on_delete_button_clicked)
        self.view.addAction(self.delete_action)
        # right-click or the Menu key: the same Delete… as the button (there was no menu)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        self.count_label = QLabel()
        # What is loading (with a busy bar and Stop) or what last happened.
        self.status_label = StatusStrip()
        self.status_label.stop_requested.connect(self.on_status_label_stop_requested)
        self.hint_label = QLabel(
            self.tr(
                "MiniMax lists a newly cloned voice only after it has been used once to "
                "generate speech, and deletes cloned voices that are not used for 7 days."
            )
        )
        self.hint_label.setWordWrap(True)
        self.hint_label.setEnabled(False)  # drawn in the muted colour of a hint

        top = QHBoxLayout()
        top.addWidget(type_label)
        top.addWidget(self.type_combo)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.delete_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self.busy_changed.connect(self.on_self_busy_changed)
        self._update_state()

    # -- state -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the list of the chosen type has been loaded."""
        return self._loaded

    @property
    def voice_type(self) -> str:
        """The voice_type asked for ("all", "system", "voice_cloning", "voice_generation")."""
        return str(self.type_combo.currentData())

    def set_voice_type(self, voice_type: str) -> None:
        """Choose the type to list (reloads)."""
        index = self.type_combo.findData(voice_type)
        if index < 0:
            raise ValueError(f"unknown voice type {voice_type!r}")
        self.type_combo.setCurrentIndex(index)

    def selected_voices(self) -> list[MiniMaxVoice]:
        """The selected voices, in view order."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        voices: list[MiniMaxVoice] = []
        for index in rows:
            voice = self.proxy.data(index, RecordRole)
            if isinstance(voice, MiniMaxVoice):
                voices.append(voice)
        return voices

    def _update_state(self) -> None:
        # Calls stopped with Stop may still be running: they no longer count.
        listing = self.runner.awaiting("list")
        busy = listing or self.runner.awaiting("delete")
        self.status_label.set_busy(busy, stoppable=listing)
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self._loaded:
            self.count_label.setText(
                _fill(
                    self.tr("%1, %2"),
                    self.tr("%n voice(s)", "", total),
                    self.tr("%n shown", "", shown),
                )
            )
        else:
            self.count_label.clear()

        if shown:
            self.stack.setCurrentWidget(self.view)
        else:
            self.empty_label.setText(self._empty_text(total))
            self.stack.setCurrentWidget(self.empty_label)

        voices = self.selected_voices()
        deletable = [v for v in voices if v.deletable]
        self.delete_button.setEnabled(bool(deletable) and not busy)
        self.delete_action.setEnabled(self.delete_button.isEnabled())
        if voices and not deletable:
            tip = self.tr("System voices cannot be deleted.")
        elif deletable:
            tip = self.tr("Delete the selected cloned or designed voices.")
        else:
            tip = self.tr("Select a cloned or designed voice to delete it.")
        self.delete_button.setToolTip(tip)
        self.refresh_button.setEnabled(not busy)

    def _empty_text(self, total: int) -> str:
        if self.workspace is None:
            return self.tr("No MiniMax connection yet.")
        if self.runner.awaiting("list") and not self._loaded:
            return self.tr("Loading voices…")
        if self._load_failed and self._signed_out:
            return self.tr("Not signed in — enter a MiniMax API key (Connection > Token…).")
        if self._load_failed:
            return self.tr("The voices could not be loaded. Click Refresh to try again.")
        if self._stopped and not self._loaded:
            return stopped_text()
        if total:
            return self.tr("No voice matches “%1”. Clear the filter to see all voices.").replace(
                "%1", self.proxy.text
            )
        kind = self.voice_type
        if kind == "voice_cloning":
            return self.tr(
                "There are no cloned voices. A cloned voice appears here after it has been "
                "used once to generate speech."
            )
        if kind == "voice_generation":
            return self.tr("There are no designed voices.")
        if kind == "system":
            return self.tr("MiniMax returned no system voices.")
        return self.tr("There are no voices.")

    # -- loading ------------------------------------------------------------------------

    def set_workspace(self, workspace: Workspace) -> None:
        """Forget the previous connection's voices and status at once, then load."""
        self.runner.cancel_all()
        self._loaded = False
        self._load_failed = False
        self._signed_out = False
        self._stopped = False
        self.model.set_records(())
        self.status_label.clear()
        super().set_workspace(workspace)

    def refresh(self) -> None:
        """Reload the list of the chosen type from MiniMax."""
        workspace = self.workspace
        if workspace is None:
            return
        voice_type = self.voice_type

        def task(_ctx: TaskContext) -> list[MiniMaxVoice]:
            return workspace.minimax().list_voices(voice_type)

        self._stopped = False
        self.status_label.setText(self.tr("Loading voices…"))
        self.run_task(
            "list",
            task,
            self._on_list_loaded,
            on_failure=self._on_list_failed,
            on_finished=self._update_state,
        )
        self._update_state()

    def _on_list_loaded(self, voices: object) -> None:
        assert isinstance(voices, list)
        self._loaded = True
        self._load_failed = False
        self.model.set_records(voices)
        self.status_label.clear()

    def _on_list_failed(self, exc: BaseException) -> None:
        self._loaded = False
        self._load_failed = True
        self._signed_out = describe_error(exc).kind == "auth"
        self.model.set_records(())
        self.status_label.setText(self.tr("The voices could not be loaded."))
        self.presenter.show(exc, self.window())

    # -- deleting -----------------------------------------------------------------------

    def confirmation_text(self, voices: Sequence[MiniMaxVoice]) -> str:
        """The question asked before deleting ``voices``."""
        if len(voices) == 1:
            return self.tr(
                "Delete the voice “%1”? After deletion this voice id can never be used "
                "again, not even for a new voice."
            ).replace("%1", wrappable(voices[0].voice_id))
        return self.tr(
            "Delete %n voice(s)? After deletion these voice ids can never be used again, "
            "not even for new voices.",
            "",
            len(voices),
        )

    @Slot()
    def on_delete_button_clicked(self) -> None:
        voices = self.selected_voices()
        deletable = tuple(v for v in voices if v.deletable)
        if not deletable or self.runner.awaiting("list") or self.runner.awaiting("delete"):
            return
        skipped = len(voices) - len(deletable)
        details = [f"{wrappable(v.voice_id)} ({voice_type_text(v.voice_type)})" for v in deletable]
        info = "\n".join(details) if len(deletable) > 1 else ""
        if skipped:
            note = self.tr(
                "%n selected voice(s) will be kept: system voices and other kinds "
                "cannot be deleted.",
                "",
                skipped,
            )
            info = f"{info}\n\n{note}" if info else note

        def closed() -> None:
            self.confirm_dialog = None

        self.confirm_dialog, self.confirm_delete_button = ask_to_confirm(
            self,
            title=self.tr("Delete voice") if len(deletable) == 1 else self.tr("Delete voices"),
            text=self.confirmation_text(deletable),
            info=info,
            act=self.tr("Delete"),
            on_act=lambda: self.delete_voices(deletable),
            on_closed=closed,
        )

    def delete_voices(self, voices: Sequence[MiniMaxVoice]) -> None:
        """Delete ``voices`` (already confirmed) on a worker, then report and reload."""
        voices = tuple(v for v in voices if v.deletable)
        workspace = self.workspace
        if not voices or workspace is None:
            return

        def task(ctx: TaskContext) -> list[DeleteOutcome]:
            client = workspace.minimax()
            outcomes: list[DeleteOutcome] = []
            for done, voice in enumerate(voices):
                ctx.check_cancelled()
                ctx.progress(done, len(voices))
                try:
                    client.delete_voice(voice.voice_type, voice.voice_id)
                except Exception as exc:  # reported per voice
                    outcomes.append(DeleteOutcome(voice, exc))
                else:
                    outcomes.append(DeleteOutcome(voice))
            return outcomes

        self.status_label.setText(self.tr("Deleting %n voice(s)…", "", len(voices)))
        self.run_task("delete", task, self._on_deleted, on_finished=self._update_state)
        self._update_state()

    def _on_deleted(self, result: object) -> None:
        assert isinstance(result, list)
        outcomes: list[DeleteOutcome] = result
        failed = [o for o in outcomes if o.error is not None]
        deleted = len(outcomes) - len(failed)
        self.status_label.setText(self.tr("Deleted %n voice(s).", "", deleted))
        if len(outcomes) == 1 and failed:
            error = failed[0].error
            assert error is not None
            self.presenter.show(error, self.window())
        elif failed:
            self._show_results(outcomes)
        self.refresh()

    def _show_results(self, outcomes: Sequence[DeleteOutcome]) -> None:
        lines = []
        for outcome in outcomes:
            if outcome.error is None:
                lines.append(_fill(self.tr("“%1”: deleted."), wrappable(outcome.voice.voice_id)))
            else:
                reason = describe_error(outcome.error).message
                lines.append(
                    _fill(
                        self.tr("“%1”: not deleted. %2"), wrappable(outcome.voice.voice_id), reason
                    )
                )
        failed = sum(1 for o in outcomes if o.error is not None)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete voices"))
        box.setText(self.tr("%n voice(s) could not be deleted.", "", failed))
        box.setInformativeText("\n".join(lines))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self.on_result_dialog_finished)
        self.result_dialog = box
        box.open()

    @Slot()
    def on_result_dialog_finished(self) -> None:
        self.result_dialog = None

    # -- slots --------------------------------------------------------------------------

    @Slot(int)
    def on_type_combo_changed(self, _index: int) -> None:
        self._loaded = False
        self.model.set_records(())
        self.refresh()

    @Slot(str)
    def on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_state()

    @Slot()
    def on_refresh_button_clicked(self) -> None:
        self.refresh()

    @Slot()
    def on_view_selection_changed(self) -> None:
        self._update_state()

    @Slot()
    def on_status_label_stop_requested(self) -> None:
        """Stop waiting for the list: drop it, keep what is shown, say how to try again."""
        if not self.runner.awaiting("list"):
            return
        self.runner.cancel("list")
        self._stopped = True
        self.status_label.setText(stopped_text())
        self._update_state()

    @Slot(bool)
    def on_self_busy_changed(self, _busy: bool) -> None:
        self._update_state()
