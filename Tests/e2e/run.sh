#!/usr/bin/env bash
# The end-to-end incident scenario: the demo forum, a real SMTP server (aiosmtpd) that msmtp delivers
# to, `concord serve` with its scheduler and outbox, and headless Chromium plus the team's own GnuPG
# keys in pytest. On SQLite by default; on PostgreSQL when DATABASE_URL names an empty database.
# The application's clock runs 30 times faster than the wall clock (CONCORD_CLOCK_SPEED), so that a
# one-minute acknowledgement deadline passes in two seconds; the drills' clock runs 8 times faster
# still (240 times the wall clock: the four-hour drill takes a minute).
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/support/server.sh
DATA=$(mktemp -d /tmp/concord-e2e.XXXXXX)
PORT=${CONCORD_E2E_PORT:-18090}
SMTP_PORT=${CONCORD_E2E_SMTP_PORT:-18025}
export CONCORD_DATA_DIR="$DATA"
mkdir -p "$DATA/mail"
"$VENV/bin/python" Tests/support/smtp_sink.py "$DATA/mail" "$SMTP_PORT" > "$DATA/smtp.log" 2>&1 &
SINK=$!
"$BIN" demo > "$DATA/demo.txt"
export CONCORD_SMTP_HOST=127.0.0.1 CONCORD_SMTP_PORT="$SMTP_PORT" CONCORD_SMTP_TLS=off \
    CONCORD_MAIL_FROM="Concord E2E <concord@forum.example>" CONCORD_PUBLIC_URL="http://127.0.0.1:$PORT" \
    CONCORD_SCHEDULER_INTERVAL=2 CONCORD_OUTBOX_INTERVAL=1 CONCORD_CLOCK_SPEED=${CONCORD_E2E_CLOCK_SPEED:-30} CONCORD_DRILL_CLOCK_SPEED=8 CONCORD_DRILL_INTERVAL=1
trap 'kill ${SERVER:-} $SINK 2>/dev/null || true; rm -rf "$DATA"' EXIT
start_server "$PORT" "$DATA/serve.log"
# The first run is SQLite's whatever the lane (a fresh data folder, no DATABASE_URL): once is enough.
PYTEST_SKIP=()
[ -z "${DATABASE_URL:-}" ] || PYTEST_SKIP=(--ignore=Tests/e2e/test_first_run.py)
CONCORD_E2E_BASE="http://127.0.0.1:$PORT" CONCORD_E2E_BIN="$BIN" CONCORD_E2E_DATA="$DATA" \
    CONCORD_TEST_OUTPUT=test-output "$VENV/bin/pytest" -q "${PYTEST_SKIP[@]}" ${CONCORD_E2E_PYTEST_ARGS:-} Tests/e2e || { tail -30 "$DATA/serve.log"; exit 1; }
# After every scenario, on the demo forum they ran on: each stored TLP label and state is valid.
"$BIN" check-values
