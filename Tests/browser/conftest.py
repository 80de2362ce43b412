"""Shared by the browser tests: the server's address, the admin's password, where screenshots go,
and a headless Chromium (Debian's chromium + chromium-driver) for each test."""
import os
import pathlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BASE = os.environ["CONCORD_BROWSER_BASE"]
PASSWORD = os.environ["CONCORD_BROWSER_PASSWORD"]
OUTPUT = pathlib.Path(os.environ.get("CONCORD_TEST_OUTPUT", "test-output"))


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
