"""A copy or move job in a process of its own (voiceprint_studio.transfer.child): real
child processes (spawned), real loopback servers, the offline workspace answering through
the pipe; kills of the child and of the process that started it."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.unit.test_transfer import _content, _fill, _group_named, age_journal
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.errors import ApiError
from voiceprint_studio.api.uploads import CancelToken
from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.transfer import sources
from voiceprint_studio.transfer.child import (
    CopyOrder,
    JobProcess,
    JobProcessGoneError,
    OfflineAudio,
    Place,
    ResumeOrder,
)
from voiceprint_studio.transfer.jobs import Job, JobProgress, unfinished_jobs
from voiceprint_studio.transfer.sources import WorkspaceSource, plan_copy, run_copy
from voiceprint_studio.transfer.trash import RecentlyDeleted

OFFLINE = "http://localhost"


class Counter:
    """A call observer: the calls counted for one account, as the app counts them."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def on_attempt(self, service: str, endpoint: str) -> None:
        with self.lock:
            self.calls += 1

    def on_unsent(self, service: str, endpoint: str) -> None:
        with self.lock:
            self.calls -= 1

    def on_failure(self, error: ApiError) -> None:
        pass


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]]:
    src_app = create_app(tmp_path / "src", "pat_source_token_abc")
    dst_app = create_app(tmp_path / "dst", "pat_target_token_xyz")
    with LoopbackServer(src_app) as src_server, LoopbackServer(dst_app) as dst_server:
        yield src_app, src_server, dst_app, dst_server
    src_app.close()
    dst_app.close()


def _order(
    src: Place,
    dst: Place,
    client: CozeClient,
    gid: str,
    jobs: Path,
    *,
    move: bool = False,
    audio: OfflineAudio | None = None,
    trash: Path | None = None,
) -> CopyOrder:
    group = next(g for g in client.iter_groups() if g.id == gid)
    return CopyOrder(
        src,
        dst,
        [(group, None)],
        None,
        move,
        {"workspace": "source"},
        {"workspace": "target"},
        jobs,
        [group.name],
        audio=audio,
        trash=trash,
    )


def _filled(  # noqa: PLR0917 - the two servers and the group to fill
    src_app: BackendApp,
    src_server: LoopbackServer,
    dst_app: BackendApp,
    dst_server: LoopbackServer,
    name: str,
    count: int,
    tmp_path: Path,
    *,
    move: bool = False,
) -> tuple[str, dict[str, tuple[str, str]], CopyOrder]:
    """A group of ``count`` on the source server, its content, and the order that copies
    (or moves, its originals kept in ``tmp_path/trash``) it to the target server."""
    with CozeClient(src_app.token, src_server.url) as src:
        gid = _fill(src, name, count, tmp_path)
        order = _order(
            Place(src_server.url, src_app.token),
            Place(dst_server.url, dst_app.token),
            src,
            gid,
            tmp_path / "jobs",
            move=move,
            trash=tmp_path / "trash" if move else None,
        )
        return gid, _content(src, gid), order


def _not_here(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the job ran in the app's process")


def test_a_copy_out_of_the_offline_workspace_runs_in_its_own_process(
    tmp_path: Path,
    two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, _, dst_app, dst_server = two
    offline = create_app(tmp_path / "offline", "in-process-token")
    offline_transport = httpx.WSGITransport(app=offline)
    with CozeClient(offline.token, OFFLINE, transport=offline_transport) as local:
        gid = _fill(local, "kitchen", 10, tmp_path)
        before = _content(local, gid)
        process = JobProcess()
        process.start()
        assert process.pid is not None and process.pid != os.getpid()
        # what the child was given is not on its command line nor in its environment
        for part in ("cmdline", "environ"):
            seen = Path(f"/proc/{process.pid}/{part}").read_bytes()
            assert dst_app.token.encode() not in seen and offline.token.encode() not in seen
        # were it run here, this would fail it
        monkeypatch.setattr(sources, "run_copy", _not_here)
        monkeypatch.setattr(Job, "run", _not_here)
        counted, seen_progress, made = Counter(), list[JobProgress](), list[bool]()
        result = process.run(
            _order(
                Place(OFFLINE, offline.token, via_app=True),
                Place(dst_server.url, dst_app.token),
                local,
                gid,
                tmp_path / "jobs",
                audio=OfflineAudio(offline.store.audio_dir, offline.url_secret),
            ),
            cancel=CancelToken(),
            progress=seen_progress.append,
            offline=offline_transport,
            observers={"source": None, "target": counted},
            made=lambda: made.append(True),
        )
    monkeypatch.undo()
    assert result.complete and len(result.created) == 10, result
    assert made == [True]
    assert (seen_progress[-1].items_done, seen_progress[-1].items_total) == (10, 10)
    with CozeClient(dst_app.token, dst_server.url) as dst:
        there = _group_named(dst, "kitchen")
        assert _content(dst, there) == before
        # every call on the target's account was counted here: the look-up, the group
        # and 10 creates (no listing of a group it made itself)
        assert counted.calls == 12
    assert not list((tmp_path / "jobs").iterdir())  # done: its folder is gone
    offline.close()


def test_the_child_counts_what_the_same_copy_counts_in_the_app(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    src_app, src_server, dst_app, dst_server = two
    here = {"source": Counter(), "target": Counter()}
    apart = {"source": Counter(), "target": Counter()}
    with (
        CozeClient(src_app.token, src_server.url) as plain_src,
        CozeClient(dst_app.token, dst_server.url) as plain_dst,
    ):
        gid = _fill(plain_src, "hall", 3, tmp_path)
        order = _order(
            Place(src_server.url, src_app.token),
            Place(dst_server.url, dst_app.token),
            plain_src,
            gid,
            tmp_path / "jobs",
        )
        with (
            CozeClient(src_app.token, src_server.url, observer=here["source"]) as src,
            CozeClient(dst_app.token, dst_server.url, observer=here["target"]) as dst,
        ):
            assert run_copy(
                src,
                dst,
                WorkspaceSource(src),
                order.selection,
                into=None,
                move=False,
                source_where={},
                target_where={},
                jobs_dir=tmp_path / "jobs",
                look_up=order.look_up,
                cancel=CancelToken(),
            ).complete
        # the same copy again, into a new group of that name
        plain_dst.update_group(_group_named(plain_dst, "hall"), name="hall, first copy")
        assert JobProcess().run(order, cancel=CancelToken(), observers=apart).complete
        assert _content(plain_dst, _group_named(plain_dst, "hall")) == _content(plain_src, gid)
    assert {k: c.calls for k, c in apart.items()} == {k: c.calls for k, c in here.items()}
    assert apart["source"].calls > 0 and apart["target"].calls > 0


def test_a_cancel_reaches_the_child_and_the_job_resumes_without_duplicates(
    tmp_path: Path,
) -> None:
    src_app = create_app(tmp_path / "src", "pat_source_token_abc")
    dst_app = create_app(tmp_path / "dst", "pat_target_token_xyz", latency=0.3)
    with LoopbackServer(src_app) as src_server, LoopbackServer(dst_app) as dst_server:
        gid, before, order = _filled(
            src_app, src_server, dst_app, dst_server, "porch", 10, tmp_path, move=True
        )
        cancel = CancelToken()

        def progress(p: JobProgress) -> None:
            if p.items_done >= 1:
                cancel.cancel()  # (from the relay's thread, as the dialog's Cancel)

        process = JobProcess()
        result = process.run(order, cancel=cancel, progress=progress)
        assert result.cancelled and not result.complete
        (left,) = unfinished_jobs(tmp_path / "jobs")  # not running: the child let it go
        with (
            CozeClient(src_app.token, src_server.url) as src,
            CozeClient(dst_app.token, dst_server.url) as dst,
        ):
            age_journal(left.folder, src_server, dst_server)
            again = JobProcess().run(
                ResumeOrder(
                    left.folder,
                    Place(src_server.url, src_app.token),
                    Place(dst_server.url, dst_app.token),
                    trash=tmp_path / "trash",
                ),
                cancel=CancelToken(),
            )
            assert again.complete, again
            there = _group_named(dst, "porch")
            assert _content(dst, there) == before
            assert len(list(dst.iter_voiceprints(there))) == 10  # no duplicates
            assert list(src.iter_voiceprints(gid)) == []  # moved
        # each original was kept in Recently deleted (by the child) before it was deleted
        kept = RecentlyDeleted(tmp_path / "trash").entries()
        assert sorted(v.name for e in kept for v in e.voiceprints) == sorted(before)
    src_app.close()
    dst_app.close()


def test_a_child_killed_mid_job_is_said_and_its_job_resumes(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    src_app, src_server, dst_app, dst_server = two
    _gid, before, order = _filled(src_app, src_server, dst_app, dst_server, "attic", 8, tmp_path)
    # a slow service: every create after the first takes 0.5 s, so creates are still being
    # made when the child is killed (a resume must not make them again)
    creates: list[object] = []
    dispatch = dst_app._dispatch

    def slow(request: Any) -> Any:
        if request.method == "POST" and request.path.endswith("/features"):
            creates.append(request)
            if len(creates) > 1:
                time.sleep(0.5)
        return dispatch(request)

    dst_app._dispatch = slow  # type: ignore[method-assign]
    process = JobProcess()
    process.start()
    killed: list[bool] = []

    def kill(p: JobProgress) -> None:
        if p.items_done >= 1 and not killed:
            assert process.pid is not None
            os.kill(process.pid, signal.SIGKILL)
            killed.append(True)

    with pytest.raises(JobProcessGoneError) as raised:
        process.run(order, cancel=CancelToken(), progress=kill)
    assert str(raised.value) == (
        "the background process running the job stopped unexpectedly (exit code -9)."
    )
    (left,) = unfinished_jobs(tmp_path / "jobs")
    age_journal(left.folder, src_server, dst_server)
    with (
        CozeClient(src_app.token, src_server.url) as src,
        CozeClient(dst_app.token, dst_server.url) as dst,
    ):
        result = Job.open(left.folder).run(WorkspaceSource(src), dst)
        assert result.complete, [(item.name, str(why)) for item, why in result.failed]
        there = _group_named(dst, "attic")
        assert _content(dst, there) == before
        assert len(list(dst.iter_voiceprints(there))) == 8


_APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.api.uploads import CancelToken
    from voiceprint_studio.transfer.child import JobProcess, Place, ResumeOrder

    if __name__ == "__main__":
        folder, src_url, src_token, dst_url, dst_token = sys.argv[1:6]
        process = JobProcess()
        process.start()
        print(process.pid, flush=True)
        order = ResumeOrder(Path(folder), Place(src_url, src_token), Place(dst_url, dst_token))
        process.run(order, cancel=CancelToken())
    """
)


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_when_the_app_is_killed_its_job_process_stops_and_the_job_resumes(
    tmp_path: Path,
    two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer],
    move: bool,
) -> None:
    src_app, src_server, dst_app, dst_server = two
    with CozeClient(src_app.token, src_server.url) as src:
        gid = _fill(src, "cellar", 8, tmp_path)
        before = _content(src, gid)
        group = next(g for g in src.iter_groups() if g.id == gid)
        job = Job.create(tmp_path / "jobs", plan_copy(src, [(group, None)], move=move))
    script = tmp_path / "app.py"
    script.write_text(_APP, encoding="utf-8")
    app, child = _start_app(script, job.folder, src_server, src_app, dst_server, dst_app)
    journal = job.folder / "journal.jsonl"
    deadline = time.monotonic() + 60
    while not (journal.exists() and journal.read_text().count("\n") >= 4):
        assert time.monotonic() < deadline and app.poll() is None
        time.sleep(0.005)
    app.kill()  # SIGKILL: the app gets no chance to tell its child anything
    app.wait(timeout=30)
    app.stdout.close()
    # the child sees its pipe break and stops as a Cancel does
    deadline = time.monotonic() + 30
    while _alive(child):
        assert time.monotonic() < deadline, "the job's process outlived the app"
        time.sleep(0.01)
    assert not Job.open(job.folder).running
    age_journal(job.folder, src_server, dst_server)
    with (
        CozeClient(src_app.token, src_server.url) as src,
        CozeClient(dst_app.token, dst_server.url) as dst,
    ):
        result = Job.open(job.folder).run(WorkspaceSource(src), dst)
        assert result.complete, result
        there = _group_named(dst, "cellar")
        assert _content(dst, there) == before
        assert len(list(dst.iter_voiceprints(there))) == 8  # none twice
        assert len(list(src.iter_voiceprints(gid))) == (0 if move else 8)


def _start_app(  # noqa: PLR0917 - the job and the two servers, as the scripts take them
    script: Path,
    folder: Path,
    src_server: LoopbackServer,
    src_app: BackendApp,
    dst_server: LoopbackServer,
    dst_app: BackendApp,
    *more: str,
) -> tuple[subprocess.Popen[str], int]:
    """Start ``script`` as the app that resumes the job in ``folder`` in a job process;
    the app's process and its job process's id (the script prints it first)."""
    app = subprocess.Popen(
        [
            sys.executable,
            str(script),
            str(folder),
            src_server.url,
            src_app.token,
            dst_server.url,
            dst_app.token,
            *more,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    return app, int(app.stdout.readline())


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_a_copy_into_the_offline_workspace_goes_through_the_app(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    src_app, src_server, _, _ = two
    offline = create_app(tmp_path / "offline", "in-process-token")
    offline_transport = httpx.WSGITransport(app=offline)
    with CozeClient(src_app.token, src_server.url) as src:
        gid = _fill(src, "office", 4, tmp_path)
        before = _content(src, gid)
        order = _order(
            Place(src_server.url, src_app.token),
            Place(OFFLINE, offline.token, via_app=True),
            src,
            gid,
            tmp_path / "jobs",
        )
    result = JobProcess().run(order, cancel=CancelToken(), offline=offline_transport)
    assert result.complete, result
    with CozeClient(offline.token, OFFLINE, transport=offline_transport) as local:
        assert _content(local, _group_named(local, "office")) == before
    offline.close()


def test_a_job_process_given_no_job_ends_when_closed() -> None:
    process = JobProcess()
    process.start()
    pid = process.pid
    assert pid is not None and _alive(pid)
    process.close()
    assert not _alive(pid)
    with pytest.raises(RuntimeError):  # (one job per process; this one was closed)
        process.run(ResumeOrder(Path("x"), Place("", ""), Place("", "")), cancel=CancelToken())


def test_a_client_given_certificates_loaded_before_uses_them_and_stays_guarded() -> None:
    # (the child loads them while it waits for its job: tens of ms less once it has one)
    tls = httpx.create_ssl_context()
    with CozeClient("pat_abcdefghijklmnopqrstu", "https://api.coze.cn", tls=tls) as client:
        pool = client._http._client._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context is tls
        assert client._http.guarded_pools == 1  # (deadlines and Cancel reach its sockets)


class Allowing:
    """The app's pace for the test: records each start it is asked for; refuses (as a
    Cancel does) after ``allow`` of them."""

    def __init__(self, allow: int) -> None:
        self.allow, self.asked = allow, 0
        self.lock = threading.Lock()

    def wait(self, cancel: CancelToken) -> bool:
        with self.lock:
            self.asked += 1
            return self.asked <= self.allow


def test_each_create_of_a_child_waits_for_the_apps_pace(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    # (two jobs on one account, one in the app and one in a child or both in children,
    # then start at most 10 creates in any second between them, as in one process)
    src_app, src_server, dst_app, dst_server = two
    _gid, before, order = _filled(src_app, src_server, dst_app, dst_server, "loft", 6, tmp_path)
    pace = Allowing(100)
    assert JobProcess().run(order, cancel=CancelToken(), pace=pace).complete
    assert pace.asked == 6  # each create once, none without it
    with CozeClient(dst_app.token, dst_server.url) as dst:
        assert _content(dst, _group_named(dst, "loft")) == before


def test_a_start_the_app_refuses_stops_the_childs_job_as_a_cancel_does(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    src_app, src_server, dst_app, dst_server = two
    _gid, before, order = _filled(src_app, src_server, dst_app, dst_server, "loft", 6, tmp_path)
    # the app refuses a start only when the job was cancelled, and its Cancel may come
    # after the refusal: the job must stop there and then, not finish without the rest
    result = JobProcess().run(order, cancel=CancelToken(), pace=Allowing(2))
    assert result.cancelled and len(result.created) <= 2, result
    (left,) = unfinished_jobs(tmp_path / "jobs")
    age_journal(left.folder, src_server, dst_server)
    with CozeClient(dst_app.token, dst_server.url) as dst:
        assert (
            JobProcess()
            .run(
                ResumeOrder(
                    left.folder,
                    Place(src_server.url, src_app.token),
                    Place(dst_server.url, dst_app.token),
                ),
                cancel=CancelToken(),
                pace=Allowing(100),
            )
            .complete
        )
        there = _group_named(dst, "loft")
        assert _content(dst, there) == before
        assert len(list(dst.iter_voiceprints(there))) == 6  # none twice


def test_a_cancel_that_comes_as_the_job_ends_keeps_its_result(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    src_app, src_server, dst_app, dst_server = two
    _gid, before, order = _filled(src_app, src_server, dst_app, dst_server, "den", 3, tmp_path)
    process, cancel = JobProcess(), CancelToken()
    process.start()

    def progress(p: JobProgress) -> None:
        if p.items_done == p.items_total:  # the last one: the child answers and exits
            cancel.cancel()  # (the operator's click, a moment too late)
            assert process.pid is not None
            deadline = time.monotonic() + 10
            while _alive(process.pid):
                assert time.monotonic() < deadline
                time.sleep(0.01)

    result = process.run(order, cancel=cancel, progress=progress)
    assert result.complete and len(result.created) == 3, result
    assert unfinished_jobs(tmp_path / "jobs") == []
    with CozeClient(dst_app.token, dst_server.url) as dst:
        assert _content(dst, _group_named(dst, "den")) == before


def test_a_child_that_died_before_its_job_is_said_and_let_go(
    tmp_path: Path, two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer]
) -> None:
    src_app, src_server, dst_app, dst_server = two
    _gid, _before, order = _filled(src_app, src_server, dst_app, dst_server, "den", 3, tmp_path)
    process = JobProcess()
    assert process.wait_ready(30)
    pid = process.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # (a crash, or a kill, while the operator chooses)
    with pytest.raises(JobProcessGoneError, match=r"exit code -9"):
        process.run(order, cancel=CancelToken())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists():  # reaped, not left a zombie
        assert time.monotonic() < deadline, "the dead child was not reaped"
        time.sleep(0.01)
    assert unfinished_jobs(tmp_path / "jobs") == []  # nothing was started


_COUNTING_APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from voiceprint_studio.api.uploads import CancelToken
    from voiceprint_studio.settings.call_budget import CallBudget
    from voiceprint_studio.settings.profiles import ConnectionProfile
    from voiceprint_studio.transfer.child import JobProcess, Place, ResumeOrder

    if __name__ == "__main__":
        folder, src_url, src_token, dst_url, dst_token, budget = sys.argv[1:7]
        counter = CallBudget(Path(budget)).observer(ConnectionProfile("t", "coze", dst_url))
        process = JobProcess()
        process.start()
        print(process.pid, flush=True)
        order = ResumeOrder(Path(folder), Place(src_url, src_token), Place(dst_url, dst_token))
        process.run(order, cancel=CancelToken(), observers={"target": counter})
    """
)


def test_every_call_a_child_sends_is_counted_even_when_the_app_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voiceprint_studio.settings.call_budget import CallBudget
    from voiceprint_studio.settings.profiles import ConnectionProfile

    src_app = create_app(tmp_path / "src", "pat_source_token_abc")
    dst_app = create_app(tmp_path / "dst", "pat_target_token_xyz", latency=0.05)
    received = [0]  # the target service's count: API calls it was sent
    answer = BackendApp.__call__

    def counting(self: BackendApp, environ: Any, start_response: Any) -> Any:
        # (an audio file fetched from its address is not an API call, nor counted)
        if self is dst_app and not environ["PATH_INFO"].startswith("/files/"):
            received[0] += 1
        return answer(self, environ, start_response)

    monkeypatch.setattr(BackendApp, "__call__", counting)
    script = tmp_path / "app.py"
    script.write_text(_COUNTING_APP, encoding="utf-8")
    rng = random.Random(77)
    with LoopbackServer(src_app) as src_server, LoopbackServer(dst_app) as dst_server:
        with CozeClient(src_app.token, src_server.url) as src:
            gids = [_fill(src, f"g{n}", 10, tmp_path) for n in range(3)]
            groups = [g for g in src.iter_groups() if g.id in gids]
        for trial in range(4):
            with CozeClient(src_app.token, src_server.url) as src:
                plan = plan_copy(src, [(g, None) for g in groups])
                job = Job.create(tmp_path / f"jobs{trial}", plan)
            budget = tmp_path / f"budget{trial}.json"
            start = received[0]
            app, child = _start_app(
                script, job.folder, src_server, src_app, dst_server, dst_app, str(budget)
            )
            deadline = time.monotonic() + 60
            # within its first ten creates (the pace holds the next ones for a second)
            while received[0] - start < rng.randint(7, 12):
                assert time.monotonic() < deadline and app.poll() is None
                time.sleep(0.0005)
            app.kill()  # SIGKILL: whatever the app had not written is lost
            app.wait(timeout=30)
            app.stdout.close()
            while _alive(child):
                time.sleep(0.01)
            sent = received[0] - start
            counted = CallBudget(budget).state(ConnectionProfile("t", "coze", dst_server.url))
            # counted before sent: a kill may leave one counted that never went, never
            # one that went uncounted
            assert counted.calls >= sent, f"trial {trial}: {sent} sent, {counted.calls} counted"
    src_app.close()
    dst_app.close()


def test_what_the_child_logs_reaches_the_apps_log_without_the_token(
    tmp_path: Path,
    two: tuple[BackendApp, LoopbackServer, BackendApp, LoopbackServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    src_app, src_server, _dst_app, dst_server = two
    with CozeClient(src_app.token, src_server.url) as src:
        gid = _fill(src, "shed", 2, tmp_path)
        wrong = "pat_not_this_accounts_token_0123456789"
        order = _order(
            Place(src_server.url, src_app.token), Place(dst_server.url, wrong), src, gid, tmp_path
        )
    caplog.set_level(logging.INFO)
    result = JobProcess().run(order, cancel=CancelToken())
    assert len(result.failed) == 2  # the target refuses the token: nothing is made there
    from_child = [r for r in caplog.records if r.processName == "voiceprint-studio-job"]
    assert from_child, [r.getMessage() for r in caplog.records]
    # named as the job process's threads in the app's log (its MainThread is not the GUI's)
    assert {r.threadName.split("/")[0] for r in from_child} == {"job-process"}
    assert any("4100" in r.getMessage() or "401" in r.getMessage() for r in from_child)
    assert all(wrong not in r.getMessage() for r in caplog.records)
