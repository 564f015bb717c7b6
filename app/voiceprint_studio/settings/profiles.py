"""Connection profiles: where the app's Coze and MiniMax calls go.

The app talks to two services. Each has an active profile:

* Coze: the offline workspace, Coze China, Coze international, or a custom URL;
* MiniMax: the offline workspace, MiniMax China, MiniMax international, or a
  custom URL.

The offline workspace is the embedded backend, run in-process on the user's
data directory; it needs no token. Profiles are plain values; the token of a
profile lives in the keyring (:mod:`voiceprint_studio.settings.secrets`).
"""

from __future__ import annotations

from dataclasses import dataclass

from voiceprint_studio.api.profiles import (
    COZE_CN,
    COZE_COM,
    MINIMAX_CN,
    MINIMAX_INTL,
    BaseUrlProfile,
    validate_base_url,
)

OFFLINE_KEY = "offline"
CUSTOM_COZE_KEY = "custom_coze"
CUSTOM_MINIMAX_KEY = "custom_minimax"


@dataclass(frozen=True)
class ConnectionProfile:
    """One place a service's calls can go.

    ``key`` names the profile in settings and in the keyring; ``service`` is
    ``"coze"`` or ``"minimax"``; ``base_url`` is empty for the offline workspace.
    """

    key: str
    service: str
    base_url: str = ""

    @property
    def offline(self) -> bool:
        """Whether this is the in-process offline workspace."""
        return self.key == OFFLINE_KEY

    @property
    def custom(self) -> bool:
        """Whether the base URL was typed by the user."""
        return self.key in (CUSTOM_COZE_KEY, CUSTOM_MINIMAX_KEY)


def _from(profile: BaseUrlProfile) -> ConnectionProfile:
    return ConnectionProfile(profile.key, profile.service, profile.base_url)


OFFLINE_COZE = ConnectionProfile(OFFLINE_KEY, "coze")
OFFLINE_MINIMAX = ConnectionProfile(OFFLINE_KEY, "minimax")

#: The fixed profiles of each service, in menu order (custom ones are built on demand).
BUILTIN: dict[str, tuple[ConnectionProfile, ...]] = {
    "coze": (OFFLINE_COZE, _from(COZE_CN), _from(COZE_COM)),
    "minimax": (OFFLINE_MINIMAX, _from(MINIMAX_CN), _from(MINIMAX_INTL)),
}


def custom_profile(service: str, base_url: str) -> ConnectionProfile:
    """A custom profile; raises ``LocalValidationError`` for an unusable URL."""
    key = CUSTOM_COZE_KEY if service == "coze" else CUSTOM_MINIMAX_KEY
    return ConnectionProfile(key, service, validate_base_url(base_url))


def find_profile(service: str, key: str, custom_url: str = "") -> ConnectionProfile:
    """The profile named ``key`` of ``service``; unknown or unusable keys give offline."""
    for profile in BUILTIN.get(service, ()):
        if profile.key == key:
            return profile
    if key in (CUSTOM_COZE_KEY, CUSTOM_MINIMAX_KEY) and custom_url:
        try:
            return custom_profile(service, custom_url)
        except ValueError:
            pass
    return OFFLINE_COZE if service == "coze" else OFFLINE_MINIMAX


def keyring_account(profile: ConnectionProfile) -> str:
    """The keyring entry name of a profile's token, e.g. ``coze:coze_cn``.

    A custom server's entry names its URL too, so a token saved for one
    server is never sent to another one typed in later.
    """
    if profile.custom:
        return f"{profile.service}:{profile.key}:{profile.base_url}"
    return f"{profile.service}:{profile.key}"
