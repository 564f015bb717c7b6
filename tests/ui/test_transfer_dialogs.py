"""The copy/move dialog against real backends: the offline workspace and a loopback server."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback, wav_bytes
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.uploads import AudioUpload
from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import OFFLINE_COZE, custom_profile, keyring_account
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog, jobs_folder


@pytest.fixture
def remote(tmp_path: Path, services: AppServices) -> Iterator[Loopback]:
    """A loopback server standing in for Coze, set up as the custom Coze profile."""
    app = create_app(tmp_path / "remote", "pat_remote_workspace_token")
    try:
        with LoopbackServer(app) as server:
            profile = custom_profile("coze", server.url)
            services.preferences.set(prefs.COZE_PROFILE, profile.key)
            services.preferences.set(prefs.COZE_CUSTOM_URL, server.url)
            services.secrets.set(keyring_account(profile), app.token)
            yield Loopback(server.url, app.token, app)
    finally:
        app.close()


def _offline(services: AppServices) -> Workspace:
    return Workspace(OFFLINE_COZE, services.minimax_profile(), services.secrets, services.offline)


def _content(client: CozeClient, gid: str) -> dict[str, str]:
    return {
        v.name: hashlib.sha256(client.download_audio(v.audio_url)).hexdigest()
        for v in client.iter_voiceprints(gid)
    }


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_copy_a_group_from_the_offline_workspace_to_a_server(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path, move: bool
) -> None:
    source = _offline(services)
    client = source.coze()
    gid = client.create_group("front desk", "lobby")
    for n in range(3):
        path = tmp_path / f"{n}.wav"
        path.write_bytes(wav_bytes(0.2 + 0.1 * n))
        client.create_voiceprint(gid, f"person {n}", AudioUpload.from_path(path))
    before = _content(client, gid)
    group = next(g for g in client.iter_groups() if g.id == gid)

    dialog = CopyDialog(services, source, [(group, None)], move=move)
    qtbot.addWidget(dialog)
    dialog.show()
    # the current Coze profile (the server) is the default destination
    assert dialog.target_profile().base_url == remote.url
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    assert "API calls" in dialog.cost_label.text()
    if move:
        dialog.move_radio.setChecked(True)
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as blocker:
        dialog.start_button.click()
    assert blocker.args == [True]
    assert "3 created" in dialog.status_label.text()
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "front desk"]
        assert _content(there, copied.id) == before
    assert len(list(client.iter_voiceprints(gid))) == (0 if move else 3)
    assert not any(jobs_folder(services).glob("*/plan.json"))
    dialog.close()
    source.close()


def test_cancel_keeps_what_was_done_and_leaves_a_job_to_resume(
    qtbot: QtBot, services: AppServices, remote: Loopback, tmp_path: Path
) -> None:
    source = _offline(services)
    client = source.coze()
    gid = client.create_group("big", "")
    for n in range(6):
        path = tmp_path / f"{n}.wav"
        path.write_bytes(wav_bytes(0.3 + 0.05 * n))
        client.create_voiceprint(gid, f"p{n}", AudioUpload.from_path(path))
    group = next(g for g in client.iter_groups() if g.id == gid)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled)
    dialog.start_button.click()
    dialog.close_button.click()  # Cancel at once
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=30000)
    text = dialog.status_label.text()
    if "Cancelled" in text:
        assert any(jobs_folder(services).glob("*/plan.json"))
    else:  # the job won the race; nothing is left behind then
        assert "6 created" in text
    dialog.close()
    source.close()
