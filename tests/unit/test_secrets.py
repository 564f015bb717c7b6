"""Tokens go to the keyring; without one they stay in memory and never touch a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.ui_fixtures import MemoryKeyring
from voiceprint_studio.settings.secrets import SecretStore

TOKEN = "pat_unit_test_token_0123456789"


def _files_containing(root: Path, needle: str) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(path)
    return hits


def test_token_round_trips_through_the_keyring() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert store.get("coze-cn") is None
    assert store.set("coze-cn", TOKEN) is True
    assert backend.entries == {("voiceprint-studio", "coze-cn"): TOKEN}
    assert store.get("coze-cn") == TOKEN
    assert store.get("coze-com") is None
    store.delete("coze-cn")
    store.delete("coze-cn")  # deleting twice is fine
    assert store.get("coze-cn") is None
    assert store.persistent


def test_no_keyring_keeps_token_in_memory_and_writes_nothing(
    _isolated_user_dirs: Path,
) -> None:
    store = SecretStore(fail.Keyring())
    assert store.get("coze-cn") is None
    assert store.persistent is False
    assert store.problem is not None
    assert "keyring" in store.problem
    assert store.set("coze-cn", TOKEN) is False
    assert store.get("coze-cn") == TOKEN
    assert TOKEN not in repr(store)
    assert TOKEN not in store.problem
    assert _files_containing(_isolated_user_dirs, TOKEN) == []
    store.delete("coze-cn")
    assert store.get("coze-cn") is None


@pytest.mark.realparts
@pytest.mark.skipif(os.environ.get("VPS_REAL_PARTS") != "1", reason="needs gnome-keyring")
def test_real_secret_service_keyring(_isolated_user_dirs: Path) -> None:
    store = SecretStore(service="voiceprint-studio-test")
    assert store.set("coze-cn", TOKEN) is True
    assert SecretStore(service="voiceprint-studio-test").get("coze-cn") == TOKEN
    store.delete("coze-cn")
    assert SecretStore(service="voiceprint-studio-test").get("coze-cn") is None
    assert _files_containing(_isolated_user_dirs, TOKEN) == []


def test_custom_servers_do_not_share_a_token() -> None:
    from voiceprint_studio.settings.profiles import BUILTIN, custom_profile, keyring_account

    first = custom_profile("coze", "http://127.0.0.1:43643")
    second = custom_profile("coze", "http://127.0.0.1:45999")
    accounts = {keyring_account(p) for p in (first, second, *BUILTIN["coze"])}
    assert len(accounts) == 5
    store = SecretStore(MemoryKeyring())
    store.set(keyring_account(first), TOKEN)
    assert store.get(keyring_account(second)) is None
