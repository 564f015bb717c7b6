"""The translation pipeline works: sources current, Chinese complete, .qm built from them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "app" / "voiceprint_studio" / "i18n"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\d|%n")

sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(ts)  # noqa: S314 - our own committed files
    found = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def test_ts_sources_match_the_code(tmp_path: Path) -> None:
    for lang in translations.LANGUAGES:
        committed = TS_DIR / f"voiceprint_studio_{lang}.ts"
        fresh = tmp_path / committed.name
        shutil.copy(committed, fresh)
        extra = ["-pluralonly"] if lang == "en" else []
        subprocess.run(
            [
                translations._tool("lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                *extra,
                *translations.sources(),
                "-ts",
                str(fresh),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        assert set(_messages(fresh)) == set(_messages(committed)), (
            f"{committed.name} is stale: run python scripts/translations.py update"
        )


def test_chinese_translation_is_complete_and_keeps_placeholders() -> None:
    messages = _messages(TS_DIR / "voiceprint_studio_zh_CN.ts")
    assert len(messages) > 50
    missing, broken = [], []
    for (context, source), message in messages.items():
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
            missing.append(f"{context}: {source}")
            continue
        want = sorted(set(PLACEHOLDER.findall(source)))
        for form in forms:
            if sorted(set(PLACEHOLDER.findall(form))) != want:
                broken.append(f"{context}: {source!r} -> {form!r}")
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert broken == []


def test_english_plurals_are_filled() -> None:
    for (context, source), message in _messages(TS_DIR / "voiceprint_studio_en.ts").items():
        forms = [f.text or "" for f in message.iter("numerusform")]
        assert len(forms) == 2 and all(forms), f"{context}: {source}"


@pytest.mark.parametrize("lang", translations.LANGUAGES)
def test_qm_is_built_from_the_ts(tmp_path: Path, lang: str) -> None:
    built = QM_DIR / f"voiceprint_studio_{lang}.qm"
    assert built.is_file(), "run python scripts/translations.py build"
    fresh = tmp_path / built.name
    subprocess.run(
        [
            translations._tool("lrelease"),
            "-silent",
            str(TS_DIR / f"voiceprint_studio_{lang}.ts"),
            "-qm",
            str(fresh),
        ],
        check=True,
    )
    assert fresh.read_bytes() == built.read_bytes()


def test_counts_in_the_app_are_plural_forms_not_parenthesised() -> None:
    # the tester read "Cannot be used yet: 2 problem(s) to fix" in English: a count put in
    # with %1 is never made singular or plural; %n (numerus) is. The command line's
    # Qt-free words ({…}) and "http(s)" are the known exceptions.
    found = [
        source
        for (_context, source), message in _messages(TS_DIR / "voiceprint_studio_zh_CN.ts").items()
        if "(s)" in source
        and message.get("numerus") != "yes"
        and "{" not in source
        and "http(s)" not in source
    ]
    assert found == []


def test_translator_notes_are_only_the_ones_meant_for_translators() -> None:
    """lupdate takes a ``#:`` comment for a note to translators on the next message it
    meets, however far below: a code comment written that way (an attribute's doc) lands
    on an unrelated string. ``#:`` only right above a message."""
    stray = []
    for path in sorted((ROOT / "app" / "voiceprint_studio").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if not line.lstrip().startswith("#:"):
                continue
            below = next((t for t in lines[n + 1 :] if not t.lstrip().startswith("#")), "")
            if not re.search(r"\btr\(|translate\(|QT_TRANSLATE_NOOP", below):
                stray.append(f"{path.relative_to(ROOT)}:{n + 1}")
    assert stray == []
