"""Honest cancel and retry: a create that ended without an answer is reconciled, never doubled.

Real parts: the loopback backend over 127.0.0.1 (answering each request 1.5 s after
carrying it out, so an answer can be missed after the voiceprint exists), the
app's journal on disk, and for the kill case a real child process killed with
SIGKILL in the middle of its upload.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from tests.audio_fixtures import long_speech_file
from tests.backend_fixtures import BACKEND_TOKEN, Loopback, SlowThenLost, wav_bytes
from tests.net_fixtures import SlowLink
from tests.ui_fixtures import GatedUploads, MemoryKeyring, age_pending
from voiceprint_studio.api import AudioUpload, CozeClient, Timeouts, Voiceprint
from voiceprint_studio.api.errors import ConnectionLostError, NetworkTimeoutError
from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.local.store import Store
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import (
    CUSTOM_COZE_KEY,
    ConnectionProfile,
    custom_profile,
    keyring_account,
)
from voiceprint_studio.settings.secrets import SERVICE
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.enroll import pending
from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel

ROOT = Path(__file__).resolve().parents[2]
LATENCY = 1.5


@pytest.fixture
def late(tmp_path: Path) -> Iterator[Loopback]:
    """A loopback backend that answers every request 1.5 s after carrying it out."""
    app = create_app(tmp_path / "late", BACKEND_TOKEN, latency=LATENCY)
    try:
        with LoopbackServer(app) as server:
            yield Loopback(server.url, app.token, app)
    finally:
        app.close()


@pytest.fixture
def take(tmp_path: Path) -> Path:
    return long_speech_file(tmp_path / "takes" / "li-na.wav", 6.0)


Connect = Callable[[str], ConnectionProfile]


@pytest.fixture
def connect(services: AppServices, keyring_backend: MemoryKeyring) -> Connect:
    """Point the services' Coze connection at a URL, with the backend's token."""

    def on(url: str) -> ConnectionProfile:
        profile = custom_profile("coze", url)
        services.preferences.set(prefs.COZE_PROFILE, CUSTOM_COZE_KEY)
        services.preferences.set(prefs.COZE_CUSTOM_URL, url)
        keyring_backend.set_password(SERVICE, keyring_account(profile), BACKEND_TOKEN)
        return profile

    return on


def _group_record(client: CozeClient, group_id: str):  # type: ignore[no-untyped-def]
    return next(g for g in client.list_groups(1, 50).items if g.id == group_id)


@pytest.fixture
def panel(qtbot: QtBot, services: AppServices) -> Iterator[VoiceprintsPanel]:
    panel = VoiceprintsPanel(services, ErrorPresenter())
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    yield panel
    panel.shutdown()
    QThreadPool.globalInstance().waitForDone(5000)
    if panel.workspace is not None:
        panel.workspace.close()


def _show_group(qtbot: QtBot, panel: VoiceprintsPanel, services: AppServices, gid: str) -> None:
    workspace = services.new_workspace()
    panel.set_workspace(workspace)
    group = _group_record(workspace.coze(), gid)
    panel.set_group(group)
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)


def _names(panel: VoiceprintsPanel) -> list[str]:
    return [v.name for v in panel.model.records()]


def test_late_cancel_is_reconciled_and_retry_does_not_duplicate(
    qtbot: QtBot, connect: Connect, late: Loopback, panel: VoiceprintsPanel, take: Path
) -> None:
    services = panel.services
    connect(late.url)
    store = late.app.store
    gid = store.create_group("Front desk").id
    _show_group(qtbot, panel, services, gid)
    panel.new_action.trigger()
    dialog = panel.last_dialog
    assert dialog is not None and dialog.fields is not None
    dialog.fields.name_edit.setText("Li Na")
    dialog.set_path(take)
    if dialog.duplicate_box is not None:
        dialog.duplicate_box.setChecked(False)
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.ok_button.click()
    # The server has saved it; its answer is still 1.5 s away. Cancel now.
    qtbot.waitUntil(lambda: store.list_features(gid)[1] == 1, timeout=10000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=2000)  # at once, not after the answer
    assert "may have been added" in dialog.message_label.text()
    assert dialog.ok_button.text() == "Retry"
    # The view reloads the group and reconciles.
    qtbot.waitUntil(lambda: "was added after all" in panel.state_label.text(), timeout=10000)
    assert panel.state_label.text() == "“Li Na” was added after all."
    assert _names(panel) == ["Li Na"]
    # Retry looks first: no second voiceprint.
    with qtbot.waitSignal(dialog.finished, timeout=10000):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: not panel.busy and not panel.loading, timeout=10000)
    assert store.list_features(gid)[1] == 1
    assert panel.state_label.text() == "“Li Na” was added after all."
    assert take.exists()


def test_cancel_before_the_body_is_sent_saves_nothing_in_the_view(
    qtbot: QtBot, connect: Connect, loopback: Loopback, panel: VoiceprintsPanel, tmp_path: Path
) -> None:
    services = panel.services
    big = tmp_path / "long.wav"
    long_speech_file(big, 120.0)  # 3.8 MB through a 256 KB/s link
    store = loopback.app.store
    gid = store.create_group("Front desk").id
    port = int(loopback.url.rsplit(":", 1)[1])
    with SlowLink(port, rate=128 * 1024) as link:
        connect(link.url)
        _show_group(qtbot, panel, services, gid)
        panel.new_action.trigger()
        dialog = panel.last_dialog
        assert dialog is not None and dialog.fields is not None
        dialog.fields.name_edit.setText("Li Na")
        dialog.set_path(big)
        if dialog.duplicate_box is not None:
            dialog.duplicate_box.setChecked(False)
        qtbot.waitUntil(dialog.ok_button.isEnabled)
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: link.forwarded > 256 * 1024, timeout=10000)
        dialog.cancel_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=2000)
        assert dialog.message_label.text().startswith(
            "The upload was cancelled before the file was sent; nothing was saved."
        )
        link.client_closed.wait(5)
        reached = link.forwarded
    assert reached < big.stat().st_size
    assert store.list_features(gid)[1] == 0
    assert services.pending_journal().entries() == []
    assert big.exists()


def test_timeout_then_retry_finds_the_voiceprint(
    services: AppServices, late: Loopback, take: Path
) -> None:
    """No answer within the read timeout: uncertain, reconciled, and Retry does not double."""
    store = late.app.store
    gid = store.create_group("Front desk").id
    journal = services.pending_journal()
    connection = pending.connection_key(custom_profile("coze", late.url))
    audio = AudioUpload.from_path(take)
    timeouts = Timeouts(read=0.5)
    with CozeClient(late.token, late.url, timeouts=timeouts, max_attempts=1) as client:
        with pytest.raises(NetworkTimeoutError):
            pending.create_once(
                client,
                journal,
                connection=connection,
                group_id=gid,
                group_name="Front desk",
                name="Li Na",
                audio=audio,
                known_ids=[],
            )
        [entry] = journal.entries()
        assert entry.state == pending.UNCERTAIN and entry.path == str(take)
        assert "pat_" not in journal.path.read_text(encoding="utf-8")  # never the token
    with CozeClient(late.token, late.url) as client:
        settled = pending.reconcile(client, journal, connection, gid)
        assert [(s.state, s.entry.name) for s in settled] == [("added", "Li Na")]
        assert pending.settled_text(settled[0]) == "“Li Na” was added after all."
        outcome = pending.create_once(
            client,
            journal,
            connection=connection,
            group_id=gid,
            group_name="Front desk",
            name="Li Na",
            audio=audio,
        )
    assert outcome.existing
    assert store.list_features(gid)[1] == 1
    assert take.exists()


_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from voiceprint_studio.api import AudioUpload, CozeClient
    from voiceprint_studio.ui.enroll import pending

    url, token, gid, take, journal_path, connection = sys.argv[1:]
    def progress(done, total):
        if done >= total:
            print("sent", flush=True)
    with CozeClient(token, url) as client:
        pending.create_once(
            client, pending.PendingJournal(Path(journal_path)), connection=connection,
            group_id=gid, group_name="Front desk", name="Li Na",
            audio=AudioUpload.from_path(take), progress=progress,
        )
    print("answered", flush=True)
    """
)


def _upload_in_child(
    url: str, gid: str, take: Path, journal: Path, connection: str
) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            _CHILD,
            url,
            BACKEND_TOKEN,
            gid,
            str(take),
            str(journal),
            connection,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _retry_li_na(
    client: CozeClient,
    journal: pending.PendingJournal,
    profile: ConnectionProfile,
    gid: str,
    take: Path,
) -> pending.CreateOutcome:
    """A Retry of "Li Na" into the group "Front desk" (the wizard's or the dialog's)."""
    return pending.create_once(
        client,
        journal,
        connection=pending.connection_key(profile),
        group_id=gid,
        group_name="Front desk",
        name="Li Na",
        audio=AudioUpload.from_path(take),
    )


def test_app_killed_mid_upload_is_reconciled_on_the_next_view(
    qtbot: QtBot, connect: Connect, late: Loopback, panel: VoiceprintsPanel, take: Path
) -> None:
    services = panel.services
    store = late.app.store
    gid = store.create_group("Front desk").id
    profile = connect(late.url)
    journal = services.pending_journal()
    child = _upload_in_child(late.url, gid, take, journal.path, pending.connection_key(profile))
    try:
        qtbot.waitUntil(lambda: store.list_features(gid)[1] == 1, timeout=20000)
        child.send_signal(signal.SIGKILL)  # the answer is still on its way
        child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    [entry] = journal.entries()  # left behind by the dead process
    assert entry.state == pending.SENDING and entry.session != pending.SESSION

    _show_group(qtbot, panel, services, gid)  # the next view of that group
    assert panel.state_label.text() == "“Li Na” was added after all."
    assert _names(panel) == ["Li Na"]
    # A Retry (the wizard or the dialog sending the same take again) does not double it.
    with CozeClient(late.token, late.url) as client:
        outcome = _retry_li_na(client, journal, profile, gid, take)
    assert outcome.existing
    assert store.list_features(gid)[1] == 1
    assert take.exists()


def test_app_killed_before_the_server_saved_it_says_check_first(
    qtbot: QtBot, connect: Connect, loopback: Loopback, panel: VoiceprintsPanel, tmp_path: Path
) -> None:
    services = panel.services
    big = tmp_path / "long.wav"
    long_speech_file(big, 120.0)
    store = loopback.app.store
    gid = store.create_group("Front desk").id
    port = int(loopback.url.rsplit(":", 1)[1])
    with SlowLink(port, rate=128 * 1024) as link:
        profile = connect(link.url)
        journal = services.pending_journal()
        child = _upload_in_child(link.url, gid, big, journal.path, pending.connection_key(profile))
        try:
            qtbot.waitUntil(lambda: link.forwarded > 256 * 1024, timeout=20000)
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
        link.client_closed.wait(5)
        assert store.list_features(gid)[1] == 0
        _show_group(qtbot, panel, services, gid)
        assert panel.state_label.text() == (
            "“Li Na” may have been added — check the list before retrying."
        )
        assert _names(panel) == []
        # Retry at once: the list shows nothing, but the service may still be carrying
        # the upload out -- nothing is sent (it could be added twice)
        with CozeClient(BACKEND_TOKEN, loopback.url) as client:
            with pytest.raises(pending.StillSettlingError) as waiting:
                _retry_li_na(client, journal, profile, gid, big)
            assert 0 < waiting.value.seconds_left <= pending.SETTLE_SECONDS
            assert store.list_features(gid)[1] == 0 and len(journal.entries()) == 1
            # ... once it cannot land any more: sent once
            age_pending(journal)
            outcome = _retry_li_na(client, journal, profile, gid, big)
    assert not outcome.existing
    assert store.list_features(gid)[1] == 1
    assert journal.entries() == []


# -- the journal's rules, without a server ------------------------------------------------


def _voiceprint(vid: str, name: str, created: float) -> Voiceprint:
    return Voiceprint(vid, name=name, created_at=datetime.fromtimestamp(created, timezone.utc))


def _entry(**changes: object) -> pending.PendingCreate:
    base = pending.PendingCreate(
        id="e1",
        connection="coze|custom|http://x",
        group_id="g",
        group_name="G",
        name="Li Na",
        path="/takes/li-na.wav",
        started=1000.0,
        state=pending.UNCERTAIN,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_match_is_the_name_and_a_new_id_or_a_recent_creation() -> None:
    known = _entry(known_ids=("old",))
    assert known.matches(_voiceprint("new", "Li Na", 0.0))
    assert not known.matches(_voiceprint("old", "Li Na", 2000.0))  # was there before
    assert not known.matches(_voiceprint("new", "Wang Fang", 2000.0))
    unknown = _entry()
    assert unknown.matches(_voiceprint("a", " Li Na ", 1000.0 - pending.CLOCK_SLACK_SECONDS))
    assert not unknown.matches(_voiceprint("a", "Li Na", 1000.0 - 2 * pending.CLOCK_SLACK_SECONDS))


def test_settling_says_added_unknown_or_not_added(tmp_path: Path) -> None:
    journal = pending.PendingJournal(tmp_path / "journal.json")
    found, young, old = (
        _entry(id="a"),
        _entry(id="b", name="Wang Fang"),
        _entry(id="c", name="Zhao Lei"),
    )
    for entry in (found, young, old):
        journal.add(entry)
    old_started = 1000.0 - pending.SETTLE_SECONDS - 1
    journal.remove(["c"])
    journal.add(dataclasses.replace(old, started=old_started))
    results = pending.settle(
        journal.entries(), [_voiceprint("v1", "Li Na", 1000.0)], journal, now=lambda: 1010.0
    )
    assert [(r.entry.id, r.state) for r in results] == [
        ("a", "added"),
        ("b", "unknown"),
        ("c", "not_added"),
    ]
    assert pending.settled_text(results[2]) == (
        "“Zhao Lei” was not added: its upload was interrupted. "
        "The recording is kept in /takes/li-na.wav."
    )
    left = {e.id: e for e in journal.entries()}
    assert set(left) == {"a", "b"}  # "a" kept as added (a Retry finds it), "b" still open
    assert left["a"].state == pending.ADDED and left["a"].voiceprint_id == "v1"


def test_an_unreadable_journal_is_ignored_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_text("{not json", encoding="utf-8")
    journal = pending.PendingJournal(path)
    assert journal.entries() == []
    journal.add(_entry())
    assert [e.id for e in journal.entries()] == ["e1"]
    journal.remove(["e1"])
    assert not path.exists()


def test_a_full_disk_after_the_create_neither_fails_it_nor_lets_a_retry_add_it_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's duplicate: the journal could not be rewritten after a create that
    worked (a full disk); the Add failed with the OSError, and Retry sent it again. Now
    the Add is done (the change holds in memory for this run), and a create that got no
    answer while the disk was full is still looked for before it is sent again."""
    import errno

    app = create_app(tmp_path / "ws", BACKEND_TOKEN)
    client = CozeClient(app.token, "http://localhost", transport=httpx.WSGITransport(app=app))
    gid = client.create_group("team")
    take = tmp_path / "take.wav"
    take.write_bytes(wav_bytes(0.3))
    journal = pending.PendingJournal(tmp_path / "pending-uploads.json")
    journal.add(_entry(id="other", group_id="g2"))  # another upload's, so the file stays
    real_write = pending.PendingJournal._write
    full = [False]

    def write(self: pending.PendingJournal, entries: list[pending.PendingCreate]) -> None:
        if full[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, entries)

    monkeypatch.setattr(pending.PendingJournal, "_write", write)
    real_create = client.create_voiceprint
    outcome: list[str] = []

    def create(*args: object, **kwargs: object) -> str:
        made = real_create(*args, **kwargs)  # type: ignore[arg-type]
        full[0] = True  # the disk fills while the answer comes back
        if outcome:  # the second: made, but its answer is lost
            raise NetworkTimeoutError(service="coze", endpoint="create", request_sent=True)
        outcome.append(made)
        return made

    monkeypatch.setattr(client, "create_voiceprint", create)
    args = {"connection": "c", "group_id": gid, "group_name": "team", "known_ids": []}
    done = pending.create_once(
        client, journal, name="Li Na", audio=AudioUpload.from_path(take), **args
    )  # type: ignore[arg-type]
    assert done.id == outcome[0] and not done.existing
    assert [e.id for e in journal.entries()] == ["other"]  # for this run, though not on disk
    full[0] = False
    with pytest.raises(NetworkTimeoutError):
        pending.create_once(client, journal, name="Wang", audio=AudioUpload.from_path(take), **args)  # type: ignore[arg-type]
    (uncertain,) = [e for e in journal.entries() if e.name == "Wang"]
    assert uncertain.state == pending.UNCERTAIN  # in memory: the file could not say it
    again = pending.create_once(
        client, journal, name="Wang", audio=AudioUpload.from_path(take), **args
    )  # type: ignore[arg-type]
    assert again.existing  # looked for first, not sent again
    assert sorted(v.name for v in client.iter_voiceprints(gid)) == ["Li Na", "Wang"]
    client.close()
    app.close()


def test_two_processes_sharing_the_journal_lose_no_entry(tmp_path: Path) -> None:
    """The reviewer's: two app windows (processes) on Coze rewrote the journal through one
    temporary file and without a lock between them: entries of unanswered creates vanished
    (a Retry would then send them again)."""
    child = textwrap.dedent(
        """
        import sys, time, uuid
        from pathlib import Path
        from voiceprint_studio.ui.enroll.pending import PendingCreate, PendingJournal

        journal, who, lost = PendingJournal(Path(sys.argv[1])), sys.argv[2], 0
        for n in range(150):
            entry = PendingCreate(id=uuid.uuid4().hex, connection="c", group_id="g",
                                  group_name="g", name=f"{who}{n}", path="/x.wav",
                                  started=time.time())
            journal.add(entry)
            journal.set_state(entry.id, "uncertain")
            fresh = PendingJournal(journal.path)  # what another window reads
            lost += not any(e.id == entry.id for e in fresh.entries())
            journal.remove([entry.id])
        print(lost)
        """
    )
    path = tmp_path / "pending-uploads.json"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", child, str(path), who], stdout=subprocess.PIPE, text=True
        )
        for who in ("A", "B")
    ]
    lost = [int(c.communicate(timeout=120)[0].strip()) for c in children]
    assert [c.returncode for c in children] == [0, 0]
    assert lost == [0, 0]


class _SlowFirstCreate(httpx.BaseTransport):
    """The real backend; the first voiceprint create times out for the client, and the
    service carries it out later, when :meth:`land` is called."""

    def __init__(self, app: BackendApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.creates = 0
        self._held: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/features"):
            self.creates += 1
            if self.creates == 1:
                request.read()
                self._held.append(request)
                raise httpx.ReadTimeout("timed out", request=request)
        return self.inner.handle_request(request)

    def land(self) -> None:
        """The service carries out the create it did not answer."""
        for request in self._held:
            self.inner.handle_request(request).close()
        self._held.clear()


def test_a_step_of_the_computers_clock_does_not_let_a_retry_send_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's duplicate: a create got no answer while the service was still making
    it; the computer's clock then stepped 200 s ahead (a time sync), and Retry took the
    first create as over and sent it again. This run's sends are timed on the monotonic
    clock too."""
    import time

    app = create_app(tmp_path / "ws", BACKEND_TOKEN)
    slow = _SlowFirstCreate(app)
    client = CozeClient(app.token, "http://localhost", transport=slow)
    gid = client.create_group("team")
    take = tmp_path / "take.wav"
    take.write_bytes(wav_bytes(0.3))
    journal = pending.PendingJournal(tmp_path / "pending-uploads.json")
    args = {"connection": "c", "group_id": gid, "group_name": "team", "name": "Li Na"}
    with pytest.raises(NetworkTimeoutError):
        pending.create_once(
            client, journal, audio=AudioUpload.from_path(take), known_ids=[], **args
        )  # type: ignore[arg-type]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 200)  # the clock steps ahead
    with pytest.raises(pending.StillSettlingError):
        pending.create_once(client, journal, audio=AudioUpload.from_path(take), **args)  # type: ignore[arg-type]
    slow.land()
    again = pending.create_once(client, journal, audio=AudioUpload.from_path(take), **args)  # type: ignore[arg-type]
    assert again.existing and slow.creates == 1
    assert [v.name for v in client.iter_voiceprints(gid)] == ["Li Na"]
    client.close()
    app.close()


def test_a_retry_right_after_a_slow_upload_that_got_no_answer_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upload took 200 s (slow link), then got no answer: the 180 s the service may
    still need counted from its start, so Retry at once sent it again."""
    import time

    real_time, real_monotonic = time.time, time.monotonic
    offset = [0.0]
    monkeypatch.setattr(time, "time", lambda: real_time() + offset[0])
    monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + offset[0])

    app = create_app(tmp_path / "ws", BACKEND_TOKEN)
    slow = SlowThenLost(app, offset, 200.0)
    client = CozeClient(app.token, "http://localhost", transport=slow)
    gid = client.create_group("team")
    take = tmp_path / "take.wav"
    take.write_bytes(wav_bytes(0.3))
    journal = pending.PendingJournal(tmp_path / "pending-uploads.json")
    args = {"connection": "c", "group_id": gid, "group_name": "team", "name": "Li Na"}
    with pytest.raises(NetworkTimeoutError):
        pending.create_once(client, journal, audio=AudioUpload.from_path(take), **args)  # type: ignore[arg-type]
    with pytest.raises(pending.StillSettlingError):
        pending.create_once(client, journal, audio=AudioUpload.from_path(take), **args)  # type: ignore[arg-type]
    assert slow.creates == 1
    client.close()
    app.close()


def test_a_state_this_run_wrote_does_not_overwrite_what_another_process_found_later(
    tmp_path: Path,
) -> None:
    """Process A marked a create uncertain; process B then found it and marked it added.
    A's next, unrelated write put "uncertain" back (its in-memory state was re-applied)."""
    import time

    path = tmp_path / "pending-uploads.json"
    first, second = pending.PendingJournal(path), pending.PendingJournal(path)
    first.add(_entry(id="e1", started=time.time() - 10, state=pending.SENDING))
    first.set_state("e1", pending.UNCERTAIN, ended=time.time())
    second.set_state("e1", pending.ADDED, "vp-123")
    first.add(_entry(id="e2", name="Wang", started=time.time()))
    after = {e.id: (e.state, e.voiceprint_id) for e in pending.PendingJournal(path).entries()}
    assert after["e1"] == (pending.ADDED, "vp-123")


def test_a_voiceprint_is_this_create_by_the_service_clock_or_a_new_id() -> None:
    # the group's ids unknown (the wizard, a multi-group add): the time tells, put on this
    # computer's clock with how far it is ahead of the service's
    entry = _entry()  # started at 1000 on this computer's clock
    assert entry.surely(_voiceprint("a", "Li Na", 1000.0 + 5), clock_ahead=0.0)
    assert entry.surely(_voiceprint("a", "Li Na", 1000.0 - 1), clock_ahead=0.0)  # stamping
    earlier = _voiceprint("a", "Li Na", 1000.0 - 240)  # made four minutes before the start
    assert entry.matches(earlier) and not entry.surely(earlier, clock_ahead=0.0)
    # the reviewer's: the service's clock 5 s behind, this create's voiceprint reads 5 s
    # early -- still it
    assert entry.surely(_voiceprint("a", "Li Na", 1000.0 - 4), clock_ahead=5.0)
    assert not entry.surely(_voiceprint("a", "Li Na", 1000.0 - 4), clock_ahead=0.0)
    # the service's clock not known: anything of the name in the slack, as always
    assert entry.surely(earlier, clock_ahead=None)
    # the ids known: a new id is surely it, whatever the clocks say
    assert _entry(known_ids=("old",)).surely(earlier, clock_ahead=0.0)


def _make_older(store: Store, vid: str, seconds: int) -> None:
    """Stamp a voiceprint of the offline backend as made ``seconds`` earlier."""
    with store._conn() as conn:
        conn.execute("UPDATE features SET created_at = created_at - ? WHERE id = ?", (seconds, vid))


def test_retry_never_takes_an_earlier_enrollment_of_the_name_for_the_lost_create(
    services: AppServices, store: Store, tmp_path: Path
) -> None:
    # The reviewer's case: "Li Na" enrolled minutes ago; she is enrolled again from the
    # wizard (no ids known), and the connection breaks after the body -- the service
    # never made it. Retry took the old "Li Na" for it ("added after all"): the new take
    # was never sent.
    gate = GatedUploads(services.offline.transport())
    services.transport_factory = lambda p: gate if p.service == "coze" else None
    workspace = services.new_workspace()
    try:
        client = workspace.coze()
        journal = services.pending_journal()
        connection = pending.connection_key(workspace.coze_profile)
        group = store.create_group("Front desk")
        first = tmp_path / "first.wav"
        first.write_bytes(wav_bytes(3.0, freq=220.0))
        old = client.create_voiceprint(group.id, "Li Na", AudioUpload.from_path(first))
        _make_older(store, old, 240)
        second = tmp_path / "second.wav"
        second.write_bytes(wav_bytes(3.0, freq=330.0))

        def retry() -> pending.CreateOutcome:
            return pending.create_once(
                client,
                journal,
                connection=connection,
                group_id=group.id,
                group_name=group.name,
                name="Li Na",
                audio=AudioUpload.from_path(second),
            )

        gate.break_next = 1
        with pytest.raises(ConnectionLostError) as lost:
            retry()
        assert pending.uncertain_failure(lost.value)
        # right after: it may still land -- wait, nothing sent
        with pytest.raises(pending.StillSettlingError):
            retry()
        # the view's next load: not added (the old one was made before it started)
        age_pending(journal)
        [settled] = pending.reconcile(client, journal, connection, group.id)
        assert settled.state == "not_added" and str(second) in pending.settled_text(settled)
        assert journal.entries() == [] and second.exists()
        [only] = [v.id for v in client.iter_voiceprints(group.id)]
        assert only == old  # nothing taken for "added"

        # the same from the dialog's Retry: the recording is sent, as the operator asked
        gate.break_next = 1
        with pytest.raises(ConnectionLostError):
            retry()
        age_pending(journal)
        outcome = retry()
        assert not outcome.existing and outcome.id != old
        names = sorted(v.name for v in client.iter_voiceprints(group.id))
        assert names == ["Li Na", "Li Na"]
    finally:
        workspace.close()


class ServiceClockBehind(httpx.BaseTransport):
    """Passes requests on; every answer's ``Date`` reads ``seconds`` early (a service
    whose clock runs behind this computer's)."""

    def __init__(self, inner: httpx.BaseTransport, seconds: int) -> None:
        self.inner = inner
        self.seconds = seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        from email.utils import format_datetime, parsedate_to_datetime

        response = self.inner.handle_request(request)
        said = response.headers.get("date")
        if said:
            earlier = parsedate_to_datetime(said).timestamp() - self.seconds
            response.headers["date"] = format_datetime(
                datetime.fromtimestamp(earlier, timezone.utc), usegmt=True
            )
        return response


def test_retry_finds_its_own_create_when_the_service_clock_is_behind(
    services: AppServices, store: Store, tmp_path: Path
) -> None:
    # the second reviewer's: the service's clock 5 s behind; the create was made and its
    # answer lost; its voiceprint reads 5 s before the start, and a Retry that took it for
    # an earlier enrollment would send the take a second time
    gate = GatedUploads(ServiceClockBehind(services.offline.transport(), 5))
    services.transport_factory = lambda p: gate if p.service == "coze" else None
    workspace = services.new_workspace()
    try:
        client = workspace.coze()
        journal = services.pending_journal()
        group = store.create_group("Front desk")
        take = tmp_path / "take.wav"
        take.write_bytes(wav_bytes(3.0))

        def create() -> pending.CreateOutcome:
            return pending.create_once(
                client,
                journal,
                connection=pending.connection_key(workspace.coze_profile),
                group_id=group.id,
                group_name=group.name,
                name="Li Na",
                audio=AudioUpload.from_path(take),
            )

        gate.lose_answer_next = True
        with pytest.raises(ConnectionLostError):
            create()
        [made] = [v.id for v in client.iter_voiceprints(group.id)]
        _make_older(store, made, 5)  # stamped by the service's clock, 5 s behind
        outcome = create()  # Retry
        assert outcome.existing and outcome.id == made
        assert [v.id for v in client.iter_voiceprints(group.id)] == [made]  # not twice
        # Date has whole seconds (cut, not rounded) and is read when the answer arrives:
        # 5 s, plus under a second of the cut, plus the answer's way back
        assert client.clock_ahead is not None and 5 <= client.clock_ahead < 7
    finally:
        workspace.close()
