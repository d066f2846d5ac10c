"""GET /v1/BorgerFlytte/{borgerflytningId}/historik (SPEC 10): the flow's changes, oldest
first, for those that see it in the list (else 404 code 3): its creation by the CPR register,
each side's confirmation and the completion, a cancellation with its begrundelse, each with
who made it by kind and organisation (a caseworker as their organisation); no CPR at all;
logged as a read of the citizen."""

import uuid

import pytest
from django.core.management import call_command

from accessrules.models import AccessLogEntry
from accessrules.oauth.scopes import CPRHAENDELSER_WRITE
from tests.borgerflytte.conftest import (
    CPR,
    FRA_URL,
    LIST_URL,
    TIL_URL,
    BorgerflytningFactory,
    FlytningFactory,
    bosat,
    days,
)
from tests.conftest import error_codes
from tests.factories import AndenAktoerFactory, KommuneFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


def url(flow_id) -> str:
    return f"{LIST_URL}/{flow_id}/historik"


def changes(post) -> dict:
    return {c["felt"]: (c["gammelVaerdi"], c["nyVaerdi"]) for c in post["aendringer"]}


def who(post) -> tuple:
    return post["aendringstype"], post["kilde"], post["organisation"]


def test_created_by_cpr_confirmed_by_both_sides_and_completed(integrator_for, kommuner):
    borger = bosat(kommuner["A"], kommuner["jcA"])
    system = integrator_for(StarFactory(), [CPRHAENDELSER_WRITE.navn], system=True)
    event = FlytningFactory(cpr=borger.cpr, flyttedato=days(-2).isoformat())
    answer = system.call("post", "/v1/CprHaendelser", {"haendelser": [event]})
    flow_id = answer.json()["resultater"][0]["borgerflytningId"]
    body = {"borgerflytningId": flow_id}
    b, a = integrator_for(kommuner["jcB"]), integrator_for(kommuner["A"])
    assert b.call("post", TIL_URL, body, headers={"x-requestId": "1"}).status_code == 204
    fra = a.call("post", FRA_URL, body, headers={"x-requestId": "2", CPR: borger.cpr})
    assert fra.status_code == 204
    AccessLogEntry.objects.all().delete()

    response = a.call("get", url(flow_id))
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    assert response.json()["borgerflytningId"] == flow_id
    oprettet, til, fra = response.json()["historik"]
    assert who(oprettet) == ("oprettet", "cpr", None)
    assert changes(oprettet) == {
        "tilstand": (None, "AFVENTER"),
        "flyttedato": (None, days(-2).isoformat()),
        "fraflytningskommunekode": (None, "101"),
        "tilflytningskommunekode": (None, "147"),
    }
    assert who(til) == ("aendret", "api", {"type": 8, "code": "14700"})
    til_changes = changes(til)
    assert til_changes["tilflytningsbekraeftelse.organisation"] == (None, "8:14700")
    assert til_changes.keys() == {
        "tilflytningsbekraeftelse.tidspunkt",
        "tilflytningsbekraeftelse.organisation",
    }
    assert who(fra) == ("aendret", "api", {"type": 7, "code": "101"})
    assert changes(fra)["tilstand"] == ("AFVENTER", "AFSLUTTET")  # both sides: completed
    assert changes(fra)["fraflytningsbekraeftelse.organisation"] == (None, "7:101")
    listed = a.call("get", LIST_URL).json()["results"][0]["fraflytningsbekraeftelse"]
    assert changes(fra)["fraflytningsbekraeftelse.tidspunkt"] == (None, listed["tidspunkt"])
    assert all(post["begrundelse"] is None for post in (oprettet, til, fra))
    assert borger.cpr not in response.content.decode()  # no CPR at all
    row = AccessLogEntry.objects.filter(handling="GetBorgerflytningHistorik").get()
    assert (row.borger, row.outcome, row.client) == (borger, 200, a.client)


def test_a_cancellation_by_a_new_move_in_cpr_shows_as_the_cpr_register(integrator_for, kommuner):
    borger = bosat(kommuner["A"], kommuner["jcA"])
    system = integrator_for(StarFactory(), [CPRHAENDELSER_WRITE.navn], system=True)
    first = FlytningFactory(cpr=borger.cpr, flyttedato=days(-5).isoformat())
    answer = system.call("post", "/v1/CprHaendelser", {"haendelser": [first]})
    flow_id = answer.json()["resultater"][0]["borgerflytningId"]
    KommuneFactory(kode="169")
    moved_on = FlytningFactory(
        cpr=borger.cpr, tilKommunekode="169", flyttedato=days(-1).isoformat()
    )
    assert system.call("post", "/v1/CprHaendelser", {"haendelser": [moved_on]}).status_code == 200
    response = integrator_for(kommuner["A"]).call("get", url(flow_id))
    oprettet, annulleret = response.json()["historik"]
    assert who(annulleret) == ("aendret", "cpr", None)
    assert changes(annulleret) == {"tilstand": ("AFVENTER", "ANNULLERET")}
    assert annulleret["begrundelse"] == "Ny flytning registreret i CPR"
    assert borger.cpr not in response.content.decode()


def test_a_caseworkers_cancellation_shows_their_organisation_and_begrundelse(
    client, staff_login, integrator_for, kommuner
):
    flow = BorgerflytningFactory()
    user = staff_login(
        "view_borgerflytning",
        "change_borgerflytning",
        username="karin.support",
        organisation=kommuner["A"],
    )
    data = {"action": "annuller", "_selected_action": [str(flow.pk)], "bekraeft": "ja"}
    begrundelse = f"Dobbeltregistrering af {flow.borger.cpr}"
    client.post("/admin/borgerflytte/borgerflytning/", {**data, "begrundelse": begrundelse})
    response = integrator_for(kommuner["jcB"]).call("get", url(flow.pk))
    oprettet, annulleret = response.json()["historik"]
    assert (oprettet["kilde"], oprettet["organisation"]) == (None, None)  # not recorded
    assert who(annulleret) == ("aendret", "sagsbehandler", {"type": 7, "code": "101"})
    assert changes(annulleret) == {"tilstand": ("AFVENTER", "ANNULLERET")}
    assert annulleret["begrundelse"] == f"Dobbeltregistrering af {flow.borger.cpr[:6]}-xxxx"
    text = response.content.decode()
    assert flow.borger.cpr not in text and user.username not in text


def test_an_operators_cancellation_shows_as_a_command(integrator_for, kommuner):
    flow = BorgerflytningFactory()
    call_command("annuller_borgerflytning", str(flow.pk), "--begrundelse", "Fejl i CPR")
    annulleret = integrator_for(StarFactory()).call("get", url(flow.pk)).json()["historik"][-1]
    assert (who(annulleret), annulleret["begrundelse"]) == (
        ("aendret", "kommando", None),
        "Fejl i CPR",
    )


def test_others_and_unknown_ids_get_404_code_3_logged_as_refused(integrator_for, kommuner):
    flow = BorgerflytningFactory()
    for organisation in (KommuneFactory(kode="169"), AndenAktoerFactory()):
        response = integrator_for(organisation).call("get", url(flow.pk))
        assert response.status_code == 404 and error_codes(response) == [3]
    response = integrator_for(kommuner["A"]).call("get", url(uuid.uuid4()))
    assert response.status_code == 404 and error_codes(response) == [3]
    rows = AccessLogEntry.objects.filter(handling="GetBorgerflytningHistorik")
    assert {(r.borger_id, r.outcome, r.error_code) for r in rows} == {(None, 404, 3)}
    assert rows.count() == 3


def test_the_read_scope_is_needed(integrator_for, kommuner):
    flow = BorgerflytningFactory()
    writer = integrator_for(kommuner["A"], ["borgerkommunikation.jobcentertilknytning.write"])
    response = writer.call("get", url(flow.pk))
    assert response.status_code == 403 and error_codes(response) == [40300]


def test_the_history_is_read_in_one_statement_however_long(integrator_for, kommuner, flow):
    """Token cache warm: the flow the caller sees, its history rows with their organisations
    and kommuner, then the log row; more changes send no more statements."""
    a = integrator_for(kommuner["A"])
    a.call("get", url(flow.pk))
    with statements() as first:
        assert len(a.call("get", url(flow.pk)).json()["historik"]) == 1
    body = {"borgerflytningId": str(flow.pk)}
    b = integrator_for(kommuner["B"])
    assert b.call("post", TIL_URL, body, headers={"x-requestId": "1"}).status_code == 204
    fra = a.call("post", FRA_URL, body, headers={"x-requestId": "2", CPR: flow.borger.cpr})
    assert fra.status_code == 204
    with statements() as again:
        assert len(a.call("get", url(flow.pk)).json()["historik"]) == 3
    assert len(again.data()) == len(first.data()) == 3, again
    found, rows, log_row = first.data()
    assert "borgerflytte_borgerflytning" in found and "historicalborgerflytning" in rows
    assert log_row.startswith('INSERT INTO "accessrules_accesslogentry"'), log_row
