"""Issue 13.8: the caseworkers' admin in a real browser (headless Chromium, Selenium) against a
real gunicorn server with the production settings. Each test commits its own data, starts its
own server and logs in through the login form; the assertions read what is on the page."""

import datetime
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accessrules.core.caller import Caller
from accessrules.core.masking import mask_cpr
from accessrules.models import AccessLogEntry, Organisation, OrganisationType, Sagsbehandler
from asylovergivelse import services as asyl_services
from asylovergivelse.models import JobnetCv
from asylovergivelse.rules import Overgivelsesdata
from borgerflytte import services as flyt_services
from borgerflytte.models import Borgerflytning, Tilstand
from tests.adminurl import admin_url
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import (
    ApiClientFactory,
    BorgerFactory,
    GaesteadgangFactory,
    JobcenterFactory,
    KommuneFactory,
    TilknytningFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password"
WAIT = 15  # seconds for a page after a click


class FastPBKDF2(PBKDF2PasswordHasher):
    """The servers run the production hashers (the test settings' MD5 is not among them): a
    PBKDF2 hash they can check, with few iterations to keep the test fast."""

    iterations = 1000


# --- data ---------------------------------------------------------------------------------


def caseworker(username: str, group: str) -> User:
    """A staff user in one of `opret_grupper`'s groups, with a password the server can check."""
    call_command("opret_grupper", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.create(
        username=username, is_staff=True, password=make_password(PASSWORD, hasher=FastPBKDF2())
    )
    user.groups.add(Group.objects.get(name=group))
    star = Organisation.objects.get_or_create(
        type=OrganisationType.STAR, kode="STAR", defaults={"navn": "STAR"}
    )[0]  # a caseworker of STAR: sees all (SPEC 7)
    Sagsbehandler.objects.create(user=user, organisation=star, rolle=group, kilde="lokal")
    if group == "Support":  # STAR's Support: also insight reports and moves by hand
        user.groups.add(Group.objects.get(name="STAR-support"))
    return user


def citizen():
    """A citizen living in kommune 101 with jobcentre 10100, a guest access and a jobnet CV."""
    kommune = KommuneFactory(kode="101", navn="København")
    jobcenter = JobcenterFactory(kode="10100", navn="Jobcenter København")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=kommune)
    TilknytningFactory(borger=borger, organisation=jobcenter)
    GaesteadgangFactory(borger=borger, organisation=JobcenterFactory(navn="Jobcenter Gæst"))
    JobnetCv.objects.create(borger=borger, nummer="CV-1", status="aktiv")
    return borger, kommune, jobcenter


def flow_for(borger, **stamps) -> Borgerflytning:
    """A flow from 101 to 147 (Aarhus), waiting for its confirmations unless stamped."""
    KommuneFactory(kode="147", navn="Aarhus")
    return BorgerflytningFactory(
        borger=borger, fraflytningskommune="101", tilflytningskommune="147", **stamps
    )


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- browser ------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Whitespace (non-breaking spaces too) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def page_text(browser) -> str:
    return squeeze(browser.find_element(By.TAG_NAME, "body").text)


def captions(element) -> list[str]:
    """The tables' captions as written (CSS shows them in capitals)."""
    found = element.find_elements(By.TAG_NAME, "caption")
    return [squeeze(caption.get_attribute("textContent")) for caption in found]


def elements(browser, css: str) -> list:
    return browser.find_elements(By.CSS_SELECTOR, css)


def _replaced(old_page):
    """Has the page been replaced? Selenium reports it as a stale element, or (Chromium,
    during the swap) as "node does not belong to the document": both mean gone."""

    def check(_driver) -> bool:
        try:
            old_page.is_enabled()
        except WebDriverException:
            return True
        return False

    return check


def click_and_wait(browser, element) -> None:
    """Click a link or a submit button and wait until the next page has replaced this one and
    finished loading."""
    old_page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, WAIT).until(_replaced(old_page))
    WebDriverWait(browser, WAIT).until(
        lambda driver: driver.execute_script("return document.readyState") == "complete"
    )


def follow(browser, text: str) -> None:
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, text))


def log_in(browser, server, username: str) -> None:
    browser.get(server.url("/admin/"))
    assert "/admin/login/" in browser.current_url
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert browser.current_url == server.url("/admin/"), page_text(browser)


def find_by_cpr(browser, server, cpr: str) -> None:
    """From the index page, the POSTed "Find borger efter CPR" form."""
    browser.get(server.url("/admin/"))
    follow(browser, "Find borger efter CPR")
    field = browser.find_element(By.ID, "id_cpr")
    field.send_keys(cpr)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#find-cpr input[type=submit]"))


def assert_read_only(browser) -> None:
    """No way to change anything from this page."""
    page = browser.current_url
    assert not elements(browser, "select[name=action]"), page
    assert not elements(browser, "input.action-select"), page
    assert not elements(browser, "input[type=submit][name^=_save]"), page
    assert not elements(browser, "input[name=_continue], input[name=_addanother]"), page
    assert not elements(browser, "a.deletelink, .deletelink-box"), page
    assert "Annuller …" not in page_text(browser), page


# --- tests --------------------------------------------------------------------------------


def test_log_in_and_the_dashboard_links_to_a_filtered_list(browser, server):
    caseworker("support", "Support")
    borger, _, _ = citizen()
    flow_for(borger)
    other = BorgerFactory()
    flow_for(other, fraflytning_tidspunkt=timezone.now())  # waits for B only

    log_in(browser, server, "support")
    text = page_text(browser)
    assert browser.title.endswith("Borgerindsats"), browser.title
    assert browser.find_element(By.ID, "miljoe-banner").text == "BROWSERTEST"
    dashboard = browser.find_element(By.ID, "dashboard")
    rows = {
        squeeze(row.find_element(By.TAG_NAME, "th").text): row.find_element(By.TAG_NAME, "td").text
        for row in dashboard.find_elements(By.TAG_NAME, "tr")
    }
    assert rows["Afventer fraflytning (A), under 7 dage gamle"] == "1"
    assert rows["Afventer tilflytning (B), under 7 dage gamle"] == "2"
    assert rows["Afventer fraflytning (A), over 30 dage gamle"] == "0"
    assert rows["Asylovergivelser hvis fristen for CV-rettelser falder inden for 14 dage"] == "0"
    assert rows["Afviste CPR-hændelser"] == "0"
    assert "Find borger efter CPR" in text and "Registrér en flytning" in text

    follow(browser, "Afventer fraflytning (A), under 7 dage gamle")
    assert "/admin/borgerflytte/borgerflytning/" in browser.current_url
    listed = elements(browser, "#result_list tbody tr")
    assert len(listed) == 1, page_text(browser)
    assert borger.cpr in listed[0].text  # Support sees full CPR numbers
    assert other.cpr not in page_text(browser)
    assert "Ugyldig" not in page_text(browser) and not elements(browser, ".errornote")


def test_find_a_citizen_by_cpr_without_the_cpr_in_the_url(browser, server):
    user = caseworker("support", "Support")
    borger, _, _ = citizen()
    flow_for(borger)

    log_in(browser, server, "support")
    find_by_cpr(browser, server, f"{borger.cpr[:6]}-{borger.cpr[6:]}")
    assert browser.current_url == server.url(admin_url(borger))
    assert borger.cpr not in browser.current_url and borger.cpr[:6] not in browser.current_url
    side = browser.find_element(By.ID, "borgerside")
    text = squeeze(side.text)
    assert f"Borger {borger.cpr}" in text
    assert captions(side) == [
        "Bopæl over tid",
        "Jobcenter over tid",
        "Gæsteadgange",
        "Anden aktør-tildelinger",
        "Asylovergivelse",
        "Borgerflytninger",
        "Seneste opslag (adgangslog)",
    ]
    assert "København (7:101)" in text
    assert "Jobcenter København" in text and "Jobcenter Gæst" in text
    flows = squeeze(browser.find_element(By.ID, "borger-flytninger").text)
    assert "København → Aarhus" in flows and "Afventer bekræftelser" in flows
    opslag = squeeze(browser.find_element(By.ID, "borger-opslag").text)
    assert "bruger support" in opslag and "Borgeren søgt frem efter CPR-nummer" in opslag
    assert "Borgerens side vist i administrationen" in opslag
    logged = AccessLogEntry.objects.filter(user=user, borger=borger)
    assert set(logged.values_list("handling", flat=True)) == {"admin:find_cpr", "admin:vis_borger"}

    # an unknown CPR: the form again, with the reason, and still no CPR in the URL
    find_by_cpr(browser, server, "0101001234")
    assert browser.current_url == server.url("/admin/accessrules/borger/find/")
    assert "Ingen borger med dette CPR-nummer." in page_text(browser)


def test_read_a_transitions_history(browser, server):
    caseworker("support", "Support")
    borger, _, jobcenter = citizen()
    client = ApiClientFactory(navn="Jobcenter-systemet", organisationer=[jobcenter])
    first = Overgivelsesdata(
        cv_edit_end_date=days(40), overgivelsesdato=days(10), overgivelseskommunekode="101"
    )
    later = Overgivelsesdata(
        cv_edit_end_date=days(40),
        overgivelsesdato=days(12),
        overgivelseskommunekode="101",
        kommentar="Borgeren bad om to dage mere",
    )
    for data, request_id in ((first, "req-1"), (later, "req-2")):
        caller = Caller(organisation=jobcenter, client=client, request_id=request_id)
        service = asyl_services.ret_asylovergivelse if data.kommentar else None
        service = service or asyl_services.opret_asylovergivelse
        service(caller=caller, cpr=borger.cpr, data=data)

    log_in(browser, server, "support")
    find_by_cpr(browser, server, borger.cpr)
    asyl = browser.find_element(By.ID, "borger-asylovergivelse")
    assert "Jobcenter-systemet" in asyl.text
    click_and_wait(browser, asyl.find_element(By.LINK_TEXT, "historik"))
    assert browser.current_url.endswith("/history/")
    text = page_text(browser)
    assert "Historikken kan læses, ikke gendannes." in text
    headers = [
        squeeze(th.get_attribute("textContent"))
        for th in elements(browser, "#change-history thead th")
    ]
    for column in ("API-klient", "For organisation", "Tidspunkt", "Handling", "Ændringer"):
        assert column in headers, headers
    rows = [squeeze(tr.text) for tr in elements(browser, "#change-history tbody tr")]
    assert len(rows) == 2, rows
    newest, oldest = rows
    assert "Jobcenter-systemet" in newest and "Ændret" in newest and "Oprettet" in oldest
    assert "Borgeren bad om to dage mere" in newest
    change = re.search(r"[Oo]vergivelsesdato: (.+?) → (.+?)(?: [A-ZÆØÅ]|$)", newest)
    assert change and change.group(1) != change.group(2), newest
    assert "2 ændringer" in text
    assert not elements(browser, "#content input[type=submit]")  # nothing to revert


def test_cancel_a_flow_through_the_confirmation_page(browser, server):
    caseworker("support", "Support")
    borger, _, _ = citizen()
    flow = flow_for(borger)

    log_in(browser, server, "support")
    browser.get(server.url(f"/admin/borgerflytte/borgerflytning/{flow.pk}/change/"))
    assert not elements(browser, "a.deletelink")
    follow(browser, "Annuller …")
    assert browser.current_url.endswith(f"/{flow.pk}/annuller/")
    text = page_text(browser)
    assert "Du er ved at annullere" in text and "København → Aarhus" in text

    click_and_wait(browser, browser.find_element(By.ID, "bekraeft-annullering"))
    assert "Skriv en begrundelse." in page_text(browser)
    assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFVENTER

    browser.find_element(By.ID, "id_begrundelse").send_keys("Dobbeltregistrering")
    click_and_wait(browser, browser.find_element(By.ID, "bekraeft-annullering"))
    assert "1 borgerflytning(er) annulleret." in page_text(browser)
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert stored.tilstand == Tilstand.ANNULLERET
    assert stored.annulleret_begrundelse == "Dobbeltregistrering"
    assert stored.annulleret_af == "admin support"

    browser.get(server.url(f"/admin/borgerflytte/borgerflytning/{flow.pk}/history/"))
    rows = [squeeze(tr.text) for tr in elements(browser, "#change-history tbody tr")]
    assert "support" in rows[0] and "Dobbeltregistrering" in rows[0]
    assert "Tilstand: Afventer bekræftelser → Annulleret" in rows[0], rows[0]


def test_a_sagsbehandler_sees_masked_cpr_and_cannot_change_anything(browser, server):
    caseworker("sb", "Sagsbehandler")
    borger, kommune, jobcenter = citizen()
    cpr, masked = borger.cpr, mask_cpr(borger.cpr)
    waiting = flow_for(borger)
    cancelled = flow_for(borger, flyttedato=days(-40))
    flyt_services.annuller(
        flytning_id=cancelled.pk, begrundelse=f"Forkert borger {cpr}", af="admin support"
    )
    client = ApiClientFactory(navn="Jobcenter-systemet", organisationer=[jobcenter])
    _, asyl = asyl_services.opret_asylovergivelse(
        caller=Caller(organisation=jobcenter, client=client, request_id="req-1"),
        cpr=cpr,
        data=Overgivelsesdata(
            cv_edit_end_date=days(40),
            overgivelsesdato=days(10),
            overgivelseskommunekode="101",
            kommentar=f"Aftalt med {cpr}",
        ),
    )
    seen = []

    def look(path: str | None = None) -> str:
        if path is not None:
            browser.get(server.url(path))
        source = browser.page_source
        seen.append(browser.current_url)
        assert cpr not in source, f"full CPR on {browser.current_url}"
        assert cpr not in browser.current_url
        return page_text(browser)

    log_in(browser, server, "sb")
    assert "Registrér en flytning" not in look()

    # the citizens' list and the citizen's page
    text = look("/admin/accessrules/borger/")
    assert masked in text
    assert_read_only(browser)
    find_by_cpr(browser, server, cpr)
    text = look()
    assert f"Borger {masked}" in text and "Bopæl over tid" in captions(browser)
    assert_read_only(browser)

    # the flows: list, a waiting flow, a cancelled one (begrundelse with a CPR) and its history
    text = look("/admin/borgerflytte/borgerflytning/")
    assert text.count(masked) >= 2
    assert_read_only(browser)
    look(f"/admin/borgerflytte/borgerflytning/{waiting.pk}/change/")
    assert_read_only(browser)
    text = look(f"/admin/borgerflytte/borgerflytning/{cancelled.pk}/change/")
    assert f"Forkert borger {masked}" in text
    assert_read_only(browser)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "a.historylink"))
    text = look()
    assert "Annulleret" in text and masked in text  # the label, not the stored value
    assert_read_only(browser)
    follow(browser, "Vis")  # an old version: shown, never reverted
    look()
    assert not elements(browser, "#content input[type=submit], #content button[type=submit]")
    assert "Gendan" not in look() and "Revert" not in look()

    # the transition, its history (kommentar with a CPR) and the access log
    text = look(admin_url(asyl))
    assert f"Aftalt med {masked}" in text
    assert_read_only(browser)
    text = look(admin_url(asyl, "history"))
    assert f"Aftalt med {masked}" in text
    assert_read_only(browser)
    text = look("/admin/accessrules/accesslogentry/")
    assert masked in text and "Borgeren søgt frem efter CPR-nummer" in text
    assert_read_only(browser)

    # no delete page, for the flow or the citizen
    for path in (
        f"/admin/borgerflytte/borgerflytning/{waiting.pk}/delete/",
        admin_url(borger, "delete"),
    ):
        text = look(path)
        assert "Ingen adgang" in text, text  # the admin's Danish 403 page
    assert Borgerflytning.objects.get(pk=waiting.pk).tilstand == Tilstand.AFVENTER
    assert len(seen) >= 12


@pytest.mark.parametrize(
    "path",
    [
        "/admin/borgerflytte/borgerflytning/",
        "/admin/accessrules/accesslogentry/",
        "/admin/asylovergivelse/asylovergivelse/",
        "/admin/accessrules/borger/",
    ],
)
def test_the_lists_fit_a_1366_px_screen(browser, server, path):
    """Issue 13: every column of the key lists is visible at 1366 px, with no sideways scroll."""
    caseworker("support", "Support")
    borger, _, jobcenter = citizen()
    flow_for(borger)
    asyl_services.opret_asylovergivelse(
        caller=Caller(organisation=jobcenter),
        cpr=borger.cpr,
        data=Overgivelsesdata(
            cv_edit_end_date=days(40), overgivelsesdato=days(10), overgivelseskommunekode="101"
        ),
    )
    AccessLogEntry.objects.create(
        handling="CreateFraflytningsbekraeftelse",
        borger=borger,
        outcome=409,
        error_code=60007,
        request_id="x" * 46,
    )
    browser.set_window_size(1366, 768)
    log_in(browser, server, "support")
    browser.get(server.url(path))
    assert elements(browser, "#result_list thead th"), page_text(browser)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
    right = browser.execute_script("return document.documentElement.clientWidth")
    for header in elements(browser, "#result_list thead th"):
        box = header.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= right, header.text
