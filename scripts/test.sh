#!/usr/bin/env bash
# Run the whole test suite on SQLite and on a throwaway PostgreSQL cluster.
#
#   scripts/test.sh                         both engines
#   scripts/test.sh sqlite [pytest args]    one engine, extra arguments go to pytest
#   scripts/test.sh postgresql [pytest args]
#   POLKA_TEST_WORKERS=1 scripts/test.sh    serial (default: one process per core, at most 2)
#
# Installs what the suite needs when missing (Debian packages when run as root, axe-core from
# npm), and says exactly what to install otherwise. With CI=true a missing dependency is a
# failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# apt-get, ldconfig and runuser live in the sbin directories, which a plain PATH (CI's) lacks.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

say() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

engines=(sqlite postgresql)
if [ $# -gt 0 ]; then
  case "$1" in
    sqlite | postgresql) engines=("$1"); shift ;;
    postgres | pg) engines=(postgresql); shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
fi
PYTEST_ARGS=("$@")
# POLKA_TEST_WORKERS=N spreads the tests over N processes (pytest-xdist); by default one per
# core, at most two (the browser tests share one Chromium per process; more gains nothing here).
if [ -z "${POLKA_TEST_WORKERS:-}" ]; then
  POLKA_TEST_WORKERS=$(nproc 2>/dev/null || echo 1)
  [ "$POLKA_TEST_WORKERS" -gt 2 ] && POLKA_TEST_WORKERS=2
fi
if [ "${POLKA_TEST_WORKERS:-1}" -gt 1 ] 2>/dev/null; then
  PYTEST_ARGS=(-n "$POLKA_TEST_WORKERS" "${PYTEST_ARGS[@]}")
fi

# --- system dependencies ------------------------------------------------------------------
pg_bindir() {
  # The newest installed PostgreSQL server (Debian keeps each major version apart).
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

missing_packages() {
  local wanted=()
  [ -x /usr/bin/chromium ] || wanted+=(chromium)
  command -v node >/dev/null 2>&1 || wanted+=(nodejs)
  # WeasyPrint (course certificates as PDF) needs Pango and a font with Cyrillic.
  # Look for the file itself rather than asking ldconfig's cache.
  compgen -G '/usr/lib/*/libpangoft2-1.0.so.0' >/dev/null || compgen -G '/usr/lib/libpangoft2-1.0.so.0' >/dev/null \
    || wanted+=(libpango-1.0-0 libpangoft2-1.0-0)
  [ -d /usr/share/fonts/truetype/dejavu ] || wanted+=(fonts-dejavu-core)
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
  # The SRU and Z39.50 tests drive Debian's yaz-client; `polka z3950` runs simple2zoom.
  command -v yaz-client >/dev/null 2>&1 || wanted+=(yaz)
  command -v simple2zoom >/dev/null 2>&1 || wanted+=(libnet-z3950-simple2zoom-perl)
  # Copy cataloguing is tested against a local Zebra (SRU and Z39.50) loaded with MARCXML.
  command -v zebrasrv >/dev/null 2>&1 || wanted+=(idzebra-2.0 libidzebra-2.0-mod-dom)
  [ -d /usr/share/doc/idzebra-2.0/examples/marcxml ] || wanted+=(idzebra-2.0-examples)
  if [[ " ${engines[*]} " == *" postgresql "* ]] && [ -z "$(pg_bindir)" ]; then
    wanted+=(postgresql)
  fi
  if compgen -G "polka/locale/*/LC_MESSAGES/*.po" >/dev/null && ! command -v msgfmt >/dev/null; then
    wanted+=(gettext)
  fi
  echo "${wanted[@]:-}"
}

ensure_system_packages() {
  local wanted
  wanted=$(missing_packages)
  [ -z "$wanted" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing system packages: $wanted
          install them first:  sudo apt-get install --no-install-recommends $wanted"
  fi
  say "installing missing Debian packages: $wanted"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086  # the package list is meant to split into words
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $wanted; } </dev/null; then
    die "could not install: $wanted (apt-get failed; see its output above)"
  fi
  wanted=$(missing_packages)
  [ -z "$wanted" ] || die "still missing after apt-get install: $wanted"
}

ensure_venv() {
  if [ ! -x .venv/bin/pytest ]; then
    bash scripts/install.sh
  fi
}

ensure_axe() {
  # npm ci only when node_modules is missing or was installed from another lock file.
  local stamp=node_modules/.polka-lock.sha256 want
  want=$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)
  if [ -f node_modules/axe-core/axe.min.js ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  say "installing axe-core from npm (npm ci)"
  local log
  log=$(mktemp)
  if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$log" 2>&1 </dev/null; then
    cat "$log" >&2
    rm -f "$log"
    die "npm ci failed: the npm registry could not be reached or package-lock.json is broken"
  fi
  rm -f "$log"
  echo "$want" >"$stamp"
}

ensure_messages() {
  # Compiled catalogues are build output; compile them when a .po is newer than its .mo.
  local po stale=0
  for po in polka/locale/*/LC_MESSAGES/*.po; do
    [ -e "$po" ] || continue
    [ "${po%.po}.mo" -nt "$po" ] || stale=1
  done
  if [ "$stale" = 1 ]; then
    (cd polka && DATABASE_URL=sqlite:///:memory: ../.venv/bin/polka compilemessages >/dev/null)
  fi
}

# --- PostgreSQL: a throwaway cluster --------------------------------------------------------
PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

as_pg() {
  # PostgreSQL refuses to run as root; root runs it as the postgres system user.
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_postgresql() {
  local bin port
  bin=$(pg_bindir)
  # Root hands the folder to the postgres user, who may not reach a private $TMPDIR.
  if [ "$(id -u)" -eq 0 ]; then
    PG_DIR=$(mktemp -d /tmp/polka-pg.XXXXXX)
  else
    PG_DIR=$(mktemp -d -t polka-pg.XXXXXX)
  fi
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "the postgres system user is missing (reinstall the postgresql package)"
    chown postgres: "$PG_DIR"
  fi
  # C.UTF-8 ctype so lower()/ILIKE understand Cyrillic; it exists on every Debian.
  if ! as_pg "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
  fi
  port=$(free_port)
  # Durability is pointless for a cluster deleted in a few minutes; speed is not.
  if ! as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start -o \
      "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
    cat "$PG_DIR/server.log" >&2
    die "PostgreSQL did not start"
  fi
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') is running on 127.0.0.1:$port"
}

# --- running pytest -----------------------------------------------------------------------
declare -A RESULT=()
TOTAL_PASSED=0
TOTAL_FAILED=0

run_pytest() {
  local engine=$1 url=$2 log rc line
  log=$(mktemp)
  say "running the suite on $engine"
  set +e
  DATABASE_URL="$url" .venv/bin/pytest "${PYTEST_ARGS[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  # pytest's closing line, with or without its ==== frame (-q drops it).
  line=$(grep -E '^(=+ )?([0-9]+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed)|no tests ran)' "$log" | tail -n 1 |
    sed -E 's/^=+ //; s/ =+$//' || true)
  local passed failed errors
  passed=$(grep -oE '[0-9]+ passed' <<<"$line" | cut -d' ' -f1 || true)
  failed=$(grep -oE '[0-9]+ failed' <<<"$line" | cut -d' ' -f1 || true)
  errors=$(grep -oE '[0-9]+ errors?' <<<"$line" | cut -d' ' -f1 || true)
  TOTAL_PASSED=$((TOTAL_PASSED + ${passed:-0}))
  TOTAL_FAILED=$((TOTAL_FAILED + ${failed:-0} + ${errors:-0}))
  rm -f "$log"
  case $rc in
    0) RESULT[$engine]="passed ($line)" ;;
    5) RESULT[$engine]="FAILED: pytest collected no tests (exit 5)"; TOTAL_FAILED=$((TOTAL_FAILED + 1)) ;;
    *) RESULT[$engine]="FAILED (exit $rc: ${line:-no summary})"
       [ "${failed:-0}${errors:-0}" != "00" ] || TOTAL_FAILED=$((TOTAL_FAILED + 1)) ;;
  esac
  return 0
}

ensure_system_packages
ensure_venv
ensure_axe
ensure_messages

export POLKA_VAR_DIR=${POLKA_VAR_DIR:-$ROOT/var}
mkdir -p "$POLKA_VAR_DIR"
SQLITE_DIR=$(mktemp -d -t polka-sqlite.XXXXXX)
trap 'cleanup; rm -rf "$SQLITE_DIR"' EXIT

status=0
for engine in "${engines[@]}"; do
  if [ "$engine" = sqlite ]; then
    # pytest-django keeps a SQLite test database in memory; the file only names the engine.
    run_pytest sqlite "sqlite:///$SQLITE_DIR/polka-test.sqlite3"
  else
    start_postgresql
    run_pytest postgresql "$PG_URL"
    cleanup
  fi
done

echo
for engine in "${engines[@]}"; do
  say "$(printf '%-11s' "$engine") ${RESULT[$engine]}"
  [[ ${RESULT[$engine]} == passed* ]] || status=1
done
echo "total: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
exit $status
