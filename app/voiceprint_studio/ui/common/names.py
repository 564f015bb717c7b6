"""Name columns of tables (groups, voiceprints, voices): a name shows whole.

Coze allows names of at most 20 characters, and two names often differ only at
their ends ("…声纹识别测试" and "…声纹识别备份"). A name column starts as wide
as 20 wide characters of the view's font (plus the cell's margins), so such a
name shows whole; the operator can still drag it narrower or wider. Where a name
does not fit all the same (a column dragged narrow, a long MiniMax name), the
view cuts it in the middle, so that both its beginning and its end show (its
tooltip still shows it whole).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

from voiceprint_studio.api._validate import GROUP_NAME_MAX

# How many characters a name has at most (Coze's limit on group and voiceprint names).
NAME_CHARS = GROUP_NAME_MAX
# Wide characters a name is measured with: a CJK ideograph, a full-width and a wide
# Latin letter (the widest of them counts).
_WIDE = ("国", "Ｗ", "W")
# Room for the cell's margins and the grid line on either side of the text.
NAME_PADDING = 16


def name_width(font: QFont, chars: int = NAME_CHARS, *, bold: bool = False) -> int:
    """The width of a column in which a name of ``chars`` wide characters in ``font``
    shows whole (``bold``: as a bold row shows it)."""
    if bold:
        font = QFont(font)
        font.setBold(True)
    metrics = QFontMetrics(font)
    return max(metrics.horizontalAdvance(c * chars) for c in _WIDE) + NAME_PADDING


def show_names_whole(
    view: QTableView | QTreeView,
    column: int,
    *,
    chars: int = NAME_CHARS,
    bold: bool = False,
    extra: int = 0,
) -> int:
    """Make ``view``'s ``column`` (names) at least as wide as a name of ``chars`` wide
    characters (plus ``extra`` pixels, e.g. a tree's indentation), resizable by the
    operator, and have ``view`` cut text that does not fit in the middle. Returns the
    width. Call it after the view's other columns are set up (it makes ``column``
    interactive)."""
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    width = name_width(view.font(), chars, bold=bold) + extra
    if header.sectionSize(column) < width:
        view.setColumnWidth(column, width)
    return width
