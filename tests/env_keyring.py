"""A keyring for app subprocesses in tests: every lookup answers ``$VPS_TEST_TOKEN``.

Selected with ``PYTHON_KEYRING_BACKEND=tests.env_keyring.EnvKeyring`` (and the
repository on ``PYTHONPATH``): the app in a child process then has a token for a
remote profile without a keyring daemon, and the token never touches a file.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class EnvKeyring(KeyringBackend):
    """Read-only: the token from the environment, for any account."""

    priority = -1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("VPS_TEST_TOKEN") or None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordDeleteError("read-only test keyring")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("read-only test keyring")
