"""The main window: connection menu, offline banner, the Coze and MiniMax views.

The window owns the :class:`~voiceprint_studio.ui.common.session.Workspace` of the
active profiles and hands it to every view; switching a profile saves it in
the preferences, builds a new workspace and the views reload, without a
restart. The status bar names the active Coze and MiniMax connections (and
who is signed in to Coze, once known; "not signed in" once Coze refused the token
on any call of the workspace, until a token is saved or removed).

At start-up a remote profile without a saved token falls back to the offline
workspace (saved, and said in the status bar), so the app never opens on a
connection that can only fail.

Start-up is progressive: the constructor builds the shell (menus, banner,
tabs, status bar) and applies the workspace; the views (groups, voiceprints,
MiniMax voices) and their modules are built right after the window's first
paint, or as soon as something asks for them (:attr:`MainWindow.groups_panel`
and the other view properties build them on first use). Dialog modules are
imported when a dialog is first opened.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio import __version__
from voiceprint_studio.api.errors import ApiError
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.call_budget import account_key
from voiceprint_studio.settings.profiles import (
    BUILTIN,
    OFFLINE_COZE,
    OFFLINE_MINIMAX,
    ConnectionProfile,
    keyring_account,
)
from voiceprint_studio.ui.common.call_budget import CallBudgetLabel, token_reminder_text
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.errors import ErrorDialog, ErrorPresenter
from voiceprint_studio.ui.common.fit import available_area
from voiceprint_studio.ui.common.i18n import resolve_language
from voiceprint_studio.ui.common.lines import LineLabel
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import NoTokenError, Workspace
from voiceprint_studio.ui.common.window_hold import WindowHold, open_over
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner
from voiceprint_studio.ui.shell.banner import OfflineBanner
from voiceprint_studio.ui.shell.connection_dialog import (
    CustomServerDialog,
    TokenDialog,
    configured_custom_profile,
    keyring_warning,
    profile_label,
    remote_profiles,
)
from voiceprint_studio.ui.shell.workspace_recovery import WorkspaceRecovery

if TYPE_CHECKING:
    from voiceprint_studio.ui.common.panel import Panel
    from voiceprint_studio.ui.enroll.enroll_wizard import EnrollWizard
    from voiceprint_studio.ui.groups.groups_panel import GroupsPanel
    from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel
    from voiceprint_studio.ui.identify.identify_dialog import IdentifyDialog
    from voiceprint_studio.ui.minimax.minimax_panel import MiniMaxPanel

log = logging.getLogger(__name__)

# How long closing the window waits for calls in flight (they are aborted first: their
# connections are shut down, so only work inside the in-process backend can last).
CLOSE_WAIT_MS = 700
# How often an open quit question looks whether the work it asks about has ended.
QUIT_BOX_WATCH_MS = 300

# The tabs: the Coze views (groups over voiceprints) and the MiniMax voices.
COZE_TAB, MINIMAX_TAB = 0, 1

# View > Language entries: preference value -> label (language names are not translated).
LANGUAGE_CHOICES = (("", ""), ("zh_CN", "简体中文"), ("en", "English"))


def _service_of(exc: BaseException) -> str:
    if isinstance(exc, NoTokenError):
        return exc.profile.service
    if isinstance(exc, ApiError) and exc.service in ("coze", "minimax"):
        return exc.service
    return "coze"


_MNEMONIC = re.compile(r"\(&\w\)|&(?=[^&])")


def _menu_entry(action: QAction, menu: QMenu, *, show_keys: bool) -> QAction:
    """A menu entry that mirrors ``action`` (text, enabled, tooltip) and triggers it.

    ``show_keys``: show the action's shortcut beside it -- and its underlined letter; the
    entries that do not (the second view's, whose actions have the same letters) show
    none, or Alt+E would cycle between "Edit group" and "Edit voiceprint". The entry's
    own shortcut only works inside the menu, so the view's action keeps its keys where
    it has the focus.
    """

    def text() -> str:
        return action.text() if show_keys else _MNEMONIC.sub("", action.text())

    entry = QAction(text(), menu)
    entry.setData(action)  # the action it stands for
    if show_keys:
        entry.setShortcuts(action.shortcuts())
        entry.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def sync() -> None:
        entry.setText(text())
        entry.setEnabled(action.isEnabled())
        entry.setToolTip(action.toolTip())

    sync()
    action.changed.connect(sync)
    entry.triggered.connect(action.trigger)
    return entry


class ShellErrorPresenter(ErrorPresenter):
    """The window's :class:`ErrorPresenter`; also says which service wants a token.

    Signals:
        token_requested(): inherited; the user chose "Enter token..." on an error.
        token_requested_for(str): the same, with the service concerned ("coze"/"minimax").
    """

    token_requested_for = Signal(str)

    def show(
        self,
        exc: BaseException,
        parent: QWidget | None,
        *,
        on_not_found: Callable[[], None] | None = None,
    ) -> ErrorDialog | None:
        """Show ``exc`` like :class:`ErrorPresenter`; the token action names its service."""
        dialog = super().show(exc, parent, on_not_found=on_not_found)
        if dialog is not None and dialog.action_button is not None:
            service = _service_of(exc)
            dialog.action_requested.connect(lambda: self.token_requested_for.emit(service))
        return dialog


class _FirstPaintWatcher(QObject):
    """Calls ``then`` on the next turn of the event loop after the window's first paint.

    An event filter that removes itself: only the events before the first paint
    pass through Python. (Overriding ``paintEvent`` instead made every later paint
    of the whole window call into Python, which needs the GIL -- a busy worker then
    delays each repaint by up to a switch interval.)
    """

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self._then = None
            # Not deleteLater(): it is a child of the window and goes with it. (Deleting
            # it from here crashed now and then when the window itself was deleted.)
        return False


@dataclass(frozen=True)
class _Views:
    """The window's views, built after the first paint (see :meth:`MainWindow.ensure_views`)."""

    groups: GroupsPanel
    voiceprints: VoiceprintsPanel
    minimax: MiniMaxPanel
    coze_splitter: QSplitter

    @property
    def panels(self) -> tuple[Panel, ...]:
        return (self.groups, self.voiceprints, self.minimax)


class MainWindow(QMainWindow):
    """Top-level window of Voiceprint Studio.

    Signals:
        language_change_requested(str): the user chose a language in View > Language
            ("" for the system default, "zh_CN", "en"); the preference is already saved.
        workspace_changed(object): a new :class:`Workspace` was applied to the views.
        token_refused(object, object): the service refused the token of a profile of a
            workspace on one of its calls (the workspace, the :class:`ConnectionProfile`);
            emitted on the worker that made the call, handled on the GUI thread.
    """

    language_change_requested = Signal(str)
    workspace_changed = Signal(object)
    token_refused = Signal(object, object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.presenter = ShellErrorPresenter(self)
        self.presenter.token_requested_for.connect(self.on_presenter_token_requested)
        # a damaged offline database: say what happened, offer to rebuild (ui.workspace_recovery)
        self.recovery = WorkspaceRecovery(services.offline, self.presenter, self)
        self.recovery.recovered.connect(self.on_recovery_recovered)
        self.runner = TaskRunner(parent=self)
        self.setWindowTitle(self.tr("Voiceprint Studio"))
        # At most the screen's available area, less the title bar (a 1280x720 laptop with
        # a task bar leaves 1280x680).
        area = available_area(self)
        self.resize(min(1180, area.width()), min(720, area.height() - 40))

        self.workspace: Workspace | None = None
        self.signed_in_as = ""
        self.token_dialog: TokenDialog | None = None
        self.custom_server_dialog: CustomServerDialog | None = None
        self.identify_dialog: IdentifyDialog | None = None
        self.enroll_wizard: EnrollWizard | None = None
        self.about_box: QMessageBox | None = None
        self.log_box: QMessageBox | None = None  # the log folder's path, when not opened
        self.quit_box: QMessageBox | None = None
        self.language_box: QMessageBox | None = None  # "close the open windows?" (last asked)
        self._quit_confirmed = False
        self._closed_down = False
        self._views: _Views | None = None
        # The views are built right after the shell's first paint.
        _FirstPaintWatcher(self, self.ensure_views)

        self.banner = OfflineBanner()
        self.banner.setVisible(False)
        self.banner.connect_requested.connect(self.on_banner_connect_requested)
        self.banner.dismissed.connect(self.on_banner_dismissed)

        # Empty pages until the views are built (right after the first paint).
        self.tabs = QTabWidget()
        for title in self._tab_titles():
            self.tabs.addTab(QWidget(), title)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.banner.close_button, self.tabs)
        self.tabs.currentChanged.connect(lambda _index: self._update_banner())

        self.connection_label = QLabel()  # the Coze connection
        self.minimax_label = QLabel()
        self.keyring_label = QLabel(self.tr("Tokens are kept for this session only"))
        self.keyring_label.setToolTip(keyring_warning())
        self.keyring_label.setStyleSheet("color: #7a4d00;")
        self.keyring_label.setVisible(False)
        # Messages (warnings included) on the left: elided when long, the tooltip has them
        # whole (QStatusBar.showMessage() cut them off in mid-word).
        self.message_label = LineLabel()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message_label.clear)
        self.statusBar().addWidget(self.message_label, 1)
        self.statusBar().addPermanentWidget(self.keyring_label)
        self.statusBar().addPermanentWidget(self.connection_label)
        self.budget_label = CallBudgetLabel(services.budget)  # Coze calls counted
        self.statusBar().addPermanentWidget(self.budget_label)
        self.statusBar().addPermanentWidget(self.minimax_label)
        # Account keys whose token Coze refused (an authentication error) on a call of the
        # workspace this session: "not signed in", no users/me asked (it would be refused
        # too), until a token is saved or removed for the profile.
        self._token_refused: set[str] = set()
        self.token_refused.connect(self.on_workspace_token_refused)

        self._build_actions()
        self._build_menus()
        # While a dialog that runs calls is open (non-modal, so that the title bar's ×
        # still reaches closeEvent), everything here but Quit is disabled.
        self.hold = WindowHold(self, keep=[self.quit_action])

        geometry = services.preferences.get(prefs.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self._start()

    # -- construction ------------------------------------------------------------

    def _build_actions(self) -> None:
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        refresh_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh)
        if QKeySequence("F5") not in refresh_keys:
            refresh_keys.insert(0, QKeySequence("F5"))
        self.refresh_action.setShortcuts(refresh_keys)
        self.refresh_action.triggered.connect(self.on_refresh_action_triggered)
        self.search_action = QAction(self.tr("&Find group"), self)
        self.search_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.search_action.triggered.connect(self.on_search_action_triggered)
        self.identify_action = QAction(self.tr("&Identify speaker…"), self)
        self.identify_action.setShortcut(QKeySequence("Ctrl+I"))
        self.identify_action.triggered.connect(self.on_identify_action_triggered)
        self.enroll_action = QAction(self.tr("&Enrollment wizard…"), self)
        self.enroll_action.triggered.connect(self.on_enroll_action_triggered)
        self.enroll_action.setEnabled(False)
        self.enroll_action.setToolTip(self.tr("Select a group first."))
        self.token_action = QAction(self.tr("&Token…"), self)
        self.token_action.triggered.connect(self.on_token_action_triggered)
        self.custom_server_action = QAction(self.tr("&Custom server…"), self)
        self.custom_server_action.triggered.connect(self.on_custom_server_action_triggered)
        self.quit_action = QAction(self.tr("&Quit"), self)
        # The platform's Quit keys, and Ctrl+Q everywhere (some platforms have none).
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        if QKeySequence("Ctrl+Q") not in quit_keys:
            quit_keys.append(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcuts(quit_keys)
        self.quit_action.triggered.connect(self.close)
        self.open_log_action = QAction(self.tr("Open &log folder"), self)
        self.open_log_action.triggered.connect(self.on_open_log_action_triggered)
        self.about_action = QAction(self.tr("&About Voiceprint Studio"), self)
        self.about_action.triggered.connect(self.on_about_action_triggered)
        for action in (self.refresh_action, self.search_action, self.identify_action):
            self.addAction(action)  # shortcuts work wherever the focus is

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.quit_action)
        from voiceprint_studio.ui.transfer.actions import TransferActions

        self.transfer_actions = TransferActions(self)
        self.transfer_actions.add_to(file_menu)
        # "2 transfers did not finish — Resume…" (counted from the journals on a worker)
        self.statusBar().addPermanentWidget(self.transfer_actions.notice)
        self.transfer_actions.check_unfinished()

        self.edit_menu = bar.addMenu(self.tr("&Edit"))

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        self.language_menu = view_menu.addMenu(self.tr("&Language"))
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        current = self.services.preferences.get(prefs.LANGUAGE)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_CHOICES:
            action = QAction(name or self.tr("System default"), self.language_group)
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == current)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.language_group.triggered.connect(self.on_language_group_triggered)

        self.connection_menu = bar.addMenu(self.tr("&Connection"))
        self.profile_actions: dict[tuple[str, str], QAction] = {}
        self._profile_groups: list[QActionGroup] = []
        self._rebuild_connection_menu()

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.identify_action)
        tools_menu.addAction(self.enroll_action)
        tools_menu.setToolTipsVisible(True)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.open_log_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _rebuild_connection_menu(self) -> None:
        menu = self.connection_menu
        menu.clear()
        for group in self._profile_groups:
            group.deleteLater()
        self._profile_groups = []
        self.profile_actions = {}
        for service, title in (("coze", self.tr("Coze")), ("minimax", self.tr("MiniMax"))):
            menu.addSection(title)
            group = QActionGroup(self)
            group.setExclusive(True)
            profiles = list(BUILTIN[service])
            custom = configured_custom_profile(self.services, service)
            if custom is not None:
                profiles.append(custom)
            for profile in profiles:
                action = QAction(profile_label(profile), group)
                action.setCheckable(True)
                action.setData((profile.service, profile.key, profile.base_url))
                menu.addAction(action)
                self.profile_actions[(service, profile.key)] = action
            group.triggered.connect(self.on_profile_group_triggered)
            self._profile_groups.append(group)
        menu.addSeparator()
        menu.addAction(self.token_action)
        menu.addAction(self.custom_server_action)
        self._sync_connection_menu()

    def _sync_connection_menu(self) -> None:
        if self.workspace is None:
            return
        for profile in (self.workspace.coze_profile, self.workspace.minimax_profile):
            action = self.profile_actions.get((profile.service, profile.key))
            if action is not None:
                action.setChecked(True)

    def _tab_titles(self) -> tuple[str, str]:
        return (self.tr("Voiceprints (Coze)"), self.tr("Voices (MiniMax)"))

    def _wire_panels(self, views: _Views) -> None:
        views.groups.current_group_changed.connect(views.voiceprints.set_group)
        views.groups.busy_changed.connect(views.voiceprints.on_groups_busy_changed)
        # Adding or deleting a voiceprint changes the group's count in the groups table.
        views.voiceprints.voiceprints_changed.connect(views.groups.refresh)
        # The enrollment wizard needs a group with room for one more voiceprint.
        views.groups.current_group_changed.connect(self.update_enroll_action)
        views.voiceprints.voiceprints_changed.connect(self.update_enroll_action)
        views.voiceprints.busy_changed.connect(self.update_enroll_action)
        # The views' actions act on the view that has the focus (their own shortcuts), and
        # both views use the same keys: the menu shows each key once, with the groups.
        for title, panel, keys in (
            (self.tr("Groups"), views.groups, True),
            (
                self.tr("Voiceprints (the same keys, in the voiceprint list)"),
                views.voiceprints,
                False,
            ),
        ):
            self.edit_menu.addSection(title)
            for action in (panel.new_action, panel.edit_action, panel.delete_action):
                self.edit_menu.addAction(_menu_entry(action, self.edit_menu, show_keys=keys))
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.search_action)
        self.transfer_actions.add_to_context_menus(views.groups, views.voiceprints)

    # -- views ------------------------------------------------------------------

    @property
    def views_built(self) -> bool:
        """Whether the views exist yet (they are built right after the first paint)."""
        return self._views is not None

    def ensure_views(self) -> None:
        """Build the views now, if not done yet, and point them at the workspace."""
        self._ensure_views()

    def _ensure_views(self) -> _Views:
        if self._views is not None:
            return self._views
        # The identify dialog's module is loaded with the views rather than on first
        # use: importing it when the operator presses Identify added ~13 ms to that
        # stall; here it only delays the first page a little (the shell is on screen).
        import voiceprint_studio.ui.identify.identify_dialog  # noqa: F401
        from voiceprint_studio.ui.groups.groups_panel import GroupsPanel
        from voiceprint_studio.ui.groups.voiceprints_panel import VoiceprintsPanel
        from voiceprint_studio.ui.minimax.minimax_panel import MiniMaxPanel

        groups = GroupsPanel(self.services, self.presenter)
        voiceprints = VoiceprintsPanel(self.services, self.presenter)
        minimax = MiniMaxPanel(self.services, self.presenter)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(groups)
        splitter.addWidget(voiceprints)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # neither list can be dragged out of sight (a walk-through's: the voiceprints
        # vanished behind a thin handle nobody would know to drag back)
        splitter.setChildrenCollapsible(False)
        current = self.tabs.currentIndex()
        pages = (splitter, minimax)
        for index, (page, title) in enumerate(zip(pages, self._tab_titles(), strict=True)):
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, title)
            if placeholder is not None:
                placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)
        views = self._views = _Views(groups, voiceprints, minimax, splitter)
        self._wire_panels(views)
        if self.workspace is not None:
            for panel in views.panels:
                panel.set_workspace(self.workspace)
        return views

    @property
    def groups_panel(self) -> GroupsPanel:
        """The voiceprint groups view (built on first use)."""
        return self._ensure_views().groups

    @property
    def voiceprints_panel(self) -> VoiceprintsPanel:
        """The voiceprints of the selected group (built on first use)."""
        return self._ensure_views().voiceprints

    @property
    def minimax_panel(self) -> MiniMaxPanel:
        """The MiniMax voices view (built on first use)."""
        return self._ensure_views().minimax

    @property
    def coze_splitter(self) -> QSplitter:
        """The Coze tab: groups above, voiceprints below (built on first use)."""
        return self._ensure_views().coze_splitter

    # -- workspace ------------------------------------------------------------

    @property
    def panels(self) -> tuple[Panel, ...]:
        """Every view that talks to the workspace (built on first use)."""
        return self._ensure_views().panels

    def _start(self) -> None:
        """Apply the saved profiles; a remote one without a token falls back to offline."""
        coze = self.services.coze_profile()
        minimax = self.services.minimax_profile()
        remote = [p for p in (coze, minimax) if not p.offline]
        if not remote:
            self.apply_workspace(self.services.new_workspace())
            return
        secrets = self.services.secrets
        budget = self.services.budget

        def check(_ctx: TaskContext) -> list[ConnectionProfile]:
            if budget is not None:
                budget.load()  # read here, not on the GUI thread
            return [p for p in remote if secrets.get(keyring_account(p)) is None]

        self.connection_label.setText(self.tr("Connecting…"))
        self.runner.submit(
            "startup",
            check,
            self._on_startup_checked,
            on_failure=lambda exc: self._on_startup_checked([]),
        )

    def _on_startup_checked(self, missing: object) -> None:
        assert isinstance(missing, list)
        for profile in missing:
            self._save_profile(OFFLINE_COZE if profile.service == "coze" else OFFLINE_MINIMAX)
        self.apply_workspace(self.services.new_workspace())
        if missing:
            names = ", ".join(profile_label(p) for p in missing)
            self.show_message(
                self.tr(
                    "No token is saved for {names}; using the offline workspace. "
                    "Choose Connection > Token... to connect."
                ).format(names=names),
                15000,
            )

    def apply_workspace(self, workspace: Workspace) -> None:
        """Point every view at ``workspace`` (closing the previous one)."""
        old, self.workspace = self.workspace, workspace
        # before the views' first calls: any of them may find the token refused
        workspace.refused_listener = lambda profile: self.token_refused.emit(workspace, profile)
        self.runner.cancel("me")
        self.signed_in_as = ""
        # Status messages belong to the connection they were about.
        self._message_timer.stop()
        self.message_label.clear()
        if self._views is not None:  # otherwise the views get it when they are built
            for panel in self._views.panels:
                panel.set_workspace(workspace)
        if old is not None:
            old.close()
        self._update_status()
        self._update_banner()
        self._sync_connection_menu()
        self.budget_label.set_profile(workspace.coze_profile)
        self._ask_who_signed_in(workspace)
        reminder = token_reminder_text(self.services.budget, workspace.coze_profile)
        if reminder:
            self.show_message(reminder, 30000)
        self.update_enroll_action()
        self.workspace_changed.emit(workspace)

    def _ask_who_signed_in(self, workspace: Workspace) -> None:
        """Who the Coze token belongs to: from the cache, else one ``users/me`` call.

        The identity is cached per profile (forgotten when a new token is saved, and when
        Coze refuses the token), so switching workspaces costs no call; a ``users/me``
        that Coze refused (4101) is not asked again this session, nor one for a token Coze
        refused this session (not signed in: the call would be refused too).
        """
        profile = workspace.coze_profile
        if profile.offline:
            return
        if account_key(profile) in self._token_refused:
            self._update_status(not_signed_in=True)
            return
        budget = self.services.budget
        if budget is not None and budget.loaded:
            cached = budget.state(profile)
            if cached.user_id:
                self.signed_in_as = cached.display_name or cached.user_id
                self._update_status()
                return
        if budget is not None and budget.identity_refused(profile):
            return  # (users/me refused this token: not asked again this session)

        def fetch(_ctx: TaskContext) -> object:
            me = workspace.coze().me()
            if budget is not None:
                budget.remember_identity(profile, me.user_id, me.shown_name)
            return me

        self.runner.submit(
            "me",
            fetch,
            self._on_me_loaded,
            on_failure=lambda exc: self._on_me_failed(exc, profile),
        )

    def _on_me_loaded(self, me: object) -> None:
        from voiceprint_studio.api.models import Me

        assert isinstance(me, Me)
        self.signed_in_as = me.shown_name
        self._update_status()

    def _on_me_failed(self, exc: object, profile: ConnectionProfile | None = None) -> None:
        # The views show the failure (with "Enter token..."); the status bar only says it.
        from voiceprint_studio.api.errors import PermissionDeniedError

        self.signed_in_as = ""
        if isinstance(exc, PermissionDeniedError) and profile is not None:
            # users/me is not in Coze's public API list: a token may work without it.
            if self.services.budget is not None:
                self.services.budget.refuse_identity(profile)
            self._update_status()
            return
        self._update_status(not_signed_in=True)

    @Slot(object, object)
    def on_workspace_token_refused(self, workspace: object, profile: object) -> None:
        """Coze refused the open workspace's token on a call (a view's, a dialog's, users/me):
        the status bar says "not signed in" -- for this account until a token is saved or
        removed -- and the identity cached for the token is forgotten (on a worker)."""
        if (
            self._closed_down
            or workspace is not self.workspace
            or self.workspace is None
            or profile != self.workspace.coze_profile
        ):
            return  # a workspace closed since, or MiniMax (its status names no one)
        assert isinstance(profile, ConnectionProfile)
        key = account_key(profile)
        first = key not in self._token_refused
        self._token_refused.add(key)
        self.runner.cancel("me")  # an answer in flight must not say "signed in as" again
        self.signed_in_as = ""
        self._update_status(not_signed_in=True)
        budget = self.services.budget
        if first and budget is not None:
            self.runner.submit("forget_identity", lambda _ctx: budget.forget_identity(profile))

    def _update_status(self, *, not_signed_in: bool = False) -> None:
        if self.workspace is None:
            return
        coze = self.workspace.coze_profile
        if not coze.offline and account_key(coze) in self._token_refused:
            not_signed_in = True  # never "signed in as" with a token Coze refused
        if coze.offline:
            coze_text = self.tr("Coze: Offline workspace (no token configured)")
        elif self.signed_in_as and not not_signed_in:
            coze_text = self.tr("Coze: {profile}, signed in as {name}").format(
                profile=profile_label(coze), name=self.signed_in_as
            )
        elif not_signed_in:
            coze_text = self.tr("Coze: {profile}, not signed in").format(
                profile=profile_label(coze)
            )
        else:
            coze_text = self.tr("Coze: {profile}").format(profile=profile_label(coze))
        self.connection_label.setText(coze_text)
        minimax = self.workspace.minimax_profile
        if minimax.offline:
            minimax_text = self.tr("MiniMax: Offline workspace")
        else:
            minimax_text = self.tr("MiniMax: {profile}").format(profile=profile_label(minimax))
        self.minimax_label.setText(minimax_text)
        self.keyring_label.setVisible(not self.services.secrets.persistent)

    def _update_banner(self) -> None:
        """The offline banner speaks of the service of the tab shown, while that service
        works on the offline workspace."""
        on_minimax = self.tabs.currentIndex() == 1
        self.banner.set_service("minimax" if on_minimax else "coze")
        workspace = self.workspace
        profile = None
        if workspace is not None:
            profile = workspace.minimax_profile if on_minimax else workspace.coze_profile
        offline = profile is not None and profile.offline
        dismissed = self.services.preferences.get(prefs.OFFLINE_BANNER_DISMISSED)
        self.banner.setVisible(offline and not dismissed)

    def _save_profile(self, profile: ConnectionProfile) -> None:
        option = prefs.COZE_PROFILE if profile.service == "coze" else prefs.MINIMAX_PROFILE
        self.services.preferences.set(option, profile.key)
        if profile.custom:
            url_option = (
                prefs.COZE_CUSTOM_URL if profile.service == "coze" else prefs.MINIMAX_CUSTOM_URL
            )
            self.services.preferences.set(url_option, profile.base_url)

    def activate_profile(self, profile: ConnectionProfile) -> None:
        """Save ``profile`` as its service's connection and reload the views with it."""
        current = self.workspace
        if (
            profile.service == "coze"
            and profile.offline
            and current is not None
            and not current.coze_profile.offline
        ):
            # Back to offline from a remote profile: say so again, even if dismissed before.
            self.services.preferences.set(prefs.OFFLINE_BANNER_DISMISSED, False)
        self._save_profile(profile)
        self.apply_workspace(self.services.new_workspace())

    def switch_profile(self, profile: ConnectionProfile) -> None:
        """Use ``profile``; a remote one without a saved token opens the token dialog first."""
        self._sync_connection_menu()  # the radio follows the workspace, not the click
        if profile.offline:
            self.activate_profile(profile)
            return
        secrets = self.services.secrets
        account = keyring_account(profile)

        def has_token(_ctx: TaskContext) -> bool:
            return secrets.get(account) is not None

        def checked(found: object) -> None:
            if found:
                self.activate_profile(profile)
            else:
                self.open_token_dialog(profile)

        self.runner.submit("switch", has_token, checked)

    def show_message(self, text: str, timeout_ms: int = 10000) -> None:
        """Say ``text`` in the status bar for ``timeout_ms`` (elided when long; see its tooltip)."""
        self.message_label.setText(text)
        self._message_timer.start(timeout_ms)

    # -- dialogs ------------------------------------------------------------------

    def _default_token_profile(self, service: str | None = None) -> ConnectionProfile:
        candidates = []
        if self.workspace is not None:
            candidates = [self.workspace.coze_profile, self.workspace.minimax_profile]
        for profile in candidates:
            if not profile.offline and service in (None, profile.service):
                return profile
        wanted = service or "coze"
        return next(p for p in remote_profiles(self.services) if p.service == wanted)

    def open_token_dialog(self, profile: ConnectionProfile | None = None) -> TokenDialog:
        """Open (or raise) the token dialog on ``profile`` (default: the active remote one)."""
        profile = profile or self._default_token_profile()
        dialog = self.token_dialog
        if dialog is not None and dialog.isVisible():
            dialog.select_profile(profile)
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        if dialog is not None:
            dialog.deleteLater()
        dialog = TokenDialog(self.services, profile, self)
        dialog.token_saved.connect(self.on_token_dialog_saved)
        dialog.token_removed.connect(self.on_token_dialog_removed)
        self.token_dialog = dialog
        open_over(dialog)
        return dialog

    def open_identify_dialog(self) -> IdentifyDialog | None:
        """Open speaker identification on the selected group (None before a workspace)."""
        if self.workspace is None:
            return None
        if self.identify_dialog is not None:
            if self.identify_dialog.isVisible():
                self.identify_dialog.raise_()
                self.identify_dialog.activateWindow()
                return self.identify_dialog
            self.identify_dialog.deleteLater()
        from voiceprint_studio.ui.identify.identify_dialog import IdentifyDialog

        dialog = IdentifyDialog(
            self.services,
            self.presenter,
            self.workspace,
            group=self.groups_panel.current_group(),
            parent=self,
        )
        self.identify_dialog = dialog
        open_over(dialog)
        return dialog

    @Slot()
    def update_enroll_action(self) -> None:
        """Enable "Enrollment wizard…" for a selected group that is not full; say why not."""
        views = self._views
        group = views.groups.current_group() if views is not None else None
        reason = ""
        if self.workspace is None or views is None or group is None:
            reason = self.tr("Select a group first.")
        elif views.voiceprints.group is not None and views.voiceprints.full:
            # Imported here, not above: the shell calls this before the views (and their
            # modules) exist, and importing the voiceprints view then delayed the first
            # paint by 60-160 ms.
            from voiceprint_studio.ui.groups.voiceprints_panel import MAX_VOICEPRINTS

            reason = self.tr(
                "The group “{group}” is full ({count}). Delete a voiceprint or choose "
                "another group."
            ).format(group=group.name, count=self.tr("%n voiceprint(s)", "", MAX_VOICEPRINTS))
        self.enroll_action.setEnabled(not reason)
        self.enroll_action.setToolTip(
            reason or self.tr("Add a voiceprint to the selected group, step by step")
        )

    def open_enroll_wizard(self) -> EnrollWizard | None:
        """Open the enrollment wizard for the selected group (None when it cannot be used)."""
        self.update_enroll_action()
        if not self.enroll_action.isEnabled() or self.workspace is None:
            return None
        group = self.groups_panel.current_group()
        if group is None:
            return None
        if self.enroll_wizard is not None and self.enroll_wizard.isVisible():
            self.enroll_wizard.raise_()
            self.enroll_wizard.activateWindow()
            return self.enroll_wizard
        from voiceprint_studio.ui.enroll.enroll_wizard import EnrollWizard

        wizard = EnrollWizard(self.services, self.presenter, self.workspace, group, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        from voiceprint_studio.ui.groups.voiceprints_panel import same_name_note

        wizard.fields.set_taken_names(
            self.voiceprints_panel.names_in_group(group.id), same_name_note()
        )
        wizard.enrolled.connect(self.on_enroll_wizard_enrolled)
        wizard.destroyed.connect(self._forget_enroll_wizard)
        wizard.addAction(self.quit_action)  # Ctrl+Q from the wizard asks to quit
        self.enroll_wizard = wizard
        open_over(wizard)
        return wizard

    def _forget_enroll_wizard(self) -> None:
        self.enroll_wizard = None

    # -- slots ------------------------------------------------------------------

    @Slot()
    def on_enroll_action_triggered(self) -> None:
        self.open_enroll_wizard()

    @Slot(str)
    def on_enroll_wizard_enrolled(self, _voiceprint_id: str) -> None:
        if self._views is not None:
            wizard = self.enroll_wizard
            if wizard is not None:  # (the view said "Added" of the one added before)
                self._views.voiceprints.say_added(wizard.fields.name())
            self._views.voiceprints.refresh()
            self._views.groups.refresh()

    @Slot(QAction)
    def on_profile_group_triggered(self, action: QAction) -> None:
        service, key, base_url = action.data()
        self.switch_profile(ConnectionProfile(str(key), str(service), str(base_url)))

    @Slot(str)
    def on_presenter_token_requested(self, service: str) -> None:
        self.open_token_dialog(self._default_token_profile(service))

    @Slot()
    def on_token_action_triggered(self) -> None:
        self.open_token_dialog()

    @Slot()
    def on_banner_connect_requested(self) -> None:
        self.open_token_dialog(self._default_token_profile(self.banner.service))

    @Slot()
    def on_banner_dismissed(self) -> None:
        self.services.preferences.set(prefs.OFFLINE_BANNER_DISMISSED, True)

    @Slot(object, bool)
    def on_token_dialog_saved(self, profile: object, persistent: bool) -> None:
        assert isinstance(profile, ConnectionProfile)
        # a new token (or asked to try again); who it is may be asked once more (the
        # call budget forgot that users/me refused the old one when it was saved)
        self._token_refused.discard(account_key(profile))
        self.activate_profile(profile)
        if not persistent:
            self.show_message(keyring_warning(), 15000)

    @Slot(object)
    def on_token_dialog_removed(self, profile: object) -> None:
        assert isinstance(profile, ConnectionProfile)
        self._token_refused.discard(account_key(profile))
        workspace = self.workspace
        if workspace is None or profile not in (workspace.coze_profile, workspace.minimax_profile):
            return
        self.activate_profile(OFFLINE_COZE if profile.service == "coze" else OFFLINE_MINIMAX)
        self.show_message(
            self.tr("The token was removed. {service} now uses the offline workspace.").format(
                service=self.tr("Coze") if profile.service == "coze" else self.tr("MiniMax")
            ),
            10000,
        )

    @Slot()
    def on_custom_server_action_triggered(self) -> None:
        service = "coze"
        if self.tabs.currentIndex() == MINIMAX_TAB:
            service = "minimax"
        if self.custom_server_dialog is not None:
            self.custom_server_dialog.deleteLater()
        dialog = CustomServerDialog(self.services, service, self)
        dialog.server_chosen.connect(self.on_custom_server_chosen)
        self.custom_server_dialog = dialog
        dialog.open()

    @Slot(object)
    def on_custom_server_chosen(self, profile: object) -> None:
        assert isinstance(profile, ConnectionProfile)
        self._rebuild_connection_menu()
        self.open_token_dialog(profile)

    @Slot()
    def on_refresh_action_triggered(self) -> None:
        if self.tabs.currentIndex() == MINIMAX_TAB:
            self.minimax_panel.refresh()
        else:
            self.refresh_coze_views()

    def refresh_coze_views(self) -> None:
        """List the groups and the group shown again, whichever tab is in front (after a
        job or a restore, which changed them even when it ended on the MiniMax tab)."""
        self.groups_panel.refresh()
        self.voiceprints_panel.refresh()
        # (the groups view hands the group back: not a reason to list it again)
        self.voiceprints_panel.expect_group_back()

    @Slot()
    def on_recovery_recovered(self) -> None:
        for panel in self._views.panels if self._views is not None else ():
            panel.refresh()

    @Slot()
    def on_search_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.coze_splitter)
        self.groups_panel.focus_search()

    @Slot()
    def on_identify_action_triggered(self) -> None:
        self.open_identify_dialog()

    @Slot(QAction)
    def on_language_group_triggered(self, action: QAction) -> None:
        if self.work_in_progress():
            # the window is rebuilt in the new language: it would end the upload or job
            # (an upload asked "quit anyway?" and left two windows open)
            self._check_language_action()
            self.show_message(
                self.tr(
                    "The language changes by rebuilding the window: let the upload or "
                    "transfer in progress finish (or cancel it), then choose the language "
                    "again."
                ),
                15000,
            )
            return
        code = str(action.data())
        open_windows = [
            dialog.windowTitle() for dialog in self.findChildren(QDialog) if dialog.isVisible()
        ]
        if not open_windows:
            self._switch_language(code)
            return
        # they close with the old window (Identify's results with them): ask first
        self._check_language_action()
        self.language_box, _switch = ask_to_confirm(
            self,
            title=self.tr("Change the language"),
            text=self.tr(
                "Changing the language rebuilds the window and closes what is open over it: %1."
            ).replace("%1", self._listed(open_windows)),
            act=self.tr("Change and close them"),
            on_act=lambda: self._switch_language(code),
            destructive=False,
            icon=QMessageBox.Icon.Question,
        )

    def _listed(self, items: list[str]) -> str:
        """``items`` as a list in the language shown ("A, B and C" / "A、B和C")."""
        shown = resolve_language(self.services.preferences.get(prefs.LANGUAGE))
        return QLocale(shown).createSeparatedList(items)

    def _switch_language(self, code: str) -> None:
        self.services.preferences.set(prefs.LANGUAGE, code)
        self.on_language_changed()

    def _check_language_action(self) -> None:
        """Check the language in use again in View > Language (a choice was refused)."""
        action = self.language_actions.get(self.services.preferences.get(prefs.LANGUAGE))
        if action is not None:
            action.setChecked(True)

    def work_in_progress(self) -> bool:
        """Whether an upload or a transfer job of this window is running now."""
        return self.upload_in_progress() or self.transfer_in_progress()

    @Slot()
    def on_language_changed(self) -> None:
        """Ask for the chosen language (the application installs it and retranslates)."""
        self.language_change_requested.emit(self.services.preferences.get(prefs.LANGUAGE))

    def open_url(self, url: QUrl) -> bool:
        """Open ``url`` with the desktop (a seam for tests)."""
        return QDesktopServices.openUrl(url)

    @Slot()
    def on_open_log_action_triggered(self) -> None:
        from voiceprint_studio import logging_setup

        folder = logging_setup.log_dir()
        if self.open_url(QUrl.fromLocalFile(str(folder))):
            return
        # said in a box, the path whole and selectable (the status bar cut it off, and
        # its text cannot be copied)
        if self.log_box is not None:
            self.log_box.deleteLater()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Log folder"))
        box.setText(
            self.tr(
                "The log folder could not be opened: no program to show folders answered. "
                "Its path is below; copy it into your file manager."
            )
        )
        box.setInformativeText(str(folder))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.log_box = box
        box.open()

    def about_text(self) -> str:
        """The About box's text: what this is and the versions of its parts."""
        import platform

        import httpx
        import PySide6

        rows = [
            (self.tr("Voiceprint Studio"), __version__),
            ("Qt", qVersion()),
            ("PySide6", PySide6.__version__),
            ("Python", platform.python_version()),
            ("httpx", httpx.__version__),
            (self.tr("System"), platform.platform()),
        ]
        table = "".join(f"<tr><td>{name}</td><td>&nbsp;{value}</td></tr>" for name, value in rows)
        intro = self.tr("Manage Coze voiceprints and MiniMax voices.")
        return f"<p>{intro}</p><table>{table}</table>"

    @Slot()
    def on_about_action_triggered(self) -> None:
        if self.about_box is not None:
            self.about_box.deleteLater()
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About Voiceprint Studio"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.about_box = box
        box.open()

    # -- closing ---------------------------------------------------------------

    def upload_in_progress(self) -> bool:
        """Whether a dialog of this window is sending a voiceprint's audio right now."""
        return self._a_dialog_says("uploading")

    def transfer_in_progress(self) -> bool:
        """Whether a dialog of this window runs a copy, move, import or export, or a resume
        from File > Transfers, right now."""
        return self._a_dialog_says("running")

    def _a_dialog_says(self, busy: str) -> bool:
        """Whether a shown dialog of this window has its attribute ``busy`` set (True)."""
        return any(
            dialog.isVisible() and getattr(dialog, busy, False) is True
            for dialog in self.findChildren(QDialog)
        )

    def ask_to_quit_during_upload(self) -> QMessageBox:
        """Ask "An upload is in progress — quit anyway?" (non-blocking); Quit closes."""
        return self._ask_to_quit(
            self.tr("An upload is in progress — quit anyway?"),
            self.tr(
                "The upload stops and the recording stays on disk. The voiceprint may or "
                "may not have been added: the app checks the next time the group is shown."
            ),
            self.tr("Keep uploading"),
            self.upload_in_progress,
        )

    def ask_to_quit_during_transfer(self) -> QMessageBox:
        """Ask "A transfer is running — quit anyway?" (non-blocking); Quit closes."""
        return self._ask_to_quit(
            self.tr("A copy, move or import is running — quit anyway?"),
            self.tr(
                "It stops where it is, and nothing it did is lost: File > Transfers "
                "resumes the rest, without creating anything twice."
            ),
            self.tr("Keep it running"),
            self.transfer_in_progress,
        )

    def _ask_to_quit(
        self, question: str, info: str, safe: str, still: Callable[[], bool]
    ) -> QMessageBox:
        """The quit question; it goes by itself once ``still()`` is false (the work ended
        while it was asked: it would say what is no longer true)."""
        if self.quit_box is not None and self.quit_box.isVisible():
            return self.quit_box
        watch = QTimer(self)
        watch.setInterval(QUIT_BOX_WATCH_MS)

        def closed() -> None:
            watch.stop()
            watch.deleteLater()
            self.quit_box = None

        def quit_now() -> None:
            self._quit_confirmed = True
            self.close()

        box, _quit = ask_to_confirm(
            self,
            title=self.tr("Quit Voiceprint Studio"),
            text=question,
            info=info,
            act=self.tr("Quit"),
            on_act=quit_now,
            safe=safe,
            on_closed=closed,
        )

        def check() -> None:
            if not still():
                box.reject()  # (the work is over: nothing is asked about any more)

        watch.timeout.connect(check)
        watch.start()
        self.quit_box = box
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask first during an upload or a transfer; then hide at once, abort every call in
        flight, stop the views and close the clients (a server that never answers holds
        nothing)."""
        if self._closed_down:
            super().closeEvent(event)
            return
        if not self._quit_confirmed and self.upload_in_progress():
            event.ignore()
            self.ask_to_quit_during_upload()
            return
        if not self._quit_confirmed and self.transfer_in_progress():
            event.ignore()
            self.ask_to_quit_during_transfer()
            return
        self._closed_down = True
        self.services.preferences.set(prefs.WINDOW_GEOMETRY, self.saveGeometry())
        self.hide()
        self._message_timer.stop()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                # done(), not close(): a dialog refuses close() while it uploads.
                dialog.done(QDialog.DialogCode.Rejected)
        self.runner.shutdown()
        for panel in self._views.panels if self._views is not None else ():
            panel.shutdown()
        if self.workspace is not None:
            self.workspace.close()  # shuts the connections: calls in flight end now
        drained = QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS)
        if not drained:
            log.warning("calls still running when the window closed")
        super().closeEvent(event)
