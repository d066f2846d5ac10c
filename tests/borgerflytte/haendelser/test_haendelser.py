"""The CPR event intake as a service (SPEC 5a): each event's result, code and field, and what
is stored afterwards: residences, flows, receipts; and nothing changed on a rejection."""

import ast
import datetime
import logging
import pathlib
import re

import pytest
from django.conf import settings
from django.db import connection

from accessrules.core.errors import DomainError
from accessrules.models import Borger, Tilknytning
from borgerflytte import haendelser
from borgerflytte.haendelser import modtag_haendelse, modtag_haendelser, valider_batch
from borgerflytte.models import Borgerflytning, HaendelseKvittering, HaendelseStatus, Tilstand
from tests.borgerflytte.conftest import (
    BorgerflytningFactory,
    DoedsfaldFactory,
    FlytningFactory,
    IndrejseFactory,
    bosat,
    days,
)
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, TilknytningFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db

BEHANDLET = HaendelseStatus.BEHANDLET
ALLEREDE = HaendelseStatus.ALLEREDE_BEHANDLET
AFVIST = HaendelseStatus.AFVIST


@pytest.fixture
def c(kommuner):
    """Kommuner 101 (A), 147 (B), 169 (C) with jobcentres 10100, 14700 and 16900."""
    return {**kommuner, "C": KommuneFactory(kode="169"), "jcC": JobcenterFactory(kode="16900")}


def modtag(*events, kilde="test"):
    return modtag_haendelser(haendelser=list(events), kilde=kilde)


def errors(result) -> list[tuple[int, str | None]]:
    return [(v.code, v.field) for v in result.errors]


def boliger(borger) -> list[tuple[str, datetime.date, datetime.date | None]]:
    rows = Tilknytning.objects.filter(borger=borger, organisation__type=7).order_by("fra")
    return [(t.organisation.kode, t.fra, t.til) for t in rows]


def snapshot() -> tuple:
    """Everything an event may change, to assert that a rejected one changed nothing."""
    return (
        list(Borger.objects.order_by("pk").values_list("cpr", "doedsdato", "kontaktgruppe")),
        list(
            Tilknytning.objects.order_by("pk").values_list("borger", "organisation", "fra", "til")
        ),
        list(Borgerflytning.objects.order_by("pk").values_list("pk", "tilstand")),
        Borgerflytning.history.count(),
    )


# --- flytning -------------------------------------------------------------------------------


def test_a_move_ends_the_old_residence_opens_the_new_and_a_flow(c):
    borger = bosat(c["A"], c["jcA"], fra=days(-400))
    event = FlytningFactory(cpr=borger.cpr, flyttedato=days(-3).isoformat())
    [result] = modtag(event, kilde="klient-x")

    assert (result.status, result.errors) == (BEHANDLET, ())
    flow = Borgerflytning.objects.get(pk=result.borgerflytning_id)
    assert (flow.borger, flow.fraflytningskommune, flow.tilflytningskommune) == (
        borger,
        c["A"],
        c["B"],
    )
    assert (flow.flyttedato, flow.tilstand) == (days(-3), Tilstand.AFVENTER)
    assert flow.history.get().history_change_reason == f"CPR-hændelse {event['haendelseId']}"
    assert boliger(borger) == [("101", days(-400), days(-4)), ("147", days(-3), None)]
    # the jobcentre affiliation moves only when the flow completes
    assert Tilknytning.objects.get(borger=borger, organisation=c["jcA"]).til is None

    receipt = HaendelseKvittering.objects.get(haendelse_id=event["haendelseId"])
    assert (receipt.status, receipt.fejl, receipt.kilde) == ("behandlet", [], "klient-x")
    assert (receipt.borger, receipt.borgerflytning, receipt.type) == (borger, flow, "flytning")
    assert receipt.indhold == event
    assert receipt.modtaget == receipt.resultat_tidspunkt


def test_an_unknown_cpr_becomes_a_citizen_living_in_the_new_kommune(c):
    event = FlytningFactory()
    [result] = modtag(event)
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    borger = Borger.objects.get(cpr=event["cpr"])
    assert boliger(borger) == [("147", days(-3), None)]
    assert HaendelseKvittering.objects.get().borger == borger


def test_a_four_digit_code_names_the_kommune_by_number(c):
    borger = bosat(c["B"], c["jcB"])
    [result] = modtag(FlytningFactory(cpr=borger.cpr, fraKommunekode="0147", tilKommunekode="0101"))
    assert result.status == BEHANDLET
    flow = Borgerflytning.objects.get(pk=result.borgerflytning_id)
    assert (flow.fraflytningskommune, flow.tilflytningskommune) == (c["B"], c["A"])
    assert boliger(borger)[-1][0] == "101"


def test_a_future_move_ends_the_old_residence_in_the_future(c):
    borger = bosat(c["A"], c["jcA"])
    [result] = modtag(FlytningFactory(cpr=borger.cpr, flyttedato=days(28).isoformat()))
    assert result.status == BEHANDLET
    assert boliger(borger)[-2:] == [("101", days(-365), days(27)), ("147", days(28), None)]
    assert Borgerflytning.objects.get().flyttedato == days(28)


def test_a_move_more_than_the_settings_days_ahead_is_rejected(c, settings):
    """Issue 20: a `flytning` dated 2199-12-31 was applied, and every real later move was then
    refused as not newer (SPEC 5a: CPR_FLYTNING_MAX_DAYS_AHEAD, default 28)."""
    borger = bosat(c["A"], c["jcA"])
    before = snapshot()
    far = [FlytningFactory(cpr=borger.cpr, flyttedato=d) for d in ("2199-12-31", str(days(29)))]
    for result in modtag(*far):
        assert (result.status, errors(result)) == (AFVIST, [(1014, "flyttedato")])
        assert "28 days ahead" in result.errors[0].detail
    assert snapshot() == before
    settings.CPR_FLYTNING_MAX_DAYS_AHEAD = 40
    [result] = modtag(FlytningFactory(cpr=borger.cpr, flyttedato=days(29).isoformat()))
    assert result.status == BEHANDLET


def test_a_move_of_a_dead_citizen_is_rejected_and_opens_no_flow(c):
    """Issue 20: a move of a dead citizen opened a flow (SPEC 5a: 1014, field cpr)."""
    borger = bosat(c["A"], c["jcA"])
    Borger.objects.filter(pk=borger.pk).update(doedsdato=days(-5))
    before = snapshot()
    [result] = modtag(FlytningFactory(cpr=borger.cpr, flyttedato=days(-1).isoformat()))
    assert (result.status, errors(result)) == (AFVIST, [(1014, "cpr")])
    assert result.errors[0].detail
    assert snapshot() == before
    assert not Borgerflytning.objects.exists()


def test_a_death_then_a_move_in_one_batch_rejects_the_move(c):
    borger = bosat(c["A"], c["jcA"])
    death = DoedsfaldFactory(cpr=borger.cpr, doedsdato=days(-5).isoformat())
    move = FlytningFactory(cpr=borger.cpr, flyttedato=days(-1).isoformat())
    results = modtag(death, move)
    assert [(r.status, errors(r)) for r in results] == [
        (BEHANDLET, []),
        (AFVIST, [(1014, "cpr")]),
    ]
    assert not Borgerflytning.objects.exists()


@pytest.mark.parametrize("offset", [0, -1])
def test_a_move_not_newer_than_the_current_residence_is_rejected(c, offset):
    borger = bosat(c["A"], c["jcA"], fra=days(-10))
    before = snapshot()
    event = FlytningFactory(cpr=borger.cpr, flyttedato=days(-10 + offset).isoformat())
    [result] = modtag(event)
    assert (result.status, errors(result)) == (AFVIST, [(1014, "flyttedato")])
    assert snapshot() == before
    receipt = HaendelseKvittering.objects.get()
    assert receipt.status == "afvist"
    assert receipt.fejl == [
        {
            "code": 1014,
            "text": "Failed to validate message",
            "field": "flyttedato",
            "regel": "Flytningen er nyere end bopælen",
        }
    ]
    assert receipt.borger == borger


def test_a_move_not_newer_than_an_already_registered_future_move_is_rejected(c):
    borger = bosat(c["A"], c["jcA"])
    assert modtag(FlytningFactory(cpr=borger.cpr, flyttedato=days(20).isoformat()))[0].status == (
        BEHANDLET
    )
    before = snapshot()
    [result] = modtag(
        FlytningFactory(cpr=borger.cpr, tilKommunekode="169", flyttedato=days(10).isoformat())
    )
    assert (result.status, errors(result)) == (AFVIST, [(1014, "flyttedato")])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"tilKommunekode": "999"}, ["tilKommunekode"]),
        ({"fraKommunekode": "998"}, ["fraKommunekode"]),
        ({"fraKommunekode": "0", "tilKommunekode": "9999"}, ["fraKommunekode", "tilKommunekode"]),
    ],
)
def test_unknown_kommune_codes_reject_the_event(c, changes, fields):
    borger = bosat(c["A"], c["jcA"])
    before = snapshot()
    [result] = modtag(FlytningFactory(cpr=borger.cpr, **changes))
    assert (result.status, errors(result)) == (AFVIST, [(1014, f) for f in fields])
    assert snapshot() == before


def test_an_unknown_kommune_creates_no_citizen(c):
    event = FlytningFactory(tilKommunekode="999")
    assert modtag(event)[0].status == AFVIST
    assert not Borger.objects.filter(cpr=event["cpr"]).exists()
    assert HaendelseKvittering.objects.get().borger is None


@pytest.mark.parametrize(
    "factory", [FlytningFactory, IndrejseFactory, DoedsfaldFactory], ids=lambda f: f.__name__
)
def test_the_null_cpr_is_never_a_citizen(c, factory):
    [result] = modtag(factory(cpr="0000000000"))
    assert (result.status, errors(result)) == (AFVIST, [(1014, "cpr")])
    assert not Borger.objects.exists()
    assert HaendelseKvittering.objects.get().status == "afvist"


def test_a_new_move_cancels_the_waiting_flow_and_opens_one_to_the_new_kommune(c):
    borger = bosat(c["B"], c["jcA"], fra=days(-30))
    waiting = BorgerflytningFactory(borger=borger, flyttedato=days(-30))
    event = FlytningFactory(cpr=borger.cpr, fraKommunekode="147", tilKommunekode="169")
    [result] = modtag(event)
    assert result.status == BEHANDLET
    waiting.refresh_from_db()
    assert waiting.tilstand == Tilstand.ANNULLERET
    assert waiting.annulleret_begrundelse == "Ny flytning registreret i CPR"
    assert waiting.annulleret_af == f"CPR-hændelse {event['haendelseId']}"
    new = Borgerflytning.objects.get(pk=result.borgerflytning_id)
    assert (new.fraflytningskommune, new.tilflytningskommune, new.tilstand) == (
        c["A"],
        c["C"],
        Tilstand.AFVENTER,
    )


def test_a_move_back_into_the_jobcentres_kommune_cancels_and_opens_none(c):
    borger = bosat(c["B"], c["jcA"], fra=days(-30))
    waiting = BorgerflytningFactory(borger=borger, flyttedato=days(-30))
    [result] = modtag(FlytningFactory(cpr=borger.cpr, fraKommunekode="147", tilKommunekode="101"))
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    waiting.refresh_from_db()
    assert waiting.tilstand == Tilstand.ANNULLERET
    assert Borgerflytning.objects.count() == 1


def test_a_move_within_one_kommune_moves_the_residence_and_leaves_the_flows(c):
    """SPEC 5a: a move within one kommune opens no flow; and the waiting one stays, since the
    citizen still moved from A to B on its flyttedato (decision: README)."""
    borger = bosat(c["B"], c["jcA"], fra=days(-30))
    waiting = BorgerflytningFactory(borger=borger, flyttedato=days(-30))
    [result] = modtag(FlytningFactory(cpr=borger.cpr, fraKommunekode="147", tilKommunekode="147"))
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    assert boliger(borger) == [("147", days(-30), days(-4)), ("147", days(-3), None)]
    waiting.refresh_from_db()
    assert waiting.tilstand == Tilstand.AFVENTER
    assert Borgerflytning.objects.count() == 1


def test_a_jobcentre_whose_kommune_is_not_in_the_register_opens_no_flow(c, caplog):
    borger = bosat(c["A"], JobcenterFactory(kode="40000"))
    with caplog.at_level(logging.WARNING):
        [result] = modtag(FlytningFactory(cpr=borger.cpr))
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    assert not Borgerflytning.objects.exists()
    assert "jobcenter 40000" in caplog.text
    assert borger.cpr not in caplog.text and borger.cpr[:6] not in caplog.text


def test_a_known_citizen_without_a_residence_gets_one_and_a_flow(c):
    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=c["jcA"], fra=days(-100))
    [result] = modtag(FlytningFactory(cpr=borger.cpr))
    assert boliger(borger) == [("147", days(-3), None)]
    flow = Borgerflytning.objects.get(pk=result.borgerflytning_id)
    assert (flow.fraflytningskommune, flow.tilflytningskommune) == (c["A"], c["B"])


def test_a_citizen_without_a_jobcentre_gets_no_flow(c):
    borger = bosat(c["A"])
    assert modtag(FlytningFactory(cpr=borger.cpr))[0].borgerflytning_id is None
    assert not Borgerflytning.objects.exists()


def test_the_most_recently_started_open_jobcentre_affiliation_decides(c):
    borger = bosat(c["A"], c["jcA"], fra=days(-400))
    TilknytningFactory(borger=borger, organisation=c["jcC"], fra=days(-100))
    TilknytningFactory(borger=borger, organisation=c["jcB"], fra=days(-500), til=days(-450))
    [result] = modtag(FlytningFactory(cpr=borger.cpr))
    assert Borgerflytning.objects.get(pk=result.borgerflytning_id).fraflytningskommune == c["C"]


def test_two_moves_of_one_citizen_in_one_batch_apply_in_order(c):
    borger = bosat(c["A"], c["jcA"])
    first = FlytningFactory(cpr=borger.cpr, flyttedato=days(-20).isoformat())
    second = FlytningFactory(cpr=borger.cpr, tilKommunekode="169", flyttedato=days(-5).isoformat())
    stale = FlytningFactory(cpr=borger.cpr, tilKommunekode="101", flyttedato=days(-5).isoformat())
    r1, r2, r3 = modtag(first, second, stale)
    assert [r.status for r in (r1, r2, r3)] == [BEHANDLET, BEHANDLET, AFVIST]
    assert errors(r3) == [(1014, "flyttedato")]
    assert boliger(borger) == [
        ("101", days(-365), days(-21)),
        ("147", days(-20), days(-6)),
        ("169", days(-5), None),
    ]
    flows = {f.pk: f for f in Borgerflytning.objects.all()}
    assert flows[r1.borgerflytning_id].tilstand == Tilstand.ANNULLERET
    history = flows[r1.borgerflytning_id].history.order_by("history_id")
    assert [(h.history_type, h.tilstand, h.history_change_reason) for h in history] == [
        ("+", Tilstand.AFVENTER, f"CPR-hændelse {first['haendelseId']}"),
        (
            "~",
            Tilstand.ANNULLERET,
            f"annulleret af CPR-hændelse {second['haendelseId']}: Ny flytning registreret i CPR",
        ),
    ]
    assert flows[r2.borgerflytning_id].tilstand == Tilstand.AFVENTER
    assert flows[r2.borgerflytning_id].tilflytningskommune == c["C"]


def test_a_rejected_event_does_not_stop_the_others(c):
    results = modtag(
        FlytningFactory(), FlytningFactory(tilKommunekode="999"), IndrejseFactory(), kilde="x"
    )
    assert [r.status for r in results] == [BEHANDLET, AFVIST, BEHANDLET]
    assert HaendelseKvittering.objects.count() == 3
    assert Borger.objects.count() == 2


# --- identity ---------------------------------------------------------------------------------


def test_the_same_event_twice_is_allerede_behandlet_with_the_same_flow(c):
    borger = bosat(c["A"], c["jcA"])
    event = FlytningFactory(cpr=borger.cpr)
    [first] = modtag(event)
    receipt = HaendelseKvittering.objects.get()
    before = snapshot()
    [again] = modtag(dict(reversed(event.items())), kilde="other")  # key order is no content
    assert (again.status, again.borgerflytning_id) == (ALLEREDE, first.borgerflytning_id)
    assert again.borgerflytning_id is not None
    assert snapshot() == before
    stored = HaendelseKvittering.objects.get()
    assert (stored.resultat_tidspunkt, stored.kilde) == (receipt.resultat_tidspunkt, "test")


def test_the_same_event_twice_in_one_batch(c):
    borger = bosat(c["A"], c["jcA"])
    event = FlytningFactory(cpr=borger.cpr)
    first, again = modtag(event, dict(event))
    assert (first.status, again.status) == (BEHANDLET, ALLEREDE)
    assert again.borgerflytning_id == first.borgerflytning_id is not None
    assert HaendelseKvittering.objects.count() == 1


def test_the_same_id_with_other_content_in_a_later_batch_is_rejected(c):
    borger = bosat(c["A"], c["jcA"])
    event = FlytningFactory(cpr=borger.cpr)
    modtag(event)
    before = snapshot()
    [result] = modtag({**event, "tilKommunekode": "169"})
    assert (result.status, errors(result)) == (AFVIST, [(1014, "haendelseId")])
    assert snapshot() == before
    assert HaendelseKvittering.objects.get().indhold == event  # the id names the first


def test_the_same_id_with_other_content_in_one_batch_is_rejected(c):
    event = FlytningFactory()
    first, other = modtag(event, {**event, "flyttedato": days(-1).isoformat()})
    assert first.status == BEHANDLET
    assert (other.status, errors(other)) == (AFVIST, [(1014, "haendelseId")])
    assert Tilknytning.objects.count() == 1


def test_a_rejected_event_sent_again_is_applied_and_its_receipt_keeps_the_latest_result(c):
    event = FlytningFactory(tilKommunekode="173")
    [rejected] = modtag(event, kilde="first")
    assert errors(rejected) == [(1014, "tilKommunekode")]
    first = HaendelseKvittering.objects.get()
    KommuneFactory(kode="173")
    [applied] = modtag(event, kilde="second")
    assert applied.status == BEHANDLET
    receipt = HaendelseKvittering.objects.get()
    assert (receipt.status, receipt.fejl, receipt.kilde) == ("behandlet", [], "second")
    assert receipt.borger == Borger.objects.get(cpr=event["cpr"])
    assert receipt.modtaget == first.modtaget < receipt.resultat_tidspunkt
    [replay] = modtag(event)
    assert replay.status == ALLEREDE


# --- indrejse and doedsfald -----------------------------------------------------------------


def test_an_indrejse_gives_a_new_citizen_a_residence_and_no_flow(c):
    event = IndrejseFactory(kontaktgruppe="flygtning", tilKommunekode="0169")
    [result] = modtag(event)
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    borger = Borger.objects.get(cpr=event["cpr"])
    assert borger.kontaktgruppe == "flygtning"
    assert boliger(borger) == [("169", days(-3), None)]
    assert not Borgerflytning.objects.exists()


def test_an_indrejse_of_a_known_citizen_without_a_residence(c):
    borger = BorgerFactory(kontaktgruppe="x")
    TilknytningFactory(borger=borger, organisation=c["A"], fra=days(-900), til=days(-400))
    TilknytningFactory(borger=borger, organisation=c["jcA"], fra=days(-900))
    [result] = modtag(IndrejseFactory(cpr=borger.cpr))
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    assert boliger(borger)[-1] == ("147", days(-3), None)
    assert Borger.objects.get(pk=borger.pk).kontaktgruppe == "x"  # not given: unchanged
    assert not Borgerflytning.objects.exists()


def test_an_indrejse_of_a_citizen_who_lives_here_is_rejected(c):
    borger = bosat(c["A"], c["jcA"])
    before = snapshot()
    [result] = modtag(IndrejseFactory(cpr=borger.cpr, kontaktgruppe="flygtning"))
    assert (result.status, errors(result)) == (AFVIST, [(1014, "type")])
    assert snapshot() == before


def test_an_indrejse_to_an_unknown_kommune_is_rejected(c):
    [result] = modtag(IndrejseFactory(tilKommunekode="998"))
    assert errors(result) == [(1014, "tilKommunekode")]
    assert not Borger.objects.exists()


def test_a_death_sets_doedsdato_and_leaves_the_waiting_flow(c):
    borger = bosat(c["B"], c["jcA"])
    waiting = BorgerflytningFactory(borger=borger)
    [result] = modtag(DoedsfaldFactory(cpr=borger.cpr, doedsdato=days(-2).isoformat()))
    assert (result.status, result.borgerflytning_id) == (BEHANDLET, None)
    assert Borger.objects.get(pk=borger.pk).doedsdato == days(-2)
    waiting.refresh_from_db()
    assert waiting.tilstand == Tilstand.AFVENTER
    assert HaendelseKvittering.objects.get().borger == borger


def test_a_death_of_an_unknown_cpr_is_1010(c):
    [result] = modtag(DoedsfaldFactory())
    assert (result.status, errors(result)) == (AFVIST, [(1010, "cpr")])
    assert not Borger.objects.exists()


def test_a_citizen_new_in_the_batch_can_die_in_it(c):
    event = IndrejseFactory()
    results = modtag(event, DoedsfaldFactory(cpr=event["cpr"]))
    assert [r.status for r in results] == [BEHANDLET, BEHANDLET]
    assert Borger.objects.get(cpr=event["cpr"]).doedsdato == days(-1)
    assert set(HaendelseKvittering.objects.values_list("borger__cpr", flat=True)) == {event["cpr"]}


# --- the batch's shape ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"haendelseId": ""}, "haendelseId"),
        ({"haendelseId": "x" * 65}, "haendelseId"),
        ({"haendelseId": 17}, "haendelseId"),
        ({"type": "udrejse"}, "type"),
        ({"cpr": "2902011234"}, "cpr"),  # 29 Feb 1901: the pattern, but no such day (SPEC 2)
        ({"cpr": "010190123"}, "cpr"),
        ({"cpr": None}, "cpr"),
        ({"tilKommunekode": "12345"}, "tilKommunekode"),
        ({"tilKommunekode": "1a"}, "tilKommunekode"),
        ({"tilKommunekode": 147}, "tilKommunekode"),
        ({"fraKommunekode": ""}, "fraKommunekode"),
        ({"flyttedato": "1899-12-31"}, "flyttedato"),
        ({"flyttedato": "2200-01-01"}, "flyttedato"),
        ({"flyttedato": "2026-02-30"}, "flyttedato"),
        ({"flyttedato": "20260101"}, "flyttedato"),
        ({"flyttedato": "2026-01-01T00:00:00"}, "flyttedato"),
        ({"flyttedato": None}, "flyttedato"),
        ({"doedsdato": "2026-01-01"}, "doedsdato"),  # not a key of a flytning
    ],
)
def test_a_malformed_event_refuses_the_whole_batch(c, changes, field):
    good = FlytningFactory()
    bad = {**FlytningFactory(), **changes}
    with pytest.raises(DomainError) as refused:
        modtag(good, bad)
    assert [(v.code, v.field) for v in refused.value.violations] == [
        (1014, f"haendelser[1].{field}")
    ]
    assert not Borger.objects.exists()
    assert not HaendelseKvittering.objects.exists()


def test_every_violation_of_the_batch_is_reported(c):
    missing = FlytningFactory()
    del missing["flyttedato"]
    with pytest.raises(DomainError) as refused:
        modtag("not an event", missing, IndrejseFactory(kontaktgruppe="x" * 51, dato="1900-01-00"))
    assert [v.field for v in refused.value.violations] == [
        "haendelser[0]",
        "haendelser[1].flyttedato",
        "haendelser[2].dato",
        "haendelser[2].kontaktgruppe",
    ]


def test_the_edges_of_the_date_range_are_accepted(c):
    results = modtag(
        IndrejseFactory(dato="1900-01-01"),
        DoedsfaldFactory(cpr="0101901234", doedsdato="2199-12-31"),
    )
    assert [r.status for r in results] == [BEHANDLET, AFVIST]  # the second: unknown CPR


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ([], [None]),
        ({}, ["haendelser"]),
        ({"haendelser": []}, ["haendelser"]),
        ({"haendelser": [{}] * 1001}, ["haendelser"]),
        ({"haendelser": [], "x": 1}, ["x", "haendelser"]),
        ({"haendelser": {"a": 1}}, ["haendelser"]),
        (
            {"haendelser": [{"haendelseId": "a", "type": "doedsfald", "cpr": "0101901234"}]},
            ["haendelser[0].doedsdato"],
        ),
    ],
)
def test_the_shape_of_a_whole_document(body, fields):
    assert [(v.code, v.field) for v in valider_batch(body)] == [(1014, f) for f in fields]


def test_a_well_formed_document_has_no_violations():
    body = {"haendelser": [FlytningFactory(), IndrejseFactory(kontaktgruppe=None)] * 500}
    assert valider_batch(body) == []


def test_the_service_imports_no_web_framework():
    """The intake is plain Python (the API, the command and the admin share it)."""
    package = pathlib.Path(haendelser.__file__).parent
    command = package.parent / "management" / "commands" / "indlaes_cpr_haendelser.py"
    for path in [*package.glob("*.py"), command]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                assert not [n for n in names if n and n.startswith(_WEB)], (path.name, names)


# the intake is domain code: no web framework, and not through the API layer
_WEB = ("rest_framework", "accessrules.api", "borgerflytte.api", "borgerflytte.services")


def test_one_event_on_its_own(c):
    result = modtag_haendelse(haendelse=FlytningFactory(), kilde="admin")
    assert result.status == BEHANDLET
    with pytest.raises(DomainError) as refused:
        modtag_haendelse(haendelse=FlytningFactory(flyttedato="x"), kilde="admin")
    assert [(v.code, v.field) for v in refused.value.violations] == [(1014, "flyttedato")]


def test_a_result_as_the_api_answers_it(c):
    borger = bosat(c["A"], c["jcA"])
    ok, rejected = modtag(FlytningFactory(cpr=borger.cpr, haendelseId="h1"), DoedsfaldFactory())
    assert ok.as_dict() == {
        "haendelseId": "h1",
        "status": "behandlet",
        "borgerflytningId": str(ok.borgerflytning_id),
        "errors": [],
    }
    assert rejected.as_dict()["errors"] == [{"code": 1010, "text": "Unknown cpr", "field": "cpr"}]


# --- cost -------------------------------------------------------------------------------------


def written(sent) -> list[tuple[str, str]]:
    """Each data statement's verb and the table it reads or writes."""
    return [
        (sql.split()[0], re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql).group(1))
        for sql in sent.data()
    ]


def test_a_chunk_costs_a_fixed_number_of_statements(c):
    """Reads and writes are per chunk, not per event: 5 reads (kommuner, citizens locked,
    waiting flows locked, periods, receipts) and one write per kind of row, here every kind:
    new citizens, residences, residences ended (on two dates), citizens corrected (two
    fields), flows opened and cancelled with their history rows, receipts new and rewritten."""
    movers = [bosat(c["A"], c["jcA"]) for _ in range(40)]
    waiting = [BorgerflytningFactory(borger=b) for b in movers]
    dying = [bosat(c["A"]) for _ in range(5)]
    returning = BorgerFactory(kontaktgruppe="x")
    resent = FlytningFactory(tilKommunekode="173")
    [rejected] = modtag(resent)
    assert errors(rejected) == [(1014, "tilKommunekode")]
    KommuneFactory(kode="173")
    events = (
        [
            FlytningFactory(cpr=b.cpr, flyttedato=days(-3 - n % 2).isoformat())
            for n, b in enumerate(movers)
        ]
        + [DoedsfaldFactory(cpr=b.cpr) for b in dying]
        + [IndrejseFactory(cpr=returning.cpr, kontaktgruppe="flygtning")]
        + [IndrejseFactory(kontaktgruppe="flygtning") for _ in range(5)]
        + [FlytningFactory() for _ in range(5)]
        + [resent]
    )
    with statements() as sent:
        results = modtag(*events)
    assert {r.status for r in results} == {BEHANDLET}
    copied = [] if connection.vendor == "postgresql" else ["INSERT"]  # COPY: not captured
    assert written(sent) == [
        ("SELECT", "accessrules_organisation"),  # the kommuner register
        ("SELECT", "accessrules_borger"),  # locked
        ("SELECT", "borgerflytte_borgerflytning"),  # the waiting flows, locked
        ("SELECT", "accessrules_tilknytning"),
        ("SELECT", "borgerflytte_haendelsekvittering"),
        ("INSERT", "accessrules_borger"),
        *[(verb, "accessrules_tilknytning") for verb in copied],
        ("UPDATE", "accessrules_tilknytning"),  # two end dates, one statement
        ("UPDATE", "accessrules_borger"),  # doedsdato and kontaktgruppe
        *[(verb, "borgerflytte_borgerflytning") for verb in copied],
        *[(verb, "borgerflytte_historicalborgerflytning") for verb in copied],
        ("UPDATE", "borgerflytte_borgerflytning"),  # cancelled
        *[(verb, "borgerflytte_historicalborgerflytning") for verb in copied],
        *[("SELECT", "accessrules_abonnement") for _ in [settings.NOTIFICATIONS_ENABLED] if _],
        *[(verb, "borgerflytte_haendelsekvittering") for verb in copied],
        ("UPDATE", "borgerflytte_haendelsekvittering"),  # the one sent again
    ], sent
    assert Borgerflytning.objects.filter(tilstand=Tilstand.AFVENTER).count() == 40  # movers'
    assert {f.tilstand for f in Borgerflytning.objects.filter(pk__in=[w.pk for w in waiting])} == {
        Tilstand.ANNULLERET
    }
    assert {boliger(b)[0][2] for b in movers} == {days(-4), days(-5)}
    died = Borger.objects.filter(pk__in=[d.pk for d in dying]).order_by("pk")
    assert [(b.doedsdato, b.kontaktgruppe) for b in died] == [
        (days(-1), d.kontaktgruppe) for d in dying
    ]
    returning.refresh_from_db()
    assert (returning.doedsdato, returning.kontaktgruppe) == (None, "flygtning")
    assert HaendelseKvittering.objects.get(haendelse_id=resent["haendelseId"]).status == "behandlet"
