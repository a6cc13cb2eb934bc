#!/usr/bin/env bash
# Install the Debian packages the tests use, when they are missing: Chromium for the
# browser tests, PostgreSQL for the second database run, and Redis for several app servers
# sharing the login limits and the email queue. Needs root (apt-get).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "tests: missing Debian packages: ${missing[*]} (not root, so not installing them)." >&2
  echo "tests: install them with: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "tests: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
