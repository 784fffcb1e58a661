#!/usr/bin/env bash
# The whole test suite. Installs what the tests need that cargo cannot
# (Debian's chromium for the browser tests, poppler-utils for PDF pages)
# when it is missing, then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: the tests need these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

if [ ! -d ../shared ]; then
  echo "error: ../shared is missing beside the repository; the tests read its data and golden files" >&2
  exit 1
fi

cargo test --workspace --locked "$@"
