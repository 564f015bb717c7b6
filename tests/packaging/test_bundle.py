"""The packages as an operator gets them: wheel, sdist, bundle, .tar.xz and .deb.

Run in the test command's own ``packaging`` pass (``-m packaging``): the first test that
needs them builds every package once per run with ``packaging/build.py --fast`` into a
temporary folder (or takes them from ``VPS_PACKAGES_DIR`` when set, for a quick re-run),
then each test checks one promise: the built files are inside, the bundle's self-test
passes, the bundled app starts in Chinese on a real X11 display and exits cleanly, the
desktop file and metainfo validate, and the .deb unpacked into a throwaway root works.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAME = "voiceprint-studio"
APP_ID = "org.voiceprintstudio.VoiceprintStudio"
BUILD_TIMEOUT = 900

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(BUILD_TIMEOUT)]


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Every package, built once per run; the build's JSON summary."""
    ready = os.environ.get("VPS_PACKAGES_DIR")
    if ready and (Path(ready) / "summary.json").is_file():
        yield json.loads((Path(ready) / "summary.json").read_text(encoding="utf-8"))
        return
    out = tmp_path_factory.mktemp("packages")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--out",
            str(out),
            "--fast",
            "--no-isolation",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    print(f"\npackages built: {json.dumps(summary)}")
    yield summary
    shutil.rmtree(out, ignore_errors=True)


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No venv, no PYTHONPATH: only what a user's session has."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in {"PATH", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "LANG"}
    }
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"))
    env.update(XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"))
    env.update(XDG_CACHE_HOME=str(home / "cache"))
    env.update(extra)
    return env


def _self_test(executable: Path, home: Path) -> str:
    done = subprocess.run(
        [str(executable), "--self-test"],
        env=_clean_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_wheel_carries_the_built_files_and_the_notices(packages: dict[str, object]) -> None:
    names = set(zipfile.ZipFile(str(packages["wheel"])).namelist())
    for built in (
        "voiceprint_studio/i18n/voiceprint_studio_zh_CN.qm",
        "voiceprint_studio/i18n/voiceprint_studio_en.qm",
        "voiceprint_studio/local/models/ge2e-resemblyzer-0.1.4-fp16.npz",
        "voiceprint_studio/local/models/LICENSE-resemblyzer.txt",
        "voiceprint_studio/local/models/campplus-cn-en-common-fp16.npz",
        "voiceprint_studio/local/models/MANIFEST-campplus.json",
        "voiceprint_studio/local/models/LICENSE-campplus.txt",
        "voiceprint_studio/icons/voiceprint-studio.svg",
    ):
        assert built in names
    licences = {n.rsplit("/", 1)[-1] for n in names if ".dist-info/licenses/" in n}
    assert {"LICENSE", "THIRD-PARTY-NOTICES.md"} <= licences


def test_sdist_carries_what_rebuilds_the_built_files(packages: dict[str, object]) -> None:
    (sdist,) = Path(str(packages["wheel"])).parent.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for source in (
        "resources/translations/voiceprint_studio_zh_CN.ts",
        "scripts/translations.py",
        "packaging/build_speaker_model.py",
        "packaging/build_campp_model.py",
        "packaging/_model_build.py",
        "packaging/build.py",
        "packaging/voiceprint-studio.spec",
        "setup.py",
        "LICENSE",
        "THIRD-PARTY-NOTICES.md",
    ):
        assert source in names


def _checkout_copy(tree: Path, *built: str) -> None:
    """The committed and untracked source files, without the built files but ``built``."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in [*filter(None, listed.split("\0")), *built]:
        source = ROOT / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, tree / name)


def _build_wheel_in(tree: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", "dist", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert not list((tree / "dist").glob("*.whl"))
    output = done.stdout + done.stderr
    assert "refusing to build a package without its built data files" in output
    return output


def test_a_wheel_without_the_built_files_is_refused(tmp_path: Path) -> None:
    """A clean checkout (no .qm, no model) must not give a wheel."""
    tree = tmp_path / "checkout"
    _checkout_copy(tree)
    assert not (tree / "app/voiceprint_studio/i18n/voiceprint_studio_zh_CN.qm").exists()
    output = _build_wheel_in(tree)
    assert "voiceprint_studio_zh_CN.qm" in output
    assert "python packaging/build_speaker_model.py" in output
    assert "python packaging/build_campp_model.py" in output


def test_a_wheel_without_the_default_speaker_model_is_refused(tmp_path: Path) -> None:
    """The catalogues and GE2E built, CAM++ not: refused, naming CAM++'s files and script."""
    models = "app/voiceprint_studio/local/models"
    built = [
        "app/voiceprint_studio/i18n/voiceprint_studio_zh_CN.qm",
        "app/voiceprint_studio/i18n/voiceprint_studio_en.qm",
        f"{models}/ge2e-resemblyzer-0.1.4-fp16.npz",
        f"{models}/MANIFEST.json",
        f"{models}/LICENSE-resemblyzer.txt",
    ]
    tree = tmp_path / "checkout"
    _checkout_copy(tree, *built)
    assert not (tree / models / "campplus-cn-en-common-fp16.npz").exists()
    output = _build_wheel_in(tree)
    for name in ("campplus-cn-en-common-fp16.npz", "MANIFEST-campplus.json"):
        assert name in output
    assert "LICENSE-campplus.txt" in output
    assert "python packaging/build_campp_model.py" in output
    assert "build_speaker_model.py" not in output and ".qm" not in output


def test_bundle_self_test_passes_with_the_bundles_own_parts(
    packages: dict[str, object], tmp_path: Path
) -> None:
    bundle = Path(str(packages["bundle"]))
    out = _self_test(bundle / NAME, tmp_path)
    assert "self-test passed (12 checks)" in out
    # the window's platform plugin loads from the bundle with the host's X libraries
    xcb = next(line for line in out.splitlines() if "xcb platform plugin" in line)
    assert f"libqxcb.so loaded from {bundle / '_internal'}" in xcb, xcb
    assert re.search(r"ok  +job process +started and ready \(pid \d+\)", out), out
    portaudio = next(line for line in out.splitlines() if "PortAudio" in line)
    assert str(bundle / "_internal" / "libportaudio.so.2") in portaudio


def test_bundle_leaves_out_what_it_does_not_need(packages: dict[str, object]) -> None:
    bundle = Path(str(packages["bundle"]))
    qt = bundle / "_internal" / "PySide6" / "Qt"
    assert sorted(p.name for p in (qt / "translations").iterdir()) == ["qtbase_zh_CN.qm"]
    assert sorted(p.name for p in (qt / "plugins" / "platforms").iterdir()) == [
        "libqminimal.so",
        "libqoffscreen.so",
        "libqwayland.so",
        "libqxcb.so",
    ]
    everything = {p.name for p in bundle.rglob("*")}
    for left_out in ("libqgtk3.so", "libQt6Network.so.6", "libgtk-3.so.0", "libX11.so.6"):
        assert left_out not in everything
    for notice in ("LICENSE", "THIRD-PARTY-NOTICES.md", "licenses/LGPL-3"):
        assert (bundle / notice).is_file()


def test_tarball_unpacks_to_one_versioned_folder_with_the_program(
    packages: dict[str, object],
) -> None:
    from voiceprint_studio import __version__

    top = f"{NAME}-{__version__}"
    with tarfile.open(str(packages["tarball"]), "r:xz") as tar:
        members = {m.name: m for m in tar}
    assert {name.split("/", 1)[0] for name in members} == {top}
    program = members[f"{top}/{NAME}"]
    assert program.isfile() and program.mode & 0o111
    for notice in ("LICENSE", "THIRD-PARTY-NOTICES.md", "licenses/LGPL-3"):
        assert f"{top}/{notice}" in members


@pytest.mark.skipif(not os.environ.get("VPS_XVFB_DISPLAY"), reason="needs the test command's Xvfb")
def test_bundled_app_starts_in_chinese_on_x11_and_exits_cleanly(
    packages: dict[str, object], tmp_path: Path
) -> None:
    bundle = Path(str(packages["bundle"]))
    env = _clean_env(
        tmp_path,
        DISPLAY=os.environ["VPS_XVFB_DISPLAY"],
        QT_QPA_PLATFORM="xcb",
        LANG="zh_CN.UTF-8",
        LANGUAGE="zh_CN",
        VOICEPRINT_STUDIO_QUIT_AFTER_MS="3000",
    )
    done = subprocess.run(
        [str(bundle / NAME)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (log,) = tmp_path.rglob("voiceprint-studio.log")
    text = log.read_text(encoding="utf-8")
    assert "starting" in text and "Voiceprint Studio stopped" in text
    assert "user interface language: zh_CN (catalogue loaded)" in text
    problems = [
        line for line in text.splitlines() if re.search(r" (WARNING|ERROR|CRITICAL) ", line)
    ]
    assert problems == []  # no "no compiled translations", no Qt plugin warnings


def test_readme_states_the_glibc_floor_the_build_measures(packages: dict[str, object]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Needs glibc {packages['glibc_floor']} or newer" in readme


def test_desktop_file_and_metainfo_validate(packages: dict[str, object], tmp_path: Path) -> None:
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(packages["deb"]), str(root)], check=True)
    desktop = root / "usr/share/applications" / f"{APP_ID}.desktop"
    metainfo = root / "usr/share/metainfo" / f"{APP_ID}.metainfo.xml"
    subprocess.run(["desktop-file-validate", str(desktop)], check=True)
    subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)], check=True)
    for size in (16, 48, 256, 512):
        assert (root / f"usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (root / f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()


def test_deb_unpacked_into_a_throwaway_root_runs_its_self_test(
    packages: dict[str, object], tmp_path: Path
) -> None:
    deb = str(packages["deb"])
    root = tmp_path / "root"
    subprocess.run(["dpkg", "-x", deb, str(root)], check=True)
    assert os.readlink(root / "usr/bin" / NAME) == f"/opt/{NAME}/{NAME}"
    assert (root / "usr/share/doc" / NAME / "copyright").is_file()
    _self_test(root / "opt" / NAME / NAME, tmp_path / "home")
    depends = subprocess.run(
        ["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"libc6 \(>= 2\.\d+\)", depends)
    # Every dependency names a real package: this machine has each one installed.
    for alternatives in depends.split(","):
        names = [re.sub(r"\s*\(.*\)", "", a).strip() for a in alternatives.split("|")]
        installed = [
            n
            for n in names
            if subprocess.run(
                ["dpkg-query", "-W", "-f=${Status}", n],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.endswith("installed")
        ]
        assert installed, f"no package of {alternatives.strip()!r} is installed here"


def test_build_script_stops_at_a_refusal_without_a_traceback(tmp_path: Path) -> None:
    """build.py on a clean checkout: setup.py's refusal, then the step's status, nothing else."""
    tree = tmp_path / "checkout"
    _checkout_copy(tree)
    done = subprocess.run(
        [sys.executable, "packaging/build.py", "--no-isolation", "--out", str(tmp_path / "out")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "refusing to build a package without its built data files" in done.stderr
    assert "Traceback" not in done.stderr and "CalledProcessError" not in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith("build.py: stopped: ")
