#!/usr/bin/env bash
# Create .venv with the project and its locked dependencies. Clear messages instead of tracebacks.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  # Debian's own interpreter when it can make a venv: the one docs/deploy.md installs, built
  # with profile-guided optimisation. A pyenv build without it, first on PATH, ran the pages
  # 15-20% slower (docs/operations.md).
  if /usr/bin/python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    PYTHON=/usr/bin/python3.11
  else
    PYTHON=python3.11
  fi
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON=python3
  else
    echo "polka: Python 3.11 or newer is needed (looked for $PYTHON and python3)." >&2
    echo "       On Debian: apt-get install python3 python3-venv" >&2
    exit 1
  fi
fi
# A .venv made by another interpreter than the one asked for is made again (PYTHON=… make install).
same='import sys; print(sys.base_prefix, sys.version)'
if [ -x .venv/bin/python ] && [ "$(.venv/bin/python -c "$same")" != "$("$PYTHON" -c "$same")" ]; then
  echo "polka: .venv was made with $(.venv/bin/python -c 'import sys; print(sys.base_prefix)'); making it again with $PYTHON."
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv >/tmp/polka-venv.log 2>&1; then
    cat /tmp/polka-venv.log >&2
    echo "polka: could not create .venv. On Debian: apt-get install python3-venv" >&2
    rm -rf .venv
    exit 1
  fi
fi
log=$(mktemp)
if ! .venv/bin/pip install --disable-pip-version-check -r requirements.lock >"$log" 2>&1 ||
   ! .venv/bin/pip install --disable-pip-version-check --no-deps -e . >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  if grep -qiE "connection|network|resolve|timed out|No matching distribution" "$log"; then
    echo "polka: installing dependencies failed: the Python package index (PyPI) could not be" >&2
    echo "       reached. Check the network connection or proxy (PIP_INDEX_URL) and run again." >&2
  else
    echo "polka: installing dependencies failed; the pip output above says why (full log: $log)." >&2
  fi
  exit 1
fi
rm -f "$log"
echo "polka: .venv is ready ($(.venv/bin/python --version))."
