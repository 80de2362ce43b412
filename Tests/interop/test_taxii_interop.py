"""The OASIS taxii2-client walks Concord's TAXII 2.1 server, and every object Concord serves passes
the OASIS stix2-validator without errors."""
import json
import os
import urllib.request
import uuid

import pytest
import requests
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import Server, as_pages

BASE = os.environ["CONCORD_INTEROP_BASE"]
TOKEN = os.environ["CONCORD_INTEROP_TOKEN"]
OTHER = os.environ["CONCORD_INTEROP_OTHER"]
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
FORUM = "1f0c8a52-5b2c-4c1e-9a57-0c0ec0c0f0a1"
NOW = "2026-11-30T00:00:00.000Z"


def sdo(kind, marking=GREEN, **properties):
    return {"type": kind, "spec_version": "2.1", "id": f"{kind}--{uuid.uuid4()}", "created": NOW, "modified": NOW,
            "object_marking_refs": [marking], **properties}


def shared_objects():
    """A forum's day of sharing: indicators and what they indicate, an observation, a report."""
    identity = sdo("identity", name="SingCERT", identity_class="organization")
    by = {"created_by_ref": identity["id"]}
    malware = sdo("malware", name="Mirai variant", is_family=True, malware_types=["bot"], **by)
    indicators = [
        sdo("indicator", name=f"C2 198.51.100.{n}", pattern=f"[ipv4-addr:value = '198.51.100.{n}']",
            pattern_type="stix", valid_from=NOW, indicator_types=["malicious-activity"], **by)
        for n in range(40)
    ]
    address = {"type": "ipv4-addr", "spec_version": "2.1", "id": f"ipv4-addr--{uuid.uuid5(uuid.NAMESPACE_URL, 'x')}",
               "value": "203.0.113.9", "object_marking_refs": [GREEN]}
    observed = sdo("observed-data", first_observed=NOW, last_observed=NOW, number_observed=12,
                   object_refs=[address["id"]], **by)
    relations = [sdo("relationship", relationship_type="indicates", source_ref=i["id"], target_ref=malware["id"], **by)
                 for i in indicators[:5]]
    others = [
        sdo("vulnerability", name="CVE-2026-0001", **by),
        sdo("attack-pattern", name="Brute force", **by),
        sdo("campaign", name="Winter scans", **by),
        sdo("course-of-action", name="Block the C2 addresses", **by),
        sdo("sighting", sighting_of_ref=indicators[0]["id"], count=3, **by),
        sdo("note", content="Seen from three economies", object_refs=[malware["id"]], **by),
    ]
    report = sdo("report", name="Botnet C2 in the region", published=NOW, report_types=["threat-report"],
                 object_refs=[malware["id"]] + [i["id"] for i in indicators[:3]], **by)
    return [identity, malware, *indicators, address, observed, *relations, *others, report]


@pytest.fixture(scope="module")
def api_root():
    server = Server(BASE + "/taxii2/", user="handler@sg.example", password=TOKEN)
    assert server.title == "Concord TAXII 2.1"
    assert len(server.api_roots) == 1 and server.default.url == server.api_roots[0].url
    root = server.api_roots[0]
    assert "application/taxii+json;version=2.1" in root.versions
    return root


@pytest.fixture(scope="module")
def forum(api_root):
    collection = next(c for c in api_root.collections if c.id == FORUM)
    assert collection.can_read and collection.can_write
    return collection


@pytest.fixture(scope="module")
def added(forum):
    objects = shared_objects()
    status = forum.add_objects(json.dumps({"objects": objects}), wait_for_completion=True, poll_interval=0.2)
    assert status.status == "complete"
    assert status.success_count == len(objects) and status.failure_count == 0, status.failures
    return objects


def walk(method, per_request, **filters):
    found = []
    for envelope in as_pages(method, per_request=per_request, **filters):
        objects = envelope.get("objects", [])
        if envelope.get("more"):
            assert len(objects) == per_request and envelope.get("next")
        found += objects
    return found


def test_collections_are_the_teams_own_and_the_forums(api_root):
    ids = [c.id for c in api_root.collections]
    assert ids[0] == FORUM and len(ids) == 2  # the forum's and SingCERT's own; no other team's
    own = api_root.collections[1]
    assert own.title == "SingCERT" and own.can_write


@pytest.mark.parametrize("per_request", [1, 7, 1000])
def test_get_objects_pages_through_everything_once(forum, added, per_request):
    objects = walk(forum.get_objects, per_request)
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids))
    assert {o["id"] for o in added} <= set(ids)


@pytest.mark.parametrize("per_request", [1, 7, 1000])
def test_manifest_pages_and_names_every_version(forum, added, per_request):
    records = walk(forum.get_manifest, per_request)
    assert {o["id"] for o in added} <= {r["id"] for r in records}
    assert all(r["media_type"] == "application/stix+json;version=2.1" for r in records)
    assert [r["date_added"] for r in records] == sorted(r["date_added"] for r in records)


def test_objects_equal_the_manifest(forum, added):
    """What sync tools compare as strings: each object's `modified` is its manifest version, the
    objects come in the manifest's date_added order, and the versions are the posted texts."""
    objects = walk(forum.get_objects, 1000)
    records = walk(forum.get_manifest, 1000)
    assert [o["id"] for o in objects] == [r["id"] for r in records]
    served = {o["id"]: o.get("modified", o.get("created")) for o in objects}
    assert all(r["version"] == served[r["id"]] for r in records if served[r["id"]] is not None)
    for sent in added[:5]:
        assert forum.object_versions(sent["id"])["versions"] == [sent["modified"]]
        # any precision matches the same version
        six = sent["modified"].replace("Z", "000Z") if len(sent["modified"]) == 24 else sent["modified"]
        assert [o["id"] for o in forum.get_object(sent["id"], version=six)["objects"]] == [sent["id"]]


def test_filters_narrow_the_walk(forum, added):
    indicators = walk(forum.get_objects, 7, type="indicator")
    assert {o["type"] for o in indicators} == {"indicator"}
    assert len(indicators) >= 40


def test_object_versions_and_delete(forum, added):
    malware = next(o for o in added if o["type"] == "malware")
    newer = dict(malware, modified="2026-11-30T06:00:00.000Z", description="now with a C2 list")
    status = forum.add_objects(json.dumps({"objects": [newer]}), wait_for_completion=True, poll_interval=0.2)
    assert status.success_count == 1
    latest = forum.get_object(malware["id"])["objects"]
    assert [o["modified"] for o in latest] == ["2026-11-30T06:00:00.000Z"]
    versions = forum.object_versions(malware["id"])["versions"]
    assert versions == [malware["modified"], "2026-11-30T06:00:00.000Z"]  # as posted, character for character
    every = forum.get_object(malware["id"], version="all")["objects"]
    assert len(every) == 2

    doomed = next(o for o in added if o["type"] == "campaign")
    forum.delete_object(doomed["id"])
    with pytest.raises(Exception) as refused:
        forum.get_object(doomed["id"])
    assert "404" in str(refused.value)


def test_another_team_cannot_delete_or_version(api_root, added):
    server = Server(BASE + "/taxii2/", user="handler@my.example", password=OTHER)
    forum = next(c for c in server.api_roots[0].collections if c.id == FORUM)
    target = next(o for o in added if o["type"] == "vulnerability")
    with pytest.raises(Exception) as refused:
        forum.delete_object(target["id"])
    assert "403" in str(refused.value)
    status = forum.add_objects(json.dumps({"objects": [dict(target, modified="2026-12-01T00:00:00.000Z")]}),
                               wait_for_completion=True, poll_interval=0.2)
    assert status.failure_count == 1 and "creator" in status.failures[0]["message"]


def test_the_forum_collection_refuses_amber(forum):
    status = forum.add_objects(json.dumps({"objects": [sdo("campaign", marking=AMBER, name="Private")]}),
                               wait_for_completion=True, poll_interval=0.2)
    assert status.failure_count == 1 and "TLP:AMBER" in status.failures[0]["message"]


def api(method, path, body=None):
    request = urllib.request.Request(
        BASE + "/api/v1" + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_a_shared_incident_names_its_observables_as_every_stix_producer_does(forum):
    number = api("POST", "/incidents", {
        "title": "Phishing kit", "classification": "fraud/phishing", "tlp": "TLP:GREEN",
        "observables": [{"value": "198.51.100.110"}, {"value": "login.bank.sg.example"},
                        {"value": "AS64500"}, {"value": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}],
    })["number"]
    shared = api("POST", f"/incidents/{number}/share")
    objects = {o["id"]: o for o in walk(forum.get_objects, 1000)}
    report = objects[shared["report"]]
    assert report["name"].startswith(number) and report["external_references"][0]["external_id"] == number
    namespace = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
    scos = [o for o in objects.values() if o["type"] in ("ipv4-addr", "domain-name", "autonomous-system", "file")
            and o["id"] in report["object_refs"]]
    assert len(scos) == 4
    for sco in scos:
        contributing = {k: v for k, v in sco.items() if k in ("value", "number", "hashes")}
        expected = uuid.uuid5(namespace, json.dumps(contributing, sort_keys=True, separators=(",", ":")))
        assert sco["id"] == f"{sco['type']}--{expected}"


def test_every_served_object_passes_the_stix2_validator(forum, api_root, added):
    served = walk(forum.get_objects, 1000, version="all") + walk(api_root.collections[1].get_objects, 1000)
    assert served
    options = ValidationOptions(version="2.1")
    for obj in served:
        result = validate_instance(obj, options)
        assert result.is_valid, (obj["id"], [str(e) for e in result.errors])


def test_bad_requests_get_taxii_errors(forum):
    with pytest.raises(requests.HTTPError) as refused:
        forum.get_objects(next="not-a-cursor")
    error = refused.value.response
    assert error.status_code == 400 and error.json()["http_status"] == "400"
    assert error.headers["Content-Type"] == "application/taxii+json;version=2.1"
