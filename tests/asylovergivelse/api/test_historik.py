"""GET /v1/Asylovergivelse/historik (SPEC 10): the transition's changes, oldest first, with
who made each (by kind and organisation, a caseworker as their organisation, never by name),
the fields with old and new values by the seed's JSON names, and the kommentar; logged as a
read of the citizen."""

import pytest

from accessrules.models import AccessLogEntry
from tests.adminurl import admin_url
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, body, days, opret
from tests.factories import BorgerFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db

HISTORIK = f"{URL}/historik"


def historik(integrator, borger) -> list[dict]:
    response = integrator.call("get", HISTORIK, headers={CPR: borger.cpr})
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    return response.json()["historik"]


def changes(post) -> dict:
    return {c["felt"]: (c["gammelVaerdi"], c["nyVaerdi"]) for c in post["aendringer"]}


def test_create_and_put_over_the_api(jc, borger):
    assert jc.call("post", URL, body(), headers={CPR: borger.cpr}).status_code == 201
    ny = body(overgivelsesdato=days(12), tidligCvOvergivelsesdato=..., kommentar="Ny dato")
    assert jc.call("put", URL, ny, headers={CPR: borger.cpr}).status_code == 204
    oprettet, rettet = historik(jc, borger)
    organisation = {"type": 8, "code": "10100"}
    assert (oprettet["aendringstype"], oprettet["kilde"], oprettet["organisation"]) == (
        "oprettet",
        "api",
        organisation,
    )
    assert changes(oprettet) == {
        "CVEditEndDate": (None, days(40)),
        "overgivelsesdato": (None, days(10)),
        "tidligCvOvergivelsesdato": (None, days(5)),
        "tidligKontraktOvergivelsesdato": (None, days(1)),
        "overgivelseskommunekode": (None, "101"),
    }
    assert oprettet["kommentar"] is None
    assert (rettet["aendringstype"], rettet["kilde"], rettet["organisation"]) == (
        "aendret",
        "api",
        organisation,
    )
    assert changes(rettet) == {
        "overgivelsesdato": (days(10), days(12)),
        "tidligCvOvergivelsesdato": (days(5), None),
    }
    assert rettet["kommentar"] == "Ny dato"
    assert oprettet["tidspunkt"] <= rettet["tidspunkt"]


def test_a_caseworkers_change_shows_their_organisation_never_their_name(
    client, staff_login, jc, kommune, borger
):
    row = opret(borger)
    user = staff_login(
        "view_asylovergivelse",
        "change_asylovergivelse",
        "view_borger",
        username="hanne.sagsbehandler",
        organisation=kommune,
    )
    data = {
        "overgivelsesdato": days(11),
        "cv_edit_end_date": days(40),
        "tidlig_cv_overgivelsesdato": "",
        "tidlig_kontrakt_overgivelsesdato": "",
        "overgivelseskommunekode": "101",
        "kommentar": "Aftalt med borgeren 0101901234",
    }
    response = client.post(admin_url(row), data)
    assert response.status_code == 302, response.content
    response = jc.call("get", HISTORIK, headers={CPR: borger.cpr})
    oprettet, rettet = response.json()["historik"]
    assert oprettet["kilde"] is None and oprettet["organisation"] is None  # not recorded
    kommune_101 = {"type": 7, "code": "101"}
    assert (rettet["kilde"], rettet["organisation"]) == ("sagsbehandler", kommune_101)
    assert changes(rettet) == {"overgivelsesdato": (days(10), days(11))}
    assert rettet["kommentar"] == "Aftalt med borgeren 010190-xxxx"  # a CPR in text: masked
    text = response.content.decode()
    assert user.username not in text and "0101901234" not in text


def test_an_operators_fix_shows_as_a_command(jc, borger):
    from django.core.management import call_command

    opret(borger)
    call_command("ret_asylovergivelse", "--cpr", borger.cpr, "--cv-edit-end-date", days(41))
    rettet = historik(jc, borger)[-1]
    assert (rettet["kilde"], rettet["organisation"]) == ("kommando", None)
    assert changes(rettet) == {"CVEditEndDate": (days(40), days(41))}


def test_no_transition_is_an_empty_history_and_logged_as_a_read(jc, borger):
    assert historik(jc, borger) == []
    row = AccessLogEntry.objects.get()
    assert (row.handling, row.borger, row.outcome) == ("GetAsylOvergivelseHistorik", borger, 200)


def test_a_stranger_gets_6005_logged_as_refused(jc, integrator_for):
    stranger = BorgerFactory(kontaktgruppe="flygtning")
    opret(stranger)
    assert_problem(jc.call("get", HISTORIK, headers={CPR: stranger.cpr}), 403, 6005)
    row = AccessLogEntry.objects.get()
    assert (row.handling, row.outcome, row.error_code) == ("GetAsylOvergivelseHistorik", 403, 6005)
    writer = integrator_for(jc.organisation, ["borgerindsats.asylovergivelse.write"])
    assert_problem(writer.call("get", HISTORIK, headers={CPR: stranger.cpr}), 403, 40300)


def test_the_history_is_read_in_one_statement_however_long(jc, borger):
    """Token cache warm: the citizen with its relation, the history rows with their
    organisations, then the log row; more changes send no more statements."""
    assert jc.call("post", URL, body(), headers={CPR: borger.cpr}).status_code == 201
    historik(jc, borger)
    with statements() as first:
        historik(jc, borger)
    for n in range(3):
        ny = body(CVEditEndDate=days(41 + n))
        assert jc.call("put", URL, ny, headers={CPR: borger.cpr}).status_code == 204
    with statements() as again:
        assert len(historik(jc, borger)) == 4
    assert len(again.data()) == len(first.data()) == 3, again
    citizen, rows, log_row = first.data()
    assert "accessrules_borger" in citizen and "historicalasylovergivelse" in rows
    assert log_row.startswith('INSERT INTO "accessrules_accesslogentry"'), log_row
