#!/bin/sh
# The browser tests drive Debian's chromium with Playwright (Playwright's own browser download
# cannot work here). Install it with apt-get when it is missing and we are allowed to.
set -e
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium and fonts-noto-cjk with apt-get (about 35 s)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "chromium is missing and cannot be installed here (need root and apt-get); browser tests will be skipped" >&2
fi
