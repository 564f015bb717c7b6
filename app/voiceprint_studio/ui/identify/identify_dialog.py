"""Speaker identification: match a clip against the voiceprints of one group.

The operator picks a group (loaded on a worker), a clip (a wav or pcm file, or
a take recorded with the :class:`~voiceprint_studio.ui.recorder.panel.RecorderPanel`
inside :class:`ClipSource`: "Record…" shows it), how many matches to
list (``top_k``) and a hit threshold (0-100, like the Coze console, default 40).
Identification is billed on Coze, so it only runs when the Identify button is
pressed. The upload shows progress in bytes and can be cancelled.

Results are ranked best first with a score bar per row. The sentence above the
table is the plain verdict of :func:`voiceprint_studio.api.verdict.decide`: "Most
likely <name>", "Can't tell <a> from <b> -- record a longer clip" or "No match";
the line under it names the numbers that made it (the scores, the threshold and
the lead needed over the runner-up). Changing the threshold re-evaluates both
without calling the server. Before there are results the sentence says what is still
missing (a group with voiceprints, a clip), what is being waited for (the take being
recorded, the clip's check), or, with both chosen, that Identify is next.

The note above the Identify button says what an identification costs: on Coze
it is billed; the offline workspace identifies with the built-in speaker model
on this computer (free, nothing leaves it), and its scores rank voices against
each other but are not on Coze's scale. An offline backend built without a
speaker engine (tests) says that it cannot identify.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import (
    AudioUpload,
    CancelToken,
    FeatureScore,
    UploadCancelledError,
    VoiceprintGroup,
)
from voiceprint_studio.api.errors import QT_TRANSLATE_NOOP
from voiceprint_studio.api.verdict import (
    MIN_SPEECH_SECONDS,
    Verdict,
    VerdictKind,
    decide,
    passes,
    ranked,
)
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.ui.common.call_budget import confirm_budget
from voiceprint_studio.ui.common.errors import ErrorPresenter, describe_error
from voiceprint_studio.ui.common.fit import ScrollBody, keep_on_screen
from voiceprint_studio.ui.common.folders import remember, start_folder
from voiceprint_studio.ui.common.names import show_names_whole
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill
from voiceprint_studio.ui.common.worker import ProgressThrottle, TaskContext, TaskRunner, Worker
from voiceprint_studio.ui.recorder.panel import RecorderPanel

AnyIndex = QModelIndex | QPersistentModelIndex

# Role under which the score column returns the score as a float.
ScoreRole = Qt.ItemDataRole.UserRole + 2
# Role under which every cell returns whether its row is above the threshold.
PassesRole = Qt.ItemDataRole.UserRole + 3

COL_NAME, COL_DESC, COL_SCORE, COL_RESULT = range(4)
# At most this many voiceprints can be in a Coze group, so more results cannot come back.
MAX_TOP_K = 10
# The score column's width (its bar and number).
SCORE_COLUMN_WIDTH = 160
PCM_RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)


# What the result column says of a row: the best (a clear verdict), one of two too close
# to tell, above the threshold but behind the best (a higher score leads it: the best by
# the margin or more, or the two too close to tell), above the threshold in a clip with
# too little speech to tell (no row is the best there), or not a match.
RESULT_WORDS = {
    "best": QT_TRANSLATE_NOOP("IdentifyDialog", "Most likely"),
    "tied": QT_TRANSLATE_NOOP("IdentifyDialog", "Too close to tell"),
    "hit": QT_TRANSLATE_NOOP("IdentifyDialog", "Above the threshold, but behind the best"),
    "above": QT_TRANSLATE_NOOP("IdentifyDialog", "Above the threshold"),
    "miss": QT_TRANSLATE_NOOP("IdentifyDialog", "No match"),
}


def result_words(kind: str) -> str:
    """The result column's words for ``kind`` (a key of :data:`RESULT_WORDS`), translated."""
    return QCoreApplication.translate("IdentifyDialog", RESULT_WORDS[kind])


def format_score(score: float) -> str:
    """A score with one decimal (``87.3``)."""
    return f"{score:.1f}" if math.isfinite(score) else "-"


def score_name(score: FeatureScore) -> str:
    """The name a result is shown by (its id when it has no name)."""
    return score.feature_name or score.feature_id


def verdict_sentence(verdict: Verdict) -> str:
    """The verdict in one plain sentence ("Most likely Li Na.")."""
    best, runner_up = verdict.best, verdict.runner_up
    if verdict.kind is VerdictKind.LIKELY and best is not None:
        return fill(QCoreApplication.translate("Verdict", "Most likely %1."), score_name(best))
    if verdict.kind is VerdictKind.CANT_TELL and best is not None and runner_up is not None:
        if verdict.both_same_voice:  # (a longer clip would not tell them apart)
            return fill(
                QCoreApplication.translate(
                    "Verdict",
                    "%1 and %2 both match closely — perhaps one person enrolled twice "
                    "(check the group); otherwise record a longer clip.",
                ),
                score_name(best),
                score_name(runner_up),
            )
        return fill(
            QCoreApplication.translate("Verdict", "Can't tell %1 from %2 — record a longer clip."),
            score_name(best),
            score_name(runner_up),
        )
    if verdict.kind is VerdictKind.TOO_SHORT:
        return QCoreApplication.translate(
            "Verdict", "Can't tell: too little speech — record a longer clip."
        )
    return QCoreApplication.translate("Verdict", "No match.")


def verdict_details(verdict: Verdict) -> str:
    """The numbers that made the verdict, in words."""
    best, runner_up = verdict.best, verdict.runner_up
    threshold, margin = format_number(verdict.threshold), format_number(verdict.margin)
    if verdict.kind is VerdictKind.TOO_SHORT:
        return fill(
            QCoreApplication.translate(
                "Verdict",
                "The clip holds %1 s of speech; identifying a speaker needs at least %2 s.",
            ),
            f"{verdict.speech_seconds or 0.0:.1f}",
            format_number(MIN_SPEECH_SECONDS),
        )
    if best is None:
        return QCoreApplication.translate("Verdict", "No scores came back.")
    if verdict.kind is VerdictKind.NO_MATCH:
        return fill(
            QCoreApplication.translate(
                "Verdict",
                "The highest score, %1 for “%2”, is not above the match threshold of %3.",
            ),
            format_score(best.score),
            score_name(best),
            threshold,
        )
    if runner_up is None:
        return fill(
            QCoreApplication.translate(
                "Verdict",
                "“%1” scored %2, above the match threshold of %3; there is no other "
                "voiceprint to compare with.",
            ),
            score_name(best),
            format_score(best.score),
            threshold,
        )
    lead = format_score(best.score - runner_up.score)
    if verdict.kind is VerdictKind.CANT_TELL:
        return fill(
            QCoreApplication.translate(
                "Verdict",
                "“%1” scored %2 and “%3” %4: only %5 apart, less than the lead of %6 "
                "needed to tell them apart (match threshold %7).",
            ),
            score_name(best),
            format_score(best.score),
            score_name(runner_up),
            format_score(runner_up.score),
            lead,
            margin,
            threshold,
        )
    return fill(
        QCoreApplication.translate(
            "Verdict",
            "“%1” scored %2, above the match threshold of %3, and %4 ahead of “%5” (%6); "
            "a lead of %7 is needed.",
        ),
        score_name(best),
        format_score(best.score),
        threshold,
        lead,
        score_name(runner_up),
        format_score(runner_up.score),
        margin,
    )


def format_number(value: float) -> str:
    """A threshold or margin: without decimals when whole (``40``), else one (``40.5``)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


# ------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------


class ScoreTableModel(QAbstractTableModel):
    """Identification results, best first: name, description, score, and whether it matches."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scores: tuple[FeatureScore, ...] = ()
        self._threshold = 40.0
        # Seconds of speech in the clip the scores are for (None: not measured).
        self.speech_seconds: float | None = None

    @property
    def threshold(self) -> float:
        """The hit threshold rows are marked against."""
        return self._threshold

    def set_scores(
        self, scores: Sequence[FeatureScore], speech_seconds: float | None = None
    ) -> None:
        """Replace the results (ranked best first here, whatever the server's order);
        ``speech_seconds`` of the clip, when measured, makes a short clip's verdict
        "record a longer clip"."""
        self.speech_seconds = speech_seconds
        self.beginResetModel()
        finite = ranked(scores)
        self._scores = finite + tuple(s for s in scores if s not in finite)
        self.endResetModel()

    def scores(self) -> tuple[FeatureScore, ...]:
        """The results, in row order."""
        return self._scores

    def set_threshold(self, threshold: float) -> None:
        """Mark rows against ``threshold`` (no new request)."""
        if threshold == self._threshold:
            return
        self._threshold = threshold
        if self._scores:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._scores) - 1, COL_RESULT))

    def best_match(self) -> FeatureScore | None:
        """The highest score above the threshold, if any."""
        for score in self._scores:
            if passes(score.score, self._threshold):
                return score
        return None

    def verdict(self) -> Verdict:
        """The plain verdict on the results at the current threshold."""
        return decide(self._scores, self._threshold, speech_seconds=self.speech_seconds)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._scores)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._scores):
            return None
        score = self._scores[index.row()]
        column = index.column()
        hit = passes(score.score, self._threshold)
        kind = self.verdict().kind
        # rows are best first: only the first can be "the" one
        best = kind is VerdictKind.LIKELY and index.row() == 0
        tied = kind is VerdictKind.CANT_TELL and index.row() < 2
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == COL_NAME:
                return score.feature_name or score.feature_id
            if column == COL_DESC:
                return score.feature_desc
            if column == COL_SCORE:
                return format_score(score.score)
            if best:
                return result_words("best")
            if tied:
                return result_words("tied")
            if not hit:
                return result_words("miss")
            # (too little speech: no row leads, so none is "behind the best")
            return result_words("above" if kind is VerdictKind.TOO_SHORT else "hit")
        if role == ScoreRole and column == COL_SCORE:
            return score.score
        if role == PassesRole:
            return hit
        if role == Qt.ItemDataRole.FontRole and best:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SCORE:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_SCORE:
            return QCoreApplication.translate(
                "IdentifyDialog",
                "How alike the clip and the voiceprint sound, from 0 to 100 (higher is more "
                "alike). Above the match threshold counts as a match.",
            )
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            QCoreApplication.translate("IdentifyDialog", "Voiceprint"),
            QCoreApplication.translate("IdentifyDialog", "Description"),
            QCoreApplication.translate("IdentifyDialog", "Score"),
            QCoreApplication.translate("IdentifyDialog", "Result"),
        )
        return headers[section] if 0 <= section < len(headers) else None


class ScoreBarDelegate(QStyledItemDelegate):
    """Paints a score (0-100) as a bar with the number on it; matches in the accent colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        value = index.data(ScoreRole)
        if not isinstance(value, float):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        # the cell background (selection) first, without text
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)

        bar = QStyleOptionProgressBar()
        rect: QRect = option.rect
        bar.rect = rect.adjusted(3, 3, -3, -3)
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.direction = option.direction
        bar.fontMetrics = option.fontMetrics
        bar.palette = QPalette(option.palette)
        bar.minimum = 0
        bar.maximum = 1000
        bar.progress = round(min(100.0, max(0.0, value)) * 10) if math.isfinite(value) else 0
        bar.text = format_score(value)
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        if not index.data(PassesRole):
            muted = bar.palette.color(QPalette.ColorRole.Mid)
            bar.palette.setColor(QPalette.ColorRole.Highlight, QColor(muted))
            # the number on the grey bar in the text colour: light on grey could not be read
            text = bar.palette.color(QPalette.ColorRole.Text)
            bar.palette.setColor(QPalette.ColorRole.HighlightedText, QColor(text))
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


class ResultsView(QTableView):
    """The results table, whose size hint is as wide as its columns want.

    :attr:`wanted` holds the width each column asks for (a voiceprint's name whole, the
    score bar, the longest result); every column also asks for room for its header. A
    dialog laid out around the view then opens wide enough that no header is cut (the
    description column, which stretches, was left a sliver: "escriptio").

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The width each column asks for, by column (beside its header's own).
        self.wanted: dict[int, int] = {}

    def columns_width(self) -> int:
        """The width of all the columns, each as wide as it asks for."""
        header = self.horizontalHeader()
        return sum(
            max(self.wanted.get(column, 0), header.sectionSizeHint(column))
            for column in range(header.count())
        )

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        # the frame, and a scroll bar when there are more results than rows shown
        width = self.columns_width() + 2 * self.frameWidth()
        width += self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())


# ------------------------------------------------------------------------------------------
# The clip
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    """A clip to identify: a file, and for pcm its declared layout."""

    path: Path
    sample_rate: int | None = None
    channels: int | None = None

    def upload(self) -> AudioUpload:
        """Check the file and describe it for upload (reads the file: call from a worker)."""
        return AudioUpload.from_path(self.path, self.sample_rate, self.channels)


# Milliseconds after the last key in the clip's path box before the typed path is checked.
TYPED_PATH_CHECK_MS = 700


class ClipSource(QWidget):
    """Where the clip comes from: a wav or pcm file, or a take recorded here.

    "Record…" shows the recorder; a finished take fills the path box and is
    checked, like a file chosen with Browse…. While a take is recorded or the
    clip is being checked there is no clip yet; :meth:`blocked` says whether its
    check found a blocking problem.

    Signals:
        changed(): the clip changed (a new path or pcm layout), or its recording or check state.
        entered(): Enter was pressed in the path box.
    """

    changed = Signal()
    entered = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        preferences: Preferences | None = None,
        recorder_panel: RecorderPanel | None = None,
    ) -> None:
        super().__init__(parent)
        self.file_dialog: QFileDialog | None = None
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("A wav or pcm file with one person speaking"))
        self.path_edit.setAccessibleName(self.tr("Clip file"))
        self.path_edit.textChanged.connect(self.on_path_edit_text_changed)
        self.path_edit.textEdited.connect(self.on_path_edit_text_edited)
        self.path_edit.returnPressed.connect(self.entered)
        self.path_edit.editingFinished.connect(self.on_path_edit_editing_finished)
        # The path in the box was typed or pasted by the operator (not chosen with
        # Browse… or recorded, which check it themselves): it is checked like a chosen
        # file once typing pauses, and no clip is given until that check has run.
        self._typed = False
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(TYPED_PATH_CHECK_MS)
        self._check_timer.timeout.connect(self._check_if_new)
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        self.record_button = QPushButton(self.tr("Record…"))
        self.record_button.setCheckable(True)
        self.record_button.setToolTip(self.tr("Record the clip with a microphone"))
        self.record_button.toggled.connect(self.on_record_button_toggled)
        self.recorder_panel = recorder_panel or RecorderPanel(preferences)
        self.recorder_panel.for_enrollment = False
        self.recorder_panel.set_recording_visible(False)
        self.recorder_panel.file_ready.connect(self.on_recorder_panel_file_ready)
        self.recorder_panel.state_changed.connect(self.changed)

        self.rate_combo = QComboBox()
        for rate in PCM_RATES:
            self.rate_combo.addItem(fill(self.tr("%1 Hz"), str(rate)), rate)
        self.rate_combo.setCurrentIndex(PCM_RATES.index(16000))
        self.rate_combo.currentIndexChanged.connect(self.on_pcm_layout_changed)
        self.channels_spin = QSpinBox()
        self.channels_spin.setRange(1, 8)
        self.channels_spin.setValue(1)
        self.channels_spin.valueChanged.connect(self.on_pcm_layout_changed)
        self.pcm_box = QWidget()
        pcm_layout = QHBoxLayout(self.pcm_box)
        pcm_layout.setContentsMargins(0, 0, 0, 0)
        pcm_layout.addWidget(QLabel(self.tr("PCM sample rate:")))
        pcm_layout.addWidget(self.rate_combo)
        pcm_layout.addWidget(QLabel(self.tr("Channels:")))
        pcm_layout.addWidget(self.channels_spin)
        pcm_layout.addStretch(1)
        self.pcm_hint = QLabel(self.tr("Coze accepts pcm only as 16 kHz, mono, 16-bit."))
        self.pcm_hint.setEnabled(False)
        pcm_layout.addWidget(self.pcm_hint)
        self.pcm_box.setVisible(False)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.pcm_box)
        layout.addWidget(self.recorder_panel)

    def set_path(self, path: str | Path) -> None:
        """Use the file at ``path`` (chosen or recorded: its chooser checks it)."""
        self._typed = False
        self.path_edit.setText(str(path))

    def is_pcm(self) -> bool:
        """Whether the chosen file is raw pcm (and needs a declared layout)."""
        return self.path_edit.text().strip().lower().endswith(".pcm")

    def checking(self) -> bool:
        """Whether the file in the box is being checked right now."""
        text = self.path_edit.text().strip()
        return bool(text) and self.recorder_panel.checking_path() == text

    def blocked(self) -> bool:
        """Whether the check of the chosen file found a blocking problem."""
        report = self.recorder_panel.report_for(self.path_edit.text().strip())
        return report is not None and report.blocking

    def check(self) -> None:
        """Check the chosen file (not raw pcm) on a worker; the findings show below."""
        self._check_timer.stop()
        text = self.path_edit.text().strip()
        if text and not self.is_pcm():
            self.recorder_panel.check(text)

    def _check_if_new(self) -> None:
        """Check the path in the box unless it was checked (or is being checked) already."""
        text = self.path_edit.text().strip()
        panel = self.recorder_panel
        if text and panel.report_for(text) is None and panel.checking_path() != text:
            self.check()

    def shutdown(self) -> None:
        """End a take still recording and stop playing (the dialog closes)."""
        self.recorder_panel.shutdown()

    def clip(self) -> Clip | None:
        """The chosen clip; None when no file is given, while recording or checking it, and
        while a typed wav path has not been checked (it is once typing pauses,
        :data:`TYPED_PATH_CHECK_MS`, or at Enter)."""
        text = self.path_edit.text().strip()
        panel = self.recorder_panel
        if not text or panel.recording or panel.checking_path() == text:
            return None
        if self._typed and not self.is_pcm() and panel.report_for(text) is None:
            return None  # not checked (yet): silence or a 2 s clip would read as "no match"
        if self.is_pcm():
            return Clip(Path(text), int(self.rate_combo.currentData()), self.channels_spin.value())
        return Clip(Path(text))

    @Slot(str)
    def on_path_edit_text_changed(self, text: str) -> None:
        panel = self.recorder_panel
        stale = text.strip() and Path(text.strip()) != Path(panel.current_path() or ".")
        if stale and (panel.report() is not None or panel.checking):
            panel.clear_report()  # another file: the report no longer applies
        self.pcm_box.setVisible(self.is_pcm())
        if self._typed and text.strip() and not self.is_pcm():
            self._check_timer.start()
        else:
            self._check_timer.stop()
        self.changed.emit()

    @Slot(str)
    def on_path_edit_text_edited(self, _text: str) -> None:
        self._typed = True  # (textChanged follows, and starts the check's timer)

    @Slot()
    def on_path_edit_editing_finished(self) -> None:
        if self._typed:
            self._check_if_new()  # Enter, or the focus leaves the box: at once

    @Slot(bool)
    def on_record_button_toggled(self, shown: bool) -> None:
        self.recorder_panel.set_recording_visible(shown)

    @Slot(str)
    def on_recorder_panel_file_ready(self, path: str) -> None:
        self.set_path(path)

    @Slot(str)
    def on_file_dialog_file_selected(self, path: str) -> None:
        if path:
            self.set_path(path)
            self.check()

    @Slot()
    def on_pcm_layout_changed(self) -> None:
        self.changed.emit()

    @Slot()
    def on_browse_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a clip"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Audio (*.wav *.pcm)"), self.tr("All files (*)")])
        current = self.path_edit.text().strip()
        # the clip's folder, else the last one used (not the one the app was started from)
        dialog.setDirectory(str(Path(current).parent) if current else str(start_folder()))
        dialog.fileSelected.connect(remember)
        dialog.fileSelected.connect(self.on_file_dialog_file_selected)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self.on_file_dialog_finished)
        self.file_dialog = dialog
        dialog.open()

    @Slot()
    def on_file_dialog_finished(self) -> None:
        self.file_dialog = None


# ------------------------------------------------------------------------------------------
# The dialog
# ------------------------------------------------------------------------------------------


class IdentifyDialog(QDialog):
    """Identify who is speaking in a clip, among the voiceprints of a group.

    Signals:
        identified(object): the results (a list of FeatureScore) of a finished identification.
    """

    identified = Signal(object)

    def __init__(
        self,
        services: AppServices,
        presenter: ErrorPresenter,
        workspace: Workspace,
        group: VoiceprintGroup | None = None,
        parent: QWidget | None = None,
        *,
        recorder_panel: RecorderPanel | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.presenter = presenter
        self.workspace = workspace
        self._budget_confirmed = False  # the operator said to go on past the call budget
        # Enter was pressed on a path not checked yet: identify once the check allows it
        self._identify_when_checked = False
        self.runner = TaskRunner(parent=self)
        self._groups: list[VoiceprintGroup] = [group] if group is not None else []
        self._groups_loaded = False
        self._wanted_group_id = group.id if group is not None else ""
        self._identify_worker: Worker | None = None
        self._cancel_token: CancelToken | None = None
        self._has_results = False
        self._identified_clip: Clip | None = None  # the clip the results shown are for
        self.setWindowTitle(self.tr("Identify speaker"))

        # -- inputs
        self.group_combo = QComboBox()
        self.group_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.group_combo.setMinimumContentsLength(24)
        self.group_combo.currentIndexChanged.connect(self.on_group_combo_changed)
        self.group_info_label = QLabel()
        self.group_info_label.setWordWrap(True)
        self.clip_source = ClipSource(
            preferences=services.preferences, recorder_panel=recorder_panel
        )
        self.clip_source.changed.connect(self.on_clip_source_changed)
        self.clip_source.entered.connect(self.on_clip_source_entered)
        # another path typed after that Enter: it waits for an Enter of its own
        self.clip_source.path_edit.textEdited.connect(self._forget_enter)
        self.top_k_spin = QSpinBox()
        self.top_k_spin.setRange(1, MAX_TOP_K)
        self.top_k_spin.setValue(
            min(MAX_TOP_K, max(1, services.preferences.get(prefs.IDENTIFY_TOP_K)))
        )
        self.top_k_spin.setToolTip(self.tr("How many of the closest voiceprints to list."))
        self.top_k_spin.valueChanged.connect(self.on_top_k_spin_changed)
        self.threshold_spin = QSpinBox()
        self.threshold_spin.setRange(0, 100)
        self.threshold_spin.setValue(
            min(100, max(0, services.preferences.get(prefs.IDENTIFY_THRESHOLD)))
        )
        self.threshold_spin.setToolTip(
            self.tr(
                "A voiceprint counts as a match only when its score is above this value. "
                "The Coze console uses 40."
            )
        )
        self.threshold_spin.valueChanged.connect(self.on_threshold_spin_changed)

        form = QFormLayout()
        # the group and clip fields grow; the two numbers keep their natural width
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for wide in (self.group_combo, self.group_info_label, self.clip_source):
            wide.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        for narrow in (self.top_k_spin, self.threshold_spin):
            narrow.setMinimumWidth(90)
        form.addRow(self.tr("&Group:"), self.group_combo)
        form.addRow("", self.group_info_label)
        form.addRow(self.tr("&Clip:"), self.clip_source)
        # (the row of a box and two buttons takes no focus itself: Alt+C goes to the box)
        clip_label = form.labelForField(self.clip_source)
        assert isinstance(clip_label, QLabel)
        clip_label.setBuddy(self.clip_source.path_edit)
        form.addRow(self.tr("&Results to list:"), self.top_k_spin)
        form.addRow(self.tr("&Match threshold:"), self.threshold_spin)

        if workspace.coze_profile.offline and services.offline.engine is None:
            note = self.tr(
                "The offline workspace cannot identify speakers yet: connect to Coze "
                "(Connection > Token…) to try it."
            )
        elif workspace.coze_profile.offline:
            note = self.tr(
                "The offline workspace identifies speakers with a built-in model on this "
                "computer: nothing is sent anywhere and nothing is billed. Its scores can be "
                "compared with each other, not with Coze's."
            )
        else:
            note = self.tr(
                "Coze bills every identification, so it runs only when you click Identify."
            )
        self.billing_label = QLabel(note)
        self.billing_label.setWordWrap(True)
        self.billing_label.setEnabled(False)
        self.identify_button = QPushButton(self.tr("&Identify"))
        self.identify_button.clicked.connect(self.on_identify_button_clicked)
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel upload"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        action_row = QHBoxLayout()
        action_row.addWidget(self.identify_button)
        action_row.addWidget(self.progress_bar, 1)
        action_row.addWidget(self.cancel_button)
        action_row.addStretch(0)

        # -- results
        self.sentence_label = QLabel()
        self.sentence_label.setWordWrap(True)
        self.sentence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.sentence_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.sentence_label.setFont(font)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = ScoreTableModel(self)
        self.model.set_threshold(float(self.threshold_spin.value()))
        self.view = ResultsView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(COL_SCORE, ScoreBarDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DESC, QHeaderView.ResizeMode.Stretch)
        # a voiceprint's name whole (bold in the best row), else cut in the middle
        name_width = show_names_whole(self.view, COL_NAME, bold=True)
        score_width = max(SCORE_COLUMN_WIDTH, header.sectionSizeHint(COL_SCORE))
        header.resizeSection(COL_SCORE, score_width)
        # the result column fits the longest result (in this language), bold as the best
        bold = QFont(self.view.font())
        bold.setBold(True)
        widest = max(
            QFontMetrics(bold).horizontalAdvance(result_words(kind)) for kind in RESULT_WORDS
        )
        result_width = max(120, widest + 24, header.sectionSizeHint(COL_RESULT))
        header.resizeSection(COL_RESULT, result_width)
        # the dialog opens wide enough for all of them, the description's header whole
        # (it stretches into whatever is left)
        self.view.wanted = {COL_NAME: name_width, COL_SCORE: score_width, COL_RESULT: result_width}

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Rows for five results; more scroll inside the table.
        rows = self.view.verticalHeader().defaultSectionSize()
        self.view.setMinimumHeight(rows * 5 + self.view.horizontalHeader().sizeHint().height() + 4)

        # The inputs and the results scroll when the screen is too small; Identify, the
        # verdict and Close stay pinned below.
        self.body_area = ScrollBody()
        body = self.body_area.body_layout
        body.addLayout(form)
        body.addWidget(self.billing_label)
        body.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_area, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.sentence_label)
        layout.addWidget(self.details_label)
        layout.addWidget(buttons)
        self.identify_button.setDefault(True)  # Enter identifies (never records)
        self.resize(720, 560)
        keep_on_screen(self, self.body_area.body)

        self._fill_group_combo()
        self._update_sentence()
        self._update_state()
        self.load_groups()

    # -- groups -------------------------------------------------------------------------

    def load_groups(self) -> None:
        """Load every group of the workspace (up to 200 per request) on a worker."""
        workspace = self.workspace

        def task(_ctx: TaskContext) -> list[VoiceprintGroup]:
            return list(workspace.coze().iter_groups(page_size=200))

        self.group_info_label.setText(self.tr("Loading groups…"))
        self.runner.submit(
            "groups", task, self._on_groups_loaded, on_failure=self._on_groups_failed
        )

    def _on_groups_loaded(self, result: object) -> None:
        assert isinstance(result, list)
        current = self.selected_group()
        if current is not None:
            self._wanted_group_id = current.id
        self._groups = result
        self._groups_loaded = True
        self._fill_group_combo()

    def _on_groups_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self.group_info_label.setText(self.tr("The groups could not be loaded."))
        self.presenter.show(exc, self)

    def _fill_group_combo(self) -> None:
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        select = 0
        for row, group in enumerate(self._groups):
            self.group_combo.addItem(group.name or group.id, group)
            self.group_combo.setItemData(
                row, f"{group.name}\n{group.id}", Qt.ItemDataRole.ToolTipRole
            )
            if group.id == self._wanted_group_id:
                select = row
        if self._groups:
            self.group_combo.setCurrentIndex(select)
        self.group_combo.blockSignals(False)
        self._on_group_changed()

    @property
    def groups_loaded(self) -> bool:
        """Whether the group list came back from the server."""
        return self._groups_loaded

    def selected_group(self) -> VoiceprintGroup | None:
        """The group to identify in."""
        group = self.group_combo.currentData()
        return group if isinstance(group, VoiceprintGroup) else None

    def select_group(self, group_id: str) -> None:
        """Choose the group with ``group_id`` (when it is in the list)."""
        for row in range(self.group_combo.count()):
            group = self.group_combo.itemData(row)
            if isinstance(group, VoiceprintGroup) and group.id == group_id:
                self.group_combo.setCurrentIndex(row)
                return
        raise KeyError(group_id)

    def _on_group_changed(self) -> None:
        group = self.selected_group()
        if group is None:
            if self._groups_loaded:
                text = self.tr(
                    "There are no voiceprint groups yet. Create a group and enroll "
                    "voiceprints first."
                )
            else:
                text = self.tr("Loading groups…")
        elif group.feature_count <= 0:
            text = self.tr(
                "This group has no voiceprints. Identification needs at least one "
                "voiceprint: enroll one first."
            )
        else:
            text = self.tr("%n voiceprint(s) in this group.", "", group.feature_count)
        self.group_info_label.setText(text)
        self._clear_results()
        self._update_state()

    # -- identify -----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether an identification is in flight."""
        return self.runner.in_flight("identify")

    def can_identify(self) -> bool:
        """Whether the inputs allow pressing Identify."""
        group = self.selected_group()
        return (
            group is not None
            and group.feature_count > 0
            and self.clip_source.clip() is not None
            and not self.clip_source.blocked()
            and not self.busy
        )

    def identify(self) -> None:
        """Upload the clip and identify it (billed: only on the operator's request)."""
        group = self.selected_group()
        clip = self.clip_source.clip()
        if group is None or clip is None or self.busy:
            return
        workspace = self.workspace
        if not self._budget_confirmed and confirm_budget(
            self, self.services.budget, workspace.coze_profile, 1, self._on_budget_confirmed
        ):
            return  # asked first: past the free plan's calls, Coze locks the account out
        top_k = self.top_k_spin.value()
        token = CancelToken()
        group_id = group.id

        def task(ctx: TaskContext) -> list[FeatureScore]:
            report = ProgressThrottle(ctx.progress)

            def progress(sent: int, total: int) -> None:
                if ctx.cancelled:  # the dialog closed: stop the upload at the next chunk
                    token.cancel()
                report(sent, total)

            token.raise_if_cancelled()
            upload = clip.upload()
            report(0, upload.size)
            return workspace.coze().identify(
                group_id, upload, top_k=top_k, progress=progress, cancel=token
            )

        self.services.preferences.set(prefs.IDENTIFY_TOP_K, top_k)
        self._cancel_token = token
        self._clear_results()
        self._identified_clip = clip
        self.sentence_label.setText(self.tr("Identifying…"))
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat(self.tr("Preparing the clip…"))
        self._identify_worker = self.runner.submit(
            "identify",
            task,
            self._on_identified,
            on_failure=self._on_identify_failed,
            on_progress=self._on_identify_progress,
            on_finished=self._on_identify_finished,
        )
        self._update_state()

    def cancel(self) -> None:
        """Stop the identification in flight (the upload stops at its next chunk)."""
        if self._cancel_token is not None:
            self._cancel_token.cancel()
        if self._identify_worker is not None:
            self._identify_worker.cancel()
        self.cancel_button.setEnabled(False)

    def _on_identify_progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        # QProgressBar holds ints: count in KiB so any size fits
        self.progress_bar.setRange(0, max(1, total // 1024))
        self.progress_bar.setValue(min(done, total) // 1024)
        if done >= total:
            self.progress_bar.setFormat(self.tr("Uploaded. Waiting for the scores…"))
        else:
            self.progress_bar.setFormat(
                fill(self.tr("Uploading: %1 of %2"), _size_text(done), _size_text(total))
            )

    def _on_identified(self, result: object) -> None:
        assert isinstance(result, list)
        if self._cancel_token is not None and self._cancel_token.cancelled:
            self.sentence_label.setText(self.tr("Identification cancelled."))
            return
        source = self.clip_source
        report = source.recorder_panel.report_for(source.path_edit.text().strip())
        self.model.set_scores(result, report.speech_seconds if report is not None else None)
        self._has_results = True
        self._update_sentence()
        self.identified.emit(result)

    def _on_identify_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if isinstance(exc, UploadCancelledError):
            self.sentence_label.setText(self.tr("Identification cancelled."))
            return
        self.sentence_label.setText(describe_error(exc).message)
        self.presenter.show(exc, self)

    def _on_identify_finished(self) -> None:
        self._identify_worker = None
        self._cancel_token = None
        self._update_state()

    # -- presentation -------------------------------------------------------------------

    def _clear_results(self) -> None:
        if self._has_results or self.model.rowCount():
            self.model.set_scores(())
        self._has_results = False
        self._update_sentence()

    def sentence(self) -> str:
        """The verdict on the current results ("Most likely …", "Can't tell …", "No match.")."""
        if not self._has_results:
            return self.next_step()
        return verdict_sentence(self.model.verdict())

    def next_step(self) -> str:
        """What to do next before there are results: what is still missing (a group with
        voiceprints, a clip), what is being waited for (the take, its check), or, with
        both chosen, to click Identify."""
        source = self.clip_source
        if source.blocked():
            return self.tr(
                "This clip cannot be identified: see the check above, then record or "
                "choose another clip."
            )
        group = self.selected_group()
        has_group = group is not None and group.feature_count > 0
        has_clip = bool(source.path_edit.text().strip())
        if source.recorder_panel.recording:
            return self.tr("Recording the clip… Once it is saved and checked, click Identify.")
        if has_clip and source.clip() is None:
            return self.tr("Checking the clip…")  # (a typed path is checked once typing pauses)
        if group is None and not has_clip:
            return self.tr("Choose a group and a clip, then click Identify.")
        if not has_group:
            return self.tr("Choose a group that has voiceprints, then click Identify.")
        if not has_clip:
            return self.tr("Choose or record a clip, then click Identify.")
        return self.tr("Ready: click Identify to find out who is speaking.")

    def details(self) -> str:
        """The numbers behind the verdict (empty without results)."""
        return verdict_details(self.model.verdict()) if self._has_results else ""

    def _update_sentence(self) -> None:
        self.sentence_label.setText(self.sentence())
        self.details_label.setText(self.details())
        self.details_label.setVisible(bool(self.details_label.text()))

    def _update_state(self) -> None:
        busy = self.busy
        for widget in (self.group_combo, self.clip_source, self.top_k_spin):
            widget.setEnabled(not busy)
        self.identify_button.setEnabled(self.can_identify())
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)

    # -- slots --------------------------------------------------------------------------

    @Slot(int)
    def on_group_combo_changed(self, _index: int) -> None:
        self._on_group_changed()

    @Slot()
    def on_clip_source_changed(self) -> None:
        if self._has_results and self.clip_source.clip() != self._identified_clip:
            self._clear_results()  # the results were for another clip
        elif not self._has_results and not self.busy:
            self._update_sentence()  # (a clip the check blocks says so)
        self._update_state()
        if self._identify_when_checked:
            if self.can_identify():
                self._identify_when_checked = False
                self.identify()  # the Enter that started the check
            elif not self.clip_source.checking() and self.clip_source.clip() is not None:
                self._identify_when_checked = False  # checked, and it cannot be identified

    def _forget_enter(self, _text: str) -> None:
        self._identify_when_checked = False

    @Slot()
    def on_clip_source_entered(self) -> None:
        """Enter in the path box identifies (the default button does it when it can; a
        typed path is checked first, and identified when the check allows it -- the
        first Enter only checked it, a second one was needed)."""
        if not self.can_identify() and not self.busy:
            self._identify_when_checked = True

    @Slot(int)
    def on_top_k_spin_changed(self, value: int) -> None:
        self.services.preferences.set(prefs.IDENTIFY_TOP_K, value)

    @Slot(int)
    def on_threshold_spin_changed(self, value: int) -> None:
        self.services.preferences.set(prefs.IDENTIFY_THRESHOLD, value)
        self.model.set_threshold(float(value))
        self._update_sentence()

    def _on_budget_confirmed(self) -> None:
        self._budget_confirmed = True
        self.identify()

    @Slot()
    def on_identify_button_clicked(self) -> None:
        self.identify()

    @Slot()
    def on_cancel_button_clicked(self) -> None:
        self.cancel()

    def done(self, result: int) -> None:
        """Close: cancel the upload in flight and drop whatever is still to come."""
        self.clip_source.shutdown()
        if self._cancel_token is not None:
            self._cancel_token.cancel()
        self.runner.cancel_all()
        if self._identify_worker is not None:
            self.sentence_label.setText(self.tr("Identification cancelled."))
        self._identify_worker = None
        self._cancel_token = None
        self._update_state()
        super().done(result)


def _size_text(size: int) -> str:
    if size < 1024:
        return fill(QCoreApplication.translate("IdentifyDialog", "%1 B"), str(size))
    if size < 1024 * 1024:
        return fill(QCoreApplication.translate("IdentifyDialog", "%1 KB"), f"{size / 1024:.0f}")
    return fill(
        QCoreApplication.translate("IdentifyDialog", "%1 MB"), f"{size / (1024 * 1024):.1f}"
    )
