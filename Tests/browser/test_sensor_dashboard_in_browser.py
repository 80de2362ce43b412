"""The sensor network's dashboard in headless Chromium against `concord serve --demo` data: the demo's
three sensors with five weeks of synthetic traffic. The three SVG charts load and are drawn (under the
server's strict Content Security Policy), the top-ports table links to a port page with its own chart,
the surge the monitor found in the demo (Redis, tcp/6379) is listed, and screenshots are saved under
test-output/."""
import time

from conftest import BASE, OUTPUT, log_in_as_admin
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def drawn(browser, element_id):
    """Whether the image loaded and has its size (a broken or blocked image has naturalWidth 0)."""
    return browser.execute_script(
        "const i = document.getElementById(arguments[0]); return i.complete && i.naturalWidth;", element_id)


def test_dashboard_charts_port_page_and_surge(browser):
    wait = WebDriverWait(browser, 30)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    browser.get(BASE + "/login")
    wait.until(EC.presence_of_element_located((By.ID, "email")))
    log_in_as_admin(browser, wait)
    wait.until(EC.presence_of_element_located((By.ID, "nav-sensors"))).click()

    wait.until(EC.presence_of_element_located((By.ID, "top-ports")))
    for chart in ("chart-traffic", "chart-sources", "chart-top-ports"):
        wait.until(lambda b: drawn(b, chart))
        assert drawn(browser, chart) == 760, chart
    ports = [row.text.split(" ")[0] for row in browser.find_elements(By.CSS_SELECTOR, "#top-ports tbody tr")]
    # Ranked by distinct sources, as the surge monitor ranks: the Redis surge's crowd of scanners
    # puts tcp/6379 first, though telnet has far more packets.
    assert ports[:3] == ["tcp/6379", "tcp/23", "tcp/445"], ports
    days = browser.find_elements(By.CSS_SELECTOR, "#days tbody tr")
    assert len(days) == 30
    browser.save_screenshot(str(OUTPUT / "sensor-dashboard.png"))

    # The monitor judges the demo's bands when the server starts: the Redis surge is listed.
    for _ in range(30):
        browser.get(BASE + "/sensors/alerts")
        if browser.find_elements(By.CSS_SELECTOR, "tr.alert[data-service='tcp/6379']"):
            break
        time.sleep(1)
    assert browser.find_elements(By.CSS_SELECTOR, "tr.alert[data-service='tcp/6379']")

    browser.get(BASE + "/sensors/dashboard")
    wait.until(EC.presence_of_element_located((By.LINK_TEXT, "tcp/23"))).click()
    wait.until(EC.presence_of_element_located((By.ID, "port-days")))
    wait.until(lambda b: drawn(b, "chart-port") and drawn(b, "chart-port-packets"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Port tcp/23"
    shot = OUTPUT / "sensor-port-tcp-23.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000

    browser.get(BASE + "/sensors")
    states = [row.get_attribute("data-state") for row in browser.find_elements(By.CSS_SELECTOR, "tr.sensor")]
    assert states == ["ok", "ok", "ok"], states
