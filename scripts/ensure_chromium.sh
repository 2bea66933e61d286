#!/bin/sh
# Make sure Debian's chromium is installed at /usr/bin/chromium: the browser tests
# drive it with Playwright. Installs it with apt when missing (as root, or through
# sudo); never downloads a browser any other way (no `playwright install`).
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

echo "ensure_chromium: $CHROMIUM is missing; installing Debian's chromium with apt-get" >&2

if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    apt-get install -y chromium
elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update
    sudo apt-get install -y chromium
else
    echo "ensure_chromium: cannot install chromium: not root and sudo is not available." >&2
    echo "  Ask an administrator to run: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
