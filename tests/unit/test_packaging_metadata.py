"""The packaging metadata agrees with the app: one application id, one version, one icon."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

from voiceprint_studio import __version__
from voiceprint_studio.main import APP_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def test_desktop_file_is_named_and_iconed_by_the_app_id() -> None:
    desktop = PACKAGING / f"{APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(desktop, encoding="utf-8")
    assert entry["Desktop Entry"]["Icon"] == APP_ID
    assert entry["Desktop Entry"]["Exec"].split()[0] == "voiceprint-studio"


def test_metainfo_names_the_app_id_and_the_current_version() -> None:
    root = ET.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()  # noqa: S314 - our file
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    releases = [r.get("version") for r in root.iter("release")]
    assert releases[0] == __version__, "add a <release> for the new version to the metainfo"


def test_the_window_icon_ships_in_the_package() -> None:
    svg = ROOT / "app" / "voiceprint_studio" / "icons" / "voiceprint-studio.svg"
    assert ET.parse(svg).getroot().tag.endswith("svg")  # noqa: S314 - our file
