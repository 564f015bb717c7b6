"""The build step that refuses to make a broken wheel (everything else is in pyproject.toml).

The compiled catalogues (``.qm``) and the two speaker models are built files, never
committed: ``python scripts/translations.py build``, ``python packaging/build_campp_model.py``
(CAM++, the default engine) and ``python packaging/build_speaker_model.py`` (GE2E, its
fallback) make them (the set-up commands run all three). A wheel built without them would
install an app whose Chinese UI falls back to English, whose offline identify silently uses
the fallback engine (no CAM++) or answers 4900 (no model at all), so ``build_py`` stops
with the commands to run instead. An editable install (the set-up commands) is exempt: it
builds them afterwards.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Built files the package must carry (relative to app/voiceprint_studio): every file each
# script writes (its OUTPUT_FILES; tests/unit/test_packaging_metadata.py checks the list).
REQUIRED_BUILT = {
    "i18n/voiceprint_studio_zh_CN.qm": "python scripts/translations.py build",
    "i18n/voiceprint_studio_en.qm": "python scripts/translations.py build",
    "local/models/campplus-cn-en-common-fp16.npz": "python packaging/build_campp_model.py",
    "local/models/LICENSE-campplus.txt": "python packaging/build_campp_model.py",
    "local/models/MANIFEST-campplus.json": "python packaging/build_campp_model.py",
    "local/models/ge2e-resemblyzer-0.1.4-fp16.npz": "python packaging/build_speaker_model.py",
    "local/models/MANIFEST.json": "python packaging/build_speaker_model.py",
    "local/models/LICENSE-resemblyzer.txt": "python packaging/build_speaker_model.py",
}


class CheckedBuildPy(build_py):
    """``build_py`` that fails loudly when a built data file is missing."""

    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            package_dir = Path(self.get_package_dir("voiceprint_studio"))
            missing = {f: cmd for f, cmd in REQUIRED_BUILT.items() if not (package_dir / f).is_file()}
            if missing:
                lines = [f"  {package_dir / f}" for f in missing]
                commands = sorted(set(missing.values()))
                raise SystemExit(
                    "error: refusing to build a package without its built data files:\n"
                    + "\n".join(lines)
                    + "\nbuild them first (from the source tree, in a venv with the project):\n"
                    + "\n".join(f"  {c}" for c in commands)
                )
        super().run()


setup(cmdclass={"build_py": CheckedBuildPy})
