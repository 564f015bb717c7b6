"""The speaker-identification dialog: offline with and without an engine, threshold, cancel."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import read_mono, speech_file, synthetic_factory
from tests.toy_engine import SpectrumEngine
from tests.ui_fixtures import services_on
from voiceprint_studio.api import AudioUpload, CozeClient, FeatureScore, VoiceprintGroup
from voiceprint_studio.api.verdict import VerdictKind
from voiceprint_studio.audio import InputDevice
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import ConnectionProfile
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OFFLINE_BASE_URL, OfflineBackend, Workspace
from voiceprint_studio.ui.identify.identify_dialog import (
    COL_DESC,
    COL_RESULT,
    COL_SCORE,
    IdentifyDialog,
    PassesRole,
    ScoreBarDelegate,
    ScoreRole,
    ScoreTableModel,
)
from voiceprint_studio.ui.recorder.panel import RecorderPanel

RATE = 16000
MIC = InputDevice(0, "Desk mic", "Test API", 48000.0, 1, is_default=True)
IDENTIFY_PATH = re.compile(r"/speaker_identify$")


def tone(freq: float, seconds: float = 1.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amp * np.sin(2 * np.pi * freq * t)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    soundfile.write(path, samples.astype(np.float32), RATE, subtype="PCM_16")
    return path


def plural(text: str, n: int = 2) -> str:
    """English plural forms of ``%n thing(s)`` (no translator is installed in tests)."""
    return text.replace("(s)", "" if n == 1 else "s")


class RecordingTransport(httpx.BaseTransport):
    """Forwards to the offline backend, counting identify requests; can hold an upload."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.identify_requests = 0
        self.forwarded = 0
        self.gate: threading.Event | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if IDENTIFY_PATH.search(request.url.path):
            self.identify_requests += 1
            if self.gate is not None:
                chunks: list[bytes] = []
                held = False
                for chunk in request.stream:  # type: ignore[union-attr]
                    chunks.append(chunk)
                    if not held and sum(map(len, chunks)) >= 32 * 1024:
                        held = True
                        self.gate.wait(5)  # the test cancels while the upload is held here
                request = httpx.Request(
                    request.method, request.url, headers=request.headers, content=b"".join(chunks)
                )
        self.forwarded += 1
        return self.inner.handle_request(request)


@dataclass
class Enrolled:
    services: AppServices
    workspace: Workspace
    transport: RecordingTransport
    group: VoiceprintGroup
    query: Path
    expected: list[tuple[str, float]]  # (name, score) best first


def _client(offline: OfflineBackend) -> CozeClient:
    return CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport())


@pytest.fixture
def enrolled(tmp_path: Path) -> Iterator[Enrolled]:
    """An offline workspace with a toy speaker engine and a group of three voiceprints."""
    engine = SpectrumEngine()
    offline = OfflineBackend(tmp_path / "engine", engine=engine)
    transport = RecordingTransport(offline.transport())

    def factory(profile: ConnectionProfile) -> httpx.BaseTransport | None:
        return transport if profile.service == "coze" else None

    services = services_on(tmp_path, offline, transport_factory=factory)
    rng = np.random.default_rng(1)
    signals = {
        "妈妈的声音": tone(200),
        "爸爸的声音": tone(900),
        "电视噪声": 0.2 * rng.standard_normal(RATE),
    }
    query = tone(200) + tone(900, amp=0.12) + 0.02 * rng.standard_normal(RATE)
    query_path = write_wav(tmp_path / "query.wav", query)
    with _client(offline) as client:
        group_id = client.create_group("家人", "family")
        for name, samples in signals.items():
            path = write_wav(tmp_path / f"{len(name)}-{abs(hash(name))}.wav", samples)
            client.create_voiceprint(group_id, name, AudioUpload.from_path(path))
        group = client.list_groups(group_id=group_id).items[0]
    query_vec = engine.embed(query.astype(np.float32))
    expected = sorted(
        (
            (name, engine.score(query_vec, engine.embed(s.astype(np.float32))))
            for name, s in signals.items()
        ),
        key=lambda pair: -pair[1],
    )
    workspace = services.new_workspace()
    yield Enrolled(services, workspace, transport, group, query_path, expected)
    workspace.close()
    offline.close()


def open_dialog(
    qtbot: QtBot,
    services: AppServices,
    workspace: Workspace,
    group: VoiceprintGroup | None,
    presenter: ErrorPresenter | None = None,
) -> IdentifyDialog:
    dialog = IdentifyDialog(services, presenter or ErrorPresenter(), workspace, group)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.groups_loaded)
    return dialog


def identify(qtbot: QtBot, dialog: IdentifyDialog) -> None:
    assert dialog.identify_button.isEnabled()
    dialog.identify_button.click()
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy)


def test_offline_workspace_says_identification_is_not_available(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    with _client(services.offline) as client:
        group_id = client.create_group("客厅")
        clip = write_wav(tmp_path / "a.wav", tone(300))
        client.create_voiceprint(group_id, "妈妈的声音", AudioUpload.from_path(clip))
    workspace = services.new_workspace()
    presenter = ErrorPresenter()
    try:
        dialog = open_dialog(qtbot, services, workspace, None, presenter)
        group = dialog.selected_group()
        assert group is not None and group.id == group_id
        assert plural(dialog.group_info_label.text(), 1) == "1 voiceprint in this group."
        # Said up front, not only after the upload: offline cannot identify (yet).
        assert "offline workspace cannot identify" in dialog.billing_label.text()
        assert "bills" not in dialog.billing_label.text()
        dialog.clip_source.set_path(clip)
        identify(qtbot, dialog)
        shown = presenter.last_dialog
        assert shown is not None
        assert shown.text.message == (
            "Speaker identification could not run in the offline workspace."
        )
        assert "switch to a Coze workspace" in shown.text.next_step
        assert "4900" in shown.text.details
        assert dialog.sentence_label.text() == shown.text.message
        assert dialog.model.rowCount() == 0
        shown.close()
    finally:
        workspace.close()


def test_group_without_voiceprints_cannot_be_identified(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    with _client(services.offline) as client:
        client.create_group("空的组")
        full = client.create_group("有声纹的组")
        client.create_voiceprint(
            full, "甲", AudioUpload.from_path(write_wav(tmp_path / "a.wav", tone(300)))
        )
        groups = {g.id: g for g in client.iter_groups()}
    workspace = services.new_workspace()
    try:
        dialog = open_dialog(qtbot, services, workspace, groups[full])
        assert dialog.selected_group() == groups[full]  # the given group is preselected
        assert dialog.group_combo.count() == 2
        dialog.clip_source.set_path(tmp_path / "a.wav")
        assert dialog.identify_button.isEnabled()
        empty = next(g for g in groups.values() if g.id != full)
        dialog.select_group(empty.id)
        assert "needs at least one voiceprint" in dialog.group_info_label.text()
        assert not dialog.identify_button.isEnabled()
    finally:
        workspace.close()


def test_identify_ranks_names_best_and_rethresholds_without_a_request(
    qtbot: QtBot, enrolled: Enrolled, qtmodeltester: ModelTester
) -> None:
    dialog = open_dialog(qtbot, enrolled.services, enrolled.workspace, enrolled.group)
    assert plural(dialog.group_info_label.text()) == "3 voiceprints in this group."
    # with a speaker engine the offline workspace says how it identifies, up front
    assert "built-in model on this computer" in dialog.billing_label.text()
    assert "not with Coze's" in dialog.billing_label.text()
    assert "cannot identify" not in dialog.billing_label.text()
    assert dialog.threshold_spin.value() == 40
    assert dialog.top_k_spin.value() == enrolled.services.preferences.get(prefs.IDENTIFY_TOP_K)
    dialog.clip_source.set_path(enrolled.query)
    assert enrolled.transport.identify_requests == 0  # never automatic: it is billed
    dialog.top_k_spin.setValue(3)
    identify(qtbot, dialog)
    assert enrolled.transport.identify_requests == 1

    model = dialog.model
    qtmodeltester.check(model)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    scores = [model.index(r, COL_SCORE).data(ScoreRole) for r in range(model.rowCount())]
    assert names == [name for name, _ in enrolled.expected]
    assert scores == pytest.approx([score for _, score in enrolled.expected], abs=1e-3)
    assert scores == sorted(scores, reverse=True)
    best_name, best_score = enrolled.expected[0]
    assert best_score > 40 > enrolled.expected[1][1]
    second_name, second_score = enrolled.expected[1]
    # the plain verdict, and the numbers that made it
    assert dialog.sentence_label.text() == f"Most likely {best_name}."
    assert dialog.details_label.text() == (
        f"“{best_name}” scored {best_score:.1f}, above the match threshold of 40, and "
        f"{best_score - second_score:.1f} ahead of “{second_name}” ({second_score:.1f}); "
        "a lead of 10 is needed."
    )
    assert model.index(0, COL_SCORE).data() == f"{best_score:.1f}"
    assert "0 to 100" in model.headerData(
        COL_SCORE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert [model.index(r, 0).data(PassesRole) for r in range(3)] == [True, False, False]
    assert [model.index(r, 3).data() for r in range(3)] == ["Most likely", "No match", "No match"]
    dialog.resize(800, 600)
    assert not dialog.view.viewport().grab().isNull()  # the score bars paint

    dialog.threshold_spin.setValue(int(best_score) + 1)
    assert dialog.sentence_label.text() == "No match."
    assert dialog.details_label.text() == (
        f"The highest score, {best_score:.1f} for “{best_name}”, is not above the match "
        f"threshold of {int(best_score) + 1}."
    )
    assert model.index(0, 0).data(PassesRole) is False
    assert model.rowCount() == 3
    assert enrolled.transport.identify_requests == 1  # no new request
    assert enrolled.services.preferences.get(prefs.IDENTIFY_THRESHOLD) == int(best_score) + 1
    dialog.threshold_spin.setValue(int(second_score) - 1)  # the runner-up passes too
    assert dialog.sentence_label.text() == f"Most likely {best_name}."  # far enough ahead
    assert [model.index(r, 0).data(PassesRole) for r in range(3)] == [True, True, False]
    # one verdict: the others above the threshold are less likely, not matches
    assert [model.index(r, 3).data() for r in range(3)] == [
        "Most likely",
        "Above the threshold, but behind the best",
        "No match",
    ]
    # ... each said whole in its column (it was cut: "Above the thres…")
    metrics = dialog.view.fontMetrics()
    for r in range(3):
        needed = metrics.horizontalAdvance(model.index(r, 3).data()) + 12
        assert dialog.view.columnWidth(3) >= needed

    # another clip: the results were not for it, so they go
    dialog.clip_source.set_path(enrolled.query.with_name("another.wav"))
    assert model.rowCount() == 0
    assert dialog.sentence_label.text() == "Ready: click Identify to find out who is speaking."


def test_top_k_is_honoured(qtbot: QtBot, enrolled: Enrolled) -> None:
    dialog = open_dialog(qtbot, enrolled.services, enrolled.workspace, enrolled.group)
    dialog.clip_source.set_path(enrolled.query)
    dialog.top_k_spin.setValue(2)
    identify(qtbot, dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 0).data() == enrolled.expected[0][0]
    assert enrolled.services.preferences.get(prefs.IDENTIFY_TOP_K) == 2


def test_cancel_mid_upload(qtbot: QtBot, enrolled: Enrolled, tmp_path: Path) -> None:
    long_clip = write_wav(tmp_path / "long.wav", tone(200, seconds=4.0))  # 128 KB: 2+ chunks
    enrolled.transport.gate = threading.Event()
    presenter = ErrorPresenter()
    dialog = open_dialog(qtbot, enrolled.services, enrolled.workspace, enrolled.group, presenter)
    dialog.clip_source.set_path(long_clip)
    dialog.identify_button.click()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 0)
    assert dialog.cancel_button.isVisible() and dialog.cancel_button.isEnabled()
    assert "Uploading" in dialog.progress_bar.format()
    assert not dialog.identify_button.isEnabled()
    dialog.cancel_button.click()
    enrolled.transport.gate.set()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert enrolled.transport.identify_requests == 1
    assert enrolled.transport.forwarded == 1  # only the group list: the upload never finished
    assert dialog.sentence_label.text() == "Identification cancelled."
    assert presenter.last_dialog is None  # a cancellation is not an error
    assert dialog.model.rowCount() == 0
    assert not dialog.cancel_button.isVisible()
    assert dialog.identify_button.isEnabled()


def test_the_clip_label_alt_key_goes_to_the_path_box(qtbot: QtBot, enrolled: Enrolled) -> None:
    """The "&Clip:" label names a row of a box and two buttons: its Alt+C puts the cursor in the
    box (it did nothing: the row itself takes no focus), like the other labels' keys."""
    dialog = open_dialog(qtbot, enrolled.services, enrolled.workspace, enrolled.group)
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    dialog.group_combo.setFocus()
    qtbot.keyClick(dialog.group_combo, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.clip_source.path_edit
    # every label's buddy takes the focus (itself or through its proxy)
    for label in dialog.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is None:
            continue
        target = buddy.focusProxy() or buddy
        assert target.focusPolicy() != Qt.FocusPolicy.NoFocus, label.text()


def test_a_typed_clip_path_is_checked_before_it_can_be_identified(
    qtbot: QtBot, enrolled: Enrolled, tmp_path: Path
) -> None:
    """A path typed (or pasted) into the clip box is checked like a chosen file: a silent
    clip is not compared (every voiceprint would score low and it would read as "no
    match"), and a path that is not there says so at Enter."""
    dialog = open_dialog(qtbot, enrolled.services, enrolled.workspace, enrolled.group)
    source, panel = dialog.clip_source, dialog.clip_source.recorder_panel
    silent = write_wav(tmp_path / "silent.wav", np.zeros(3 * RATE))
    source.path_edit.setFocus()
    qtbot.keyClicks(source.path_edit, str(silent))
    assert not dialog.identify_button.isEnabled()  # not checked yet
    qtbot.keyClick(source.path_edit, Qt.Key.Key_Return)  # checked at once, not identified
    qtbot.waitUntil(lambda: panel.report_for(silent) is not None, timeout=10000)
    assert source.blocked()
    assert plural(panel.summary_label.text()) == (
        "Cannot be used yet: 2 problems to fix, listed below."
    )
    assert not dialog.identify_button.isEnabled()
    assert dialog.sentence_label.text().startswith("This clip cannot be identified")
    # ... in the words of identification, not of enrollment
    texts = [panel.report_list.item(row).text() for row in range(panel.report_list.count())]
    speech = next(text for text in texts if text.startswith("No speech was found"))
    assert "identification needs at least 3 s" in speech and "enrollment" not in speech
    assert "at least 3 seconds" in speech
    assert enrolled.transport.identify_requests == 0

    # a good clip typed, then one Enter: checked, then identified (it took a second Enter)
    source.path_edit.clear()
    qtbot.keyClicks(source.path_edit, str(speech_file(tmp_path / "spoken.wav")))
    qtbot.keyClick(source.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: enrolled.transport.identify_requests == 1, timeout=10000)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.model.rowCount() > 0

    # a path that is not there: said at Enter
    source.path_edit.clear()
    qtbot.keyClicks(source.path_edit, str(tmp_path / "nothere.wav"))
    qtbot.keyClick(source.path_edit, Qt.Key.Key_Return)
    missing = tmp_path / "nothere.wav"
    qtbot.waitUntil(lambda: panel.report_for(missing) is not None, timeout=10000)
    assert panel.report_list.isVisible()  # what blocks is listed at once
    assert "“nothere.wav” cannot be read" in panel.report_list.item(0).text()
    assert "Check that the file exists" in panel.report_list.item(0).text()
    assert not dialog.identify_button.isEnabled()

    # speech, typed and left alone: checked once typing pauses, then it can be identified
    speech = speech_file(tmp_path / "speech.wav")
    source.path_edit.selectAll()
    qtbot.keyClicks(source.path_edit, str(speech))
    assert not dialog.identify_button.isEnabled()
    assert dialog.sentence_label.text() == "Checking the clip…"  # (not "choose a clip")
    qtbot.waitUntil(dialog.identify_button.isEnabled, timeout=10000)
    assert panel.report_for(speech) is not None and not source.blocked()
    # both chosen: it says what to do next (it asked for both again: the tester's)
    assert dialog.sentence_label.text() == "Ready: click Identify to find out who is speaking."
    # never without Enter or a click (it is billed): only the Enter above identified
    assert enrolled.transport.identify_requests == 1


def test_the_hint_says_what_is_still_missing(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """Before the results the line under Identify says what is still to choose, and once
    a group and a clip are chosen, what to do next (it asked for both all along)."""
    with _client(services.offline) as client:
        empty = client.create_group("空的组")
        full = client.create_group("有声纹的组")
        clip = write_wav(tmp_path / "a.wav", tone(300))
        client.create_voiceprint(full, "甲", AudioUpload.from_path(clip))
        groups = {g.id: g for g in client.iter_groups()}
    workspace = services.new_workspace()
    try:
        dialog = open_dialog(qtbot, services, workspace, groups[full])
        hint = dialog.sentence_label
        assert hint.text() == "Choose or record a clip, then click Identify."
        dialog.select_group(empty)  # (a group is chosen: it is the voiceprints it lacks)
        assert hint.text() == "Choose a group that has voiceprints, then click Identify."
        dialog.clip_source.set_path(clip)
        assert hint.text() == "Choose a group that has voiceprints, then click Identify."
        dialog.select_group(full)
        assert dialog.identify_button.isEnabled()
        assert hint.text() == "Ready: click Identify to find out who is speaking."
        dialog.clip_source.set_path("")
        assert hint.text() == "Choose or record a clip, then click Identify."
    finally:
        workspace.close()


def test_the_hint_says_a_clip_is_being_recorded(
    qtbot: QtBot, enrolled: Enrolled, tmp_path: Path
) -> None:
    """While the clip is recorded it says so (not "choose a clip"); once the take is saved
    and checked, Identify is next."""
    speech = read_mono(speech_file(tmp_path / "speech.wav"))
    panel = RecorderPanel(
        enrolled.services.preferences,
        folder=tmp_path / "recs",
        stream_factory=synthetic_factory(speech, speed=8.0),
        device_lister=lambda: [MIC],
    )
    dialog = IdentifyDialog(
        enrolled.services,
        ErrorPresenter(),
        enrolled.workspace,
        enrolled.group,
        recorder_panel=panel,
    )
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.groups_loaded)
    assert dialog.sentence_label.text() == "Choose or record a clip, then click Identify."
    dialog.clip_source.record_button.click()  # shows the recorder
    qtbot.waitUntil(panel.record_button.isEnabled, timeout=5000)
    panel.record_button.click()
    qtbot.waitUntil(panel.timer.isActive, timeout=5000)
    assert dialog.sentence_label.text() == (
        "Recording the clip… Once it is saved and checked, click Identify."
    )
    qtbot.waitUntil(
        lambda: panel._recorder is not None and panel._recorder.elapsed_seconds >= 6.0,
        timeout=10000,
    )
    with qtbot.waitSignal(panel.check_finished, timeout=15000):
        panel.record_button.click()  # Stop
    qtbot.waitUntil(dialog.identify_button.isEnabled, timeout=5000)
    assert dialog.sentence_label.text() == "Ready: click Identify to find out who is speaking."


def test_every_column_header_shows_whole(qtbot: QtBot, services: AppServices) -> None:
    """At the width the dialog opens at (a 1280-wide screen has the room), no column's
    header is cut ("Description" showed as "escriptio") and each result shows whole."""
    workspace = services.new_workspace()
    try:
        dialog = open_dialog(qtbot, services, workspace, None)
        dialog._has_results = True
        dialog.model.set_scores(
            [
                FeatureScore("1", "Li Na", "Front desk", 96.0),
                FeatureScore("2", "Wang Wei", "Mornings", 61.0),
                FeatureScore("3", "Zhao Lei", "", 12.0),
            ]
        )
        dialog._update_sentence()
        # (the offscreen screen is 800 wide: the width the dialog asks for, as on a laptop)
        dialog.resize(max(dialog.width(), dialog.sizeHint().width()), dialog.height())
        header = dialog.view.horizontalHeader()
        qtbot.waitUntil(lambda: header.sectionSize(COL_DESC) >= header.sectionSizeHint(COL_DESC))
        for column in range(dialog.model.columnCount()):
            assert header.sectionSize(column) >= header.sectionSizeHint(column), column
        ends = [header.sectionPosition(c) + header.sectionSize(c) for c in range(4)]
        assert max(ends) <= dialog.view.viewport().width()  # nothing beyond the right edge
        results = [dialog.model.index(r, COL_RESULT).data() for r in range(3)]
        assert results == ["Most likely", "Above the threshold, but behind the best", "No match"]
        metrics = dialog.view.fontMetrics()
        for text in results:
            assert header.sectionSize(COL_RESULT) >= metrics.horizontalAdvance(text) + 12
        assert dialog.sizeHint().width() <= 1280 - 40  # ... and it fits a laptop's screen
    finally:
        workspace.close()


def test_pcm_clip_asks_for_its_layout(qtbot: QtBot, services: AppServices) -> None:
    workspace = services.new_workspace()
    try:
        dialog = open_dialog(qtbot, services, workspace, None)
        source = dialog.clip_source
        source.set_path("/tmp/clip.wav")
        assert source.pcm_box.isHidden()
        clip = source.clip()
        assert clip is not None and clip.sample_rate is None
        source.set_path("/tmp/clip.PCM")
        assert not source.pcm_box.isHidden()
        source.channels_spin.setValue(2)
        clip = source.clip()
        assert clip is not None and (clip.sample_rate, clip.channels) == (16000, 2)
        assert "There are no voiceprint groups yet" in dialog.group_info_label.text()
        assert not dialog.identify_button.isEnabled()
    finally:
        workspace.close()


def test_score_model(qtmodeltester: ModelTester) -> None:
    model = ScoreTableModel()
    model.set_scores(
        [
            FeatureScore("1", "低分", "", 23.14),
            FeatureScore("2", "妈妈的声音", "妈妈", 87.26),
            FeatureScore("3", "", "no name", 40.0),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(3)] == ["妈妈的声音", "3", "低分"]
    assert model.index(0, COL_SCORE).data() == "87.3"
    assert model.best_match() == FeatureScore("2", "妈妈的声音", "妈妈", 87.26)
    assert model.index(1, 0).data(PassesRole) is False  # 40.0 is not above 40
    model.set_threshold(90)
    assert model.best_match() is None


def _luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def _bar_contrast(qtbot: QtBot, threshold: float) -> float:
    """The contrast of the number on the score bar of 98.8 to the bar, at ``threshold``."""
    model = ScoreTableModel()
    model.set_scores([FeatureScore("1", "妈妈的声音", "", 98.8)])
    model.set_threshold(threshold)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(COL_SCORE, ScoreBarDelegate(view))
    view.setColumnWidth(COL_SCORE, 160)
    view.resize(700, 120)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    rect = view.visualRect(model.index(0, COL_SCORE))
    # the middle of the bar (which is full: 98.8 of 100), where the number is
    inner = rect.adjusted(rect.width() // 3, 6, -rect.width() // 3, -6)
    colors = Counter(
        image.pixelColor(x, y).rgb()
        for x in range(inner.left(), inner.right())
        for y in range(inner.top(), inner.bottom())
    )
    background = _luminance(QColor.fromRgb(colors.most_common(1)[0][0]))
    text = max(
        (_luminance(QColor.fromRgb(rgb)) for rgb in colors),
        key=lambda lum: abs(lum - background),
    )
    light, dark = sorted((background, text), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_score_numbers_below_the_threshold_are_readable(qtbot: QtBot) -> None:
    """A score below the threshold sits on a grey bar: its number reads at least as well as
    one on a match's accent bar (it was drawn light on grey: a contrast of about 1.8)."""
    on_accent = _bar_contrast(qtbot, 40.0)
    on_grey = _bar_contrast(qtbot, 99.0)
    assert on_grey >= max(on_accent, 4.5), (on_grey, on_accent)


def test_result_words_say_what_the_verdict_means() -> None:
    """Above the threshold but not the answer: behind the best. With too little speech no
    row is the best, so none is said to be behind it."""
    model = ScoreTableModel()
    scores = [
        FeatureScore("1", "Li Na", "", 90.0),
        FeatureScore("2", "Wang Wei", "", 60.0),
        FeatureScore("3", "Zhao Lei", "", 20.0),
    ]
    model.set_scores(scores)
    assert [model.index(r, COL_RESULT).data() for r in range(3)] == [
        "Most likely",
        "Above the threshold, but behind the best",
        "No match",
    ]
    model.set_scores([*scores[:1], FeatureScore("4", "Sun Li", "", 85.0), *scores[1:]])
    assert [model.index(r, COL_RESULT).data() for r in range(4)] == [
        "Too close to tell",
        "Too close to tell",
        "Above the threshold, but behind the best",  # behind both
        "No match",
    ]
    model.set_scores(scores, speech_seconds=1.5)
    assert model.verdict().kind is VerdictKind.TOO_SHORT
    assert [model.index(r, COL_RESULT).data() for r in range(3)] == [
        "Above the threshold",
        "Above the threshold",
        "No match",
    ]


def test_a_near_tie_is_not_called_a_match(qtbot: QtBot, services: AppServices) -> None:
    """The reported case: a stranger at 86.8 with another voiceprint close behind."""
    workspace = services.new_workspace()
    try:
        dialog = open_dialog(qtbot, services, workspace, None)
        dialog._has_results = True
        dialog.model.set_scores(
            [FeatureScore("1", "Li Na", "", 86.8), FeatureScore("2", "Wang Wei", "", 80.1)]
        )
        dialog._update_sentence()
        assert dialog.sentence_label.text() == (
            "Can't tell Li Na from Wang Wei — record a longer clip."
        )
        assert dialog.details_label.text() == (
            "“Li Na” scored 86.8 and “Wang Wei” 80.1: only 6.7 apart, less than the lead of "
            "10 needed to tell them apart (match threshold 40)."
        )
        model = dialog.model
        assert [model.index(r, 3).data() for r in range(2)] == ["Too close to tell"] * 2
        # two voiceprints both as close as the same take: one person enrolled twice
        dialog.model.set_scores(
            [FeatureScore("1", "Li Lei", "", 99.6), FeatureScore("2", "Li Lei (2)", "", 99.5)]
        )
        dialog._update_sentence()
        assert dialog.sentence_label.text() == (
            "Li Lei and Li Lei (2) both match closely — perhaps one person enrolled twice "
            "(check the group); otherwise record a longer clip."
        )
        assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None  # nothing in bold
    finally:
        workspace.close()
