"""Copy, move, export and import between real backends, and jobs that survive a kill.

Every workspace here is the real embedded backend: in-process (the offline workspace)
or served on 127.0.0.1 (standing in for Coze). The kill tests run the job in a child
process and SIGKILL it at random moments, then resume.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import soundfile

from tests.backend_fixtures import BACKEND_TOKEN, Loopback, Refusing, SlowThenLost, wav_bytes
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.uploads import AudioUpload, CancelToken
from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.transfer import cli
from voiceprint_studio.transfer.archive import ArchiveError, read_archive
from voiceprint_studio.transfer.jobs import (
    SETTLE_SECONDS,
    Job,
    JobProgress,
    Pace,
    Plan,
    PlanGroup,
    account_pace,
    estimate_calls,
    look_up_groups,
    unfinished_jobs,
)
from voiceprint_studio.transfer.sources import (
    ArchiveSource,
    LocalWorkspaceSource,
    WorkspaceSource,
    export_groups,
    plan_archive,
    plan_copy,
    run_copy,
)

ROOT = Path(__file__).resolve().parents[2]


def _client(app: BackendApp) -> CozeClient:
    return CozeClient(app.token, "http://localhost", transport=httpx.WSGITransport(app=app))


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[CozeClient]:
    app = create_app(tmp_path / "offline", BACKEND_TOKEN)
    with _client(app) as client:
        yield client
    app.close()


@pytest.fixture
def second(tmp_path: Path) -> Iterator[Loopback]:
    """A second loopback backend (the 'other workspace')."""
    app = create_app(tmp_path / "second", "pat_second_workspace_token")
    try:
        with LoopbackServer(app) as server:
            yield Loopback(server.url, app.token, app)
    finally:
        app.close()


def _remote(lb: Loopback) -> CozeClient:
    return CozeClient(lb.token, lb.url)


def _fill(client: CozeClient, name: str, count: int, folder: Path) -> str:
    gid = client.create_group(name, f"{name} desc")
    for n in range(count):
        path = folder / f"{name}-{n}.wav"
        path.write_bytes(wav_bytes(0.2 + 0.01 * n, freq=200.0 + 10 * n))
        client.create_voiceprint(gid, f"speaker {n}", AudioUpload.from_path(path), desc=f"d{n}")
    return gid


def age_journal(
    folder: Path, *servers: LoopbackServer, seconds: float = SETTLE_SECONDS + 1
) -> None:
    """Move every step of the job in ``folder`` back by ``seconds`` (default: past the time
    the service may still be carrying out a create that got no answer), as if the
    operator had waited that long before resuming. The ``servers`` are given that time
    too: each has carried out (or dropped) what a killed process had sent it before this
    returns, as the service would have in those minutes."""
    for server in servers:
        assert server.wait_quiet(), "a stand-in server kept a connection open for 30 s"
    path = folder / "journal.jsonl"
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [json.dumps({**e, "t": e["t"] - seconds}, ensure_ascii=False) for e in entries]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _content(client: CozeClient, group_id: str) -> dict[str, tuple[str, str]]:
    """name -> (desc, sha256 of the audio the service returns)."""
    return {
        v.name: (v.desc, hashlib.sha256(client.download_audio(v.audio_url)).hexdigest())
        for v in client.iter_voiceprints(group_id)
    }


def _group_named(client: CozeClient, name: str) -> str:
    found = [g.id for g in client.iter_groups() if g.name == name]
    assert len(found) == 1, f"{len(found)} groups named {name!r}"
    return found[0]


def test_copy_a_group_of_ten_to_another_workspace_and_back(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    gid = _fill(offline, "front desk", 10, tmp_path)
    before = _content(offline, gid)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    jobs = tmp_path / "jobs"
    with _remote(second) as remote:
        plan = plan_copy(offline, [(group, None)])
        assert plan.estimate_calls() == 2 + 10
        result = Job.create(jobs, plan).run(WorkspaceSource(offline), remote)
        assert result.complete and len(result.created) == 10
        there = _group_named(remote, "front desk")
        assert _content(remote, there) == before
        ids_there = {v.id for v in remote.iter_voiceprints(there)}
        assert ids_there.isdisjoint({v.id for v in offline.iter_voiceprints(gid)})
        # and back, into a new group of another name in the first workspace
        back = plan_copy(
            remote,
            [(next(g for g in remote.iter_groups() if g.id == there), None)],
            into=PlanGroup(key="t", name="returned"),
        )
        assert Job.create(jobs, back).run(WorkspaceSource(remote), offline).complete
    returned = _group_named(offline, "returned")
    assert _content(offline, returned) == before
    assert unfinished_jobs(jobs) == []  # finished jobs leave nothing behind


def test_the_last_progress_a_copy_reports_is_its_last_state(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    # Two workers' reports crossed: the report of the 9th done item was sent after the
    # 10th's, and the copy dialog (the job process's relay too) showed 9 of 10 last.
    # Here the 9th's report is held until the 10th's has been sent, or half a second.
    gid = _fill(offline, "porch", 10, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    seen: list[int] = []
    tenth = threading.Event()

    def progress(p: JobProgress) -> None:
        if p.items_done == 9 and 9 not in seen:
            tenth.wait(0.5)
        seen.append(p.items_done)
        if p.items_done == 10:
            tenth.set()

    with _remote(second) as remote:
        result = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)])).run(
            WorkspaceSource(offline), remote, progress=progress
        )
    assert result.complete and len(result.created) == 10
    assert seen == sorted(seen) and seen[-1] == 10, seen


def test_a_second_copy_finds_everything_there_and_creates_nothing(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    gid = _fill(offline, "hall", 3, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    with _remote(second) as remote:
        for _ in range(2):
            result = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)])).run(
                WorkspaceSource(offline), remote
            )
        assert (len(result.created), len(result.existed)) == (0, 3)
        assert len(list(remote.iter_voiceprints(_group_named(remote, "hall")))) == 3


def test_copy_out_of_the_offline_workspace_takes_its_files_and_refuses_forged_addresses(
    second: Loopback, tmp_path: Path
) -> None:
    app = create_app(tmp_path / "own", BACKEND_TOKEN)
    with _client(app) as offline, _remote(second) as remote:
        gid = _fill(offline, "lobby", 3, tmp_path)
        before = _content(offline, gid)
        group = next(g for g in offline.iter_groups() if g.id == gid)
        source = LocalWorkspaceSource.of(offline, app)
        url = next(iter(offline.iter_voiceprints(gid))).audio_url
        stored = source.local_path(url)
        assert stored is not None and stored.parent == app.store.audio_dir
        assert source.local_path(url.replace("sig=", "sig=0")) is None
        assert source.local_path(url.replace("/files/audio/", "/files/audio/..%2F")) is None
        result = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)])).run(
            source, remote
        )
        assert result.complete and len(result.created) == 3
        assert _content(remote, _group_named(remote, "lobby")) == before
    app.close()


class _ThrottledCreates(httpx.BaseTransport):
    """A real backend in-process whose first ``refuse`` voiceprint creates are answered
    as Coze answers throttling (HTTP 429, code 4013, ``Retry-After: 0``): nothing made."""

    def __init__(self, app: BackendApp, refuse: int) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.refuse = refuse
        self.refused = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        creating = request.method == "POST" and request.url.path.endswith("/features")
        if creating and self.refused < self.refuse:
            self.refused += 1
            request.read()
            return httpx.Response(
                429,
                headers={"Retry-After": "0"},
                json={"code": 4013, "msg": "too many requests", "detail": {"logid": "t"}},
            )
        return self.inner.handle_request(request)


def test_creates_refused_as_throttling_are_sent_again_and_made_once(
    offline: CozeClient, tmp_path: Path
) -> None:
    gid = _fill(offline, "busy", 3, tmp_path)
    before = _content(offline, gid)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "throttled", "pat_throttled_target")
    throttled = _ThrottledCreates(target_app, refuse=3)
    with CozeClient(target_app.token, "http://localhost", transport=throttled) as target:
        result = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)])).run(
            WorkspaceSource(offline), target
        )
        assert throttled.refused == 3
        assert result.complete and len(result.created) == 3, result
        there = _group_named(target, "busy")
        assert _content(target, there) == before  # each once: no duplicate, none lost
    target_app.close()


class _CountedCalls(httpx.BaseTransport):
    """A real backend in-process; counts the calls made to it (method, path)."""

    def __init__(self, app: BackendApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.calls: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        return self.inner.handle_request(request)


@pytest.mark.parametrize("there", [False, True], ids=["group-absent", "group-there"])
def test_a_group_looked_up_while_the_plan_is_made_is_not_looked_up_again(
    offline: CozeClient, tmp_path: Path, there: bool
) -> None:
    gid = _fill(offline, "lobby", 3, tmp_path)
    before = _content(offline, gid)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_counted_target")
    counted = _CountedCalls(target_app)
    with CozeClient(target_app.token, "http://localhost", transport=counted) as target:
        if there:
            target.create_group("lobby")  # the operator's own group of that name: used
        counted.calls.clear()
        found = look_up_groups(target, ["lobby"])
        plan = plan_copy(offline, [(group, None)])
        result = Job.create(tmp_path / "jobs", plan).run(
            WorkspaceSource(offline), target, found=found
        )
        assert result.complete and len(result.created) == 3, result
        lookups = [c for c in counted.calls if c == ("GET", "/v1/audio/voiceprint_groups")]
        assert len(lookups) == 1  # the look-up made while the plan was made, no second
        assert len(counted.calls) == plan.estimate_calls() == 2 + 3
        assert _content(target, _group_named(target, "lobby")) == before
    target_app.close()


@pytest.mark.parametrize("there", [False, True], ids=["group-absent", "group-there"])
def test_listings_the_app_just_made_are_not_asked_again(tmp_path: Path, there: bool) -> None:
    """The window's listing of the group shown and the copy dialog's of the target's
    groups go with the copy: neither the source group is listed nor the target group
    looked up again, and the count is the one the dialog says."""
    source_app = create_app(tmp_path / "source", "pat_counted_source")
    target_app = create_app(tmp_path / "target", "pat_counted_target")
    counted_source, counted_target = _CountedCalls(source_app), _CountedCalls(target_app)
    with (
        CozeClient(source_app.token, "http://localhost", transport=counted_source) as src,
        CozeClient(target_app.token, "http://localhost", transport=counted_target) as dst,
    ):
        gid = _fill(src, "lobby", 3, tmp_path)
        before = _content(src, gid)
        group = next(g for g in src.iter_groups() if g.id == gid)
        shown = list(src.iter_voiceprints(gid))  # (the window's listing)
        dst.create_group("other")
        if there:
            dst.create_group("lobby")  # (found in the dialog's list, and used)
        offered = [(g.id, g.name) for g in dst.iter_groups()]  # (the dialog's)
        counted_source.calls.clear()
        counted_target.calls.clear()
        result = run_copy(
            src,
            dst,
            WorkspaceSource(src),
            [(group, None)],
            into=None,
            move=False,
            source_where={},
            target_where={},
            jobs_dir=tmp_path / "jobs",
            look_up=["lobby"],
            cancel=CancelToken(),
            listed={gid: shown},
            target_groups=offered,
        )
        assert result.complete and len(result.created) == 3, result
        # the source: only the audio (file downloads, not API calls)
        assert [path for _, path in counted_source.calls if not path.startswith("/files/")] == []
        # the target: the group found in the list is not looked up, only listed; a name
        # not in it is looked up (it may have been made since), then the group made
        lobby = _group_named(dst, "lobby")
        first = (
            [("GET", f"/v1/audio/voiceprint_groups/{lobby}/features")]
            if there
            else [("GET", "/v1/audio/voiceprint_groups"), ("POST", "/v1/audio/voiceprint_groups")]
        )
        creates = [("POST", f"/v1/audio/voiceprint_groups/{lobby}/features")] * 3
        assert counted_target.calls[: len(first) + 3] == [*first, *creates]
        said = estimate_calls(
            groups_given=0,
            groups_by_name=1,
            items=3,
            move=False,
            source_lists=0,
            looked_up=1 if there else 0,
        )
        assert said == (1 if there else 2) + 3
        assert _content(dst, lobby) == before
    source_app.close()
    target_app.close()


def test_a_voiceprint_deleted_after_it_was_listed_is_skipped_for_good(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    """Copied from a listing a little old, a voiceprint deleted since is skipped with the
    reason (a resume would never find it either: no job is left behind); a move deletes
    the others' originals and has nothing to delete for it."""
    gid = _fill(offline, "hall", 3, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    shown = list(offline.iter_voiceprints(gid))
    gone = shown[1]
    offline.delete_voiceprint(gid, gone.id)
    with _remote(second) as remote:
        plan = plan_copy(offline, [(group, None)], move=True, listed={gid: shown})
        job = Job.create(tmp_path / "jobs", plan)
        result = job.run(WorkspaceSource(offline), remote)
        assert not result.failed and not result.cancelled, result
        assert [(i.name, str(r)) for i, r in result.skipped] == [
            (gone.name, "it is no longer in the group “hall” (deleted after the job was set up)")
        ]
        assert sorted(i.name for i, _ in result.created) == sorted(
            v.name for v in shown if v.id != gone.id
        )
        assert len(result.sources_deleted) == 2
        assert unfinished_jobs(tmp_path / "jobs") == []
    assert list(offline.iter_voiceprints(gid)) == []


def test_cancel_while_the_target_group_is_looked_up_creates_no_group(
    offline: CozeClient, tmp_path: Path
) -> None:
    from concurrent.futures import Future

    from voiceprint_studio.api.uploads import CancelToken

    gid = _fill(offline, "lobby", 2, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_cancel_target")
    cancel = CancelToken()

    class CancelledMeanwhile(Future[dict[str, str]]):
        """The look-up answers (no such group) after the operator pressed Cancel."""

        def result(self, timeout: float | None = None) -> dict[str, str]:
            cancel.cancel()
            return {"lobby": ""}

    with CozeClient(
        target_app.token, "http://localhost", transport=_CountedCalls(target_app)
    ) as target:
        plan = plan_copy(offline, [(group, None)])
        job = Job.create(tmp_path / "jobs", plan)
        result = job.run(
            WorkspaceSource(offline), target, cancel=cancel, found=CancelledMeanwhile()
        )
        assert not result.complete and not result.created
        assert list(target.iter_groups()) == []  # nothing made after the Cancel
        assert [j.folder for j in unfinished_jobs(tmp_path / "jobs")] == [job.folder]
    target_app.close()


def test_a_running_job_is_not_listed_nor_run_twice(offline: CozeClient, tmp_path: Path) -> None:
    from filelock import FileLock

    from voiceprint_studio.transfer.jobs import RUNNING_LOCK, JobRunningError

    gid = _fill(offline, "lobby", 1, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)]))
    assert unfinished_jobs(tmp_path / "jobs") and not job.running
    running = FileLock(job.folder / RUNNING_LOCK)  # a run going on (here, or in the CLI)
    running.acquire(timeout=0)
    try:
        assert job.running
        assert unfinished_jobs(tmp_path / "jobs") == []  # nothing to offer to resume
        with pytest.raises(JobRunningError):
            job.run(WorkspaceSource(offline), offline)
    finally:
        running.release()
    assert [j.folder for j in unfinished_jobs(tmp_path / "jobs")] == [job.folder]


def test_a_cancel_ends_the_group_look_up_at_once() -> None:
    """Whoever waits for the look-up (the copy dialog's task, before the workspace may
    close) does not wait for a server that does not answer."""
    from tests.net_fixtures import SilentServer
    from voiceprint_studio.api.uploads import CancelToken

    cancel = CancelToken()
    with SilentServer() as server, CozeClient("pat_silent", server.url) as target:
        found = look_up_groups(target, ["lobby", "hall"], cancel)
        deadline = time.monotonic() + 10
        while server.accepted == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.accepted == 1 and not found.done()
        cancel.cancel()
        assert found.result(timeout=5) == {}  # (the call's own deadline is 60 s)
        assert server.accepted == 1  # the second name was not looked up


def test_pace_allows_so_many_starts_in_any_second() -> None:
    now = [100.0]
    pace = Pace(3, clock=lambda: now[0])
    assert [pace.delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pace.delay() == pytest.approx(1.0)
    now[0] += 0.6
    assert pace.delay() == pytest.approx(0.4)  # the window slides: the first three still count
    now[0] += 0.4
    assert [pace.delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pace.delay() > 0


def test_the_pace_is_one_per_account_keyed_without_the_token(tmp_path: Path) -> None:
    token = f"pat_{uuid.uuid4().hex}"
    with (
        CozeClient(token, "http://127.0.0.1:9") as one,
        CozeClient(token, "http://127.0.0.1:9/") as same,
        CozeClient(token + "x", "http://127.0.0.1:9") as other_token,
        CozeClient(token, "http://127.0.0.1:10") as other_server,
    ):
        pace = account_pace(one)
        assert account_pace(same) is pace
        assert account_pace(other_token) is not pace
        assert account_pace(other_server) is not pace
        assert token not in repr(one.account_key) and token not in repr(pace.__dict__)


def test_two_jobs_on_one_account_share_one_pace(
    offline: CozeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resumed job and a new copy running at once on one account start at most 10
    creates in any second together (each alone would start its 6 at once)."""
    from voiceprint_studio.api.uploads import CancelToken
    from voiceprint_studio.transfer.jobs import MAX_CREATES_PER_SECOND

    now = [1000.0]
    clock_lock = threading.Lock()

    class ClockToken(CancelToken):
        """The jobs' cancel token: waiting moves the injected clock instead of sleeping."""

        __slots__ = ()

        def wait(self, seconds: float) -> bool:
            with clock_lock:
                now[0] += max(seconds, 0.001)
            return self.cancelled

    token = f"pat_paced_{uuid.uuid4().hex}"  # an account no other test paces
    app = create_app(tmp_path / "paced", token)
    groups = [_fill(offline, name, 6, tmp_path) for name in ("hall", "lobby")]
    try:
        with LoopbackServer(app) as server, CozeClient(token, server.url) as target:
            pace = account_pace(target, clock=lambda: now[0])
            starts: list[float] = []
            counted = pace.delay

            def delay() -> float:
                wait = counted()
                if wait <= 0:
                    starts.append(now[0])
                return wait

            monkeypatch.setattr(pace, "delay", delay)
            results = []

            def run(gid: str) -> None:
                group = next(g for g in offline.iter_groups() if g.id == gid)
                job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)]))
                results.append(job.run(WorkspaceSource(offline), target, cancel=ClockToken()))

            threads = [threading.Thread(target=run, args=(gid,)) for gid in groups]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert [r.complete for r in results] == [True, True]
            assert len(starts) == 12
            starts.sort()
            # any 11 starts in a row span at least a second of the (injected) clock
            per = MAX_CREATES_PER_SECOND
            assert all(b - a >= 1.0 for a, b in zip(starts, starts[per:], strict=False))
            assert starts[per] - starts[0] >= 1.0  # (the 11th start did wait)
    finally:
        app.close()


def test_copy_into_a_full_group_skips_with_the_reason(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    gid = _fill(offline, "many", 3, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    with _remote(second) as remote:
        target = _fill(remote, "nearly full", 1, tmp_path)
        plan = plan_copy(offline, [(group, None)], into=PlanGroup("t", "x", target_id=target))
        result = Job.create(tmp_path / "jobs", plan).run(
            WorkspaceSource(offline), remote, max_per_group=2
        )
        # "speaker 0" is there already (same name, same audio); one more fits
        assert (len(result.existed), len(result.created)) == (1, 1)
        assert [str(why) for _, why in result.skipped] == [
            "no room was left: the group holds 2 voiceprints (with those this job added), "
            "the most it can hold"
        ]
        assert not result.complete


def test_move_deletes_sources_only_after_the_copy(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    gid = _fill(offline, "moving", 4, tmp_path)
    before = _content(offline, gid)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    with _remote(second) as remote:
        plan = plan_copy(offline, [(group, None)], move=True)
        result = Job.create(tmp_path / "jobs", plan).run(WorkspaceSource(offline), remote)
        assert result.complete and len(result.sources_deleted) == 4
        assert _content(remote, _group_named(remote, "moving")) == before
    assert list(offline.iter_voiceprints(gid)) == []


def test_a_move_keeps_each_original_in_recently_deleted_before_it_deletes_it(
    second: Loopback, tmp_path: Path
) -> None:
    """The reviewer's loss: the target group was deleted while a move into it ran (its
    copies went with it) after the move had deleted the originals. The originals are now
    in Recently deleted, each with its audio (the copy's staged audio: no download), and
    come back from there."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    app = create_app(tmp_path / "offline", BACKEND_TOKEN)
    where = {"profile": "offline", "base_url": "http://localhost"}
    store = RecentlyDeleted(tmp_path / "recently-deleted")
    with _client(app) as source, _remote(second) as remote:
        gid = _fill(source, "moving", 2, tmp_path)
        before = _content(source, gid)
        group = next(g for g in source.iter_groups() if g.id == gid)
        plan = plan_copy(source, [(group, None)], move=True)
        result = Job.create(tmp_path / "jobs", plan).run(
            WorkspaceSource(source), remote, keep_original=store.keeper(where)
        )
        assert result.complete and len(result.sources_deleted) == 2
        assert list(source.iter_voiceprints(gid)) == []
        kept = store.entries()
        assert sorted(v.name for e in kept for v in e.voiceprints) == sorted(before)
        assert {(e.group_id, e.group_name, e.workspace["profile"]) for e in kept} == {
            (gid, "moving", "offline")
        }
        remote.delete_group(_group_named(remote, "moving"))  # the copies are gone
        for entry in kept:
            assert store.restore(entry, source, tmp_path / "jobs", where).complete
        assert _content(source, gid) == before
        # a move whose deletes are refused keeps nothing: nothing was deleted
        gid = _fill(source, "staying", 1, tmp_path)
        group = next(g for g in source.iter_groups() if g.id == gid)
        with CozeClient(
            app.token,
            "http://localhost",
            transport=Refusing(app, "DELETE", "/features/", status=403, code=4101),
        ) as no:
            plan = plan_copy(no, [(group, None)], move=True)
            result = Job.create(tmp_path / "jobs", plan).run(
                WorkspaceSource(no), remote, keep_original=store.keeper(where)
            )
        assert not result.complete and not result.sources_deleted
        assert store.entries() == []
        assert len(list(source.iter_voiceprints(gid))) == 1
    app.close()


class _FailSecondCreate(httpx.BaseTransport):
    """A real backend in-process whose second voiceprint create fails once: refused by the
    service (HTTP 400, code 4000), or its connection lost after the body went (the create
    never reached the backend, but the client cannot know that)."""

    def __init__(self, app: BackendApp, how: str, failing: int = 2) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.how = how
        self.failing = failing  # which create fails
        self.down = how == "unsent"  # "unsent": every create, until the test says
        self.creates = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/features"):
            self.creates += 1
            if self.how == "unsent" and self.down:  # the connection cannot even be made
                raise httpx.ConnectError("connection refused", request=request)
            if self.creates == self.failing and self.how != "unsent":
                request.read()
                if self.how == "lost":
                    raise httpx.RemoteProtocolError("server disconnected", request=request)
                return httpx.Response(
                    400, json={"code": 4000, "msg": "refused", "detail": {"logid": "r"}}
                )
        return self.inner.handle_request(request)


@pytest.mark.parametrize("how", ["refused", "lost"])
def test_a_resumed_move_never_takes_one_copy_for_two_voiceprints_of_the_same_name(
    offline: CozeClient, tmp_path: Path, how: str
) -> None:
    """Two voiceprints named "Li" are moved; the second's create fails (refused, or sent
    with no answer), then the job is resumed. The first's copy, same name and made after
    the second was sent, is not taken for the second: each is created, and no source is
    deleted before its own copy exists."""
    gid = offline.create_group("team")
    for n, freq in enumerate((200.0, 400.0)):
        path = tmp_path / f"li-{n}.wav"
        path.write_bytes(wav_bytes(0.3, freq=freq))
        offline.create_voiceprint(gid, "Li", AudioUpload.from_path(path), desc=f"take {n}")
    before = sorted(
        hashlib.sha256(offline.download_audio(v.audio_url)).hexdigest()
        for v in offline.iter_voiceprints(gid)
    )
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_move_target_token")
    failing = _FailSecondCreate(target_app, how)
    with CozeClient(target_app.token, "http://localhost", transport=failing) as target:
        job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)], move=True))
        first = job.run(WorkspaceSource(offline), target, workers=1)
        assert len(first.created) == 1 and len(first.failed) == 1
        assert len(list(offline.iter_voiceprints(gid))) == 1  # the failed one's source stays
        age_journal(job.folder)
        second = Job.open(job.folder).run(WorkspaceSource(offline), target, workers=1)
        assert second.complete and len(second.created) == 1 and not second.existed
        there = _group_named(target, "team")
        after = sorted(
            hashlib.sha256(target.download_audio(v.audio_url)).hexdigest()
            for v in target.iter_voiceprints(there)
        )
    assert after == before  # both takes in the target, each once
    assert list(offline.iter_voiceprints(gid)) == []
    target_app.close()


@pytest.mark.parametrize("how", ["lost", "unsent"])
def test_a_resumed_move_never_takes_a_voiceprint_that_was_there_before_for_its_copy(
    offline: CozeClient, tmp_path: Path, how: str
) -> None:
    """The reviewer's loss: the target already holds another "Li Na" (the operator's own,
    made a minute ago); the move's create gets no answer (or never leaves), and the job
    is resumed. The one that was there before is not taken for the in-doubt create: the
    take is created, and its source deleted only then."""
    gid = offline.create_group("team")
    mine = tmp_path / "a.wav"
    mine.write_bytes(wav_bytes(0.3, freq=200.0))
    offline.create_voiceprint(gid, "Li Na", AudioUpload.from_path(mine))
    take = hashlib.sha256(mine.read_bytes()).hexdigest()
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_move_target_token")
    with _client(target_app) as plain:
        theirs = plain.create_group("team")
        other = tmp_path / "b.wav"
        other.write_bytes(wav_bytes(0.3, freq=555.0))
        plain.create_voiceprint(theirs, "Li Na", AudioUpload.from_path(other))
    failing = _FailSecondCreate(target_app, how, failing=1)
    with CozeClient(target_app.token, "http://localhost", transport=failing) as target:
        job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)], move=True))
        first = job.run(WorkspaceSource(offline), target, workers=1)
        assert len(first.failed) == 1 and not first.sources_deleted
        journal = [e["e"] for e in job.journal.entries()]
        assert ("not_created" in journal) == (how == "unsent")  # provably never sent
        failing.down = False
        age_journal(job.folder)
        second = Job.open(job.folder).run(WorkspaceSource(offline), target, workers=1)
        assert second.complete and len(second.created) == 1 and not second.existed
        held = sorted(
            hashlib.sha256(target.download_audio(v.audio_url)).hexdigest()
            for v in target.iter_voiceprints(theirs)
        )
    assert take in held and len(held) == 2  # the take, next to the one there before
    assert list(offline.iter_voiceprints(gid)) == []
    target_app.close()


def test_a_resume_right_after_an_unanswered_create_sends_nothing_until_it_has_settled(
    offline: CozeClient, tmp_path: Path
) -> None:
    """The reviewer's duplicate: a create got no answer while the service was still making
    it; resumed at once, the job does not see it yet. Within SETTLE_SECONDS it is not
    sent again (the item says why and when to resume); after, it is looked for first."""
    gid = _fill(offline, "team", 1, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_settle_token")
    failing = _FailSecondCreate(target_app, "lost", failing=1)
    with CozeClient(target_app.token, "http://localhost", transport=failing) as target:
        job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)]))
        assert len(job.run(WorkspaceSource(offline), target).failed) == 1
        again = Job.open(job.folder).run(WorkspaceSource(offline), target)
        assert failing.creates == 1  # not sent again
        ((_, why),) = again.failed
        assert str(why).startswith("the service may still be adding it from the try that")
        assert "resume in 18" in str(why) or "resume in 17" in str(why)  # about 180 s
        age_journal(job.folder)
        last = Job.open(job.folder).run(WorkspaceSource(offline), target)
        assert last.complete and len(last.created) == 1 and failing.creates == 2
    target_app.close()


class _FirstGroupCreate(httpx.BaseTransport):
    """The real backend; the first group create is carried out but its answer lost
    (``refuse`` False), or refused with a Coze error code: surely nothing made."""

    def __init__(self, app: BackendApp, *, refuse: bool = False) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.refuse = refuse
        self.group_creates = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        first = False
        if request.method == "POST" and request.url.path.endswith("/voiceprint_groups"):
            self.group_creates += 1
            first = self.group_creates == 1
        if first and self.refuse:
            return httpx.Response(
                200, json={"code": 4000, "msg": "refused for the test"}, request=request
            )
        response = self.inner.handle_request(request)
        if first:
            raise httpx.ReadTimeout("no answer", request=request)
        return response


def test_a_group_create_that_got_no_answer_is_not_sent_again_in_the_same_run(
    offline: CozeClient, tmp_path: Path
) -> None:
    """The reviewer's leftover: the target group's create timed out (the service made it);
    the run's items created it again at once, leaving an empty duplicate group. Now the
    run sends it once; a resume finds the one that was made and fills it."""
    gid = _fill(offline, "team", 2, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_group_token")
    losing = _FirstGroupCreate(target_app)
    with CozeClient(target_app.token, "http://localhost", transport=losing) as target:
        job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)]))
        found = look_up_groups(target, ["team"])
        first = job.run(WorkspaceSource(offline), target, found=found)
        assert len(first.failed) == 2 and losing.group_creates == 1
        second = Job.open(job.folder).run(WorkspaceSource(offline), target)
        assert second.complete and len(second.created) == 2
        assert losing.group_creates == 1
        assert [(g.name, g.feature_count) for g in target.iter_groups()] == [("team", 2)]
    target_app.close()


def test_a_refused_group_create_is_not_waited_for_on_resume(
    offline: CozeClient, tmp_path: Path
) -> None:
    """A group create the service refused made nothing: a resume right after creates it
    at once. It said "the service may still be creating it" and waited 3 minutes, as for
    a create that got no answer."""
    gid = _fill(offline, "team", 1, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_refuse_group")
    refusing = _FirstGroupCreate(target_app, refuse=True)
    with CozeClient(target_app.token, "http://localhost", transport=refusing) as target:
        job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)]))
        ((_, why),) = job.run(WorkspaceSource(offline), target).failed
        assert "may still be creating" not in str(why)
        again = Job.open(job.folder).run(WorkspaceSource(offline), target)  # (replayed)
        assert again.complete and len(again.created) == 1, again.failed
        assert refusing.group_creates == 2
        assert [(g.name, g.feature_count) for g in target.iter_groups()] == [("team", 1)]
    target_app.close()


@pytest.mark.parametrize("by", ["id", "name"])
def test_a_move_into_the_group_it_comes_from_deletes_nothing(
    offline: CozeClient, tmp_path: Path, by: str
) -> None:
    # the reviewer's data loss: "move" with the same workspace and the default target (a
    # group of the same name) found the originals themselves as "already there" and
    # deleted them
    gid = _fill(offline, "kitchen", 3, tmp_path)
    before = _content(offline, gid)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    where = {"profile": "offline", "base_url": "http://localhost"}
    into = PlanGroup("t", group.name, target_id=gid) if by == "id" else None
    plan = plan_copy(
        offline, [(group, None)], into=into, move=True, source=where, target=dict(where)
    )
    result = Job.create(tmp_path / "jobs", plan).run(WorkspaceSource(offline), offline)
    assert result.sources_deleted == [] and result.existed == [] and result.created == []
    assert [str(why) for _, why in result.skipped] == [
        "it is already in that group; choose another group as the destination"
    ] * 3
    assert _content(offline, gid) == before
    assert [g.id for g in offline.iter_groups()] == [gid]


def test_resuming_an_old_journal_whose_copy_is_the_original_deletes_nothing(
    offline: CozeClient, tmp_path: Path
) -> None:
    # a move into its own group journaled by the version with the data loss: each item
    # "done" as the original itself; the resume must not delete them
    gid = _fill(offline, "attic", 2, tmp_path)
    before = _content(offline, gid)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    where = {"profile": "offline", "base_url": "http://localhost"}
    plan = plan_copy(
        offline,
        [(group, None)],
        into=PlanGroup("t", group.name, target_id=gid),
        move=True,
        source=where,
        target=dict(where),
    )
    job = Job.create(tmp_path / "jobs", plan)
    for item in plan.items:
        job.journal.write("done", k=item.key, id=item.origin["feature_id"], how="existed")
    result = Job.open(job.folder).run(WorkspaceSource(offline), offline)
    assert result.sources_deleted == []
    assert len(result.skipped) == 2
    assert _content(offline, gid) == before


def test_copying_an_empty_group_makes_it_in_the_target(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    gid = offline.create_group("spare room", "nobody yet")
    group = next(g for g in offline.iter_groups() if g.id == gid)
    with _remote(second) as remote:
        result = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)])).run(
            WorkspaceSource(offline), remote
        )
        assert result.complete
        made = remote.list_groups(1, 10, group_id=_group_named(remote, "spare room")).items
        assert [(g.name, g.desc) for g in made] == [("spare room", "nobody yet")]


def test_cozepy_reads_what_was_copied(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    with warnings.catch_warnings():
        pytest.importorskip("authlib.deprecate")
        warnings.filterwarnings("ignore", message=r"authlib\.jose module is deprecated")
        cozepy = pytest.importorskip("cozepy")
    gid = _fill(offline, "sdk", 2, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    with _remote(second) as remote:
        Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)])).run(
            WorkspaceSource(offline), remote
        )
    http = cozepy.SyncHTTPClient(timeout=10)
    try:
        coze = cozepy.Coze(
            auth=cozepy.TokenAuth(second.token), base_url=second.url, http_client=http
        )
        groups = coze.audio.voiceprint_groups
        (found,) = [g for g in groups.list(page_size=10).items if g.name == "sdk"]
        names = sorted(f.name for f in groups.features.list(group_id=found.id, page_size=10))
        assert names == ["speaker 0", "speaker 1"]
    finally:
        http.close()


# -- export and import ------------------------------------------------------------------


def _export(client: CozeClient, out: Path) -> None:
    export_groups(client, list(client.iter_groups()), out, source={"workspace": "test"})


def test_an_archive_made_while_an_export_runs_is_not_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line's export refuses a name already there before it starts, and also
    one another export (or the operator) made while it was listing and downloading: that
    file is kept as it is, nothing is left beside it, and it says why."""
    from voiceprint_studio.transfer import sources

    app = create_app(cli.data_dir() / "offline-workspace", BACKEND_TOKEN)
    with _client(app) as client:
        _fill(client, "lobby", 2, tmp_path)
    app.close()
    out = tmp_path / "backup.zip"
    real = sources.write_archive

    def someone_else_first(path: Path, *args: Any, **kwargs: Any) -> Path:
        path.write_bytes(b"the other export's archive")  # (between the check and the end)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sources, "write_archive", someone_else_first)
    err = io.StringIO()
    assert cli.export_main([str(out)], io.StringIO(), err) == 1
    assert out.read_bytes() == b"the other export's archive"
    assert f"{out} already exists, and nothing was written" in err.getvalue()
    assert sorted(p.name for p in tmp_path.glob("backup*")) == ["backup.zip"]


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_an_archive_not_to_overwrite_is_put_in_place_on_any_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    """A USB stick's FAT file system has no hard links: the archive is still written
    there, and still refuses a name already taken."""
    from voiceprint_studio.transfer.archive import Manifest, write_archive

    if not links:

        def no_links(*_args: object) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_links)
    manifest = Manifest(groups=(), voiceprints=(), source={}, created_at="", app_version="")
    out = tmp_path / "stick.zip"
    write_archive(out, manifest, {}, overwrite=False)
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["voiceprints"] == []
    out.write_bytes(b"kept")
    with pytest.raises(FileExistsError):
        write_archive(out, manifest, {}, overwrite=False)
    assert out.read_bytes() == b"kept"
    assert sorted(p.name for p in tmp_path.glob("stick*")) == ["stick.zip"]


def test_two_exports_to_one_name_at_once_never_leave_the_others_archive_under_its_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two exports to one name at once (two scripts' backups): each wrote the same
    "backup.zip.part", so the second one's start emptied the first one's file, and the
    first linked into place what the second was still writing, said it wrote its own
    archive, and the second said nothing was written. The one that says it wrote the
    archive wrote what is there; the other one leaves nothing."""
    from voiceprint_studio.transfer.archive import Manifest, write_archive

    out = tmp_path / "backup.zip"
    audio = tmp_path / "a.wav"
    audio.write_bytes(wav_bytes(0.3))

    def manifest(name: str) -> Manifest:
        return Manifest(
            groups=(), voiceprints=(), source={"who": name}, created_at="", app_version=""
        )

    second_started, first_done = threading.Event(), threading.Event()
    results: dict[str, object] = {}
    real_fsync, real_writestr = os.fsync, zipfile.ZipFile.writestr

    def second() -> None:
        try:
            results["second"] = write_archive(out, manifest("second"), {}, overwrite=False)
        except OSError as exc:
            results["second"] = exc

    def fsync(fd: int) -> None:
        if threading.current_thread().name == "first":  # its archive written: the other starts
            worker = threading.Thread(target=second, name="second")
            results["thread"] = worker
            worker.start()
            assert second_started.wait(10)
        real_fsync(fd)

    def writestr(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        real_writestr(self, *args, **kwargs)
        if threading.current_thread().name == "second":
            second_started.set()
            assert first_done.wait(10)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)

    def first() -> None:
        try:
            results["first"] = write_archive(out, manifest("first"), {}, overwrite=False)
        except OSError as exc:
            results["first"] = exc
        finally:
            first_done.set()

    worker = threading.Thread(target=first, name="first")
    worker.start()
    worker.join(20)
    thread = results["thread"]
    assert isinstance(thread, threading.Thread)
    thread.join(20)
    winners = [who for who in ("first", "second") if results[who] == out]
    assert len(winners) == 1, results
    (winner,) = winners
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["source"] == {"who": winner}
    assert sorted(p.name for p in tmp_path.glob("backup*")) == ["backup.zip"]


def test_export_import_round_trip_into_an_empty_workspace(
    offline: CozeClient, second: Loopback, tmp_path: Path
) -> None:
    a = _fill(offline, "kitchen", 3, tmp_path)
    b = _fill(offline, "office", 2, tmp_path)
    out = tmp_path / "backup.zip"
    _export(offline, out)
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["format"] == "voiceprint-studio-archive" and manifest["version"] == 1
    assert {g["source_id"] for g in manifest["groups"]} == {a, b}
    with read_archive(out) as archive, _remote(second) as remote:
        result = Job.create(tmp_path / "jobs", plan_archive(archive)).run(
            ArchiveSource(archive), remote
        )
        assert result.complete and len(result.created) == 5
        for gid, name in ((a, "kitchen"), (b, "office")):
            assert _content(remote, _group_named(remote, name)) == _content(offline, gid)


def _tamper(src: Path, dst: Path, change: str) -> Path:
    with zipfile.ZipFile(src) as zin:
        entries = {i.filename: zin.read(i) for i in zin.infolist()}
    manifest = json.loads(entries["manifest.json"])
    audio = manifest["voiceprints"][0]["file"]
    if change == "audio":
        data = bytearray(entries[audio])
        data[-1] ^= 0xFF
        entries[audio] = bytes(data)
    elif change == "manifest":
        entries["manifest.json"] = b'{"format": "voiceprint-studio-archive", "version": 1, "gr'
    elif change == "escape":
        manifest["voiceprints"][0]["file"] = "../../outside.wav"
        entries["manifest.json"] = json.dumps(manifest).encode()
    elif change == "extra":
        entries["../evil.sh"] = b"rm -rf /"
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries.items():
            zout.writestr(name, data)
    return dst


def _zip_bomb(src: Path, dst: Path) -> Path:
    """An entry whose header claims a small size but inflates to 200 MB of zeros."""
    with zipfile.ZipFile(src) as zin:
        entries = {i.filename: zin.read(i) for i in zin.infolist()}
    manifest = json.loads(entries["manifest.json"])
    audio = manifest["voiceprints"][0]["file"]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries.items():
            if name == audio:
                with zout.open(name, "w", force_zip64=True) as handle:
                    block = bytes(1 << 20)
                    for _ in range(200):
                        handle.write(block)
            else:
                zout.writestr(name, data)
    return dst


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("audio", "does not match its checksum"),
        ("manifest", "not valid JSON"),
        ("escape", "outside the archive's audio folder"),
        ("extra", "written outside its folder"),
        ("bomb", "larger than an archive entry may be"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_is_written(
    offline: CozeClient, second: Loopback, tmp_path: Path, change: str, words: str
) -> None:
    _fill(offline, "kitchen", 2, tmp_path)
    good = tmp_path / "good.zip"
    _export(offline, good)
    bad = tmp_path / f"{change}.zip"
    if change == "bomb":
        _zip_bomb(good, bad)
    else:
        _tamper(good, bad, change)
    with pytest.raises(ArchiveError, match=words):
        read_archive(bad)
    # the command line says so, exits non-zero and writes nothing
    out, err = io.StringIO(), io.StringIO()
    os.environ[cli.TOKEN_ENV] = second.token
    try:
        code = cli.import_main(["--server", second.url, str(bad)], out, err)
    finally:
        del os.environ[cli.TOKEN_ENV]
    assert code == cli.EXIT_INCOMPLETE
    assert words in err.getvalue()
    with _remote(second) as remote:
        assert list(remote.iter_groups()) == []
    assert not (cli.data_dir() / "jobs").exists() or not any((cli.data_dir() / "jobs").iterdir())


# -- the command line ---------------------------------------------------------------------


def test_cli_export_and_import_offline_and_server(
    second: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the offline workspace is the app's own (the test's isolated data folder)
    app = create_app(cli.data_dir() / "offline-workspace", BACKEND_TOKEN)
    with _client(app) as client:
        keep = _fill(client, "lobby", 2, tmp_path)
        _fill(client, "not this", 1, tmp_path)
        before = _content(client, keep)
    app.close()
    out = tmp_path / "lobby.zip"
    assert cli.export_main(["--group", "lobby", str(out)], io.StringIO(), io.StringIO()) == 0
    assert [
        g["name"] for g in json.loads(zipfile.ZipFile(out).read("manifest.json"))["groups"]
    ] == ["lobby"]
    monkeypatch.setenv(cli.TOKEN_ENV, second.token)
    printed = io.StringIO()
    assert cli.import_main(["--server", second.url, str(out)], printed, io.StringIO()) == 0
    assert "Created 2" in printed.getvalue()
    with _remote(second) as remote:
        assert _content(remote, _group_named(remote, "lobby")) == before
    # no token in the environment: a sentence, not a traceback
    monkeypatch.delenv(cli.TOKEN_ENV)
    err = io.StringIO()
    assert cli.import_main(["--server", second.url, str(out)], io.StringIO(), err) == 1
    assert cli.TOKEN_ENV in err.getvalue()
    # an earlier archive is not written over: nothing is written, and it says so
    earlier = out.read_bytes()
    err = io.StringIO()
    assert cli.export_main([str(out)], io.StringIO(), err) == 1
    assert out.read_bytes() == earlier
    assert f"{out} already exists, and nothing was written" in err.getvalue()
    assert not list(tmp_path.glob("*.part"))
    # through the real entry point, as a script would call it
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "voiceprint_studio",
            "export",
            "--group",
            "nope",
            str(tmp_path / "nope.zip"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert done.returncode == 1
    assert "There is no group named 'nope'" in done.stderr


def test_cli_import_of_a_folder_that_gained_files_since_a_failed_run_imports_them_all(
    second: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that did nothing (a wrong token) leaves its job; the operator adds a file and
    runs again: both files are imported (the job of the old listing does not hide the new
    one), the old job goes, and the new job says where it goes (the app resumes it there)."""
    from tests.audio_fixtures import espeak_wav

    folder = tmp_path / "people"
    (folder / "desk").mkdir(parents=True)
    speech = espeak_wav(tmp_path, "zh")
    (folder / "desk" / "Li Na.wav").write_bytes(speech.read_bytes())
    monkeypatch.setenv(cli.TOKEN_ENV, "pat_not_the_right_token_at_all")
    assert cli.import_main(["--server", second.url, str(folder)], io.StringIO(), io.StringIO()) == 1
    (stale,) = unfinished_jobs(cli.data_dir() / "jobs")
    assert dict(stale.plan.target) == {"workspace": "server", "base_url": second.url}
    (folder / "desk" / "Wang Wei.wav").write_bytes(speech.read_bytes())
    monkeypatch.setenv(cli.TOKEN_ENV, second.token)
    printed = io.StringIO()
    code = cli.import_main(["--server", second.url, str(folder)], printed, io.StringIO())
    assert code == 0, printed.getvalue()
    assert "Importing 2 voiceprints into 1 group;" in printed.getvalue()  # (no "(s)")
    with _remote(second) as remote:
        gid = _group_named(remote, "desk")
        assert sorted(v.name for v in remote.iter_voiceprints(gid)) == ["Li Na", "Wang Wei"]
    assert unfinished_jobs(cli.data_dir() / "jobs") == []


def test_cli_imports_a_folder_and_a_csv_through_the_checker(
    second: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.audio_fixtures import espeak_wav

    folder = tmp_path / "people"
    (folder / "reception").mkdir(parents=True)
    speech = espeak_wav(tmp_path, "zh")
    # a 44.1 kHz stereo copy: converted on the way, the original untouched
    stereo = folder / "reception" / "Li Na.wav"
    subprocess.run(["sox", str(speech), "-r", "44100", "-c", "2", str(stereo)], check=True)
    original = stereo.read_bytes()
    (folder / "reception" / "quiet.wav").write_bytes(wav_bytes(3.0, freq=0.0))  # silence
    monkeypatch.setenv(cli.TOKEN_ENV, second.token)
    printed = io.StringIO()
    code = cli.import_main(["--server", second.url, str(folder)], printed, io.StringIO())
    report = printed.getvalue()
    assert code == 1, report  # one file was skipped
    assert "Created 1" in report and "skipped 'quiet'" in report
    assert stereo.read_bytes() == original
    with _remote(second) as remote:
        gid = _group_named(remote, "reception")
        (vp,) = list(remote.iter_voiceprints(gid))
        sent = remote.download_audio(vp.audio_url)
        info = soundfile.info(io.BytesIO(sent))
        assert (vp.name, info.samplerate, info.channels) == ("Li Na", 16000, 1)
    # a CSV names files, names, descriptions and groups
    table = tmp_path / "list.csv"
    table.write_text(
        "file,name,description,group\n"
        f"{speech},Wang Wei,night shift,security\n"
        f"{speech},This name is far too long for Coze,,security\n",
        encoding="utf-8",
    )
    printed = io.StringIO()
    assert cli.import_main(["--server", second.url, str(table)], printed, io.StringIO()) == 1
    assert "longer than 20 characters" in printed.getvalue()
    with _remote(second) as remote:
        (vp,) = list(remote.iter_voiceprints(_group_named(remote, "security")))
        assert (vp.name, vp.desc) == ("Wang Wei", "night shift")


def test_a_group_name_too_long_is_said_of_the_group_and_not_waited_for(
    second: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named longer than Coze takes: each file is skipped with a reason that
    names the group (it read as the voiceprint's name being too long), before any call;
    no job is left (renamed, it is another import), and running again says the same."""
    from tests.audio_fixtures import espeak_wav

    long_name = "Front desk of the east wing"  # 27 characters
    folder = tmp_path / "people"
    (folder / long_name).mkdir(parents=True)
    speech = espeak_wav(tmp_path, "zh")
    (folder / long_name / "Li Na.wav").write_bytes(speech.read_bytes())
    monkeypatch.setenv(cli.TOKEN_ENV, second.token)
    for _run in range(2):
        printed = io.StringIO()
        assert cli.import_main(["--server", second.url, str(folder)], printed, io.StringIO()) == 1
        said = printed.getvalue()
        assert (
            f"skipped 'Li Na': the group name “{long_name}” is longer than 20 characters, "
            "the most Coze takes: shorten it" in said
        ), said
        assert "may still be creating" not in said
        assert unfinished_jobs(cli.data_dir() / "jobs") == []
    with _remote(second) as remote:
        assert list(remote.iter_groups()) == []


def test_an_empty_group_that_cannot_be_made_is_said_and_skipped_for_good(
    offline: CozeClient, tmp_path: Path
) -> None:
    """The reviewer's: an empty group of a hand-made archive, its name too long, ended
    every run (and resume) with an error; it is now skipped, under its name, and the
    job ends; the other empty group is made."""
    long_name = "An empty group named far too long"
    plan = Plan(
        kind="import",
        groups=(PlanGroup("a", long_name), PlanGroup("b", "spare")),
        items=(),
        source={"archive": "hand-made.zip"},
        target={"workspace": "offline"},
    )
    job = Job.create(tmp_path / "jobs", plan)
    result = job.run(WorkspaceSource(offline), offline)
    ((item, why),) = result.skipped
    assert item.name == long_name and not result.failed
    assert str(why).startswith(f"the group name “{long_name}” is longer than 20 characters")
    assert [g.name for g in offline.iter_groups()] == ["spare"]
    assert unfinished_jobs(tmp_path / "jobs") == []


# -- surviving a kill ------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.transfer.jobs import Job
    from voiceprint_studio.transfer.sources import WorkspaceSource
    folder, src_url, src_token, dst_url, dst_token = sys.argv[1:6]
    with CozeClient(src_token, src_url) as src, CozeClient(dst_token, dst_url) as dst:
        Job.open(Path(folder)).run(WorkspaceSource(src), dst, workers=2)
    """
)


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_a_job_killed_at_random_moments_resumes_without_loss_or_duplicates(
    tmp_path: Path, move: bool
) -> None:
    rng = random.Random(1234 + move)
    killed = 0
    for attempt in range(3):
        src_app = create_app(tmp_path / f"src{attempt}", "pat_source_token_abc")
        dst_app = create_app(tmp_path / f"dst{attempt}", "pat_target_token_abc")
        with LoopbackServer(src_app) as src_server, LoopbackServer(dst_app) as dst_server:
            with CozeClient(src_app.token, src_server.url) as src:
                gid = _fill(src, "kill me", 8, tmp_path)
                before = _content(src, gid)
                group = next(g for g in src.iter_groups() if g.id == gid)
                job = Job.create(tmp_path / "jobs", plan_copy(src, [(group, None)], move=move))
            journal = job.folder / "journal.jsonl"
            # kill after a random number of journal steps (staging, sending, done, deleting)
            kill_after = rng.randint(1, 20)
            child = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _CHILD,
                    str(job.folder),
                    src_server.url,
                    src_app.token,
                    dst_server.url,
                    dst_app.token,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + 60
            while child.poll() is None and time.monotonic() < deadline:
                if journal.exists() and journal.read_text().count("\n") >= kill_after:
                    break
                time.sleep(0.005)
            os.kill(child.pid, signal.SIGKILL) if child.poll() is None else None
            child.wait(timeout=30)
            killed += child.returncode == -signal.SIGKILL
            assert child.stderr is not None
            child.stderr.close()
            with (
                CozeClient(src_app.token, src_server.url) as src,
                CozeClient(dst_app.token, dst_server.url) as dst,
            ):
                if job.folder.exists():
                    age_journal(job.folder, src_server, dst_server)
                    result = Job.open(job.folder).run(WorkspaceSource(src), dst)
                    assert not result.failed, result.failed
                there = _group_named(dst, "kill me")
                assert _content(dst, there) == before, f"kill after {kill_after} steps"
                assert len(list(dst.iter_voiceprints(there))) == 8  # no duplicates
                left = list(src.iter_voiceprints(gid))
                assert len(left) == (0 if move else 8)
            assert not job.folder.exists()
        src_app.close()
        dst_app.close()
    assert killed == 3, "the child finished before it could be killed"


def test_plan_round_trips_through_its_file() -> None:
    plan = Plan(
        kind="copy",
        groups=(PlanGroup("g1", "名字", "desc"),),
        items=(),
        source={"workspace": "offline"},
    )
    assert Plan.from_json(plan.to_json()) == plan


def test_a_line_torn_by_a_kill_does_not_swallow_the_next_one(tmp_path: Path) -> None:
    """The journal of a job killed mid-write ends in half a line: the next run's first
    line starts on a line of its own (appended straight after, both were unreadable)."""
    from voiceprint_studio.transfer.jobs import Journal

    path = tmp_path / "journal.jsonl"
    Journal(path).write("staged", k="a", file="a.wav")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"e": "sending", "k": "b", "t": 1')  # the kill
    later = Journal(path)  # the next run
    later.write("done", k="a", id="v1", how="created")
    later.write("staged", k="b", file="b.wav")
    assert [(e["e"], e["k"]) for e in later.entries()] == [
        ("staged", "a"),
        ("done", "a"),
        ("staged", "b"),
    ]


def test_the_command_line_says_when_the_app_has_the_offline_workspace_open(
    tmp_path: Path,
) -> None:
    """The reviewer's: an import into the offline workspace while the app had it open ended
    in a traceback. It is a sentence now, with what to do, and exit status 1."""
    holder = create_app(cli.data_dir() / "offline-workspace", BACKEND_TOKEN)  # the app
    with _client(holder) as app_side:
        app_side.create_group("open in the app")
        folder = tmp_path / "people"
        (folder / "desk").mkdir(parents=True)
        (folder / "desk" / "Li Na.wav").write_bytes(wav_bytes(0.3))
        err = io.StringIO()
        assert cli.import_main([str(folder)], io.StringIO(), err) == cli.EXIT_INCOMPLETE
        assert err.getvalue() == (
            "voiceprint-studio import: The offline workspace is open in Voiceprint Studio (or "
            "in a server started on it): close it, then run the command again.\n"
        )
    holder.close()
    # closed: it imports, and says no API call is made (the tester read "at most 16 API
    # calls" of an offline import)
    printed = io.StringIO()
    cli.import_main([str(folder)], printed, io.StringIO())
    assert printed.getvalue().startswith(
        "Importing 1 voiceprint into 1 group of the offline workspace (on this "
        "computer: no API calls)."
    )


# -- the second review of the data paths (moves kept, settling, resumes) ------------------


class _LoseDeleteAnswerThenDown(httpx.BaseTransport):
    """The first delete is carried out but its answer is lost; the retries cannot connect."""

    def __init__(self, app: BackendApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.deletes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            self.deletes += 1
            if self.deletes == 1:
                self.inner.handle_request(request)  # carried out
                raise httpx.ReadTimeout("answer lost", request=request)
            raise httpx.ConnectError("network down", request=request)
        return self.inner.handle_request(request)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_delete_whose_retries_cannot_connect_after_a_lost_answer_keeps_the_original(
    tmp_path: Path,
) -> None:
    """The delete went through but its answer was lost; the retries could not connect. The
    call ended with "could not connect" (never sent), read as "nothing was deleted", and the
    kept copy was taken out of Recently deleted: the original was gone from both."""
    import stamina

    from voiceprint_studio.transfer.trash import RecentlyDeleted

    app = create_app(tmp_path / "src", BACKEND_TOKEN)
    where = {"profile": "offline", "base_url": "http://localhost"}
    store = RecentlyDeleted(tmp_path / "recently-deleted")
    stamina.set_testing(True, attempts=4)
    try:
        with _client(app) as src, _client(create_app(tmp_path / "dst", "pat_t")) as dst:
            gid = _fill(src, "team", 1, tmp_path)
            (original,) = [_sha(src.download_audio(v.audio_url)) for v in src.iter_voiceprints(gid)]
            group = next(g for g in src.iter_groups() if g.id == gid)
            lossy = _LoseDeleteAnswerThenDown(app)
            with CozeClient(app.token, "http://localhost", transport=lossy) as flaky:
                job = Job.create(tmp_path / "jobs", plan_copy(src, [(group, None)], move=True))
                result = job.run(WorkspaceSource(flaky), dst, keep_original=store.keeper(where))
            assert lossy.deletes > 1 and list(src.iter_voiceprints(gid)) == []
            ((_, why),) = result.failed
            assert str(why).startswith("copied; the original's delete got no answer")
            kept = [_sha(v.audio.read_bytes()) for e in store.entries() for v in e.voiceprints]
            assert kept == [original]
    finally:
        stamina.set_testing(False)
    app.close()


def test_a_resumed_move_neither_deletes_a_replaced_original_nor_stalls_on_a_gone_one(
    tmp_path: Path,
) -> None:
    """A resumed move deleted an original whose audio the operator had replaced since the
    copy (keeping only the old audio); and, from a run that kept no staged audio, it never
    finished once the operator had deleted the original."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    app = create_app(tmp_path / "src", BACKEND_TOKEN)
    where = {"profile": "offline", "base_url": "http://localhost"}
    store = RecentlyDeleted(tmp_path / "recently-deleted")
    refusing = Refusing(app, "DELETE", "/features/")
    with (
        _client(app) as src,
        _client(create_app(tmp_path / "dst", "pat_t")) as dst,
        CozeClient(app.token, "http://localhost", transport=refusing) as no,
    ):
        gid = _fill(src, "team", 2, tmp_path)
        group = next(g for g in src.iter_groups() if g.id == gid)
        job = Job.create(tmp_path / "jobs", plan_copy(src, [(group, None)], move=True))
        first = job.run(WorkspaceSource(no), dst, keep_original=store.keeper(where))
        assert len(first.failed) == 2 and store.entries() == []  # refused: nothing kept
        replaced, gone = sorted(src.iter_voiceprints(gid), key=lambda v: v.name)
        new = tmp_path / "new.wav"
        new.write_bytes(wav_bytes(0.4, freq=777.0))
        src.update_voiceprint(gid, replaced.id, audio=AudioUpload.from_path(new))
        src.delete_voiceprint(gid, gone.id)  # by hand
        refusing.refusing = False
        second = Job.open(job.folder).run(
            WorkspaceSource(src), dst, keep_original=store.keeper(where)
        )
        ((item, why),) = second.failed
        assert item.name == replaced.name
        assert str(why).startswith("its audio was changed after it was copied")
        assert [v.id for v in src.iter_voiceprints(gid)] == [replaced.id]  # not deleted
        (there,) = list(src.iter_voiceprints(gid))
        assert _sha(src.download_audio(there.audio_url)) == _sha(new.read_bytes())
        assert second.sources_deleted == [] and store.entries() == []
    app.close()


def test_the_settle_time_counts_from_when_the_create_ended_with_no_answer(
    offline: CozeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload took 200 s on a slow link, then got no answer: a resume right after sent it
    again (the 180 s were counted from its start) while the service was still making it."""
    real = time.time
    offset = [0.0]
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])
    gid = _fill(offline, "team", 1, tmp_path)
    group = next(g for g in offline.iter_groups() if g.id == gid)
    target_app = create_app(tmp_path / "target", "pat_slow_token")
    slow = SlowThenLost(target_app, offset, 200.0)
    with CozeClient(target_app.token, "http://localhost", transport=slow) as target:
        job = Job.create(tmp_path / "jobs", plan_copy(offline, [(group, None)]))
        assert len(job.run(WorkspaceSource(offline), target).failed) == 1
        again = Job.open(job.folder).run(WorkspaceSource(offline), target)
        assert slow.creates == 1  # not sent again
        assert str(again.failed[0][1]).startswith("the service may still be adding it")
        assert slow.held is not None
        httpx.WSGITransport(app=target_app).handle_request(slow.held)  # it lands now
        offset[0] += SETTLE_SECONDS + 1
        last = Job.open(job.folder).run(WorkspaceSource(offline), target)
        assert last.complete and len(last.existed) == 1 and slow.creates == 1
    target_app.close()


def test_the_command_lines_counts_are_said_in_the_singular_or_the_plural() -> None:
    """The tester's: "1 group(s)". English says "1 group", "2 groups"; a translation
    without "(s)" (Chinese) is left as it is."""
    from voiceprint_studio.cli_words import Words

    words = Words()
    template = "Exported {groups} group(s) with {voiceprints} voiceprint(s) to {path}."
    assert words.say(template, groups=1, voiceprints=2, path="a.zip") == (
        "Exported 1 group with 2 voiceprints to a.zip."
    )
    assert words.say(template, groups=0, voiceprints=1, path="a.zip") == (
        "Exported 0 groups with 1 voiceprint to a.zip."
    )

    class Chinese(Words):
        def tr(self, text: str) -> str:
            return "已将 {groups} 个声纹组（{voiceprints} 个声纹）导出到 {path}。"

    assert Chinese().say(template, groups=1, voiceprints=2, path="a.zip") == (
        "已将 1 个声纹组（2 个声纹）导出到 a.zip。"
    )


def test_the_command_prints_its_own_words_not_the_calls_log_lines(
    tmp_path: Path, loopback: Any
) -> None:
    """The walk-through's: with a refused token, "coze GET … AuthenticationError" log lines
    (and the retry library's) came on the terminal before the command's sentence. They go
    to the app's log file, with the token left out, as the window's do."""
    env = {**os.environ, "VOICEPRINT_STUDIO_TOKEN": "pat_refused_token_0123456789"}
    env.update(LANGUAGE="en", LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=str(tmp_path))
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    run = subprocess.run(
        [sys.executable, "-m", "voiceprint_studio", "export", "--server", loopback.url, "x.zip"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert run.stderr.startswith("voiceprint-studio export: "), run.stderr
    assert "coze GET" not in run.stderr and "AuthenticationError" not in run.stderr
    (log,) = tmp_path.glob("state/**/voiceprint-studio.log")
    logged = log.read_text(encoding="utf-8")
    assert "coze GET /v1/audio/voiceprint_groups" in logged
    assert "pat_refused_token_0123456789" not in logged and not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "No such file or directory: {out}\n"),
        ("zh_CN", "无法读取或写入“{out}”：文件或其所在的文件夹不存在。请确认文件存在"),
    ],
)
def test_an_export_into_a_missing_folder_names_the_file_in_the_operators_words(
    tmp_path: Path, language: str, said: str
) -> None:
    """The walk-through's: the Chinese said "无法读取或写入该文件：No such file or
    directory" (the system's English, no file named), the English named the temporary
    "x.zip.part". Both name the file asked for; Chinese says why in Chinese."""
    out = tmp_path / "missing" / "x.zip"
    env = {**os.environ, "LANGUAGE": language, "LANG": f"{language}.UTF-8"}
    env.update(LC_ALL=f"{language}.UTF-8" if language != "en" else "C.UTF-8")
    env.update(HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env.pop("VOICEPRINT_STUDIO_TOKEN", None)
    run = subprocess.run(
        [sys.executable, "-m", "voiceprint_studio", "export", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert said.format(out=out) in run.stderr, run.stderr
    assert ".part" not in run.stderr and not out.parent.exists()
