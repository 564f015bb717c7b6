"""The real parts the suite relies on are up: OS keyring, virtual microphone, CJK fonts.

These run where ``scripts/test.sh`` started the parts (``VPS_REAL_PARTS=1``);
elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.realparts,
    pytest.mark.skipif(
        os.environ.get("VPS_REAL_PARTS") != "1",
        reason="needs the parts scripts/test.sh starts (VPS_REAL_PARTS=1)",
    ),
]


def test_secret_service_keyring_round_trip() -> None:
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    chain = getattr(backend, "backends", [backend])
    assert any(isinstance(b, SecretService.Keyring) for b in chain), backend
    keyring.set_password("voiceprint-studio-ci", "probe", "s3cret")
    try:
        assert keyring.get_password("voiceprint-studio-ci", "probe") == "s3cret"
    finally:
        keyring.delete_password("voiceprint-studio-ci", "probe")
    assert keyring.get_password("voiceprint-studio-ci", "probe") is None


def test_virtual_microphone_is_listed() -> None:
    # A subprocess, so PortAudio's device list is not cached across tests.
    code = (
        "import sounddevice as sd\n"
        "print('|'.join(d['name'] for d in sd.query_devices() if d['max_input_channels'] > 0))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    names = out.stdout.strip().split("|")
    assert "pulse" in names, names


def test_cjk_font_is_installed() -> None:
    out = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip(), "no Simplified Chinese font: install fonts-wqy-microhei"


def test_this_worker_records_from_its_own_virtual_microphone() -> None:
    """Under pytest-xdist each worker has its own microphone (tests/conftest.py): a stream
    opened on the default input device reads from the worker's source, not the other's."""
    expected = os.environ.get("PULSE_SOURCE", "vmic")
    code = (
        "import subprocess, sounddevice as sd\n"
        "with sd.InputStream(samplerate=16000, channels=1):\n"
        "    print(subprocess.run(['pactl', 'list', 'short', 'source-outputs'],\n"
        "        capture_output=True, text=True, check=True).stdout)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    sources = subprocess.run(
        ["pactl", "list", "short", "sources"], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split("\t")[0]: line.split("\t")[1] for line in sources.splitlines()}
    # source-outputs: index, source index, client, driver, format
    recorded_from = [names[line.split("\t")[1]] for line in out.stdout.strip().splitlines()]
    assert expected in recorded_from, (expected, recorded_from)
