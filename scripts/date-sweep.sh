#!/usr/bin/env bash
# Run the SQLite suite with the clock set to other days (libfaketime), to catch tests and demo
# dates that only pass on some days of the year.
#
#   scripts/date-sweep.sh                      the hard days below
#   scripts/date-sweep.sh 2027-05-09 ...       given days (noon UTC), or "2027-12-31 20:30:00"
#   PYTEST_ARGS="polka/events" scripts/date-sweep.sh 2028-02-29
#
# Browser tests are left out (Chromium under a faked clock is not what they test), and so are
# the killed-import test, whose child process cannot be timed under faketime, and the test of a
# record saved during a rebuild: under faketime its 0.5 s thread join waits the full 10 s, and the
# waiting writer gives up first. Neither depends on the date.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "date-sweep: install faketime (apt-get install faketime)" >&2; exit 1; }
days=("$@")
if [ ${#days[@]} -eq 0 ]; then
  days=("2026-12-25 09:00:00" "2027-01-01 00:05:00" "2027-03-08 12:00:00" "2027-04-26 12:00:00"
        "2027-12-31 20:30:00" "2028-02-29 09:00:00")
fi
status=0
for day in "${days[@]}"; do
  [[ "$day" == *:* ]] || day="$day 12:00:00"
  echo "date-sweep: $day UTC"
  # shellcheck disable=SC2086  # PYTEST_ARGS is meant to split into words
  if ! TZ=UTC faketime "$day" .venv/bin/pytest -q -p no:cacheprovider -x -m "not browser" \
      --deselect polka/catalog/tests/test_import_killed.py \
      --deselect polka/search/tests/backends/test_a_record_saved_during_a_rebuild_keeps_one_document.py \
      ${PYTEST_ARGS:-} ; then
    echo "date-sweep: FAILED at $day" >&2
    status=1
  fi
done
exit $status
