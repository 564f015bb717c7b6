"""Qt-free embedded backend speaking the Coze and MiniMax contracts (offline workspace).

* :func:`create_app` opens a workspace directory and returns a :class:`BackendApp` (a WSGI
  callable) for ``httpx.WSGITransport``;
* :class:`LoopbackServer` serves it on 127.0.0.1 from a thread;
* ``python -m voiceprint_studio.local`` serves it from the command line.
"""

from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.engine import SpeakerEngine
from voiceprint_studio.local.server import LoopbackServer
from voiceprint_studio.local.store import LocalUser, Store

__all__ = ["BackendApp", "LocalUser", "LoopbackServer", "SpeakerEngine", "Store", "create_app"]
