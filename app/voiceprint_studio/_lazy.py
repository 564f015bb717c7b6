"""Names of a package that load their module on first use (PEP 562).

``api``, ``audio`` and ``local`` export their public names this way, so importing the
package stays cheap (no httpx, numpy, werkzeug or sqlite until a name is used)::

    __getattr__, __dir__ = lazy_exports(__name__, {"Name": "module", ...}, globals())

The first access imports ``<package>.<module>`` and caches the value in the package.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, sources: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package``.

    ``sources`` maps each lazily exported name to the submodule defining it;
    ``namespace`` is the package's ``globals()`` (the loaded value is cached there).
    """

    def getattr_(name: str) -> Any:
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(namespace.get("__all__", ()))

    return getattr_, dir_
