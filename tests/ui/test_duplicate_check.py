"""The duplicate check before enrolling, in the add dialog and the wizard.

Against the real offline backend with the built-in speaker engine and espeak-ng
voices: "Alice" (en-us+Alicia) and "Bob" (en-us+croak) are enrolled from one text; a
take of Alice reading another text is the duplicate, a take of "Carol" (en-us+travis) is
not. espeak voices come from one synthesiser and the CAM++ engine hears many of them as
alike (en-us+m1 and +m7 score over 40); these three score at most 23 against each other
with either built-in engine, and each voice 88 or more against itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import espeak_wav
from tests.ui_fixtures import services_on
from voiceprint_studio.api import AudioUpload, CozeClient, Voiceprint, VoiceprintGroup
from voiceprint_studio.audio import InputDevice
from voiceprint_studio.local.engine import BuiltinEngine
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import CUSTOM_COZE_KEY, ConnectionProfile
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import OFFLINE_BASE_URL, OfflineBackend, Workspace
from voiceprint_studio.ui.enroll.duplicate_check import DuplicateCheck
from voiceprint_studio.ui.enroll.enroll_wizard import (
    CHECK_PAGE,
    DONE_PAGE,
    UPLOAD_PAGE,
    EnrollWizard,
)
from voiceprint_studio.ui.enroll.voiceprint_dialogs import VoiceprintDialog
from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel
from voiceprint_studio.ui.recorder.panel import RecorderPanel

IDENTIFY_PATH = re.compile(r"/speaker_identify$")
ENROLL_TEXT = (
    "The quick brown fox jumps over the lazy dog while the sun sets slowly behind the "
    "hills, and the children walk home."
)
TEST_TEXT = "Please remember to bring the documents to the meeting on Thursday morning at nine."
MIC = InputDevice(0, "Desk mic", "Test API", 48000.0, 1, is_default=True)


@dataclass(frozen=True)
class Clips:
    alice: Path  # enrollment text
    bob: Path
    alice_again: Path  # Alice reading another text: a duplicate
    carol: Path  # another voice reading that text: not a duplicate


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    folder = tmp_path_factory.mktemp("voices")
    return Clips(
        espeak_wav(folder, "en-us+Alicia", ENROLL_TEXT, name="alice"),
        espeak_wav(folder, "en-us+croak", ENROLL_TEXT, name="bob"),
        espeak_wav(folder, "en-us+Alicia", TEST_TEXT, name="alice-again"),
        espeak_wav(folder, "en-us+travis", TEST_TEXT, name="carol"),
    )


class CountingTransport(httpx.BaseTransport):
    """Forwards to the offline backend and counts identify requests."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.identify_requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if IDENTIFY_PATH.search(request.url.path):
            self.identify_requests += 1
        return self.inner.handle_request(request)


@dataclass
class World:
    services: AppServices
    workspace: Workspace
    transport: CountingTransport
    group: VoiceprintGroup
    ids: dict[str, str]  # name -> voiceprint id

    def names(self) -> list[str]:
        features, _total = self.services.offline.app().store.list_features(self.group.id)
        return sorted(f.name for f in features)


def make_services(tmp_path: Path, offline: OfflineBackend) -> tuple[AppServices, CountingTransport]:
    transport = CountingTransport(offline.transport())

    def factory(profile: ConnectionProfile) -> httpx.BaseTransport | None:
        return transport if profile.service == "coze" and profile.offline else None

    services = services_on(tmp_path, offline, transport_factory=factory)
    return services, transport


def enroll(
    offline: OfflineBackend, voices: dict[str, Path]
) -> tuple[VoiceprintGroup, dict[str, str]]:
    with CozeClient(offline.token, OFFLINE_BASE_URL, transport=offline.transport()) as client:
        group_id = client.create_group("Front desk")
        ids = {
            name: client.create_voiceprint(group_id, name, AudioUpload.from_path(path))
            for name, path in voices.items()
        }
        group = client.list_groups(group_id=group_id).items[0]
    return group, ids


@pytest.fixture
def world(tmp_path: Path, clips: Clips) -> Iterator[World]:
    """An offline workspace with the built-in engine; "Alice" and "Bob" in "Front desk"."""
    offline = OfflineBackend(tmp_path / "offline", engine=BuiltinEngine())
    services, transport = make_services(tmp_path, offline)
    group, ids = enroll(offline, {"Alice": clips.alice, "Bob": clips.bob})
    workspace = services.new_workspace()
    yield World(services, workspace, transport, group, ids)
    QThreadPool.globalInstance().waitForDone(10000)
    workspace.close()
    offline.close()


def open_panel(qtbot: QtBot, world: World) -> VoiceprintsPanel:
    panel = VoiceprintsPanel(world.services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.show()
    panel.set_workspace(world.workspace)
    panel.set_group(world.group)
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
    return panel


def add_dialog(qtbot: QtBot, panel: VoiceprintsPanel, name: str, take: Path) -> VoiceprintDialog:
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert isinstance(dialog, VoiceprintDialog) and dialog.fields is not None
    dialog.fields.name_edit.setText(name)
    dialog.set_path(take)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    assert dialog.ok_button.isEnabled(), dialog.problem()
    return dialog


def wait_question(qtbot: QtBot, check: DuplicateCheck) -> None:
    qtbot.waitUntil(lambda: check.asking, timeout=20000)


def test_add_dialog_warns_about_a_duplicate_and_enroll_anyway_enrolls(
    qtbot: QtBot, world: World, clips: Clips
) -> None:
    panel = open_panel(qtbot, world)
    dialog = add_dialog(qtbot, panel, "Alice again", clips.alice_again)
    box = dialog.duplicate_box
    assert box is not None and box.isChecked()  # on by default in the offline workspace
    assert "billed" not in box.text()
    dialog.ok_button.click()
    assert dialog.checking and dialog.cancel_button.isEnabled()
    assert dialog.cancel_button.text() == "Cancel check"
    assert not dialog.ok_button.isEnabled()
    check = dialog.duplicate_check
    wait_question(qtbot, check)
    assert world.transport.identify_requests == 1
    question = check.message_box
    assert question is not None
    assert check.match is not None and check.match.feature_name == "Alice"
    assert check.match.score > 40
    assert "“Alice”" in question.text() and "“Front desk”" in question.text()
    assert question.text().startswith("This voice is most likely “Alice”")
    # the numbers that made the verdict: the score, the threshold, the lead over Bob
    details = question.informativeText()
    assert f"“Alice” scored {check.match.score:.1f}, above the match threshold of 40" in details
    assert "ahead of “Bob”" in details and "a lead of 10 is needed" in details
    assert str(clips.alice_again) in question.informativeText()
    assert world.names() == ["Alice", "Bob"]  # nothing enrolled while asking
    assert check.enroll_anyway_button is not None
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=20000):
        check.enroll_anyway_button.click()
    assert world.names() == ["Alice", "Alice again", "Bob"]
    assert world.transport.identify_requests == 1
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
    panel.shutdown()


def test_add_dialog_dont_enroll_keeps_the_take_and_the_dialog(
    qtbot: QtBot, world: World, clips: Clips
) -> None:
    panel = open_panel(qtbot, world)
    dialog = add_dialog(qtbot, panel, "Alice again", clips.alice_again)
    dialog.ok_button.click()
    check = dialog.duplicate_check
    wait_question(qtbot, check)
    assert check.dont_enroll_button is not None
    check.dont_enroll_button.click()
    assert not check.asking and not dialog.busy and not dialog.checking
    assert dialog.isVisible()  # everything chosen is still there
    assert "Not enrolled" in dialog.message_label.text()
    assert "“Alice”" in dialog.message_label.text()
    assert dialog.ok_button.isEnabled()
    assert clips.alice_again.exists()
    assert world.names() == ["Alice", "Bob"]
    dialog.reject()
    panel.shutdown()


def test_a_different_voice_enrolls_without_a_warning(
    qtbot: QtBot, world: World, clips: Clips
) -> None:
    panel = open_panel(qtbot, world)
    dialog = add_dialog(qtbot, panel, "Carol", clips.carol)
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=20000):
        dialog.ok_button.click()
    assert dialog.duplicate_check.message_box is None  # no question was asked
    assert world.transport.identify_requests == 1
    assert world.names() == ["Alice", "Bob", "Carol"]
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
    panel.shutdown()


def test_check_off_makes_no_identify_call_and_is_remembered(
    qtbot: QtBot, world: World, clips: Clips
) -> None:
    panel = open_panel(qtbot, world)
    dialog = add_dialog(qtbot, panel, "Alice again", clips.alice_again)
    assert dialog.duplicate_box is not None
    dialog.duplicate_box.setChecked(False)
    assert world.services.preferences.get(prefs.DUPLICATE_CHECK_OFFLINE) is False
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=20000):
        dialog.ok_button.click()
    assert world.transport.identify_requests == 0
    assert world.names() == ["Alice", "Alice again", "Bob"]
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
    panel.new_action.trigger()
    again = panel.last_dialog
    assert again is not None and again.duplicate_box is not None
    assert not again.duplicate_box.isChecked()  # remembered
    again.reject()
    panel.shutdown()


def test_cancel_the_check(qtbot: QtBot, world: World, clips: Clips) -> None:
    panel = open_panel(qtbot, world)
    dialog = add_dialog(qtbot, panel, "Alice again", clips.alice_again)
    dialog.ok_button.click()
    assert dialog.checking
    dialog.cancel_button.click()
    assert not dialog.checking and not dialog.busy
    assert dialog.message_label.text() == (
        "The duplicate check was cancelled; nothing was enrolled."
    )
    QThreadPool.globalInstance().waitForDone(10000)
    qtbot.wait(10)  # let a late result be delivered (and dropped)
    assert dialog.duplicate_check.message_box is None
    assert world.names() == ["Alice", "Bob"]
    dialog.reject()
    panel.shutdown()


def test_replacing_audio_leaves_the_voiceprint_itself_out(
    qtbot: QtBot, world: World, clips: Clips
) -> None:
    panel = open_panel(qtbot, world)
    panel.table.selectRow(
        next(r for r in range(panel.model.rowCount()) if panel.model.index(r, 0).data() == "Alice")
    )
    panel.replace_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.mode == VoiceprintDialog.REPLACE
    assert dialog.duplicate_box is not None and dialog.duplicate_box.isChecked()
    dialog.set_path(clips.alice_again)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    with qtbot.waitSignal(panel.voiceprints_changed, timeout=20000):
        dialog.ok_button.click()  # Alice's new take matches only Alice: no warning
    assert dialog.duplicate_check.message_box is None
    assert world.transport.identify_requests == 1
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)

    # Bob's audio replaced by Alice's voice: that matches Alice
    panel.table.selectRow(
        next(r for r in range(panel.model.rowCount()) if panel.model.index(r, 0).data() == "Bob")
    )
    panel.replace_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None
    dialog.set_path(clips.alice_again)
    qtbot.waitUntil(lambda: not dialog.reading_file(), timeout=5000)
    dialog.ok_button.click()
    wait_question(qtbot, dialog.duplicate_check)
    assert dialog.duplicate_check.match is not None
    assert dialog.duplicate_check.match.feature_name == "Alice"
    assert dialog.duplicate_check.dont_enroll_button is not None
    # said as a replace, not as an enrollment
    assert dialog.duplicate_check.dont_enroll_button.text() == "Don't replace"
    assert dialog.duplicate_check.enroll_anyway_button is not None
    assert dialog.duplicate_check.enroll_anyway_button.text() == "Replace anyway"
    dialog.duplicate_check.dont_enroll_button.click()
    qtbot.waitUntil(lambda: "Not replaced" in dialog.message_label.text())
    assert "enrolled" not in dialog.message_label.text()
    dialog.reject()
    panel.shutdown()


def test_defaults_on_offline_and_off_on_coze(qtbot: QtBot, world: World) -> None:
    preferences = world.services.preferences
    assert preferences.get(prefs.DUPLICATE_CHECK_OFFLINE) is True
    assert preferences.get(prefs.DUPLICATE_CHECK_COZE) is False
    preferences.set(prefs.COZE_PROFILE, CUSTOM_COZE_KEY)
    preferences.set(prefs.COZE_CUSTOM_URL, "http://127.0.0.1:9")
    coze = world.services.new_workspace()
    try:
        assert not coze.coze_profile.offline
        dialog = VoiceprintDialog(
            VoiceprintDialog.ADD, world.group, preferences=preferences, workspace=coze
        )
        qtbot.addWidget(dialog)
        assert dialog.duplicate_box is not None
        assert not dialog.duplicate_box.isChecked()
        assert "(one identify call, billed)" in dialog.duplicate_box.text()
        assert dialog.cancel_button.text() == "Cancel upload"
        here = VoiceprintDialog(
            VoiceprintDialog.ADD, world.group, preferences=preferences, workspace=world.workspace
        )
        qtbot.addWidget(here)
        assert here.cancel_button.text() == "Stop adding"  # the offline workspace: no upload
        here.reject()
        edit = VoiceprintDialog(
            VoiceprintDialog.EDIT,
            world.group,
            panel_voiceprint(world),
            preferences=preferences,
            workspace=coze,
        )
        qtbot.addWidget(edit)
        assert edit.duplicate_box is None  # editing the name sends no audio: nothing to check
        wizard = EnrollWizard(world.services, ErrorPresenter(), coze, world.group)
        qtbot.addWidget(wizard)
        assert wizard.cancel_upload_button.text() == "Cancel upload"  # (offline: "Stop adding")
        assert not wizard.duplicate_box.isChecked()
        assert "billed" in wizard.duplicate_box.text()
        wizard.duplicate_box.setChecked(True)  # remembered for Coze only
        assert preferences.get(prefs.DUPLICATE_CHECK_COZE) is True
        assert preferences.get(prefs.DUPLICATE_CHECK_OFFLINE) is True
        wizard.reject()
        dialog.reject()
        offline = EnrollWizard(world.services, ErrorPresenter(), world.workspace, world.group)
        qtbot.addWidget(offline)
        assert offline.cancel_upload_button.text() == "Stop adding"  # nothing is uploaded
        assert offline.duplicate_box.isChecked()
        assert "billed" not in offline.duplicate_box.text()
        offline.reject()
    finally:
        coze.close()


def panel_voiceprint(world: World) -> Voiceprint:
    return Voiceprint(id=world.ids["Alice"], group_id=world.group.id, name="Alice")


# -- the wizard ------------------------------------------------------------------------------


def open_wizard_on_check_page(
    qtbot: QtBot, services: AppServices, workspace: Workspace, group: VoiceprintGroup, take: Path
) -> EnrollWizard:
    panel = RecorderPanel(
        services.preferences, folder=take.parent / "recs", device_lister=lambda: [MIC]
    )
    wizard = EnrollWizard(services, ErrorPresenter(), workspace, group, recorder_panel=panel)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.fields.name_edit.setText("Alice again")
    wizard.next_button.click()
    with qtbot.waitSignal(panel.check_finished, timeout=15000):
        wizard.on_file_dialog_file_selected(str(take))
    wizard.next_button.click()
    assert wizard.page == CHECK_PAGE
    assert wizard.next_button.isEnabled(), wizard.problem()
    return wizard


def test_wizard_warns_dont_enroll_then_retry_and_enroll_anyway(
    qtbot: QtBot, world: World, clips: Clips
) -> None:
    wizard = open_wizard_on_check_page(
        qtbot, world.services, world.workspace, world.group, clips.alice_again
    )
    assert wizard.duplicate_box.isVisibleTo(wizard) and wizard.duplicate_box.isChecked()
    wizard.next_button.click()  # Upload >
    assert wizard.page == UPLOAD_PAGE and wizard.checking
    assert "Checking that this voice is not already enrolled" in wizard.upload_label.text()
    assert wizard.cancel_upload_button.text() == "Cancel check"
    assert not wizard.back_button.isEnabled()
    check = wizard.duplicate_check
    wait_question(qtbot, check)
    assert check.message_box is not None and "“Alice”" in check.message_box.text()
    assert check.dont_enroll_button is not None
    check.dont_enroll_button.click()
    assert not wizard.checking and wizard.page == UPLOAD_PAGE
    assert wizard.upload_label.text() == "The voiceprint was not added, as you chose."
    assert "“Alice”" in wizard.message_label.text()
    assert "color" not in wizard.message_label.styleSheet()  # a choice, not a failure's red
    assert wizard.retry_button.isVisibleTo(wizard) and wizard.back_button.isEnabled()
    assert clips.alice_again.exists()
    assert world.names() == ["Alice", "Bob"]

    wizard.retry_button.click()  # checks again, and asks again
    wait_question(qtbot, check)
    assert world.transport.identify_requests == 2
    assert check.enroll_anyway_button is not None
    with qtbot.waitSignal(wizard.enrolled, timeout=20000):
        check.enroll_anyway_button.click()
    assert wizard.page == DONE_PAGE
    assert world.names() == ["Alice", "Alice again", "Bob"]
    wizard.accept()


def test_wizard_check_failure_offers_enroll_anyway(
    qtbot: QtBot, services: AppServices, clips: Clips
) -> None:
    """The ``services`` backend has no speaker engine: identify answers code 4900."""
    group, _ids = enroll(services.offline, {"Alice": clips.alice})
    workspace = services.new_workspace()
    try:
        wizard = open_wizard_on_check_page(qtbot, services, workspace, group, clips.alice_again)
        wizard.next_button.click()
        check = wizard.duplicate_check
        wait_question(qtbot, check)
        box = check.message_box
        assert box is not None
        assert box.windowTitle() == "Duplicate check not done"
        assert box.text().startswith("The duplicate check could not run: ")
        assert "could not run in the offline workspace" in box.text()
        assert "enroll the take without the check" in box.informativeText()
        assert "4900" in box.detailedText()
        assert box.defaultButton() is check.enroll_anyway_button
        assert check.enroll_anyway_button is not None
        with qtbot.waitSignal(wizard.enrolled, timeout=20000):
            check.enroll_anyway_button.click()
        assert wizard.page == DONE_PAGE
        wizard.accept()
    finally:
        QThreadPool.globalInstance().waitForDone(10000)
        workspace.close()
