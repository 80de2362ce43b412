#!/usr/bin/env python3
"""Generates IntelMQ-format events (one JSON object per line) over a Concord directory, for the
feed benchmark and for trying the import by hand.

    concord directory export --output directory.json
    scripts/generate-intelmq-events.py directory.json 1000000 events.jsonl [--seed 2026]

Most events carry an address inside some team's prefix; some only an AS number or a domain under a
team's suffix; a few an address no team holds (they go to triage); one line in a thousand is
malformed on purpose. The same seed gives the same file.
"""
import argparse
import ipaddress
import json
import random

CLASSIFICATIONS = [
    ("vulnerable", "vulnerable-system", "openresolver", "shadowserver-dns-open-resolvers"),
    ("vulnerable", "vulnerable-system", "open-memcached", "shadowserver-memcached"),
    ("intrusion-attempts", "brute-force", "ssh", "honeypot-ssh"),
    ("malicious-code", "infected-system", "mirai", "sinkhole-http-drone"),
    ("information-gathering", "scanner", "telnet", "darknet-scanners"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.directory) as f:
        teams = json.load(f)["teams"]
    prefixes = [ipaddress.ip_network(p) for t in teams for p in t["constituency"]["prefixes"]]
    prefixes4 = [p for p in prefixes if p.version == 4]
    prefixes6 = [p for p in prefixes if p.version == 6]
    asns = [a for t in teams for a in t["constituency"]["asns"]]
    domains = [d for t in teams for d in t["constituency"]["domains"]]
    nobody = ipaddress.ip_network("100.64.0.0/10")
    with open(args.output, "w") as out:
        for n in range(args.count):
            taxonomy, kind, identifier, feed = rng.choice(CLASSIFICATIONS)
            event = {
                "feed.name": feed,
                "feed.provider": "Concord benchmark",
                "classification.taxonomy": taxonomy,
                "classification.type": kind,
                "classification.identifier": identifier,
                "time.source": "2026-11-%02dT%02d:%02d:%02d+00:00"
                % (rng.randint(1, 21), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)),
                "source.port": rng.choice([22, 23, 53, 80, 443, 11211]),
                "extra.sequence": n,
            }
            draw = rng.random()
            if draw < 0.001:
                out.write('{"feed.name": "broken", "source.ip": \n')
                continue
            if draw < 0.80:
                network = rng.choice(prefixes4)
                event["source.ip"] = str(network[rng.randrange(network.num_addresses)])
            elif draw < 0.88 and prefixes6:
                network = rng.choice(prefixes6)
                event["source.ip"] = str(network[rng.randrange(min(network.num_addresses, 1 << 32))])
            elif draw < 0.93 and asns:
                event["source.asn"] = int(str(rng.choice(asns)).upper().removeprefix("AS"))
            elif draw < 0.98 and domains:
                event["source.fqdn"] = "host%d.%s" % (rng.randrange(1000), rng.choice(domains))
            else:
                event["source.ip"] = str(nobody[rng.randrange(nobody.num_addresses)])
            out.write(json.dumps(event, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
