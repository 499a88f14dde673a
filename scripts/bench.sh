#!/usr/bin/env bash
# Run every bench/*.py in name order with the project's Python; each prints its figure as its
# last line, which is repeated in the summary at the end. Exit non-zero if any script failed.
set -euo pipefail
cd "$(dirname "$0")/.."

shopt -s nullglob
scripts=(bench/*.py)
if [ ${#scripts[@]} -eq 0 ]; then
  echo "bench.sh: no benchmarks yet (bench/*.py is empty)"
  exit 0
fi

summary=()
status=0
for script in "${scripts[@]}"; do
  echo "bench.sh: running $script"
  log=$(mktemp)
  set +e
  .venv/bin/python "$script" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  last=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 || true)
  rm -f "$log"
  if [ "$rc" -eq 0 ]; then
    summary+=("$script: $last")
  else
    summary+=("$script: FAILED (exit $rc): $last")
    status=1
  fi
done

echo
printf 'bench.sh: %s\n' "${summary[@]}"
exit $status
