"""MISP both ways with the real pymisp: an event pymisp writes imports as STIX, and the MISP feed
Concord exports loads in pymisp.MISPEvent with its attributes intact."""
import hashlib
import json
import os
import urllib.error
import urllib.request

from pymisp import MISPEvent

BASE = os.environ["CONCORD_INTEROP_BASE"]
TOKEN = os.environ["CONCORD_INTEROP_TOKEN"]
OTHER = os.environ["CONCORD_INTEROP_OTHER"]


def call(method, path, body=None, token=TOKEN, raw=False):
    request = urllib.request.Request(
        BASE + "/api/v1" + path, method=method, data=None if body is None else body.encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        data = response.read()
        return data.decode() if raw else json.loads(data)


def made_by_pymisp(tlp):
    event = MISPEvent()
    event.info = f"Phishing wave ({tlp})"
    event.distribution = 1
    event.add_tag(f"tlp:{tlp}")
    event.add_attribute("ip-dst", "198.51.100.77", to_ids=True, category="Network activity")
    event.add_attribute("domain", "login.bank.sg.example", to_ids=True, category="Network activity")
    event.add_attribute("url", "http://login.bank.sg.example/verify.php", to_ids=False, category="Network activity")
    event.add_attribute("email-src", "billing@bank.sg.example", to_ids=False, category="Payload delivery")
    event.add_attribute("comment", "seen by three teams")  # not shared: no observable
    sample = event.add_object(name="file")
    sample.add_attribute("sha256", value="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    sample.add_attribute("filename", value="invoice.pdf.exe")
    return event


def feed_event(uuid, token=TOKEN):
    loaded = MISPEvent()
    loaded.load(call("GET", f"/sharing/misp-feed/{uuid}.json", token=token))
    return loaded


def test_a_pymisp_event_imports_and_comes_back_through_the_feed():
    original = made_by_pymisp("green")
    imported = call("POST", "/sharing/misp-events", original.to_json())
    assert imported["label"] == "TLP:GREEN"
    assert imported["skipped"] == ["comment seen by three teams", "filename invoice.pdf.exe"]
    uuid = imported["report"].split("--")[1]
    assert uuid == original.uuid  # the event keeps its uuid as the report's

    manifest = call("GET", "/sharing/misp-feed/manifest.json")
    assert manifest[uuid]["info"] == original.info
    assert [t["name"] for t in manifest[uuid]["Tag"]] == ["tlp:green"]
    loaded = feed_event(uuid)
    assert loaded.info == original.info and loaded.uuid == original.uuid
    everything = original.attributes + [a for o in original.objects for a in o.attributes]
    expected = {(a.type, a.value, a.to_ids) for a in everything if a.type not in ("comment", "filename")}
    assert len(expected) == 5
    got = {(a.type, a.value, a.to_ids) for a in loaded.attributes}
    assert got == expected
    originals = {a.value: a.uuid for a in everything}
    assert all(originals.get(a.value, a.uuid) == a.uuid for a in loaded.attributes)  # attribute uuids kept

    hashes = call("GET", "/sharing/misp-feed/hashes.csv", raw=True).splitlines()
    for attribute in loaded.attributes:
        assert f"{hashlib.md5(attribute.value.encode()).hexdigest()},{uuid}" in hashes


def test_the_feed_holds_only_what_the_reader_may_see():
    amber = made_by_pymisp("amber")
    imported = call("POST", "/sharing/misp-events", amber.to_json())
    assert imported["label"] == "TLP:AMBER"
    uuid = imported["report"].split("--")[1]
    assert uuid in call("GET", "/sharing/misp-feed/manifest.json")
    others = call("GET", "/sharing/misp-feed/manifest.json", token=OTHER)
    assert uuid not in others  # SingCERT's own collection: MyCERT does not read it
    try:
        call("GET", f"/sharing/misp-feed/{uuid}.json", token=OTHER)
        raise AssertionError("MyCERT read SingCERT's AMBER event")
    except urllib.error.HTTPError as refused:
        assert refused.code == 404
