"""Concurrent clients against the loopback backend: nothing lost or duplicated, limits hold."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backend_fixtures import BACKEND_TOKEN, Loopback, wav_bytes
from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.server import LoopbackServer

GROUPS = "/v1/audio/voiceprint_groups"
THREADS = 10
OPS = 100
MAX_GROUPS = 40
MAX_FEATURES = 10
WAV = wav_bytes(0.05)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Loopback]:
    app = create_app(
        tmp_path / "b", BACKEND_TOKEN, max_groups=MAX_GROUPS, max_features=MAX_FEATURES
    )
    try:
        with LoopbackServer(app) as srv:
            yield Loopback(srv.url, app.token, app)
    finally:
        app.close()


@dataclass
class Ledger:
    """What one thread did, as acknowledged by the server."""

    groups: dict[str, str] = field(default_factory=dict)  # gid -> current name
    features: dict[str, tuple[str, str]] = field(default_factory=dict)  # fid -> (gid, name)
    limit_hits: int = 0
    max_total_seen: int = 0
    max_features_seen: int = 0
    errors: list[str] = field(default_factory=list)


def _data(resp: httpx.Response) -> tuple[int, Any]:
    body = resp.json()
    return int(body["code"]), body.get("data")


def worker(url: str, index: int, shared_gid: str, start: threading.Barrier) -> Ledger:
    rng = random.Random(index)
    me = Ledger()
    ops = ["cg"] * 15 + ["ug"] * 8 + ["dg"] * 5 + ["cf"] * 20 + ["sf"] * 10
    ops += ["uf"] * 10 + ["df"] * 12 + ["lg"] * 10 + ["lf"] * 10
    headers = {"Authorization": f"Bearer {BACKEND_TOKEN}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as c:
        start.wait()
        for n in range(OPS):
            op = rng.choice(ops)
            mine = [g for g in me.groups]
            if op == "cg" or (op in ("ug", "dg", "cf", "lf") and not mine):
                name = f"t{index}-{n}"
                code, data = _data(c.post(GROUPS, json={"name": name}))
                if code == 0:
                    me.groups[data["id"]] = name
                elif code == 4000:
                    me.limit_hits += 1
                else:
                    me.errors.append(f"create group {code}")
            elif op == "ug":
                gid = rng.choice(mine)
                name = f"u{index}-{n}"
                code, _ = _data(c.put(f"{GROUPS}/{gid}", json={"name": name}))
                if code == 0:
                    me.groups[gid] = name
                else:
                    me.errors.append(f"update group {code}")
            elif op == "dg":
                gid = rng.choice(mine)
                code, _ = _data(c.delete(f"{GROUPS}/{gid}"))
                if code == 0:
                    del me.groups[gid]
                    me.features = {f: v for f, v in me.features.items() if v[0] != gid}
                else:
                    me.errors.append(f"delete group {code}")
            elif op in ("cf", "sf"):
                gid = shared_gid if op == "sf" else rng.choice(mine)
                name = f"f{index}-{n}"
                resp = c.post(
                    f"{GROUPS}/{gid}/features",
                    data={"name": name},
                    files={"file": ("v.wav", WAV)},
                )
                code, data = _data(resp)
                if code == 0:
                    me.features[data["id"]] = (gid, name)
                elif code == 4000:
                    me.limit_hits += 1
                else:
                    me.errors.append(f"create feature {code}")
            elif op in ("uf", "df") and me.features:
                fid = rng.choice(sorted(me.features))
                gid, _old = me.features[fid]
                if op == "uf":
                    name = f"r{index}-{n}"
                    code, _ = _data(c.put(f"{GROUPS}/{gid}/features/{fid}", json={"name": name}))
                    if code == 0:
                        me.features[fid] = (gid, name)
                else:
                    code, _ = _data(c.delete(f"{GROUPS}/{gid}/features/{fid}"))
                    if code == 0:
                        del me.features[fid]
                if code != 0:
                    me.errors.append(f"{op} {code}")
            elif op == "lg":
                code, data = _data(c.get(GROUPS, params={"page_size": 200}))
                if code != 0:
                    me.errors.append(f"list groups {code}")
                    continue
                me.max_total_seen = max(me.max_total_seen, data["total"])
                for g in data["items"]:
                    me.max_features_seen = max(me.max_features_seen, g["feature_count"])
            else:  # "lf" or nothing to update/delete
                gid = shared_gid if not mine else rng.choice(mine)
                code, data = _data(c.get(f"{GROUPS}/{gid}/features", params={"page_size": 200}))
                if code != 0:
                    me.errors.append(f"list features {code}")
                    continue
                me.max_features_seen = max(me.max_features_seen, data["total"])
    return me


def test_concurrent_mixed_operations(server: Loopback) -> None:
    headers = server.headers
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as c:
        shared = c.post(GROUPS, json={"name": "shared"}).json()["data"]["id"]
        barrier = threading.Barrier(THREADS)
        with ThreadPoolExecutor(THREADS) as pool:
            futures = [pool.submit(worker, server.url, i, shared, barrier) for i in range(THREADS)]
            ledgers = [f.result() for f in futures]

        assert [e for ledger in ledgers for e in ledger.errors] == []
        expected_groups = {shared: "shared"}
        expected_features: dict[str, tuple[str, str]] = {}
        for ledger in ledgers:
            assert not set(ledger.groups) & set(expected_groups)  # no duplicated ids
            expected_groups.update(ledger.groups)
            expected_features.update(ledger.features)

        data = c.get(GROUPS, params={"page_size": 200}).json()["data"]
        assert data["total"] == len(data["items"]) <= MAX_GROUPS
        assert {g["id"]: g["name"] for g in data["items"]} == expected_groups
        actual_features: dict[str, tuple[str, str]] = {}
        for g in data["items"]:
            items = c.get(f"{GROUPS}/{g['id']}/features", params={"page_size": 200}).json()
            features = items["data"]["items"]
            assert len(features) == g["feature_count"] <= MAX_FEATURES
            actual_features.update({f["id"]: (g["id"], f["name"]) for f in features})
        assert actual_features == expected_features

    assert max(ledger.max_total_seen for ledger in ledgers) <= MAX_GROUPS
    assert max(ledger.max_features_seen for ledger in ledgers) <= MAX_FEATURES
    assert sum(ledger.limit_hits for ledger in ledgers) > 0  # the limits were exercised
    # every row has its audio file and its sidecar, and there are no stray files
    audio = server.app.store.audio_dir
    assert sorted(p.name for p in audio.iterdir()) == sorted(
        f"{name}{suffix}"
        for name in (
            server.app.store.get_feature(gid, fid).audio_file  # type: ignore[union-attr]
            for fid, (gid, _n) in expected_features.items()
        )
        for suffix in ("", ".json")
    )
    assert server.app.store.integrity_check() == "ok"
