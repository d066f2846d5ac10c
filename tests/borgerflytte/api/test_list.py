import base64
import datetime

import pytest
from django.utils import timezone

from accessrules.core import errors
from accessrules.models import AccessLogEntry
from borgerflytte.models import Tilstand
from tests.borgerflytte.conftest import LIST_URL, BorgerflytningFactory
from tests.conftest import error_codes
from tests.factories import AndenAktoerFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(kommuner):
    today = timezone.localdate()
    return {
        "ud": BorgerflytningFactory(fraflytningskommune="101", tilflytningskommune="147"),
        "ind": BorgerflytningFactory(
            fraflytningskommune="147",
            tilflytningskommune="101",
            flyttedato=today - datetime.timedelta(days=40),
            tilstand=Tilstand.AFSLUTTET,
        ),
        "andre": BorgerflytningFactory(fraflytningskommune="147", tilflytningskommune="169"),
    }


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["borgerflytningId"] for item in response.json()["results"]}


def test_kommune_sees_its_flows_on_both_sides(integrator_for, kommuner, flows):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL)
    assert ids(response) == {str(flows["ud"].pk), str(flows["ind"].pk)}
    assert response.json()["next"] is None


def test_a_jobcentre_sees_its_kommune_flows(integrator_for, kommuner, flows):
    assert ids(integrator_for(kommuner["jcA"]).call("get", LIST_URL)) == {
        str(flows["ud"].pk),
        str(flows["ind"].pk),
    }


def test_star_sees_all_and_anden_aktoer_none(integrator_for, flows):
    assert len(ids(integrator_for(StarFactory()).call("get", LIST_URL))) == 3
    assert ids(integrator_for(AndenAktoerFactory()).call("get", LIST_URL)) == set()


def test_item_has_no_cpr_and_the_stamps(integrator_for, kommuner, flows):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, tilstand="AFVENTER")
    [item] = response.json()["results"]
    assert item == {
        "borgerflytningId": str(flows["ud"].pk),
        "tilstand": "AFVENTER",
        "flyttedato": flows["ud"].flyttedato.isoformat(),
        "fraflytningskommunekode": "101",
        "tilflytningskommunekode": "147",
        "fraflytningsbekraeftelse": None,
        "tilflytningsbekraeftelse": None,
        "oprettet": item["oprettet"],
        "hindring": None,
    }
    assert item["oprettet"].startswith(timezone.localdate().isoformat()[:4])
    assert flows["ud"].borger.cpr not in response.content.decode()


def test_stamps_name_the_organisations_that_confirmed(integrator_for, kommuner, flows):
    star = StarFactory()
    moment = timezone.now().replace(microsecond=0)
    flow = flows["ind"]
    flow.fraflytning_tidspunkt = flow.tilflytning_tidspunkt = moment
    flow.fraflytning_organisation, flow.tilflytning_organisation = kommuner["jcA"], star
    flow.save()
    response = integrator_for(kommuner["B"]).call("get", LIST_URL, tilstand="AFSLUTTET")
    [item] = response.json()["results"]
    assert (item["fraflytningskommunekode"], item["tilflytningskommunekode"]) == ("147", "101")
    stamps = item["fraflytningsbekraeftelse"], item["tilflytningsbekraeftelse"]
    assert [stamp["organisation"] for stamp in stamps] == [
        kommuner["jcA"].reference,
        star.reference,
    ]
    assert {datetime.datetime.fromisoformat(stamp["tidspunkt"]) for stamp in stamps} == {moment}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"side": "fra"}, {"ud"}),
        ({"side": "til"}, {"ind"}),
        ({"tilstand": "AFSLUTTET"}, {"ind"}),
        (
            {"flyttedatoTil": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
            {"ind"},
        ),
        (
            {"flyttedatoFra": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
            {"ud"},
        ),
    ],
)
def test_filters(integrator_for, kommuner, flows, query, expected):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, **query)
    assert ids(response) == {str(flows[name].pk) for name in expected}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"cpr": "0101901234"}, "cpr"),
        ({"tilstand": "SLUT"}, "tilstand"),
        ({"side": "op"}, "side"),
        ({"flyttedatoFra": "i går"}, "flyttedatoFra"),
        ({"offset": "2"}, "offset"),
        ({"limit": "x"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "²"}, "limit"),
        # SPEC 8: empty values are not "no filter"; dates only within 1900-01-01..2199-12-31
        ({"tilstand": ""}, "tilstand"),
        ({"side": ""}, "side"),
        ({"flyttedatoFra": ""}, "flyttedatoFra"),
        ({"flyttedatoTil": " "}, "flyttedatoTil"),
        ({"cursor": ""}, "cursor"),
        ({"limit": ""}, "limit"),
        ({"flyttedatoFra": "1899-12-31"}, "flyttedatoFra"),
        ({"flyttedatoTil": "2200-01-01"}, "flyttedatoTil"),
        ({"flyttedatoTil": "9999-12-31"}, "flyttedatoTil"),
    ],
)
def test_bad_query_parameters_are_1014(integrator_for, kommuner, flows, query, field):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, **query)
    assert response.status_code == 400
    assert error_codes(response) == [1014]
    assert response.json()["errors"][0]["field"] == field
    assert "0101901234" not in response.content.decode()


def test_cursor_paging_walks_every_flow_once_newest_first(integrator_for, kommuner, flows):
    BorgerflytningFactory.create_batch(4, fraflytningskommune="101")
    caller = integrator_for(StarFactory())
    page = caller.call("get", LIST_URL, limit="3").json()
    seen = []
    while True:
        assert len(page["results"]) <= 3
        seen += [(i["flyttedato"], i["borgerflytningId"]) for i in page["results"]]
        if not page["next"]:
            break
        page = caller.http.get(page["next"], headers=caller.headers()).json()
    assert len(seen) == len(set(seen)) == 7
    assert [d for d, _ in seen] == sorted((d for d, _ in seen), reverse=True)


def test_the_date_range_s_own_ends_are_accepted(integrator_for, kommuner, flows):
    query = {"flyttedatoFra": "1900-01-01", "flyttedatoTil": "2199-12-31"}
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, **query)
    assert response.status_code == 200, response.content


def forged(position: str) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "ø",
        "cD1ub3QtYS1kYXRl",
        "bz0tMQ==",
        forged("9999-12-31"),  # a date outside the range
        forged("1899-12-31"),
        forged("20261205"),  # ISO 8601's basic format: Python reads it, the ORM does not
        forged("2026-12-05T00:00:00"),
    ],
)
def test_a_forged_cursor_is_1014(integrator_for, kommuner, flows, cursor):
    response = integrator_for(StarFactory()).call("get", LIST_URL, cursor=cursor)
    assert response.status_code == 400
    assert error_codes(response) == [1014]
    assert response.json()["errors"][0]["field"] == "cursor"


def test_list_needs_the_read_scope(integrator_for, kommuner):
    caller = integrator_for(
        kommuner["A"], scopes=["borgerkommunikation.jobcentertilknytning.write"]
    )
    response = caller.call("get", LIST_URL)
    assert response.status_code == 403
    assert error_codes(response) == [40300]


def test_list_is_logged_without_a_citizen(integrator_for, kommuner, flows):
    integrator_for(kommuner["A"]).call("get", LIST_URL)
    entry = AccessLogEntry.objects.get()
    assert (entry.handling, entry.borger, entry.outcome) == ("ListBorgerflytninger", None, 200)


@pytest.mark.parametrize("side", ["A", "jcA"])
def test_list_query_count_is_independent_of_the_number_of_flows(
    integrator_for, kommuner, flows, side
):
    """Token cache warm: (a jobcentre's kommune,) one page with its organisations, the page's
    citizens' residences in B (bounded by the page: `selectors.med_bopael_i_b`); then the log
    row."""
    caller = integrator_for(kommuner[side])
    caller.call("get", LIST_URL)
    with statements() as first:
        assert len(ids(caller.call("get", LIST_URL, limit="2"))) == 2
    BorgerflytningFactory.create_batch(30, fraflytningskommune="101")
    BorgerflytningFactory.create_batch(30, tilflytningskommune="101", fraflytningskommune="147")
    with statements() as again:
        assert len(ids(caller.call("get", LIST_URL, limit="2"))) == 2
    assert len(again) <= len(first), again
    *reads, log_row = first.data()
    assert log_row.startswith(f'INSERT INTO "{AccessLogEntry._meta.db_table}"'), log_row
    assert len(reads) == (2 if side == "A" else 3), reads
    assert "borgerflytte_borgerflytning" in reads[-2]
    assert "accessrules_tilknytning" in reads[-1] and "IN (" in reads[-1]


# --- polling: oprettetFra and ordering=oprettet; midnight dates in the filters ---------------
def _created(flow, moment):
    type(flow).objects.filter(pk=flow.pk).update(oprettet=moment)


def test_a_late_registered_move_with_an_old_flyttedato_is_seen_by_a_poll(
    integrator_for, kommuner, flows
):
    now = timezone.now()
    _created(flows["ud"], now - datetime.timedelta(days=3))
    _created(flows["ind"], now - datetime.timedelta(hours=1))  # flyttedato 40 days ago
    last_poll = (now - datetime.timedelta(days=1)).isoformat()
    caller = integrator_for(kommuner["A"])
    response = caller.call("get", LIST_URL, oprettetFra=last_poll, ordering="oprettet")
    assert ids(response) == {str(flows["ind"].pk)}
    [item] = response.json()["results"]
    created = datetime.datetime.fromisoformat(item["oprettet"])
    assert abs(created - (now - datetime.timedelta(hours=1))) < datetime.timedelta(seconds=1)


def test_ordering_oprettet_pages_oldest_creation_first_across_pages(integrator_for, flows):
    now = timezone.now()
    order = [flows["andre"], flows["ud"], flows["ind"]]
    for hours, flow in enumerate(order):
        _created(flow, now - datetime.timedelta(hours=10 - hours))
    star = integrator_for(StarFactory())
    seen = []
    response = star.call("get", LIST_URL, ordering="oprettet", limit="2")
    while True:
        assert response.status_code == 200, response.content
        seen += [item["borgerflytningId"] for item in response.json()["results"]]
        link = response.json()["next"]
        if link is None:
            break
        response = star.http.get(link, headers=star.headers())
    assert seen == [str(flow.pk) for flow in order]


def test_oprettet_fra_as_a_date_and_a_naive_date_time(integrator_for, kommuner, flows):
    now = timezone.localtime()
    _created(flows["ud"], now - datetime.timedelta(days=5))
    caller = integrator_for(kommuner["A"])
    today = now.date().isoformat()
    assert ids(caller.call("get", LIST_URL, oprettetFra=today)) == {str(flows["ind"].pk)}
    naive = (now - datetime.timedelta(days=6)).replace(tzinfo=None).isoformat()
    assert len(ids(caller.call("get", LIST_URL, oprettetFra=naive))) == 2


@pytest.mark.parametrize(
    ("name", "value"),
    [("oprettetFra", "i går"), ("ordering", "flyttedato"), ("ordering", "id")],
)
def test_a_bad_polling_parameter_is_1014_naming_it(integrator_for, kommuner, flows, name, value):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, **{name: value})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["code"], error["field"]) == (1014, name)
    assert error["detail"].isascii()  # English, what is wrong (not Django's Danish)
    assert error["detail"] != errors.lookup(1014).text


def test_flyttedato_filters_accept_a_midnight_date_time(integrator_for, kommuner, flows):
    caller = integrator_for(kommuner["A"])
    old = flows["ind"].flyttedato.isoformat()
    response = caller.call("get", LIST_URL, flyttedatoTil=old + "T00:00:00Z")
    assert ids(response) == {str(flows["ind"].pk)}
    response = caller.call("get", LIST_URL, flyttedatoTil=old + "T08:00:00Z")
    assert response.status_code == 400
    assert error_codes(response) == [1014]


@pytest.mark.parametrize(
    "value", ["2200-01-01T00:00:00Z", "1899-12-31T23:59:59+01:00", "2200-01-01", "9999-01-01T08:00"]
)
def test_oprettet_fra_outside_spec_8s_range_is_1014(integrator_for, kommuner, flows, value):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, oprettetFra=value)
    assert response.status_code == 400
    assert [(e["code"], e["field"]) for e in response.json()["errors"]] == [(1014, "oprettetFra")]


@pytest.mark.parametrize("position", ["2200-01-01 08:00:00+00:00", "1899-12-31T08:00:00"])
def test_an_oprettet_cursor_outside_the_range_is_1014(integrator_for, kommuner, flows, position):
    response = integrator_for(StarFactory()).call(
        "get", LIST_URL, cursor=forged(position), ordering="oprettet"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"
