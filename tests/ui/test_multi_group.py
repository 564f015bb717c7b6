"""Enroll once into several groups, from the add dialog and from the wizard.

Real parts: the loopback backend over 127.0.0.1 standing in for Coze (its store is
read to check what the server holds), the app's main window and its groups view, the
journal of unanswered creates on disk, the call budget's own count. Faults are
injected in one transport in front of the real HTTP one: a create refused for one
group, and a create whose answer is lost after the server carried it out.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import numpy.typing as npt
import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import espeak_wav, read_mono, speech_file, synthetic_factory
from tests.backend_fixtures import Loopback, wav_bytes
from tests.ui_fixtures import MemoryKeyring, first_end_held
from voiceprint_studio.api import VoiceprintGroup
from voiceprint_studio.audio import InputDevice
from voiceprint_studio.local.store import NewAudio, Store
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.profiles import ConnectionProfile, custom_profile, keyring_account
from voiceprint_studio.settings.secrets import SERVICE
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.enroll import multi_group
from voiceprint_studio.ui.enroll.enroll_wizard import DONE_PAGE, UPLOAD_PAGE, EnrollWizard
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.recorder.panel import RecorderPanel
from voiceprint_studio.ui.shell.main_window import MainWindow

NAME = "Wang Fang"


class Faults(httpx.BaseTransport):
    """The real loopback server over HTTP, with faults for the creates of chosen groups.

    ``refuse``: groups whose creates get a Coze refusal (nothing saved).
    ``lose_answer``: groups whose next create is carried out but its answer is lost.
    ``creates``: every create that reached the server, by group id.
    """

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.refuse: set[str] = set()
        self.lose_answer: set[str] = set()
        self.creates: dict[str, int] = {}
        self.log: list[tuple[str, str]] = []  # (method, path) of every request, in order
        self.refuse_group_lists = 0  # how many group listings to refuse next

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.log.append((request.method, request.url.path))
        if request.url.path.endswith("/voiceprint_groups") and self.refuse_group_lists > 0:
            self.refuse_group_lists -= 1
            body = b'{"code": 4000, "msg": "injected refusal", "detail": {"logid": "t2"}}'
            return httpx.Response(200, content=body, request=request)
        parts = request.url.path.strip("/").split("/")
        if request.method == "POST" and parts[-1] == "features":
            gid = parts[-2]
            if gid in self.refuse:
                request.read()
                body = b'{"code": 4000, "msg": "injected refusal", "detail": {"logid": "t1"}}'
                return httpx.Response(200, content=body, request=request)
            self.creates[gid] = self.creates.get(gid, 0) + 1
            response = self.inner.handle_request(request)
            if gid in self.lose_answer:
                self.lose_answer.discard(gid)
                response.read()
                raise httpx.ReadError("connection reset by peer", request=request)
            return response
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Env:
    qtbot: QtBot
    services: AppServices
    loopback: Loopback
    faults: Faults
    tmp_path: Path
    windows: list[MainWindow] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.loopback.app.store

    @property
    def profile(self) -> ConnectionProfile:
        return custom_profile("coze", self.loopback.url)

    @property
    def budget(self) -> CallBudget:
        assert self.services.budget is not None
        return self.services.budget

    def calls(self) -> int:
        return self.budget.state(self.profile).calls

    def group(self, name: str, voiceprints: int = 0) -> str:
        gid = self.store.create_group(name).id
        for i in range(voiceprints):
            self.store.create_feature(gid, f"{name} {i}", "", NewAudio(wav_bytes(0.1), "wav"))
        return gid

    def names(self, gid: str) -> list[str]:
        return [f.name for f in self.store.list_features(gid, page_size=50)[0]]

    def window(self) -> MainWindow:
        window = MainWindow(self.services)
        self.qtbot.addWidget(window)
        self.windows.append(window)
        window.show()
        self.qtbot.waitExposed(window)
        self.qtbot.waitUntil(lambda: idle(window), timeout=10000)
        return window

    def take(self) -> Path:
        """A take that passes the enrollment check."""
        return speech_file(self.tmp_path / "takes" / "wang-fang.wav")


def idle(window: MainWindow) -> bool:
    return (
        window.workspace is not None
        and not window.runner.busy
        and not any(panel.busy for panel in window.panels)
    )


@pytest.fixture
def env(
    qtbot: QtBot,
    services: AppServices,
    loopback: Loopback,
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> Iterator[Env]:
    """The app on the loopback server as its Coze connection, through the fault transport."""
    services.preferences.set(prefs.COZE_CUSTOM_URL, loopback.url)
    services.preferences.set(prefs.COZE_PROFILE, "custom_coze")
    remote = custom_profile("coze", loopback.url)
    keyring_backend.entries[(SERVICE, keyring_account(remote))] = loopback.token
    services.budget = CallBudget(tmp_path / "budget" / "call-budget.json")
    faults = Faults()
    services.transport_factory = lambda profile: None if profile.offline else faults
    environment = Env(qtbot, services, loopback, faults, tmp_path)
    yield environment
    for window in environment.windows:
        window.close()
    QThreadPool.globalInstance().waitForDone(5000)
    faults.close()


def select_group(qtbot: QtBot, window: MainWindow, gid: str) -> None:
    groups = window.groups_panel
    qtbot.waitUntil(lambda: not groups.loading and groups.model.rowCount() > 0)
    row = next(i for i, g in enumerate(groups.model.records()) if g.id == gid)
    groups.table.selectRow(row)
    panel = window.voiceprints_panel
    qtbot.waitUntil(
        lambda: panel.group is not None and panel.group.id == gid and not panel.loading,
        timeout=10000,
    )


def open_add(qtbot: QtBot, window: MainWindow, take: Path) -> VoiceprintDialog:
    panel = window.voiceprints_panel
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    dialog.fields.name_edit.setText(NAME)
    dialog.set_path(take)
    if dialog.duplicate_box is not None:
        dialog.duplicate_box.setChecked(False)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    return dialog


def rows(picker: multi_group.GroupPicker) -> dict[str, tuple[str, bool, bool]]:
    """name -> (text, enabled, checked) of the picker's list."""
    found = {}
    for i in range(picker.list.count()):
        item = picker.list.item(i)
        target = item.data(Qt.ItemDataRole.UserRole)
        found[target.name] = (
            item.text(),
            bool(item.flags() & Qt.ItemFlag.ItemIsEnabled),
            item.checkState() == Qt.CheckState.Checked,
        )
    return found


def tick(picker: multi_group.GroupPicker, *names: str) -> None:
    for i in range(picker.list.count()):
        item = picker.list.item(i)
        if item.data(Qt.ItemDataRole.UserRole).name in names:
            item.setCheckState(Qt.CheckState.Checked)


def counts(picker: multi_group.GroupPicker) -> dict[str, int]:
    """The voiceprint count each row of the picker shows."""
    shown = {}
    for i in range(picker.list.count()):
        item = picker.list.item(i)
        name = item.data(Qt.ItemDataRole.UserRole).name
        shown[name] = int(item.text().split("·")[1].split("/")[0])
    return shown


@pytest.fixture
def probe_ends_late(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The pool thread of the add dialog's first probe of its file is held up between
    reporting the file's format and reporting its end (``finished``, what clears
    :attr:`TaskRunner.busy`) until the event given is set: Add is enabled (the probe's
    result started the check, which passed) while the dialog's runner is still busy, as on
    a loaded machine."""
    release = first_end_held(monkeypatch, "probe")
    yield release
    release.set()


def test_three_groups_one_full_since_is_skipped_the_others_get_it(
    qtbot: QtBot, env: Env, probe_ends_late: threading.Event
) -> None:
    front = env.group("Front desk", 2)
    kitchen = env.group("Kitchen", 3)
    env.group("Lobby", 10)  # full when the dialog opens: offered, disabled
    office = env.group("Office")
    window = env.window()
    select_group(qtbot, window, front)
    take = env.take()
    dialog = open_add(qtbot, window, take)
    picker = dialog.group_picker
    assert picker is not None
    assert not picker.list.isVisible()
    assert not picker.multi()

    # The list is the groups view's (no call): this group first and ticked, counts shown.
    probe_ends_late.set()
    qtbot.waitUntil(lambda: not dialog.runner.busy)  # (the probe of the take ended)
    before = env.calls()
    picker.more_check.setChecked(True)
    assert picker.list.isVisible()
    assert env.calls() == before and not dialog.runner.busy
    assert not picker.status_label.isVisible()  # (other groups are there)
    listed = rows(picker)
    assert listed["Front desk"] == ("Front desk  ·  2 / 10 (this group)", True, True)
    assert listed["Kitchen"] == ("Kitchen  ·  3 / 10", True, False)
    assert listed["Lobby"][1:] == (False, False)
    assert listed["Lobby"][0].endswith("full")
    assert picker.list.item(0).data(Qt.ItemDataRole.UserRole).id == front
    tick(picker, "Kitchen", "Office")
    targets = [t.name for t in picker.targets()]
    assert targets[0] == "Front desk" and sorted(targets[1:]) == ["Kitchen", "Office"]
    # Said before starting: one list call for the counts, one upload per group.
    assert picker.cost_label.isVisible()
    assert "about 4 API call" in picker.cost_label.text()
    assert "1 to check" in picker.cost_label.text()
    assert dialog.ok_button.isDefault() and dialog.ok_button.isEnabled()

    # Kitchen fills up meanwhile (another operator): the fresh count skips it.
    for i in range(7):
        env.store.create_feature(kitchen, f"Other {i}", "", NewAudio(wav_bytes(0.1), "wav"))
    qtbot.waitUntil(lambda: idle(window), timeout=10000)
    mark = len(env.faults.log)
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000) as done:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter adds
    results = {r.target.name: r for r in done.args[0]}
    assert results["Front desk"].state == multi_group.ADDED
    assert results["Office"].state == multi_group.ADDED
    assert results["Kitchen"].state == multi_group.SKIPPED
    assert results["Kitchen"].reason == "The group is full (10 voiceprints)."
    # On the server: the two others have it, the full one does not.
    assert NAME in env.names(front) and NAME in env.names(office)
    assert NAME not in env.names(kitchen)
    assert env.faults.creates == {front: 1, office: 1}
    # One list call for the counts, then two creates: 3 calls (the estimate said at most
    # 4). (The views reload after it; those calls come after the last create.)
    sent = env.faults.log[mark:]
    first_create = next(i for i, (method, _) in enumerate(sent) if method == "POST")
    assert sent[:first_create] == [("GET", "/v1/audio/voiceprint_groups")]
    assert [m for m, _ in sent].count("POST") == 2
    assert env.calls() - before >= 3  # the call budget counted them (and the reloads)
    # The per-group result, in the dialog.
    lines = dialog.results_list.lines()
    assert lines[0] == "“Front desk”: added"  # the dialog's group first, then the list's order
    assert sorted(lines[1:]) == [
        "“Kitchen”: skipped — The group is full (10 voiceprints).",
        "“Office”: added",
    ]
    assert dialog.results_list.isVisible()
    assert dialog.summary_label.text().startswith("Added to 2 of 3 group")
    assert str(take) in dialog.summary_label.text()
    assert not dialog.ok_button.isVisible()  # nothing to retry
    assert take.exists()
    # The view says so and shows the new voiceprint.
    panel = window.voiceprints_panel
    qtbot.waitUntil(lambda: NAME in [v.name for v in panel.model.records()], timeout=10000)
    qtbot.waitUntil(lambda: not panel.loading and not window.groups_panel.loading, timeout=10000)
    assert "Added to 2 of 3 group" in panel.state_label.text()
    dialog.close_button.click()


def test_one_group_fails_the_others_get_it_and_retry_never_duplicates(
    qtbot: QtBot, env: Env
) -> None:
    front = env.group("Front desk")
    kitchen = env.group("Kitchen")
    office = env.group("Office")
    hall = env.group("Hall")
    window = env.window()
    select_group(qtbot, window, front)
    take = env.take()
    dialog = open_add(qtbot, window, take)
    picker = dialog.group_picker
    assert picker is not None
    picker.more_check.setChecked(True)
    tick(picker, "Kitchen", "Office", "Hall")
    env.faults.refuse.add(kitchen)  # refused: certainly not saved
    env.faults.lose_answer.add(office)  # saved, but the answer never comes
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000) as done:
        dialog.ok_button.click()
    states = {r.target.name: r.state for r in done.args[0]}
    assert states == {
        "Front desk": multi_group.ADDED,
        "Kitchen": multi_group.FAILED,
        "Office": multi_group.UNCERTAIN,
        "Hall": multi_group.ADDED,
    }
    lines = {line.split("”")[0].strip("“"): line for line in dialog.results_list.lines()}
    assert lines["Kitchen"].startswith("“Kitchen”: not added — ")
    assert "may have been added" in lines["Office"]
    assert dialog.ok_button.isVisible() and dialog.ok_button.isEnabled()
    assert dialog.ok_button.text() == "Retry failed"
    assert NAME in env.names(front) and NAME in env.names(hall)
    assert env.names(office) == [NAME]  # the server did it although no answer came
    assert env.names(kitchen) == []
    # the picker's counts include what was added (and only that)
    assert counts(picker) == {"Front desk": 1, "Kitchen": 0, "Office": 0, "Hall": 1}

    # Retry: Kitchen is sent again (it works now); Office is looked for, found, not resent.
    env.faults.refuse.clear()
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000) as again:
        dialog.ok_button.click()
    states = {r.target.name: r.state for r in again.args[0]}
    assert states == {
        "Front desk": multi_group.ADDED,
        "Kitchen": multi_group.ADDED,
        "Office": multi_group.EXISTING,
        "Hall": multi_group.ADDED,
    }
    for gid in (front, kitchen, office, hall):
        assert env.names(gid) == [NAME], gid  # exactly one each
    assert env.faults.creates == {front: 1, kitchen: 1, office: 1, hall: 1}
    assert counts(picker) == {"Front desk": 1, "Kitchen": 1, "Office": 1, "Hall": 1}
    assert not dialog.ok_button.isVisible()
    assert env.services.pending_journal().entries() == [] or all(
        e.state == "added" for e in env.services.pending_journal().entries()
    )
    assert take.exists()
    dialog.close_button.click()


def test_cancel_stops_the_remaining_groups_and_says_which_got_it(qtbot: QtBot, env: Env) -> None:
    front = env.group("Front desk")
    kitchen = env.group("Kitchen")
    office = env.group("Office")
    window = env.window()
    select_group(qtbot, window, front)
    dialog = open_add(qtbot, window, env.take())
    picker = dialog.group_picker
    assert picker is not None
    picker.more_check.setChecked(True)
    tick(picker, "Kitchen", "Office")
    multi = dialog.multi

    def cancel_after_first() -> None:
        if multi.results and multi.results[0].added and dialog.cancel_button.isEnabled():
            dialog.cancel_button.click()

    multi.changed.connect(cancel_after_first)
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000) as done:
        dialog.ok_button.click()
    states = [r.state for r in done.args[0]]
    assert states[0] == multi_group.ADDED
    assert multi_group.NOT_SENT in states[1:]
    assert dialog.results_list.lines()[0] == "“Front desk”: added"
    sent = [gid for gid in (kitchen, office) if env.names(gid)]
    not_sent = [r for r in done.args[0] if r.state == multi_group.NOT_SENT]
    assert len(sent) + len(not_sent) == 2
    assert dialog.ok_button.text() == "Retry failed"
    dialog.close_button.click()


def test_asks_first_when_the_calls_would_pass_the_free_plan(qtbot: QtBot, env: Env) -> None:
    front = env.group("Front desk")
    kitchen = env.group("Kitchen")
    window = env.window()
    select_group(qtbot, window, front)
    dialog = open_add(qtbot, window, env.take())
    picker = dialog.group_picker
    assert picker is not None
    picker.more_check.setChecked(True)
    tick(picker, "Kitchen")
    env.budget.record_calls(env.profile, 498 - env.calls())  # 2 of 500 left; this needs 3
    dialog.on_inputs_changed()
    assert "only 2 of the free plan's 500" in picker.cost_label.text()
    dialog.ok_button.click()
    box = dialog._confirm_box
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not dialog.busy and env.faults.creates == {}
    assert dialog.ok_button.text() == "Add"
    dialog.ok_button.click()
    box = dialog._confirm_box
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000):
        next(b for b in box.buttons() if b.text() == "Continue").click()
    assert env.names(front) == [NAME] and env.names(kitchen) == [NAME]
    dialog.close_button.click()


def test_a_failed_count_check_sends_nothing_and_retry_checks_again(qtbot: QtBot, env: Env) -> None:
    front = env.group("Front desk")
    kitchen = env.group("Kitchen", 9)
    window = env.window()
    select_group(qtbot, window, front)
    dialog = open_add(qtbot, window, env.take())
    picker = dialog.group_picker
    assert picker is not None
    picker.more_check.setChecked(True)
    tick(picker, "Kitchen")
    env.faults.refuse_group_lists = 1
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000) as done:
        dialog.ok_button.click()
    assert [r.state for r in done.args[0]] == [multi_group.NOT_SENT] * 2
    assert "could not be checked" in dialog.message_label.text()
    assert env.faults.creates == {}
    # Kitchen fills up meanwhile; Retry checks the counts again and skips it.
    env.store.create_feature(kitchen, "Other", "", NewAudio(wav_bytes(0.1), "wav"))
    assert dialog.ok_button.text() == "Retry failed"
    with qtbot.waitSignal(dialog.multi_enrolled, timeout=20000) as again:
        dialog.ok_button.click()
    assert [r.state for r in again.args[0]] == [multi_group.ADDED, multi_group.SKIPPED]
    assert env.names(front) == [NAME] and NAME not in env.names(kitchen)
    dialog.close_button.click()


# -- the wizard -------------------------------------------------------------------------

MIC = InputDevice(0, "Desk mic", "Test API", 48000.0, 1, is_default=True)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> npt.NDArray[np.float32]:
    return read_mono(espeak_wav(tmp_path_factory.mktemp("speech")))


def _wizard_ready_to_upload(
    qtbot: QtBot, env: Env, speech: npt.NDArray[np.float32], group_id: str, *more: str
) -> tuple[EnrollWizard, Path]:
    """The wizard of the main window's group ``group_id``, with the groups ``more`` also
    ticked, a take recorded and checked: the next click uploads."""
    window = env.window()
    select_group(qtbot, window, group_id)
    panel = RecorderPanel(
        env.services.preferences,
        folder=env.tmp_path / "recs",
        stream_factory=synthetic_factory(speech, speed=8.0),
        device_lister=lambda: [MIC],
    )
    workspace = window.workspace
    assert workspace is not None
    group = next(g for g in window.groups_panel.model.records() if g.id == group_id)
    assert isinstance(group, VoiceprintGroup)
    wizard = EnrollWizard(
        env.services, ErrorPresenter(), workspace, group, window, recorder_panel=panel
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.fields.name_edit.setText(NAME)
    wizard.group_picker.more_check.setChecked(True)
    if "Kitchen" in more:
        assert rows(wizard.group_picker)["Kitchen"] == ("Kitchen  ·  9 / 10", True, False)
    tick(wizard.group_picker, *more)
    assert f"about {len(more) + 2} API call" in wizard.group_picker.cost_label.text()
    wizard.next_button.click()
    qtbot.waitUntil(panel.record_button.isEnabled, timeout=5000)
    panel.record_button.click()
    qtbot.waitUntil(
        lambda: panel._recorder is not None and panel._recorder.elapsed_seconds >= 8.0,
        timeout=10000,
    )
    with qtbot.waitSignal(panel.check_finished, timeout=15000):
        panel.record_button.click()
    take = Path(panel.current_path())
    wizard.next_button.click()
    wizard.duplicate_box.setChecked(False)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=10000)
    return wizard, take


def test_wizard_enrolls_into_several_groups_skipping_a_full_one(
    qtbot: QtBot, env: Env, speech: npt.NDArray[np.float32]
) -> None:
    front = env.group("Front desk", 1)
    kitchen = env.group("Kitchen", 9)
    office = env.group("Office")
    wizard, take = _wizard_ready_to_upload(qtbot, env, speech, front, "Kitchen", "Office")
    # Kitchen gets its tenth voiceprint from someone else meanwhile: it is full now.
    env.store.create_feature(kitchen, "Other", "", NewAudio(wav_bytes(0.1), "wav"))
    with qtbot.waitSignal(wizard.enrolled, timeout=20000):
        wizard.next_button.click()
        assert wizard.page == UPLOAD_PAGE
    assert wizard.page == DONE_PAGE
    lines = wizard.done_results.lines()
    assert lines[0] == "“Front desk”: added"
    assert sorted(lines[1:]) == [
        "“Kitchen”: skipped — The group is full (10 voiceprints).",
        "“Office”: added",
    ]
    assert "Added to 2 of 3 group" in wizard.done_label.text()
    assert env.names(front).count(NAME) == 1 and env.names(office) == [NAME]
    assert NAME not in env.names(kitchen)
    assert take.exists()
    wizard.next_button.click()  # Finish


def test_wizard_says_not_added_only_once_the_budget_question_is_declined(
    qtbot: QtBot, env: Env, speech: npt.NDArray[np.float32]
) -> None:
    front = env.group("Front desk", 1)
    env.group("Office")
    wizard, _take = _wizard_ready_to_upload(qtbot, env, speech, front, "Office")
    env.budget.record_calls(env.profile, 498 - env.calls())  # 2 of 500 left; this needs 3
    wizard.next_button.click()
    box = wizard._confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "not added" not in wizard.upload_label.text()  # not before the answer
    assert not wizard.retry_button.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert wizard.upload_label.text() == "The voiceprint was not added."
    assert wizard.retry_button.isVisible() and env.faults.creates == {}
    wizard.reject()


def test_wizard_after_a_failed_count_check_can_go_back(
    qtbot: QtBot, env: Env, speech: npt.NDArray[np.float32]
) -> None:
    """Nothing was sent: the operator may go Back and change the groups or the take."""
    front = env.group("Front desk", 1)
    env.group("Office")
    wizard, take = _wizard_ready_to_upload(qtbot, env, speech, front, "Office")
    env.faults.refuse_group_lists = 1
    wizard.next_button.click()
    assert wizard.page == UPLOAD_PAGE
    qtbot.waitUntil(lambda: not wizard.uploading, timeout=20000)
    assert "could not be checked" in wizard.message_label.text()
    assert env.faults.creates == {}
    assert wizard.retry_button.isVisible()
    assert wizard.back_button.isVisible() and wizard.back_button.isEnabled()
    assert take.exists()
    wizard.reject()


def test_estimates() -> None:
    assert multi_group.check_calls(3, 4) == 1
    assert multi_group.check_calls(3, None) == 3
    assert multi_group.check_calls(2, 1000) == 2  # per group: fewer than 5 pages
    assert multi_group.check_calls(8, 1000) == 5
    assert multi_group.estimate_calls(3, 4, duplicate_check=False) == 4
    assert multi_group.estimate_calls(3, 4, duplicate_check=True) == 6


def test_with_no_other_group_the_list_says_so(qtbot: QtBot, env: Env) -> None:
    # the tester's: ticked, the list held only this group and said nothing
    alone = env.group("Front desk", 1)
    window = env.window()
    select_group(qtbot, window, alone)
    dialog = open_add(qtbot, window, env.take())
    picker = dialog.group_picker
    assert picker is not None
    assert not picker.status_label.isVisible()
    picker.more_check.setChecked(True)
    qtbot.waitUntil(picker.list.isVisible)
    assert picker.list.count() == 1
    assert picker.status_label.isVisible()
    assert picker.status_label.text().startswith("This workspace has no other group yet.")
    picker.more_check.setChecked(False)
    assert not picker.status_label.isVisible()
    dialog.done(0)


def test_a_group_being_sent_to_reads_adding_in_every_workspace() -> None:
    # "uploading…" in the offline workspace, where nothing leaves the computer (a tester's)
    target = multi_group.Target("g1", "客厅音箱")
    sending = multi_group.GroupResult(target, multi_group.SENDING)
    assert multi_group.row_text(sending) == "“客厅音箱”: adding…"
