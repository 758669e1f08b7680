#!/usr/bin/env bash
# Install what the browser tests (tests/e2e/test_widget_browser.py) need on a Debian machine:
# Debian's Chromium at /usr/bin/chromium and the npm test dependencies (axe-core).
#
# Idempotent and non-interactive; installing Debian packages needs root (CI runs as root).
# Playwright for Python is pinned in pyproject.toml and installed with the rest of the
# Python dependencies. Never run `playwright install`: its browser download fails here, and
# the tests drive Debian's Chromium instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Run this script as root to install them." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
test -f node_modules/axe-core/axe.min.js
echo "Browser test dependencies are installed."
