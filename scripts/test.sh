#!/usr/bin/env bash
# The whole test suite, on a fresh Debian/Ubuntu machine or a developer's one.
#
# Installs what the machine lacks (Debian packages, a venv with the project and
# its test/dev extras), starts the real parts the tests use -- Xvfb, a
# PulseAudio virtual microphone, gnome-keyring in a D-Bus session -- and runs
# ruff (lint + format), mypy (strict), import-linter and pytest, first on the
# offscreen Qt platform, then the screenshot and screen-fit tests on a real X11
# window (Xvfb at a laptop's 1280x720 with a real window manager, openbox), then the
# packaging pass (builds the wheel, the bundle, the .tar.xz and the .deb and runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# shellcheck source=scripts/_setup.sh
source scripts/_setup.sh
ensure_apt_packages \
  "${QT_APT_PACKAGES[@]}" \
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
  libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0 fonts-wqy-microhei \
  libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox \
  gnome-keyring dbus dbus-x11 openbox wmctrl xdotool \
  binutils xz-utils desktop-file-utils appstream \
  $(python3 -c 'import sys, sysconfig; print("" if sysconfig.get_config_var("Py_ENABLE_SHARED") else "libpython%d.%d" % sys.version_info[:2])')
ensure_venv ".[test,dev,packaging]"

RUN_DIR=$(mktemp -d)
chmod 700 "$RUN_DIR"
export XDG_RUNTIME_DIR="$RUN_DIR/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
ARTIFACTS=${VPS_ARTIFACTS:-$ROOT/artifacts}
mkdir -p "$ARTIFACTS"
export VPS_ARTIFACTS=$ARTIFACTS

pids=()
cleanup() {
  local status=$?
  pulseaudio --kill >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" >/dev/null 2>&1 || true; done
  # The killed daemons may still be writing their last files: retry, and never let
  # the clean-up change the exit status of the tests.
  for _ in 1 2 3 4 5; do
    rm -rf "$RUN_DIR" 2>/dev/null && break
    sleep 0.2
  done
  exit "$status"
}
trap cleanup EXIT

# A real X11 display the size of a small laptop screen, with a window manager (title
# bars, placement): dialogs must fit it.
display=99
while [ -e "/tmp/.X${display}-lock" ] || [ -e "/tmp/.X11-unix/X${display}" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -screen 0 1280x720x24 -nolisten tcp >"$RUN_DIR/xvfb.log" 2>&1 &
pids+=("$!")
export VPS_XVFB_DISPLAY=":$display"

# A virtual microphone: what is played into "vspeaker" is recorded from "vmic". The
# offscreen pass runs in two pytest-xdist workers; the second gets its own pair
# ("vspeaker1"/"vmic1", chosen through PULSE_SINK/PULSE_SOURCE by tests/conftest.py), so
# one worker's playback is never recorded by the other's test.
pulseaudio -D -n --exit-idle-time=-1 --log-target=file:"$RUN_DIR/pulse.log" \
  -L module-native-protocol-unix \
  -L "module-null-sink sink_name=vspeaker rate=48000" \
  -L "module-remap-source master=vspeaker.monitor source_name=vmic" \
  -L "module-null-sink sink_name=vspeaker1 rate=48000" \
  -L "module-remap-source master=vspeaker1.monitor source_name=vmic1" \
  -L module-always-sink
pactl set-default-sink vspeaker
pactl set-default-source vmic

for _ in $(seq 50); do
  [ -e "/tmp/.X11-unix/X${display}" ] && break
  sleep 0.1
done
# openbox with Debian's configuration and a 40 px margin at the bottom, where a laptop's
# task bar is: the available area is 1280x680, what the dialogs must fit.
sed 's#<bottom>0</bottom>#<bottom>40</bottom>#' /etc/xdg/openbox/rc.xml >"$RUN_DIR/openbox-rc.xml"
XDG_CACHE_HOME="$RUN_DIR/openbox-cache" DISPLAY=":$display" \
  openbox --config-file "$RUN_DIR/openbox-rc.xml" >"$RUN_DIR/openbox.log" 2>&1 &
pids+=("$!")
export VPS_WINDOW_MANAGER=openbox

export VPS_REAL_PARTS=1
# A fresh keyring each run; gnome-keyring runs inside the D-Bus session.
export XDG_DATA_HOME="$RUN_DIR/keyring-data"
mkdir -p "$XDG_DATA_HOME"
export PATH="$VENV/bin:$PATH"
dbus-run-session -- bash scripts/_checks.sh "$@"
