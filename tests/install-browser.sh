#!/usr/bin/env bash
# What the browser tests need: Debian's Chromium (Playwright drives /usr/bin/chromium and never
# downloads a browser of its own) and axe-core from npm (injected into the pages by the
# accessibility tests; never from a CDN) in tests/node/. Installed once; later runs do nothing.
set -euo pipefail
cd "$(dirname "$0")"
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium fonts-dejavu-core)
command -v npm >/dev/null || packages+=(npm)
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
if [ ! -f node/node_modules/axe-core/axe.min.js ]; then
  npm install --no-save --no-audit --no-fund --prefix node axe-core@4
fi
