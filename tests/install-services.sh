#!/usr/bin/env bash
# Debian's nginx for the fault tests (tests/integration/test_faults_nginx.py): the test writes its own
# configuration to a temporary folder and starts nginx itself, so the package's own service must not start
# on port 80 while installing (policy-rc.d refuses it). Installed once; later runs find it and do nothing.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx
