"""Mixed writers for scripts/chaos: incident reports, feed posts and TAXII envelopes against a
`concord serve` that is killed with SIGKILL while they write. Every acknowledged write is put in
the ledger (one JSON line, flushed and fsync'd before the next request), so the checker can tell
what the server promised.

    python writers.py BASE HANDLER_TOKEN ADMIN_TOKEN SECONDS LEDGER

A handler reports and shares; feeds are posted by the forum's admin (handlers may not import).
"""
import base64
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

BASE, HANDLER, ADMIN, SECONDS, LEDGER = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
FORUM = "1f0c8a52-5b2c-4c1e-9a57-0c0ec0c0f0a1"
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TAXII = "application/taxii+json;version=2.1"
lock = threading.Lock()
ledger = open(LEDGER, "a")


def acknowledged(kind, **fields):
    with lock:
        ledger.write(json.dumps({"kind": kind, **fields}) + "\n")
        ledger.flush()
        os.fsync(ledger.fileno())


def send(method, path, body, content_type, accept="application/json", key=None, token=HANDLER):
    headers = {"Authorization": "Bearer " + token, "Content-Type": content_type, "Accept": accept}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(BASE + path, method=method, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, None  # the server is gone: nothing was promised


def until_done(write):
    deadline = time.time() + SECONDS
    n = 0
    while time.time() < deadline:
        if not write(n):
            time.sleep(0.05)
        n += 1


def reporter(writer):
    def write(n):
        title = f"chaos w{writer} r{n} {uuid.uuid4()}"
        body = {"title": title, "classification": "information-gathering/scanner", "tlp": "TLP:GREEN",
                "observables": [{"value": f"198.51.100.{100 + n % 20}"}]}
        status, _ = send("POST", "/api/v1/incidents", json.dumps(body).encode(), "application/json",
                         key=str(uuid.uuid4()))
        if status == 201:
            acknowledged("incident", title=title)
        return status is not None
    until_done(write)


def feed_poster():
    def write(n):
        lines = [json.dumps({"feed.name": "chaos", "classification.taxonomy": "vulnerable",
                             "classification.type": "vulnerable-system", "time.source": "2026-11-22T01:02:03+00:00",
                             "source.ip": f"198.51.100.{(n * 20 + i) % 250}", "source.port": n * 20 + i,
                             "extra.n": f"{uuid.uuid4()}"}) for i in range(20)]
        status, answer = send("POST", "/api/v1/feeds/events?feed=chaos&tlp=TLP:GREEN", "\n".join(lines).encode(),
                              "text/plain", key=str(uuid.uuid4()), token=ADMIN)
        if status == 201:
            acknowledged("feed", id=answer["id"], lines=len(lines))
        return status is not None
    until_done(write)


def taxii_poster():
    now = "2026-11-30T00:00:00.000Z"

    def write(n):
        objects = [{"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}", "created": now,
                    "modified": now, "object_marking_refs": [GREEN], "name": f"chaos {n}.{i}",
                    "pattern": f"[ipv4-addr:value = '203.0.113.{i}']", "pattern_type": "stix", "valid_from": now}
                   for i in range(5)]
        status, answer = send("POST", f"/taxii2/forum/collections/{FORUM}/objects/",
                              json.dumps({"objects": objects}).encode(), TAXII, accept=TAXII, key=str(uuid.uuid4()))
        if status == 202:
            acknowledged("taxii", status=answer["id"], objects=[o["id"] for o in objects])
        return status is not None
    until_done(write)


threads = [threading.Thread(target=reporter, args=(w,)) for w in range(3)]
threads += [threading.Thread(target=feed_poster), threading.Thread(target=taxii_poster)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
