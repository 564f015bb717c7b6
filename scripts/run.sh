#!/usr/bin/env bash
# Run Voiceprint Studio from a checkout: installs what a fresh Debian/Ubuntu
# lacks (Qt's system libraries, a venv with the app), then starts the app.
# With no token configured it opens on the offline workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/_setup.sh
source scripts/_setup.sh
ensure_apt_packages "${QT_APT_PACKAGES[@]}" libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0 fonts-wqy-microhei \
  libportaudio2
ensure_venv "."
exec "$VENV/bin/voiceprint-studio" "$@"
