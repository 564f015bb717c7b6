"""Render the app icon's SVG into the sizes packages need (built files, never committed).

    python packaging/make_icons.py OUT_DIR

writes ``OUT_DIR/hicolor/<N>x<N>/apps/<APP_ID>.png`` (16 to 512 px) and
``hicolor/scalable/apps/<APP_ID>.svg`` for Linux desktops, ``voiceprint-studio.ico``
(Windows, 16-256 px) and ``voiceprint-studio.icns`` (macOS). Qt renders the PNGs (the
same SVG renderer as the window icon); Pillow writes the .ico and .icns.
The source is ``app/voiceprint_studio/icons/voiceprint-studio.svg``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "app" / "voiceprint_studio" / "icons" / "voiceprint-studio.svg"
APP_ID = "org.voiceprintstudio.VoiceprintStudio"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_pngs(out: Path) -> dict[int, Path]:
    """Each size rendered by Qt's SVG renderer into the hicolor layout."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    written = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written[size] = target
    del app
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    out = Path(argv[1])
    pngs = render_pngs(out)
    from PIL import Image

    biggest = Image.open(pngs[512])
    biggest.save(out / "voiceprint-studio.ico", sizes=[(s, s) for s in ICO_SIZES])
    biggest.save(out / "voiceprint-studio.icns")
    print(f"icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
