"""PyInstaller runtime hook: sounddevice loads the bundle's PortAudio, never the host's.

sounddevice looks for PortAudio with ``ctypes.util.find_library("portaudio")``, which asks
the host system (``ldconfig``): on a machine without ``libportaudio2`` recording failed
although the library sat in the bundle, and on a machine with it the host's copy would be
used instead of the one tested with the bundle. This hook answers with the bundled path;
on Windows and macOS it answers None, so sounddevice takes the DLL/dylib that its
``_sounddevice_data`` package brings (collected into the bundle by its hook).
"""

import ctypes.util
import os
import sys

_BUNDLED = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
_host_find_library = ctypes.util.find_library


def _find_library(name):
    if name == "portaudio":
        return _BUNDLED if os.path.isfile(_BUNDLED) else None
    if name in ("bin\\libportaudio-2.dll", "lib/libportaudio.dylib"):
        return None  # conda's names: never a host copy
    return _host_find_library(name)


ctypes.util.find_library = _find_library
