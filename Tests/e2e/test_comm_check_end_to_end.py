"""A communication check across the demo forum, end to end, against a running `concord serve`
(see run.sh): every team's 24/7 contacts are challenged, mail goes out through the real SMTP
server, two teams answer through the API and exercise control records a call; when the window
closes the report names MonCIRT's expired key (the demo's) and the contact that never answers.
The window is about twenty seconds of wall time, whatever the server's clock speed (run.sh).
"""
import math
import os
import subprocess

from test_incident_end_to_end import BIN, api, demo_credentials, mails_to, wait_for

SILENT = "duty-desk@mocert.mo.example"


def test_a_check_finds_the_expired_key_and_the_silent_contact():
    admin, _ = demo_credentials()
    speed = float(os.environ.get("CONCORD_CLOCK_SPEED", "1"))
    window = max(1, math.ceil(20 * speed / 60))
    check = api("POST", "/comm-checks", admin, {"title": "Demo check", "windowMinutes": window})

    # Every challenged e-mail contact gets its mail; the silent one too (it just never answers).
    report = api("GET", f"/comm-checks/{check['id']}/report", admin)
    addresses = [c["address"] for t in report["teams"] for c in t["challenges"] if c["channel"] == "email"]
    assert SILENT in addresses and len(addresses) >= 25
    for address in (SILENT, "cert@sg.example", "cert@kr.example"):
        wait_for(lambda: mails_to(address, "[CHECK]"), 60, f"the check's mail to {address}")

    # SingCERT and KrCERT/CC answer through the API; exercise control records a call to JPCERT/CC.
    for email in ("handler@sg.example", "handler@kr.example"):
        token = subprocess.run([BIN, "token", "create", "--email", email, "--name", "check"], capture_output=True,
                               text=True, check=True).stdout.strip().splitlines()[-1]
        api("POST", f"/comm-checks/{check['id']}/answer", token)
    jpcert = next(t for t in report["teams"] if t["team"] == "jpcert-cc")
    phone = next(c for c in jpcert["challenges"] if c["channel"] == "manual")
    api("POST", f"/comm-checks/{check['id']}/challenges/{phone['id']}/call", admin)

    # After the window: the report.
    report = wait_for(lambda: (r := api("GET", f"/comm-checks/{check['id']}/report", admin))["closed"] and r,
                      window * 60 / speed + 30, "the end of the check's window")
    by_address = {c["address"]: c for t in report["teams"] for c in t["challenges"]}
    assert by_address[SILENT]["answered"] is False
    assert "no answer" in by_address[SILENT]["findings"] and "no OpenPGP key" in by_address[SILENT]["findings"]
    moncirt = next(t for t in report["teams"] if t["team"] == "moncirt")
    findings = [f for c in moncirt["challenges"] for f in c["findings"]]
    assert "key expired" in findings, findings
    assert by_address["cert@sg.example"]["answeredVia"] == "api" and by_address["cert@sg.example"]["answered"]
    assert phone["address"] in by_address and by_address[phone["address"]]["answeredVia"] == "manual"
    figures = report["figures"]
    assert figures["answered"] >= 3 and figures["reachableTeams"] >= 3
    assert figures["reachabilityPercent"] == round(figures["answered"] * 1000 / figures["challenges"]) / 10
    techcert = [f for t in report["teams"] if t["team"] == "techcert" for c in t["challenges"] for f in c["findings"]]
    assert "key expires within 30 days" in techcert, techcert
    history = api("GET", "/comm-checks/teams/moncirt/history", admin)
    assert history[0]["check"] == check["id"] and "key expired" in history[0]["findings"]
