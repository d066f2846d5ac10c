"""GET /v1/Asylovergivelse/{id} (SPEC 9): what GetAsylOvergivelse answers, for the
transition's opaque id; and a transition's events go to those that may read it."""

import uuid

import pytest

from accessrules.models import AccessLogEntry, Levering, Notifikation
from tests.accessrules.notifikationer.conftest import SCOPES
from tests.asylovergivelse.conftest import URL, assert_problem, body, days, opret
from tests.conftest import ALL_SCOPES
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory

pytestmark = pytest.mark.django_db

OPRETTET = "asylovergivelse.oprettet"


def test_by_id_answers_as_get_and_logs_a_read(jc, borger):
    transition = opret(borger)
    response = jc.call("get", f"{URL}/{transition.ekstern_id}")
    assert response.status_code == 200
    assert response.json()["civilRegistrationIdentifier"] == borger.cpr
    assert response.json()["asylovergivelsesdata"]["CVEditEndDate"] == days(40)
    assert response["Cache-Control"] == "no-store"
    entry = AccessLogEntry.objects.get()
    assert (entry.borger, entry.handling) == (borger, "GetAsylOvergivelseVedId")


def test_an_unknown_id_is_404_code_3_and_a_stranger_6005(jc, integrator_for, borger):
    assert_problem(jc.call("get", f"{URL}/{uuid.uuid4()}"), 404, 3)
    other = opret(BorgerFactory(kontaktgruppe="flygtning"))  # not the jobcentre's own
    assert_problem(jc.call("get", f"{URL}/{other.ekstern_id}"), 403, 6005)
    writer = integrator_for(jc.organisation, ["borgerindsats.asylovergivelse.write"])
    assert_problem(writer.call("get", f"{URL}/{other.ekstern_id}"), 403, 40300)


@pytest.mark.postgres  # notifications need PostgreSQL
def test_the_events_go_to_those_that_may_read_the_transition(integrator_for, jobcenter, borger):
    own = integrator_for(jobcenter, SCOPES)
    stranger = integrator_for(JobcenterFactory(kode="16900"), SCOPES)
    KommuneFactory(kode="169")
    for subscriber in (own, stranger):
        created = subscriber.call(
            "post",
            "/v1/Abonnementer",
            {
                "callbackUrl": "https://x.example.dk/",
                "haendelsestyper": ["asylovergivelse.oprettet"],
            },
        )
        assert created.status_code == 201
        subscriber.abonnement = created.json()["abonnementId"]
    writer = integrator_for(jobcenter, ALL_SCOPES)
    response = writer.call(
        "post", URL, body(), headers={"x-civilRegistrationIdentifier": borger.cpr}
    )
    assert response.status_code == 201, response.content
    [event] = Notifikation.objects.all()
    transition = borger.asylovergivelse
    assert (event.type, event.subject) == ("asylovergivelse.oprettet", str(transition.ekstern_id))
    assert borger.cpr not in str(event.data)
    assert [str(x.abonnement_id) for x in Levering.objects.all()] == [own.abonnement]
