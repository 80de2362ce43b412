# Shared by the browser and end-to-end runners (sourced, from the repository root): the Python
# tools, the debug `concord` binary, and a server that is up before the tests start.
VENV=.venv-test
[ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r Tests/requirements.txt
BIN=$(swift build --show-bin-path)/concord

# start_server PORT LOG: `concord serve` in the background (its pid in SERVER), ready when it returns.
start_server() {
    "$BIN" serve --port "$1" > "$2" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 50); do
        curl -fs "http://127.0.0.1:$1/api/v1/health" >/dev/null && return 0
        sleep 0.2
    done
    echo "concord serve did not answer on port $1" >&2
    return 1
}
