"""The packaging metadata agrees with the app: one application id, one version, one icon."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

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


def _load_packaging_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _required_built() -> dict[str, str]:
    """``setup.py``'s REQUIRED_BUILT (read, not run: importing setup.py would build)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "REQUIRED_BUILT" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return value
    raise AssertionError("setup.py has no REQUIRED_BUILT")


def test_no_wheel_can_lack_a_file_the_model_scripts_make() -> None:
    """Every file each speaker-model script writes is one setup.py refuses to build without,
    naming that script: CAM++ (the default engine) as well as GE2E."""
    required = _required_built()
    for name in ("build_campp_model", "build_speaker_model"):
        script = _load_packaging_script(name)
        for output in script.OUTPUT_FILES:
            assert required.get(f"local/models/{output}") == f"python packaging/{name}.py"
    model_files = {p for p in required if p.startswith("local/models/")}
    assert "local/models/campplus-cn-en-common-fp16.npz" in model_files
    assert len(model_files) == 6


def _run_sh_packages() -> set[str]:
    """The Debian packages ``scripts/run.sh`` installs for running the app from a checkout."""
    setup = (ROOT / "scripts" / "_setup.sh").read_text(encoding="utf-8")
    qt = re.search(r"^QT_APT_PACKAGES=\(([^)]*)\)", setup, re.M)
    assert qt is not None
    run = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8").replace("\\\n", " ")
    line = re.search(r"^ensure_apt_packages (.*)$", run, re.M)
    assert line is not None
    names = set(qt.group(1).split()) | set(line.group(1).split())
    return {n for n in names if not n.startswith(("$", '"$'))}


def test_readme_lists_what_the_wheel_needs_on_linux() -> None:
    """The wheel's line names every library package run.sh installs for Qt and PortAudio
    (fonts are the desktop's): what a clean Debian 12 lacks."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    wheel = re.search(r"`sudo apt install (libportaudio2 [^`]*)`", readme)
    assert wheel is not None, "README: the wheel's apt line"
    listed = set(wheel.group(1).split())
    needed = {n for n in _run_sh_packages() if not n.startswith("fonts-")}
    assert "libxcb-cursor0" in needed and "libgl1" in needed
    assert needed <= listed, f"missing from README: {sorted(needed - listed)}"
