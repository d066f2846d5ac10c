"""Issue 20, item 2, finding by finding: how a Sagsbehandler recovered a masked CPR, each
closed: titles and columns, lookups on free text in the query string, a prefix search, the
order of a list, and brute force through "Find borger" (SPEC 7's rate limit)."""

import datetime
import logging

import pytest
from django.contrib.auth.models import Permission
from prometheus_client import REGISTRY

from accessrules.models import AccessLogEntry, Borger, RequestId
from asylovergivelse.models import Asylovergivelse
from borgerflytte.haendelser import modtag_haendelser
from borgerflytte.models import HaendelseKvittering
from tests.adminurl import admin_url
from tests.borgerflytte.conftest import FlytningFactory, bosat, days
from tests.factories import ApiClientFactory, BorgerFactory, JobcenterFactory, KommuneFactory

pytestmark = pytest.mark.django_db
CPR = "0801601234"
MASKED = "080160-xxxx"
FIND = "/admin/accessrules/borger/find/"


@pytest.fixture
def sagsbehandler(staff_login):
    return staff_login(
        "view_borger",
        "view_asylovergivelse",
        "view_requestid",
        "view_accesslogentry",
        "view_haendelsekvittering",
        "view_borgerflytning",
    )


def limited(window: str) -> float:
    sample = {"vindue": window}
    return REGISTRY.get_sample_value("borgerindsats_admin_find_cpr_limited_total", sample) or 0


# --- titles, breadcrumbs, headings, columns -------------------------------------------------


def test_a_request_id_page_masks_a_cpr_in_its_title_breadcrumb_and_heading(client, sagsbehandler):
    row = RequestId.objects.create(
        client=ApiClientFactory(), request_id=f"sag-{CPR}", operation="PUT"
    )
    for url in (admin_url(row), "/admin/accessrules/requestid/"):
        html = client.get(url).content.decode()
        assert MASKED in html and CPR not in html, url


def test_a_receipt_masks_a_cpr_in_its_id_on_list_change_and_history(client, sagsbehandler):
    kommune = KommuneFactory(kode="101")
    KommuneFactory(kode="147")
    borger = bosat(kommune, JobcenterFactory(kode="10100"))
    event = FlytningFactory(haendelseId=f"x-{CPR}", cpr=borger.cpr, flyttedato=days(-1).isoformat())
    modtag_haendelser(haendelser=[event], kilde=f"indlaes_cpr_haendelser {CPR}.json")
    receipt = HaendelseKvittering.objects.get()
    base = "/admin/borgerflytte/haendelsekvittering/"
    for url in (base, admin_url(receipt), admin_url(receipt, "history")):
        html = client.get(url).content.decode()
        assert MASKED in html and CPR not in html and "0801601" not in html, url


# --- the query string: declared filters only; exact search --------------------------------


def transition(borger, kommentar: str) -> Asylovergivelse:
    today = datetime.date.today()
    return Asylovergivelse.objects.create(
        borger=borger,
        overgivelsesdato=today,
        cv_edit_end_date=today + datetime.timedelta(days=30),
        overgivelseskommunekode="101",
        kommentar=kommentar,
    )


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/asylovergivelse/asylovergivelse/", {"kommentar__regex": "0801601.07"}),
        ("/admin/asylovergivelse/asylovergivelse/", {"kommentar__startswith": "sag 08016"}),
        ("/admin/accessrules/requestid/", {"request_id__startswith": "sag-0801601"}),
        ("/admin/accessrules/accesslogentry/", {"request_id__contains": "0801601"}),
        ("/admin/borgerflytte/haendelsekvittering/", {"haendelse_id__regex": "^x-08"}),
        ("/admin/borgerflytte/borgerflytning/", {"annulleret_begrundelse__contains": "08"}),
        ("/admin/accessrules/borger/", {"kontaktgruppe__regex": "."}),
        ("/admin/accessrules/borger/", {"doedsdato__gte": "2026-01-01"}),  # not declared
    ],
)
def test_a_lookup_that_is_not_a_declared_filter_is_refused(client, sagsbehandler, url, query):
    transition(BorgerFactory(), f"sag {CPR}")
    RequestId.objects.create(client=ApiClientFactory(), request_id=f"sag-{CPR}", operation="PUT")
    response = client.get(url, query)
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def test_declared_filters_and_the_dashboards_links_still_answer(client, sagsbehandler):
    transition(BorgerFactory(), "x")
    for url in (
        "/admin/asylovergivelse/asylovergivelse/?overgivelseskommunekode=101",
        "/admin/asylovergivelse/asylovergivelse/?cv_edit_end_date__gte=2026-01-01"
        "&cv_edit_end_date__lt=2027-01-01",
        "/admin/borgerflytte/borgerflytning/?tilstand__exact=AFVENTER&mangler=fra"
        "&oprettet__gte=2026-01-01+00%3A00%3A00%2B00%3A00&oprettet__lt=2027-01-01+00%3A00%3A00%2B00%3A00",
        "/admin/accessrules/accesslogentry/?created_at__year=2026&handling=GET",
        "/admin/accessrules/borger/?doedsdato__isempty=1",
    ):
        assert client.get(url).status_code == 200, url
    index = client.get("/admin/").content.decode()
    assert "oprettet__lt=" in index  # the dashboard links to the declared filter


def test_searching_free_text_is_exact(client, sagsbehandler):
    """A 9-digit `?q=` found the id with a CPR in it, digit by digit."""
    client_ = ApiClientFactory()
    RequestId.objects.create(client=client_, request_id=f"sag-{CPR}", operation="PUT")
    RequestId.objects.create(client=client_, request_id="sag-42", operation="PUT")
    url = "/admin/accessrules/requestid/"

    def found(q: str) -> int:
        return client.get(url, {"q": q}).context["cl"].result_count

    assert (found("080160123"), found("sag-0801601"), found("sag-4"), found("sag-42")) == (
        0,
        0,
        0,
        1,
    )
    assert client.get(url, {"q": f"sag-{CPR}"}).status_code == 302  # a CPR in a URL: refused


# --- order ----------------------------------------------------------------------------------


def test_the_citizen_list_cannot_be_ordered_by_the_masked_cpr(client, sagsbehandler):
    earlier = BorgerFactory(cpr="0801601212")
    later = BorgerFactory(cpr="0801601239")

    def order(o: str) -> list[int]:
        page = client.get("/admin/accessrules/borger/", {"o": o})
        return [b.pk for b in page.context["cl"].result_list]

    by_key = list(Borger.objects.order_by("sorteringsnoegle", "pk").values_list("pk", flat=True))
    assert order("0") == order("-0") == by_key  # each row's random key, always
    page = client.get("/admin/accessrules/borger/").content.decode()
    assert "sortable column-cpr_column" not in page
    sagsbehandler.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    assert (order("0"), order("-0")) == ([earlier.pk, later.pk], [later.pk, earlier.pk])


def test_receipts_of_one_chunk_are_not_ordered_by_their_ids(client, sagsbehandler):
    """A chunk's receipts share `modtaget`: the model's order then sorted them by id."""
    KommuneFactory(kode="101")
    KommuneFactory(kode="147")
    ids = ["x-0801601299", "x-0801601211", "x-0801601255"]
    modtag_haendelser(haendelser=[FlytningFactory(haendelseId=i) for i in ids], kilde="t")
    listing = client.get("/admin/borgerflytte/haendelsekvittering/").context["cl"]
    shown = [r.haendelse_id for r in listing.result_list]
    by_key = HaendelseKvittering.objects.order_by("-modtaget", "sorteringsnoegle", "pk")
    assert shown == [r.haendelse_id for r in by_key]  # newest first, then each row's random key


# --- brute force: find-by-CPR rate limited ---------------------------------------------------


def test_find_by_cpr_is_limited_per_minute_with_a_row_for_every_try(
    client, sagsbehandler, settings, caplog
):
    settings.ADMIN_FIND_CPR_PER_MINUTE = 3
    wanted = BorgerFactory(cpr=CPR)
    before = limited("minut")
    tries = [client.post(FIND, {"cpr": term}) for term in ("0801601230", "abc", wanted.cpr)]
    assert [r.status_code for r in tries] == [200, 200, 302]  # not found, not valid, found
    with caplog.at_level(logging.WARNING, logger="accessrules.admin.findgraense"):
        refused = client.post(FIND, {"cpr": wanted.cpr})
        again = client.post(FIND, {"cpr": wanted.cpr})
    assert (refused.status_code, again.status_code) == (429, 429)
    assert "for mange CPR-numre det sidste minut" in refused.content.decode()
    rows = list(AccessLogEntry.objects.filter(handling="admin:find_cpr").order_by("pk"))
    assert [(r.outcome, r.error_code) for r in rows] == [
        (404, 1010),
        (400, None),
        (200, None),
        (429, 42900),
        (429, 42900),
    ]
    assert all(r.user == sagsbehandler for r in rows)
    assert not any(r.borger_id for r in rows[3:])  # refused before the register is read
    alerts = [r for r in caplog.records if "passed the find-by-CPR limit" in r.getMessage()]
    assert len(alerts) == 1 and CPR not in alerts[0].getMessage()
    assert limited("minut") == before + 2


def test_the_limit_is_per_user_and_per_day(client, staff_login, settings):
    settings.ADMIN_FIND_CPR_PER_MINUTE, settings.ADMIN_FIND_CPR_PER_DAY = 100, 2
    wanted = BorgerFactory(cpr=CPR)
    staff_login("view_borger", username="a")
    assert [client.post(FIND, {"cpr": CPR}).status_code for _ in range(3)] == [302, 302, 429]
    assert "i dag" in client.post(FIND, {"cpr": CPR}).content.decode()
    staff_login("view_borger", username="b")
    response = client.post(FIND, {"cpr": CPR})
    assert response["Location"] == admin_url(wanted)


def test_the_default_limits_are_spec_7s(settings):
    assert (settings.ADMIN_FIND_CPR_PER_MINUTE, settings.ADMIN_FIND_CPR_PER_DAY) == (20, 300)
