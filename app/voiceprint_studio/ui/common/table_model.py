"""A table model over one page of immutable records, with declared columns.

Views hold one server page at a time (the pager asks for the next one), so the
model is a plain list of records replaced as a whole. The full text of every
cell is also its tooltip, so a long name that the view elides can still be
read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

R = TypeVar("R")

AnyIndex = QModelIndex | QPersistentModelIndex

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# The role under which every cell returns its row's record.
RecordRole = Qt.ItemDataRole.UserRole + 1

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_RECORD = int(RecordRole)


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its (translated) header and how a record shows in it."""

    header: str
    text: Callable[[R], str]
    align: Qt.AlignmentFlag = _LEFT


def format_time(value: datetime | None) -> str:
    """A timestamp in the user's local time zone, e.g. ``2025-06-04 15:25``."""
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records of one type; columns are declared with :class:`Column`."""

    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._aligns = tuple(int(column.align.value) for column in self._columns)
        self._records: tuple[R, ...] = ()
        # The texts of each row, made when the row is first drawn: the view asks for
        # them several times per paint, and only the visible rows are ever drawn.
        self._texts: list[tuple[str, ...] | None] = []

    def set_records(self, records: Sequence[R]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._records = tuple(records)
        self._texts = [None] * len(self._records)
        self.endResetModel()

    def records(self) -> tuple[R, ...]:
        """The records, in row order."""
        return self._records

    def record(self, row: int) -> R:
        """The record shown in ``row``."""
        return self._records[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Called a dozen times per visible cell and paint, so: plain ints, no enums.
        row = index.row()
        if not 0 <= row < len(self._records):  # an invalid index has row -1
            return None
        if role in (_DISPLAY, _TOOLTIP):
            texts = self._texts[row]
            if texts is None:
                record = self._records[row]
                texts = self._texts[row] = tuple(c.text(record) for c in self._columns)
            return texts[index.column()]
        if role == _ALIGNMENT:
            return self._aligns[index.column()]
        if role == _RECORD:
            return self._records[row]
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None
