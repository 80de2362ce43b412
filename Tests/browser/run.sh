#!/usr/bin/env bash
# The browser test: a fresh data directory, the demo forum, `concord serve` on a free loopback port,
# then pytest with Selenium and headless Chromium. Leaves the screenshot in test-output/.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/support/server.sh
DATA=$(mktemp -d /tmp/concord-browser.XXXXXX)
PORT=${CONCORD_BROWSER_PORT:-18080}
export CONCORD_DATA_DIR="$DATA"
PASSWORD=$("$BIN" demo | awk '/one-time password/ {print $3}')
trap 'kill ${SERVER:-} 2>/dev/null || true; rm -rf "$DATA"' EXIT
start_server "$PORT" "$DATA/serve.log"
CONCORD_BROWSER_BASE="http://127.0.0.1:$PORT" CONCORD_BROWSER_PASSWORD="$PASSWORD" CONCORD_TEST_OUTPUT=test-output \
    "$VENV/bin/pytest" -q Tests/browser
