"""The README's pictures (issue 17): the desk, a lookup, the inbox, an incident page and the sensor
dashboard, at a laptop's size (1366×900) and a phone's (390×844), taken from the demo forum in
headless Chromium into test-output/screenshots/ (copied to docs/screenshots/ by
`scripts/screenshots`). Each page must have loaded what it is about before it is taken.
"""
import pytest
from conftest import BASE, OUTPUT, log_in_as_admin
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

SHOTS = OUTPUT / "screenshots"


def an_incident(browser, wait):
    """The newest incident of the inbox; one is reported from a lookup when there is none."""
    browser.get(BASE + "/incidents")
    wait.until(EC.presence_of_element_located((By.ID, "inbox-filters")))
    links = browser.find_elements(By.CSS_SELECTOR, "#inbox tr.inbox-item td:first-child a")
    if links:
        return links[0].get_attribute("href")
    browser.get(BASE + "/incidents/new?observables=198.51.100.110")
    wait.until(EC.presence_of_element_located((By.ID, "routing-preview")))
    browser.find_element(By.ID, "title").send_keys("Scanning from 198.51.100.110")
    Select(browser.find_element(By.ID, "classification")).select_by_value("information-gathering/scanner")
    browser.find_element(By.ID, "report").click()
    wait.until(EC.url_contains("/incidents/INC-"))
    return browser.current_url


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_the_readme_pictures(browser, width, height):
    browser.set_window_size(width, height)
    wait = WebDriverWait(browser, 20)
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(BASE + "/login")
    log_in_as_admin(browser, wait)
    incident = an_incident(browser, wait)
    pages = [
        ("desk", BASE + "/desk", "my-assignments"),
        ("lookup", BASE + "/?q=198.51.100.110", "lookup-answer"),
        ("inbox", BASE + "/incidents", "inbox"),
        ("incident", incident, "incident-title"),
        ("sensor-dashboard", BASE + "/sensors/dashboard?days=7", "chart-traffic"),
    ]
    for name, url, marker in pages:
        browser.get(url)
        wait.until(EC.presence_of_element_located((By.ID, marker)))
        if name == "sensor-dashboard":
            wait.until(lambda b: b.execute_script(
                "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"))
        shot = SHOTS / f"{name}-{width}.png"
        assert browser.save_screenshot(str(shot)), name
        assert shot.stat().st_size > 10_000, f"{name} at {width} px looks empty"
