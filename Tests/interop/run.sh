#!/usr/bin/env bash
# Interop with the OASIS TAXII and STIX tools: `concord serve` on the demo forum, then the OASIS
# taxii2-client walks it (pytest) and the OASIS stix2-validator checks every object it serves.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/support/server.sh
DATA=$(mktemp -d /tmp/concord-interop.XXXXXX)
PORT=${CONCORD_INTEROP_PORT:-18095}
export CONCORD_DATA_DIR="$DATA" CONCORD_PUBLIC_URL="http://127.0.0.1:$PORT" CONCORD_SURGE_INTERVAL=86400
trap 'kill ${SERVER:-} 2>/dev/null || true; rm -rf "$DATA"' EXIT
"$BIN" demo > "$DATA/demo.txt"
TOKEN=$("$BIN" token create --email handler@sg.example --name interop | tail -1)
OTHER=$("$BIN" token create --email handler@my.example --name interop | tail -1)
start_server "$PORT" "$DATA/serve.log"
CONCORD_INTEROP_BASE="http://127.0.0.1:$PORT" CONCORD_INTEROP_TOKEN="$TOKEN" CONCORD_INTEROP_OTHER="$OTHER" \
    "$VENV/bin/pytest" -q ${CONCORD_INTEROP_PYTEST_ARGS:-} Tests/interop || { tail -30 "$DATA/serve.log"; exit 1; }
