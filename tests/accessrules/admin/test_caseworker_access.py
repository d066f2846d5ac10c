"""Issue 21, item 1: the access tables in the admin. The oracle is tests/matrix.py's hand-
written CASEWORKER_CITIZENS: a caseworker sees a citizen (list, page, count, search by CPR)
exactly where SPEC 7 says; a hidden one answers the Danish 404 and leaves a refused row.
Flows by the list rule, access-log rows by organisation, STAR all; the writes follow SPEC 7."""

import pytest

from accessrules.models import AccessLogEntry, OrganisationType, Rolle
from borgerflytte.models import Borgerflytning, Tilstand
from tests.adminurl import admin_url
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, StarFactory
from tests.matrix import caseworker_cases, citizen_in_relation
from tests.sagsbehandler import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["few", "many"])
def form(request, settings):
    """Every case twice: a caseworker's citizens as one set of ids (few) and as a walk that
    probes each relation per row (many: what a kommune at national scale gets)."""
    settings.ADMIN_MANGE_BORGERE = 10_000 if request.param == "few" else 0
    return request.param


BORGERE = "/admin/accessrules/borger/"
FLYT = "/admin/borgerflytte/borgerflytning/"


def organisation_of(row):
    factory = {
        OrganisationType.JOBCENTER: JobcenterFactory,
        OrganisationType.KOMMUNE: KommuneFactory,
        OrganisationType.STAR: StarFactory,
    }
    return factory[row]()


@pytest.mark.parametrize("row,level,visible", caseworker_cases())
def test_a_caseworker_sees_a_citizen_as_the_tables_say(client, row, level, visible):
    organisation = organisation_of(row)
    borger = citizen_in_relation(level, organisation)
    user = log_in(client, organisation)
    listing = client.get(BORGERE)
    assert listing.context["cl"].result_count == (1 if visible else 0)
    page = client.get(admin_url(borger))
    assert page.status_code == (200 if visible else 404)
    found = client.post(f"{BORGERE}find/", {"cpr": borger.cpr})
    assert found.status_code == (302 if visible else 200)
    if not visible:
        assert "Siden findes ikke" in page.content.decode()
        refused = AccessLogEntry.objects.get(handling="admin:ikke_fundet")
        assert (refused.user, refused.borger, refused.organisation) == (user, borger, organisation)
        assert (refused.outcome, refused.error_code) == (404, 6005)
        lookup = AccessLogEntry.objects.get(handling="admin:find_cpr")
        assert (lookup.outcome, lookup.error_code) == (404, 6005)
    else:
        assert AccessLogEntry.objects.get(handling="admin:vis_borger").organisation == organisation


@pytest.fixture
def flows():
    a, b, c = (KommuneFactory(kode=kode) for kode in ("101", "147", "151"))
    ab = BorgerflytningFactory(fraflytningskommune=a, tilflytningskommune=b)
    bc = BorgerflytningFactory(fraflytningskommune=b, tilflytningskommune=c)
    return a, b, c, ab, bc


def test_flows_by_the_list_rule_and_their_citizens_too(client, flows):
    a, b, c, ab, bc = flows
    jobcenter_a, star = JobcenterFactory(kode="10100"), StarFactory()
    cases = [(a, {ab}), (jobcenter_a, {ab}), (c, {bc}), (star, {ab, bc})]
    for organisation, expected in cases:
        log_in(client, organisation)
        listing = client.get(FLYT)
        assert set(listing.context["cl"].result_list) == expected, organisation
        hidden = {ab, bc} - expected
        for flow in hidden:
            assert client.get(f"{FLYT}{flow.pk}/change/").status_code == 404
            assert client.get(f"{FLYT}{flow.pk}/history/").status_code == 404
        # a flow's citizen is visible to its sides, though no table gives it to them
        citizens = set(client.get(BORGERE).context["cl"].result_list)
        assert citizens == {flow.borger for flow in expected}, organisation
        client.logout()


def test_the_access_log_shows_the_organisations_own_look_ups(client):
    a, b = KommuneFactory(kode="101"), KommuneFactory(kode="147")
    borger = BorgerFactory()
    for organisation in (a, b):
        AccessLogEntry.objects.create(
            handling="GetAsylOvergivelse", organisation=organisation, borger=borger, outcome=200
        )
    log_in(client, a)
    rows = client.get("/admin/accessrules/accesslogentry/").context["cl"].result_list
    assert {row.organisation for row in rows} == {a}
    client.logout()
    log_in(client, StarFactory())
    rows = client.get("/admin/accessrules/accesslogentry/").context["cl"].result_list
    assert {row.organisation for row in rows} == {a, b}


def test_writes_follow_spec_7(client, flows):
    a, b, c, ab, bc = flows
    log_in(client, a, Rolle.SUPPORT)
    data = {"action": "annuller", "_selected_action": [str(ab.pk)], "bekraeft": "ja"}
    client.post(FLYT, {**data, "begrundelse": "Fejl"})
    assert Borgerflytning.objects.get(pk=ab.pk).tilstand == Tilstand.ANNULLERET  # A's Support
    assert client.get(f"{FLYT}{bc.pk}/annuller/").status_code == 404  # not a side of bc
    # registering a move stands in for CPR: STAR's Support only
    assert client.get("/admin/borgerflytte/haendelsekvittering/registrer/").status_code == 403
    client.logout()
    log_in(client, StarFactory(), Rolle.SUPPORT)
    assert client.get("/admin/borgerflytte/haendelsekvittering/registrer/").status_code == 200
    assert client.get(f"{FLYT}{bc.pk}/annuller/").status_code == 200
