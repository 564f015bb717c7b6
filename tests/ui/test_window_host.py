"""Switching language rebuilds the window in the new language, without a restart."""

from __future__ import annotations

import shiboken6
from pytestqt.qtbot import QtBot

from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.window_host import WindowHost


def test_language_switch_rebuilds_the_window(qtbot: QtBot, services: AppServices) -> None:
    translations = Translations()
    assert translations.install("en")
    host = WindowHost(services, translations)
    try:
        workspace = services.new_workspace()
        try:
            workspace.coze().create_group("Front desk")
            kitchen = workspace.coze().create_group("Kitchen")
        finally:
            workspace.close()
        first = host.show()
        qtbot.waitExposed(first)
        assert first.tabs.tabText(0) == "Voiceprints (Coze)"
        qtbot.waitUntil(lambda: first.groups_panel.model.rowCount() == 2)
        row = next(r for r in range(2) if first.groups_panel.model.index(r, 0).data() == "Kitchen")
        first.groups_panel.table.selectRow(row)
        first.resize(1200, 680)
        qtbot.waitUntil(lambda: first.coze_splitter.height() > 400)
        # the operator's split between the groups and the voiceprints (dragged)
        top, bottom = first.coze_splitter.sizes()
        first.coze_splitter.setSizes([top + bottom - 150, 150])
        split = first.coze_splitter.sizes()

        first.language_actions["zh_CN"].trigger()
        second = host.window
        assert second is not None and second is not first
        qtbot.waitExposed(second)
        assert services.preferences.get(prefs.LANGUAGE) == "zh_CN"
        assert translations.language == "zh_CN"
        assert second.tabs.tabText(0) == "声纹（扣子）"
        qtbot.waitUntil(lambda: not second.groups_panel.loading)
        # ... on the group the operator was on (it came back with nothing selected)
        qtbot.waitUntil(lambda: second.groups_panel.current_group() is not None)
        current = second.groups_panel.current_group()
        assert current is not None and current.id == kitchen
        # ... with the tables split as they were (the voiceprints' shrank to a row and a
        # half after a switch back and forth: a tester's)
        # (a pixel or two apart: the Chinese menu and status bars are not as tall)
        qtbot.waitUntil(
            lambda: all(
                abs(a - b) <= 4 for a, b in zip(second.coze_splitter.sizes(), split, strict=True)
            ),
            timeout=3000,
        )
        # The old window closed itself and is deleted (WA_DeleteOnClose).
        qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    finally:
        translations.uninstall()
        if host.window is not None:
            host.window.close()
