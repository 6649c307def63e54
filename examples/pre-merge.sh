#!/bin/sh
# Pre-merge check for a data-migration repository: before a branch that
# changes the migration is merged, audit what the migrated export looks like
# and refuse the merge if it brings new violations.
#
# The repository holds regaudit.toml (naming the migrated export), the
# baseline of the findings already accepted (regaudit-baseline.json, made with
# `regaudit scan --write-baseline regaudit-baseline.json` on main) and the
# fingerprint key in the CI secret REGAUDIT_FINGERPRINT_KEY.
#
# Exit status: 0 nothing new at or above $FAIL_ON, 1 new findings, 2 regaudit
# could not run (bad config, unreadable export, wrong key for the baseline).
set -u

BASELINE=${BASELINE:-regaudit-baseline.json}
FAIL_ON=${FAIL_ON:-high}
REPORT=${REPORT:-regaudit-branch.json}
# The JSON report of main's export, if the CI keeps one, for the trend.
MAIN_REPORT=${MAIN_REPORT:-}

# 1. Migrate (your own step), e.g.: ./migrate.sh exports/ migrated/

# 2. One scan: the JSON report to a file, a one-line summary on stderr.
status=0
regaudit scan --baseline "$BASELINE" --fail-on "$FAIL_ON" --format json --output "$REPORT" || status=$?
if [ "$status" -eq 2 ]; then
    echo "pre-merge: regaudit could not audit the migrated export (see above)" >&2
    exit 2
fi

# 3. What changed against main, by register and rule (counts only, no data).
if [ -n "$MAIN_REPORT" ] && [ -f "$MAIN_REPORT" ]; then
    regaudit compare "$MAIN_REPORT" "$REPORT" || exit 2
fi

if [ "$status" -eq 1 ]; then
    echo "pre-merge: the migration brings new findings at or above $FAIL_ON; see $REPORT" >&2
fi
exit "$status"
