"""Copying voiceprints between two workspaces, against uploading the same files by hand.

Starts two embedded backends on loopback, each in its own process (``--no-engine``: no
server-side embedding in the timings), puts 10 voiceprints of 4 MB each into a group of
the first, then measures in one run, alternating the three, ``--rounds`` times:

* baseline: the same 10 files uploaded to the second server with raw httpx, one after
  the other (what a careful script does; its client is made before the clock starts,
  as the copy's clients are);
* copy, as the app runs it: the job in a process of its own
  (:mod:`voiceprint_studio.transfer.child`, started before the clock as the copy dialog
  starts it when it opens), ``CHILD_WORKERS`` creates and downloads at once, of the group
  the window shows: the window has listed its voiceprints and the dialog the target's
  groups moments before Start (made before the clock, as they are before Start), and the
  job does not list the group again; the target group, not in the dialog's list, is
  still looked up before it is made (it may have been made since: never twice): the
  ratio;
* the same copy when those lists are older than ``FRESH_LISTING_SECONDS``: the job lists
  the source group and looks the target group up (at once) first;
* copy in a thread of this process (how the app ran it before; the timeline and CPU
  figures are this one's): a :class:`~voiceprint_studio.transfer.jobs.Job` copying the
  group from the first server to the second -- listing the source, downloading each
  voiceprint's audio, staging it on disk (fsynced), finding or creating the target
  group, creating each voiceprint, the journal fsynced at each step -- with
  ``--workers`` creates at once (default: the job's own, ``WORKERS``) and
  ``STAGING_WORKERS`` downloads at once.

It does so for every ``--latency`` given (default: 0 and 0.1 s): the servers answer that
much later, as a distant service does. Bare loopback (0) has no wait to overlap: there the
servers' and the client's CPU bound both sides, and the bench prints each process's CPU
time, and the floor it sets: the target server runs every upload through Python under
one GIL, in both the baseline and the copy, so the copy cannot take less than that
server's CPU time. A real Coze is a round trip away (tens to hundreds of ms), and its
servers do not share one GIL: the latency scenario is the one that stands for operators.
Both servers and the staging folder also share this machine's one disk: the bench prints
how long writing and fsyncing the 10 files at once takes (the copy writes each twice, the
raw uploads once), and when the copy's steps happened (from its journal), to show where
its time goes.

Then the longest GUI-thread stall while the app's copy dialog copies the same 10
voiceprints from the offline workspace to the second server (the job in its own process,
the offline workspace answering it from the app's): a 1 ms precise timer measures its
own lateness (target: max < 16 ms), and the same timer with nothing running, in the same
run, shows what the machine itself adds. The longest stall is split into the time the
GUI thread was runnable but had no CPU (the machine's cores taken by the loopback server
and the job's threads), the time it ran its own work, and the rest (waiting for the
GIL). It is measured three times: with the stand-in target server at normal priority
(its ten upload threads then compete with the GUI thread for this machine's cores, which
a remote Coze never does), at the lowest priority (nice 19: it gets only the CPU the app
leaves, and still every core while the app waits; the kernel's work for its loopback
traffic and its disk writes is not lowered with it), and kept on the last core (the
other cores are the app's, as on an operator's computer, where Coze takes none of
them). The GUI thread waits in its event loop, as the app's does.

``--pin-server`` keeps the servers' threads on the last core for the copies too (both
servers, the raw uploads' too), and measures the stall only pinned.

Prints medians, the spread, and the ratio (target <= 0.5). Run:
``python bench/transfer.py [--rounds N] [--workers N] [--latency S [S ...]] [--pin-server]``.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np

from api_overhead import start_backend
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.models import Voiceprint
from voiceprint_studio.api.uploads import AudioUpload, CancelToken
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.profiles import custom_profile
from voiceprint_studio.transfer.child import CHILD_WORKERS, CopyOrder, JobProcess, Place
from voiceprint_studio.transfer.jobs import (
    STAGING_WORKERS,
    WORKERS,
    Job,
    Journal,
    account_pace,
    look_up_groups,
)
from voiceprint_studio.transfer.sources import FRESH_LISTING_SECONDS, WorkspaceSource, plan_copy

COUNT = 10
FOUR_MB = 4 * 1024 * 1024


def make_wav(path: Path, seed: int) -> None:
    frames = (FOUR_MB - 44) // 2
    rng = np.random.default_rng(seed)
    samples = (0.2 * rng.standard_normal(frames)).clip(-1, 1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((samples * 32767).astype("<i2").tobytes())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_uploads(url: str, token: str, gid: str, files: list[Path]) -> float:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        start = time.perf_counter()
        for n, path in enumerate(files):
            with path.open("rb") as handle:
                reply = http.post(
                    f"/v1/audio/voiceprint_groups/{gid}/features",
                    data={"name": f"raw {n}"},
                    files={"file": (path.name, handle, "audio/wav")},
                    timeout=60,
                )
            reply.raise_for_status()
            assert reply.json()["code"] == 0, reply.text
    return time.perf_counter() - start


#: When each step of the copy running now was journalled (event, perf_counter()).
_STEPS: list[tuple[str, float]] = []
_journal_write = Journal.write


def _timed_write(self: Journal, event: str, **fields: object) -> None:
    """Journal.write, noting when each step was on the disk (for the copy's timeline)."""
    _journal_write(self, event, **fields)
    _STEPS.append((event, time.perf_counter()))


Journal.write = _timed_write  # type: ignore[method-assign]


def copy_job(
    src: CozeClient, dst: CozeClient, gid: str, jobs: Path, workers: int
) -> tuple[float, dict[str, float]]:
    """The copy's wall time, and when its steps happened (s from its start)."""
    group = next(g for g in src.iter_groups() if g.id == gid)
    _STEPS.clear()
    start = time.perf_counter()
    # as the copy dialog does: the target group is looked up while the source is listed
    found = look_up_groups(dst, [group.name])
    job = Job.create(jobs, plan_copy(src, [(group, None)]))
    listed = time.perf_counter()
    result = job.run(WorkspaceSource(src), dst, workers=workers, found=found)
    elapsed = time.perf_counter() - start
    assert result.complete and len(result.created) == COUNT, result

    def at(event: str, pick: Callable[[list[float]], float] = min) -> float:
        return pick([t for e, t in _STEPS if e == event]) - start

    steps = {
        "listed": listed - start,
        "group": at("group"),
        "first staged": at("staged"),
        "all staged": at("staged", max),
        "first sent": at("sending"),
        "last sent": at("sending", max),
        "first done": at("done"),
    }
    return elapsed, steps


def copy_apart(
    src: CozeClient, a: tuple[str, str], b: tuple[str, str], gid: str, root: Path, *, shown: bool
) -> float:
    """The same copy as the app runs it: in a process of its own (``transfer.child``),
    started before the clock (the copy dialog starts it when it opens, seconds before its
    Start is clicked), with that process's ``CHILD_WORKERS`` at once.

    ``shown``: as when the operator copies the group the window shows: the window has
    listed its voiceprints and the dialog the target's groups (to offer them), moments
    before Start, and the job asks neither again. Else, as when those listings are older
    than ``FRESH_LISTING_SECONDS``: the job lists the source group and looks the target
    group up (at once), then goes on."""
    group = next(g for g in src.iter_groups() if g.id == gid)
    process = JobProcess()
    process.start()
    listed: dict[str, list[Voiceprint]] | None = None
    target_groups: list[tuple[str, str]] | None = None
    if shown:  # (made before Start, by the window and the dialog: untimed)
        listed = {gid: list(src.iter_voiceprints(gid))}
        with CozeClient(b[1], b[0]) as target:
            target_groups = [(g.id, g.name) for g in target.iter_groups()]
    time.sleep(1.5)  # (the operator choosing the target: untimed)
    order = CopyOrder(
        Place(*a),
        Place(*b),
        [(group, None)],
        None,
        False,
        {},
        {},
        root / "jobs",
        [group.name],
        listed=listed,
        target_groups=target_groups,
    )
    # as the app runs it: each call counted in a file (before it is sent), each create
    # started by this process's pace for the account
    budget = CallBudget(root / "calls.json")
    observers = {
        "source": budget.observer(custom_profile("coze", a[0])),
        "target": budget.observer(custom_profile("coze", b[0])),
    }
    with CozeClient(b[1], b[0]) as target:
        pace = account_pace(target)
    start = time.perf_counter()
    result = process.run(order, cancel=CancelToken(), observers=observers, pace=pace)
    elapsed = time.perf_counter() - start
    assert result.complete and len(result.created) == COUNT, result
    return elapsed


def set_copy_aside(dst: CozeClient, name: str) -> None:
    """Rename the target's "bench" group to ``name``: the next copy goes into a fresh one."""
    dst.update_group(next(g.id for g in dst.iter_groups() if g.name == "bench"), name=name)


def disk_writes(root: Path, files: list[Path]) -> float:
    """Seconds to write and fsync the 10 files at once, as the copy stages them (the
    target server stores each the same way: the copy writes them twice, the raw uploads
    once, on this one machine's disk)."""
    from concurrent.futures import ThreadPoolExecutor

    from voiceprint_studio.transfer.jobs import write_synced

    folder = root / "disk"
    folder.mkdir(exist_ok=True)
    data = [path.read_bytes() for path in files]
    start = time.perf_counter()
    with ThreadPoolExecutor(len(files)) as pool:
        list(pool.map(lambda n: write_synced(folder / f"{n}.wav", data[n]), range(len(files))))
    elapsed = time.perf_counter() - start
    shutil.rmtree(folder)
    return elapsed


def confine_to_last_core(pid: int) -> None:
    """Keep every thread of process ``pid``, and those it starts, on the last core (Linux;
    nothing elsewhere)."""
    if not hasattr(os, "sched_setaffinity"):
        return
    last = {max(os.sched_getaffinity(0))}
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), last)


def lower_to_idle(pid: int) -> None:
    """Run every thread of process ``pid``, and those they start, at the lowest priority
    (nice 19; Linux: each thread has its own). The stand-in server then takes only the CPU
    the app leaves, as a remote service takes none of it; unlike pinning it to a core, it
    still has every core while the app waits for it."""
    if not hasattr(os, "setpriority"):
        return
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.setpriority(os.PRIO_PROCESS, int(task.name), 19)


def _run_queue_ns() -> int:
    """Nanoseconds the calling thread has so far spent runnable but waiting for a CPU
    (Linux ``schedstat``; 0 elsewhere)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def lateness(gaps: list[float]) -> dict[str, float]:
    """How late a 1 ms timer's ticks were (``gaps``: ms between ticks): max, p99, median."""
    late = sorted(max(0.0, gap - 1.0) for gap in gaps)
    return {
        "ticks": float(len(late)),
        "max_ms": late[-1],
        "p99_ms": late[int(0.99 * (len(late) - 1))],
        "median_ms": statistics.median(late),
    }


def gui_stall(files: list[Path], root: Path, url: str, token: str) -> dict[str, float]:
    """The GUI thread's lateness while :class:`CopyDialog` runs a copy job (offscreen)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from voiceprint_studio.main import tune_runtime
    from voiceprint_studio.settings import preferences as prefs
    from voiceprint_studio.settings.preferences import Preferences
    from voiceprint_studio.settings.profiles import OFFLINE_COZE, custom_profile, keyring_account
    from voiceprint_studio.settings.secrets import SecretStore
    from voiceprint_studio.ui.common.gc_guard import GuiThreadCollector
    from voiceprint_studio.ui.common.services import AppServices
    from voiceprint_studio.ui.common.session import OfflineBackend, Workspace
    from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog

    class Keys:
        def __init__(self) -> None:
            self.entries: dict[str, str] = {}

        def get_password(self, _service: str, user: str) -> str | None:
            return self.entries.get(user)

        def set_password(self, _service: str, user: str, password: str) -> None:
            self.entries[user] = password

    tune_runtime()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    collector = GuiThreadCollector(parent=app)
    offline = OfflineBackend(root / "gui-offline")
    keys = Keys()
    services = AppServices(
        preferences=Preferences(QSettings(str(root / "s.ini"), QSettings.Format.IniFormat)),
        secrets=SecretStore(keys),  # type: ignore[arg-type]
        offline=offline,
        budget=CallBudget(root / "gui-calls.json"),  # (the app counts every call)
    )
    profile = custom_profile("coze", url)
    services.preferences.set(prefs.COZE_PROFILE, profile.key)
    services.preferences.set(prefs.COZE_CUSTOM_URL, url)
    keys.entries[keyring_account(profile)] = token
    source = Workspace(OFFLINE_COZE, services.minimax_profile(), services.secrets, offline)
    client = source.coze()
    gid = client.create_group("gui bench")
    for n, path in enumerate(files):
        client.create_voiceprint(gid, f"speaker {n}", AudioUpload.from_path(path))
    group = next(g for g in client.iter_groups() if g.id == gid)

    dialog = CopyDialog(services, source, [(group, None)])
    dialog.show()
    done: list[bool] = []
    dialog.finished_job.connect(done.append)

    def wait(condition: object, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise TimeoutError("the copy did not finish in time")
            app.processEvents()
            time.sleep(0.0005)

    wait(dialog.group_combo.isEnabled)
    # the app freezes its start-up objects 3 s after start (GuiThreadCollector): an
    # operator opens this dialog later than that
    collector.freeze()
    gaps: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    last = [0]

    waited: list[float] = []  # ms of each gap spent runnable but not running (Linux)
    queued = [_run_queue_ns()]
    worked: list[float] = []  # ms of each gap the GUI thread itself ran
    cpu = [time.thread_time_ns()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now
        delay = _run_queue_ns()
        waited.append((delay - queued[0]) / 1e6)
        queued[0] = delay
        used = time.thread_time_ns()
        worked.append((used - cpu[0]) / 1e6)
        cpu[0] = used

    timer.timeout.connect(tick)
    # first the timer with nothing running (what the machine adds), then during the copy
    clock.start()
    last[0] = clock.nsecsElapsed()
    timer.start()
    # the GUI thread waits in its event loop, as the app's does (a loop polling
    # processEvents() ran tens of ms of its own during a copy, and the scheduler then
    # gave it a core later than to a thread that sleeps until it is woken)
    loop = QEventLoop()
    QTimer.singleShot(1500, loop.quit)
    loop.exec()
    idle = lateness(gaps)
    gaps.clear()
    waited.clear()
    worked.clear()
    last[0] = clock.nsecsElapsed()
    dialog.finished_job.connect(lambda _ok: loop.quit())
    QTimer.singleShot(120_000, loop.quit)  # (a copy that never ends: said below)
    dialog.start_button.click()
    loop.exec()
    timer.stop()
    assert done == [True], "the copy did not complete"
    dialog.close()
    source.close()
    collector.stop()
    offline.close()
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    return {
        **lateness(gaps),
        **{f"idle_{k}": v for k, v in idle.items()},
        "worst_queued_ms": waited[worst],
        "worst_worked_ms": worked[worst],
    }


def scenario(  # noqa: PLR0917 - the bench's own knobs
    root: Path, files: list[Path], latency: float, rounds: int, workers: int, pin: bool
) -> tuple[
    list[float],
    list[float],
    list[float],
    list[float],
    dict[str, list[float]],
    dict[str, list[float]],
]:
    """Raw uploads and copies, alternating, with servers answering ``latency`` s late
    (``pin``: both kept on the last core)."""
    tag = f"{latency:g}"
    a, a_url, a_token = start_backend(root / f"a{tag}", "--latency", str(latency))
    b, b_url, b_token = start_backend(root / f"b{tag}", "--latency", str(latency))
    if pin:
        for server in (a, b):
            confine_to_last_core(server.pid)
    me = os.getpid()
    cpu: dict[str, list[float]] = {k: [] for k in ("raw A", "raw B", "raw client")}
    cpu.update({k: [] for k in ("copy A", "copy B", "copy client")})
    try:
        with CozeClient(a_token, a_url) as src, CozeClient(b_token, b_url) as dst:
            source_gid = src.create_group("bench")
            for n, path in enumerate(files):
                src.create_voiceprint(source_gid, f"speaker {n}", AudioUpload.from_path(path))
            raw_times, copy_times, apart_times, cold_times = [], [], [], []
            steps: dict[str, list[float]] = {}
            copy_ended = 0.0
            for r in range(rounds):
                raw_gid = dst.create_group(f"raw {r}")
                for kind in ("raw", "copy", "apart", "cold"):
                    before = [cpu_seconds(p) for p in (a.pid, b.pid, me)]
                    if kind == "raw":
                        raw_times.append(raw_uploads(b_url, b_token, raw_gid, files))
                        after = [cpu_seconds(p) for p in (a.pid, b.pid, me)]
                        for who, t0, t1 in zip(("A", "B", "client"), before, after, strict=True):
                            cpu[f"raw {who}"].append(t1 - t0)
                        continue
                    # the account's create pace (10 starts in any second, shared by
                    # every job on it) is clear of the previous copy, as it is for an
                    # operator's one copy (untimed)
                    time.sleep(max(0.0, copy_ended + 1.0 - time.perf_counter()))
                    if kind == "copy":
                        took, when = copy_job(src, dst, source_gid, root / "jobs", workers)
                        copy_times.append(took)
                        for step, t in when.items():
                            steps.setdefault(step, []).append(t)
                        after = [cpu_seconds(p) for p in (a.pid, b.pid, me)]
                        for who, t0, t1 in zip(("A", "B", "client"), before, after, strict=True):
                            cpu[f"copy {who}"].append(t1 - t0)
                    else:
                        (apart_times if kind == "apart" else cold_times).append(
                            copy_apart(
                                src,
                                (a_url, a_token),
                                (b_url, b_token),
                                source_gid,
                                root,
                                shown=kind == "apart",
                            )
                        )
                    copy_ended = time.perf_counter()
                    set_copy_aside(dst, f"bench done {r} {kind}")
    finally:
        for proc in (a, b):
            proc.terminate()
            proc.wait(timeout=10)
    return raw_times, copy_times, apart_times, cold_times, cpu, steps


#: How the GUI-stall part runs the stand-in target server, as printed.
_SERVER_KINDS = {
    "normal": "stand-in server at normal priority (its 10 upload threads compete with the "
    "app for this machine's cores, as a remote Coze does not)",
    "idle": "stand-in server at the lowest priority (nice 19: it takes only the CPU the app "
    "leaves, as a remote service takes none)",
    "pinned": "stand-in server kept on the last core (the other cores are the app's, as on "
    "an operator's computer, where Coze takes none)",
}


def _ms(values: list[float]) -> str:
    return ", ".join(f"{v * 1000:.0f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--latency",
        type=float,
        nargs="+",
        default=[0.0, 0.1],
        help="seconds each server adds to every answer (a WAN round trip; 0: bare loopback)",
    )
    parser.add_argument("--no-gui", action="store_true", help="skip the GUI-thread stall")
    parser.add_argument(
        "--pin-server",
        action="store_true",
        help="keep the loopback servers on the last core (Linux), for the copies and the "
        "GUI-thread stall alike: a remote service takes none of the operator's CPU",
    )
    args = parser.parse_args()
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = []
        for n in range(COUNT):
            files.append(root / f"clip{n}.wav")
            make_wav(files[-1], n)
        print(
            f"10 x 4 MB, {args.rounds} rounds, {args.workers} creates at once, "
            f"{STAGING_WORKERS} downloads at once, {os.cpu_count()} cores"
        )
        disk = statistics.median(disk_writes(root, files) for _ in range(3))
        print(
            f"disk: 10 x 4 MB written and fsynced at once in {disk * 1000:.0f} ms (the copy "
            f"writes them twice on this disk: staged, then stored by the target; the raw "
            f"uploads once)"
        )
        for latency in args.latency:
            raw_times, copy_times, apart_times, cold_times, cpu, steps = scenario(
                root, files, latency, args.rounds, args.workers, args.pin_server
            )
            raw, copied, apart = med(raw_times), med(copy_times), med(apart_times)
            cold = med(cold_times)
            print(f"-- latency {latency:g} s per answer")
            print(f"raw uploads one after the other: median {raw * 1000:.0f} ms ({_ms(raw_times)})")
            print(
                f"copy job as the app runs it (its own process, {CHILD_WORKERS} at once), of "
                f"the group the window shows (its list, made moments before, is not asked "
                f"again; the target group, not in the dialog's list, is looked up): median "
                f"{apart * 1000:.0f} ms ({_ms(apart_times)})"
            )
            ratios = sorted(c / r for r, c in zip(raw_times, apart_times, strict=True))
            print(
                f"ratio copy / raw uploads: {apart / raw:.2f} (target <= 0.5; per round "
                f"{', '.join(f'{x:.2f}' for x in ratios)})"
            )
            colds = sorted(c / r for r, c in zip(raw_times, cold_times, strict=True))
            print(
                f"the same copy when those lists are older than {FRESH_LISTING_SECONDS:.0f} s "
                f"(the job lists the source and looks the target group up first): median "
                f"{cold * 1000:.0f} ms ({_ms(cold_times)}), ratio {cold / raw:.2f} (per round "
                f"{', '.join(f'{x:.2f}' for x in colds)})"
            )
            print(
                f"the same copy in a thread of this process, {args.workers} at once (the "
                f"figures below are this one's): median {copied * 1000:.0f} ms "
                f"({_ms(copy_times)}), ratio {copied / raw:.2f}"
            )
            print(
                "CPU ms (median) raw: server B {:.0f}, client {:.0f} | copy: server A {:.0f}, "
                "server B {:.0f}, client {:.0f}".format(
                    *(
                        med(cpu[k]) * 1000
                        for k in ("raw B", "raw client", "copy A", "copy B", "copy client")
                    )
                )
            )
            print(
                "copy timeline (median ms from its start): source listed {:.0f}, target "
                "group {:.0f}, first item staged {:.0f}, all staged {:.0f}, first create "
                "sent {:.0f}, last sent {:.0f}, first confirmed {:.0f}, end {:.0f}".format(
                    *(med(steps[k]) * 1000 for k in steps), copied * 1000
                )
            )
            if latency > 0:
                print(
                    f"round-trip floor of the app's copy of the group shown: the target "
                    f"group looked up, then made, while the {COUNT} items are downloaded, "
                    f"then their uploads: {3 * latency * 1000:.0f} ms, ratio >= "
                    f"{3 * latency / (COUNT * latency):.2f} (one round trip less into a "
                    f"group the dialog listed)"
                )
                for who, at_once in (
                    ("the app's copy with lists too old", CHILD_WORKERS),
                    ("the copy in a thread", min(args.workers, STAGING_WORKERS)),
                ):
                    waves = 2 + math.ceil(COUNT / at_once)
                    trips = waves * latency
                    print(
                        f"round-trip floor of {who}: list the source while looking up the "
                        f"target group, then {waves - 2} wave(s) of {at_once} items (each "
                        f"downloaded, then uploaded while the next wave downloads; the target "
                        f"group is created during the first), then the last wave's uploads: "
                        f"{trips * 1000:.0f} ms, ratio >= {trips / (COUNT * latency):.2f} (of "
                        f"the raw uploads' {COUNT} answers)"
                    )
            spent = sum(med(cpu[f"copy {who}"]) for who in ("A", "B", "client"))
            busy = max(med(cpu["copy B"]), spent / (os.cpu_count() or 1))
            print(
                f"CPU floor: the target server's CPU (one process, one GIL) or all the copy's "
                f"CPU over {os.cpu_count()} cores, the larger: {busy * 1000:.0f} ms, "
                f"ratio >= {busy / raw:.2f}"
            )
        if not args.no_gui:
            server_kinds = ["pinned"] if args.pin_server else ["normal", "idle", "pinned"]
            for n, kind in enumerate(server_kinds):
                b, b_url, b_token = start_backend(root / f"gui-target-{kind}")
                if kind == "pinned":
                    confine_to_last_core(b.pid)
                elif kind == "idle":
                    lower_to_idle(b.pid)
                try:
                    stall = gui_stall(files, root / f"gui-{n}", b_url, b_token)
                finally:
                    b.terminate()
                    b.wait(timeout=10)
                print(
                    f"GUI thread while the copy dialog copies 10 x 4 MB from the offline "
                    f"workspace, {_SERVER_KINDS[kind]}: max stall {stall['max_ms']:.1f} ms "
                    f"(target < 16), p99 {stall['p99_ms']:.2f} ms, median "
                    f"{stall['median_ms']:.2f} ms over {stall['ticks']:.0f} ticks; of the "
                    f"longest, {stall['worst_queued_ms']:.1f} ms runnable but waiting for a CPU "
                    f"(Linux schedstat), {stall['worst_worked_ms']:.1f} ms running the GUI "
                    f"thread's own work, the rest waiting for the GIL"
                )
                print(
                    f"  the same timer with nothing running (the machine's own noise): max "
                    f"{stall['idle_max_ms']:.1f} ms, p99 {stall['idle_p99_ms']:.2f} ms, median "
                    f"{stall['idle_median_ms']:.2f} ms over {stall['idle_ticks']:.0f} ticks"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
