"""Issue 20, item 2: a caseworker without "view full CPR" recovers no masked CPR, from any admin
page they can reach, with CPR-bearing free text in every text field (`crawler`)."""

import datetime
import itertools
import re

import pytest
from django.apps import apps
from django.utils import timezone

from accessrules.admin.cpr import har_sorteringsnoegle
from accessrules.models import AccessLogEntry, Borger, RequestId
from asylovergivelse.models import Asylovergivelse, JobnetCv
from borgerflytte import services as flytte_services
from borgerflytte.haendelser import modtag_haendelser
from borgerflytte.models import Borgerflytning
from tests.accessrules.admin.crawler import crawl, plant_text, recoverable_cprs
from tests.borgerflytte.conftest import BorgerflytningFactory, FlytningFactory, bosat, days
from tests.factories import (
    ApiClientFactory,
    BorgerFactory,
    JobcenterFactory,
    KommuneFactory,
    StarFactory,
)
from tests.sagsbehandler import log_in
from tests.statements import statements

pytestmark = pytest.mark.django_db
# Reference data and codes that operators and the code write, not free text about citizens:
# the register's organisations, the API clients' names and scopes, the operations' names, an
# event's type, the contact group codes.
REFERENCE = {
    ("organisation", "navn"),
    ("organisation", "kode"),
    ("apiclient", "navn"),
    ("apiclient", "scopes"),
    ("haendelsekvittering", "type"),
    ("borger", "kontaktgruppe"),
}


def reference(model, field) -> bool:
    name = model._meta.model_name.removeprefix("historical")
    return (name, field.name) in REFERENCE or field.name in ("operation", "handling")


@pytest.fixture
def data(db):
    """Citizens with every kind of record; the CPRs that free text will carry, and STAR."""
    star = StarFactory()
    kommune, _ = KommuneFactory(kode="101"), KommuneFactory(kode="147")
    klient = ApiClientFactory(organisationer=[kommune])
    a = bosat(kommune, JobcenterFactory(kode="10100"))
    b = BorgerFactory(cpr="0801601234")
    waiting = BorgerflytningFactory(borger=a)
    cancelled = BorgerflytningFactory(borger=b)
    flytte_services.annuller(flytning_id=cancelled.pk, begrundelse="x", af="admin test")
    modtag_haendelser(
        haendelser=[
            FlytningFactory(cpr=a.cpr, flyttedato=days(-2).isoformat()),
            FlytningFactory(cpr=b.cpr, tilKommunekode="9999"),  # rejected
        ],
        kilde="test",
    )
    today = timezone.localdate()
    Asylovergivelse.objects.create(
        borger=a,
        overgivelsesdato=today,
        cv_edit_end_date=today + datetime.timedelta(days=30),
        overgivelseskommunekode="101",
        kommentar="x",
    )
    JobnetCv.objects.create(borger=a, nummer="CV-1", status="aktiv")
    RequestId.objects.create(client=klient, request_id="r", operation="PUT")
    AccessLogEntry.objects.create(
        handling="GET", client=klient, organisation=star, borger=a, outcome=200, request_id="r"
    )
    assert waiting.pk and Borgerflytning.history.count() >= 3
    return [a.cpr, b.cpr], star


def test_a_sagsbehandler_recovers_no_masked_cpr_on_any_admin_page(client, data):
    cprs, star = data
    number = itertools.count()
    planted = plant_text(
        lambda model, field, row: f"{cprs[next(number) % 2]} sag {row.pk}", skip=reference
    )
    assert planted >= 15
    log_in(client, star)

    pages = crawl(client)

    visited = {page.url.split("?")[0] for page in pages}
    for path in (
        "/admin/accessrules/requestid/",
        "/admin/borgerflytte/haendelsekvittering/",
        "/admin/borgerflytte/borgerflytning/",
        "/admin/asylovergivelse/asylovergivelse/",
    ):
        assert path in visited
        assert any(p.startswith(path) and p.endswith("/change/") for p in visited), path
        if "borgerflytning" in path or "asylovergivelse/" in path:
            assert any(p.startswith(path) and p.endswith("/history/") for p in visited), path
    assert len(pages) > 60
    assert [p.url for p in pages if p.status >= 500] == []
    leaks = {p.url: recoverable_cprs(p.html, cprs) for p in pages}
    assert {url: found for url, found in leaks.items() if found} == {}
    assert all(cpr[:6] + "-xxxx" in "".join(p.html for p in pages) for cpr in cprs)
    assert_no_list_breaks_ties_by_the_id(client, pages)
    assert_no_link_names_a_citizens_record_by_its_key(pages)


KEY_IN_URL = re.compile(r"/admin/(\w+)/(\w+)/(?:\d+/|[\w-]+/history/\d+/)")


def names_a_citizen(model) -> bool:
    return model is Borger or any(f.name == "borger" for f in model._meta.get_fields())


def assert_no_link_names_a_citizens_record_by_its_key(pages) -> None:
    """No URL the crawl reached and no link on any page names a record that names a citizen
    by its sequential key (bulk-made keys follow CPR order): an opaque token instead
    (`accessrules.admin.opake`)."""
    tokens = 0
    for page in pages:
        for app_label, model_name in KEY_IN_URL.findall(page.url + page.html):
            model = apps.get_model(app_label, model_name)
            assert not names_a_citizen(model), (page.url, app_label, model_name)
        tokens += len(re.findall(r"/admin/accessrules/borger/[A-Za-z0-9_-]{32}/", page.html))
    assert tokens > 0  # the citizens' pages were linked, by token


def assert_no_list_breaks_ties_by_the_id(client, pages) -> None:
    """Every list the crawl reached (each ordering, filter and page of it) of a model with a
    random sort key reads its rows ordered by that key after any sorted column, never by the
    id alone (ids follow CPR order): `accessrules.models.sortering`."""
    checked = 0
    for page in pages:
        parts = page.url.split("?")[0].strip("/").split("/")
        if page.status != 200 or len(parts) != 3:
            continue
        model = apps.get_model(parts[1], parts[2])
        if not har_sorteringsnoegle(model):
            continue
        with statements() as sent:
            assert client.get(page.url).status_code == 200, page.url
        table = f'SELECT "{model._meta.db_table}".'
        reads = [s for s in sent.all() if s.startswith(table) and "ORDER BY" in s]
        assert reads, (page.url, sent)
        assert all('"sorteringsnoegle"' in s.split("ORDER BY")[-1] for s in reads), page.url
        checked += 1
    assert checked >= 20
