"""Qt-free embedded backend speaking the Coze and MiniMax contracts (offline workspace).

* :func:`create_app` opens a workspace directory and returns a :class:`BackendApp` (a WSGI
  callable) for ``httpx.WSGITransport``;
* :class:`LoopbackServer` serves it on 127.0.0.1 from a thread;
* ``python -m voiceprint_studio.local`` serves it from the command line;
* :class:`BuiltinEngine` is the packaged speaker engine that makes identify work offline.

The names load on first use (werkzeug, sqlite and numpy stay off the app's start-up path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voiceprint_studio._lazy import lazy_exports

if TYPE_CHECKING:
    from voiceprint_studio.local.app import BackendApp, create_app
    from voiceprint_studio.local.engine import BuiltinEngine, SpeakerEngine
    from voiceprint_studio.local.server import LoopbackServer
    from voiceprint_studio.local.store import LocalUser, Store

_WHERE = {
    "BackendApp": "app",
    "create_app": "app",
    "BuiltinEngine": "engine",
    "SpeakerEngine": "engine",
    "LoopbackServer": "server",
    "LocalUser": "store",
    "Store": "store",
}

__all__ = [
    "BackendApp",
    "BuiltinEngine",
    "LocalUser",
    "LoopbackServer",
    "SpeakerEngine",
    "Store",
    "create_app",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
