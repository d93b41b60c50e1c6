#!/usr/bin/env bash
# Installs what the project needs before any project code can run: the Debian packages the local
# stack is made of, and the npm dependencies (which include the pinned Node 24 runtime, so every npm
# script after this one runs on Node 24 whatever the machine's own Node is). Idempotent and quick
# when there is nothing to do. Go-built tools (k6, toxiproxy, the collector) are built later by the
# stack itself (stack/src/tools.ts), because that step is long and shows progress.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1m▸ %s\033[0m\n' "$*"; }

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
# Debian starts services on install unless told otherwise; the project starts its own instances.
no_service_starts() {
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
  fi
}

# Package lists older than a day are refreshed, so "the current bookworm version" means the same here
# as in a docker-mode image built today (the docker-mode test compares the two).
lists=(/var/lib/apt/lists/*_InRelease)
if [[ ! -e ${lists[0]} ]] || [[ -n $(find /var/lib/apt/lists -maxdepth 1 -name '*_InRelease' -mmin +1440 -print -quit) ]]; then
  step "refreshing Debian's package lists (older than a day)"
  $sudo apt-get update -q
fi

missing=()
outdated=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
    continue
  fi
  installed=$(dpkg-query -W -f='${Version}' "$pkg")
  candidate=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
  if [[ -n $candidate && $candidate != "(none)" ]] && dpkg --compare-versions "$installed" lt "$candidate"; then
    outdated+=("$pkg")
  fi
done < stack/debian-packages.txt

if ((${#missing[@]} + ${#outdated[@]})); then
  no_service_starts
  ((${#missing[@]})) && step "installing Debian packages: ${missing[*]}"
  ((${#outdated[@]})) && step "upgrading Debian packages to bookworm's current versions (as docker mode builds them): ${outdated[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" "${outdated[@]}"
fi

stamp=node_modules/.package-lock.stamp
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  step "installing npm dependencies"
  # `npm install`, not `npm ci`: npm 11.19 writes lock files without the other platforms' optional
  # packages (Biome's per-platform binaries) and then `npm ci` refuses its own lock file. With every
  # version exact in package.json and the lock file committed, `npm install` installs the same tree
  # and leaves the lock file unchanged.
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
