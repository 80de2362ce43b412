"""The annual report's cycle, end to end, against a running `concord serve` on the demo forum
(see run.sh): the demo's reporting year is open with three submissions outstanding; VNCERT submits
through the API, NUSCERT through the command line's CSV (a wrong total refused first, naming its row
and column), BruCERT in the browser; the secretariat accepts them; `concord report build` writes the
public edition, whose PDF names every member and whose annex counts what the statistics API counts
for the labels the public edition may count; `concord recount-statistics` beside the running server
changes no figure.
"""
import csv
import datetime
import io
import json
import pathlib
import subprocess
import urllib.error

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_incident_end_to_end import BASE, BIN, api, browser, demo_credentials  # noqa: F401 (the fixture)


def token_for(email):
    return subprocess.run([BIN, "token", "create", "--email", email, "--name", "report"], capture_output=True,
                          text=True, check=True).stdout.strip().splitlines()[-1]


def cli(*args, token):
    return subprocess.run([BIN, *args, "--url", BASE, "--token", token], capture_output=True, text=True)


def test_the_year_is_submitted_accepted_and_built(browser, tmp_path):
    admin, passwords = demo_credentials()
    year = datetime.datetime.now(datetime.timezone.utc).year
    board = api("GET", f"/reporting-years/{year}", admin)
    outstanding = {line["team"] for line in board["teams"] if line["state"] in ("not-started", "draft")}
    assert outstanding == {"brucert", "vncert", "nuscert"}
    try:
        api("POST", "/reporting-years", admin, {"year": year, "deadline": f"{year + 1}-01-31T00:00:00Z"})
        raise AssertionError("a year opened twice")
    except urllib.error.HTTPError as error:
        assert error.code == 409

    # VNCERT through the API.
    vncert = token_for("handler@vn.example")
    months = [1] * 12
    saved = api("PUT", f"/reporting-years/{year}/submissions/vncert", vncert,
                {"counts": [{"category": "fraud", "months": months}], "about": "VNCERT coordinates Vietnam."})
    assert saved["counts"]["total"] == 12 and saved["comparison"]["total"]["declared"] == 12
    assert api("POST", f"/reporting-years/{year}/submissions/vncert/submit", vncert)["state"] == "submitted"

    # NUSCERT through the command line's CSV: its template, a wrong total refused, then the right one.
    nuscert = token_for("handler@nuscert.sg.example")
    template = cli("report", "template", str(year), "--team", "nuscert", token=nuscert)
    assert template.returncode == 0, template.stderr
    rows = list(csv.reader(io.StringIO(template.stdout)))
    assert rows[0][0] == "category" and rows[-1][0] == "total"
    wrong = [row[:] for row in rows]
    wrong[1][13] = str(int(wrong[1][13]) + 5)
    for name, table in (("wrong.csv", wrong), ("right.csv", rows)):
        with open(tmp_path / name, "w", newline="") as out:
            csv.writer(out).writerows(table)
    refused = cli("report", "submit", str(year), "--team", "nuscert", "--csv", str(tmp_path / "wrong.csv"), token=nuscert)
    assert refused.returncode != 0 and "row 2, column total" in refused.stderr, refused.stderr
    submitted = cli("report", "submit", str(year), "--team", "nuscert", "--csv", str(tmp_path / "right.csv"), token=nuscert)
    assert submitted.returncode == 0 and "submitted" in submitted.stdout, submitted.stderr

    # BruCERT in the browser.
    wait = WebDriverWait(browser, 20)
    browser.get(BASE + "/login")
    browser.find_element(By.ID, "email").send_keys("handler@bn.example")
    browser.find_element(By.ID, "password").send_keys(passwords["handler@bn.example"])
    browser.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "nav-reports"))).click()
    wait.until(EC.presence_of_element_located((By.ID, f"year-{year}")))
    browser.get(f"{BASE}/reports/{year}/submissions/brucert")
    cell = wait.until(EC.presence_of_element_located((By.NAME, "n-0-2")))
    cell.clear()
    cell.send_keys("3")
    browser.find_element(By.ID, "submit-submission").click()
    flash = wait.until(EC.presence_of_element_located((By.ID, "flash")))
    assert "Submitted" in flash.text and "submitted" in browser.find_element(By.ID, "submission-state").text

    # The secretariat accepts the three; every member's submission is in.
    for team in ("vncert", "nuscert", "brucert"):
        assert api("POST", f"/reporting-years/{year}/submissions/{team}/accept", admin)["state"] == "accepted"
    board = api("GET", f"/reporting-years/{year}", admin)
    assert board["states"]["accepted"] == len(board["teams"]) == 27

    # The public edition from the command line.
    out = tmp_path / "report"
    built = cli("report", "build", str(year), "--tlp", "clear", "--out", str(out), token=admin)
    assert built.returncode == 0, built.stderr
    assert "built" in built.stderr and built.stderr.count("wrote ") == 4
    for name in ("report.html", "report.pdf", "data.json", "tables.csv"):
        assert (out / name).stat().st_size > 0, name
    data = json.loads((out / "data.json").read_text())
    assert data["meta"]["tlp"] == "TLP:CLEAR" and all(team["submitted"] for team in data["teams"])
    assert data.get("teamTimes") is None and data.get("comparisons") is None and data.get("activities") is None
    text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for name in ("BruCERT", "VNCERT", "NUSCERT", "JPCERT/CC", "What Concord measured"):
        assert name in text, name
    counted = sum(api("GET", f"/statistics?year={year}&tlp={label}", admin)["counters"]["reports"]
                  for label in ("TLP:CLEAR", "TLP:GREEN"))
    assert data["measured"]["counters"]["reports"] == counted
    html = pathlib.Path(out / "report.html").read_text()
    assert html.count("left out of this edition (TLP:AMBER)") == 2 and "left out of this edition (TLP:GREEN)" in html

    # The statistics summary counted again from the incidents, beside the running server, gives the
    # same figures.
    before = api("GET", f"/statistics?year={year}", admin)
    recount = subprocess.run([BIN, "recount-statistics"], capture_output=True, text=True, check=True)
    assert " days counted in " in recount.stdout and "counted" in recount.stderr, recount
    after = api("GET", f"/statistics?year={year}", admin)
    for figure in ("counters", "byTaxonomy", "timeToAcknowledge", "timeToResolve"):
        assert after[figure] == before[figure], figure
    assert after["counters"]["reports"] > 100
