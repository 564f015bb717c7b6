"""An upload the client abandons mid-body leaves nothing open on the server."""

from __future__ import annotations

import gc
import socket
import warnings
from urllib.parse import urlsplit

import httpx

from tests.backend_fixtures import Loopback, wav_bytes


def test_aborted_multipart_upload_closes_its_spool_file(loopback: Loopback) -> None:
    group = httpx.post(
        f"{loopback.url}/v1/audio/voiceprint_groups",
        json={"name": "abort"},
        headers=loopback.headers,
    ).json()["data"]["id"]
    payload = wav_bytes(seconds=30.0)  # ~1 MB: spooled to a temporary file by the parser
    boundary = "vpsboundary"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="a.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    total = len(head) + len(payload) + len(f"\r\n--{boundary}--\r\n")
    url = urlsplit(loopback.url)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            sock.sendall(
                (
                    f"POST /v1/audio/voiceprint_groups/{group}/features HTTP/1.1\r\n"
                    f"Host: {url.netloc}\r\n"
                    f"Authorization: Bearer {loopback.token}\r\n"
                    f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                    f"Content-Length: {total}\r\n\r\n"
                ).encode()
                + head
                + payload[: len(payload) // 2]
            )
        # The server answers (or gives up) once it sees the connection closed.
        listing = httpx.get(
            f"{loopback.url}/v1/audio/voiceprint_groups/{group}/features",
            headers=loopback.headers,
        ).json()
        gc.collect()
    assert listing["data"]["total"] == 0
    leaks = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == [], [str(w.message) for w in leaks]
