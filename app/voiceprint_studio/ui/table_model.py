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

#: The role under which every cell returns its row's record.
RecordRole = Qt.ItemDataRole.UserRole + 1


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
        self._records: tuple[R, ...] = ()

    def set_records(self, records: Sequence[R]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._records = tuple(records)
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
        if not index.isValid() or index.row() >= len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role == RecordRole:
            return record
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
