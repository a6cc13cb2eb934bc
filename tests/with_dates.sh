#!/usr/bin/env bash
# Runs the date-sensitive tests (pytest -m dates) again at the awkward days of the calendar. Each
# line: when (its offset is where the test accounts are at that moment), the test accounts' time
# zone, and the server's TZ. Usage: tests/with_dates.sh .venv/bin/pytest -q -n auto
set -euo pipefail
while read -r now zone server; do
  [[ -z "$now" || "$now" == \#* ]] && continue
  echo "dates: $now, accounts in $zone, server TZ=$server"
  FITR_TEST_NOW="$now" FITR_TEST_TIME_ZONE="$zone" TZ="$server" "$@" -m dates
done <<'RUNS'
# the first and the last day of a month whose grid starts in the month before (April 2026)
2026-04-01T23:30:00-07:00 America/Los_Angeles Pacific/Kiritimati
2026-04-30T23:30:00-07:00 America/Los_Angeles America/Los_Angeles
# 31 December into 1 January, on each side of UTC
2026-12-31T23:30:00-08:00 America/Los_Angeles UTC
2027-01-01T00:30:00+14:00 Pacific/Kiritimati America/Los_Angeles
# 29 February
2028-02-29T12:00:00+00:00 UTC Pacific/Kiritimati
# the days the clocks change: Europe/London and America/New_York, spring and autumn
2026-03-29T23:30:00+01:00 Europe/London UTC
2026-10-25T23:30:00+00:00 Europe/London UTC
2026-03-08T23:30:00-04:00 America/New_York UTC
2026-11-01T23:30:00-05:00 America/New_York UTC
RUNS
