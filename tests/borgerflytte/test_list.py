import datetime

import pytest
from django.utils import timezone

from accessrules.models import AccessLogEntry
from borgerflytte.models import Tilstand
from tests.borgerflytte.conftest import LIST_URL, BorgerflytningFactory
from tests.conftest import error_codes
from tests.factories import AndenAktoerFactory, StarFactory

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
    assert response.json()["count"] == 2


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
    }
    assert flows["ud"].borger.cpr not in response.content.decode()


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
        ({"limit": "x"}, None),
    ],
)
def test_bad_query_parameters_are_1014(integrator_for, kommuner, flows, query, field):
    response = integrator_for(kommuner["A"]).call("get", LIST_URL, **query)
    if field is None:  # DRF's paginator falls back to the default for a bad limit
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert error_codes(response) == [1014]
    assert response.json()["errors"][0]["field"] == field
    assert "0101901234" not in response.content.decode()


def test_paging(integrator_for, kommuner, flows):
    caller = integrator_for(StarFactory())
    page = caller.call("get", LIST_URL, limit="2", offset="0").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    rest = caller.call("get", LIST_URL, limit="2", offset="2").json()
    seen = {i["borgerflytningId"] for i in page["results"] + rest["results"]}
    assert len(seen) == 3


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
    assert (entry.operation, entry.borger, entry.outcome) == ("ListBorgerflytninger", None, 200)


def test_list_query_count_is_independent_of_the_number_of_flows(
    integrator_for, kommuner, flows, django_assert_max_num_queries
):
    caller = integrator_for(kommuner["A"])
    with django_assert_max_num_queries(10) as before:
        caller.call("get", LIST_URL)
    BorgerflytningFactory.create_batch(30)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert caller.call("get", LIST_URL).status_code == 200
