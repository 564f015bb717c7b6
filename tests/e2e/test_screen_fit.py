"""Every window and dialog fits a laptop screen, in every state, in Chinese and English.

Runs in the xcb pass: ``scripts/test.sh`` starts Xvfb at 1280x720 with openbox, whose
bottom margin stands for a task bar, so the available area is 1280x680. For each
dialog and state the test asserts that the window's frame (title bar included) lies
inside the screen's available geometry and that its buttons -- the default button
first -- are shown inside it; it saves a screenshot of the whole screen to
``$VPS_ARTIFACTS/screenshots/fit_<state>_<language>.png`` and writes the heights to
``fit_heights_<language>.txt`` there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import EN_TEXT, espeak_wav
from tests.toy_engine import SpectrumEngine
from tests.ui_fixtures import destructive_button, services_on
from voiceprint_studio.api import ConnectionFailedError, CozeClient
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OFFLINE_BASE_URL, OfflineBackend
from voiceprint_studio.ui.enroll.enroll_wizard import EnrollWizard
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.shell.main_window import MainWindow
from voiceprint_studio.ui.transfer.archive_dialogs import ExportDialog, ImportDialog
from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog
from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog
from voiceprint_studio.ui.transfer.trash_dialog import RecentlyDeletedDialog

pytestmark = pytest.mark.xcb

RATE = 16000
#: A group name of 20 characters, the longest Coze allows.
LONG_GROUP = "华东区域客户服务中心全体值班员工声纹一组"


def _folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VPS_ARTIFACTS") or tmp_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Fit:
    """Asserts windows fit the available area; saves screenshots and heights."""

    def __init__(self, qtbot: QtBot, folder: Path, language: str) -> None:
        self.qtbot = qtbot
        self.folder = folder
        self.language = language
        self.heights: list[str] = []
        self.margins: tuple[int, int, int, int] | None = None
        #: what the window manager did that the test worked around (written out)
        self.notes: list[str] = []

    def check(self, name: str, window: QWidget, *buttons: QAbstractButton) -> None:
        qtbot = self.qtbot
        qtbot.waitExposed(window)
        qtbot.wait(150)  # let the window manager frame and place it; refits are queued
        area = window.screen().availableGeometry()
        # The window manager frames it (a title bar above the client area); openbox
        # sometimes reports the frame late, then the main window's frame is assumed.
        framed_now = self._framed(window)
        if not framed_now and not _managed(window):
            # On a loaded machine openbox once in a few runs left a new dialog unmanaged
            # (no frame, at the screen's origin, for good). What is checked here is the
            # size and place the app gives it, so it is shown to the window manager again.
            self.notes.append(f"{name}: not managed by the window manager at first")
            window.hide()
            window.show()
            qtbot.waitExposed(window)
            framed_now = self._framed(window)
        try:
            assert framed_now
            frame = window.frameGeometry()
            geometry = window.geometry()
            self.margins = (
                geometry.left() - frame.left(),
                geometry.top() - frame.top(),
                frame.right() - geometry.right(),
                frame.bottom() - geometry.bottom(),
            )
        except Exception:
            assert self.margins is not None, f"{name}: the window manager did not frame it"
        left, top, right, bottom = self.margins or (0, 0, 0, 0)

        def framed() -> QRect:
            return window.geometry().adjusted(-left, -top, right, bottom)

        def inside_area() -> None:
            assert area.contains(framed()), f"{name}: its frame {framed()} is off {area}"

        # (openbox may place a new window late on a busy machine)
        qtbot.waitUntil(inside_area, timeout=10000)
        frame = framed()
        inside = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
        shown = [b for b in self._buttons(window) if b.isVisible()]
        wanted = [b for b in buttons if b is not None]
        for button in wanted:
            assert button.isVisible(), f"{name}: {button.text()!r} is hidden"
        for button in [*wanted, *shown]:
            rect = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
            assert area.contains(rect), f"{name}: {button.text()!r} at {rect} is off {area}"
            assert inside.contains(rect), f"{name}: {button.text()!r} is outside the window"
        self.heights.append(
            f"{name}: {frame.width()}x{frame.height()} (client {window.width()}x"
            f"{window.height()}) in {area.width()}x{area.height()}"
        )
        self._screenshot(name, window)

    def _framed(self, window: QWidget) -> bool:
        try:
            self.qtbot.waitUntil(
                lambda: window.frameGeometry().height() > window.height(), timeout=3000
            )
        except Exception:
            return False
        return True

    @staticmethod
    def _buttons(window: QWidget) -> list[QAbstractButton]:
        found: list[QAbstractButton] = []
        for box in window.findChildren(QDialogButtonBox):
            found.extend(box.buttons())
        found.extend(
            b for b in window.findChildren(QPushButton) if b.isDefault() and b.window() is window
        )
        return found

    def _screenshot(self, name: str, window: QWidget) -> None:
        path = self.folder / f"fit_{name}_{self.language}.png"
        screen = window.screen()
        image: QImage = screen.grabWindow(0).toImage()

        def drawn() -> bool:
            nonlocal image
            image = screen.grabWindow(0).toImage()
            colours = {
                image.pixel(x, y)
                for x in range(0, image.width(), 17)
                for y in range(0, image.height(), 17)
            }
            return len(colours) > 12

        self.qtbot.waitUntil(drawn, timeout=5000)
        assert image.save(str(path))

    def write(self) -> None:
        (self.folder / f"fit_heights_{self.language}.txt").write_text(
            "\n".join([*self.heights, *self.notes]) + "\n", encoding="utf-8"
        )


def _managed(window: QWidget) -> bool:
    """Whether the window manager manages ``window`` (it is in its client list)."""
    import subprocess

    listed = subprocess.run(
        ["wmctrl", "-l"], capture_output=True, text=True, timeout=10, check=False
    ).stdout
    wid = int(window.winId())
    return any(line and int(line.split()[0], 16) == wid for line in listed.splitlines())


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppServices, dict[str, Path]]]:
    """An offline workspace (toy speaker engine) with one group of two voiceprints."""
    offline = OfflineBackend(tmp_path / "offline", engine=SpectrumEngine())
    services = services_on(tmp_path, offline)
    speech = espeak_wav(tmp_path, "en", EN_TEXT)
    samples, rate = soundfile.read(str(speech), dtype="float32")
    files = {"speech": speech}
    silence = tmp_path / "silence.wav"
    soundfile.write(str(silence), np.zeros(3 * RATE, np.float32), RATE, subtype="PCM_16")
    files["silence"] = silence
    stereo = tmp_path / "interview-44k.wav"
    import soxr

    wide = soxr.resample(samples, rate, 44100)
    soundfile.write(str(stereo), np.stack([wide, wide], axis=1), 44100, subtype="PCM_16")
    files["stereo"] = stereo
    with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as c:
        family = c.create_group("家人 Family", "家庭成员的声纹")
        from voiceprint_studio.api import AudioUpload

        for name in ("妈妈 Mum", "爸爸 Dad"):
            c.create_voiceprint(family, name, AudioUpload.from_path(speech))
    yield services, files
    offline.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_dialog_fits_1280x680(
    qtbot: QtBot,
    tmp_path: Path,
    world: tuple[AppServices, dict[str, Path]],
    language: str,
) -> None:
    services, files = world
    translations = Translations()
    assert translations.install(language)
    fit = Fit(qtbot, _folder(tmp_path), language)
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        fit.check("main_window", window)
        groups = window.groups_panel
        qtbot.waitUntil(lambda: not groups.loading and groups.table.model().rowCount() == 1)
        groups.table.selectRow(0)
        voiceprints = window.voiceprints_panel
        qtbot.waitUntil(lambda: not voiceprints.loading and voiceprints.count == 2)

        # -- add voiceprint: before a take, earlier takes shown, a good take (folded),
        # a blocked take (the check's list open), a file to convert, an error.
        recordings = Path(os.environ["XDG_DATA_HOME"]) / "Voiceprint Studio" / "recordings"
        recordings.mkdir(parents=True, exist_ok=True)
        good = recordings / "take-20260101-100000-000000.wav"
        silent = recordings / "take-20260101-100500-000000.wav"
        shutil.copy(files["speech"], good)
        shutil.copy(files["silence"], silent)
        voiceprints.new_action.trigger()
        add = voiceprints.last_dialog
        assert isinstance(add, VoiceprintDialog) and add.fields is not None
        assert add.record_radio.isChecked()
        add.fields.name_edit.setText("王芳 Wang Fang")
        fit.check("add_before_take", add, add.ok_button, add.recorder_panel.record_button)
        panel = add.recorder_panel
        panel.takes_button.click()
        qtbot.waitUntil(lambda: len(panel.takes()) == 2, timeout=5000)
        fit.check("add_earlier_takes", add, add.ok_button)
        panel.takes_list.setFocus()  # (an earlier take is chosen in its list)
        with qtbot.waitSignal(panel.check_finished, timeout=15000):
            panel.use_take(silent)
        assert panel.report_list.isVisible()  # what blocks is listed at once
        # ... and in sight: the body scrolls to the verdict and the first problem
        body = add.body_area
        first = panel.report_list.visualItemRect(panel.report_list.item(0))
        qtbot.waitUntil(
            lambda: (
                body.in_view(panel.summary_label)
                and panel.report_list.mapTo(body.body, first.bottomLeft()).y()
                - body.verticalScrollBar().value()
                <= body.viewport().height()
            ),
            timeout=5000,
        )
        fit.check("add_blocked_take", add, add.ok_button, panel.record_button)
        with qtbot.waitSignal(panel.check_finished, timeout=15000):
            panel.use_take(good)
        qtbot.waitUntil(add.ok_button.isEnabled, timeout=5000)
        assert panel.collapsed and not panel.script_label.isVisible()
        fit.check("add_after_take", add, add.ok_button)
        panel.details_button.click()
        fit.check("add_after_take_details", add, add.ok_button)
        add.set_source(False)
        add.on_file_dialog_file_selected(str(files["stereo"]))
        qtbot.waitUntil(lambda: panel.report() is not None, timeout=15000)
        panel.details_button.setChecked(True)
        fit.check("add_file_report", add, add.ok_button)
        add.show_failure(
            "The connection to the server failed (timed out after 30 s). Check the network "
            "connection and the server address, then press Retry. " * 2
        )
        fit.check("add_error", add, add.ok_button)
        add.reject()  # Escape or Close with a name typed: asked first
        ask = add.discard_box
        assert ask is not None
        fit.check("add_close_ask", ask, ask.defaultButton())
        destructive_button(ask).click()
        qtbot.waitUntil(lambda: not add.isVisible(), timeout=5000)

        # -- the enrollment wizard, every step that shows something
        wizard = window.open_enroll_wizard()
        assert isinstance(wizard, EnrollWizard)
        wizard.fields.name_edit.setText("李娜 Li Na")
        fit.check("wizard_name", wizard, wizard.next_button)
        wizard.next_button.click()
        wizard.recorder_panel.takes_button.setChecked(True)
        fit.check("wizard_audio", wizard, wizard.next_button)
        with qtbot.waitSignal(wizard.recorder_panel.check_finished, timeout=15000):
            wizard.recorder_panel.use_take(good)
        qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
        wizard.next_button.click()
        wizard.recorder_panel.details_button.setChecked(True)
        fit.check("wizard_check", wizard, wizard.next_button)
        wizard.reject()  # Escape or Close with a name typed and a take chosen: asked first
        ask = wizard.discard_box
        assert ask is not None
        fit.check("wizard_close_ask", ask, ask.defaultButton())
        destructive_button(ask).click()
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)

        # -- identify: before, with the recorder, with results
        identify = window.open_identify_dialog()
        assert identify is not None
        qtbot.waitUntil(lambda: identify.groups_loaded)
        fit.check("identify_before", identify, identify.identify_button)
        identify.clip_source.record_button.click()
        fit.check("identify_recorder", identify, identify.identify_button)
        identify.clip_source.record_button.click()
        identify.clip_source.set_path(str(files["speech"]))
        identify.clip_source.check()
        qtbot.waitUntil(identify.identify_button.isEnabled, timeout=15000)
        identify.identify_button.click()
        qtbot.waitUntil(lambda: not identify.busy, timeout=15000)
        assert identify.model.rowCount() == 2
        fit.check("identify_results", identify, identify.identify_button)
        identify.close()

        # -- the other dialogs
        groups.new_action.trigger()
        group_dialog = groups.last_dialog
        assert group_dialog is not None
        fit.check("group_dialog", group_dialog, group_dialog.ok_button)
        group_dialog.reject()
        token = window.open_token_dialog()
        fit.check("token_dialog", token)
        token.reject()
        with (
            CozeClient("t", "http://127.0.0.1:9", max_attempts=1) as dead,
            pytest.raises(ConnectionFailedError) as failure,
        ):
            dead.list_groups()
        error_dialog = window.presenter.show(failure.value, window)
        assert error_dialog is not None
        error_dialog.details_button.click()
        fit.check("error_details", error_dialog)
        error_dialog.close()
        groups.table.selectRow(0)
        groups.delete_action.trigger()
        box = groups.confirm_box
        assert isinstance(box, QMessageBox)
        fit.check("delete_group", box, box.defaultButton())
        box.reject()

        # -- transfers: copy/move, export, import with its preview, the safety net, jobs
        offline = services.offline
        with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as c:
            c.create_group(LONG_GROUP, "")
        groups.table.selectRow(0)
        transfers = window.transfer_actions
        transfers.copy_action.trigger()
        copy = transfers.dialog
        assert isinstance(copy, CopyDialog)
        qtbot.waitUntil(copy.group_combo.isEnabled, timeout=10000)
        fit.check("copy_dialog", copy, copy.start_button)
        # the only other group of this workspace is offered (not the group itself), and
        # its name (20 characters, the most) is not cut
        combo = copy.group_combo
        shown = f"{LONG_GROUP}  ·  0 / 10"  # with what it holds, of the most it may
        assert combo.currentText() == shown
        assert combo.width() >= combo.fontMetrics().horizontalAdvance(shown) + 20
        with qtbot.waitSignal(copy.finished_job, timeout=30000):
            copy.start_button.click()  # 2 created
        fit.check("copy_done", copy, copy.close_button)
        copy.close()
        archive = tmp_path / "family.zip"
        export = ExportDialog(window.workspace, groups.selected_groups(), archive, window)
        export.show()
        with qtbot.waitSignal(export.finished_job, timeout=30000):
            export.start()
        fit.check("export_done", export, export.close_button)
        export.close()
        importing = ImportDialog(services, window.workspace, archive, window)
        importing.show()
        importing.load()
        qtbot.waitUntil(importing.import_button.isEnabled, timeout=10000)
        fit.check("import_preview", importing, importing.import_button)
        importing.close()
        voiceprints.table.selectRow(0)
        voiceprints.delete_action.trigger()
        vbox = voiceprints.confirm_box
        assert isinstance(vbox, QMessageBox)
        fit.check("delete_voiceprint", vbox, vbox.defaultButton())
        vbox.button(QMessageBox.StandardButton.Cancel).click()
        transfers.trash_action.trigger()
        trash = transfers.dialog
        assert isinstance(trash, RecentlyDeletedDialog)
        fit.check("recently_deleted", trash)
        trash.close()
        transfers.jobs_action.trigger()
        jobs = transfers.dialog
        assert isinstance(jobs, TransfersDialog)
        fit.check("transfers", jobs)
        jobs.close()

        # -- adding to several groups: the group list with counts (a full one disabled),
        # then the result per group (one became full meanwhile: skipped)
        from voiceprint_studio.api import AudioUpload

        with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as c:
            for name in ("客厅音箱 Living room", "前台 Front desk", "办公室 Office"):
                c.create_group(name, "")
            almost = c.create_group("仓库 Store room", "")
            kitchen = c.create_group("厨房 Kitchen", "")
            for i in range(10):
                if i < 9:
                    c.create_voiceprint(almost, f"店员 {i}", AudioUpload.from_path(files["speech"]))
                c.create_voiceprint(kitchen, f"厨师 {i}", AudioUpload.from_path(files["speech"]))
        groups.refresh()
        qtbot.waitUntil(lambda: not groups.loading and groups.model.rowCount() >= 6)
        family_row = next(
            i for i, g in enumerate(groups.model.records()) if g.name == "家人 Family"
        )
        groups.table.selectRow(family_row)
        qtbot.waitUntil(
            lambda: (
                voiceprints.group is not None
                and voiceprints.group.name == "家人 Family"
                and not voiceprints.loading
            )
        )
        voiceprints.new_action.trigger()
        several = voiceprints.last_dialog
        assert isinstance(several, VoiceprintDialog) and several.fields is not None
        picker = several.group_picker
        assert picker is not None
        several.fields.name_edit.setText("王芳 Wang Fang")
        if several.duplicate_box is not None:
            several.duplicate_box.setChecked(False)
        with qtbot.waitSignal(several.recorder_panel.check_finished, timeout=15000):
            several.recorder_panel.use_take(good)
        picker.more_check.setChecked(True)
        for row in range(picker.list.count()):
            item = picker.list.item(row)
            name = item.text()
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and (
                "Store room" in name or "Office" in name
            ):
                item.setCheckState(Qt.CheckState.Checked)
        assert len(picker.targets()) == 3
        qtbot.waitUntil(several.ok_button.isEnabled, timeout=5000)
        fit.check("add_multi_groups", several, several.ok_button)
        with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as c:
            c.create_voiceprint(almost, "店员 9", AudioUpload.from_path(files["speech"]))
        with qtbot.waitSignal(several.multi_enrolled, timeout=30000):
            several.ok_button.click()
        assert any("skipped" in line or "跳过" in line for line in several.results_list.lines())
        fit.check("add_multi_result", several, several.close_button)
        several.close_button.click()
        wizard = window.open_enroll_wizard()
        assert isinstance(wizard, EnrollWizard)
        wizard.fields.name_edit.setText("李娜 Li Na")
        wizard.group_picker.more_check.setChecked(True)
        fit.check("wizard_multi_groups", wizard, wizard.next_button)
        wizard.reject()  # a name typed: asked first
        ask = wizard.discard_box
        assert ask is not None
        destructive_button(ask).click()
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)
        fit.write()
    finally:
        translations.uninstall()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_identify_shows_every_column_header_whole(
    qtbot: QtBot,
    tmp_path: Path,
    world: tuple[AppServices, dict[str, Path]],
    language: str,
) -> None:
    """The walk-through's: the identify dialog opened, a clip chosen and identified; at
    the size it opens at, every results column's header shows whole (English cut
    "Description" to "escriptio") and the dialog still fits the screen."""
    services, files = world
    translations = Translations()
    assert translations.install(language)
    fit = Fit(qtbot, _folder(tmp_path), language)
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        groups = window.groups_panel
        qtbot.waitUntil(lambda: not groups.loading and groups.table.model().rowCount() == 1)
        groups.table.selectRow(0)
        identify = window.open_identify_dialog()
        assert identify is not None
        qtbot.waitUntil(lambda: identify.groups_loaded)
        identify.clip_source.set_path(str(files["speech"]))
        identify.clip_source.check()
        qtbot.waitUntil(identify.identify_button.isEnabled, timeout=15000)
        identify.identify_button.click()
        qtbot.waitUntil(lambda: not identify.busy, timeout=15000)
        assert identify.model.rowCount() == 2
        fit.check("identify_headers", identify, identify.identify_button)
        header = identify.view.horizontalHeader()
        for column in range(identify.model.columnCount()):
            assert header.sectionSize(column) >= header.sectionSizeHint(column), column
        identify.close()
        window.close()
    finally:
        translations.uninstall()
