"""Dialogs of the groups view: create/edit a group, and the result of a multi-delete.

:class:`NameDescFields` (a name and a description with live character
counters, "12/20", red when over the limit) is shared with the voiceprint
dialogs. The dialogs never talk to the server themselves: they say what the
operator asked for (``save_requested``) and the view runs the call, then
calls :meth:`GroupDialog.finish` or leaves the dialog open after a failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import VoiceprintGroup
from voiceprint_studio.ui.common.confirm import ask_to_discard
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.text import fill, sentences

# Longest name Coze accepts (groups; the client holds voiceprints to it too).
NAME_MAX = 20
# Longest description Coze accepts.
DESC_MAX = 500

_ERROR_COLOR = "#c92a2a"


class NameDescFields(QWidget):
    """A name and a description, each with a live "used/limit" counter.

    Signals:
        changed(): the text or its validity changed.
    """

    changed = Signal()

    def __init__(
        self,
        name: str = "",
        desc: str = "",
        parent: QWidget | None = None,
        *,
        name_label: str = "",
        name_placeholder: str = "",
    ) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText(name_placeholder)
        self.name_counter = QLabel()
        self.desc_edit = QPlainTextEdit(desc)
        self.desc_edit.setTabChangesFocus(True)
        self.desc_edit.setPlaceholderText(self.tr("Optional: what this is for"))
        self.desc_edit.setMinimumHeight(90)
        self.desc_edit.setMaximumHeight(120)  # scrolls; keeps dialogs within small screens
        self.desc_counter = QLabel()
        for counter in (self.name_counter, self.desc_counter):
            counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            counter.setMinimumWidth(64)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(f"color: {_ERROR_COLOR};")

        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.name_counter)
        desc_row = QHBoxLayout()
        desc_row.addWidget(self.desc_edit, 1)
        desc_row.addWidget(self.desc_counter)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        # Labels with buddies: a row whose field is a layout gets no buddy by
        # itself, and its "&" would show instead of underlining the shortcut.
        name_title = QLabel(name_label or self.tr("&Name:"))
        name_title.setBuddy(self.name_edit)
        desc_title = QLabel(self.tr("&Description:"))
        desc_title.setBuddy(self.desc_edit)
        form.addRow(name_title, name_row)
        form.addRow(desc_title, desc_row)
        form.addRow(self.message_label)
        # a warning, not a refusal: the name is already used where this one goes
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(False)
        form.addRow(self.note_label)
        self._taken: set[str] = set()
        self._taken_note = ""
        self.name_edit.textChanged.connect(self.on_name_edit_text_changed)
        self.desc_edit.textChanged.connect(self.on_desc_edit_text_changed)
        # "Enter a name." in red before anything was typed reads as a reproach: it shows
        # once the name was edited (OK stays disabled, its tooltip says why)
        self._name_edited = bool(name)
        self._update()

    def name(self) -> str:
        """The name without surrounding spaces."""
        return self.name_edit.text().strip()

    def desc(self) -> str:
        """The description without surrounding spaces."""
        return self.desc_edit.toPlainText().strip()

    def problem(self) -> str:
        """Why the values cannot be sent, in words; empty when they can."""
        if not self.name():
            return self.tr("Enter a name.")
        if len(self.name()) > NAME_MAX:
            return self.tr("The name is too long: use at most %n character(s).", "", NAME_MAX)
        if len(self.desc()) > DESC_MAX:
            return self.tr(
                "The description is too long: use at most %n character(s).", "", DESC_MAX
            )
        return ""

    def _set_counter(self, label: QLabel, used: int, limit: int) -> None:
        over = used > limit
        label.setText(f"{used}/{limit}")
        label.setProperty("overLimit", over)
        label.setStyleSheet(f"color: {_ERROR_COLOR}; font-weight: bold;" if over else "")
        label.setToolTip(self.tr("%n character(s) too many.", "", used - limit) if over else "")

    def set_taken_names(self, names: Iterable[str], note: str) -> None:
        """The names already used where this one goes (the group's voiceprints, the
        workspace's groups): when the name typed is one of them, ``note`` ("“%1” is
        already in this group…") is shown under it. The name can still be saved (Coze
        allows it); two of one name look the same in every list."""
        self._taken = {name.strip() for name in names}
        self._taken_note = note
        self._update()

    def _update(self) -> None:
        name = self.name()
        taken = bool(name) and name in self._taken and not self.problem()
        self.note_label.setText(fill(self._taken_note, name) if taken else "")
        self.note_label.setVisible(taken)
        self._set_counter(self.name_counter, len(self.name()), NAME_MAX)
        self._set_counter(self.desc_counter, len(self.desc()), DESC_MAX)
        self.message_label.setText(self.problem() if self.name() or self._name_edited else "")
        self.changed.emit()

    @Slot(str)
    def on_name_edit_text_changed(self, _text: str) -> None:
        self._name_edited = True
        self._update()

    @Slot()
    def on_desc_edit_text_changed(self) -> None:
        self._update()


class GroupDialog(QDialog):
    """Create a group (``group`` is None) or edit one; validated live, before any request.

    Pressing OK does not close the dialog: it emits ``save_requested`` and
    the view calls :meth:`finish` when the server agreed (or
    :meth:`set_busy` ``(False)`` after a failure, keeping what was typed).

    Signals:
        save_requested(str, str): the name and description to save.
    """

    save_requested = Signal(str, str)

    def __init__(self, group: VoiceprintGroup | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        # when a create of this dialog's group was sent and got no answer (it may exist)
        self.create_in_doubt_since: float | None = None
        self.setWindowTitle(
            self.tr("New voiceprint group") if group is None else self.tr("Edit group")
        )
        self.fields = NameDescFields(
            group.name if group else "",
            group.desc if group else "",
            name_placeholder=self.tr("For example: Front desk staff"),
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Create") if group is None else self.tr("Save"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.status_label = QLabel()
        layout = QVBoxLayout(self)
        # Grow with labels whose text changes after the dialog is shown.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.fields)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.busy = False
        # "Close without creating the group?", while it is asked
        self.discard_box: QMessageBox | None = None
        self.fields.changed.connect(self.on_fields_changed)
        self.on_fields_changed()

    def values(self) -> tuple[str, str]:
        """The name and description to send (stripped)."""
        return self.fields.name(), self.fields.desc()

    def unchanged(self) -> bool:
        """Whether the name and description are as they were (a new group's: empty)."""
        group = self.group
        return self.values() == ((group.name.strip(), group.desc.strip()) if group else ("", ""))

    def set_busy(self, busy: bool) -> None:
        """Show that the request runs (inputs locked) or ended."""
        self.busy = busy
        self.fields.setEnabled(not busy)
        self.status_label.setText(self.tr("Saving…") if busy else "")
        self.on_fields_changed()

    def finish(self) -> None:
        """Close as accepted (the server saved the group)."""
        self.busy = False
        super().accept()

    def accept(self) -> None:
        """Ask for the save (when valid); the dialog stays open until :meth:`finish`."""
        if self.busy or self.fields.problem():
            return
        if self.unchanged():
            super().accept()
            return
        self.save_requested.emit(*self.values())

    def reject(self) -> None:
        """Close unless a save is running (its result would otherwise be lost); with a
        name or description typed (or changed), ask first (Escape dropped it unasked)."""
        if self.busy or self.discard_box is not None:
            return
        if self.unchanged():
            super().reject()
            return

        def closed() -> None:
            self.discard_box = None

        creating = self.group is None
        self.discard_box = ask_to_discard(
            self,
            question=self.tr("Close without creating the group?")
            if creating
            else self.tr("Close without saving the changes?"),
            act=self.tr("Close without creating") if creating else self.tr("Close without saving"),
            typed=True,
            recorded=False,
            busy=lambda: self.busy,
            on_closed=closed,
        )

    @Slot()
    def on_fields_changed(self) -> None:
        problem = self.fields.problem()
        self.ok_button.setEnabled(not self.busy and not problem)
        self.ok_button.setToolTip(problem)


@dataclass(frozen=True)
class DeleteOutcome:
    """What happened to one item of a multi-delete: ``error`` is None when it was deleted."""

    name: str
    error: BaseException | None = None


class DeleteResultDialog(QDialog):
    """Which items were deleted and which were not, and why (in words)."""

    def __init__(
        self,
        outcomes: Sequence[DeleteOutcome],
        parent: QWidget | None = None,
        *,
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Delete groups"))
        self.outcomes = tuple(outcomes)
        deleted = sum(1 for o in self.outcomes if o.error is None)
        failed = len(self.outcomes) - deleted
        summary = self.tr("%n group(s) deleted.", "", deleted)
        if failed:
            summary = sentences(
                summary, self.tr("%n group(s) could not be deleted; see why below.", "", failed)
            )
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        ok_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        bad_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for outcome in self.outcomes:
            if outcome.error is None:
                text = self.tr("“%1”: deleted").replace("%1", outcome.name)
                item = QListWidgetItem(ok_icon, text)
            else:
                described = describe_error(outcome.error)
                text = (
                    self.tr("“%1”: not deleted. %2")
                    .replace("%1", outcome.name)
                    .replace("%2", described.message)
                )
                item = QListWidgetItem(bad_icon, text)
                item.setToolTip(
                    f"{described.message}\n{described.next_step}\n\n{described.details}"
                )
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        # Grow with labels whose text changes after the dialog is shown.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def lines(self) -> list[str]:
        """The text of every row (for tests and for copying)."""
        return [self.list.item(i).text() for i in range(self.list.count())]
