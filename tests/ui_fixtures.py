"""Fixtures for Qt tests: real services on temporary folders; no pool task may outlive its test."""

from __future__ import annotations

import gc
import linecache
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from voiceprint_studio.local.store import Store
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.settings.secrets import SecretStore
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OfflineBackend, TransportFactory
from voiceprint_studio.ui.enroll.pending import PendingJournal

if TYPE_CHECKING:
    from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
    from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring (priority -1: never picked by keyring on its own)."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


def services_on(
    tmp_path: Path,
    offline: OfflineBackend,
    *,
    keyring: KeyringBackend | None = None,
    transport_factory: TransportFactory | None = None,
    budget: CallBudget | None = None,
) -> AppServices:
    """App services on ``offline``: a settings file in ``tmp_path``, an in-memory keyring
    and a call budget in ``tmp_path``."""
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppServices(
        preferences=Preferences(settings),
        secrets=SecretStore(keyring or MemoryKeyring()),
        offline=offline,
        transport_factory=transport_factory,
        budget=budget or CallBudget(tmp_path / "call-budget.json"),
    )


def hang_service(services: AppServices, service: str) -> tuple[threading.Event, threading.Event]:
    """From now on a call to ``service`` ("coze" or "minimax") of a new workspace sets
    ``entered`` and waits (up to 10 s) for ``release`` before the offline backend answers:
    a server that takes the request and does not answer. Returns (entered, release)."""

    entered, release = threading.Event(), threading.Event()
    backend = services.offline.transport()

    def hanging(request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(10)
        return backend.handle_request(request)

    services.transport_factory = lambda profile: (
        httpx.MockTransport(hanging) if profile.service == service else None
    )
    return entered, release


_CHUNK = 64 * 1024


class GatedUploads(httpx.BaseTransport):
    """Passes requests to the offline backend; an upload can be held mid-body or broken off.

    ``hold``: after the first 64 KiB of the body, wait until ``release`` is set.
    ``break_next``: the next upload's connection breaks after the body was sent (a number:
    that many uploads in a row).
    ``refuse_next``: the next upload is refused with an error answer (nothing is done).
    ``lose_answer_next``: the next upload is carried out, then its connection breaks before
    the answer. ``unreachable_next``: the next uploads (a number; after that one) find no
    connection.
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.hold = False
        self.break_next: int = 0
        self.refuse_next = False
        self.lose_answer_next = False
        self.unreachable_next: int = 0
        self.held = threading.Event()
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not request.headers.get("content-type", "").startswith("multipart/"):
            return self.inner.handle_request(request)
        if self.unreachable_next and not self.lose_answer_next:
            self.unreachable_next -= 1
            raise httpx.ConnectError("network is unreachable", request=request)
        body = b""
        assert isinstance(request.stream, httpx.SyncByteStream)
        for chunk in request.stream:  # reading it runs the upload's progress and cancel checks
            body += chunk
            if self.hold and len(body) > _CHUNK and not self.held.is_set():
                self.held.set()
                self.release.wait(5)
        if self.break_next:
            self.break_next -= 1
            raise httpx.ReadError("connection reset by peer", request=request)
        if self.refuse_next:
            self.refuse_next = False
            return httpx.Response(
                400, json={"code": 4000, "msg": "the request was refused (a test's fault)"}
            )
        copy = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        if self.lose_answer_next:
            self.lose_answer_next = False
            self.inner.handle_request(copy).close()
            raise httpx.ReadError("connection reset by peer", request=request)
        return self.inner.handle_request(copy)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def store(services: AppServices) -> Store:
    """The offline workspace's store (to set up data directly)."""
    return services.offline.app().store


@pytest.fixture
def services(tmp_path: Path, keyring_backend: MemoryKeyring) -> Iterator[AppServices]:
    """App services: a temporary settings file, an in-memory keyring, a fresh offline workspace."""
    offline = OfflineBackend(tmp_path / "offline")
    yield services_on(tmp_path, offline, keyring=keyring_backend)
    offline.close()


@pytest.fixture(autouse=True, scope="session")
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    """As the app does (ui.gc_guard): no automatic collection on pool threads.

    A collection that runs on a worker can free Qt objects owned by the GUI
    thread and crash; tests collect after each test, on the main thread.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def _the_apps_own(frame: FrameType | None) -> str | None:
    """Where the app's UI code on this stack sent from ("module:line"), or None when no UI
    code is on it, or the test itself called a UI function that is meant for a worker
    (a test seeds a workspace or checks one with them; a slot, a lambda connected to a
    signal or an event handler it sets off is the app's, and counts)."""
    outermost: FrameType | None = None
    innermost = ""
    while frame is not None:
        if frame.f_globals.get("__name__", "").startswith("voiceprint_studio.ui."):
            outermost = frame
            innermost = innermost or f"{frame.f_globals['__name__']}:{frame.f_lineno}"
        frame = frame.f_back
    if outermost is None:
        return None
    name = outermost.f_code.co_name
    caller = outermost.f_back
    called_by_the_test = (
        caller is not None
        and caller.f_globals.get("__name__", "").startswith("tests.")
        and _calls(caller, name)
    )
    slot_like = name.startswith("on_") or name == "<lambda>" or name.endswith("vent")
    return None if called_by_the_test and not slot_like else innermost


def _calls(frame: FrameType, name: str) -> bool:
    """Whether the call ``frame`` is making names ``name`` (``store.restore(...)``,
    ``ui["fetch"]()``): the test called it itself. A slot Qt called while the test
    clicked a button, set a value or pressed a key (``button.click()``) has a frame whose
    caller is the test's too."""
    positions = list(frame.f_code.co_positions())
    index = frame.f_lasti // 2
    if index >= len(positions):
        return True  # (not known: as before)
    line, end_line, column, end_column = positions[index]
    if line is None or end_line is None or column is None or end_column is None:
        return True
    # (the columns count UTF-8 bytes)
    lines = [t.encode() for t in linecache.getlines(frame.f_code.co_filename)[line - 1 : end_line]]
    if not lines:
        return True
    lines[-1] = lines[-1][:end_column]
    lines[0] = lines[0][column:]
    text = b"".join(lines).decode(errors="replace")
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


@pytest.fixture(autouse=True)
def _no_http_from_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test in which the app's UI code sent a request on the GUI thread (the main
    thread): every call goes on a worker."""
    sent: list[str] = []
    send = httpx.Client.send

    def guarded(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if threading.current_thread() is threading.main_thread():
            where = _the_apps_own(sys._getframe(1))
            if where is not None:
                sent.append(f"{request.method} {request.url.path} from {where}")
        return send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", guarded)
    yield
    assert not sent, f"HTTP sent from the GUI thread: {sent}"


@pytest.fixture(autouse=True)
def _collect_after_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _no_running_pool_tasks() -> Iterator[None]:
    """Fail a test that leaves a task running on the global thread pool."""
    yield
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(5000):
        pytest.fail(f"test left {pool.activeThreadCount()} pool task(s) running")


def first_end_held(monkeypatch: pytest.MonkeyPatch, key: str) -> threading.Event:
    """Hold up the pool thread of the first :class:`Worker` with ``key`` between reporting
    its result (``succeeded`` or ``failed``) and reporting its end (``finished``, what
    clears :attr:`TaskRunner.busy`) until the event returned is set, as on a loaded machine
    where the thread is descheduled between the two. Set it before the test ends."""
    from voiceprint_studio.ui.common.worker import Worker

    release = threading.Event()
    held: list[Worker] = []
    run = Worker.run

    class EndHeld:
        def __init__(self, signals: Any) -> None:
            self.succeeded, self.failed = signals.succeeded, signals.failed
            self.progress, self._finished = signals.progress, signals.finished
            self.finished = self

        def emit(self) -> None:
            release.wait(timeout=30)  # (bounded: a test that failed before setting it)
            self._finished.emit()

    def held_run(worker: Worker) -> None:
        if worker.key != key or held:
            run(worker)
            return
        held.append(worker)
        signals = worker.signals
        worker.signals = EndHeld(signals)
        try:
            run(worker)
        finally:
            worker.signals = signals

    monkeypatch.setattr(Worker, "run", held_run)
    return release


def fill_add_dialog(voiceprints: VoiceprintsPanel, take: Path, name: str) -> VoiceprintDialog:
    """Open ``voiceprints``' add dialog with ``name`` and the take ``take`` in it (espeak
    speech written there, which passes the enrollment check; its check then runs)."""
    from tests.audio_fixtures import speech_file
    from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog

    speech_file(take)
    voiceprints.new_action.trigger()
    dialog = voiceprints.last_dialog
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    dialog.fields.name_edit.setText(name)
    dialog.set_path(take)
    return dialog


def age_pending(journal: PendingJournal, seconds: float | None = None) -> None:
    """Move every pending create's start back by ``seconds`` (default: past the time the
    service may still be carrying one out), as if the operator had waited that long."""
    from dataclasses import replace

    from voiceprint_studio.transfer.jobs import SETTLE_SECONDS

    back = SETTLE_SECONDS + 1 if seconds is None else seconds
    for entry in journal.entries():
        journal.remove([entry.id])
        ended = entry.ended - back if entry.ended else 0.0
        journal.add(replace(entry, started=entry.started - back, ended=ended))


def destructive_button(box: QMessageBox) -> QAbstractButton:
    """The button of ``box`` that acts (the one with the destructive role)."""
    return next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
