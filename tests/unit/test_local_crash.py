"""Crash consistency: SIGKILL a process in the middle of a stream of writes, then re-open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.backend_fixtures import wav_bytes
from voiceprint_studio.local.store import Store
from voiceprint_studio.local.workspace import audio_files

SERVER_CMD = [sys.executable, "-m", "voiceprint_studio.local", "--port", "0", "--no-engine"]

WRITER = r"""
import itertools, sys
from pathlib import Path
from voiceprint_studio.local.store import NewAudio, Store, StoreError

data_dir, wav_path = sys.argv[1], sys.argv[2]
audio = NewAudio(Path(wav_path).read_bytes(), "wav")
store = Store(data_dir, max_groups=1_000_000, max_features=3)
groups = []
for n in itertools.count():
    if n == 50:
        print("writing", flush=True)
    if n % 7 == 0 or not groups:
        groups.append(store.create_group(f"g{n}").id)
    gid = groups[n % len(groups)]
    try:
        feature = store.create_feature(gid, f"f{n}", "", audio)
        if n % 3 == 0:
            store.update_feature(gid, feature.id, name=f"u{n}", audio=audio)
        if n % 5 == 0:
            store.delete_feature(gid, feature.id)
    except StoreError:
        pass
    if n % 11 == 0 and len(groups) > 2:
        store.delete_group(groups.pop(0))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("delay", [0.3, 0.9])
def test_sigkill_mid_writes_leaves_consistent_store(tmp_path: Path, delay: float) -> None:
    data_dir = tmp_path / "data"
    wav = wav_bytes(0.5)
    wav_path = tmp_path / "in.wav"
    wav_path.write_bytes(wav)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), str(wav_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        assert proc.poll() is None, "the writer stopped on its own"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    before = {p.name: p.read_bytes() for p in audio_files(data_dir / "audio")}

    store = Store(data_dir, max_features=3)
    try:
        assert store.integrity_check() == "ok"
        groups, total = store.list_groups(page_size=200)
        assert total > 0
        referenced = set()
        page = 1
        while True:
            groups, total = store.list_groups(page_num=page, page_size=200)
            if not groups:
                break
            for group in groups:
                features = store.all_features(group.id)
                assert len(features) == group.feature_count <= 3
                for feature in features:
                    path = store.audio_path(feature.audio_file)
                    assert path is not None, feature
                    assert path.read_bytes() == wav
                    referenced.add(feature.audio_file)
            page += 1
        # temp files were removed on open, unreferenced recordings quarantined, not deleted
        assert {p.name for p in audio_files(store.audio_dir)} == referenced
        assert not [p for p in store.audio_dir.iterdir() if p.name.endswith(".part")]
        for name in referenced:
            assert (store.audio_dir / f"{name}.json").is_file()
        quarantined = {q.path.name: q.path.read_bytes() for q in store.quarantined()}
        assert set(quarantined) == set(store.quarantined_on_open)
        assert {**quarantined, **{n: wav for n in referenced}} == before
    finally:
        store.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_uploads_loses_no_acknowledged_recording(tmp_path: Path) -> None:
    """The loopback server is SIGKILLed while three clients upload; on reopen every upload
    it acknowledged is there with its exact bytes, and every recording that reached the
    disk is either referenced or in the quarantine folder (none deleted)."""
    import threading

    import httpx

    from tests.unit.test_local_cli import _read_lines

    data_dir = tmp_path / "data"
    proc = subprocess.Popen(
        [*SERVER_CMD, "--data", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    acknowledged: dict[str, tuple[str, bytes]] = {}
    lock = threading.Lock()
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        url, token = (line.split(" ", 1)[1] for line in _read_lines(proc, 2))
        headers = {"Authorization": f"Bearer {token}"}
        groups = "/v1/audio/voiceprint_groups"
        with httpx.Client(base_url=url, headers=headers) as c:
            gids = [c.post(groups, json={"name": f"g{n}"}).json()["data"]["id"] for n in range(3)]

        def upload(worker: int) -> None:
            with httpx.Client(base_url=url, headers=headers, timeout=30) as c:
                n = 0
                while not stop.is_set():
                    n += 1
                    wav = wav_bytes(0.4, freq=100 + worker * 1000 + n)
                    try:
                        body = c.post(
                            f"{groups}/{gids[worker]}/features",
                            data={"name": f"w{worker}n{n}"},
                            files={"file": ("a.wav", wav)},
                        ).json()
                        if body["code"] == 0:
                            fid = str(body["data"]["id"])
                            with lock:
                                acknowledged[fid] = (gids[worker], wav)
                            if n % 2 == 0:  # keep the group below its limit
                                with lock:  # no longer promised once the delete is sent
                                    del acknowledged[fid]
                                c.delete(f"{groups}/{gids[worker]}/features/{fid}")
                    except httpx.HTTPError:
                        return

        threads = [threading.Thread(target=upload, args=(w,)) for w in range(3)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(acknowledged) >= 12, "the uploads did not get going"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        proc.communicate(timeout=10)
    on_disk = {p.name: p.read_bytes() for p in audio_files(data_dir / "audio")}

    store = Store(data_dir)
    try:
        assert store.integrity_check() == "ok"
        for fid, (gid, wav) in acknowledged.items():
            feature = store.get_feature(gid, fid)
            assert feature is not None, f"acknowledged upload {fid} lost"
            path = store.audio_path(feature.audio_file)
            assert path is not None
            assert path.read_bytes() == wav
        kept = {p.name: p.read_bytes() for p in audio_files(store.audio_dir)}
        kept.update({q.path.name: q.path.read_bytes() for q in store.quarantined()})
        assert kept == on_disk
    finally:
        store.close()
