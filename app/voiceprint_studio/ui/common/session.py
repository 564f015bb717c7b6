"""The clients for the active connection profiles, built lazily on worker threads.

A :class:`Workspace` is cheap to create on the GUI thread: it only remembers
the two active profiles (Coze and MiniMax). The first call of :meth:`coze` or
:meth:`minimax` -- always from a worker -- reads the token from the keyring,
opens the offline backend's database when needed and builds the client.
Switching profiles means building a new Workspace and closing the old one.
"""

from __future__ import annotations

import base64
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from voiceprint_studio.api.errors import ApiError, AuthenticationError
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.profiles import ConnectionProfile, keyring_account
from voiceprint_studio.settings.secrets import SecretStore

if TYPE_CHECKING:
    import httpx

    from voiceprint_studio.api import CozeClient, MiniMaxClient
    from voiceprint_studio.api.observer import CallObserver
    from voiceprint_studio.local.app import BackendApp
    from voiceprint_studio.local.engine import SpeakerEngine
    from voiceprint_studio.local.workspace import RecoveryReport
    from voiceprint_studio.settings.call_budget import BudgetObserver
    from voiceprint_studio.transfer.child import Place

_LOG = logging.getLogger(__name__)

# The base URL the in-process offline backend is addressed by (never resolved).
OFFLINE_BASE_URL = "http://localhost"

TransportFactory = Callable[[ConnectionProfile], "httpx.BaseTransport | None"]

_httpx_lock = threading.Lock()


def import_httpx_without_cli() -> None:
    """Import httpx, without the command-line client it loads when it can.

    ``import httpx`` also imports ``httpx._main`` (its ``httpx`` command) whenever
    click, rich and pygments happen to be installed -- a developer tool (import-linter)
    installs them here. The app never runs that command, and it cost 100-150 ms of
    a worker's time (holding the GIL while the first page loads) and about 9 MiB of
    memory. httpx itself falls back to a stub ``main`` when the import fails; the
    block is lifted right after, so ``import httpx._main`` still works later.
    """
    with _httpx_lock:
        if "httpx" in sys.modules:
            return
        blocked = "httpx._main" not in sys.modules
        if blocked:
            sys.modules["httpx._main"] = None  # type: ignore[assignment]
        try:
            import httpx  # noqa: F401
        finally:
            if blocked and "httpx._main" in sys.modules and sys.modules["httpx._main"] is None:
                del sys.modules["httpx._main"]


class NoTokenError(Exception):
    """A remote profile was used before a token was saved for it."""

    def __init__(self, profile: ConnectionProfile) -> None:
        super().__init__(f"no token saved for {profile.service} profile {profile.key}")
        self.profile = profile


class OfflineBackend:
    """The embedded backend on the user's data directory, opened on first use.

    ``engine`` (optional) is the speaker engine that makes identification work
    offline; without one, identify answers code 4900 (feature unavailable).
    """

    def __init__(
        self, data_dir: Path, *, latency: float = 0.0, engine: SpeakerEngine | None = None
    ) -> None:
        self.data_dir = data_dir
        self.latency = latency
        self.engine = engine
        # In-process only, never stored; what secrets.token_urlsafe(24) does, without
        # importing secrets (and random, hmac, hashlib) during start-up: ~5 ms.
        self.token = base64.urlsafe_b64encode(os.urandom(24)).rstrip(b"=").decode("ascii")
        self._app: BackendApp | None = None
        self._lock = threading.Lock()

    def app(self) -> BackendApp:
        """The WSGI app (opens the database on the first call; call from a worker).

        Raises ``WorkspaceBusyError`` while another process has the workspace open and
        ``WorkspaceDamagedError`` when its database is missing or damaged (see
        :meth:`recover`); the next call tries again.
        """
        with self._lock:
            if self._app is None:
                from voiceprint_studio.local.app import create_app

                self._app = create_app(
                    self.data_dir, self.token, latency=self.latency, engine=self.engine
                )
            return self._app

    def recover(self, mode: str) -> RecoveryReport | None:
        """Open a workspace whose database is damaged: ``mode`` "rebuild" (the catalogue
        from the recordings' sidecars) or "empty"; the damaged file is kept aside either way.

        Returns what was done (None when the database turned out readable). Call from a
        worker.
        """
        with self._lock:
            if self._app is None:
                from voiceprint_studio.local.app import create_app

                self._app = create_app(
                    self.data_dir,
                    self.token,
                    latency=self.latency,
                    engine=self.engine,
                    recovery=mode,
                )
            return self._app.store.recovery_report

    def transport(self) -> httpx.BaseTransport:
        """A transport that calls the backend in-process, with no socket."""
        import_httpx_without_cli()
        import httpx

        return httpx.WSGITransport(app=self.app())

    def close(self) -> None:
        """Close the database connections."""
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None


class _WorkspaceObserver:
    """The observer a workspace gives a remote profile's client: the call budget's (counts
    the calls, re-words a likely-expired token), and the workspace is told when the service
    refused the token (an authentication error). Implements
    :class:`voiceprint_studio.api.CallObserver`."""

    def __init__(
        self, workspace: Workspace, profile: ConnectionProfile, inner: BudgetObserver | None
    ) -> None:
        self.workspace = workspace
        self.profile = profile
        self.inner = inner

    def on_attempt(self, service: str, endpoint: str) -> None:
        """Counted by the budget."""
        if self.inner is not None:
            self.inner.on_attempt(service, endpoint)

    def on_unsent(self, service: str, endpoint: str) -> None:
        """Taken back by the budget."""
        if self.inner is not None:
            self.inner.on_unsent(service, endpoint)

    def on_failure(self, error: ApiError) -> None:
        """Re-worded by the budget; a refused token is said to the workspace's listener."""
        if self.inner is not None:
            self.inner.on_failure(error)
        if isinstance(error, AuthenticationError):
            self.workspace.token_was_refused(self.profile)


class Workspace:
    """Clients for the active Coze and MiniMax profiles.

    ``refused_listener`` (optional, set by the window that uses the workspace) is called
    with the profile whenever the service refused that profile's token on a call of this
    workspace (an authentication error: HTTP 401, Coze 4100, MiniMax 1004...), on the
    thread that made the call.
    """

    def __init__(
        self,
        coze_profile: ConnectionProfile,
        minimax_profile: ConnectionProfile,
        secret_store: SecretStore,
        offline: OfflineBackend,
        transport_factory: TransportFactory | None = None,
        *,
        budget: CallBudget | None = None,
    ) -> None:
        self.coze_profile = coze_profile
        self.budget = budget
        self.minimax_profile = minimax_profile
        self._secrets = secret_store
        self._offline = offline
        self._transport_factory = transport_factory
        self._coze: CozeClient | None = None
        self._minimax: MiniMaxClient | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.refused_listener: Callable[[ConnectionProfile], None] | None = None

    def __repr__(self) -> str:
        return f"Workspace(coze={self.coze_profile.key!r}, minimax={self.minimax_profile.key!r})"

    def _connection(
        self, profile: ConnectionProfile
    ) -> tuple[str, str, httpx.BaseTransport | None]:
        transport = self._transport_factory(profile) if self._transport_factory else None
        if profile.offline:
            return self._offline.token, OFFLINE_BASE_URL, transport or self._offline.transport()
        token = self._secrets.get(keyring_account(profile))
        if not token:
            raise NoTokenError(profile)
        return token, profile.base_url, transport

    def _observer(self, profile: ConnectionProfile) -> _WorkspaceObserver | None:
        """Counts the calls of a remote profile (the offline workspace costs nothing) and
        notes a refused token."""
        if profile.offline:
            return None
        inner = self.budget.observer(profile) if self.budget is not None else None
        return _WorkspaceObserver(self, profile, inner)

    def token_was_refused(self, profile: ConnectionProfile) -> None:
        """Tell ``refused_listener`` that the service refused ``profile``'s token (from the
        worker that made the call; never raises: counting and calls go on)."""
        listener = self.refused_listener
        if listener is None:
            return
        try:
            listener(profile)
        except Exception:  # a closed window's: the call's own failure is what matters
            _LOG.debug("refused-token listener failed", exc_info=True)

    def coze(self) -> CozeClient:
        """The Coze client (built on first use; call from a worker)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("workspace closed")
            if self._coze is None:
                import_httpx_without_cli()
                from voiceprint_studio.api import CozeClient

                token, base_url, transport = self._connection(self.coze_profile)
                self._coze = CozeClient(
                    token,
                    base_url,
                    transport=transport,
                    observer=self._observer(self.coze_profile),
                )
            return self._coze

    def job_place(self) -> tuple[Place, CallObserver | None] | None:
        """The Coze workspace as a job in its own process reaches it, with the observer
        that counts its calls here (:mod:`voiceprint_studio.transfer.child`); None when
        this workspace's calls go through a transport given here (tests), which a child
        process cannot have."""
        from voiceprint_studio.transfer.child import Place

        profile = self.coze_profile
        if self._transport_factory is not None:
            return None
        if profile.offline:
            return Place(OFFLINE_BASE_URL, self._offline.token, via_app=True), None
        token, base_url, _transport = self._connection(profile)
        days = self.budget.expired_token_age(profile) if self.budget is not None else None
        return Place(base_url, token, expired_days=days), self._observer(profile)

    def offline_user_id(self) -> str | None:
        """The offline workspace's own user, when Coze is the offline workspace (from a worker).

        The views name that user "Local user" in the operator's language (the
        backend stores a fixed Chinese nickname).
        """
        if not self.coze_profile.offline:
            return None
        return self._offline.app().user.user_id

    def minimax(self) -> MiniMaxClient:
        """The MiniMax client (built on first use; call from a worker)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("workspace closed")
            if self._minimax is None:
                import_httpx_without_cli()
                from voiceprint_studio.api import MiniMaxClient

                token, base_url, transport = self._connection(self.minimax_profile)
                self._minimax = MiniMaxClient(
                    token,
                    base_url,
                    transport=transport,
                    observer=self._observer(self.minimax_profile),
                )
            return self._minimax

    def close(self) -> None:
        """Close both clients (the offline backend belongs to the application)."""
        with self._lock:
            self._closed = True
            for client in (self._coze, self._minimax):
                if client is not None:
                    client.close()
            self._coze = self._minimax = None
