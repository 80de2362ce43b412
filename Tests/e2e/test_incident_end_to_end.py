"""The incident scenario of issue 3, end to end, against a running `concord serve` (see run.sh):

A SingCERT handler reports, in the browser, an incident with three observables in three teams'
constituencies (KrCERT/CC, MyCERT, CERT Australia). Each team's emergency address receives mail
that its own OpenPGP key decrypts and whose signature is the forum's. KrCERT/CC acknowledges by the
link in its mail, CERT Australia through the API, MyCERT (which promises one minute) misses its
deadline and is escalated to its next channel. The reporter closes the incident, and the timeline
shows every step.
"""
import base64
import json
import os
import pathlib
import re
import ssl
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["CONCORD_E2E_BASE"]
BIN = os.environ["CONCORD_E2E_BIN"]
DATA = pathlib.Path(os.environ["CONCORD_E2E_DATA"])
MAIL = DATA / "mail"
OUTPUT = pathlib.Path(os.environ.get("CONCORD_TEST_OUTPUT", "test-output"))
# Through the balancer of the multi-instance lane (Tests/multi/run.sh) TLS ends at HAProxy, with a
# certificate made for the run.
INSECURE_TLS = os.environ.get("CONCORD_E2E_INSECURE_TLS") == "1"
TLS = ssl._create_unverified_context() if INSECURE_TLS else None
TEAMS = {  # slug: (observable, emergency address)
    "krcert-cc": ("198.51.100.5", "cert@kr.example"),
    "mycert": ("198.51.100.40", "cert@my.example"),
    "cert-australia": ("192.0.2.1", "cert@au.example"),
}


def demo_credentials():
    text = (DATA / "demo.txt").read_text()
    token = re.search(r"API token:\s+(\S+)", text).group(1)
    passwords = dict(re.findall(r"^\s+(handler@\S+)\s+(\S+)$", text, re.M))
    return token, passwords


def api(method, path, token, body=None):
    request = urllib.request.Request(
        BASE + "/api/v1" + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=TLS) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def gpg(home, *args, data=None):
    run = subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--no-tty", *args], input=data, capture_output=True, check=False)
    return run


class Keyring:
    """A team's own key pair in its own GnuPG home."""

    def __init__(self, email):
        self.home = tempfile.mkdtemp(prefix="concord-e2e-key-")
        os.chmod(self.home, 0o700)
        made = gpg(self.home, "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key",
                   f"Duty desk <{email}>", "future-default", "default", "1y")
        assert made.returncode == 0, made.stderr
        self.public = gpg(self.home, "--armor", "--export", email).stdout.decode()

    def decrypt(self, armored):
        run = gpg(self.home, "--status-fd", "2", "--decrypt", data=armored.encode())
        return run.stderr.decode(), run.stdout.decode()


def wait_for(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def mails_to(address, about):
    """The mails delivered to `address` whose subject names `about`: the demo's sensors mail surges
    to the same teams while the scenario runs, in an order nobody controls."""
    found = []
    for rcpt in sorted(MAIL.glob("*.rcpt")):
        if address in rcpt.read_text().split("\n"):
            mail = rcpt.with_suffix(".eml").read_text()
            subject = re.search(r"^Subject: (.*)$", mail, re.M)
            if subject and about in subject.group(1):
                found.append(mail)
    return found


def plain_text(entity):
    head, _, body = entity.replace("\r\n", "\n").partition("\n\n")
    if "Content-Transfer-Encoding: base64" in head:
        return base64.b64decode(body).decode()
    return body


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400"):
        options.add_argument(flag)
    if INSECURE_TLS:
        options.add_argument("--ignore-certificate-errors")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def test_report_notify_acknowledge_escalate_close(browser):
    wait = WebDriverWait(browser, 20)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    admin, passwords = demo_credentials()
    forum_key = api("GET", "/forum-key", admin)

    # Each team publishes its own key on its emergency contact; MyCERT promises one minute.
    keys = {}
    for slug, (_, address) in TEAMS.items():
        keys[slug] = Keyring(address)
        imported = gpg(keys[slug].home, "--import", data=forum_key["publicKey"].encode())
        assert imported.returncode == 0
        contact = next(c for c in api("GET", f"/teams/{slug}/contacts", admin) if c["value"] == address)
        api("PATCH", f"/teams/{slug}/contacts/{contact['id']}", admin, {"pgpKey": keys[slug].public})
    api("PATCH", "/teams/mycert", admin, {"acknowledgementMinutes": 1})

    # The SingCERT handler reports in the browser, after the routing preview.
    browser.get(BASE + "/login")
    browser.find_element(By.ID, "email").send_keys("handler@sg.example")
    browser.find_element(By.ID, "password").send_keys(passwords["handler@sg.example"])
    browser.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "nav-incidents")))  # logged in: the header has the menu
    browser.get(BASE + "/incidents/new")
    wait.until(EC.presence_of_element_located((By.ID, "title"))).send_keys("Botnet C2 servers in three economies")
    Select(browser.find_element(By.ID, "classification")).select_by_value("malicious-code/c2-server")
    Select(browser.find_element(By.ID, "tlp")).select_by_value("TLP:AMBER")
    browser.find_element(By.ID, "observables").send_keys("\n".join(o for o, _ in TEAMS.values()))
    browser.find_element(By.ID, "description").send_keys("Beaconing seen from our networks; please take them down.")
    browser.find_element(By.ID, "preview").click()
    routed = wait.until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, ".routed-team")))
    assert len(routed) == 3, [r.text for r in routed]
    assert "198.51.100.40 in 198.51.100.32/27 of MyCERT" in browser.page_source
    browser.find_element(By.ID, "report").click()
    wait.until(EC.presence_of_element_located((By.ID, "incident-number")))
    number = browser.current_url.rsplit("/", 1)[1]
    assert re.fullmatch(r"INC-\d{4}-\d{6}", number)

    # Every team's mail: encrypted to its key, signed by the forum, about this incident.
    links = {}
    for slug, (_, address) in TEAMS.items():
        mail = wait_for(lambda: mails_to(address, number), 30, f"mail to {address}")[0]
        assert "multipart/encrypted" in mail  # the subject names the number only
        armored = re.search(r"-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----", mail, re.S).group(0)
        status, entity = keys[slug].decrypt(armored.replace("\r\n", "\n"))
        assert "DECRYPTION_OKAY" in status and f"VALIDSIG {forum_key['fingerprint']}" in status, status
        text = plain_text(entity)
        assert "Botnet C2 servers in three economies" in text
        links[slug] = re.search(r"(https?://\S+/ack/\S+)", text).group(1)

    # KrCERT/CC by the link in its mail: the page only asks; the button acknowledges.
    browser.get(links["krcert-cc"])
    wait.until(EC.element_to_be_clickable((By.ID, "acknowledge"))).click()
    wait.until(EC.presence_of_element_located((By.ID, "ack-done")))

    # CERT Australia through the API, with its handler's own token.
    token = subprocess.run([BIN, "token", "create", "--email", "handler@au.example", "--name", "e2e"],
                           capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    api("POST", f"/incidents/{number}/assignments/cert-australia", token, {"event": "acknowledge"})

    # Where the multi-instance lane kills an instance without warning (CONCORD_E2E_MIDWAY), while
    # no request of this scenario is in flight: the escalation and its mail fall to the others.
    if os.environ.get("CONCORD_E2E_MIDWAY"):
        subprocess.run(os.environ["CONCORD_E2E_MIDWAY"], shell=True, check=True)

    # MyCERT says nothing: after its minute the scheduler escalates to its next channel.
    def escalated():
        incident = api("GET", f"/incidents/{number}", admin)
        mycert = next(a for a in incident["assignments"] if a["team"] == "mycert")
        return mycert["escalations"] >= 1 and incident
    incident = wait_for(escalated, 150, "MyCERT's escalation")
    # At the lanes' accelerated clock the escalation may come before the kill, and the killed
    # instance may have claimed the reminder as it died: the claim's lease (OutboxWorker.lease, 60 s
    # by the database's clock, not accelerated) must run out before another instance sends it.
    wait_for(lambda: mails_to("info@my.example", number), 100, "the reminder on MyCERT's next channel")

    # The reporter closes it in the browser.
    browser.get(BASE + f"/incidents/{number}")
    wait.until(EC.element_to_be_clickable((By.ID, "close-incident"))).click()  # asks first
    wait.until(EC.element_to_be_clickable((By.ID, "confirm-close"))).click()
    flash = wait.until(EC.presence_of_element_located((By.ID, "flash")))
    assert flash.text.startswith("Incident closed."), flash.text
    wait.until(EC.text_to_be_present_in_element((By.ID, "incident-state"), "closed"))
    timeline = browser.find_element(By.ID, "timeline").text
    browser.save_screenshot(str(OUTPUT / "incident-end-to-end.png"))

    states = {a["team"]: a["state"] for a in api("GET", f"/incidents/{number}", admin)["assignments"]}
    assert states == {"krcert-cc": "acknowledged", "cert-australia": "acknowledged", "mycert": "notified"}
    for expected in [
        "reported (malicious-code/c2-server, TLP:AMBER)",
        "assigned to KrCERT/CC: 198.51.100.5 in 198.51.100.0/27 of KrCERT/CC",
        "assigned to MyCERT: 198.51.100.40 in 198.51.100.32/27 of MyCERT",
        "KrCERT/CC notified by e-mail (OpenPGP-encrypted)",
        "MyCERT notified by e-mail (OpenPGP-encrypted)",
        "CERT Australia notified by e-mail (OpenPGP-encrypted)",
        "cert@kr.example (link in e-mail) KrCERT/CC: acknowledged",
        "handler@au.example CERT Australia: acknowledged",
        "MyCERT: acknowledgement deadline missed; notified again on the next channel",
        "MyCERT reminded by e-mail",
        "closed by the reporter",
    ]:
        assert expected in timeline, f"{expected!r} not on the timeline:\n{timeline}"
