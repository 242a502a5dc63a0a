#!/usr/bin/env bash
# Install the Debian packages the portal needs at run time, when they are missing and we can:
#   fonts-noto-cjk       WeasyPrint draws Chinese as empty boxes without a CJK font
#   libharfbuzz-subset0  without it each Chinese PDF takes 9-15 s instead of about 1 s
#   gettext              msgfmt, which compilemessages runs
#   chromium             the browser the journeys (tests/journeys) drive through Playwright, whose own
#                        download (`playwright install`) does not work on these machines
# Never fails the build: on another system, or without root, it says what to install and goes on.
set -euo pipefail

packages=(fonts-noto-cjk libharfbuzz-subset0 gettext chromium)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "debian-packages: not a Debian system; install the equivalents of: ${packages[*]}" >&2
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "debian-packages: skipped, not root. Missing: ${missing[*]}" >&2
    echo "debian-packages: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "debian-packages: skipped, apt-get is not available. Missing: ${missing[*]}" >&2
    exit 0
fi

echo "debian-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; then
    # A fresh machine has no package lists yet.
    if ! { apt-get update </dev/null && apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; }; then
        echo "debian-packages: apt-get could not install ${missing[*]}; PDFs, translations or the browser journeys may not work." >&2
    fi
fi
