#!/usr/bin/env bash
# The whole test suite. Installs what the tests need that cargo cannot
# (Debian's chromium and node for the browser tests, poppler-utils for PDF
# pages, PostgreSQL for the governance suite)
# when it is missing, then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ -z "${SCRUTINY_TEST_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
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

# The browser scenario's driver (playwright-core, pinned by tests/browser/package-lock.json).
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# A throwaway PostgreSQL server for the governance suite, stopped on exit.
if [ -z "${SCRUTINY_TEST_POSTGRES:-}" ]; then
  pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  pgtmp=$(mktemp -d)
  pgport=$((20000 + RANDOM % 20000))
  as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$pgtmp"
  chmod 700 "$pgtmp"
  as_postgres "$pgbin/initdb -D $pgtmp/data -U postgres -A trust" >/dev/null
  as_postgres "$pgbin/pg_ctl -D $pgtmp/data -l $pgtmp/server.log -o '-p $pgport -c listen_addresses=127.0.0.1 -k $pgtmp' -w start" >/dev/null
  trap 'as_postgres "$pgbin/pg_ctl -D $pgtmp/data -m fast stop" >/dev/null; rm -rf "$pgtmp"' EXIT
  export SCRUTINY_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pgport/postgres"
  echo "PostgreSQL test server: $SCRUTINY_TEST_POSTGRES"
fi

cargo test --workspace --locked "$@"
