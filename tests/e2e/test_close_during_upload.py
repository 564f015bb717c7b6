"""Closing the main window through the window manager during an upload asks first.

The xcb pass (Xvfb 1280x720 with openbox, see ``scripts/test.sh``). The app runs as a
real child process (the console entry point, ``main()``) on a custom Coze profile
pointed at the embedded backend served on loopback, which takes the upload's body and
never answers it. A small driver inside the child (hooked on the window host) selects
the group, fills in the add-voiceprint dialog, presses Add and reports on stdout what a
user would see. The test then closes the MAIN window the way a user does:

* a real left click on openbox's × in the window's title bar (``xdotool``), and
* the window manager's close request, ``_NET_CLOSE_WINDOW`` sent to the root window
  (``wmctrl -c``; openbox passes it on as ``WM_DELETE_WINDOW``, as for its ×).

(With the dialog window-modal, Qt dropped both before any of the app's code ran.)
It asserts the question "An upload is in progress — quit anyway?" appears; a click on
"Keep uploading" keeps the window, the dialog and the upload; a click on "Quit" ends
the process within 2 s with nothing on stderr, and the take stays on disk, noted in
the pending-upload journal. A screenshot of the question is saved per language to
``$VPS_ARTIFACTS/screenshots/close_during_upload_<language>.png``.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import EN_TEXT, espeak_wav, long_speech_file
from tests.ui_fixtures import GatedUploads, hang_service
from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.settings.profiles import CUSTOM_COZE_KEY
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.main_window import MainWindow

pytestmark = [
    pytest.mark.xcb,
    pytest.mark.skipif(
        not (shutil.which("xdotool") and shutil.which("wmctrl")),
        reason="needs xdotool and wmctrl (scripts/test.sh installs them)",
    ),
    pytest.mark.skipif(
        not os.environ.get("VPS_WINDOW_MANAGER"),
        reason="needs a window manager on the display (scripts/test.sh starts openbox)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "pat_close_during_upload_token"
QUESTION = {"en": "An upload is in progress — quit anyway?", "zh_CN": "正在上传 — 仍要退出吗？"}

# The driver, inside the app's process: hooked on WindowHost.show, polled by a timer on
# the GUI thread. It does what the operator does up to Add, then only reports.
_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    from voiceprint_studio.ui.shell import window_host

    take, shot = sys.argv[1], sys.argv[2]
    state = {"step": "start", "box": None, "asked": 0, "since": 0}


    def say(*words):
        print(*words, flush=True)


    def centre(widget):
        point = widget.mapToGlobal(widget.rect().center())
        return f"{point.x()} {point.y()}"


    def drive(window):
        groups, voiceprints = window.groups_panel, window.voiceprints_panel
        step = state["step"]
        if step == "start" and groups.model.rowCount() == 1 and not groups.busy:
            groups.table.selectRow(0)
            state["step"] = "selected"
        elif step == "selected" and voiceprints.group is not None and not voiceprints.busy:
            voiceprints.new_action.trigger()
            dialog = voiceprints.last_dialog
            dialog.fields.name_edit.setText("Li Na")
            dialog.set_path(take)
            if dialog.duplicate_box is not None:
                dialog.duplicate_box.setChecked(False)
            state["dialog"], state["step"] = dialog, "filled"
        elif step == "filled" and state["dialog"].ok_button.isEnabled():
            state["dialog"].ok_button.click()
            state["step"] = "adding"
        elif step == "adding" and state["dialog"].uploading:
            frame, inner = window.frameGeometry(), window.geometry()
            state["step"] = "uploading"
            # the window's X id, its frame and client area (the test finds the × there)
            say("UPLOADING", hex(int(window.winId())), frame.x(), frame.y(), frame.width(),
                frame.height(), inner.x(), inner.y(), inner.width(), inner.height())
        elif step == "uploading":
            watch(window)


    def watch(window):
        box = window.quit_box
        dialog = state["dialog"]
        if box is not None and box.isVisible():
            state["since"] += 1
            if state["box"] is not box and state["since"] >= 8:  # placed by openbox
                state["box"], state["asked"] = box, state["asked"] + 1
                if state["asked"] == 1:
                    screen = QGuiApplication.primaryScreen()
                    screen.grabWindow(0).save(shot)
                quit_button = next(b for b in box.buttons()
                                   if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
                stay_button = next(b for b in box.buttons()
                                   if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
                say("ASKED", centre(quit_button), centre(stay_button), box.text())
        else:
            state["since"] = 0
            if state["box"] is not None and window.isVisible():
                state["box"] = None
                say("STAYED", window.isVisible(), dialog.isVisible(), dialog.uploading,
                    window.hold.held)


    original = window_host.WindowHost.show


    def show(self):
        window = original(self)
        timer = QTimer(window)
        timer.timeout.connect(lambda: drive(window))
        timer.start(50)
        return window


    window_host.WindowHost.show = show
    from voiceprint_studio.main import main

    sys.exit(main([]))
    """
)


class HeldUploads:
    """The backend, except that an upload's body is read and then never answered."""

    def __init__(self, app: BackendApp) -> None:
        self.app = app
        self.token = app.token
        self.held = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/features"):
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            self.held.set()
            self.release.wait(60)  # (until the test ends)
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"held"]
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


@pytest.fixture
def held_server(tmp_path: Path) -> Iterator[tuple[str, HeldUploads]]:
    app = create_app(tmp_path / "backend", TOKEN)
    app.store.create_group("Front desk")
    held = HeldUploads(app)
    try:
        with LoopbackServer(held) as server:  # type: ignore[arg-type]
            try:
                yield server.url, held
            finally:
                held.release.set()
    finally:
        app.close()


class Child:
    """The app's process; its stdout lines on a queue."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            args,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr = ""
        self._out = threading.Thread(target=self._read_out, daemon=True)
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._out.start()
        self._err.start()

    def _read_out(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def _read_err(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def expect(self, word: str, timeout: float = 20.0) -> list[str]:
        """The next line, which must start with ``word``; its fields."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no {word} from the app in {timeout} s") from None
        fields = line.split(" ")
        assert fields[0] == word, line
        return fields[1:]

    def silent_for(self, seconds: float) -> bool:
        try:
            line = self.lines.get(timeout=seconds)
        except queue.Empty:
            return True
        raise AssertionError(f"unexpected: {line}")

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._out.join(5)
        self._err.join(5)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def _settings(url: str, language: str) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"])
    settings = QSettings(
        str(config / "Voiceprint Studio" / "Voiceprint Studio.conf"), QSettings.Format.IniFormat
    )
    preferences = Preferences(settings)
    preferences.set(prefs.COZE_PROFILE, CUSTOM_COZE_KEY)
    preferences.set(prefs.COZE_CUSTOM_URL, url)
    preferences.set(prefs.OFFLINE_BANNER_DISMISSED, True)
    preferences.set(prefs.ENROLL_SOURCE, "file")
    preferences.set(prefs.LANGUAGE, language)
    settings.sync()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "xcb",
            "PYTHON_KEYRING_BACKEND": "tests.env_keyring.EnvKeyring",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            "VPS_TEST_TOKEN": TOKEN,
        }
    )
    return env


def _run(*args: str) -> None:
    subprocess.run(args, check=True, timeout=10, env=_env())


def _managed(window_id: str) -> bool:
    """Whether openbox manages the window (it is in the window manager's client list)."""
    out = subprocess.run(
        ["wmctrl", "-l"], capture_output=True, text=True, timeout=10, env=_env(), check=True
    ).stdout
    return any(int(line.split()[0], 16) == int(window_id, 16) for line in out.splitlines())


def _screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VPS_ARTIFACTS") or tmp_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_closing_the_window_during_an_upload_asks_and_quits_at_once(
    tmp_path: Path, held_server: tuple[str, HeldUploads], language: str
) -> None:
    url, held = held_server
    _settings(url, language)
    take = tmp_path / "li-na.wav"
    long_speech_file(take, 6.0)  # (passes the enrollment check: nothing unchecked is sent)
    shot = _screenshots(tmp_path) / f"close_during_upload_{language}.png"
    child = Child([sys.executable, "-c", _CHILD, str(take), str(shot)], _env())
    try:
        window_id, *geometry = child.expect("UPLOADING", timeout=60)
        assert held.held.wait(20), "the upload did not reach the server"
        fx, fy, fw, _fh, _ix, iy, _iw, _ih = (int(v) for v in geometry)
        deadline = time.monotonic() + 10
        while not _managed(window_id) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _managed(window_id), "openbox does not manage the main window"

        # 1. A real click on openbox's × (the right end of the title bar).
        title = iy - fy  # the title bar's height (with the top border)
        close_x, close_y = fx + fw - max(title // 2, 8) - 2, fy + title // 2
        _run("xdotool", "mousemove", str(close_x), str(close_y), "click", "1")
        quit_at, stay_at, text = _asked(child)
        assert text == QUESTION[language]
        assert shot.exists()
        _run("xdotool", "mousemove", *stay_at, "click", "1")  # "Keep uploading"
        window_visible, dialog_visible, uploading, held_window = child.expect("STAYED")
        assert (window_visible, dialog_visible, uploading, held_window) == (
            "True",
            "True",
            "True",
            "True",
        )
        assert child.process.poll() is None
        assert child.silent_for(0.5)

        # 2. The window manager's close request (as the × sends it), then Quit.
        _run("wmctrl", "-i", "-c", window_id)
        quit_at, _stay_at, text = _asked(child)
        assert text == QUESTION[language]
        started = time.monotonic()
        _run("xdotool", "mousemove", *quit_at, "click", "1")
        child.process.wait(timeout=30)
        exit_seconds = time.monotonic() - started
    finally:
        child.end()
    print(f"\nquit during an upload ({language}): process gone {exit_seconds:.2f} s after Quit")
    assert child.process.returncode == 0
    assert child.stderr == "", child.stderr
    assert exit_seconds <= 2.0
    assert take.exists()  # the take stays on disk ...
    [journal] = Path(os.environ["XDG_DATA_HOME"]).rglob("pending-uploads.json")
    entries = json.loads(journal.read_text(encoding="utf-8"))
    text_of_journal = json.dumps(entries, ensure_ascii=False)
    assert "Li Na" in text_of_journal and str(take) in text_of_journal  # ... and is noted
    assert TOKEN not in journal.read_text(encoding="utf-8")


def _asked(child: Child) -> tuple[list[str], list[str], str]:
    fields = child.expect("ASKED")
    return fields[0:2], fields[2:4], " ".join(fields[4:])


# -- the other dialogs that run calls, in this process ------------------------------------


@pytest.fixture
def shown(qtbot: QtBot, services: AppServices) -> Callable[[], MainWindow]:
    """Build and show a main window; wait until openbox manages it."""

    def make() -> MainWindow:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: _managed(hex(int(window.winId()))), timeout=10000)
        return window

    return make


def _wm_close(window: MainWindow) -> None:
    """The window manager's close request, as openbox's × sends it."""
    _run("wmctrl", "-i", "-c", hex(int(window.winId())))


def test_closing_during_a_wizard_upload_asks_and_can_stay(
    qtbot: QtBot, tmp_path: Path, services: AppServices, shown: Callable[[], MainWindow]
) -> None:
    services.offline.app().store.create_group("Front desk")
    gate = GatedUploads(services.offline.transport())
    services.transport_factory = lambda p: gate if p.service == "coze" else None
    window = shown()
    groups = window.groups_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 1 and not groups.busy, timeout=10000)
    groups.table.selectRow(0)
    qtbot.waitUntil(window.enroll_action.isEnabled, timeout=10000)
    wizard = window.open_enroll_wizard()
    assert wizard is not None and wizard.windowModality() == Qt.WindowModality.NonModal
    wizard.fields.name_edit.setText("Li Na")
    wizard.next_button.click()
    take = espeak_wav(tmp_path, "en", EN_TEXT)
    with qtbot.waitSignal(wizard.recorder_panel.check_finished, timeout=15000):
        wizard.recorder_panel.use_take(take)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
    wizard.next_button.click()  # to the check page
    gate.hold = True
    try:
        qtbot.waitUntil(wizard.next_button.isEnabled, timeout=5000)
        wizard.next_button.click()  # Upload
        qtbot.waitUntil(gate.held.is_set, timeout=10000)
        assert wizard.uploading
        _wm_close(window)
        qtbot.waitUntil(lambda: window.quit_box is not None and window.quit_box.isVisible())
        box = window.quit_box
        assert box is not None and box.text() == "An upload is in progress — quit anyway?"
        stay = next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole
        )
        qtbot.waitExposed(box)  # a click sent before the window is mapped can be dropped
        QTest.mouseClick(stay, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.quit_box is None)
        assert window.isVisible() and wizard.isVisible() and wizard.uploading
    finally:
        gate.release.set()
    with qtbot.waitSignal(wizard.enrolled, timeout=10000):
        pass
    window.close()
    assert QThreadPool.globalInstance().waitForDone(15000)


def test_closing_while_identify_waits_for_the_server_closes_at_once(
    qtbot: QtBot, services: AppServices, shown: Callable[[], MainWindow]
) -> None:
    entered, release = hang_service(services, "coze")  # every Coze call hangs
    try:
        window = shown()
        dialog = window.open_identify_dialog()
        assert dialog is not None and dialog.windowModality() == Qt.WindowModality.NonModal
        qtbot.waitUntil(entered.is_set, timeout=10000)
        assert not dialog.groups_loaded  # still waiting for the server
        started = time.monotonic()
        _wm_close(window)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
        closed = time.monotonic() - started
        assert not dialog.isVisible()
    finally:
        release.set()
        # the calls it let go end before the offline workspace is closed
        assert QThreadPool.globalInstance().waitForDone(15000)
    print(f"\nclose while identify waits: window gone in {closed * 1000:.0f} ms")
    assert closed < 1.5
