"""The copy/move dialog against real backends: the offline workspace and a loopback server."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback, Refusing, wav_bytes
from tests.ui_fixtures import MemoryKeyring, first_end_held
from voiceprint_studio.api import Voiceprint, VoiceprintGroup
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.uploads import AudioUpload
from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import (
    OFFLINE_COZE,
    custom_profile,
    keyring_account,
    where_of,
)
from voiceprint_studio.transfer.child import CopyOrder
from voiceprint_studio.transfer.jobs import Job, JobResult, unfinished_jobs
from voiceprint_studio.transfer.sources import export_groups
from voiceprint_studio.transfer.trash import Entry, RecentlyDeleted
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.transfer.copy_dialog import NEW_GROUP, CopyDialog, jobs_folder
from voiceprint_studio.ui.transfer.trash_dialog import RecentlyDeletedDialog, trash_folder


@pytest.fixture
def remote(tmp_path: Path, services: AppServices) -> Iterator[Loopback]:
    """A loopback server standing in for Coze, set up as the custom Coze profile."""
    app = create_app(tmp_path / "remote", "pat_remote_workspace_token")
    try:
        with LoopbackServer(app) as server:
            profile = custom_profile("coze", server.url)
            services.preferences.set(prefs.COZE_PROFILE, profile.key)
            services.preferences.set(prefs.COZE_CUSTOM_URL, server.url)
            services.secrets.set(keyring_account(profile), app.token)
            yield Loopback(server.url, app.token, app)
    finally:
        app.close()


def _offline(services: AppServices) -> Workspace:
    return Workspace(OFFLINE_COZE, services.minimax_profile(), services.secrets, services.offline)


def _content(client: CozeClient, gid: str) -> dict[str, str]:
    return {
        v.name: hashlib.sha256(client.download_audio(v.audio_url)).hexdigest()
        for v in client.iter_voiceprints(gid)
    }


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_copy_a_group_from_the_offline_workspace_to_a_server(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path, move: bool
) -> None:
    source = _offline(services)
    client = source.coze()
    gid = client.create_group("front desk", "lobby")
    for n in range(3):
        path = tmp_path / f"{n}.wav"
        path.write_bytes(wav_bytes(0.2 + 0.1 * n))
        client.create_voiceprint(gid, f"person {n}", AudioUpload.from_path(path))
    before = _content(client, gid)
    group = next(g for g in client.iter_groups() if g.id == gid)

    dialog = CopyDialog(services, source, [(group, None)], move=move)
    qtbot.addWidget(dialog)
    dialog.show()
    # the current Coze profile (the server) is the default destination
    assert dialog.target_profile().base_url == remote.url
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    assert "API calls" in dialog.cost_label.text()
    if move:
        dialog.move_radio.setChecked(True)
    promised = int(re.search(r"at most (\d+) API calls", dialog.cost_label.text()).group(1))  # type: ignore[union-attr]
    assert services.budget is not None
    counted = services.budget.state(dialog.target_profile()).calls
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    # it says it is over, then what it did (the walk-through's: only the counts)
    said = "Moved: 3 created; 3 original(s) deleted." if move else "Copied: 3 created."
    assert dialog.status_label.text().startswith(said)
    # the job's calls on the server's account are counted, and no more than promised
    used = services.budget.state(dialog.target_profile()).calls - counted
    assert 3 < used <= promised
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "front desk"]
        assert _content(there, copied.id) == before
    assert len(list(client.iter_voiceprints(gid))) == (0 if move else 3)
    assert not any(jobs_folder(services).glob("*/plan.json"))
    # a move's originals are in Recently deleted, each with its audio, from the offline
    # workspace's group (a copy deletes nothing, and keeps nothing)
    kept = RecentlyDeleted(trash_folder(services)).entries()
    assert len(kept) == (3 if move else 0)
    for entry in kept:
        (original,) = entry.voiceprints
        assert (entry.group_id, entry.group_name, entry.workspace["profile"]) == (
            gid,
            "front desk",
            "offline",
        )
        assert hashlib.sha256(original.audio.read_bytes()).hexdigest() == before[original.name]
    dialog.close()
    source.close()


def test_the_custom_server_is_offered_as_a_target_when_the_offline_workspace_is_open(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """The tester's: with the offline workspace open, the custom server set up in
    Connection was not offered (only when it was the current connection)."""
    services.preferences.set(prefs.COZE_PROFILE, OFFLINE_COZE.key)  # back to offline
    source, dialog = _copying_desk(qtbot, services, tmp_path)
    offered = [dialog.workspace_combo.itemText(n) for n in range(dialog.workspace_combo.count())]
    (server,) = [n for n, text in enumerate(offered) if remote.url.split("//")[1] in text]
    dialog.workspace_combo.setCurrentIndex(server)
    assert dialog.target_profile().base_url == remote.url
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000):
        dialog.start_button.click()
    with CozeClient(remote.token, remote.url) as there:
        assert [g.name for g in there.iter_groups()] == ["desk"]
    dialog.close()
    source.close()


def test_a_target_workspace_that_cannot_be_listed_cannot_be_started(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """Coze China chosen as the target with no token saved: its groups cannot be listed,
    so Start stays off and the status says what to do (Start stopped at once and sent the
    operator to File > Transfers, where nothing was listed)."""
    source, dialog = _copying_desk(qtbot, services, tmp_path)
    china = next(
        n
        for n in range(dialog.workspace_combo.count())
        if "coze.cn" in dialog.workspace_combo.itemText(n)
    )
    dialog.workspace_combo.setCurrentIndex(china)
    qtbot.waitUntil(lambda: "could not be listed" in dialog.status_label.text())
    assert "No token is saved for this connection" in dialog.status_label.text()
    assert "Token" in dialog.status_label.text()  # what to do next
    assert not dialog.start_button.isEnabled()
    # the dialog grew for the wrapped sentence: no row is squashed (the tester's screen)
    qtbot.waitUntil(lambda: dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width()))
    for combo in (dialog.workspace_combo, dialog.group_combo):
        assert combo.height() >= combo.sizeHint().height()
    dialog.close()
    source.close()


def test_a_passing_narrow_width_does_not_make_the_dialog_tall(
    qtbot: QtBot, services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openbox, framing a new copy dialog, reported it for a moment at the 100 px wide it
    was created at; the dialog grew to what its wrapped lines needed at 100 px, and kept
    that height at its real width (105 px blank below the rows, in Chinese)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    source, dialog = _copying_desk(qtbot, services, tmp_path)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    layout = dialog.layout()
    least = layout.totalMinimumSize().width()
    monkeypatch.setattr(dialog, "width", lambda: 100)  # what the window manager said
    dialog.status_label.setText("a status line of some length, " * 4)
    QCoreApplication.sendPostedEvents(dialog, QEvent.Type.LayoutRequest)  # fitted then
    monkeypatch.undo()
    assert dialog.height() <= layout.totalHeightForWidth(least) + 1
    dialog.close()
    source.close()


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_in_the_same_workspace_the_other_groups_and_a_new_one_are_offered(
    qtbot: QtBot,
    services: AppServices,
    tmp_path: Path,
    move: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a "group of the same name" in the voiceprints' own workspace is their own group:
    # a move into it deleted them (the reviewer's data loss)
    source = _offline(services)
    client = source.coze()
    gid = _seed(client, tmp_path, "hall", 2)
    client.update_group(gid, desc="the hall's speaker, by the door")
    before = _content(client, gid)
    group = next(g for g in client.iter_groups() if g.id == gid)
    dialog = CopyDialog(services, source, [(group, None)], move=move)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.target_profile().offline
    # no other group here: only a new one is offered, its name asked for at once
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    combo = dialog.group_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [NEW_GROUP]
    assert combo.currentText() == "A new group…" and dialog.new_group_edit.isVisible()
    # one workspace, not "both"
    assert dialog.cost_label.text() == (
        "The offline workspace is on this computer: no API calls are made."
    )
    assert not dialog.start_button.isEnabled()  # a name first
    assert dialog.new_group_problem() == "Enter a name for the new group."
    dialog.new_group_edit.setText("hall")
    assert dialog.status_label.text() == (
        "“hall” is the group they are in: give the new group another name."
    )
    assert not dialog.start_button.isEnabled()
    dialog.new_group_edit.setText("卧室 Bedroom 二楼东侧的那个小房间的智能音箱")  # 24 characters
    assert "too long" in dialog.status_label.text() and not dialog.start_button.isEnabled()
    dialog.new_group_edit.clear()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.new_group_edit)
    dialog.new_group_edit.insert("卧室 ")  # (an input method's; QTest types Latin-1 only)
    qtbot.keyClicks(dialog.new_group_edit, "Bedroom")
    assert dialog.start_button.isEnabled() and dialog.status_label.text() == ""
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        qtbot.keyClick(dialog.new_group_edit, Qt.Key.Key_Return)  # Enter starts
    assert blocker.args == [True]
    [bedroom] = [g.id for g in client.iter_groups() if g.name == "卧室 Bedroom"]
    assert _content(client, bedroom) == before
    # the group's description comes along with it (a tester's: it was dropped)
    [made] = [g for g in client.iter_groups() if g.id == bedroom]
    assert made.desc == "the hall's speaker, by the door"
    assert _content(client, gid) == ({} if move else before)
    dialog.close()
    client.delete_group(bedroom)
    if move:  # the moved group again, for the rest
        client.delete_group(gid)
        gid, group = _seeded(client, tmp_path, "hall", 2)
        before = _content(client, gid)

    other = client.create_group("kitchen", "")
    dialog = CopyDialog(services, source, [(group, None)], move=move)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    combo = dialog.group_combo
    assert [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == [
        ("kitchen  ·  0 / 10", other),  # what it holds, of the most it may
        ("A new group…", NEW_GROUP),
    ]
    assert not dialog.new_group_edit.isVisible()
    combo.setCurrentIndex(1)
    assert dialog.new_group_edit.isVisible()
    dialog.new_group_edit.setText("kitchen")
    assert dialog.status_label.text() == (
        "A group named “kitchen” exists already: choose it in the list instead."
    )
    assert not dialog.start_button.isEnabled()
    combo.setCurrentIndex(0)
    from voiceprint_studio.transfer.child import JobProcess, Order

    orders: list[Order] = []
    run = JobProcess.run

    def noted(self: JobProcess, order: Order, **kwargs: Any) -> JobResult:
        orders.append(order)  # (the job runs in its own process, from this order)
        return run(self, order, **kwargs)

    monkeypatch.setattr(JobProcess, "run", noted)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # Enter starts
    assert blocker.args == [True]
    assert _content(client, other) == before
    # the job names the group as it is called, not as the list shows it ("kitchen · 0 / 10")
    assert isinstance(orders[0], CopyOrder) and orders[0].into is not None
    assert (orders[0].into.name, orders[0].into.target_id) == ("kitchen", other)
    assert _content(client, gid) == ({} if move else before)
    dialog.close()
    source.close()


def test_start_stays_off_when_the_group_list_comes_back_during_the_job(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    # the review's finding: the target's group list, answered after Start, turned Start
    # on again, and a second Start ran the same move twice
    source = _offline(services)
    client = source.coze()
    _, group = _seeded(client, tmp_path, "porch", 3)
    remote.app.latency = 0.4  # every answer of the target comes late
    dialog = CopyDialog(services, source, [(group, None)], move=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.start_button.isEnabled()  # ("a group of the same name" needs no list)
    finished: list[bool] = []
    dialog.finished_job.connect(finished.append)
    dialog.start_button.click()
    seen: list[tuple[bool, bool]] = []

    def watch() -> bool:
        seen.append((dialog.start_button.isEnabled(), dialog.group_combo.isEnabled()))
        return bool(finished)

    qtbot.waitUntil(watch, timeout=60000)
    assert seen and not any(start or combo for start, combo in seen)
    assert finished == [True]
    remote.app.latency = 0.0
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "porch"]
        assert len(list(there.iter_voiceprints(copied.id))) == 3
    dialog.close()
    source.close()


def test_cancel_keeps_what_was_done_and_leaves_a_job_to_resume(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    source = _offline(services)
    client = source.coze()
    gid = client.create_group("big", "")
    for n in range(6):
        path = tmp_path / f"{n}.wav"
        path.write_bytes(wav_bytes(0.3 + 0.05 * n))
        client.create_voiceprint(gid, f"p{n}", AudioUpload.from_path(path))
    group = next(g for g in client.iter_groups() if g.id == gid)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    dialog.start_button.click()
    dialog.close_button.click()  # Cancel at once
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=30000)
    text = dialog.status_label.text()
    if "Cancelled" in text:
        assert any(jobs_folder(services).glob("*/plan.json"))
    else:  # the job won the race; nothing is left behind then
        assert "6 created" in text
    dialog.close()
    source.close()


def _remote_workspace(services: AppServices) -> Workspace:
    return services.new_workspace()  # the custom profile the ``remote`` fixture set


def _not_in_the_app(*_args: object, **_kwargs: object) -> JobResult:
    raise AssertionError("the job ran in the app's process")


def _previewed(qtbot: QtBot, services: AppServices, workspace: Workspace, source: Path) -> Any:
    """The import dialog for ``source``, shown, once its preview is ready (Import enabled)."""
    from voiceprint_studio.ui.transfer.archive_dialogs import ImportDialog

    dialog = ImportDialog(services, workspace, source)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=60000)
    return dialog


def _trash_dialog_of_one(
    qtbot: QtBot, services: AppServices, workspace: Workspace
) -> RecentlyDeletedDialog:
    """Recently deleted, open on ``workspace``, its one entry listed (and chosen)."""
    dialog = RecentlyDeletedDialog(services, workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    return dialog


def _kept_in_the_remote_hall(
    services: AppServices, tmp_path: Path, *, replaced: bool
) -> tuple[Workspace, Voiceprint]:
    """The custom server's workspace, and the one voiceprint of its new group "hall",
    kept in Recently deleted there: deleted, or its audio ``replaced`` (it stays)."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    there = _remote_workspace(services)
    far = there.coze()
    gid, group = _seeded(far, tmp_path, "hall", 1)
    (voiceprint,) = list(far.iter_voiceprints(gid))
    RecentlyDeleted(trash_folder(services)).keep_voiceprints(
        far, group, [voiceprint], where_of(there.coze_profile), replaced=replaced
    )
    if not replaced:
        far.delete_voiceprint(gid, voiceprint.id)
    return there, voiceprint


def _copying_desk(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> tuple[Workspace, CopyDialog]:
    """The offline workspace, its new group "desk" of one voiceprint, and the copy dialog
    shown for that group."""
    source = _offline(services)
    _, group = _seeded(source.coze(), tmp_path, "desk", 1)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.show()
    return source, dialog


def _seeded(
    client: CozeClient, tmp_path: Path, name: str, count: int
) -> tuple[str, VoiceprintGroup]:
    """A new group ``name`` holding ``count`` voiceprints (:func:`_seed`): its id, and it as
    the service lists it."""
    gid = _seed(client, tmp_path, name, count)
    return gid, next(g for g in client.iter_groups() if g.id == gid)


def _seed(client: CozeClient, tmp_path: Path, name: str, count: int) -> str:
    gid = client.create_group(name, "")
    for n in range(count):
        path = tmp_path / f"{name}{n}.wav"
        path.write_bytes(wav_bytes(0.2 + 0.05 * n))
        client.create_voiceprint(gid, f"{name} {n}", AudioUpload.from_path(path))
    return gid


def test_export_then_import_through_the_dialogs(
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from voiceprint_studio.ui.transfer.archive_dialogs import ExportDialog

    source = _offline(services)
    client = source.coze()
    gid = _seed(client, tmp_path, "desk", 2)
    before = _content(client, gid)
    out = tmp_path / "desk.zip"
    export = ExportDialog(source, [g for g in client.iter_groups()], out)
    qtbot.addWidget(export)
    export.show()
    with qtbot.waitSignal(export.finished_job, timeout=30000) as done:
        export.start()
    assert done.args == [True] and out.is_file()
    assert export.status_label.text() == "Done: 2 voiceprint(s) exported."
    # the heading no longer says it is exporting, and says where (once)
    assert export.title_label.text().startswith("Export of ")
    assert str(out) in export.title_label.text() and str(out) not in export.status_label.text()

    target = _remote_workspace(services)
    dialog = _previewed(qtbot, services, target, out)
    group_row = dialog.tree.topLevelItem(0)
    assert group_row is not None and group_row.text(1) == "a new group"
    assert [group_row.child(i).text(1) for i in range(group_row.childCount())] == [
        "will be created"
    ] * 2
    assert "API calls" in dialog.cost_label.text()
    # the import runs in the job's own process (here, it would fail)
    monkeypatch.setattr(Job, "run", _not_in_the_app)
    # Enter imports (the focused Cancel, first in the tab order, does not take it)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as imported:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert imported.args == [True]
    assert dialog.status_label.text().startswith("Imported: 2 created")
    # each row now says what happened, not what was going to
    assert [group_row.child(i).text(1) for i in range(group_row.childCount())] == ["created"] * 2
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "desk"]
        assert _content(there, copied.id) == before
    dialog.close()
    export.close()
    target.close()
    source.close()


def test_export_the_whole_workspace(qtbot: QtBot, services: AppServices, tmp_path: Path) -> None:
    from voiceprint_studio.transfer.archive import read_archive
    from voiceprint_studio.ui.transfer.archive_dialogs import ExportDialog

    source = _offline(services)
    client = source.coze()
    _seed(client, tmp_path, "desk", 2)
    _seed(client, tmp_path, "hall", 1)
    client.create_group("empty", "")
    out = tmp_path / "all.zip"
    export = ExportDialog(source, None, out)  # (File > Export the whole workspace)
    qtbot.addWidget(export)
    export.show()
    assert "whole workspace" in export.title_label.text()
    with qtbot.waitSignal(export.finished_job, timeout=30000) as done:
        export.start()
    assert done.args == [True]
    with read_archive(out) as archive:
        manifest = archive.manifest
        assert sorted(g.name for g in manifest.groups) == ["desk", "empty", "hall"]
        assert len(manifest.voiceprints) == 3
    export.close()
    source.close()


def test_import_into_a_chosen_group_previews_the_room_left(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:

    workspace = _offline(services)
    client = workspace.coze()
    _seed(client, tmp_path, "desk", 2)
    out = tmp_path / "desk.zip"
    export_groups(client, list(client.iter_groups()), out, source={"workspace": "offline"})
    almost = _seed(client, tmp_path, "store room", 9)
    dialog = _previewed(qtbot, services, workspace, out)
    combo = dialog.group_combo
    assert combo.isEnabled() and combo.currentData() == ""  # the source's own groups first
    row = dialog.tree.topLevelItem(0)
    assert row is not None and (row.text(0), row.text(1)) == ("desk", "an existing group")
    assert combo.itemText(combo.findData(almost)) == "store room  ·  9 / 10"  # what it holds
    combo.setCurrentIndex(combo.findData(almost))
    qtbot.waitUntil(
        lambda: (row := dialog.tree.topLevelItem(0)) is not None and row.text(0) == "store room"
    )
    qtbot.waitUntil(dialog.import_button.isEnabled)
    row = dialog.tree.topLevelItem(0)
    assert row is not None
    # room for one of the two: which one is decided as they arrive (several at once)
    assert [row.child(i).text(1) for i in range(2)] == [
        "will be created if there is room (room for 1 of 2)"
    ] * 2
    assert dialog.status_label.text().startswith("1 to create, 0 of the same name")
    assert "1 will not fit" in dialog.status_label.text()
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as imported:
        dialog.import_button.click()
    assert imported.args == [False]  # one skipped
    said = sorted(row.child(i).text(1) for i in range(2))
    assert said[0] == "created"
    assert said[1].startswith("skipped: no room was left: the group holds 10")
    assert sorted(v.name for v in client.iter_voiceprints(almost))[-1] == "store room 8"
    assert len(list(client.iter_voiceprints(almost))) == 10
    dialog.close()
    workspace.close()


def test_import_into_a_new_group_named_in_the_dialog(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """A backup taken into a new device's group: "A new group…", its name typed; a name
    in use or too long is refused, saying what to do, and Import stays off; Enter in the
    name imports once it can be used."""
    workspace = _offline(services)
    client = workspace.coze()
    desk = _seed(client, tmp_path, "desk", 2)
    out = tmp_path / "desk.zip"
    export_groups(client, list(client.iter_groups()), out, source={"workspace": "offline"})
    dialog = _previewed(qtbot, services, workspace, out)
    combo = dialog.group_combo
    assert not dialog.new_group_edit.isVisible()
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(NEW_GROUP))
    assert combo.currentText() == "A new group…"
    assert dialog.new_group_edit.isVisible() and dialog.new_group_edit.hasFocus()
    assert not dialog.import_button.isEnabled()
    assert dialog.status_label.text() == ""  # nothing typed yet: no reproach
    qtbot.keyClicks(dialog.new_group_edit, "desk")
    assert not dialog.import_button.isEnabled()
    assert dialog.status_label.text() == (
        "A group named “desk” exists already: choose it in the list instead."
    )
    dialog.new_group_edit.setText("x" * 21)
    assert dialog.status_label.text().startswith("The name is too long: use at most 20")
    qtbot.keyClick(dialog.new_group_edit, Qt.Key.Key_Return)  # refused: nothing starts
    assert not dialog._running
    dialog.new_group_edit.setText("  Bedroom ")
    assert dialog.import_button.isEnabled()
    row = dialog.tree.topLevelItem(0)
    assert row is not None and (row.text(0), row.text(1)) == ("Bedroom", "a new group")
    assert [row.child(i).text(1) for i in range(2)] == ["will be created"] * 2
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as imported:
        qtbot.keyClick(dialog.new_group_edit, Qt.Key.Key_Return)
    assert imported.args == [True]
    assert not dialog.new_group_edit.isEnabled()
    (bedroom,) = [g for g in client.iter_groups() if g.name == "Bedroom"]
    assert _content(client, bedroom.id) == _content(client, desk)
    assert len(list(client.iter_voiceprints(desk))) == 2  # the source group is as it was
    dialog.close()
    workspace.close()


def test_typing_the_new_groups_name_keeps_the_cursor_in_it(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """Each letter typed into "New group's name" previews again: the cursor stays in the
    box (the preview moved it to Import after the first letter; the rest went nowhere)."""
    from PySide6.QtWidgets import QApplication

    workspace = _offline(services)
    client = workspace.coze()
    _seed(client, tmp_path, "desk", 1)
    out = tmp_path / "desk.zip"
    export_groups(client, list(client.iter_groups()), out, source={"workspace": "offline"})
    dialog = _previewed(qtbot, services, workspace, out)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    combo = dialog.group_combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(NEW_GROUP))
    for letter in "Bedroom":  # (typed where the keyboard is, as a person types)
        focused = QApplication.focusWidget()
        assert focused is dialog.new_group_edit, focused
        qtbot.keyClick(focused, letter)
    assert dialog.new_group_edit.text() == "Bedroom"
    assert dialog.import_button.isEnabled()
    dialog.close()
    workspace.close()


def test_a_folder_import_preview_says_which_files_will_be_skipped_and_why(
    qtbot: QtBot, services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tester's: every row said "will be created", a 61-character name and an mp3
    named .wav among them; they were refused only after Import. The preview puts each
    file through the checker first and says which will be skipped, and why."""
    from tests.audio_fixtures import espeak_wav

    folder = tmp_path / "people" / "reception"
    folder.mkdir(parents=True)
    speech = espeak_wav(tmp_path, "zh")
    (folder / "Li Na.wav").write_bytes(speech.read_bytes())
    long_name = "A name far longer than the twenty characters Coze allows"
    (folder / f"{long_name}.wav").write_bytes(speech.read_bytes())
    (folder / "song.wav").write_bytes(b"ID3" + bytes(4000))  # an mp3 named .wav
    workspace = _offline(services)
    dialog = _previewed(qtbot, services, workspace, tmp_path / "people")
    row = dialog.tree.topLevelItem(0)
    assert row is not None
    said = {row.child(i).text(0): row.child(i).text(1) for i in range(row.childCount())}
    assert said["Li Na"] == "will be created"
    assert said[long_name] == "will be skipped: its name is longer than 20 characters"
    assert said["song"].startswith("will be skipped: the checker blocked it: ")
    assert "“song.wav”" in said["song"]
    tips = {row.child(i).text(0): row.child(i).toolTip(1) for i in range(row.childCount())}
    assert tips == said  # the whole reason, where the column cuts it
    assert dialog.status_label.text() == (
        "1 to create, 0 of the same name already there. 2 will be skipped; each one's row says why."
    )
    # checked, converted and sent by the job's own process (here, it would fail), into
    # the offline workspace through the app
    monkeypatch.setattr(Job, "run", _not_in_the_app)
    with qtbot.waitSignal(dialog.finished_job, timeout=60000):
        dialog.import_button.click()
    client = workspace.coze()
    (group,) = list(client.iter_groups())
    assert [v.name for v in client.iter_voiceprints(group.id)] == ["Li Na"]
    # the rows say what happened now, the group's too (it said "a new group")
    assert dialog.tree.headerItem().text(1) == "What happened"
    assert row.text(1) == "1 created, 0 already there"
    dialog.close()
    workspace.close()


def test_a_folder_import_preview_says_a_group_name_is_too_long(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """A sub-folder named longer than a group may be: its files "will be skipped", saying
    why and what to do (they said "will be created", then each failed as if its own name
    were too long); the other folder's files are imported."""
    from tests.audio_fixtures import espeak_wav

    speech = espeak_wav(tmp_path, "zh")
    long_name = "Front desk of the east wing"
    for name in (long_name, "hall"):
        (tmp_path / "people" / name).mkdir(parents=True)
        (tmp_path / "people" / name / "Li Na.wav").write_bytes(speech.read_bytes())
    workspace = _offline(services)
    dialog = _previewed(qtbot, services, workspace, tmp_path / "people")
    rows = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    said = {row.text(0): row.child(0).text(1) for row in rows if row is not None}
    assert said["hall"] == "will be created"
    assert said[long_name] == (
        f"will be skipped: the group name “{long_name}” is longer than 20 characters, the "
        "most Coze takes: shorten it (a folder's name, a CSV's group column), then import again"
    )
    with qtbot.waitSignal(dialog.finished_job, timeout=60000) as imported:
        dialog.import_button.click()
    assert imported.args == [False]  # (one skipped)
    client = workspace.coze()
    assert [g.name for g in client.iter_groups()] == ["hall"]
    assert unfinished_jobs(jobs_folder(services)) == []  # nothing left to resume
    dialog.close()
    workspace.close()


def test_a_group_name_too_long_is_not_said_when_another_group_is_chosen(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """A sub-folder named longer than a group may, imported into a group chosen in the
    dialog (or a new one named there): its name makes no group, so its file "will be
    created", and is (it said "will be skipped: the group name … is longer", then the
    import created it all the same)."""
    from tests.audio_fixtures import espeak_wav

    speech = espeak_wav(tmp_path, "zh")
    long_name = "Front desk of the east wing"
    for name in (long_name, "hall"):
        (tmp_path / "people" / name).mkdir(parents=True)
        (tmp_path / "people" / name / f"{name[:5]}.wav").write_bytes(speech.read_bytes())
    workspace = _offline(services)
    client = workspace.coze()
    lobby = client.create_group("lobby", "")
    dialog = _previewed(qtbot, services, workspace, tmp_path / "people")
    combo = dialog.group_combo
    combo.setCurrentIndex(combo.findData(NEW_GROUP))
    dialog.new_group_edit.setText("Bedroom")
    row = dialog.tree.topLevelItem(0)
    assert row is not None
    assert [row.child(i).text(1) for i in range(2)] == ["will be created"] * 2
    assert dialog.status_label.text() == "2 to create, 0 of the same name already there."
    combo.setCurrentIndex(combo.findData(lobby))
    qtbot.waitUntil(dialog.import_button.isEnabled)
    row = dialog.tree.topLevelItem(0)
    assert row is not None
    assert [row.child(i).text(1) for i in range(2)] == ["will be created"] * 2
    combo.setCurrentIndex(0)  # the groups the source names: that one cannot be made
    said = {
        r.text(0): r.child(0).text(1)
        for r in (dialog.tree.topLevelItem(i) for i in range(2))
        if r is not None
    }
    assert said["hall"] == "will be created"
    assert said[long_name].startswith(f"will be skipped: the group name “{long_name}”")
    combo.setCurrentIndex(combo.findData(lobby))
    with qtbot.waitSignal(dialog.finished_job, timeout=60000) as imported:
        dialog.import_button.click()
    assert imported.args == [True]
    assert sorted(v.name for v in client.iter_voiceprints(lobby)) == ["Front", "hall"]
    dialog.close()
    workspace.close()


def test_a_csv_import_preview_says_what_to_do_about_a_file_that_is_not_there(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    # A tester's CSV named a file that was not there: its row said only that the file
    # "cannot be read", and nothing of what to do
    from tests.audio_fixtures import espeak_wav

    speech = espeak_wav(tmp_path, "zh")
    (tmp_path / "li.wav").write_bytes(speech.read_bytes())
    table = tmp_path / "people.csv"
    table.write_text(
        "file,name,description,group\nli.wav,Li Na,,reception\nmissing.wav,Wang Fang,,reception\n",
        encoding="utf-8",
    )
    workspace = _offline(services)
    dialog = _previewed(qtbot, services, workspace, table)
    row = dialog.tree.topLevelItem(0)
    assert row is not None
    said = {row.child(i).text(0): row.child(i).text(1) for i in range(row.childCount())}
    assert said == {
        "Li Na": "will be created",
        "Wang Fang": "will be skipped: the checker blocked it: The file “missing.wav” cannot be "
        "read. Check that the file exists, that you may read it and that it is not damaged; "
        "or record again.",
    }
    dialog.close()
    workspace.close()


def test_a_tampered_archive_is_refused_in_the_dialog(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    from voiceprint_studio.ui.transfer.archive_dialogs import ImportDialog

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    workspace = _offline(services)
    dialog = ImportDialog(services, workspace, bad)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.status_label.text(), timeout=10000)
    assert "not a zip archive" in dialog.status_label.text()
    assert not dialog.import_button.isEnabled()
    assert list(workspace.coze().iter_groups()) == []
    dialog.close()
    workspace.close()


def test_restore_from_recently_deleted(qtbot: QtBot, services: AppServices, tmp_path: Path) -> None:
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    workspace = _offline(services)
    client = workspace.coze()
    gid = _seed(client, tmp_path, "gone", 2)
    before = _content(client, gid)
    group = next(g for g in client.iter_groups() if g.id == gid)
    victim = next(iter(client.iter_voiceprints(gid)))
    RecentlyDeleted(trash_folder(services)).keep_voiceprints(
        client, group, [victim], {"workspace": "offline"}
    )
    client.delete_voiceprint(gid, victim.id)
    dialog = _trash_dialog_of_one(qtbot, services, workspace)
    assert "1 deletion" in dialog.size_label.text()
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(0) == victim.name and row.text(1) == "gone"
    dialog.activateWindow()
    dialog.tree.setFocus()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.tree)
    dialog.tree.clearSelection()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)  # nothing chosen: nothing happens
    assert dialog.isVisible() and dialog.tree.topLevelItemCount() == 1
    dialog.reload()  # listed: the newest is chosen, not only outlined (the third tester's:
    # Enter did nothing on opening)
    qtbot.waitUntil(lambda: dialog.selected() is not None)
    assert dialog.tree.currentItem() is dialog.tree.topLevelItem(0)
    # Enter restores the chosen entry (the tester's: it closed the dialog)
    with qtbot.waitSignal(dialog.restored, timeout=20000):  # (the main views reload on it)
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert dialog.isVisible()
    # (no agent uses the offline workspace's ids: only a Coze account's sentence names them)
    assert dialog.status_label.text() == "Restored: 1 voiceprint(s) with new ids."
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)
    assert dialog.size_label.text() == "Nothing is kept here."  # (not "0 deletions, 0 KB")
    assert _content(client, gid) == before
    # nothing left to restore: Enter closes (the walk-through's: it did nothing)
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    workspace.close()


def test_remove_from_recently_deleted_asks_first(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """Remove forgets the last copy of a deleted voiceprint's audio: it asks first (the
    tester's: one Alt+M deleted it at once, unasked), and Cancel or Escape keeps it."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.common.confirm import ACT_BUTTON

    workspace = _offline(services)
    client = workspace.coze()
    gid, group = _seeded(client, tmp_path, "lobby", 1)
    (victim,) = list(client.iter_voiceprints(gid))
    store = RecentlyDeleted(trash_folder(services))
    store.keep_voiceprints(client, group, [victim], {"profile": "offline"})
    client.delete_voiceprint(gid, victim.id)
    dialog = _trash_dialog_of_one(qtbot, services, workspace)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.remove_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text().startswith(f"Remove “{victim.name}” from recently deleted? Its audio (")
    assert box.text().endswith("cannot be restored afterwards.")
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default keeps it
    qtbot.wait(200)
    assert len(store.entries()) == 1
    assert dialog.tree.topLevelItemCount() == 1
    dialog.remove_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    act.click()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)
    assert store.entries() == []
    dialog.close()
    workspace.close()


def test_restoring_what_is_already_back_says_nothing_was_created(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """A deleted voiceprint brought back by an import first: Restore finds it there and
    says so (it said "has its audio from before the Replace again")."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    workspace = _offline(services)
    client = workspace.coze()
    gid, group = _seeded(client, tmp_path, "lobby", 1)
    (victim,) = list(client.iter_voiceprints(gid))
    audio = client.download_audio(victim.audio_url)
    RecentlyDeleted(trash_folder(services)).keep_voiceprints(
        client, group, [victim], {"profile": "offline"}
    )
    client.delete_voiceprint(gid, victim.id)
    again = tmp_path / "again.wav"
    again.write_bytes(audio)
    client.create_voiceprint(gid, victim.name, AudioUpload.from_path(again))  # an import
    dialog = _trash_dialog_of_one(qtbot, services, workspace)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        dialog.restore_button.click()
    assert dialog.status_label.text() == (
        "Nothing was created: everything this held is already in the group “lobby”."
    )
    assert len(list(client.iter_voiceprints(gid))) == 1
    dialog.close()
    workspace.close()


def test_the_audio_a_restore_put_back_over_is_listed_as_such(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """The third tester's: undoing a Replace kept the audio it put back over under the
    same words, "(its audio before a Replace)", as if the entry restored were still
    there. It now reads "(its audio before a Restore)"."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    workspace = _offline(services)
    client = workspace.coze()
    gid, group = _seeded(client, tmp_path, "lobby", 1)
    (voiceprint,) = list(client.iter_voiceprints(gid))
    RecentlyDeleted(trash_folder(services)).keep_voiceprints(
        client, group, [voiceprint], {"profile": "offline"}, replaced=True
    )
    newer = tmp_path / "newer.wav"
    newer.write_bytes(wav_bytes(0.9))
    client.update_voiceprint(gid, voiceprint.id, audio=AudioUpload.from_path(newer))
    dialog = RecentlyDeletedDialog(services, workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.selected() is not None)
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(0) == f"{voiceprint.name} (its audio before a Replace)"
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        dialog.restore_button.click()
    qtbot.waitUntil(
        lambda: (r := dialog.tree.topLevelItem(0)) is not None and "Restore" in r.text(0)
    )
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(0) == f"{voiceprint.name} (its audio before a Restore)"
    assert dialog.tree.topLevelItemCount() == 1
    dialog.close()
    workspace.close()


def test_a_restore_on_a_coze_account_says_its_cost_first_and_empty_says_how_much(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """The tester's: a restore on the server ran at once (9 calls, unsaid), and Empty did
    not say how much it forgets, from every workspace."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from voiceprint_studio.ui.common.confirm import ACT_BUTTON
    from voiceprint_studio.ui.transfer.safety_net import keep_before_delete

    there = _remote_workspace(services)
    far = there.coze()
    gid, group = _seeded(far, tmp_path, "hall", 3)
    keep_before_delete(services, there, group)
    far.delete_group(gid)
    dialog = _trash_dialog_of_one(qtbot, services, there)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    # (no English catalogue is installed here: plural forms show as "(s)")
    assert box.text().replace("(s)", "s") == (
        f"Create 3 voiceprints again in “hall”, in Custom Coze server ({remote.url})?"
    )
    assert box.informativeText() == (
        # (with the window's two lists after it, and a look for a group of its name)
        "This makes at most 9 API calls on the Coze account (a free plan allows 500 calls in all)."
    )
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # nothing restored, nothing spent
    assert [g.name for g in far.iter_groups()] == []
    dialog.empty_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("Forget the 1 deletion(s) kept here (")
    assert "from every workspace?" in box.text()
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    act.click()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)
    dialog.close()
    there.close()


def test_a_restore_on_a_coze_account_says_agents_need_the_new_ids(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QPushButton

    from voiceprint_studio.ui.common.confirm import ACT_BUTTON
    from voiceprint_studio.ui.transfer.safety_net import keep_before_delete

    there = _remote_workspace(services)
    far = there.coze()
    gid, group = _seeded(far, tmp_path, "porch", 2)
    victim = next(iter(far.iter_voiceprints(gid)))
    keep_before_delete(services, there, group, [victim])
    far.delete_voiceprint(gid, victim.id)
    dialog = _trash_dialog_of_one(qtbot, services, there)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box is not None
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        act.click()
    assert dialog.status_label.text() == (
        "Restored: 1 voiceprint(s) with new ids; agents that use the old ids need the new ones."
    )
    dialog.close()
    there.close()


def test_a_deletion_from_another_workspace_is_restored_here_only_when_asked_to(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """An entry kept while the custom server was open says so; restoring it with the
    offline workspace open asks first (Enter and Cancel keep it), then restores here."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.common.confirm import ACT_BUTTON
    from voiceprint_studio.ui.transfer.safety_net import keep_before_delete

    there = _remote_workspace(services)
    far = there.coze()
    gid, group = _seeded(far, tmp_path, "hall", 1)
    (victim,) = list(far.iter_voiceprints(gid))
    keep_before_delete(services, there, group, [victim])
    far.delete_voiceprint(gid, victim.id)
    here = _offline(services)
    dialog = _trash_dialog_of_one(qtbot, services, here)
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(2) == f"Custom Coze server ({remote.url})"
    dialog.tree.setCurrentItem(row)
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box is not None and box.isVisible()
    assert "deleted in Custom Coze server" in box.text()
    assert "Offline workspace (this computer)" in box.text()
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the safe choice: nothing restored
    assert "hall" not in {g.name for g in here.coze().iter_groups()}
    assert len(RecentlyDeleted(trash_folder(services)).entries()) == 1
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None and act.text() == "Restore here"
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        act.click()
    (restored,) = [g for g in here.coze().iter_groups() if g.name == "hall"]
    assert [v.name for v in here.coze().iter_voiceprints(restored.id)] == [victim.name]
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)
    dialog.close()
    here.close()
    there.close()


def test_a_transfer_that_does_not_say_where_it_goes_is_not_resumed(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    """A job with no recorded target (the command line's, from an older version) is
    listed, but Resume stays off and says why: it is never run into a guessed workspace."""
    from voiceprint_studio.transfer.jobs import Job
    from voiceprint_studio.transfer.sources import plan_copy
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    source = _offline(services)
    client = source.coze()
    _, group = _seeded(client, tmp_path, "somewhere", 1)
    plan = plan_copy(client, [(group, None)], source={"profile": "offline", "base_url": ""})
    jobs_folder(services).mkdir(parents=True)
    Job.create(jobs_folder(services), plan)
    dialog = TransfersDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(2) == "not recorded"
    assert not dialog.resume_button.isEnabled() and dialog.discard_button.isEnabled()
    assert "does not say which workspace it goes to" in dialog.status_label.text()
    dialog.close()
    source.close()


def test_an_unfinished_job_is_listed_and_resumed(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    from voiceprint_studio.transfer.jobs import Job
    from voiceprint_studio.transfer.sources import plan_copy
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    source = _offline(services)
    client = source.coze()
    _, group = _seeded(client, tmp_path, "later", 3)
    target = _remote_workspace(services)
    plan = plan_copy(
        client,
        [(group, None)],
        source={"profile": "offline", "base_url": ""},
        target={"profile": target.coze_profile.key, "base_url": target.coze_profile.base_url},
    )
    jobs_folder(services).mkdir(parents=True)
    Job.create(jobs_folder(services), plan)  # as if the app died before running it
    dialog = TransfersDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(1) == "0 of 3"  # what it has done, of all
    assert dialog.resume_button.isEnabled()
    assert services.budget is not None
    counted = services.budget.state(target.coze_profile).calls
    dialog.resume_button.click()
    qtbot.waitUntil(lambda: "Every transfer finished" in dialog.status_label.text(), timeout=30000)
    # a resumed job's calls count for the account: a look-up and a create of the group,
    # three creates (the tester's resumes went uncounted)
    assert services.budget.state(target.coze_profile).calls - counted == 5
    assert plan.estimate_calls() == 5
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "later"]
        assert len(list(there.iter_voiceprints(copied.id))) == 3
    dialog.close()
    target.close()
    source.close()


def test_a_job_is_not_resumed_with_a_token_of_another_account(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """A job records the account its workspace's token belonged to; saved under the same
    profile later, another account's token does not get the job: nothing is created, the
    job stays, and the words name both accounts and what to do. With the first account's
    token saved again (its identity asked once), it resumes."""
    from voiceprint_studio.transfer.sources import plan_copy
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    source = _offline(services)
    client = source.coze()
    _, group = _seeded(client, tmp_path, "theirs", 2)
    target = _remote_workspace(services)
    profile = target.coze_profile
    budget = services.budget
    assert budget is not None
    budget.load()
    me = target.coze().me()
    budget.remember_identity(profile, me.user_id, "Wang Fang")  # (the main window asks)
    where = services.where_of(profile)
    assert (where["user_id"], where["user_name"]) == (me.user_id, "Wang Fang")
    assert "user_id" not in services.where_of(OFFLINE_COZE)
    plan = plan_copy(client, [(group, None)], source=services.where_of(OFFLINE_COZE), target=where)
    jobs_folder(services).mkdir(parents=True)
    Job.create(jobs_folder(services), plan)
    # another account's token is saved for the same profile, and the app knows whose
    budget.remember_identity(profile, "7490000000000000002", "Li Lei")
    calls = budget.state(profile).calls
    dialog = TransfersDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(2).endswith("account “Wang Fang”")
    dialog.resume_button.click()
    qtbot.waitUntil(lambda: "nothing was done" in dialog.status_label.text())
    text = dialog.status_label.text()
    assert "started on the account “Wang Fang”" in text and "belongs to “Li Lei”" in text
    assert "save the token of “Wang Fang” again (Connection > Token…)" in text
    assert "stopped again" not in text
    assert budget.state(profile).calls == calls  # not a call: the identity was known
    with CozeClient(remote.token, remote.url) as there:
        assert "theirs" not in {g.name for g in there.iter_groups()}
    qtbot.waitUntil(dialog.resume_button.isEnabled)
    assert dialog.tree.topLevelItemCount() == 1  # still there to resume
    # Wang Fang's token saved again: whose it is is not known yet, and is asked
    budget.token_saved(profile)
    dialog.resume_button.click()
    qtbot.waitUntil(lambda: "Every transfer finished" in dialog.status_label.text(), timeout=30000)
    assert budget.state(profile).user_id == me.user_id
    # users/me, the group's look-up and create, and two voiceprints
    assert budget.state(profile).calls - calls == 5
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "theirs"]
        assert len(list(there.iter_voiceprints(copied.id))) == 2
    dialog.close()
    target.close()
    source.close()


def test_a_token_that_may_not_say_whose_it_is_is_asked_once(
    services: AppServices, keyring_backend: MemoryKeyring
) -> None:
    """The reviewer's: a token users/me refuses (4101) was asked on every resume (twice when
    source and target are the same profile), one Coze call each. Once refused it is not
    asked again, here or by the main window (the call budget remembers), until a token is
    saved for the profile; the resume goes on as before, unchecked."""
    from voiceprint_studio.settings.profiles import BUILTIN
    from voiceprint_studio.settings.secrets import SERVICE
    from voiceprint_studio.ui.transfer.jobs_dialog import check_account

    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/users/me":
            asked.append(request.url.path)
            return httpx.Response(200, json={"code": 4101, "msg": "no permission"})
        return httpx.Response(200, json={"code": 0, "msg": "", "data": {}})

    services.transport_factory = lambda p: None if p.offline else httpx.MockTransport(handler)
    china = BUILTIN["coze"][1]
    keyring_backend.entries[(SERVICE, keyring_account(china))] = "pat_token_value"
    budget = services.budget
    assert budget is not None
    budget.load()
    workspace = services.workspace_on(china)
    then = where_of(china, "7490000000000000001", "Wang Fang")
    for _resume in range(3):
        check_account(services, workspace, then)  # the target
        check_account(services, workspace, then)  # the source (the same profile)
    assert len(asked) == 1 and budget.identity_refused(china)
    budget.token_saved(china)  # another token: it may say who it is
    assert not budget.identity_refused(china)
    check_account(services, workspace, then)
    assert len(asked) == 2
    workspace.close()


def test_a_deletion_under_another_account_of_the_same_profile_is_restored_when_asked(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """Recently deleted names the account an entry was deleted under; with another
    account's token saved for the same profile, a restore asks first, as from another
    workspace."""
    from voiceprint_studio.ui.transfer.safety_net import keep_before_delete

    there = _remote_workspace(services)
    profile = there.coze_profile
    budget = services.budget
    assert budget is not None
    budget.load()
    budget.remember_identity(profile, there.coze().me().user_id, "Wang Fang")
    far = there.coze()
    gid, group = _seeded(far, tmp_path, "hall", 1)
    (victim,) = list(far.iter_voiceprints(gid))
    keep_before_delete(services, there, group, [victim])
    far.delete_voiceprint(gid, victim.id)
    budget.remember_identity(profile, "7490000000000000002", "Li Lei")
    dialog = _trash_dialog_of_one(qtbot, services, there)
    row = dialog.tree.topLevelItem(0)
    assert row is not None
    assert row.text(2) == f"Custom Coze server ({remote.url}), account “Wang Fang”"
    dialog.tree.setCurrentItem(row)
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "Restore into another workspace"
    assert "account “Wang Fang”" in box.text() and "account “Li Lei”" in box.text()
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    # whose token it is now is not known: asked too (it may be another account's)
    budget.forget_identity(profile)
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box is not None and box.windowTitle() == "Restore into another workspace"
    assert box.text().endswith(f"into the open workspace, Custom Coze server ({remote.url})?")
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    # the same account again: restored where it was deleted, after the cost question
    budget.remember_identity(profile, there.coze().me().user_id, "Wang Fang")
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box is not None and box.windowTitle() == "Restore"
    box.close()
    dialog.close()
    there.close()


def test_a_restore_finished_from_transfers_leaves_recently_deleted(
    qtbot: QtBot, services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restore cut short, resumed from File > Transfers: once everything is back, its
    entry goes from Recently deleted (as after a restore from there), not listed as if
    still deleted."""
    from voiceprint_studio.settings.profiles import where_of
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    source = _offline(services)
    client = source.coze()
    gid, group = _seeded(client, tmp_path, "back", 2)
    store = RecentlyDeleted(trash_folder(services))
    where = where_of(OFFLINE_COZE)
    entry = store.keep_group(client, group, where)
    assert entry is not None
    client.delete_group(gid)
    app = services.offline.app()
    with CozeClient(
        app.token, "http://localhost", transport=Refusing(app, "POST", "/features", which=(2,))
    ) as no:
        assert not store.restore(entry, no, jobs_folder(services), where).complete
    assert len(store.entries()) == 1
    monkeypatch.setattr(Job, "run", _not_in_the_app)  # (it runs in the job's own process)
    dialog = TransfersDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.resume_button.click()
    qtbot.waitUntil(lambda: "Every transfer finished" in dialog.status_label.text(), timeout=30000)
    (back,) = [g for g in client.iter_groups() if g.name == "back"]
    assert sorted(v.name for v in client.iter_voiceprints(back.id)) == ["back 0", "back 1"]
    assert store.entries() == []
    dialog.close()
    source.close()


def test_a_result_names_the_items_of_one_reason_together_and_counts_earlier_runs(
    qapp: object,
) -> None:
    """The tester's: a rejected token repeated the same long sentence for each of eight
    items, and a resumed move said "0 created" of what an earlier run had brought."""
    from voiceprint_studio.transfer.jobs import JobResult, PlanItem
    from voiceprint_studio.transfer.reasons import Reason
    from voiceprint_studio.ui.transfer.copy_dialog import result_text

    rejected = Reason("the token was refused")
    other = Reason("its file is gone")
    items = [PlanItem(key=f"v{n}", group="g", name=f"p{n}") for n in range(6)]
    result = JobResult(
        existed=[(items[0], "1")],
        failed=[(item, rejected) for item in items[1:5]] + [(items[5], other)],
        done_earlier=3,
    )
    lines = result_text(result).splitlines()
    assert lines[0] == "0 created; 1 already there; 3 done by an earlier run."
    assert lines[1].startswith("Not done 4 voiceprints (“p1”, “p2”, “p3”")
    assert lines[1].endswith("1 more): the token was refused")
    assert lines[2] == "Not done “p5”: its file is gone"
    assert sum("the token was refused" in line for line in lines) == 1


def test_a_resume_that_cannot_start_says_what_to_do(qtbot: QtBot, services: AppServices) -> None:
    """The tester's: resuming with no token saved said only that the job stopped."""
    from voiceprint_studio.settings.profiles import BUILTIN, where_of
    from voiceprint_studio.transfer.jobs import Job, Plan
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    china = BUILTIN["coze"][1]
    assert not china.offline
    jobs_folder(services).mkdir(parents=True)
    Job.create(
        jobs_folder(services), Plan(kind="import", groups=(), items=(), target=where_of(china))
    )
    dialog = TransfersDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.resume_button.click()
    qtbot.waitUntil(lambda: "stopped again" in dialog.status_label.text())
    assert "No token is saved for this connection." in dialog.status_label.text()
    assert "Connection > Token" in dialog.status_label.text()  # what to do next
    dialog.close()


def test_the_main_window_says_at_start_up_that_transfers_did_not_finish(
    qtbot: QtBot, services: AppServices
) -> None:

    from voiceprint_studio.transfer.jobs import Job, Plan
    from voiceprint_studio.ui.common.i18n import Translations
    from voiceprint_studio.ui.shell.main_window import MainWindow
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    folder = jobs_folder(services)
    folder.mkdir(parents=True)
    for _ in range(2):  # as if the app died in the middle of two jobs
        Job.create(folder, Plan(kind="copy", groups=(), items=()))
    translations = Translations()
    assert translations.install("en")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    notice = window.transfer_actions.notice
    qtbot.waitUntil(notice.isVisible)
    assert notice.text() == "2 transfers did not finish — Resume…"
    try:
        assert translations.install("zh_CN")
        window.transfer_actions.check_unfinished()
        qtbot.waitUntil(lambda: notice.text() == "2 个传输任务未完成 — 继续…")
    finally:
        translations.install("en")
    notice.click()
    dialog = window.transfer_actions.dialog
    assert isinstance(dialog, TransfersDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 2)
    # discarded one by one there: the notice follows at once, with the dialog still open
    # (the tester saw "1 transfer did not finish" beside "Every transfer finished")
    for left in (1, 0):
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
        dialog.discard_button.click()
        qtbot.waitUntil(lambda left=left: window.transfer_actions.unfinished == left)
    assert dialog.isVisible() and not notice.isVisible()
    dialog.close()
    assert not any(folder.iterdir())
    window.close()
    translations.uninstall()


def test_an_archive_is_named_after_its_one_group_on_any_system() -> None:
    from voiceprint_studio.ui.transfer.actions import archive_stem

    assert archive_stem("家人") == "家人"
    assert archive_stem('前台: 1/2 "A"?') == "前台_ 1_2 _A__"
    assert archive_stem(" group. ") == "group"  # (Windows drops them)
    assert archive_stem("..") == ""  # nothing left: the default name is used


def test_a_dialog_that_grows_near_the_bottom_of_the_screen_stays_on_it(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QRect

    from voiceprint_studio.ui.common.fit import available_area
    from voiceprint_studio.ui.transfer.work_dialog import WorkDialog

    dialog = WorkDialog(None)
    qtbot.addWidget(dialog)
    dialog._finish_layout()
    dialog.title_label.setText("Copy")
    dialog.show()
    qtbot.waitExposed(dialog)
    area = available_area(dialog)
    dialog.move(dialog.x(), area.bottom() - dialog.frameGeometry().height() - 5)
    qtbot.waitUntil(lambda: area.contains(dialog.frameGeometry()))
    short = dialog.height()
    # a status that wraps onto many lines: the dialog grows, and not off the screen
    dialog.status_label.setText("A sentence that wraps onto another line. " * 40)
    qtbot.waitUntil(lambda: dialog.height() > short)
    qtbot.waitUntil(lambda: area.contains(dialog.frameGeometry()))
    button = dialog.close_button
    assert area.contains(QRect(button.mapToGlobal(QPoint(0, 0)), button.size()))
    dialog.close()


def test_undoing_a_replace_whose_voiceprint_is_gone_asks_before_adding_it_as_new(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QPushButton

    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.common.confirm import ACT_BUTTON

    workspace = _offline(services)
    client = workspace.coze()
    gid, group = _seeded(client, tmp_path, "desk", 1)
    voiceprint = next(iter(client.iter_voiceprints(gid)))
    RecentlyDeleted(trash_folder(services)).keep_voiceprints(
        client, group, [voiceprint], where_of(workspace.coze_profile), replaced=True
    )
    client.delete_voiceprint(gid, voiceprint.id)
    dialog = _trash_dialog_of_one(qtbot, services, workspace)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.confirm_box is not None and dialog.confirm_box.isVisible())
    box = dialog.confirm_box
    assert box is not None
    assert box.text() == (
        f"The voiceprint “{voiceprint.name}” this audio was replaced in is gone. Add the audio "
        f"as a new voiceprint “{voiceprint.name}” in “desk”?"
    )
    box.defaultButton().click()  # Cancel: nothing made, the entry stays
    assert list(client.iter_voiceprints(gid)) == []
    assert dialog.tree.topLevelItemCount() == 1 and "Not restored" not in dialog.status_label.text()
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.confirm_box is not None and dialog.confirm_box.isVisible())
    box = dialog.confirm_box
    assert box is not None
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        act.click()
    (now,) = list(client.iter_voiceprints(gid))
    assert now.name == voiceprint.name and now.id != voiceprint.id
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0)
    dialog.close()
    workspace.close()


def test_audio_from_before_a_replace_in_another_workspace_is_asked_about_once(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    # the second reviewer's: restored into another workspace, the audio from before a
    # Replace was then called "gone" in a second question
    from PySide6.QtWidgets import QPushButton

    from voiceprint_studio.ui.common.confirm import ACT_BUTTON

    there, voiceprint = _kept_in_the_remote_hall(services, tmp_path, replaced=True)
    here = _offline(services)
    dialog = _trash_dialog_of_one(qtbot, services, here)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    dialog.restore_button.click()
    box = dialog.confirm_box
    assert box is not None and "deleted in Custom Coze server" in box.text()
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        act.click()
    assert dialog.confirm_box is box  # no second question
    (restored,) = [g for g in here.coze().iter_groups() if g.name == "hall"]
    assert [v.name for v in here.coze().iter_voiceprints(restored.id)] == [voiceprint.name]
    dialog.close()
    here.close()
    there.close()


@pytest.mark.parametrize("replaced", [False, True], ids=["deleted", "replaced"])
def test_a_restore_into_another_workspace_asks_before_a_second_of_a_name(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path, replaced: bool
) -> None:
    """Restored into another workspace, whose group of that name holds a voiceprint of
    the same name with other audio (copied there, then enrolled again): the restore made
    a second of that name unasked. It asks (Enter keeps what is there); restored anyway,
    no further question, even for audio from before a Replace."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.common.confirm import ACT_BUTTON

    there, voiceprint = _kept_in_the_remote_hall(services, tmp_path, replaced=replaced)
    here = _offline(services)
    near = here.coze()
    theirs = near.create_group("hall", "")
    other = tmp_path / "other.wav"
    other.write_bytes(wav_bytes(0.9, freq=300.0))
    near.create_voiceprint(theirs, voiceprint.name, AudioUpload.from_path(other))
    dialog = _trash_dialog_of_one(qtbot, services, here)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))

    def restore_here() -> QMessageBox:
        dialog.restore_button.click()
        box = dialog.confirm_box
        assert box is not None and "deleted in Custom Coze server" in box.text()
        act = box.findChild(QPushButton, ACT_BUTTON)
        assert act is not None
        act.click()
        qtbot.waitUntil(lambda: dialog.confirm_box is not box and dialog.confirm_box is not None)
        asked = dialog.confirm_box
        assert isinstance(asked, QMessageBox) and asked.isVisible()
        return asked

    asked = restore_here()
    assert f"already has voiceprint(s) named “{voiceprint.name}”" in asked.text()
    with qtbot.waitSignal(asked.finished):
        qtbot.keyClick(asked, Qt.Key.Key_Return)  # the safe choice: nothing restored
    assert [v.name for v in near.iter_voiceprints(theirs)] == [voiceprint.name]
    assert len(RecentlyDeleted(trash_folder(services)).entries()) == 1
    asked = restore_here()
    anyway = asked.findChild(QPushButton, ACT_BUTTON)
    assert anyway is not None and anyway.text() == "Restore anyway"
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        anyway.click()
    assert dialog.confirm_box is asked  # no third question
    names = [v.name for v in near.iter_voiceprints(theirs)]
    assert names == [voiceprint.name, voiceprint.name]
    assert [g.id for g in near.iter_groups() if g.name == "hall"] == [theirs]
    dialog.close()
    here.close()
    there.close()


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_a_job_whose_process_dies_says_so_and_resumes_from_transfers(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path, move: bool
) -> None:
    """The operator's path through a crash of the job's own process: the copy dialog says
    it stopped and what to do, File > Transfers resumes it, and the target ends up with
    each voiceprint once (a move: the originals gone only then)."""
    import os
    import signal

    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    source = _offline(services)
    client = source.coze()
    gid = _seed(client, tmp_path, "study", 6)
    before = _content(client, gid)
    group = next(g for g in client.iter_groups() if g.id == gid)
    remote.app.latency = 0.2  # (the target answers late: the job is caught mid-way)
    dialog = CopyDialog(services, source, [(group, None)], move=move)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    killed: list[int] = []
    shown = dialog._progress

    def progress(done: int, total: int) -> None:
        shown(done, total)
        pid = dialog.job_process.pid
        if done >= 1 and not killed and pid is not None:
            os.kill(pid, signal.SIGKILL)  # (a crash of the job's process)
            killed.append(pid)

    dialog._progress = progress  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [False] and killed
    assert dialog.status_label.text() == (
        "The job stopped: the background process running the job stopped unexpectedly "
        "(exit code -9). What was done is kept; resume it from File > Transfers."
    )
    dialog.close()
    remote.app.latency = 0.0
    jobs = TransfersDialog(services)
    qtbot.addWidget(jobs)
    jobs.show()
    qtbot.waitUntil(lambda: jobs.tree.topLevelItemCount() == 1)
    jobs.tree.setCurrentItem(jobs.tree.topLevelItem(0))
    jobs.resume_button.click()
    qtbot.waitUntil(lambda: "Every transfer finished" in jobs.status_label.text(), timeout=30000)
    with CozeClient(remote.token, remote.url) as far:
        (there,) = [g.id for g in far.iter_groups() if g.name == "study"]
        assert _content(far, there) == before  # each once, the same audio
    assert _content(client, gid) == ({} if move else before)
    jobs.close()
    source.close()


def test_a_job_process_that_dies_before_it_says_it_made_the_job_is_still_resumable(
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The review's suspicion: the job's folder made, its process gone before it said so
    (a moment no real process can be timed to die in: injected). The dialog must not say
    "Nothing was copied" of a job File > Transfers lists."""
    from voiceprint_studio.transfer.child import JobProcess, JobProcessGoneError, Order
    from voiceprint_studio.transfer.jobs import Job, Plan

    def dies_after_making_it(self: JobProcess, order: Order, **kwargs: Any) -> JobResult:
        assert isinstance(order, CopyOrder) and order.job_id
        plan = Plan(kind="copy", groups=(), items=(), source={}, target=dict(order.target_where))
        Job.create(order.jobs_dir, plan, order.job_id)
        raise JobProcessGoneError(-9)

    monkeypatch.setattr(JobProcess, "run", dies_after_making_it)
    source = _offline(services)
    _, group = _seeded(source.coze(), tmp_path, "attic", 1)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000):
        dialog.start_button.click()
    assert dialog.status_label.text().startswith("The job stopped: ")
    assert "resume it from File > Transfers" in dialog.status_label.text()
    assert len(list(jobs_folder(services).glob("*/plan.json"))) == 1
    dialog.close()
    source.close()


def test_a_result_lists_names_in_the_language_shown_not_the_systems(qapp: object) -> None:
    """The walk-through's: English chosen on a Chinese system, an import's result said
    "Skipped 9 voiceprints (“李四”、“Zhao”、“李四”和6 more)": the names were joined by the
    system's locale. They follow the language shown, and back again."""
    from PySide6.QtCore import QLocale

    from voiceprint_studio.transfer.jobs import PlanItem
    from voiceprint_studio.transfer.reasons import Reason
    from voiceprint_studio.ui.common.i18n import Translations
    from voiceprint_studio.ui.transfer.copy_dialog import result_text

    why = Reason("no room was left")
    items = [PlanItem(key=str(n), group="g", name=name) for n, name in enumerate("ABCDE")]
    result = JobResult(skipped=[(item, why) for item in items])
    system = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))  # (as on a Chinese system)
    translations = Translations()
    try:
        assert translations.install("en")
        said = result_text(result)
        assert "(“A”, “B”, “C”, and 2 more)" in said and "、" not in said and "和" not in said
        assert translations.install("zh_CN")
        assert "“A”、“B”、“C”和" in result_text(result)
    finally:
        translations.install("en")
        translations.uninstall()
        QLocale.setDefault(system)


def _api_calls(seen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The requests of ``seen`` that are API calls (an audio file's download is not)."""
    return [r for r in seen if not r[1].startswith("/files/")]


def _record_requests(monkeypatch: pytest.MonkeyPatch, app: object) -> list[tuple[str, str]]:
    """The requests ``app`` (a backend) answers from now on, as (method, path)."""
    from voiceprint_studio.local.app import BackendApp

    seen: list[tuple[str, str]] = []
    dispatch = BackendApp._dispatch

    def recording(self: BackendApp, request: Any) -> Any:
        if self is app:
            seen.append((request.method, request.path))
        return dispatch(self, request)

    monkeypatch.setattr(BackendApp, "_dispatch", recording)
    return seen


def _window_idle(window: Any) -> bool:
    """Nothing of the window's on its way (its first lists, who is signed in): what a
    test then sees the server asked is the dialog's and the job's."""
    return not window.runner.busy and not any(panel.busy for panel in window.panels)


def _window_on_the_group(qtbot: QtBot, services: AppServices, count: int) -> Any:
    """The main window on the server (the current Coze profile), its one group chosen and
    its ``count`` voiceprints shown, nothing of the window's on its way; the focus in the
    groups view (Copy group… copies the group)."""
    from voiceprint_studio.ui.shell.main_window import MainWindow

    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    qtbot.waitUntil(lambda: groups.model.rowCount() == 1)
    groups.table.selectRow(0)
    qtbot.waitUntil(lambda: voiceprints.model.rowCount() == count and _window_idle(window))
    groups.table.setFocus()
    return window


def _copy_dialog_of(qtbot: QtBot, window: Any) -> CopyDialog:
    """Copy or move… from the window, its list of the target's groups (the current
    workspace's) arrived: a list still on its way would reach the server among the
    calls a test then counts (a choice of another workspace does not call it back)."""
    window.transfer_actions.copy_action.trigger()
    dialog = window.transfer_actions.dialog
    assert isinstance(dialog, CopyDialog)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    return dialog


def _fill_remote(remote: Loopback, tmp_path: Path, name: str, count: int) -> str:
    with CozeClient(remote.token, remote.url) as client:
        gid = client.create_group(name)
        for n in range(count):
            path = tmp_path / f"{name}-{n}.wav"
            path.write_bytes(wav_bytes(0.2 + 0.1 * n))
            client.create_voiceprint(gid, f"person {n}", AudioUpload.from_path(path))
    return gid


def _promised(dialog: CopyDialog) -> int:
    found = re.search(r"at most (\d+) API calls", dialog.cost_label.text())
    assert found is not None, dialog.cost_label.text()
    return int(found.group(1))


def test_a_group_the_window_shows_is_copied_without_listing_it_again(
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Copy group… right after the window listed the group: the job does not list it
    again, and the dialog says so in its count: a call fewer (of 6), a round trip saved
    before the first voiceprint is sent. The new group's name is looked up all the same
    (not in the dialog's list of the target's groups, it may have been made since)."""
    gid = _fill_remote(remote, tmp_path, "front desk", 3)
    window = _window_on_the_group(qtbot, services, 3)
    seen = _record_requests(monkeypatch, remote.app)
    dialog = _copy_dialog_of(qtbot, window)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findData(NEW_GROUP))
    dialog.new_group_edit.setText("front desk 2")
    # a look-up, a create of the group and of each voiceprint; no list of the source;
    # then the window's two lists (its groups, the group shown), which the operator sees
    # counted too
    assert _promised(dialog) == 5 + 2
    del seen[:]  # (the dialog's list of the target's groups)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: _window_idle(window))
    asked = _api_calls(seen)  # (before the test's own)
    with CozeClient(remote.token, remote.url) as there:
        new = _group_named_on(there, "front desk 2")
        assert _content(there, new) == _content(there, gid)
    # what the job sent, up to its last create
    creates = ("POST", f"/v1/audio/voiceprint_groups/{new}/features")
    last = max(n for n, request in enumerate(asked) if request == creates)
    api = asked[: last + 1]
    assert api == [
        ("GET", "/v1/audio/voiceprint_groups"),
        ("POST", "/v1/audio/voiceprint_groups"),
        creates,
        creates,
        creates,
    ]
    # then the window's: its groups, and the group shown once (not again when the
    # groups' list hands it back with its new count)
    after = asked[last + 1 :]
    assert sorted(after) == [
        ("GET", "/v1/audio/voiceprint_groups"),
        ("GET", f"/v1/audio/voiceprint_groups/{gid}/features"),
    ]
    assert len(api) + len(after) == _promised(dialog)
    dialog.close()
    window.close()


def _group_named_on(client: CozeClient, name: str) -> str:
    (gid,) = [g.id for g in client.iter_groups() if g.name == name]
    return gid


def test_a_listing_too_old_is_made_again_and_the_count_says_so(
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two minutes after the window listed the group (someone may have changed it since),
    the count goes up by the list when it gets too old, and the job makes it (and the
    new group's look-up, made either way)."""
    from voiceprint_studio.transfer.sources import FRESH_LISTING_SECONDS

    gid = _fill_remote(remote, tmp_path, "hall", 2)
    source = services.new_workspace()
    client = source.coze()
    group = next(g for g in client.iter_groups() if g.id == gid)
    now = [1000.0]
    shown = (now[0], list(client.iter_voiceprints(gid)))
    dialog = CopyDialog(
        services,
        source,
        [(group, None)],
        shown=lambda: {gid: shown},
        clock=lambda: now[0],
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findData(NEW_GROUP))
    dialog.new_group_edit.setText("hall 2")
    # (a new group's name is looked up, fresh list or not; and the window's two lists)
    assert _promised(dialog) == 4 + 2
    # said again when the first of them gets too old (not before)
    timer = dialog._stale_timer
    assert timer.isActive()
    # (a precise timer; one that came early would say the same count and be started
    # again for what is left)
    assert timer.remainingTime() >= 0.95 * FRESH_LISTING_SECONDS * 1000
    assert timer.remainingTime() <= 1.05 * FRESH_LISTING_SECONDS * 1000 + 1
    now[0] += FRESH_LISTING_SECONDS + 1
    timer.timeout.emit()
    assert _promised(dialog) == 5 + 2
    seen = _record_requests(monkeypatch, remote.app)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    api = _api_calls(seen)
    assert sorted(api[:2]) == [
        ("GET", "/v1/audio/voiceprint_groups"),  # the look-up
        ("GET", f"/v1/audio/voiceprint_groups/{gid}/features"),  # the source's list
    ]
    assert len(api) == 5
    dialog.close()
    source.close()


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_a_copy_out_of_a_coze_account_spends_only_the_calls_it_said(  # noqa: PLR0917 - fixtures
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    move: bool,
) -> None:
    """The group the window shows copied into the offline workspace: its audio comes as
    file downloads, so a copy makes no call on the account, and says so; the window does
    not list its own workspace again after it (it listed "front desk" twice more, for
    nothing). A move deletes there: one call per voiceprint, and the views follow."""
    gid = _fill_remote(remote, tmp_path, "front desk", 3)
    window = _window_on_the_group(qtbot, services, 3)
    groups, voiceprints = window.groups_panel, window.voiceprints_panel
    dialog = _copy_dialog_of(qtbot, window)
    offline = next(n for n, p in enumerate(dialog._profiles) if p.offline)
    dialog.workspace_combo.setCurrentIndex(offline)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    if move:
        dialog.move_radio.setChecked(True)
        # (a move lists what it deletes at Start: the window's list may be two minutes
        # old, and an audio replaced meanwhile would be moved as it was)
        assert _promised(dialog) == 1 + 3 + 2  # (and the window's two lists)
    else:
        assert dialog.cost_label.text() == (
            "This job makes no API calls on the Coze account: it only downloads the "
            "recordings, which is not counted as a call."
        )
    seen = _record_requests(monkeypatch, remote.app)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    # the job's calls: a delete per voiceprint moved, none for a copy; and a reload of
    # the views (started as the job ended) only when the job changed what they show
    assert groups.busy is move
    api = _api_calls(seen)
    assert [r for r in api if r[0] != "GET"] == (
        [("DELETE", r[1]) for r in api if r[0] == "DELETE"] if move else []
    )
    assert sum(1 for r in api if r[0] == "DELETE") == (3 if move else 0)
    if move:
        assert api[0] == ("GET", f"/v1/audio/voiceprint_groups/{gid}/features")
    else:
        assert api == []
    qtbot.waitUntil(lambda: not groups.busy and not voiceprints.busy)
    assert voiceprints.model.rowCount() == (0 if move else 3)
    # what the operator sees counted: no more than said (the group shown listed once)
    api = _api_calls(seen)
    assert len(api) == (1 + 3 + 2 if move else 0)
    dialog.close()
    window.close()


def test_a_group_another_copy_made_meanwhile_is_not_made_twice(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """Two voiceprints copied one by one (a dialog each, both open: the dialog is not
    modal) into "a group of the same name" on the server: the first job makes the group,
    the second finds it. The second dialog's list of the server's groups was made before
    the first job made the group (moments before: well within FRESH_LISTING_SECONDS), so
    it must not be taken for "there is no such group" (a second "front desk" was made)."""
    source = _offline(services)
    client = source.coze()
    gid = client.create_group("front desk")
    for n in range(2):
        path = tmp_path / f"{n}.wav"
        path.write_bytes(wav_bytes(0.2 + 0.1 * n))
        client.create_voiceprint(gid, f"person {n}", AudioUpload.from_path(path))
    group = next(g for g in client.iter_groups() if g.id == gid)
    first, second = list(client.iter_voiceprints(gid))
    dialogs = []
    for picked in (first, second):
        dialog = CopyDialog(services, source, [(group, [picked])])
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.target_profile().base_url == remote.url
        qtbot.waitUntil(dialog.group_combo.isEnabled)
        assert dialog.group_combo.currentData() == ""  # a group of the same name
        dialogs.append(dialog)
    for dialog in dialogs:
        with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
            dialog.start_button.click()
        assert blocker.args == [True]
    with CozeClient(remote.token, remote.url) as there:
        made = [g for g in there.iter_groups() if g.name == "front desk"]
        assert len(made) == 1, "the group was made twice"
        assert sorted(v.name for v in there.iter_voiceprints(made[0].id)) == [
            "person 0",
            "person 1",
        ]
    for dialog in dialogs:
        dialog.close()
    source.close()


def test_the_count_is_said_again_on_time_and_not_once_the_dialog_is_closed(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """The count is said again when a listing gets too old, on time: a coarse timer may
    come up to 5 % (6 s) late, and a Start meanwhile made more calls than it said. Once
    the dialog is closed, nothing is said again."""
    from voiceprint_studio.transfer.sources import FRESH_LISTING_SECONDS

    gid = _fill_remote(remote, tmp_path, "hall", 1)
    source = services.new_workspace()
    client = source.coze()
    group = next(g for g in client.iter_groups() if g.id == gid)
    shown = (time.monotonic(), list(client.iter_voiceprints(gid)))
    dialog = CopyDialog(services, source, [(group, None)], shown=lambda: {gid: shown})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    timer = dialog._stale_timer
    assert timer.isActive()
    assert timer.timerType() == Qt.TimerType.PreciseTimer
    assert timer.remainingTime() <= FRESH_LISTING_SECONDS * 1000 + 1
    dialog.reject()
    assert not timer.isActive()
    source.close()


def test_a_group_the_window_listed_again_while_the_dialog_was_open_is_copied_whole(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """The dialog is not modal: while it is open the window may list the group again (a
    voiceprint added, then Refresh). A copy of "the group with all its voiceprints"
    started then copies what the window shows now, not what it showed when the dialog
    opened (the voiceprint added was left behind, and the job said it was complete)."""
    gid = _fill_remote(remote, tmp_path, "front desk", 2)
    window = _window_on_the_group(qtbot, services, 2)
    voiceprints = window.voiceprints_panel
    dialog = _copy_dialog_of(qtbot, window)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    # meanwhile, in the window: one more, and the group listed again
    with CozeClient(remote.token, remote.url) as client:
        path = tmp_path / "late.wav"
        path.write_bytes(wav_bytes(0.7))
        client.create_voiceprint(gid, "late", AudioUpload.from_path(path))
    voiceprints.refresh()
    qtbot.waitUntil(lambda: voiceprints.model.rowCount() == 3 and not voiceprints.loading)
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findData(NEW_GROUP))
    dialog.new_group_edit.setText("front desk 2")
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    with CozeClient(remote.token, remote.url) as there:
        new = _group_named_on(there, "front desk 2")
        assert sorted(v.name for v in there.iter_voiceprints(new)) == [
            "late",
            "person 0",
            "person 1",
        ]
        assert len(list(there.iter_voiceprints(gid))) == 3
    dialog.close()
    window.close()


@pytest.fixture
def first_restore_ends_late(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The pool thread of the first restore is held up between reporting its failure and
    reporting its end (``finished``, what clears :attr:`TaskRunner.busy`) until the event
    given is set: the question its failure asks is up while the runner is still busy, as
    on a loaded machine."""
    release = first_end_held(monkeypatch, "restore")
    yield release
    release.set()


def test_a_restore_beside_a_voiceprint_of_the_same_name_asks_first(
    qtbot: QtBot,
    services: AppServices,
    tmp_path: Path,
    first_restore_ends_late: threading.Event,
) -> None:
    """The person was enrolled again after the delete: restoring the old recording makes
    a second voiceprint of that name (Identify and agents tell them apart only by id).
    Asked first, Cancel the default; "Restore anyway" makes it.

    The restore that asks reports its end after its failure: on a loaded machine after
    the question is up (the first one here, every run); Cancel is checked to start
    nothing once that restore has ended (the suite once saw the runner still busy with it).
    """
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from voiceprint_studio.transfer.trash import RecentlyDeleted
    from voiceprint_studio.ui.common.confirm import ACT_BUTTON

    workspace = _offline(services)
    client = workspace.coze()
    gid, group = _seeded(client, tmp_path, "lobby", 2)
    victim = next(v for v in client.iter_voiceprints(gid) if v.name == "lobby 0")
    store = RecentlyDeleted(trash_folder(services))
    store.keep_voiceprints(client, group, [victim], {"profile": "offline"})
    client.delete_voiceprint(gid, victim.id)
    again = tmp_path / "again.wav"
    again.write_bytes(wav_bytes(0.9, freq=300.0))  # (a new recording of the same person)
    client.create_voiceprint(gid, "lobby 0", AudioUpload.from_path(again))
    dialog = RecentlyDeletedDialog(services, workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.selected() is not None)

    def asked() -> QMessageBox:
        dialog.restore_button.click()
        qtbot.waitUntil(lambda: isinstance(dialog.confirm_box, QMessageBox))
        box = dialog.confirm_box
        assert isinstance(box, QMessageBox)
        qtbot.waitUntil(box.isVisible)
        first_restore_ends_late.set()
        qtbot.waitUntil(lambda: not dialog.runner.busy)  # (the restore that asked ended)
        return box

    box = asked()
    assert box.text() == (
        "The group “lobby” already has voiceprint(s) named “lobby 0”, with other audio "
        "(enrolled again since the delete, perhaps). Restoring makes a second voiceprint "
        "of each of those names. Restore?"
    )
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: nothing is made
    assert not dialog.runner.busy
    assert sorted(v.name for v in client.iter_voiceprints(gid)) == ["lobby 0", "lobby 1"]
    assert len(store.entries()) == 1
    dialog.confirm_box = None
    box = asked()
    act = box.findChild(QPushButton, ACT_BUTTON)
    assert act is not None and act.text() == "Restore anyway"
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        act.click()
    assert sorted(v.name for v in client.iter_voiceprints(gid)) == [
        "lobby 0",
        "lobby 0",
        "lobby 1",
    ]
    qtbot.waitUntil(lambda: store.entries() == [])
    dialog.close()
    workspace.close()


def test_recently_deleted_says_when_what_it_keeps_cannot_be_read(
    qtbot: QtBot, services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said nothing while it read the disk (an empty list, as if nothing were kept),
    nor when the read failed (the walk-through's). (The failure is injected: these tests
    run as a user no folder permission stops.)"""
    import errno

    from voiceprint_studio.transfer.trash import RecentlyDeleted

    folder = trash_folder(services)

    def unreadable(_self: RecentlyDeleted) -> list[object]:
        raise OSError(errno.EIO, "Input/output error", str(folder))

    monkeypatch.setattr(RecentlyDeleted, "entries", unreadable)
    workspace = _offline(services)
    dialog = RecentlyDeletedDialog(services, workspace)
    qtbot.addWidget(dialog)
    assert dialog.size_label.text() == "Reading what is kept here…"
    dialog.show()
    qtbot.waitUntil(lambda: "could not be read" in dialog.size_label.text())
    said = dialog.size_label.text()
    assert said.startswith("What is kept here could not be read: ")
    assert str(folder) in said
    assert dialog.tree.topLevelItemCount() == 0
    dialog.close()
    workspace.close()


def test_a_restore_into_a_group_of_its_name_made_again_asks_first(
    services: AppServices, tmp_path: Path
) -> None:
    """The group was deleted, then made again under its name and the person enrolled
    again: the restore goes into that group (found by name), and made a second voiceprint
    of that name unasked. It asks, as into the group it came from; restored anyway, the
    job goes into the group found (not a second group)."""
    from voiceprint_studio.transfer.trash import SameNameError

    workspace = _offline(services)
    client = workspace.coze()
    gid, group = _seeded(client, tmp_path, "lobby", 2)
    store = RecentlyDeleted(trash_folder(services))
    store.keep_group(client, group, {"profile": "offline"})
    client.delete_group(gid)
    again = client.create_group("lobby", "")
    path = tmp_path / "again.wav"
    path.write_bytes(wav_bytes(0.9, freq=300.0))
    client.create_voiceprint(again, "lobby 0", AudioUpload.from_path(path))
    (entry,) = store.entries()
    where = services.where_of(workspace.coze_profile)
    with pytest.raises(SameNameError) as asked:
        store.restore(entry, client, jobs_folder(services), where)
    assert asked.value.names == ["lobby 0"]
    assert [v.name for v in client.iter_voiceprints(again)] == ["lobby 0"]
    result = store.restore(entry, client, jobs_folder(services), where, second_of_name=True)
    assert result.complete
    assert [g.id for g in client.iter_groups() if g.name == "lobby"] == [again]
    names = sorted(v.name for v in client.iter_voiceprints(again))
    assert names == ["lobby 0", "lobby 0", "lobby 1"]
    workspace.close()


def _api_calls_of_a_restore(
    qtbot: QtBot,
    window: Any,
    remote: Loopback,
    monkeypatch: pytest.MonkeyPatch,
    entry: Entry,
    *,
    as_new: bool = False,
) -> list[tuple[str, str]]:
    """The API calls (not audio downloads) the server gets while Recently deleted, opened
    from ``window``, restores ``entry`` (``as_new``: as the dialog's own restore), the
    window's lists after it included."""
    seen = _record_requests(monkeypatch, remote.app)
    window.transfer_actions.trash_action.trigger()
    dialog = window.transfer_actions.dialog
    assert isinstance(dialog, RecentlyDeletedDialog)
    qtbot.waitUntil(lambda: dialog.selected() is not None)
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        dialog.restore(entry, as_new=as_new)
    qtbot.waitUntil(lambda: _window_idle(window))
    dialog.close()
    return _api_calls(seen)


@pytest.mark.parametrize("kind", ["voiceprints", "group gone", "group made again"])
def test_a_restore_in_the_window_spends_no_more_than_it_said(  # noqa: PLR0917 - fixtures
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    """What Recently deleted says a restore spends on the account, the window's lists
    after it included, is not exceeded: into the group it came from, into a group of its
    name made again (found), or into a new one."""
    from voiceprint_studio.ui.transfer.trash_dialog import restore_calls

    gid = _fill_remote(remote, tmp_path, "front desk", 3)
    window = _window_on_the_group(qtbot, services, 3)
    store = RecentlyDeleted(trash_folder(services))
    where = services.where_of(window.workspace.coze_profile)
    with CozeClient(remote.token, remote.url) as client:
        group = next(g for g in client.iter_groups() if g.id == gid)
        if kind == "voiceprints":
            victims = list(client.iter_voiceprints(gid))[:2]
            store.keep_voiceprints(client, group, victims, where)
            for victim in victims:
                client.delete_voiceprint(gid, victim.id)
        else:
            store.keep_group(client, group, where)
            client.delete_group(gid)
            if kind == "group made again":
                client.create_group("front desk")
    window.on_refresh_action_triggered()
    qtbot.waitUntil(lambda: _window_idle(window))
    (entry,) = store.entries()
    api = _api_calls_of_a_restore(qtbot, window, remote, monkeypatch, entry)
    assert len(api) <= restore_calls(entry), api
    with CozeClient(remote.token, remote.url) as client:
        assert [g.name for g in client.iter_groups()].count("front desk") == 1
    window.close()


def test_the_window_switched_to_the_target_during_a_copy_shows_what_came(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """The dialog is not modal: the operator switches the window to the workspace the
    copy goes to, to see it come. When the job ends the window lists that workspace
    again (a copy into another workspace does not list the source's, but this is not
    the source's any more)."""
    _fill_remote(remote, tmp_path, "front desk", 2)
    window = _window_on_the_group(qtbot, services, 2)
    dialog = _copy_dialog_of(qtbot, window)
    offline = next(n for n, p in enumerate(dialog._profiles) if p.offline)
    dialog.workspace_combo.setCurrentIndex(offline)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    window.switch_profile(OFFLINE_COZE)
    qtbot.waitUntil(
        lambda: (
            window.workspace is not None
            and window.workspace.coze_profile.offline
            and _window_idle(window)
        )
    )
    assert window.groups_panel.model.rowCount() == 0
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: window.groups_panel.model.rowCount() == 1)
    assert window.groups_panel.model.record(0).name == "front desk"
    dialog.close()
    window.close()


def test_a_move_that_ends_on_the_minimax_tab_still_updates_the_voiceprint_views(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    """The job's end reloaded only the views of the tab in front: after a move that
    ended while the operator looked at MiniMax, the groups still showed the moved
    voiceprints (and MiniMax was listed for nothing)."""
    from voiceprint_studio.ui.shell.main_window import MINIMAX_TAB

    _fill_remote(remote, tmp_path, "front desk", 2)
    window = _window_on_the_group(qtbot, services, 2)
    dialog = _copy_dialog_of(qtbot, window)
    offline = next(n for n, p in enumerate(dialog._profiles) if p.offline)
    dialog.workspace_combo.setCurrentIndex(offline)
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    dialog.move_radio.setChecked(True)
    window.tabs.setCurrentIndex(MINIMAX_TAB)
    qtbot.waitUntil(lambda: _window_idle(window))
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    assert window.groups_panel.busy and not window.minimax_panel.busy
    qtbot.waitUntil(lambda: _window_idle(window))
    assert window.voiceprints_panel.model.rowCount() == 0
    assert window.groups_panel.model.record(0).feature_count == 0
    dialog.close()
    window.close()


@pytest.mark.parametrize("group_there", [True, False], ids=["group there", "no group"])
def test_audio_from_before_a_replace_restored_from_another_workspace_spends_no_more_than_it_said(  # noqa: PLR0917 - fixtures
    qtbot: QtBot,
    services: AppServices,
    remote: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    group_there: bool,
) -> None:
    """Audio from before a Replace in the offline workspace, restored into the server's
    (another workspace): its voiceprint is looked for first, then a group of its name and
    its names; what the dialog says it spends is not exceeded."""
    from voiceprint_studio.ui.transfer.trash_dialog import restore_calls

    _fill_remote(remote, tmp_path, "front desk" if group_there else "lobby", 1)
    window = _window_on_the_group(qtbot, services, 1)
    offline = _offline(services)
    near = offline.coze()
    gid, group = _seeded(near, tmp_path, "front desk", 1)
    (voiceprint,) = list(near.iter_voiceprints(gid))
    store = RecentlyDeleted(trash_folder(services))
    store.keep_voiceprints(near, group, [voiceprint], where_of(offline.coze_profile), replaced=True)
    (entry,) = store.entries()
    # (as_new: what "Restore here" does)
    api = _api_calls_of_a_restore(qtbot, window, remote, monkeypatch, entry, as_new=True)
    assert len(api) <= restore_calls(entry), api
    window.close()
    offline.close()
