#!/usr/bin/env python3
"""Report to mail, for scripts/bench-writes: reports COUNT incidents at RATE per second through the
API and times each from the moment its POST was sent to the moment its first mail lands at the
SMTP sink (Tests/support/smtp_sink.py writing DIR/<n>.eml; the incident's number is in the subject).
Prints the count, p50, p99 and the slowest, in seconds.

    bench-report-mail.py URL TOKEN DIR COUNT RATE
"""
import glob
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.request

URL, TOKEN, DIR, COUNT, RATE = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
NUMBER = re.compile(rb"^Subject: .*?(INC-\d{4}-\d{6})", re.MULTILINE)
sent, landed = {}, {}
done = threading.Event()


def watch():
    seen = set()
    while not done.is_set():
        for path in glob.glob(os.path.join(DIR, "*.eml")):
            if path in seen:
                continue
            seen.add(path)
            at = time.time()
            with open(path, "rb") as mail:
                match = NUMBER.search(mail.read())
            if match:
                landed.setdefault(match.group(1).decode(), at)
        time.sleep(0.01)


watcher = threading.Thread(target=watch)
watcher.start()
body = json.dumps({"title": "Scanning from 198.51.100.7", "classification": "information-gathering/scanner",
                   "tlp": "TLP:GREEN", "observables": [{"value": "198.51.100.7"}]}).encode()
start = time.time()
for n in range(COUNT):
    time.sleep(max(0.0, start + n / RATE - time.time()))
    request = urllib.request.Request(URL + "/api/v1/incidents", method="POST", data=body, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": "application/json", "Accept": "application/json"})
    at = time.time()
    with urllib.request.urlopen(request, timeout=30) as response:
        sent[json.loads(response.read())["number"]] = at
deadline = time.time() + 30
while time.time() < deadline and not all(number in landed for number in sent):
    time.sleep(0.05)
done.set()
watcher.join()
latencies = sorted(landed[number] - at for number, at in sent.items() if number in landed)
missing = len(sent) - len(latencies)
if len(latencies) < 2:
    sys.exit(f"only {len(latencies)} of {len(sent)} mails arrived")
p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
print(f"{len(sent)} reports, {missing} mails missing: p50 {statistics.median(latencies):.2f} s, "
      f"p99 {p99:.2f} s, slowest {latencies[-1]:.2f} s")
