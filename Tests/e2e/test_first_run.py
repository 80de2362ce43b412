"""A quiet, truthful first run (issue 17 §7): `concord serve --demo` on a fresh data folder prints one
line per phase, then the credentials with hints that name the port it really listens on, and logs no
migration or request line at its default level; commands that need a database refuse to create one
where there is none; a malformed lookup value and a server that cannot be reached each end in one
clear line and a non-zero exit."""
import os
import pathlib
import socket
import subprocess
import tempfile
import time
import urllib.request

BIN = os.environ["CONCORD_E2E_BIN"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sqlite_env(data):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONCORD_CLOCK_SPEED")}
    env["CONCORD_DATA_DIR"] = str(data)
    return env


def test_first_start_prints_one_line_per_phase_and_the_real_address():
    data = pathlib.Path(tempfile.mkdtemp(prefix="concord-first-run-"))
    port = free_port()
    out, err = data / "out.txt", data / "err.txt"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        server = subprocess.Popen([BIN, "serve", "--demo", "--port", str(port)], env=sqlite_env(data),
                                  stdout=stdout, stderr=stderr)
    try:
        deadline = time.time() + 120
        while "Server started" not in err.read_text() and time.time() < deadline:
            assert server.poll() is None, err.read_text()
            time.sleep(0.2)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health").read()
        urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()
        time.sleep(0.5)
        printed = out.read_text().splitlines()
        logged = err.read_text().splitlines()
        assert printed[0].startswith("SQLite: ") and printed[0].endswith(" migrations applied"), printed[0]
        assert printed[1] == "Loaded the demonstration forum (27 teams, 18 economies)."
        assert any(f"'http://127.0.0.1:{port}/api/v1/lookup?ip=" in line for line in printed), printed[-1]
        assert not any(":8080" in line for line in printed)
        assert not any("Migrator" in line or "prepare" in line for line in logged), logged
        assert not any("GET /" in line for line in logged), "requests are logged at debug by default"
        assert len(logged) <= 3 and "Server started on http://127.0.0.1:%d" % port in logged[-1], logged
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_command_does_not_create_a_database_where_there_is_none():
    empty = pathlib.Path(tempfile.mkdtemp(prefix="concord-no-data-"))
    result = subprocess.run([BIN, "lookup", "198.51.100.110"], env=sqlite_env(empty / "data"),
                            capture_output=True, text=True, cwd=empty)
    assert result.returncode != 0
    assert "no Concord database in" in result.stderr and "run `concord serve` first" in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not (empty / "data" / "concord.sqlite").exists()


def test_a_malformed_lookup_value_and_an_unreachable_server_end_in_one_line():
    env = sqlite_env(os.environ["CONCORD_E2E_DATA"])
    malformed = subprocess.run([BIN, "lookup", "999.1.1.1"], env=env, capture_output=True, text=True)
    assert malformed.returncode != 0 and "999.1.1.1" in malformed.stderr, malformed
    assert malformed.stderr.count("\n") == 1, malformed.stderr
    down = subprocess.run([BIN, "incident", "list", "--url", "http://127.0.0.1:9", "--token", "concord_x"],
                          capture_output=True, text=True)
    assert down.returncode != 0
    assert "cannot reach Concord at http://127.0.0.1:9 (connection refused)" in down.stderr, down.stderr
    assert down.stderr.count("\n") == 1, down.stderr
