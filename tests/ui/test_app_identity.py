"""The application's identity at start-up: the window icon from the packaged SVG."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from voiceprint_studio import main as entry


def test_window_icon_renders_from_the_packaged_svg(qapp: QApplication) -> None:
    icon = entry._window_icon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert (image.width(), image.height()) == (64, 64)
    assert image.pixelColor(32, 32).name() == "#ffffff"  # the middle bar of the waveform
    assert image.pixelColor(0, 0).alpha() == 0  # outside the rounded square
