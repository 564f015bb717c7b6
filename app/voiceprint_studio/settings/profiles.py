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

from collections.abc import Mapping
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

# The fixed profiles of each service, in menu order (custom ones are built on demand).
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


def where_of(profile: ConnectionProfile, user_id: str = "", user_name: str = "") -> dict[str, str]:
    """How jobs and "Recently deleted" record a workspace (read back by :func:`profile_of`),
    with the account its token belonged to when it is known (``user_id``, and the name it
    was shown by): one profile holds one token at a time, and a token of another account
    may be saved under it later."""
    where = {"profile": profile.key, "base_url": profile.base_url}
    if user_id:
        where.update(user_id=user_id, user_name=user_name or user_id)
    return where


def profile_of(where: Mapping[str, str]) -> ConnectionProfile | None:
    """The Coze workspace ``where`` records (:func:`where_of`, or the command line's
    ``{"workspace": "offline"}`` / ``{"workspace": "server", "base_url": ...}``); None when
    it does not say (a job or an entry written by an older version), never a guess."""
    key, base_url = where.get("profile", ""), where.get("base_url", "")
    for profile in BUILTIN["coze"]:
        if key == profile.key:
            return profile
    if key == CUSTOM_COZE_KEY or (where.get("workspace") == "server" and base_url):
        same = [p for p in BUILTIN["coze"] if p.base_url and p.base_url == base_url]
        if same:
            return same[0]
        try:
            return custom_profile("coze", base_url)
        except ValueError:
            return None
    if where.get("workspace") == "offline":
        return OFFLINE_COZE
    return None
