#!/usr/bin/env python3
"""A small TAXII load client for scripts/bench-taxii: the same code measures Concord and medallion.

  load URL USER PASSWORD SECONDS THREADS [TIMEOUT]
                                           GET one URL again and again from THREADS threads for
                                           SECONDS; prints requests/s, p95 and mean latency (ms);
                                           a request slower than TIMEOUT seconds (default 600)
                                           ends the run and is reported
  walk URL USER PASSWORD PAGES             follow `next` from the first page for PAGES pages; prints
                                           the latency of each tenth of the walk
  post URL USER PASSWORD FILE              POST an envelope file and wait for its status to be
                                           complete; prints seconds and objects/s
"""
import base64
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse

ACCEPT = "application/taxii+json;version=2.1"


def connect(url, timeout=600):
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout), parts


def headers(user, password, content=False):
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    result = {"Accept": ACCEPT, "Authorization": "Basic " + token}
    if content:
        result["Content-Type"] = ACCEPT
    return result


def fetch(connection, path, head):
    connection.request("GET", path, headers=head)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}: {body[:300]!r}")
    return body


def load(url, user, password, seconds, threads, timeout=600):
    latencies, lock, timeouts = [], threading.Lock(), []
    deadline = time.time() + float(seconds)

    def worker():
        connection, parts = connect(url, float(timeout))
        path = parts.path + ("?" + parts.query if parts.query else "")
        head = headers(user, password)
        mine = []
        try:
            while time.time() < deadline:
                start = time.perf_counter()
                fetch(connection, path, head)
                mine.append(time.perf_counter() - start)
        except TimeoutError:
            timeouts.append(float(timeout))
        with lock:
            latencies.extend(mine)

    started = time.time()
    pool = [threading.Thread(target=worker) for _ in range(int(threads))]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.time() - started
    latencies.sort()
    if not latencies:
        print(json.dumps({"requests": 0, "no_answer_within_s": float(timeout)}))
        return
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(json.dumps({"requests": len(latencies), "rps": len(latencies) / elapsed, "timeouts": len(timeouts),
                      "p95_ms": p95 * 1000, "mean_ms": statistics.mean(latencies) * 1000}))


def walk(url, user, password, pages):
    connection, parts = connect(url)
    head = headers(user, password)
    nxt, timings = None, []
    for _ in range(int(pages)):
        query = parts.query + (("&next=" + urllib.parse.quote(nxt)) if nxt else "")
        start = time.perf_counter()
        page = json.loads(fetch(connection, parts.path + "?" + query, head))
        timings.append((time.perf_counter() - start) * 1000)
        nxt = page.get("next")
        if not page.get("more"):
            break
    tenth = max(1, len(timings) // 10)
    print(json.dumps({"pages": len(timings), "next": nxt,
                      "ms_by_tenth": [round(statistics.median(timings[i:i + tenth]), 1)
                                      for i in range(0, len(timings), tenth)]}))


def post(url, user, password, path):
    connection, parts = connect(url)
    body = open(path, "rb").read()
    count = len(json.loads(body)["objects"])
    start = time.perf_counter()
    connection.request("POST", parts.path, body=body, headers=headers(user, password, content=True))
    response = connection.getresponse()
    status = json.loads(response.read())
    if response.status != 202:
        raise SystemExit(f"POST answered {response.status}: {status}")
    root = parts.path.split("/collections/")[0]
    while status.get("status") != "complete":
        time.sleep(0.05)
        status = json.loads(fetch(connection, f"{root}/status/{status['id']}/", headers(user, password)))
    seconds = time.perf_counter() - start
    print(json.dumps({"objects": count, "seconds": seconds, "objects_per_s": count / seconds,
                      "successes": status.get("success_count")}))


if __name__ == "__main__":
    {"load": load, "walk": walk, "post": post}[sys.argv[1]](*sys.argv[2:])
