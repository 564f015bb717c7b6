"""The recorder's live widgets: a peak level meter and the waveform of the take."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from voiceprint_studio.ui.common.text import fill

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

ERROR_COLOR = "#c92a2a"


class LevelMeter(QWidget):
    """A horizontal peak meter from -60 to 0 dBFS with a clip light that holds for a second.

    Signals: none.
    """

    FLOOR_DBFS = -60.0
    CLIP_HOLD_TICKS = 25

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dbfs = self.FLOOR_DBFS
        self.clipped = False
        self._clip_ticks = 0
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Input level"))

    def sizeHint(self) -> QSize:
        return QSize(240, 18)

    def set_level(self, dbfs: float, clipped: bool) -> None:
        """Show a new reading (the bar falls back slowly, the clip light holds)."""
        falling = self.dbfs - 1.5
        self.dbfs = max(self.FLOOR_DBFS, min(0.0, max(dbfs, falling)))
        if clipped:
            self._clip_ticks = self.CLIP_HOLD_TICKS
        elif self._clip_ticks > 0:
            self._clip_ticks -= 1
        self.clipped = self._clip_ticks > 0
        self.setToolTip(
            self.tr("Clipping! Lower the input level.")
            if self.clipped
            else fill(self.tr("Peak %1 dBFS"), str(round(dbfs)))
        )
        self.update()

    def reset(self) -> None:
        """Back to silence."""
        self.dbfs, self.clipped, self._clip_ticks = self.FLOOR_DBFS, False, 0
        self.setToolTip("")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        light_w = rect.height() * 1.6
        bar = QRectF(rect.left(), rect.top(), rect.width() - light_w - 4, rect.height())
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid)))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
        painter.drawRect(bar)
        share = (self.dbfs - self.FLOOR_DBFS) / -self.FLOOR_DBFS
        if share > 0:
            color = QColor("#2f9e44") if self.dbfs < -6 else QColor("#f08c00")
            painter.fillRect(
                QRectF(bar.left() + 1, bar.top() + 1, (bar.width() - 2) * share, bar.height() - 2),
                color,
            )
        light = QRectF(rect.right() - light_w, rect.top(), light_w, rect.height())
        painter.setBrush(
            QColor(ERROR_COLOR) if self.clipped else self.palette().color(QPalette.ColorRole.Base)
        )
        painter.drawRect(light)
        painter.end()


class WaveformView(QWidget):
    """Paints a take's samples (16 kHz mono float32) as a min/max envelope.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._samples: npt.NDArray[np.float32] | None = None
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Waveform of the take"))

    def sizeHint(self) -> QSize:
        return QSize(320, 56)

    @property
    def sample_count(self) -> int:
        """How many samples are shown."""
        return 0 if self._samples is None else int(self._samples.shape[0])

    def set_samples(self, samples: npt.NDArray[np.float32] | None) -> None:
        """Show ``samples`` (None clears)."""
        self._samples = samples
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        mid = self.height() / 2
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid)))
        painter.drawLine(0, int(mid), self.width(), int(mid))
        samples = self._samples
        if samples is not None and samples.shape[0] > 0 and self.width() > 0:
            import numpy as np

            columns = min(self.width(), int(samples.shape[0]))
            usable = samples[: (samples.shape[0] // columns) * columns].reshape(columns, -1)
            scale = mid - 1
            tops = (mid - np.clip(usable.max(axis=1), -1, 1) * scale).tolist()
            bottoms = (mid - np.clip(usable.min(axis=1), -1, 1) * scale + 1).tolist()
            step = self.width() / columns
            xs = [i * step for i in range(columns)]
            # one polygon (the envelope) per paint: top edge left to right, bottom edge back
            outline = QPolygonF(
                [QPointF(x, y) for x, y in zip(xs, tops, strict=True)]
                + [QPointF(x, y) for x, y in zip(reversed(xs), reversed(bottoms), strict=True)]
            )
            color = self.palette().color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(color))
            painter.setBrush(color)
            painter.drawPolygon(outline)
        painter.end()
