"""Issue 21, item 4 in a real browser: every admin page fits 1366 px (every page a superuser
reaches from the index, found by tests/accessrules/admin/crawler.py), CPR numbers never
wrap; the Danish error pages; the CPR search in every page's header; the date picker of
"Registrér en flytning" in the one Danish date format."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accessrules.models import AccessLogEntry
from borgerflytte import services as flyt_services
from borgerflytte.models import HaendelseKvittering
from tests.accessrules.admin.crawler import crawl
from tests.adminurl import admin_url
from tests.browser.test_admin_browser import (
    PASSWORD,
    FastPBKDF2,
    caseworker,
    citizen,
    click_and_wait,
    elements,
    flow_for,
    log_in,
    page_text,
)
from tests.factories import StarFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OVERFLOW = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
WRAPPED_CPRS = """
return [...document.querySelectorAll('td.field-cpr_column, .cpr')].filter(cell => {
  const range = document.createRange(); range.selectNodeContents(cell);
  return range.getClientRects().length > 1;
}).map(cell => cell.textContent);
"""


def admin_pages(user) -> list[str]:
    """Every admin page `user` reaches from the index (the hardening issue's crawler, as a
    test client), each path once without its query string (filters and orderings change no
    layout)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    paths = {page.url.split("?")[0] for page in crawl(client) if page.status == 200}
    return sorted(paths)


def test_every_admin_page_fits_1366_px_and_no_cpr_wraps(browser, server):
    from django.contrib.auth.hashers import make_password

    StarFactory()  # the superuser acts as STAR: sees all
    borger, _, jobcenter = citizen()
    flow = flow_for(borger)
    flyt_services.annuller(flytning_id=flow.pk, begrundelse="Dobbeltregistrering " * 10, af="t")
    flow_for(borger)
    AccessLogEntry.objects.create(
        handling="CreateFraflytningsbekraeftelse",
        borger=borger,
        outcome=409,
        error_code=60007,
        request_id="x" * 46,
    )
    root = User.objects.create(
        username="root",
        is_staff=True,
        is_superuser=True,
        password=make_password(PASSWORD, hasher=FastPBKDF2()),
    )
    paths = admin_pages(root)  # before the browser signs in
    browser.set_window_size(1366, 768)
    log_in(browser, server, "root")
    walked, wide, wrapped = [], [], []
    for path in paths:
        walked.append(path)
        browser.get(server.url(path))
        overflow = browser.execute_script(OVERFLOW)
        if overflow > 0:
            wide.append((path, overflow))
        cells = browser.execute_script(WRAPPED_CPRS)
        if cells:
            wrapped.append((path, cells))
    kinds = {p.rstrip("/").rsplit("/", 1)[-1] for p in walked}
    assert {"change", "history"} <= kinds and len(walked) >= 30, walked
    assert not wide, f"pages wider than 1366 px: {wide}"
    assert not wrapped, f"CPR numbers on two lines: {wrapped}"


def test_errors_the_header_search_and_the_date_picker(browser, server):
    caseworker("support", "Support")
    borger, kommune, _ = citizen()
    log_in(browser, server, "support")

    browser.get(server.url("/admin/findes-ikke/"))
    assert "Siden findes ikke" in page_text(browser) and "{" not in page_text(browser)
    browser.get(server.url("/admin/auth/user/"))
    assert "Ingen adgang" in page_text(browser)

    browser.get(server.url("/admin/borgerflytte/borgerflytning/"))
    browser.find_element(By.ID, "cpr-soeg-felt").send_keys(borger.cpr)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#cpr-soeg input[type=submit]"))
    assert browser.current_url == server.url(admin_url(borger))
    assert borger.cpr in page_text(browser)

    browser.get(server.url("/admin/borgerflytte/haendelsekvittering/registrer/"))
    assert "DD.MM.ÅÅÅÅ" in page_text(browser)
    shortcuts = ".field-flyttedato .datetimeshortcuts a"
    WebDriverWait(browser, 10).until(lambda driver: elements(driver, shortcuts))
    today = browser.find_element(By.CSS_SELECTOR, shortcuts)
    today.click()  # "I dag", the picker's shortcut
    value = browser.find_element(By.ID, "id_flyttedato").get_attribute("value")
    assert value == f"{timezone.localdate():%d.%m.%Y}", value
    assert elements(browser, ".field-flyttedato .datetimeshortcuts a .date-icon, #calendarlink0")
    browser.find_element(By.ID, "id_cpr").send_keys(borger.cpr)
    fra = browser.find_element(By.ID, "id_fra")
    fra.find_element(By.CSS_SELECTOR, f"option[value='{kommune.pk}']").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#registrer-flytning .default"))
    text = page_text(browser)
    assert text.count("En flytning er mellem to forskellige kommuner.") == 0  # til is empty
    assert "Dette felt er påkrævet." in text and elements(browser, ".errornote")
    assert not HaendelseKvittering.objects.exists()
