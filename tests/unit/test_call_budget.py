"""The call budget: counts per account in a real file, the plan, the token's age (injected clock).

Calls are made by real clients against the loopback backend or injected replies; the
clock is injected so 30 days pass in a line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.backend_fixtures import Loopback
from tests.unit.api_samples import (
    FAST_RETRY,
    TOKEN,
    Recorder,
    coze_client,
    coze_fail,
    json_response,
)
from voiceprint_studio.api import AuthenticationError, CozeClient
from voiceprint_studio.settings.call_budget import (
    FREE_PLAN_CALLS,
    CallBudget,
    account_key,
)
from voiceprint_studio.settings.profiles import BUILTIN, OFFLINE_COZE, custom_profile

COZE_CN = BUILTIN["coze"][1]
COZE_COM = BUILTIN["coze"][2]
MINIMAX_CN = BUILTIN["minimax"][1]
START = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def budget(tmp_path: Path, clock: Clock) -> CallBudget:
    return CallBudget(tmp_path / "call-budget.json", clock=clock)


def test_calls_through_a_real_client_are_counted_and_kept_in_the_file(
    loopback: Loopback, tmp_path: Path, clock: Clock
) -> None:
    profile = custom_profile("coze", loopback.url)
    budget = CallBudget(tmp_path / "call-budget.json", clock=clock)
    with CozeClient(loopback.token, loopback.url, observer=budget.observer(profile)) as client:
        client.me()
        client.create_group("g")
        client.list_groups()
    assert budget.state(profile).calls == 3
    # a new instance (the next start of the app) reads the same count
    again = CallBudget(tmp_path / "call-budget.json", clock=clock)
    assert again.state(profile).calls == 3
    assert again.remaining(profile) == FREE_PLAN_CALLS - 3


def test_retries_count_as_calls(budget: CallBudget, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(time, "sleep", lambda _s: None)
    rec = Recorder(
        json_response(coze_fail(5000)),
        json_response(coze_fail(4009)),
        json_response({"code": 0, "msg": "", "data": {"items": [], "total": 0}}),
    )
    with coze_client(rec, observer=budget.observer(COZE_CN), retry=FAST_RETRY) as client:
        client.list_groups()
    assert rec.count == 3
    assert budget.state(COZE_CN).calls == 3


def test_the_file_never_holds_the_token_and_names_accounts_by_hash(
    budget: CallBudget, tmp_path: Path
) -> None:
    rec = Recorder(json_response({"code": 0, "msg": "", "data": {"items": [], "total": 0}}))
    with coze_client(rec, observer=budget.observer(COZE_CN)) as client:
        client.list_groups()
    budget.token_saved(COZE_CN)
    budget.remember_identity(COZE_CN, "7480000000000000001", "Ops")
    raw = (tmp_path / "call-budget.json").read_bytes()
    assert TOKEN.encode() not in raw
    assert b"pat_" not in raw
    assert b"api.coze.cn" not in raw  # not even the profile in clear
    accounts = json.loads(raw)["accounts"]
    assert list(accounts) == [account_key(COZE_CN)]
    assert all(c in "0123456789abcdef" for c in account_key(COZE_CN))
    assert accounts[account_key(COZE_CN)]["calls"] == 1


def test_accounts_are_counted_apart(budget: CallBudget) -> None:
    budget.record_calls(COZE_CN, 5)
    budget.record_calls(COZE_COM, 2)
    budget.record_calls(MINIMAX_CN, 7)
    assert [budget.state(p).calls for p in (COZE_CN, COZE_COM, MINIMAX_CN)] == [5, 2, 7]
    assert account_key(COZE_CN) != account_key(COZE_COM)


def test_plan_decides_the_limit_and_the_warning(budget: CallBudget) -> None:
    budget.record_calls(COZE_CN, 495)
    assert budget.limit(COZE_CN) == FREE_PLAN_CALLS  # plan not given: counted as free
    assert not budget.would_cross(COZE_CN, 5)
    assert budget.would_cross(COZE_CN, 6)
    budget.set_plan(COZE_CN, "free")
    assert budget.would_cross(COZE_CN, 6)
    budget.set_plan(COZE_CN, "paid")
    assert budget.limit(COZE_CN) is None
    assert not budget.would_cross(COZE_CN, 10_000)
    # MiniMax and the offline workspace have no fixed total here
    budget.record_calls(MINIMAX_CN, 10_000)
    assert not budget.would_cross(MINIMAX_CN, 1)
    assert budget.limit(OFFLINE_COZE) is None
    with pytest.raises(ValueError, match="plan"):
        budget.set_plan(COZE_CN, "platinum")


def test_reset_starts_from_zero_and_keeps_the_plan(budget: CallBudget) -> None:
    budget.set_plan(COZE_CN, "free")
    budget.record_calls(COZE_CN, 42)
    budget.reset_calls(COZE_CN)
    assert budget.state(COZE_CN).calls == 0
    assert budget.state(COZE_CN).plan == "free"


def test_token_reminder_before_30_days(budget: CallBudget, clock: Clock) -> None:
    assert budget.token_reminder(COZE_CN) is None  # save date unknown
    budget.token_saved(COZE_CN)
    clock.advance(days=24, hours=23)
    assert budget.token_age_days(COZE_CN) == 24
    assert budget.token_reminder(COZE_CN) is None
    clock.advance(hours=1)
    assert budget.token_reminder(COZE_CN) == 5
    clock.advance(days=4)
    assert budget.token_reminder(COZE_CN) == 1
    assert not budget.token_probably_expired(COZE_CN)
    clock.advance(days=1)
    assert budget.token_reminder(COZE_CN) == 0
    assert budget.token_probably_expired(COZE_CN)
    # a new token starts the 30 days again
    budget.token_saved(COZE_CN)
    assert budget.token_reminder(COZE_CN) is None
    # MiniMax keys do not expire that way
    budget.token_saved(MINIMAX_CN)
    clock.advance(days=40)
    assert budget.token_reminder(MINIMAX_CN) is None


def test_4100_after_30_days_says_the_token_probably_expired(
    budget: CallBudget, clock: Clock
) -> None:
    budget.token_saved(COZE_CN)
    rec = Recorder(json_response(coze_fail(4100, "authentication is invalid"), status=401))
    with coze_client(rec, observer=budget.observer(COZE_CN)) as client:
        clock.advance(days=12)
        with pytest.raises(AuthenticationError) as early:
            client.list_groups()
        clock.advance(days=19)
        with pytest.raises(AuthenticationError) as late:
            client.list_groups()
    assert "probably expired" not in early.value.user_message
    assert "probably expired" in late.value.user_message
    assert "31 days ago" in late.value.user_message
    assert "Create a new token" in late.value.next_step
    assert "probably expired" in str(late.value)


def test_saving_a_token_forgets_the_identity_and_removing_forgets_the_date(
    budget: CallBudget,
) -> None:
    budget.remember_identity(COZE_CN, "7480000000000000001", "Ops")
    assert budget.state(COZE_CN).display_name == "Ops"
    budget.token_saved(COZE_CN)
    assert budget.state(COZE_CN).user_id == ""
    assert budget.state(COZE_CN).token_saved_at == START
    budget.record_calls(COZE_CN, 3)
    budget.token_removed(COZE_CN)
    assert budget.state(COZE_CN).token_saved_at is None
    assert budget.state(COZE_CN).calls == 3  # the count belongs to the account, not the token


def test_a_refused_token_forgets_the_identity_only(budget: CallBudget) -> None:
    budget.token_saved(COZE_CN)
    budget.set_plan(COZE_CN, "free")
    budget.record_calls(COZE_CN, 7)
    budget.remember_identity(COZE_CN, "7480000000000000001", "Ops")
    heard: list[str] = []
    budget.listener = heard.append
    state = budget.forget_identity(COZE_CN)
    assert (state.user_id, state.display_name) == ("", "")
    assert (state.calls, state.plan, state.token_saved_at) == (7, "free", START)
    assert CallBudget(budget.path).state(COZE_CN).user_id == ""  # in the file too
    assert len(heard) == 1
    budget.forget_identity(COZE_CN)  # nothing left to forget: no change, no write
    assert len(heard) == 1


_COUNT_IN_A_PROCESS = """
import sys
from pathlib import Path
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.profiles import BUILTIN
budget = CallBudget(Path(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    budget.record_calls(BUILTIN["coze"][1])
"""


def test_two_processes_and_two_threads_on_one_file_lose_no_calls(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "call-budget.json"
    here = CallBudget(path, clock=clock)
    processes = [
        subprocess.Popen([sys.executable, "-c", _COUNT_IN_A_PROCESS, str(path), "40"])
        for _ in range(2)
    ]

    def count() -> None:
        for _ in range(40):
            here.record_calls(COZE_CN)

    threads = [threading.Thread(target=count) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [process.wait(timeout=60) for process in processes] == [0, 0]
    assert CallBudget(path, clock=clock).state(COZE_CN).calls == 160


def test_a_damaged_file_counts_from_zero_and_is_replaced(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "call-budget.json"
    path.write_text("{ not json", encoding="utf-8")
    budget = CallBudget(path, clock=clock)
    assert budget.state(COZE_CN).calls == 0
    budget.record_calls(COZE_CN)
    assert (
        json.loads(path.read_text(encoding="utf-8"))["accounts"][account_key(COZE_CN)]["calls"] == 1
    )


def test_an_unwritable_folder_does_not_stop_calls(tmp_path: Path, clock: Clock) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    budget = CallBudget(blocker / "call-budget.json", clock=clock)
    budget.record_calls(COZE_CN)  # logged, kept in memory
    assert budget.state(COZE_CN).calls == 1


def test_listener_hears_each_change(budget: CallBudget) -> None:
    heard: list[str] = []
    budget.listener = heard.append
    budget.record_calls(COZE_CN)
    budget.set_plan(COZE_CN, "paid")
    assert heard == [account_key(COZE_CN)] * 2


def test_a_failing_listener_does_not_stop_counting(budget: CallBudget) -> None:
    def gone(_key: str) -> None:
        raise RuntimeError("Signal source has been deleted")

    budget.listener = gone
    rec = Recorder(json_response({"code": 0, "msg": "", "data": {"items": [], "total": 0}}))
    with coze_client(rec, observer=budget.observer(COZE_CN)) as client:
        assert client.list_groups().total == 0
    assert budget.state(COZE_CN).calls == 1
