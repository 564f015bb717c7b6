"""The call budget: API calls counted per account, the plan, the token's age, the identity.

Coze's free plan allows **500 API calls in all**, after which the account is
locked out of the API, and personal access tokens last at most 30 days. The app
cannot ask Coze how many calls are left, so it counts the calls it makes itself:

* every attempt that reached (or may have reached) the server is one call --
  retries included -- counted by the :class:`~voiceprint_studio.api.CallObserver`
  that :meth:`CallBudget.observer` gives the client (a voiceprint's audio download,
  ``audio_url``, is a file, not an API call: not counted);
* the operator says which plan the account has (``unknown``, ``free``, ``paid``);
  on ``free`` and ``unknown`` a Coze account's limit is :data:`FREE_PLAN_CALLS`
  and :meth:`CallBudget.would_cross` warns before a job crosses it;
* the day a token was saved is kept, :meth:`CallBudget.token_reminder` says when
  fewer than :data:`REMIND_DAYS_BEFORE` of its 30 days are left, and after 30 days
  a Coze 4100 ("authentication invalid") is re-worded as "probably expired";
* who the token belongs to (``users/me``) is cached per profile, so switching
  workspaces does not spend a call each time; saving a new token forgets it, and so
  does the service refusing the token (:meth:`CallBudget.forget_identity`).

What is stored (a small JSON file in the data folder): per account, the call count,
the plan, the date the token was saved and the user's id and display name. The
account is named by a SHA-256 hash of its connection profile (service, profile key,
base URL): never the token, nor anything derived from it. One profile holds one
token at a time, so "account" here means "the account of the token saved for the
profile"; a token for another account saved under the same profile continues the
count (the operator can reset it).

Thread-safe (a lock) and process-safe (a :mod:`filelock` lock file next to it, which
works on Windows, macOS and Linux): every change re-reads the file under the lock,
so two app instances on one data folder lose no call. Writes are atomic (temp file +
replace). A lock not obtained within 2 s (a stuck process) does not stop the call:
the change is then made without it and a warning logged.

Qt-free; the UI reads it and shows it (``ui/call_budget.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import filelock

from voiceprint_studio.api.errors import ApiError, say_if_expired
from voiceprint_studio.settings.profiles import ConnectionProfile

__all__ = [
    "FREE_PLAN_CALLS",
    "PLANS",
    "REMIND_DAYS_BEFORE",
    "TOKEN_LIFETIME_DAYS",
    "AccountState",
    "BudgetObserver",
    "CallBudget",
    "account_key",
]

_LOG = logging.getLogger(__name__)

# Calls Coze's free plan allows in all.
FREE_PLAN_CALLS = 500
# The longest a Coze personal access token lasts.
TOKEN_LIFETIME_DAYS = 30
# Remind this many days (or fewer) before a token's 30 days are over.
REMIND_DAYS_BEFORE = 5
# What the operator may say about the account's plan.
PLANS = ("unknown", "free", "paid")
_FILE_VERSION = 1

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def account_key(profile: ConnectionProfile) -> str:
    """A stable, non-reversible name for the account behind ``profile`` (no token in it)."""
    text = f"{profile.service}\n{profile.key}\n{profile.base_url}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class AccountState:
    """What is known about one account's budget."""

    calls: int = 0
    plan: str = "unknown"
    token_saved_at: datetime | None = None
    user_id: str = ""
    display_name: str = ""

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        return {
            "calls": self.calls,
            "plan": self.plan,
            "token_saved_at": (
                self.token_saved_at.isoformat() if self.token_saved_at is not None else None
            ),
            "user_id": self.user_id,
            "display_name": self.display_name,
        }

    @classmethod
    def from_json(cls, value: object) -> AccountState:
        """Read the stored form leniently (a damaged entry starts from defaults)."""
        if not isinstance(value, dict):
            return cls()
        calls = value.get("calls")
        plan = value.get("plan")
        saved = value.get("token_saved_at")
        saved_at: datetime | None = None
        if isinstance(saved, str):
            try:
                saved_at = datetime.fromisoformat(saved)
            except ValueError:
                saved_at = None
            if saved_at is not None and saved_at.tzinfo is None:
                saved_at = saved_at.replace(tzinfo=timezone.utc)
        user_id = value.get("user_id")
        name = value.get("display_name")
        return cls(
            calls=calls
            if isinstance(calls, int) and not isinstance(calls, bool) and calls > 0
            else 0,
            plan=plan if plan in PLANS else "unknown",
            token_saved_at=saved_at,
            user_id=user_id if isinstance(user_id, str) else "",
            display_name=name if isinstance(name, str) else "",
        )


class CallBudget:
    """Per-account call counts, plans, token dates and identities, kept in ``path``.

    ``clock`` is injected (tests move time on). ``listener`` (optional) is called
    with the account key after every change, on the thread that made it.
    """

    def __init__(
        self,
        path: Path,
        *,
        clock: Clock = _utc_now,
        listener: Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        self._clock = clock
        self.listener = listener
        self._lock = threading.Lock()
        self._accounts: dict[str, AccountState] | None = None
        self._file_lock = filelock.FileLock(str(path) + ".lock", timeout=2.0)
        # accounts whose token may not say who it is (users/me refused, 4101), this session
        self._identity_refused: set[str] = set()

    # -- storage -----------------------------------------------------------------------

    def _read(self) -> dict[str, AccountState]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            _LOG.warning("call budget file %s unreadable (%s); counting from 0", self.path, exc)
            return {}
        accounts = raw.get("accounts") if isinstance(raw, dict) else None
        if not isinstance(accounts, dict):
            return {}
        return {str(k): AccountState.from_json(v) for k, v in accounts.items()}

    def _loaded(self) -> dict[str, AccountState]:
        """The accounts (lock held), read from the file the first time."""
        if self._accounts is None:
            self._accounts = self._read()
        return self._accounts

    def _write(self, accounts: dict[str, AccountState]) -> None:
        data = {
            "version": _FILE_VERSION,
            "accounts": {key: state.to_json() for key, state in sorted(accounts.items())},
        }
        text = json.dumps(data, indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".call-budget-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            # Counting must never stop a call; the count lives on in memory.
            _LOG.warning("call budget file %s not written: %s", self.path, exc)

    def _update(
        self, profile: ConnectionProfile, change: Callable[[AccountState], AccountState]
    ) -> AccountState:
        key = account_key(profile)
        with self._lock, self._locked_file():
            accounts = self._accounts = self._read()  # another process may have written
            state = change(accounts.get(key, AccountState()))
            accounts[key] = state
            self._write(accounts)
        listener = self.listener
        if listener is not None:
            try:
                listener(key)
            except Exception:  # a closed window's label: counting must never stop a call
                _LOG.debug("call budget listener failed", exc_info=True)
        return state

    @contextlib.contextmanager
    def _locked_file(self) -> Iterator[None]:
        """Hold the lock file (other processes); go on without it when it cannot be had."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file_lock.acquire()
        except (OSError, filelock.Timeout) as exc:
            _LOG.warning("call budget lock %s not obtained (%s)", self._file_lock.lock_file, exc)
            yield
            return
        try:
            yield
        finally:
            self._file_lock.release()

    def load(self) -> None:
        """Read the file now (call from a worker; otherwise the first use reads it)."""
        with self._lock:
            self._loaded()

    @property
    def loaded(self) -> bool:
        """Whether the file was read (the GUI shows the budget only then)."""
        return self._accounts is not None

    # -- reading -----------------------------------------------------------------------

    def state(self, profile: ConnectionProfile) -> AccountState:
        """What is known about the account of ``profile``."""
        with self._lock:
            return self._loaded().get(account_key(profile), AccountState())

    def limit(self, profile: ConnectionProfile) -> int | None:
        """The calls the account may make in all, or None when no limit is known.

        Coze accounts on the free plan, or whose plan the operator has not given,
        get the free plan's 500; paid plans and MiniMax have no fixed total here.
        """
        if profile.offline or profile.service != "coze":
            return None
        return None if self.state(profile).plan == "paid" else FREE_PLAN_CALLS

    def remaining(self, profile: ConnectionProfile) -> int | None:
        """Calls left under :meth:`limit` (never below 0), or None."""
        limit = self.limit(profile)
        if limit is None:
            return None
        return max(0, limit - self.state(profile).calls)

    def would_cross(self, profile: ConnectionProfile, calls: int) -> bool:
        """Whether ``calls`` more calls would go past the account's limit."""
        remaining = self.remaining(profile)
        return remaining is not None and calls > remaining

    def token_age_days(self, profile: ConnectionProfile) -> int | None:
        """Whole days since the token was saved, or None when not known."""
        saved = self.state(profile).token_saved_at
        if saved is None:
            return None
        return max(0, (self._clock() - saved) // timedelta(days=1))

    def token_reminder(self, profile: ConnectionProfile) -> int | None:
        """Days left before the token's 30 days are over, when a reminder is due.

        None while more than :data:`REMIND_DAYS_BEFORE` days are left, for MiniMax,
        and when the save date is unknown; 0 once the 30 days have passed.
        """
        if profile.offline or profile.service != "coze":
            return None
        age = self.token_age_days(profile)
        if age is None:
            return None
        left = TOKEN_LIFETIME_DAYS - age
        return max(0, left) if left <= REMIND_DAYS_BEFORE else None

    def token_probably_expired(self, profile: ConnectionProfile) -> bool:
        """Whether the Coze token was saved 30 days ago or more."""
        return self.expired_token_age(profile) is not None

    def expired_token_age(self, profile: ConnectionProfile) -> int | None:
        """The Coze token's age in days when it was saved 30 days ago or more, else None
        (what :func:`~voiceprint_studio.api.errors.say_if_expired` is given)."""
        age = self.token_age_days(profile)
        expired = profile.service == "coze" and age is not None and age >= TOKEN_LIFETIME_DAYS
        return age if expired else None

    # -- changing ----------------------------------------------------------------------

    def record_calls(self, profile: ConnectionProfile, calls: int = 1) -> AccountState:
        """Count ``calls`` more calls for the account."""
        return self._update(profile, lambda s: replace(s, calls=s.calls + calls))

    def reset_calls(self, profile: ConnectionProfile) -> AccountState:
        """Start counting from 0 (a new account under this profile, or a new plan period)."""
        return self._update(profile, lambda s: replace(s, calls=0))

    def set_plan(self, profile: ConnectionProfile, plan: str) -> AccountState:
        """Say which plan the account has (one of :data:`PLANS`)."""
        if plan not in PLANS:
            raise ValueError(f"plan must be one of {PLANS}")
        return self._update(profile, lambda s: replace(s, plan=plan))

    def identity_refused(self, profile: ConnectionProfile) -> bool:
        """Whether the profile's token may not say who it belongs to (``users/me`` refused
        it this session): not asked again, by any window or dialog, until a token is saved
        or removed for the profile (in memory only: a new session asks once)."""
        with self._lock:
            return account_key(profile) in self._identity_refused

    def refuse_identity(self, profile: ConnectionProfile) -> None:
        """``users/me`` refused the profile's token (see :meth:`identity_refused`)."""
        with self._lock:
            self._identity_refused.add(account_key(profile))

    def token_saved(self, profile: ConnectionProfile) -> AccountState:
        """A new token was saved now: remember the date, forget the cached identity."""
        with self._lock:
            self._identity_refused.discard(account_key(profile))
        now = self._clock()
        return self._update(
            profile, lambda s: replace(s, token_saved_at=now, user_id="", display_name="")
        )

    def token_removed(self, profile: ConnectionProfile) -> AccountState:
        """The token was removed: forget its date and the identity (the count stays)."""
        with self._lock:
            self._identity_refused.discard(account_key(profile))
        return self._update(
            profile, lambda s: replace(s, token_saved_at=None, user_id="", display_name="")
        )

    def remember_identity(
        self, profile: ConnectionProfile, user_id: str, display_name: str
    ) -> AccountState:
        """Cache who the profile's token belongs to (from ``users/me``)."""
        return self._update(
            profile, lambda s: replace(s, user_id=user_id, display_name=display_name)
        )

    def forget_identity(self, profile: ConnectionProfile) -> AccountState:
        """The service refused the profile's token: who it belongs to is no longer shown
        as known (the next workspace asks ``users/me`` again). The count, the plan and the
        token's date stay; nothing is written when no identity was cached."""
        with self._lock:
            cached = self._loaded().get(account_key(profile), AccountState())
        if not cached.user_id and not cached.display_name:
            return cached
        return self._update(profile, lambda s: replace(s, user_id="", display_name=""))

    def observer(self, profile: ConnectionProfile) -> BudgetObserver:
        """The observer to give the profile's client."""
        return BudgetObserver(self, profile)


class BudgetObserver:
    """Counts a client's calls for one profile and re-words a likely-expired 4100.

    Implements :class:`voiceprint_studio.api.CallObserver`.
    """

    def __init__(self, budget: CallBudget, profile: ConnectionProfile) -> None:
        self.budget = budget
        self.profile = profile

    def on_attempt(self, service: str, endpoint: str) -> None:
        """One more call for the account."""
        self.budget.record_calls(self.profile)

    def on_unsent(self, service: str, endpoint: str) -> None:
        """The call counted last never left this computer: one fewer."""
        self.budget.record_calls(self.profile, -1)

    def on_failure(self, error: ApiError) -> None:
        """A Coze 4100 (or HTTP 401) for a token saved 30+ days ago: "probably expired"."""
        say_if_expired(error, self.budget.expired_token_age(self.profile))
