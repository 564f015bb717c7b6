"""Translation pipeline: extract strings into the .ts sources, compile them to .qm.

    python scripts/translations.py update    # lupdate: app sources -> resources/translations/*.ts
    python scripts/translations.py build     # lrelease: *.ts -> app/voiceprint_studio/i18n/*.qm

The .ts files are the sources translators edit (Qt Linguist); the .qm files
are built, never edited, and not committed. ``build`` runs in the set-up
commands (scripts/run.sh, scripts/test.sh) and in packaging.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "app" / "voiceprint_studio"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = PACKAGE / "i18n"
LANGUAGES = ("zh_CN", "en")


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent))
    if found is None:
        found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6-Essentials in this venv")
    return found


def sources() -> list[str]:
    """Every Python file whose strings are shown to users (all of the package)."""
    return sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py"))


def update() -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = TS_DIR / f"voiceprint_studio_{lang}.ts"
        # English sources need only their plural forms translated.
        extra = ["-pluralonly"] if lang == "en" else []
        subprocess.run(
            [
                _tool("lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                *extra,
                *sources(),
                "-target-language",
                lang,
                "-ts",
                str(ts),
            ],
            cwd=ROOT,
            check=True,
        )


def build() -> None:
    QM_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = TS_DIR / f"voiceprint_studio_{lang}.ts"
        qm = QM_DIR / f"voiceprint_studio_{lang}.qm"
        subprocess.run(
            [_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True
        )


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
    elif argv[1:] == ["build"]:
        build()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
