"""A general meeting end to end (issue 19 §3), against a running `concord serve` on the demo forum (see
run.sh): the constitution in force is the seeds' forum's; the secretariat convenes an extraordinary
meeting on the command line (refused first without the constitution's notice), opens it and checks
teams in; KrCERT/CC's handler checks its own team in through the API; no vote opens below quorum; an
amendment is moved, voted and carried before its motion; the motion carries and is a numbered
resolution, which `concord governance meeting show` prints. And a vote between meetings answered by
mail (issue 19 §4): a team's signed reply to the demo's open vote, posted as the forum's mailbox
posts it, is counted, and its receipt comes back through the real SMTP path, encrypted to the
team's key and signed by the forum's; a reply signed by another key is refused, and so told.
"""
import datetime
import json
import os
import re
import subprocess
import tempfile
import urllib.error

from test_incident_end_to_end import BASE, BIN, Keyring, api, demo_credentials, gpg, mails_to, plain_text, wait_for


def cli(*args, token):
    return subprocess.run([BIN, "governance", *args, "--url", BASE, "--token", token], capture_output=True, text=True)


def token_for(email):
    return subprocess.run([BIN, "token", "create", "--email", email, "--name", "governance"], capture_output=True,
                          text=True, check=True).stdout.strip().splitlines()[-1]


def test_an_extraordinary_meeting_carries_an_amended_motion():
    admin, _ = demo_credentials()
    krcert = token_for("handler@kr.example")
    constitution = cli("constitution", token=admin)
    assert constitution.returncode == 0 and "in force from 2003-02-01" in constitution.stdout, constitution.stderr
    assert "Quorum: at least 1/2 of the voting members, present or represented." in constitution.stdout

    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).isoformat()
    refused = cli("meeting", "convene", "--kind", "extraordinary", "--title", "EGM", "--starts", soon,
                  "--time-zone", "Asia/Kolkata", token=admin)
    assert refused.returncode != 0 and "30 days' notice" in refused.stderr, refused.stderr
    starts = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=45)).replace(microsecond=0)
    convened = cli("meeting", "convene", "--kind", "extraordinary", "--title", "Extraordinary General Meeting",
                   "--starts", starts.isoformat(), "--time-zone", "Asia/Kolkata", "--location", "online", token=admin)
    assert convened.returncode == 0, convened.stderr
    meeting = re.search(r"convened (EGM-\S+):", convened.stdout).group(1)
    assert "(Asia/Kolkata, UTC+05:30)" in convened.stdout
    assert cli("meeting", "open", meeting, token=admin).returncode == 0

    # Nine full members checked in by the secretariat, one represented by proxy: 10 of 19 is the quorum,
    # but the motion is moved at 9 + 1 and its vote refused until KrCERT/CC arrives.
    for team in ("jpcert-cc", "auscert", "singcert", "hkcert-cc", "thaicert", "cert-in", "cncert-cc", "twcert-cc"):
        assert cli("meeting", "check-in", meeting, "--team", team, token=admin).returncode == 0
    proxy = cli("meeting", "proxy", meeting, "--giver", "mycert", "--holder", "singcert", token=admin)
    assert proxy.returncode == 0 and "9 of 19 voting members" in proxy.stdout, proxy.stdout + proxy.stderr
    moved = cli("meeting", "move", meeting, "--mover", "jpcert-cc", "--seconder", "singcert", "--title",
                "Drill 2027", "--text", "The forum holds its drill in February.", token=admin)
    assert moved.returncode == 0 and f"proposed {meeting}-M1" in moved.stdout, moved.stderr
    below = cli("meeting", "open-vote", f"{meeting}-M1", token=admin)
    assert below.returncode != 0 and "no vote opens below quorum" in below.stderr, below.stderr
    api("POST", f"/governance/meetings/{meeting}/attendance", krcert, {"team": "krcert-cc", "mode": "online"})

    # The amendment first, moved by KrCERT/CC's handler through the API.
    amendment = api("POST", f"/governance/meetings/{meeting}/motions", krcert, {
        "mover": "krcert-cc", "seconder": "auscert", "amends": f"{meeting}-M1", "title": "Drill 2027, in March",
        "text": "The forum holds its drill in March."})
    assert amendment["reference"] == f"{meeting}-M2"
    first = cli("meeting", "open-vote", f"{meeting}-M1", token=admin)
    assert first.returncode != 0 and f"{meeting}-M2 is voted before" in first.stderr
    opened = cli("meeting", "open-vote", f"{meeting}-M2", token=admin)
    assert "10 of 19 voting members present or represented; quorum 10" in opened.stdout, opened.stdout + opened.stderr
    assert cli("meeting", "vote", f"{meeting}-M2", "yes", token=krcert).returncode == 0
    for team, choice in (("jpcert-cc", "yes"), ("auscert", "yes"), ("singcert", "no"), ("mycert", "abstain")):
        assert cli("meeting", "vote", f"{meeting}-M2", choice, "--team", team, token=admin).returncode == 0
    twice = cli("meeting", "vote", f"{meeting}-M2", "no", token=krcert)
    assert twice.returncode != 0 and "has voted" in twice.stderr
    closed = cli("meeting", "close-vote", f"{meeting}-M2", token=admin)
    assert "[carried]" in closed.stdout and "yes 3, no 1, abstain 1; 3 needed" in closed.stdout, closed.stdout

    # The motion, as amended, carries and is resolution R1.
    assert api("GET", f"/governance/motions/{meeting}-M1", admin)["text"] == "The forum holds its drill in March."
    assert cli("meeting", "open-vote", f"{meeting}-M1", token=admin).returncode == 0
    for team in ("jpcert-cc", "auscert", "singcert", "krcert-cc", "hkcert-cc", "thaicert"):
        assert cli("meeting", "vote", f"{meeting}-M1", "yes", "--team", team, token=admin).returncode == 0
    assert cli("meeting", "close-vote", f"{meeting}-M1", token=admin).returncode == 0
    assert cli("meeting", "close", meeting, token=admin).returncode == 0
    shown = cli("meeting", "show", meeting, token=admin)
    assert f"{meeting}-M1 [carried] Drill 2027" in shown.stdout and f"→ {meeting}-R1" in shown.stdout, shown.stdout
    try:
        api("POST", f"/governance/motions/{meeting}-M1/votes", krcert, {"choice": "no"})
        raise AssertionError("a vote after the close was accepted")
    except urllib.error.HTTPError as refused_vote:
        assert refused_vote.code == 409


def test_a_vote_between_meetings_is_answered_by_signed_mail():
    admin, _ = demo_credentials()
    forum_key = api("GET", "/forum-key", admin)
    vote = next(v for v in api("GET", "/governance/votes", admin) if v["state"] == "voting")
    record = api("GET", f"/governance/votes/{vote['reference']}", admin)
    voted = {b["team"] for b in record["ballots"]}
    slug = next(team for team in reversed(record["roll"]) if team not in voted)
    contact = next(c for c in api("GET", f"/teams/{slug}/contacts", admin) if c["kind"] == "emergency-email")
    address = contact["value"]
    keys = Keyring(address)
    assert gpg(keys.home, "--import", data=forum_key["publicKey"].encode()).returncode == 0
    api("PATCH", f"/teams/{slug}/contacts/{contact['id']}", admin, {"pgpKey": keys.public})

    def reply(keyring, line):
        signed = gpg(keyring.home, "--passphrase", "", "--pinentry-mode", "loopback", "--clearsign",
                     data=f"Our ballot:\n\n{line}\n".encode()).stdout.decode()
        mail = f"From: <{address}>\r\nSubject: Re: Concord: vote {vote['reference']} is open\r\n\r\n{signed}"
        with tempfile.NamedTemporaryFile("w", suffix=".eml", delete=False) as file:
            file.write(mail)
        try:
            return cli("vote", "reply", file.name, token=admin)
        finally:
            os.unlink(file.name)

    forged = reply(Keyring(address), f"VOTE {vote['reference']} YES")
    assert forged.returncode != 0 and "is not signed with the key of" in forged.stderr, forged.stderr
    counted = reply(keys, f"VOTE {vote['reference']} YES")
    assert counted.returncode == 0 and f"counted: {slug} voted yes in {vote['reference']}" in counted.stdout, \
        counted.stdout + counted.stderr

    # The receipt and the refusal arrive through msmtp and the SMTP server, encrypted and signed.
    receipt = wait_for(lambda: mails_to(address, "ballot received"), 60, "the receipt")[0]
    armored = re.search(r"-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----", receipt, re.S).group(0)
    status, entity = keys.decrypt(armored.replace("\r\n", "\n"))
    assert "DECRYPTION_OKAY" in status and f"VALIDSIG {forum_key['fingerprint']}" in status, status
    text = plain_text(entity)
    assert vote["reference"] in text and "YES" in text and "signed by the key" in text, text
    assert wait_for(lambda: mails_to(address, "ballot not counted"), 60, "the refusal")

    # The record: the ballot came by signed mail; its choice is the team's own until the close.
    after = api("GET", f"/governance/votes/{vote['reference']}", admin)
    ballot = next(b for b in after["ballots"] if b["team"] == slug)
    assert ballot["channel"] == "mail" and ballot["signed"] and ballot.get("choice") is None
    shown = cli("vote", "show", vote["reference"], token=admin)
    assert shown.returncode == 0 and f"SHA-256 {after['rollSHA256']}" in shown.stdout, shown.stdout


def test_a_chair_election_by_secret_ballot_is_verified_from_its_board():
    """Issue 19 §5 on the command line: an election called at a meeting, two teams nominating
    themselves and seconding each other, the ballot opened at quorum once nominations have closed,
    secret ballots each answered with a tracking code, the close, and `concord governance verify`
    recounting the public board by its URL (exit 0, the team's code found) and refusing a changed
    copy (exit 1, naming the ballot where the chain breaks)."""
    admin, _ = demo_credentials()
    handlers = {slug: token_for(email) for slug, email in (
        ("krcert-cc", "handler@kr.example"), ("singcert", "handler@sg.example"), ("jpcert-cc", "handler@jp.example"))}
    starts = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=50)).replace(microsecond=0)
    meeting = api("POST", "/governance/meetings", admin, {
        "kind": "extraordinary", "title": "EGM: a new chair", "startsAt": starts.isoformat(),
        "timeZone": "Asia/Singapore", "location": "online"})
    # The application's clock runs ahead of the wall clock in this lane: count from its own time.
    now = datetime.datetime.fromisoformat(meeting["convenedAt"].replace("Z", "+00:00"))
    closes = (now + datetime.timedelta(minutes=12)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    called = cli("election", "call", "--meeting", meeting["reference"], "--office", "chair", "--method", "plurality",
                 "--nominations-close", closes, token=admin)
    assert called.returncode == 0, called.stderr
    election = re.search(r"called (\S+):", called.stdout).group(1)
    assert election == meeting["reference"] + "-E1"
    bad = cli("election", "call", "--meeting", meeting["reference"], "--office", "chair", "--method", "lottery",
              "--nominations-close", closes, token=admin)
    assert bad.returncode != 0 and "--method" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1

    for slug, holder in (("krcert-cc", "Park"), ("singcert", "Tan")):
        nominated = cli("election", "nominate", election, "--holder", holder, "--statement",
                        f"{holder} stands for the forum's chair.", token=handlers[slug])
        assert nominated.returncode == 0, nominated.stderr
    assert cli("election", "second", election, "singcert", token=handlers["krcert-cc"]).returncode == 0
    assert cli("election", "second", election, "krcert-cc", token=handlers["singcert"]).returncode == 0
    assert cli("meeting", "open", meeting["reference"], token=admin).returncode == 0
    for team in ("jpcert-cc", "auscert", "singcert", "hkcert-cc", "thaicert", "cert-in", "cncert-cc", "twcert-cc",
                 "krcert-cc", "mycert"):
        assert cli("meeting", "check-in", meeting["reference"], "--team", team, token=admin).returncode == 0

    # The ballot opens once the application's clock has passed the nominations' close.
    early = cli("election", "open", election, token=admin)
    assert early.returncode != 0 and "nominations for" in early.stderr, early.stdout + early.stderr
    opened = wait_for(lambda: (lambda run: run.returncode == 0 and run)(cli("election", "open", election, token=admin)),
                      150, "the nominations' close")
    assert "10 of 19 voting members present or represented" in opened.stdout, opened.stdout

    codes = {}
    for slug, choice in (("krcert-cc", "krcert-cc"), ("singcert", "krcert-cc"), ("jpcert-cc", "singcert")):
        cast = cli("election", "cast", election, choice, token=handlers[slug])
        assert cast.returncode == 0, cast.stderr
        codes[slug] = re.search(r"tracking code: (\S+)", cast.stdout).group(1)
    again = cli("election", "cast", election, "singcert", token=handlers["krcert-cc"])
    assert again.returncode != 0 and "has voted" in again.stderr
    closed = cli("election", "close", election, token=admin)
    assert closed.returncode == 0 and "elected: krcert-cc" in closed.stdout, closed.stdout + closed.stderr

    board_url = f"{BASE}/api/v1/elections/{election}/board"
    verified = subprocess.run([BIN, "governance", "verify", board_url, "--tracking-code", codes["jpcert-cc"]],
                              capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "3 ballots, every link intact; the recount elects krcert-cc, as published" in verified.stdout
    assert f"tracking code {codes['jpcert-cc']}: singcert" in verified.stdout

    board = api("GET", f"/elections/{election}/board", admin)
    changed = next(i for i, entry in enumerate(board["entries"]) if entry["choices"] == ["singcert"])
    board["entries"][changed]["choices"] = ["krcert-cc"]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as forged:
        json.dump(board, forged)
    refused = subprocess.run([BIN, "governance", "verify", forged.name], capture_output=True, text=True)
    assert refused.returncode == 1 and f"the chain breaks at ballot {changed + 1}" in refused.stdout, refused.stdout
