"""What the windows are given: preferences, secrets, the offline backend, the workspace.

Built once in :mod:`voiceprint_studio.main` and passed down; nothing here is
global, so tests build their own with temporary directories and transports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.call_budget import CallBudget
from voiceprint_studio.settings.preferences import Preferences
from voiceprint_studio.settings.profiles import ConnectionProfile, find_profile, where_of
from voiceprint_studio.settings.secrets import SecretStore
from voiceprint_studio.ui.common.session import OfflineBackend, TransportFactory, Workspace

if TYPE_CHECKING:
    from voiceprint_studio.ui.enroll.pending import PendingJournal


@dataclass
class AppServices:
    """The collaborators every view needs."""

    preferences: Preferences
    secrets: SecretStore
    offline: OfflineBackend
    transport_factory: TransportFactory | None = None
    # Counts the calls made per account (None: not counted).
    budget: CallBudget | None = None
    # Where the journal of unanswered voiceprint creates lives (default: next to
    # the offline workspace, in the app's data folder).
    journal_path: Path | None = None
    _journal: PendingJournal | None = field(default=None, init=False, repr=False)

    def pending_journal(self) -> PendingJournal:
        """The journal of voiceprint creates whose outcome is not known yet."""
        if self._journal is None:
            from voiceprint_studio.ui.enroll.pending import JOURNAL_NAME, PendingJournal

            path = self.journal_path or self.offline.data_dir.parent / JOURNAL_NAME
            self._journal = PendingJournal(path)
        return self._journal

    def coze_profile(self) -> ConnectionProfile:
        """The active Coze profile, from the preferences."""
        return find_profile(
            "coze",
            self.preferences.get(prefs.COZE_PROFILE),
            self.preferences.get(prefs.COZE_CUSTOM_URL),
        )

    def minimax_profile(self) -> ConnectionProfile:
        """The active MiniMax profile, from the preferences."""
        return find_profile(
            "minimax",
            self.preferences.get(prefs.MINIMAX_PROFILE),
            self.preferences.get(prefs.MINIMAX_CUSTOM_URL),
        )

    def where_of(self, profile: ConnectionProfile) -> dict[str, str]:
        """How a job or "Recently deleted" records the workspace on ``profile``: with the
        account its token belongs to when the call budget knows it (``users/me``, asked
        when the workspace opened; the file is not read here: the GUI thread may ask)."""
        budget = self.budget
        if profile.offline or budget is None or not budget.loaded:
            return where_of(profile)
        state = budget.state(profile)
        return where_of(profile, state.user_id, state.display_name)

    def new_workspace(self) -> Workspace:
        """A workspace for the active profiles (cheap; clients are built on first use)."""
        return self.workspace_on(self.coze_profile())

    def workspace_on(self, coze: ConnectionProfile) -> Workspace:
        """A workspace on the Coze profile ``coze`` (with the active MiniMax one), its calls
        counted for its account like the open workspace's."""
        return Workspace(
            coze,
            self.minimax_profile(),
            self.secrets,
            self.offline,
            self.transport_factory,
            budget=self.budget,
        )
