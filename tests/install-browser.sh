#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/browser/): Playwright drives /usr/bin/chromium and
# never downloads a browser of its own. Installed once; later runs find it and do nothing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
