"""Shared by the browser tests: the server's address, the admin's password, where screenshots go,
a headless Chromium (Debian's chromium + chromium-driver) for each test, and the admin's login (the
demo prints a one-time password: the first login replaces it, later ones use the new one)."""
import os
import pathlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE = os.environ["CONCORD_BROWSER_BASE"]
PASSWORD = os.environ["CONCORD_BROWSER_PASSWORD"]
OUTPUT = pathlib.Path(os.environ.get("CONCORD_TEST_OUTPUT", "test-output"))
CHOSEN_PASSWORD = "the admin's own passphrase, chosen at first login"
_admin_password = {"current": PASSWORD}


def log_in_as_admin(browser, wait):
    """Fills the login form shown; on the first login the one-time password leads to the page that
    replaces it, which is filled in too. Returns whether that page was shown."""
    browser.find_element(By.ID, "email").send_keys("admin@concord.example")
    browser.find_element(By.ID, "password").send_keys(_admin_password["current"])
    browser.find_element(By.ID, "login").click()
    wait.until(lambda b: b.find_elements(By.ID, "change-password") or b.find_elements(By.CSS_SELECTOR, "nav.nav"))
    if not browser.find_elements(By.ID, "change-password"):
        return False
    assert browser.find_elements(By.ID, "password-required"), "the page says why"
    browser.find_element(By.ID, "current").send_keys(_admin_password["current"])
    browser.find_element(By.ID, "new").send_keys(CHOSEN_PASSWORD)
    browser.find_element(By.ID, "confirm").send_keys(CHOSEN_PASSWORD)
    browser.find_element(By.ID, "change-password").click()
    wait.until(lambda b: "/account/password" not in b.current_url)
    _admin_password["current"] = CHOSEN_PASSWORD
    return True


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
