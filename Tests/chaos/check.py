"""The check after a chaos trial's restart: every write in the ledger is there, once.

    python check.py BASE HANDLER_TOKEN ADMIN_TOKEN LEDGER
"""
import collections
import json
import sys
import urllib.request

BASE, HANDLER, ADMIN, LEDGER = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
FORUM = "1f0c8a52-5b2c-4c1e-9a57-0c0ec0c0f0a1"
TAXII = "application/taxii+json;version=2.1"


def get(path, accept="application/json", token=HANDLER):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + token, "Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read()), response.headers.get("Link")


entries = [json.loads(line) for line in open(LEDGER)]
failures = []

titles, path = [], "/api/v1/incidents?limit=1000"
while path:
    page, link = get(path)
    titles += [i["title"] for i in page]
    path = link.split(">")[0].lstrip("<") if link and 'rel="next"' in link else None
stored = collections.Counter(titles)
for entry in (e for e in entries if e["kind"] == "incident"):
    if stored[entry["title"]] != 1:
        failures.append(f"incident {entry['title']!r} stored {stored[entry['title']]} times")
failures += [f"incident {t!r} stored {n} times" for t, n in stored.items() if n > 1 and t.startswith("chaos ")]

for entry in (e for e in entries if e["kind"] == "feed"):
    report, _ = get(f"/api/v1/feeds/imports/{entry['id']}", token=ADMIN)
    if report["lines"] != entry["lines"] or report["stored"] + report["duplicates"] != entry["lines"]:
        failures.append(f"feed import {entry['id']}: {report}")

for entry in (e for e in entries if e["kind"] == "taxii"):
    status, _ = get(f"/taxii2/forum/status/{entry['status']}/", TAXII)
    if status["status"] != "complete" or status["success_count"] != len(entry["objects"]):
        failures.append(f"TAXII status {entry['status']}: {status['status']}, {status.get('success_count')} stored")
    for stix_id in entry["objects"]:
        envelope, _ = get(f"/taxii2/forum/collections/{FORUM}/objects/{stix_id}/", TAXII)
        if len(envelope.get("objects", [])) != 1:
            failures.append(f"TAXII object {stix_id} missing")

kinds = collections.Counter(e["kind"] for e in entries)
print(f"acknowledged: {kinds['incident']} incidents, {kinds['feed']} feed posts, {kinds['taxii']} TAXII envelopes;"
      f" {len(failures)} missing or doubled")
for failure in failures[:20]:
    print("  " + failure)
sys.exit(1 if failures else 0)
