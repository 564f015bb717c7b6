"""Issue 10, data loss: an empty, missing or damaged database, or a second process on the
same folder, never costs a recording. Real files, real processes (the loopback server run
with ``python -m voiceprint_studio.local``), real SQLite corruption."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.backend_fixtures import pcm_bytes, wav_bytes
from tests.unit.test_local_cli import _read_lines
from voiceprint_studio.local.store import NewAudio, Store
from voiceprint_studio.local.workspace import (
    BUSY_MESSAGE,
    WorkspaceBusyError,
    WorkspaceDamagedError,
    audio_files,
    list_quarantine,
)
from voiceprint_studio.ui.common.session import OfflineBackend

GROUPS = "/v1/audio/voiceprint_groups"
SERVER = [sys.executable, "-m", "voiceprint_studio.local", "--port", "0", "--no-engine"]


def _seed(data_dir: Path) -> dict[str, tuple[str, str, str]]:
    """Three groups, five voiceprints (wav and pcm), one renamed group and one renamed
    voiceprint; return ``{audio_file: (group name, voiceprint name, voiceprint desc)}``."""
    store = Store(data_dir)
    try:
        a = store.create_group("家人", "家里的人")
        b = store.create_group("同事")
        store.create_group("空组")  # no recording: cannot come back from sidecars
        made = [
            store.create_feature(a.id, "外婆", "慢", NewAudio(wav_bytes(0.5), "wav")),
            store.create_feature(a.id, "外公", "", NewAudio(pcm_bytes(0.4), "pcm")),
            store.create_feature(b.id, "Alice", "x", NewAudio(wav_bytes(0.3, freq=330), "wav")),
            store.create_feature(b.id, "Bob", "", NewAudio(wav_bytes(0.6, freq=500), "wav")),
            store.create_feature(b.id, "Carol", "", NewAudio(wav_bytes(0.2, freq=600), "wav")),
        ]
        store.update_group(b.id, name="同事们")
        store.update_feature(b.id, made[3].id, name="Bobby", desc="改过")
        replaced = store.update_feature(
            a.id, made[0].id, audio=NewAudio(wav_bytes(0.7, freq=250), "wav")
        )
        out = {}
        for group in store.list_groups(page_size=50)[0]:
            for f in store.all_features(group.id):
                out[f.audio_file] = (group.name, f.name, f.desc)
        assert replaced.audio_file in out
        assert len(out) == 5
        return out
    finally:
        store.close()


def _snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every recording of the workspace (audio and quarantine folders) by name."""
    files = audio_files(data_dir / "audio") + audio_files(data_dir / "quarantine")
    return {p.name: p.read_bytes() for p in files}


def _catalogue(store: Store) -> dict[str, tuple[str, str, str]]:
    out = {}
    for group in store.list_groups(page_size=50)[0]:
        for f in store.all_features(group.id):
            assert store.audio_path(f.audio_file) is not None
            out[f.audio_file] = (group.name, f.name, f.desc)
    return out


def _damage(data_dir: Path, how: str) -> None:
    db = data_dir / "backend.sqlite3"
    if how == "empty":
        db.write_bytes(b"")  # "truncate to 0 bytes"
    elif how == "missing":
        db.unlink()
    elif how == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    else:  # a page in the middle overwritten: opens, but PRAGMA quick_check fails
        data = bytearray(db.read_bytes())
        data[2 * 4096 : 3 * 4096] = b"\xa5" * 4096
        db.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_empty_or_missing_database_deletes_no_audio_in_the_app(
    tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "offline-workspace"
    _seed(data_dir)
    _damage(data_dir, how)
    before = _snapshot(data_dir)
    files_before = sorted(p.name for p in data_dir.rglob("*"))
    backend = OfflineBackend(data_dir)  # what the app opens on its first call
    with caplog.at_level(logging.ERROR), pytest.raises(WorkspaceDamagedError) as caught:
        backend.app()
    assert caught.value.problem.kind == how
    assert caught.value.problem.audio_files == 5
    assert how in str(caught.value)
    assert any(how in r.getMessage() for r in caplog.records)  # logged, not silent
    # nothing was changed: 5 of 5 recordings, every sidecar, the 0-byte file itself
    assert _snapshot(data_dir) == before
    assert len(before) == 5
    assert sorted(p.name for p in data_dir.rglob("*")) == files_before
    # and the workspace is free again (the lock went with the failed open)
    with pytest.raises(WorkspaceDamagedError):
        Store(data_dir)


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_empty_or_missing_database_deletes_no_audio_on_the_server(tmp_path: Path, how: str) -> None:
    data_dir = tmp_path / "data"
    seeded = _seed(data_dir)
    _damage(data_dir, how)
    before = _snapshot(data_dir)
    done = subprocess.run(  # noqa: PLW1510  (the exit status is asserted)
        [*SERVER, "--data", str(data_dir)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 4
    assert f"the database file is {how}" in done.stderr
    assert "--rebuild" in done.stderr
    assert done.stdout == ""  # it never started serving
    assert _snapshot(data_dir) == before
    assert len(before) == 5

    # --rebuild serves the rebuilt catalogue
    proc = subprocess.Popen(
        [*SERVER, "--data", str(data_dir), "--rebuild"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    try:
        url, token = (line.split(" ", 1)[1] for line in _read_lines(proc, 2))
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
            items = c.get(GROUPS, params={"page_size": 50}).json()["data"]["items"]
            names = {g["name"]: g["feature_count"] for g in items}
            assert names == {"家人": 2, "同事们": 3}
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert b"2 group(s) and 5 voiceprint(s) rebuilt" in err
    assert _snapshot(data_dir) == before
    store = Store(data_dir)
    try:
        assert _catalogue(store) == seeded
    finally:
        store.close()


@pytest.mark.parametrize("how", ["garbage", "page"])
def test_corrupt_database_is_kept_aside_and_rebuilt_from_sidecars(tmp_path: Path, how: str) -> None:
    data_dir = tmp_path / "data"
    seeded = _seed(data_dir)
    store = Store(data_dir)
    ids = {
        f.audio_file: (g.id, f.id, f.user_id, f.created_at)
        for g in store.list_groups(page_size=50)[0]
        for f in store.all_features(g.id)
    }
    store.close()
    _damage(data_dir, how)
    broken = (data_dir / "backend.sqlite3").read_bytes()
    before = _snapshot(data_dir)

    with pytest.raises(WorkspaceDamagedError) as caught:
        Store(data_dir)
    assert caught.value.problem.kind == "corrupt"
    assert (data_dir / "backend.sqlite3").read_bytes() == broken  # untouched until asked

    store = Store(data_dir, recovery="rebuild")
    try:
        report = store.recovery_report
        assert report is not None
        assert (report.groups, report.voiceprints, report.quarantined) == (2, 5, 0)
        # the damaged file is kept aside, byte for byte, with a timestamped name
        (aside,) = (p for p in report.set_aside if not p.name.endswith(("-wal", "-shm")))
        assert aside.name.startswith("backend.sqlite3.damaged-")
        assert aside.read_bytes() == broken
        # names, descriptions, groups, ids, creators and times are back; audio identical
        assert _catalogue(store) == seeded
        assert {
            f.audio_file: (g.id, f.id, f.user_id, f.created_at)
            for g in store.list_groups(page_size=50)[0]
            for f in store.all_features(g.id)
        } == ids
        assert _snapshot(data_dir) == before
        assert store.integrity_check() == "ok"
    finally:
        store.close()
    with sqlite3.connect(data_dir / "backend.sqlite3") as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_rebuild_quarantines_recordings_without_a_sidecar(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seeded = _seed(data_dir)
    lost = next(iter(seeded))
    (data_dir / "audio" / f"{lost}.json").unlink()
    (data_dir / "audio" / "999-copied-by-hand.wav").write_bytes(b"RIFF by hand")
    before = _snapshot(data_dir)
    _damage(data_dir, "garbage")
    store = Store(data_dir, recovery="rebuild")
    try:
        assert store.recovery_report is not None
        assert store.recovery_report.voiceprints == 4
        assert sorted(store.quarantined_on_open) == sorted([lost, "999-copied-by-hand.wav"])
        listed = {q.path.name: q for q in store.quarantined()}
        assert set(listed) == {lost, "999-copied-by-hand.wav"}
        assert listed[lost].group_name is None  # its sidecar was gone
        del seeded[lost]
        assert _catalogue(store) == seeded
    finally:
        store.close()
    assert _snapshot(data_dir) == before  # 6 of 6 recordings kept


def test_a_failed_rebuild_leaves_the_workspace_asking_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    seeded = _seed(data_dir)
    _damage(data_dir, "page")
    before = _snapshot(data_dir)

    def broken(_self: Store) -> tuple[int, int]:
        raise OSError(28, "No space left on device")  # injected: the disk filled up

    monkeypatch.setattr(Store, "_rebuild_from_sidecars", broken)
    with pytest.raises(OSError, match="No space"):
        Store(data_dir, recovery="rebuild")
    monkeypatch.undo()
    # the half-made database is gone: the next open asks again instead of sweeping
    with pytest.raises(WorkspaceDamagedError) as caught:
        Store(data_dir)
    assert caught.value.problem.kind == "missing"
    assert _snapshot(data_dir) == before
    assert len(list(data_dir.glob("backend.sqlite3.damaged-*"))) == 1
    store = Store(data_dir, recovery="rebuild")
    try:
        assert _catalogue(store) == seeded
    finally:
        store.close()


def test_start_empty_keeps_every_recording_in_quarantine(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seeded = _seed(data_dir)
    _damage(data_dir, "empty")
    before = _snapshot(data_dir)
    store = Store(data_dir, recovery="empty")
    try:
        assert store.list_groups()[1] == 0
        assert sorted(store.quarantined_on_open) == sorted(seeded)
        listed = {q.path.name: (q.group_name, q.voiceprint_name) for q in store.quarantined()}
        assert listed == {name: (g, v) for name, (g, v, _d) in seeded.items()}
    finally:
        store.close()
    assert _snapshot(data_dir) == before
    assert audio_files(data_dir / "audio") == []
    assert list((data_dir / "quarantine").glob("*.json"))  # sidecars travelled along


def test_orphan_is_quarantined_and_listed_by_the_cli(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _seed(data_dir)
    orphan = data_dir / "audio" / "7400000000000000000-0badf00d.wav"
    orphan.write_bytes(wav_bytes(0.3))
    store = Store(data_dir)
    store.close()
    assert not orphan.exists()
    kept = data_dir / "quarantine" / orphan.name
    assert kept.read_bytes() == wav_bytes(0.3)
    assert [q.path for q in list_quarantine(data_dir)] == [kept]
    done = subprocess.run(  # noqa: PLW1510  (the exit status is asserted)
        [*SERVER, "--data", str(data_dir), "--list-quarantine"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.split("\t")[0] == str(kept)


@pytest.fixture
def server_on(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[bytes], httpx.Client]]:
    """``python -m voiceprint_studio.local`` serving ``tmp_path/data`` in its own process."""
    data_dir = tmp_path / "data"
    proc = subprocess.Popen(
        [*SERVER, "--data", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    try:
        url, token = (line.split(" ", 1)[1] for line in _read_lines(proc, 2))
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            yield data_dir, proc, client
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def _upload(client: httpx.Client, gid: str, n: int) -> str:
    files = {"file": (f"{n}.wav", wav_bytes(0.3, freq=200 + n))}
    body = client.post(f"{GROUPS}/{gid}/features", data={"name": f"v{n}"}, files=files).json()
    assert body["code"] == 0, body
    return str(body["data"]["id"])


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_second_process_on_a_workspace_is_refused_and_nothing_is_lost(
    server_on: tuple[Path, subprocess.Popen[bytes], httpx.Client],
) -> None:
    data_dir, proc, client = server_on
    gid = client.post(GROUPS, json={"name": "共享"}).json()["data"]["id"]
    acknowledged = [_upload(client, gid, n) for n in range(4)]

    # the app's store on the same folder: refused, with the sentence the app shows
    with pytest.raises(WorkspaceBusyError, match=BUSY_MESSAGE):
        Store(data_dir)
    with pytest.raises(WorkspaceBusyError):
        OfflineBackend(data_dir).app()
    # a second server: exits non-zero with the message, before serving anything
    second = subprocess.run(  # noqa: PLW1510  (the exit status is asserted)
        [*SERVER, "--data", str(data_dir)], capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 3
    assert "This workspace is open in another Voiceprint Studio window" in second.stderr
    assert second.stdout == ""

    # the first owner keeps working, and every acknowledged upload keeps its audio
    acknowledged += [_upload(client, gid, n) for n in range(4, 7)]
    items = client.get(f"{GROUPS}/{gid}/features").json()["data"]["items"]
    assert sorted(i["id"] for i in items) == sorted(acknowledged)
    for item in items:
        assert client.get(item["audio_url"]).status_code == 200
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert proc.returncode == 0

    store = Store(data_dir)  # free again once the owner exited
    try:
        assert sorted(f.id for f in store.all_features(gid)) == sorted(acknowledged)
        assert store.quarantined_on_open == []
        assert len(audio_files(store.audio_dir)) == 7
    finally:
        store.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_owner_releases_the_workspace(
    server_on: tuple[Path, subprocess.Popen[bytes], httpx.Client],
) -> None:
    data_dir, proc, client = server_on
    gid = client.post(GROUPS, json={"name": "g"}).json()["data"]["id"]
    ack = _upload(client, gid, 1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    store = Store(data_dir)  # the operating system dropped the lock with the process
    try:
        assert [f.id for f in store.all_features(gid)] == [ack]
    finally:
        store.close()


@pytest.mark.parametrize("old_sorts_first", [True, False], ids=["old-first", "new-first"])
def test_rebuild_keeps_the_replaced_audio_when_the_old_file_outlived_the_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old_sorts_first: bool
) -> None:
    # The reviewer's case: a Replace commits, the old recording's unlink never happens (a
    # crash, a file Windows keeps open); both sidecars then name the voiceprint. A later
    # rebuild restored whichever file sorted first -- the old audio half the time -- and
    # quarantined the new one.
    import secrets as real_secrets

    from voiceprint_studio.local import store as store_module

    names = iter(["00000000", "ffffffff"] if old_sorts_first else ["ffffffff", "00000000"])

    class Names:
        @staticmethod
        def token_hex(n: int = 32) -> str:
            return next(names) if n == 4 else real_secrets.token_hex(n)

        randbelow = staticmethod(real_secrets.randbelow)

    monkeypatch.setattr(store_module, "secrets", Names)
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    group = store.create_group("Desk")
    first = store.create_feature(group.id, "Li Na", "", NewAudio(wav_bytes(1.0, freq=220), "wav"))
    # the process dies after the Replace's commit, before the old file is removed
    monkeypatch.setattr(Store, "_unlink_audio", lambda _self, _name: None)
    new_audio = wav_bytes(1.0, freq=440)
    replaced = store.update_feature(group.id, first.id, audio=NewAudio(new_audio, "wav"))
    store.close()
    monkeypatch.undo()
    assert (data_dir / "audio" / first.audio_file).exists()  # both recordings are there
    for suffix in ("", "-wal", "-shm"):  # later the database is lost
        (data_dir / f"backend.sqlite3{suffix}").unlink(missing_ok=True)
    rebuilt = Store(data_dir, recovery="rebuild")
    try:
        restored = rebuilt.get_feature(group.id, first.id)
        assert restored is not None and restored.audio_file == replaced.audio_file
        assert (data_dir / "audio" / replaced.audio_file).read_bytes() == new_audio
        assert rebuilt.quarantined_on_open == [first.audio_file]  # the old one, kept aside
    finally:
        rebuilt.close()


def test_a_recording_that_cannot_be_removed_does_not_fail_its_delete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (Windows refuses to remove a file another program has open.) The delete was made;
    # reporting it as failed would make the operator think it may not have happened.
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    group = store.create_group("Desk")
    feature = store.create_feature(group.id, "Li Na", "", NewAudio(wav_bytes(1.0), "wav"))
    unlink = Path.unlink

    def refused(path: Path, missing_ok: bool = False) -> None:
        if path.parent.name == "audio":
            raise PermissionError(13, "in use by another program", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refused)
    store.delete_feature(group.id, feature.id)  # no error
    monkeypatch.undo()
    assert store.get_feature(group.id, feature.id) is None
    store.close()
    reopened = Store(data_dir)
    try:  # the leftover recording is kept aside, not lost and not listed
        assert reopened.quarantined_on_open == [feature.audio_file]
    finally:
        reopened.close()
