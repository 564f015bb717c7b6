"""``python -m voiceprint_studio.local``: prints URL and TOKEN, serves, stops on a signal."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.backend_fixtures import wav_bytes


def _read_lines(proc: subprocess.Popen[bytes], count: int, timeout: float = 20.0) -> list[str]:
    """Read ``count`` lines from the unbuffered stdout pipe, failing after ``timeout``."""
    assert proc.stdout is not None
    buf = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while buf.count(b"\n") < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not sel.select(remaining):
                raise AssertionError(f"server printed only {buf!r}")
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise AssertionError(f"server exited after printing {buf!r}")
            buf += chunk
    return [line.strip() for line in buf.decode().splitlines()[:count]]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("sig", "extra"),
    [
        (signal.SIGTERM, []),
        (signal.SIGINT, ["--token", "pat_given", "--latency", "0.01", "--no-engine"]),
    ],
)
def test_cli_serves_until_signal(tmp_path: Path, sig: signal.Signals, extra: list[str]) -> None:
    data_dir = tmp_path / "cli-data"
    command = [sys.executable, "-m", "voiceprint_studio.local", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--data", str(data_dir), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    try:
        url_line, token_line = _read_lines(proc, 2)
        assert url_line.startswith("URL http://127.0.0.1:")
        assert token_line.startswith("TOKEN ")
        url, token = url_line.split(" ", 1)[1], token_line.split(" ", 1)[1]
        if extra:
            assert token == "pat_given"
        else:
            assert len(token) >= 32
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
            body = c.get("/v1/users/me").json()
            assert body["code"] == 0
            assert body["data"]["user_id"]
            assert (
                c.get("/v1/users/me", headers={"Authorization": "Bearer x"}).json()["code"] == 4100
            )
            groups = "/v1/audio/voiceprint_groups"
            gid = c.post(groups, json={"name": "cli"}).json()["data"]["id"]
            enroll = {"file": ("a.wav", wav_bytes(2.0))}
            assert (
                c.post(f"{groups}/{gid}/features", data={"name": "a"}, files=enroll).json()["code"]
                == 0
            )
            query = {"file": ("q.wav", wav_bytes(2.0))}
            found = c.post(f"{groups}/{gid}/speaker_identify", files=query, timeout=60).json()
            if "--no-engine" in extra:
                assert found["code"] == 4900
            else:  # the built-in engine is on by default
                assert found["code"] == 0, found
                assert [s["feature_name"] for s in found["data"]["feature_score_list"]] == ["a"]
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert b"GET /v1/users/me" not in err  # per-request logging is quiet by default
    assert (data_dir / "backend.sqlite3").exists()
