"""The worker primitive delivers results on the GUI thread, drops stale ones, never crashes."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner, Worker


def test_success_is_delivered_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[object, bool]] = []
    gui_thread = QThread.currentThread()

    def on_success(value: object) -> None:
        seen.append((value, QThread.currentThread() is gui_thread))

    worker_threads: list[bool] = []

    def task(ctx: TaskContext) -> int:
        worker_threads.append(QThread.currentThread() is gui_thread)
        return 42

    runner.submit("k", task, on_success)
    qtbot.waitUntil(lambda: not runner.busy)
    assert seen == [(42, True)]
    assert worker_threads == [False]


def test_exception_becomes_failed_signal(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[object] = []

    def task(ctx: TaskContext) -> None:
        raise ValueError("bad file")

    worker = runner.submit("k", task, on_failure=errors.append)
    qtbot.waitUntil(lambda: not runner.busy)
    assert len(errors) == 1
    assert isinstance(errors[0], ValueError)
    assert str(errors[0]) == "bad file"
    assert worker.context.cancelled is False


def test_progress_is_reported_in_order(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[int, int]] = []

    def task(ctx: TaskContext) -> str:
        for done in range(0, 5_000_000_001, 1_000_000_000):  # beyond 32-bit ints
            ctx.progress(done, 5_000_000_000)
        return "ok"

    runner.submit("k", task, on_progress=lambda d, t: seen.append((d, t)))
    qtbot.waitUntil(lambda: not runner.busy)
    assert [d for d, _ in seen] == [0, 10**9, 2 * 10**9, 3 * 10**9, 4 * 10**9, 5 * 10**9]


def test_superseded_result_is_dropped(qtbot: QtBot) -> None:
    runner = TaskRunner()
    release_first = threading.Event()
    delivered: list[str] = []

    def slow(ctx: TaskContext) -> str:
        release_first.wait(5)
        return "page 1"

    def fast(ctx: TaskContext) -> str:
        return "page 2"

    dropped: list[object] = []
    first = runner.submit("page", slow, delivered.append, on_dropped=dropped.append)
    runner.submit("page", fast, delivered.append, on_dropped=dropped.append)
    qtbot.waitUntil(lambda: delivered == ["page 2"])
    with qtbot.waitSignal(first.signals.finished):
        release_first.set()
    assert delivered == ["page 2"]
    assert dropped == ["page 1"]  # (what came too late is handed to on_dropped, once)


def test_shutdown_cancels_and_delivers_nothing(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started = threading.Event()
    delivered: list[object] = []

    def loop(ctx: TaskContext) -> str:
        started.set()
        while not ctx.cancelled:
            ctx.cancel_event.wait(0.01)
        ctx.check_cancelled()
        return "never"

    worker = runner.submit("k", loop, delivered.append, on_failure=delivered.append)
    assert started.wait(5)
    with qtbot.waitSignal(worker.signals.finished):
        assert runner.shutdown(wait_ms=5000)
    assert delivered == []


def test_worker_run_never_raises() -> None:
    def boom(ctx: TaskContext) -> None:
        raise KeyboardInterrupt

    worker = Worker(boom)
    failures: list[object] = []
    worker.signals.failed.connect(failures.append)
    worker.run()
    assert isinstance(failures[0], KeyboardInterrupt)


def _fake_ui_module(code: str) -> dict[str, object]:
    """The namespace of a module of UI code of its own, as the app's is: ``code`` beside
    ``fetch()`` (what the GUI-thread guard says of its caller) and a list ``seen``."""
    import sys

    from tests.ui_fixtures import _the_apps_own

    ui: dict[str, object] = {"__name__": "voiceprint_studio.ui.fake", "sys": sys}
    ui["_the_apps_own"] = _the_apps_own
    exec(  # noqa: S102 - UI code of a module of its own, as the app's is
        "def fetch():\n    return _the_apps_own(sys._getframe())\nseen = []\n" + code, ui
    )
    return ui


def test_the_gui_thread_guard_tells_the_apps_slots_from_the_tests_own_calls(qapp: object) -> None:
    """The autouse guard (``_no_http_from_the_gui_thread``) names UI code that sends on the
    GUI thread from a slot, a connected lambda or an event handler, and lets a test call a
    worker's function itself."""
    from PySide6.QtWidgets import QPushButton

    ui = _fake_ui_module(
        "def on_fetch_button_clicked():\n"
        "    seen.append(fetch())\n"
        "def keyPressEvent():\n"
        "    return fetch()\n"
        "connect = lambda button: button.clicked.connect(lambda: seen.append(fetch()))\n"
    )
    assert ui["fetch"]() is None  # type: ignore[operator]  # a worker's function, the test's call
    assert str(ui["keyPressEvent"]()).startswith("voiceprint_studio.ui.fake:")  # type: ignore[operator]
    button = QPushButton()
    button.clicked.connect(ui["on_fetch_button_clicked"])  # type: ignore[call-overload]
    ui["connect"](button)  # type: ignore[operator]
    button.click()
    seen = ui["seen"]
    assert isinstance(seen, list) and len(seen) == 2
    assert all(str(where).startswith("voiceprint_studio.ui.fake:") for where in seen)


def test_the_gui_thread_guard_names_a_slot_a_test_sets_off_whatever_its_name(
    qapp: object,
) -> None:
    """A dialog's ``accept`` (its OK button's), or a private slot, that a test's click sets
    off runs on the GUI thread as in the app: the guard names it as it names ``on_*``
    slots (it took any UI function whose caller was a test's frame for the test's own
    call, though Qt had called it)."""
    from PySide6.QtWidgets import QPushButton

    ui = _fake_ui_module(
        "def accept():\n    seen.append(fetch())\ndef _start():\n    seen.append(fetch())\n"
    )
    for slot in ("accept", "_start"):
        button = QPushButton()
        button.clicked.connect(ui[slot])  # type: ignore[call-overload]
        button.click()
    seen = ui["seen"]
    assert isinstance(seen, list) and len(seen) == 2
    assert all(str(where).startswith("voiceprint_studio.ui.fake:") for where in seen), seen
    # a test's own call of a function meant for a worker stays the test's
    assert ui["fetch"]() is None  # type: ignore[operator]
