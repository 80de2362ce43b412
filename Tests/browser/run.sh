#!/usr/bin/env bash
# The browser test: a fresh data directory, the demo forum, `concord serve` on a free loopback port,
# then pytest with Selenium and headless Chromium. Leaves the screenshot in test-output/.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.venv-test
[ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r Tests/requirements.txt
BIN=$(swift build --show-bin-path)/concord
DATA=$(mktemp -d /tmp/concord-browser.XXXXXX)
PORT=${CONCORD_BROWSER_PORT:-18080}
export CONCORD_DATA_DIR="$DATA"
PASSWORD=$("$BIN" demo | awk '/one-time password/ {print $3}')
"$BIN" serve --port "$PORT" > "$DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
    sleep 0.2
done
CONCORD_BROWSER_BASE="http://127.0.0.1:$PORT" CONCORD_BROWSER_PASSWORD="$PASSWORD" CONCORD_TEST_OUTPUT=test-output \
    "$VENV/bin/pytest" -q Tests/browser
