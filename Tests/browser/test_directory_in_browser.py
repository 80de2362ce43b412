"""Drives headless Chromium (Debian's chromium + chromium-driver) against a running `concord serve`
with the demonstration forum: log in, search the directory for an IP, open the team it names,
check the 24/7 PoC shown, and save a screenshot under test-output/.

Run by scripts/test, which passes the server's address and the admin's password in the environment.
"""
from conftest import BASE, OUTPUT, log_in_as_admin
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def test_login_search_ip_open_team_and_read_poc(browser):
    wait = WebDriverWait(browser, 15)
    OUTPUT.mkdir(parents=True, exist_ok=True)

    # An anonymous visit lands on the login page.
    browser.get(BASE + "/teams/bp-dsirt")
    wait.until(EC.presence_of_element_located((By.ID, "email")))
    assert "/login" in browser.current_url

    # Log in as the demo admin.
    log_in_as_admin(browser, wait)
    wait.until(EC.presence_of_element_located((By.ID, "team-name")))
    assert browser.find_element(By.ID, "team-name").text == "BP DSIRT", "login returns to the page asked for"

    # Search the directory for an address: 198.51.100.110 is in BP DSIRT's /29 inside SingCERT's /27.
    browser.get(BASE + "/")
    box = wait.until(EC.presence_of_element_located((By.ID, "q")))
    box.send_keys("198.51.100.110")
    # The unfiltered directory already lists every team's link: wait for that page to go away
    # and for the answer to the search before reading the links.
    button = browser.find_element(By.ID, "search")
    button.click()
    wait.until(EC.staleness_of(button))
    wait.until(EC.url_contains("q=198.51.100.110"))
    wait.until(EC.presence_of_element_located((By.CLASS_NAME, "team-link")))
    names = [link.text for link in browser.find_elements(By.CLASS_NAME, "team-link")]
    assert names == ["BP DSIRT", "SingCERT"], names

    # Open the most specific team and check its 24/7 emergency contact and key fingerprint.
    browser.find_elements(By.CLASS_NAME, "team-link")[0].click()
    wait.until(EC.presence_of_element_located((By.ID, "contacts")))
    row = browser.find_element(By.CSS_SELECTOR, "#contacts tr.emergency-email")
    assert row.find_element(By.CLASS_NAME, "value").text == "cert@bp-dsirt.sg.example"
    fingerprint = row.find_element(By.CLASS_NAME, "fingerprint").text
    assert len(fingerprint) == 40 and all(c in "0123456789ABCDEF" for c in fingerprint), fingerprint
    assert "+999 5550" in browser.find_element(By.CSS_SELECTOR, "#contacts tr.phone-24x7 .value").text

    shot = OUTPUT / "team-bp-dsirt.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
