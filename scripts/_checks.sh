#!/usr/bin/env bash
# Static checks and the two pytest passes; run by scripts/test.sh inside the
# D-Bus session it sets up (do not call directly).
set -euo pipefail
echo -n ci-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null

echo "== ruff"
ruff check app tests bench scripts packaging
ruff format --check app tests bench scripts packaging
echo "== mypy"
mypy
echo "== import-linter"
lint-imports

# Exit code 5 means the selection was empty (e.g. only packaging tests were named),
# which is not a failure here.
echo "== pytest (offscreen)"
status=0
# Two workers (pytest-xdist), as many as the CI machine has cores; each has its own
# virtual microphone (see scripts/test.sh).
QT_QPA_PLATFORM=offscreen python -m pytest -n "${VPS_TEST_WORKERS:-2}" \
  -m "not xcb and not packaging" "$@" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi

echo "== pytest (xcb, real X11 window)"
status=0
DISPLAY=$VPS_XVFB_DISPLAY QT_QPA_PLATFORM=xcb python -m pytest -m xcb "$@" || status=$?
# Exit code 5 means the selection was empty, which is not a failure here.
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi

echo "== pytest (packaging: wheel, bundle, .tar.xz, .deb; built once into a temp folder)"
started=$SECONDS
status=0
QT_QPA_PLATFORM=offscreen python -m pytest -m packaging "$@" || status=$?
echo "packaging pass: $((SECONDS - started)) s"
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
