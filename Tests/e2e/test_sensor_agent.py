"""The sensor agent against a running hub: a team's sensor is registered, the agent aggregates a
capture while the hub is unreachable (the upload waits in the buffer), then delivers it; an upload
whose answer was lost and is sent again changes nothing; the hub holds exactly the capture's packets."""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import urllib.request

BASE = os.environ["CONCORD_E2E_BASE"]
BIN = os.environ["CONCORD_E2E_BIN"]
DATA = pathlib.Path(os.environ["CONCORD_E2E_DATA"])
GENERATOR = str(pathlib.Path(BIN).parent / "concord-capture-gen")


def api(method, path, token, body=None):
    request = urllib.request.Request(
        BASE + "/api/v1" + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def agent(*args):
    return subprocess.run([BIN, "sensor", "run", *args], capture_output=True, text=True)


def test_agent_buffers_while_the_hub_is_down_and_never_uploads_twice():
    import re
    token = re.search(r"API token:\s+(\S+)", (DATA / "demo.txt").read_text()).group(1)
    team = api("GET", "/teams", token)[0]["slug"]
    sensor = api("POST", f"/teams/{team}/sensors", token,
                 {"name": "e2e-darknet", "prefix": "203.0.113.0/25", "location": "loopback"})
    work = pathlib.Path(tempfile.mkdtemp(prefix="concord-sensor-"))
    try:
        capture = work / "darknet.pcap"
        subprocess.run([GENERATOR, str(capture), "2"], check=True, capture_output=True)
        expected = json.loads(subprocess.run(
            [BIN, "sensor", "summarize", str(capture), "--json"], check=True, capture_output=True, text=True).stdout)
        buffer = work / "buffer"

        # The hub is down: the upload waits on disk and the agent says so.
        down = agent("--read", str(capture), "--upload", "http://127.0.0.1:9", "--token", sensor["token"],
                     "--buffer", str(buffer))
        waiting = list(buffer.glob("*.json"))
        assert down.returncode == 1 and "kept in" in down.stderr and down.stderr.count("\n") == 1, down.stderr
        assert len(waiting) == 1
        lost_answer = work / "copy.json"
        shutil.copy(waiting[0], lost_answer)

        # The hub is back: the buffered upload goes, once.
        up = agent("--upload", BASE, "--token", sensor["token"], "--buffer", str(buffer))
        assert up.returncode == 0 and "uploaded 1" in up.stdout, up.stdout + up.stderr
        assert not list(buffer.glob("*.json"))

        # The same upload again, as after a crash between sending and deleting: nothing changes.
        shutil.copy(lost_answer, buffer / lost_answer.name.replace("copy", "again"))
        shutil.copy(lost_answer, buffer / waiting[0].name)
        again = agent("--upload", BASE, "--token", sensor["token"], "--buffer", str(buffer))
        assert again.returncode == 0 and "already at the hub 2" in again.stdout, again.stdout + again.stderr

        listed = {s["name"]: s for s in api("GET", f"/teams/{team}/sensors", token)}["e2e-darknet"]
        assert listed["packets"] == expected["packets"], (listed, expected["packets"])
        assert listed["hoursStored"] == 1 and listed["lastUploadAt"]

        # A wrong token is refused and the upload stays.
        refused = agent("--read", str(capture), "--upload", BASE, "--token", "sensor_wrong", "--buffer", str(buffer))
        assert refused.returncode == 1 and "refused" in refused.stderr
        assert len(list(buffer.glob("*.json"))) == 1
    finally:
        shutil.rmtree(work)


def test_live_capture_on_loopback_uploads_exactly_what_crossed_it():
    """`--interface lo` through libpcap (root): 60 UDP datagrams to one port cross the loopback, the
    agent uploads every 2 seconds and once more when stopped, and the hub counts exactly 60."""
    import re
    import signal
    import socket
    import time
    token = re.search(r"API token:\s+(\S+)", (DATA / "demo.txt").read_text()).group(1)
    team = api("GET", "/teams", token)[0]["slug"]
    sensor = api("POST", f"/teams/{team}/sensors", token,
                 {"name": "e2e-live", "prefix": "127.0.0.0/8", "location": "loopback"})
    work = pathlib.Path(tempfile.mkdtemp(prefix="concord-live-"))
    live = subprocess.Popen(
        [BIN, "sensor", "run", "--interface", "lo", "--upload", BASE, "--token", sensor["token"],
         "--buffer", str(work), "--upload-every", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        import select
        assert select.select([live.stdout], [], [], 30)[0], "the agent said nothing in 30 s"
        started = live.stdout.readline()
        assert started.startswith("capturing on lo (ethernet)"), started + live.stderr.read()
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for number in range(60):
            sender.sendto(b"scan %d" % number, ("127.0.0.1", 47999))
        sender.close()
        port = {}
        for _ in range(40):
            port = api("GET", "/sensor-network/ports/udp/47999?days=2", token)
            if port["packets"] >= 60:
                break
            time.sleep(0.5)
        live.send_signal(signal.SIGTERM)
        assert live.wait(timeout=20) == 0, live.stderr.read()
        port = api("GET", "/sensor-network/ports/udp/47999?days=2", token)
        assert port["packets"] == 60 and port["sources"] == 1, port
        listed = {s["name"]: s for s in api("GET", f"/teams/{team}/sensors", token)}["e2e-live"]
        assert listed["lastUploadAt"] and not list(work.glob("*.json"))
    finally:
        if live.poll() is None:
            live.kill()
        shutil.rmtree(work)
