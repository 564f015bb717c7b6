"""What a client tells an observer about its calls: each attempt sent, each failure.

The settings layer counts calls against the account's plan (Coze's free plan allows
500 API calls in all) and knows how old the saved token is; the clients know
neither. A :class:`CallObserver` given to :class:`~.coze.CozeClient` or
:class:`~.minimax.MiniMaxClient` is told:

* :meth:`~CallObserver.on_attempt` once per request, as it is sent (before its answer:
  an app killed while it waits has counted it) -- retries included, since the service
  counts each one; :meth:`~CallObserver.on_unsent` when one turns out never to have
  left (its connection could not be opened): it is taken back;
* :meth:`~CallObserver.on_failure` with every failed attempt's error, which it may
  :meth:`~.errors.ApiError.rekey` to say more than the server did.

Both run on the calling (worker) thread and must not raise.
"""

from __future__ import annotations

from typing import Protocol

from .errors import ApiError

__all__ = ["CallObserver"]


class CallObserver(Protocol):
    """Told about each call attempt (see the module docstring)."""

    def on_attempt(self, service: str, endpoint: str) -> None:
        """A request for ``endpoint`` (``"METHOD /path/template"``) was sent."""

    def on_unsent(self, service: str, endpoint: str) -> None:
        """The attempt counted last for ``endpoint`` never left this computer."""

    def on_failure(self, error: ApiError) -> None:
        """An attempt failed with ``error`` (may be re-worded with ``error.rekey``)."""
