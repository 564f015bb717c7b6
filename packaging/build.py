"""Build Voiceprint Studio's packages: wheel -> one-folder bundle -> .tar.xz and .deb.

    python packaging/build.py [--out DIR] [--fast]

Run from the project's venv with the ``packaging`` extra (``pip install -e .[packaging]``)
after the set-up has built the .qm catalogues and both speaker models. Steps:

1. ``python -m build``: the sdist, then the wheel *from the sdist* (so a file missing from
   the sdist fails here); ``setup.py``'s build_py refuses to build without the built files.
   A step that fails stops the build with its exit status (:func:`run`), no traceback.
2. The wheel is installed with ``pip --target`` into ``DIR/site``; PyInstaller takes the app
   from there (the spec checks it), the dependencies from this venv.
3. Icons rendered from the SVG (``make_icons.py``).
4. PyInstaller (``voiceprint-studio.spec``) -> ``DIR/bundle/voiceprint-studio/``.
5. Linux: the shared libraries every Debian/Ubuntu desktop has (:data:`HOST_LIBRARIES`,
   after AppImage's exclude list) are removed from the bundle and become ``Depends:``;
   then libraries nothing in the bundle links to any more are removed (an ELF walk).
6. ``voiceprint-studio-VERSION-linux-x86_64.tar.xz`` and ``voiceprint-studio_VERSION_amd64.deb``
   (installs to /opt/voiceprint-studio, a /usr/bin link, the desktop file, AppStream
   metainfo and hicolor icons; ``Depends:`` computed from the bundle's ELF files).

``--no-isolation`` builds the sdist and wheel with this venv's setuptools instead of two
fresh build environments; ``--fast`` compresses the .tar.xz with xz level 0 and leaves the
.deb uncompressed (the test command uses both); releases use xz level 6 for both.
Prints a JSON summary (sizes, file count, glibc floor, Depends) on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
NAME = "voiceprint-studio"
APP_ID = "org.voiceprintstudio.VoiceprintStudio"

#: Libraries taken from the host, not the bundle (AppImage's exclude list, abridged to
#: what PyInstaller collects here): the C library, the graphics stack that must match the
#: host's drivers, the display and font servers' client libraries, the sound server's.
HOST_LIBRARIES = re.compile(
    r"^(ld-linux.*|libc\.so.*|libm\.so.*|libmvec\.so.*|libdl\.so.*|libpthread\.so.*|librt\.so.*|"
    r"libresolv\.so.*|libutil\.so.*|libGL\.so.*|libGLX\.so.*|libGLdispatch\.so.*|"
    r"libEGL\.so.*|libOpenGL\.so.*|libgbm\.so.*|libdrm\.so.*|libX11\.so.*|libX11-xcb\.so.*|"
    r"libxcb\.so.*|libxcb-.*|libXau\.so.*|libXdmcp\.so.*|libXext\.so.*|libXrender\.so.*|"
    r"libxkbcommon.*|libfontconfig\.so.*|libfreetype\.so.*|libexpat\.so.*|libz\.so.*|"
    r"libasound\.so.*|libglib-2\.0\.so.*|libgobject-2\.0\.so.*|libgthread-2\.0\.so.*|"
    r"libgmodule-2\.0\.so.*|libgio-2\.0\.so.*|libdbus-1\.so.*|libwayland-.*|"
    r"libstdc\+\+\.so.*|libgcc_s\.so.*|libuuid\.so.*|libcom_err\.so.*|libgpg-error\.so.*|"
    r"libpcre2-8\.so.*|libffi\.so.*|libbsd\.so.*|libmd\.so.*|libsystemd\.so.*|"
    r"liblzma\.so.*|libzstd\.so.*|libbz2\.so.*|libcap\.so.*|libmount\.so.*|"
    r"libblkid\.so.*|libselinux\.so.*|libgcrypt\.so.*|liblz4\.so.*|libpng16\.so.*|"
    r"libbrotli.*|libharfbuzz\.so.*|libgraphite2\.so.*|"
    # JACK's client library must match the host's JACK server (it also drags in libdb)
    r"libjack\.so.*)$"
)
#: Debian 13 renamed these for the 64-bit time_t transition: Depends on either name.
T64_RENAMED = {"libasound2", "libglib2.0-0", "libssl3", "libpng16-16"}
#: Either JACK provides libjack.so.0.
ALTERNATIVES = {"libjack-jackd2-0": "libjack-jackd2-0 | libjack0"}
ELF_MAGIC = b"\x7fELF"
SHARED_LIBRARY = re.compile(r"^lib.+\.so(\.\d+)*$")


def run(cmd: list[str], **kwargs: object) -> None:
    """Run one step; when it fails, stop the build with its exit status (the step has said
    why -- setup.py's refusal, PyInstaller's error -- so no traceback of ours follows)."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    done = subprocess.run(cmd, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        step = " ".join(str(c) for c in cmd[:4])
        print(
            f"build.py: stopped: {step} ... exited with status {done.returncode}", file=sys.stderr
        )
        raise SystemExit(done.returncode)


def version() -> str:
    text = (ROOT / "app" / "voiceprint_studio" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    assert found, "no __version__"
    return found.group(1)


def build_wheel(out: Path, *, isolated: bool = True) -> Path:
    dist = out / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    flags = [] if isolated else ["--no-isolation"]
    run([sys.executable, "-m", "build", *flags, "--outdir", str(dist), str(ROOT)])
    (wheel,) = dist.glob("*.whl")
    return wheel


def install_wheel(wheel: Path, out: Path) -> Path:
    site = out / "site"
    shutil.rmtree(site, ignore_errors=True)
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-compile",
            "--target",
            str(site),
            str(wheel),
        ],
        stderr=subprocess.DEVNULL,
    )
    return site


def build_bundle(site: Path, icons: Path, out: Path) -> Path:
    env = dict(os.environ, VPS_WHEEL_SITE=str(site), VPS_ICON_DIR=str(icons), PYTHONPATH=str(site))
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "bundle"),
            "--workpath",
            str(out / "work"),
            str(HERE / "voiceprint-studio.spec"),
        ],
        env=env,
    )
    return out / "bundle" / NAME


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == ELF_MAGIC
    except OSError:
        return False


def elf_files(bundle: Path) -> list[Path]:
    return [
        p for p in sorted(bundle.rglob("*")) if p.is_file() and not p.is_symlink() and is_elf(p)
    ]


def needed(path: Path) -> list[str]:
    out = subprocess.run(
        ["readelf", "-d", "-W", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def prune_linux(bundle: Path) -> list[str]:
    """Remove host libraries and libraries nothing links to; return what was removed."""
    internal = bundle / "_internal"
    removed = []
    for lib in sorted(internal.iterdir()):
        if lib.is_file() and HOST_LIBRARIES.match(lib.name):
            lib.unlink()
            removed.append(lib.name)
    # Candidates: the shared libraries (lib*.so*, never Python's extension modules) at the
    # top of _internal and in Qt's lib folder; PyInstaller puts them there because
    # something linked to them, before the spec and the lines above took parts away.
    candidates = {
        p.name: p
        for folder in (internal, internal / "PySide6" / "Qt" / "lib")
        if folder.is_dir()
        for p in folder.iterdir()
        if SHARED_LIBRARY.match(p.name) and p.is_file() and not p.is_symlink()
    }
    links = {elf: needed(elf) for elf in elf_files(bundle)}
    # Roots: every other ELF file (the executable, extension modules, Qt plugins, what is
    # loaded by path), and the libraries loaded with dlopen by name: PortAudio
    # (sounddevice) and libpython (the bootloader).
    kept = set(candidates.values())
    queue = [lib for elf, libs in links.items() if elf not in kept for lib in libs]
    queue += [n for n in candidates if n.startswith(("libportaudio", "libpython"))]
    reached: set[str] = set()
    while queue:
        name = queue.pop()
        if name in reached or name not in candidates:
            continue
        reached.add(name)
        queue.extend(links.get(candidates[name], []))
    for name in sorted(set(candidates) - reached):
        candidates[name].unlink()
        removed.append(name)
    # PyInstaller's top-level links to libraries removed by the spec or here.
    for link in [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]:
        link.unlink()
    return removed


def strip_python(bundle: Path) -> list[str]:
    """Strip the Python build's own libraries (libpython, lib-dynload), nothing else.

    PyInstaller's ``strip=True`` strips every library, which breaks numpy's OpenBLAS
    (patchelf-ed); the wheels' libraries are left as their builders shipped them.
    """
    internal = bundle / "_internal"
    targets = [*internal.glob("libpython3*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    targets = [t for t in targets if not t.is_symlink()]
    if targets:
        run(["strip", "--strip-unneeded", *map(str, targets)])
    return [str(t.relative_to(bundle)) for t in targets]


def host_dependencies(bundle: Path) -> tuple[list[str], str]:
    """Debian packages for the libraries the bundle needs from the host; the glibc floor."""
    elves = elf_files(bundle)
    present = {p.name for p in bundle.rglob("*.so*")}
    missing: set[str] = set()
    glibc: set[tuple[int, ...]] = set()
    for elf in elves:
        for lib in needed(elf):
            if lib not in present:
                missing.add(lib)
        versions = subprocess.run(
            ["readelf", "-V", "-W", str(elf)], capture_output=True, text=True, check=True
        ).stdout
        glibc.update(
            tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", versions)
        )
    floor = ".".join(map(str, max(glibc)))
    cache = subprocess.run(
        ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True
    ).stdout
    paths: dict[str, str] = {}
    for m in re.finditer(r"^\s+(\S+) \(libc6,x86-64[^)]*\) => (\S+)$", cache, re.M):
        paths.setdefault(m.group(1), m.group(2))
    packages: set[str] = set()
    for lib in sorted(missing):
        path = paths.get(lib)
        if path is None:
            raise SystemExit(f"the bundle needs {lib}, which this machine does not have")
        owner = subprocess.run(
            ["dpkg-query", "-S", os.path.realpath(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if owner.returncode != 0:
            owner = subprocess.run(
                ["dpkg-query", "-S", path], capture_output=True, text=True, check=True
            )
        packages.add(owner.stdout.split(":", 1)[0].strip())
    depends = []
    for pkg in sorted(packages):
        if pkg == "libc6":
            depends.append(f"libc6 (>= {floor})")
        elif pkg in T64_RENAMED:
            depends.append(f"{pkg}t64 | {pkg}")
        elif pkg in ALTERNATIVES:
            depends.append(ALTERNATIVES[pkg])
        else:
            depends.append(pkg)
    return depends, floor


def add_notices(bundle: Path) -> None:
    licenses = bundle / "licenses"
    licenses.mkdir(exist_ok=True)
    for name in ("LGPL-3", "GPL-3", "LGPL-2.1", "Apache-2.0"):
        source = Path("/usr/share/common-licenses") / name
        if source.is_file():
            shutil.copyfile(source, licenses / name)
    # The bundle's top level: what an operator sees first.
    for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
        shutil.copyfile(ROOT / name, bundle / name)


def make_tarball(bundle: Path, out: Path, ver: str, level: int) -> Path:
    target = out / f"{NAME}-{ver}-linux-x86_64.tar.xz"
    with target.open("wb") as raw:
        xz = subprocess.Popen(["xz", "-T0", f"-{level}", "-c"], stdin=subprocess.PIPE, stdout=raw)
        assert xz.stdin is not None
        with tarfile.open(fileobj=xz.stdin, mode="w|") as tar:
            tar.add(bundle, arcname=f"{NAME}-{ver}")
        xz.stdin.close()
        if xz.wait() != 0:
            raise SystemExit("xz failed")
    return target


def make_deb(
    bundle: Path, icons: Path, out: Path, *, ver: str, depends: list[str], level: int
) -> Path:
    root = out / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / NAME, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(HERE / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True)
    shutil.copyfile(HERE / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    doc = share / "doc" / NAME
    doc.mkdir(parents=True)
    shutil.copyfile(HERE / "debian-copyright", doc / "copyright")
    size_kb = (
        sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    )
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {NAME}\n"
        f"Version: {ver}\n"
        "Architecture: amd64\n"
        "Maintainer: Voiceprint Studio authors <voiceprint-studio@localhost>\n"
        f"Installed-Size: {size_kb}\n"
        f"Depends: {', '.join(depends)}\n"
        "Recommends: fonts-noto-cjk | fonts-wqy-microhei, gnome-keyring | kwalletmanager\n"
        "Section: sound\n"
        "Priority: optional\n"
        "Description: Manage Coze voiceprints and MiniMax voices\n"
        " A desktop program for operators who manage voiceprint groups, voiceprints\n"
        " and speaker identification on Coze, and voices on MiniMax; it records\n"
        " and checks enrollment audio and has an offline workspace.\n",
        encoding="utf-8",
    )
    for path in root.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    target = out / f"{NAME}_{ver}_amd64.deb"
    run(
        # level 0 (the test command's --fast): an uncompressed .deb; compressing 200 MB
        # costs a minute on a busy two-core machine and tests nothing of ours.
        [
            "dpkg-deb",
            "--root-owner-group",
            *(["-Zxz", f"-z{level}"] if level else ["-Znone"]),
            "--build",
            str(root),
            str(target),
        ],
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(root)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "packages")
    parser.add_argument(
        "--fast", action="store_true", help="xz level 0, uncompressed .deb (tests); default xz 6"
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="build the sdist and wheel with this venv's setuptools (faster; tests)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    level = 0 if args.fast else 6
    ver = version()
    timings: dict[str, float] = {}
    t = time.monotonic()
    wheel = build_wheel(out, isolated=not args.no_isolation)
    site = install_wheel(wheel, out)
    timings["wheel"] = time.monotonic() - t
    t = time.monotonic()
    icons = out / "icons"
    shutil.rmtree(icons, ignore_errors=True)
    run([sys.executable, str(HERE / "make_icons.py"), str(icons)])
    shutil.rmtree(out / "bundle", ignore_errors=True)
    bundle = build_bundle(site, icons, out)
    timings["bundle"] = time.monotonic() - t
    summary: dict[str, object] = {"wheel": str(wheel), "bundle": str(bundle)}
    if sys.platform.startswith("linux"):
        t = time.monotonic()
        removed = prune_linux(bundle)
        strip_python(bundle)
        depends, floor = host_dependencies(bundle)
        add_notices(bundle)
        timings["prune"] = time.monotonic() - t
        t = time.monotonic()
        tarball = make_tarball(bundle, out, ver, level)
        timings["tar.xz"] = time.monotonic() - t
        t = time.monotonic()
        deb = make_deb(bundle, icons, out, ver=ver, depends=depends, level=level)
        timings["deb"] = time.monotonic() - t
        files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
        summary.update(
            tarball=str(tarball),
            deb=str(deb),
            bundle_bytes=sum(p.stat().st_size for p in files),
            bundle_files=len(files),
            tarball_bytes=tarball.stat().st_size,
            deb_bytes=deb.stat().st_size,
            glibc_floor=floor,
            depends=depends,
            removed_libraries=removed,
        )
    summary["seconds"] = {k: round(v, 1) for k, v in timings.items()}
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
