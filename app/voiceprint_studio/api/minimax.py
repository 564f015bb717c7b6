"""Client for MiniMax voice management: list voices and delete the user's own.

Shares all machinery with the Coze client (:mod:`._http`). ``get_voice`` is a
read (retried freely); ``delete_voice`` is idempotent (retried). System
voices cannot be deleted and are refused locally.
"""

from __future__ import annotations

import httpx

from ._http import MINIMAX_ENVELOPE, Endpoint, RetryPolicy, ServiceClient, Timeouts
from .errors import QT_TRANSLATE_NOOP, LocalValidationError
from .models import MiniMaxVoice, parse_minimax_voices
from .observer import CallObserver
from .profiles import MINIMAX_CN

__all__ = ["DELETABLE_VOICE_TYPES", "LISTABLE_VOICE_TYPES", "MiniMaxClient"]

GET_VOICE = Endpoint("POST", "/v1/get_voice", idempotent=True)
DELETE_VOICE = Endpoint("POST", "/v1/delete_voice", idempotent=True, gone_on_retry_is_done=True)

LISTABLE_VOICE_TYPES = ("all", "system", "voice_cloning", "voice_generation")
DELETABLE_VOICE_TYPES = ("voice_cloning", "voice_generation")
_MAX_VOICE_ID_LEN = 256


def _ignore(_body: object) -> None:
    return None


class MiniMaxClient(ServiceClient):
    """MiniMax voice API client; one ``httpx.Client`` for its lifetime."""

    envelope = MINIMAX_ENVELOPE

    def __init__(
        self,
        api_key: str,
        base_url: str = MINIMAX_CN.base_url,
        *,
        transport: httpx.BaseTransport | None = None,
        timeouts: Timeouts | None = None,
        max_attempts: int | None = None,
        retry: RetryPolicy | None = None,
        observer: CallObserver | None = None,
    ) -> None:
        super().__init__(
            api_key,
            base_url,
            transport=transport,
            timeouts=timeouts,
            max_attempts=max_attempts,
            retry=retry,
            observer=observer,
        )

    def list_voices(self, voice_type: str = "all") -> list[MiniMaxVoice]:
        """Voices of one type (or all); each knows its ``voice_type`` and ``deletable``."""
        if voice_type not in LISTABLE_VOICE_TYPES:
            raise LocalValidationError(
                "voice_type", f"voice_type must be one of {', '.join(LISTABLE_VOICE_TYPES)}."
            )
        voices = self._http.call(
            GET_VOICE, parse_minimax_voices, json_body={"voice_type": voice_type}
        )
        if voice_type == "all":
            return voices
        return [v for v in voices if v.voice_type == voice_type]

    def delete_voice(self, voice_type: str, voice_id: str) -> None:
        """Delete a cloned or generated voice; its voice_id can never be used again."""
        if voice_type == "system":
            raise LocalValidationError(
                "voice_type", QT_TRANSLATE_NOOP("ApiErrors", "System voices cannot be deleted.")
            )
        if voice_type not in DELETABLE_VOICE_TYPES:
            raise LocalValidationError(
                "voice_type",
                QT_TRANSLATE_NOOP(
                    "ApiErrors", "Only cloned (voice_cloning) or generated voices can be deleted."
                ),
            )
        if not isinstance(voice_id, str) or not voice_id.strip():
            raise LocalValidationError(
                "voice_id", QT_TRANSLATE_NOOP("ApiErrors", "Choose a voice to delete.")
            )
        vid = voice_id.strip()
        if len(vid) > _MAX_VOICE_ID_LEN or any(c.isspace() for c in vid):
            raise LocalValidationError(
                "voice_id", QT_TRANSLATE_NOOP("ApiErrors", "The voice id is not valid.")
            )
        self._http.call(
            DELETE_VOICE, _ignore, json_body={"voice_type": voice_type, "voice_id": vid}
        )
