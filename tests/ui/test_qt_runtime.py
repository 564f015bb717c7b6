"""Guards against known defects of the Qt binding the app runs on."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    text = Signal(str)


def test_emitting_a_signal_does_not_leak_a_reference_to_true() -> None:
    """PySide6 6.12.0 dropped a reference to ``True`` on every ``Signal.emit()`` from Python;
    on Python 3.11 the interpreter then aborts (``bool_dealloc``) in a long session.
    pyproject.toml excludes that release; this catches a release with the same defect."""
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.plain.emit()
        emitter.text.emit("x")
    assert sys.getrefcount(True) - before > -100
