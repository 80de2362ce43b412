"""The drill of issue 6, end to end, against a running `concord serve` whose drill clock runs 240
times faster than the wall clock (see run.sh): the shipped three-inject scenario
(scenarios/regional-c2-2026) with its five demo teams.

Every team's emergency address receives the first inject as mail through the real SMTP server,
encrypted to the team's own key and signed by the forum. SingCERT, JPCERT/CC and ThaiCERT answer
every inject in time, KrCERT/CC answers late, MyCERT never; SingCERT hands the third inject over to
KrCERT/CC. The board and the after-action report show exactly that, and the report renders in
headless Chromium (a screenshot that is not blank).
"""
import base64
import json
import os
import pathlib
import subprocess
import re
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_incident_end_to_end import (BASE, BIN, OUTPUT, Keyring, api, browser, demo_credentials, gpg, mails_to,
                                      plain_text, wait_for)

SCENARIO = pathlib.Path("scenarios/regional-c2-2026")
TEAMS = ["singcert", "jpcert-cc", "krcert-cc", "mycert", "thaicert"]
IN_TIME = ["singcert", "jpcert-cc", "thaicert"]
__all__ = ["browser"]  # the fixture


def token_of(email):
    return subprocess.run([BIN, "token", "create", "--email", email, "--name", "drill"], capture_output=True,
                          text=True, check=True).stdout.strip().splitlines()[-1]


def test_a_drill_on_an_accelerated_clock(browser):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    admin, passwords = demo_credentials()
    forum_key = api("GET", "/forum-key", admin)

    # Each team's emergency contact carries a key the test holds.
    keys, addresses = {}, {}
    for slug in TEAMS:
        contact = next(c for c in api("GET", f"/teams/{slug}/contacts", admin) if c["kind"] == "emergency-email")
        addresses[slug] = contact["value"]
        keys[slug] = Keyring(contact["value"])
        assert gpg(keys[slug].home, "--import", data=forum_key["publicKey"].encode()).returncode == 0
        api("PATCH", f"/teams/{slug}/contacts/{contact['id']}", admin, {"pgpKey": keys[slug].public})
    tokens = {slug: token_of(f"handler@{addresses[slug].split('@')[1]}") for slug in TEAMS}

    # The secretariat adds the scenario to the library and plans the drill to start now.
    source = (SCENARIO / "scenario.yaml").read_text()
    files = {"firewall.log": base64.b64encode((SCENARIO / "firewall.log").read_bytes()).decode()}
    scenario = api("POST", "/drill-scenarios", admin, {"source": source, "files": files})
    assert scenario["summary"].endswith("3 injects (1 email, 1 incident, 1 web) for 5 teams over 4h")
    drill = api("POST", "/drills", admin, {"scenario": scenario["id"], "startsInSeconds": 0})["id"]

    def board():
        return api("GET", f"/drills/{drill}/board", admin)

    def cell(slug, inject):
        row = next(r for r in board()["teams"] if r["team"] == slug)
        return next((c for c in row["cells"] if c["inject"] == inject), None)

    def respond(slug, inject, kind, **extra):
        return api("POST", f"/drills/{drill}/responses", tokens[slug], {"inject": inject, "kind": kind, **extra})

    # The first inject: the three answer as soon as it is out (their deadline is 7.5 s of wall time).
    wait_for(lambda: cell("singcert", "first-warning")["state"] != "pending", 60, "the first inject")
    for slug in ("singcert", "thaicert"):
        assert respond(slug, "first-warning", "acknowledge")["outcome"] == "satisfied"
    # JPCERT/CC answers by mail, signed with its key; exercise control's mailbox hands the reply in.
    subject = "Re: [DRILL] [TLP:AMBER] Beaconing to a known C2 server seen from Japan"
    signed = gpg(keys["jpcert-cc"].home, "--passphrase", "", "--pinentry-mode", "loopback", "--clearsign",
                 data=b"Received, we are looking into it.\n").stdout.decode()
    reply = f"From: JPCERT/CC <{addresses['jpcert-cc']}>\r\nSubject: {subject}\r\n\r\n{signed}"
    request = urllib.request.Request(BASE + f"/api/v1/drills/{drill}/replies", method="POST", data=reply.encode(),
                                     headers={"Authorization": "Bearer " + admin, "Content-Type": "text/plain"})
    with urllib.request.urlopen(request) as response:
        action = json.loads(response.read())
    assert action["signed"] and action["outcome"] == "satisfied"
    # It reached every team as mail, encrypted to the team's key, signed by the forum, marked.
    for slug in TEAMS:
        mail = wait_for(lambda: mails_to(addresses[slug], "[DRILL]"), 60, f"the drill mail to {slug}")[0]
        assert re.search(r"^Subject: \[DRILL\] \[TLP:AMBER\] Beaconing to a known C2 server seen from ", mail, re.M)
        armored = re.search(r"-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----", mail, re.S).group(0)
        status, entity = keys[slug].decrypt(armored.replace("\r\n", "\n"))
        assert "DECRYPTION_OKAY" in status and f"VALIDSIG {forum_key['fingerprint']}" in status, status
        text = plain_text(entity)
        assert text.startswith("*** EXERCISE EXERCISE EXERCISE") and "203.0.113.50" in text
    # KrCERT/CC answers once its deadline has passed; MyCERT never does.
    wait_for(lambda: cell("krcert-cc", "first-warning")["state"] == "overdue", 60, "KrCERT/CC's deadline")
    respond("krcert-cc", "first-warning", "acknowledge")

    # The firewall log in the web inbox: the three report the address in time, KrCERT/CC late.
    wait_for(lambda: cell("singcert", "firewall-log")["state"] != "pending", 60, "the second inject")
    for slug in IN_TIME:
        assert respond(slug, "firewall-log", "report-incident", observables=["203.0.113.50"])["outcome"] == "satisfied"
    wait_for(lambda: cell("krcert-cc", "firewall-log")["state"] == "overdue", 60, "KrCERT/CC's second deadline")
    respond("krcert-cc", "firewall-log", "report-incident", observables=["203.0.113.50", "192.0.2.10"])

    # The handover: SingCERT finds the team responsible for 198.51.100.20 and hands over.
    wait_for(lambda: cell("singcert", "hand-over")["state"] != "pending", 90, "the third inject")
    lookup = api("GET", "/lookup?ip=198.51.100.20", tokens["singcert"])
    assert lookup["matches"][0]["team"]["slug"] == "krcert-cc"
    try:
        respond("mycert", "hand-over", "acknowledge")
        raise AssertionError("MyCERT did not receive the handover inject")
    except urllib.error.HTTPError as error:
        assert error.code == 404
    assert respond("singcert", "hand-over", "hand-over", team="krcert-cc")["outcome"] == "satisfied"

    # The drill ends after four hours of drill time; the board says exactly what happened.
    wait_for(lambda: board()["state"] == "finished", 150, "the end of the drill")
    states = {row["team"]: {c["inject"]: c["state"] + (" late" if c["late"] else "") for c in row["cells"]}
              for row in board()["teams"]}
    assert states == {
        "singcert": {"first-warning": "completed", "firewall-log": "completed", "hand-over": "completed"},
        "jpcert-cc": {"first-warning": "completed", "firewall-log": "completed"},
        "thaicert": {"first-warning": "completed", "firewall-log": "completed"},
        "krcert-cc": {"first-warning": "completed late", "firewall-log": "completed late"},
        "mycert": {"first-warning": "overdue", "firewall-log": "overdue"},
    }, states

    report = api("GET", f"/drills/{drill}/report", admin)
    figures = report["figures"]
    assert (figures["invitedTeams"], figures["economies"], figures["participatingTeams"]) == (5, 5, 4)
    assert figures["participationPercent"] == 80
    assert figures["acknowledgedWithin"]["15"] == 60 and figures["acknowledgedWithin"]["60"] == 80
    assert (figures["expectedResponses"], figures["completedInTime"], figures["completedLate"], figures["overdue"]) \
        == (11, 7, 2, 2)
    assert sorted((o["team"], o["inject"]) for o in report["overdue"]) == [("mycert", "firewall-log"),
                                                                         ("mycert", "first-warning")]
    assert "SingCERT: hand-over on hand-over (satisfied)" in [e["text"] for e in report["timeline"]]
    assert figures["signedAnswers"] == 1 and figures["answers"] == 9
    # A player's report holds its own team's times only.
    theirs = api("GET", f"/drills/{drill}/report", tokens["krcert-cc"])
    assert [t["team"] for t in theirs["teams"]] == ["krcert-cc"] and theirs["figures"] == figures

    # The printable report in headless Chromium, as the secretariat sees it.
    wait = WebDriverWait(browser, 20)
    browser.get(BASE + "/login")
    browser.find_element(By.ID, "email").send_keys("admin@concord.example")
    demo = (pathlib.Path(os.environ["CONCORD_E2E_DATA"]) / "demo.txt").read_text()
    one_time = re.search(r"one-time password:\s+(\S+)", demo).group(1)
    browser.find_element(By.ID, "password").send_keys(one_time)
    browser.find_element(By.ID, "login").click()
    # The demo's password is one-time: the first login chooses the admin's own.
    wait.until(EC.presence_of_element_located((By.ID, "change-password")))
    for field, value in (("current", one_time), ("new", "the secretariat's own passphrase"),
                         ("confirm", "the secretariat's own passphrase")):
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.ID, "change-password").click()
    # Until the change is answered the session still holds the one-time password: wait for it.
    wait.until(lambda b: "/account/password" not in b.current_url)
    wait.until(EC.presence_of_element_located((By.ID, "nav-drills")))
    browser.get(BASE + f"/drills/{drill}/report")
    wait.until(EC.presence_of_element_located((By.ID, "figures")))
    assert browser.find_element(By.ID, "fig-participation").text == "80.0%"
    for chart in ("chart-acknowledge", "chart-completion"):
        width = browser.execute_script(f"return document.getElementById('{chart}').naturalWidth")
        assert width == 760, f"{chart} did not render"
    assert "MyCERT" in browser.find_element(By.ID, "report-teams").text
    shot = OUTPUT / "drill-report.png"
    assert browser.save_screenshot(str(shot))
    png = shot.read_bytes()
    assert len(png) > 30_000, "a blank page compresses to almost nothing"
    # The live board page of exercise control shows the same states.
    browser.get(BASE + f"/drills/{drill}")
    overdue = wait.until(EC.presence_of_element_located((By.ID, "cell-mycert-first-warning")))
    assert overdue.text == "overdue"
    assert browser.find_element(By.ID, "cell-krcert-cc-first-warning").text == "completed (late)"
