#!/usr/bin/env bash
# Set up a working copy: system tools (ffmpeg, pango and fonts for print; exiftool and
# poppler with --test), a virtual
# environment in .venv, and the package with its dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
# archive print: WeasyPrint lays pages out with pango, and DejaVu has every Tajik letter.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0 " || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0 " || need+=(libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "$want_test" = 1 ]; then
  command -v exiftool >/dev/null 2>&1 || need+=(libimage-exiftool-perl)
  # The print tests render pages to PNG.
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  # The site's browser tests: Debian's chromium (driven by Playwright) and npm for axe-core.
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing ${need[*]} (Debian packages)" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)" >&2
  "$python" -m venv .venv
fi
extra=""
[ "$want_test" = 1 ] && extra="[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}" >&2
# Byte-compile the packages now: an editable install leaves that to the first run, and where
# PYTHONDONTWRITEBYTECODE is set every command would compile them again at start.
.venv/bin/python -m compileall -q archive catalog media >&2
if [ "$want_test" = 1 ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "setup: installing axe-core (npm ci)" >&2
  npm ci --silent --no-audit --no-fund >&2
fi
