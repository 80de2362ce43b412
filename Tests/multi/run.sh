#!/usr/bin/env bash
# The end-to-end incident scenario through HAProxy, with deploy/haproxy.cfg exactly as operators
# copy it: three `concord serve --no-migrate` instances on one PostgreSQL (DATABASE_URL, an empty
# database) and one data folder, TLS ended at the balancer, round-robin on readiness checks. Mid
# scenario (just before MyCERT's escalation, CONCORD_E2E_MIDWAY) one instance is killed with
# SIGKILL and started again. The scenario must pass, every mail must arrive once, and no instance
# may log a constraint violation from racing the others. The instances and the command line share
# one accelerated clock (CONCORD_CLOCK_SPEED from one CONCORD_CLOCK_ANCHOR), as in Tests/e2e: the
# acknowledgement deadline passes in seconds, not in a minute of waiting.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/support/server.sh
: "${DATABASE_URL:?the multi-instance lane needs DATABASE_URL naming an empty PostgreSQL database}"
: "${CONCORD_SECRET_KEY:?the instances share CONCORD_SECRET_KEY}"
DATA=$(mktemp -d /tmp/concord-multi.XXXXXX)
FRONT=${CONCORD_MULTI_PORT:-18443}
PORTS=(18191 18192 18193)
SMTP_PORT=${CONCORD_MULTI_SMTP_PORT:-18026}
for port in "${PORTS[@]}" "$FRONT" "$SMTP_PORT"; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
        echo "port $port is already in use: another process would answer for an instance" >&2
        rm -rf "$DATA"
        exit 1
    fi
done
export CONCORD_DATA_DIR="$DATA" CONCORD_CLOCK_SPEED=${CONCORD_E2E_CLOCK_SPEED:-30}
export CONCORD_CLOCK_ANCHOR="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
mkdir -p "$DATA/mail"
"$VENV/bin/python" Tests/support/smtp_sink.py "$DATA/mail" "$SMTP_PORT" > "$DATA/smtp.log" 2>&1 &
echo $! > "$DATA/sink.pid"
# Every process this lane started is ended, whatever state it is in: a pid that is already gone
# (the killed instance) must not stop the others from being ended (set -e is off in here).
cleanup() {
    set +e
    exec 2> /dev/null  # the shell's "Killed" notices for the processes ended here
    kill -9 "${KILLER:-}"
    for pid in "$DATA"/*.pid; do kill -9 "$(cat "$pid")"; done
    rm -rf "$DATA"
}
trap cleanup EXIT

"$BIN" migrate > /dev/null
"$BIN" demo > "$DATA/demo.txt"
export CONCORD_SMTP_HOST=127.0.0.1 CONCORD_SMTP_PORT="$SMTP_PORT" CONCORD_SMTP_TLS=off \
    CONCORD_MAIL_FROM="Concord E2E <concord@forum.example>" CONCORD_PUBLIC_URL="https://127.0.0.1:$FRONT" \
    CONCORD_SCHEDULER_INTERVAL=2 CONCORD_OUTBOX_INTERVAL=1 CONCORD_LOG_FORMAT=json CONCORD_LOG_REQUESTS=1

# start_instance N: instance N (0, 1, 2) in the background, its pid in DATA/instance-N.pid.
start_instance() {
    "$BIN" serve --port "${PORTS[$1]}" --no-migrate >> "$DATA/instance-$1.log" 2>&1 &
    echo $! > "$DATA/instance-$1.pid"
    for _ in $(seq 1 300); do
        kill -0 "$(cat "$DATA/instance-$1.pid")" 2> /dev/null || { echo "instance $1 exited" >&2; return 1; }
        curl -fs "http://127.0.0.1:${PORTS[$1]}/api/v1/health/ready" > /dev/null && return 0
        sleep 0.2
    done
    echo "instance $1 did not become ready" >&2
    return 1
}
for n in 0 1 2; do start_instance "$n"; done

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 \
    -keyout "$DATA/tls.key" -out "$DATA/tls.crt" 2> /dev/null
cat "$DATA/tls.crt" "$DATA/tls.key" > "$DATA/tls.pem"
CONCORD_LISTEN="127.0.0.1:$FRONT" CONCORD_TLS_PEM="$DATA/tls.pem" CONCORD_A="127.0.0.1:${PORTS[0]}" \
    CONCORD_B="127.0.0.1:${PORTS[1]}" CONCORD_C="127.0.0.1:${PORTS[2]}" \
    haproxy -db -f deploy/haproxy.cfg > "$DATA/haproxy.log" 2>&1 &
echo $! > "$DATA/haproxy.pid"
for _ in $(seq 1 50); do
    curl -kfs "https://127.0.0.1:$FRONT/api/v1/health/ready" > /dev/null && break
    sleep 0.2
done

# Mid scenario: instance 1 dies without warning when the scenario says (CONCORD_E2E_MIDWAY), and
# comes back three seconds later while the scenario goes on.
cat > "$DATA/midway.sh" << EOF
kill -9 "\$(cat "$DATA/instance-1.pid")"
echo "killed instance 1 mid-way, before MyCERT's escalation" > "$DATA/killed"
EOF
(
    until [ -e "$DATA/killed" ]; do sleep 0.2; done
    sleep 3
    start_instance 1
) &
KILLER=$!

CONCORD_E2E_BASE="https://127.0.0.1:$FRONT" CONCORD_E2E_INSECURE_TLS=1 CONCORD_E2E_BIN="$BIN" \
    CONCORD_E2E_DATA="$DATA" CONCORD_TEST_OUTPUT=test-output CONCORD_E2E_MIDWAY="bash $DATA/midway.sh" \
    "$VENV/bin/pytest" -q Tests/e2e/test_incident_end_to_end.py || {
    for log in "$DATA"/instance-*.log "$DATA/haproxy.log"; do echo "== $log"; tail -n 20 "$log"; done
    exit 1
}
[ -e "$DATA/killed" ] || { echo "the scenario ended without killing an instance" >&2; exit 1; }
wait "$KILLER"
cat "$DATA/killed"

# Every mail once: no Message-ID twice at the sink.
"$VENV/bin/python" - "$DATA/mail" << 'PY'
import collections, pathlib, re, sys
ids = [re.search(r"^Message-ID: *(\S+)", p.read_text(), re.M | re.I) for p in pathlib.Path(sys.argv[1]).glob("*.eml")]
counts = collections.Counter(m.group(1) for m in ids if m)
twice = {i: n for i, n in counts.items() if n > 1}
print(f"{sum(counts.values())} mails at the sink, {len(counts)} distinct")
sys.exit(f"sent more than once: {twice}" if twice else 0)
PY
# Instances racing each other must not show as constraint violations.
if grep -h -i -E "23505|violates|unique constraint" "$DATA"/instance-*.log; then
    echo "an instance logged a constraint violation" >&2
    exit 1
fi
# Each instance served part of the scenario (round-robin), in JSON lines (CONCORD_LOG_FORMAT=json,
# CONCORD_LOG_REQUESTS=1 for a line per request).
for n in 0 1 2; do
    "$VENV/bin/python" - "$DATA/instance-$n.log" "$n" << 'PY'
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
served = [l for l in lines if l.get("request_id")]
print(f"instance {sys.argv[2]}: {len(lines)} JSON log lines, {len(served)} of requests")
sys.exit(0 if served else f"instance {sys.argv[2]} served no request")
PY
done
echo "multi-instance scenario passed through HAProxy"
