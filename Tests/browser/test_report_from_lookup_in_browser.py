"""The 3 a.m. path (issue 17 §1), measured in headless Chromium on the demo forum at a laptop's and a
phone's size: from the directory's search box to a reported incident in at most four clicks, with
one typed observable and a title. The lookup's answer must show what the CLI shows: the matches
with their reasons, most specific first, and the 24/7 contacts as tel: and mailto: links.
"""
import pytest
from conftest import BASE, OUTPUT, log_in_as_admin
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_from_the_search_box_to_a_reported_incident_in_four_clicks(browser, width, height):
    browser.set_window_size(width, height)
    wait = WebDriverWait(browser, 15)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    browser.get(BASE + "/login")
    log_in_as_admin(browser, wait)
    browser.get(BASE + "/")
    clicks = 0

    box = wait.until(EC.presence_of_element_located((By.ID, "q")))
    box.send_keys("198.51.100.110")
    browser.find_element(By.ID, "search").click()
    clicks += 1
    answer = wait.until(EC.presence_of_element_located((By.ID, "lookup-answer")))
    teams = [link.text for link in answer.find_elements(By.CLASS_NAME, "match-team")]
    assert teams == ["BP DSIRT", "SingCERT"], teams
    reasons = [p.text for p in answer.find_elements(By.CLASS_NAME, "reason")]
    assert reasons[0].startswith("198.51.100.110 in 198.51.100.") and "BP DSIRT" in reasons[0], reasons
    links = [a.get_attribute("href") for a in answer.find_elements(By.CSS_SELECTOR, ".poc a")]
    assert any(href.startswith("tel:+") for href in links), links
    assert "mailto:cert@bp-dsirt.sg.example" in links, links
    shot = OUTPUT / f"lookup-{width}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5_000

    report = browser.find_element(By.ID, "report-this")
    assert report.is_displayed() and report.size["width"] >= 44 and report.size["height"] >= 24, report.size
    report.click()
    clicks += 1
    wait.until(EC.presence_of_element_located((By.ID, "routing-preview")))
    assert browser.find_element(By.ID, "observables").get_attribute("value").strip() == "198.51.100.110"
    routed = [team.text for team in browser.find_elements(By.CSS_SELECTOR, ".routed-team strong")]
    assert routed[:1] == ["BP DSIRT"], routed

    browser.find_element(By.ID, "title").send_keys(f"Scanning from 198.51.100.110 ({width} px)")
    Select(browser.find_element(By.ID, "classification")).select_by_index(1)
    clicks += 1
    button = browser.find_element(By.ID, "report")
    button.click()
    clicks += 1
    wait.until(EC.url_contains("/incidents/INC-"))
    assert f"Scanning from 198.51.100.110 ({width} px)" in browser.page_source
    assert clicks <= 4, clicks
