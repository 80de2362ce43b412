"""Every page on a phone (issue 17 §4), in headless Chromium at 390×844 on the demo forum: from the
home page, every page the web links to (the tour's pages and the ones they lead to, an error page
too) must fit the viewport's width (tables scroll inside their card), and the header must keep the
search box usable and the menu on its own rows, with the current entry marked.
"""
import re
from urllib.parse import urljoin, urlparse

from conftest import BASE, OUTPUT, log_in_as_admin
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SKIPPED = ("/logout", "/api/", "/taxii", "/static/", "/metrics", "/healthz", "/readyz")
DOWNLOADS = (".csv", ".json", ".pdf", ".png", ".svg", ".pcap", ".txt", ".asc", ".eml", ".vcf")
INSIDE = ("/attachments/", "/files/", "/export/")
LIMIT = 80
# Pages of one kind that only their record tells apart: one of each is enough (the demo's year and a
# half of incidents, 27 submissions and 27 team pages would fill the limit before the drills are reached).
KINDS = ((re.compile(r"^/incidents/INC-\d+-\d+"), "/incidents/INC-#"),
         (re.compile(r"^/reports/(\d+)/submissions/[^/?]+"), r"/reports/\1/submissions/#"),
         (re.compile(r"^/teams/[^/?]+$"), "/teams/#"), (re.compile(r"^/economies/[^/?]+$"), "/economies/#"))


def kind(path):
    for pattern, replacement in KINDS:
        path = pattern.sub(replacement, path)
    return path


def is_page(url):
    parsed = urlparse(url)
    if parsed.netloc != urlparse(BASE).netloc or parsed.scheme not in ("http", "https"):
        return False
    path = parsed.path
    return not path.startswith(SKIPPED) and not path.endswith(DOWNLOADS) and not any(part in path for part in INSIDE)


def test_every_linked_page_fits_a_phone(browser):
    browser.set_window_size(390, 844)
    wait = WebDriverWait(browser, 15)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    browser.get(BASE + "/login")
    log_in_as_admin(browser, wait)

    queue = ["/", "/?q=198.51.100.110", "/incidents/INC-1999-000001"]
    error_page = queue[-1]
    seen, kinds, too_wide = set(), set(), []
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen or (kind(path) != path and kind(path) in kinds):
            continue
        seen.add(path)
        if path != error_page:
            kinds.add(kind(path))
        browser.get(BASE + path)
        wait.until(EC.presence_of_element_located((By.ID, "main")))
        viewport = browser.execute_script("return document.documentElement.clientWidth")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert browser.find_elements(By.CSS_SELECTOR, 'meta[name="viewport"]'), path
        if width > viewport:
            too_wide.append(f"{path}: {width} px in {viewport}")
        for link in browser.find_elements(By.CSS_SELECTOR, "a[href]"):
            href = urljoin(BASE + path, link.get_attribute("href") or "")
            if is_page(href):
                target = urlparse(href)
                queue.append(target.path + (f"?{target.query}" if target.query else ""))

    assert len(seen) >= 20, sorted(seen)
    assert any(p.startswith("/incidents/INC-") for p in seen) and any(p.startswith("/drills/") for p in seen), sorted(seen)
    assert any("/submissions/" in p for p in seen) and any(p.endswith("/editions") for p in seen), sorted(seen)
    assert not too_wide, too_wide


def test_the_header_wraps_on_a_phone(browser):
    browser.set_window_size(390, 844)
    wait = WebDriverWait(browser, 15)
    browser.get(BASE + "/login")
    log_in_as_admin(browser, wait)
    browser.get(BASE + "/incidents")
    wait.until(EC.presence_of_element_located((By.ID, "nav-incidents")))
    search = browser.find_element(By.CSS_SELECTOR, "header .search input")
    assert search.size["width"] >= 300, search.size
    links = browser.find_elements(By.CSS_SELECTOR, "nav.nav a")
    assert all(link.size["height"] >= 24 for link in links), [link.size for link in links]
    current = browser.find_elements(By.CSS_SELECTOR, 'nav.nav a[aria-current="page"]')
    assert [link.text for link in current] == ["Incidents"]
    logout = browser.find_element(By.CSS_SELECTOR, "header button.link")
    header = browser.find_element(By.CSS_SELECTOR, "header.bar")
    top, bottom = header.location["y"], header.location["y"] + header.size["height"]
    assert top <= logout.location["y"] < bottom, "Log out stays on the dark header"
    shot = OUTPUT / "incidents-390.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5_000
