"""The `borgerflytninger` section of import_register (SPEC 7a): upsert by id, kommuner by code,
history for new and changed flows, confirmed or closed flows never changed."""

import copy
import datetime
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accessrules.models import Levering, Notifikation, Tilknytning
from accessrules.register import import_register
from accessrules.register.framework import RecordError
from borgerflytte.models import Borgerflytning, Tilstand
from tests.accessrules.notifikationer.conftest import abonnent  # noqa: F401
from tests.factories import BorgerFactory, StarFactory, TilknytningFactory

pytestmark = pytest.mark.django_db

FLOW_ID = "8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10"


@pytest.fixture
def document(kommuner):
    borger = BorgerFactory()  # living in B from flyttedato, as the CPR register has it
    TilknytningFactory(borger=borger, organisation=kommuner["B"], fra=datetime.date(2026, 11, 1))
    return {
        "borgerflytninger": [
            {
                "id": FLOW_ID,
                "cpr": borger.cpr,
                "fraflytningskommune": "101",
                "tilflytningskommune": "147",
                "flyttedato": "2026-11-01",
            }
        ]
    }


def test_a_new_flow_names_the_kommune_organisations(document, kommuner):
    assert import_register(document)["borgerflytning created"] == 1
    flow = Borgerflytning.objects.get(pk=FLOW_ID)
    assert (flow.fraflytningskommune, flow.tilflytningskommune) == (kommuner["A"], kommuner["B"])
    assert (flow.flyttedato, flow.tilstand) == (datetime.date(2026, 11, 1), Tilstand.AFVENTER)
    [created] = flow.history.all()
    assert (created.history_type, created.history_change_reason) == ("+", "import_register")
    assert created.fraflytningskommune == kommuner["A"]
    # the history row is the flow as written, defaults included (all but the sort key)
    fields = [f.attname for f in Borgerflytning.history.model.tracked_fields]
    assert len(fields) == len(Borgerflytning._meta.concrete_fields) - 1
    assert {name: getattr(created, name) for name in fields} == {
        name: getattr(flow, name) for name in fields
    }


def test_a_rerun_changes_nothing_and_writes_no_history(document):
    import_register(document)
    stats = import_register(copy.deepcopy(document))
    assert stats == {"borgerflytning unchanged": 1}
    assert Borgerflytning.history.count() == 1


def test_a_correction_of_a_waiting_flow_is_an_update_with_history(document, kommuner):
    import_register(document)
    document["borgerflytninger"][0].update(tilflytningskommune="169", flyttedato="2026-11-02")
    kommune_169 = type(kommuner["A"]).objects.create(type=7, kode="169", navn="Høje-Taastrup")
    assert import_register(document)["borgerflytning updated"] == 1
    flow = Borgerflytning.objects.get(pk=FLOW_ID)
    assert (flow.tilflytningskommune, flow.flyttedato) == (kommune_169, datetime.date(2026, 11, 2))
    assert [h.history_type for h in flow.history.order_by("history_id")] == ["+", "~"]


@pytest.mark.parametrize("state", ["confirmed", Tilstand.AFSLUTTET, Tilstand.ANNULLERET])
def test_a_confirmed_or_closed_flow_is_left_and_reported(document, state):
    """SPEC 7: the import never changes a flow a side confirmed or that is closed; it says so
    and loads the rest."""
    import_register(document)
    if state == "confirmed":
        Borgerflytning.objects.update(
            fraflytning_tidspunkt=timezone.now(), fraflytning_organisation=StarFactory()
        )
    else:
        Borgerflytning.objects.update(tilstand=state)
    history = Borgerflytning.history.count()
    document["borgerflytninger"][0]["flyttedato"] = "2026-12-01"
    reported = []
    stats = import_register(document, progress=reported.append)
    assert stats["borgerflytning left"] == 1 and "borgerflytning updated" not in stats
    flow_id = document["borgerflytninger"][0]["id"]
    said = "confirmed" if state == "confirmed" else state
    assert [line for line in reported if "left as it is" in line] == [
        f"borgerflytninger[0]: left as it is (borgerflytning {flow_id} is {said})"
    ]
    assert Borgerflytning.objects.get().flyttedato == datetime.date(2026, 11, 1)
    assert Borgerflytning.history.count() == history
    # the same record again is fine: nothing to change
    document["borgerflytninger"][0]["flyttedato"] = "2026-11-01"
    assert import_register(document) == {"borgerflytning unchanged": 1}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"id": "nope"}, "borgerflytninger[0].id"),
        ({"cpr": "0101011234"}, "borgerflytninger[0].cpr"),
        ({"cpr": ["0101011234"]}, "borgerflytninger[0].cpr"),
        ({"fraflytningskommune": "999"}, "borgerflytninger[0].fraflytningskommune"),
        ({"tilflytningskommune": {"kode": "147"}}, "borgerflytninger[0].tilflytningskommune"),
        ({"tilflytningskommune": "10100"}, "borgerflytninger[0].tilflytningskommune"),
        ({"tilflytningskommune": "101"}, "borgerflytninger[0]"),
        ({"flyttedato": "2026-02-30"}, "borgerflytninger[0].flyttedato"),
        ({"ekstra": 1}, "borgerflytninger[0]"),
    ],
)
def test_a_bad_record_names_itself_and_nothing_is_written(document, change, where):
    document["borgerflytninger"][0].update(change)
    with pytest.raises(RecordError) as error:
        import_register(document)
    assert error.value.where == where
    assert not Borgerflytning.objects.exists()
    assert not Borgerflytning.history.exists()


def test_the_same_id_twice_is_refused(document):
    document["borgerflytninger"].append(dict(document["borgerflytninger"][0]))
    with pytest.raises(RecordError):
        import_register(document)
    assert not Borgerflytning.objects.exists()


def test_through_the_command_with_dry_run(document, tmp_path):
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document))
    call_command("import_register", str(path), "--dry-run")
    assert not Borgerflytning.objects.exists()
    call_command("import_register", str(path))
    assert Borgerflytning.objects.filter(pk=uuid.UUID(FLOW_ID)).exists()
    document["borgerflytninger"][0]["tilflytningskommune"] = "999"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=r"borgerflytninger\[0\]\.tilflytningskommune"):
        call_command("import_register", str(path))


def test_residences_a_cpr_event_or_a_completed_flow_set_are_left(kommuner):
    """SPEC 7: the register document is the initial load; it never reopens a residence a CPR
    move ended, nor an affiliation a completed flow ended, and reports both."""
    from borgerflytte.haendelser import modtag_haendelser
    from tests.borgerflytte.conftest import FlytningFactory, days

    start = days(-400).isoformat()
    document = {
        "borgere": [
            {
                "cpr": "0101901234",
                "tilknytninger": [
                    {"organisation": "7:101", "fra": start, "til": None},
                    {"organisation": "8:10100", "fra": start, "til": None},
                ],
            }
        ]
    }
    import_register(document)
    [moved] = modtag_haendelser(
        haendelser=[FlytningFactory(cpr="0101901234", flyttedato=days(-5).isoformat())],
        kilde="test",
    )
    flow = Borgerflytning.objects.get(pk=moved.borgerflytning_id)
    star = StarFactory()
    from accessrules.core.caller import Caller
    from borgerflytte import services

    for side in (services.FRA, services.TIL):
        services.bekraeft(flytning_id=flow.pk, side=side, caller=Caller(organisation=star))
    ended = {t.organisation.reference: t.til for t in Tilknytning.objects.filter(fra=start)}
    assert ended == {"7:101": days(-6), "8:10100": days(-6)}

    reported = []
    stats = import_register(document, progress=reported.append)  # the old document again
    assert stats["tilknytning left"] == 2
    assert len([line for line in reported if "left as it is" in line]) == 2
    assert {t.organisation.reference: t.til for t in Tilknytning.objects.filter(fra=start)} == {
        "7:101": days(-6),
        "8:10100": days(-6),
    }


@pytest.mark.parametrize(
    "bolig",
    [
        None,
        ("101", "2020-01-01", None),
        ("147", "2026-11-02", None),
        ("147", "2020-01-01", "2026-10-31"),
    ],
)
def test_a_flow_whose_citizen_has_no_residence_in_b_from_flyttedato_is_reported(
    document, kommuner, bolig
):
    """Issue 19: B could not confirm it (6005) until the CPR register reports the move."""
    borger = BorgerFactory()
    if bolig:
        kode, fra, til = bolig
        organisation = kommuner["A"] if kode == "101" else kommuner["B"]
        TilknytningFactory(borger=borger, organisation=organisation, fra=fra, til=til)
    document["borgerflytninger"][0]["cpr"] = borger.cpr
    reported = []
    stats = import_register(document, progress=reported.append)
    assert stats["borgerflytning created"] == 1  # reported, not refused
    assert stats["borgerflytning without residence in B"] == 1
    [line] = [r for r in reported if "no residence" in r]
    assert line.startswith("borgerflytninger[0] (cpr ")
    assert "kommune 147 from flyttedato 2026-11-01" in line
    assert borger.cpr not in line


def test_a_closed_flow_without_residence_in_b_is_not_reported(document):
    import_register(document)
    Borgerflytning.objects.filter(pk=FLOW_ID).update(tilstand=Tilstand.ANNULLERET)
    Tilknytning.objects.all().delete()
    stats = import_register(copy.deepcopy(document))
    assert "borgerflytning without residence in B" not in stats


@pytest.mark.postgres
def test_a_new_flow_is_an_event_for_its_subscribers_a_correction_none(
    document,
    kommuner,
    abonnent,  # noqa: F811 - the fixture
):
    a, star = abonnent(kommuner["A"]), abonnent(StarFactory())
    b_other_type = abonnent(kommuner["B"], ["borgerflytning.annulleret"])
    import_register(document)
    [event] = Notifikation.objects.all()
    assert (event.type, event.subject) == ("borgerflytning.oprettet", FLOW_ID)
    assert event.data == {
        "borgerflytningId": FLOW_ID,
        "tilstand": "AFVENTER",
        "fraflytningskommunekode": "101",
        "tilflytningskommunekode": "147",
    }
    got = {str(x) for x in Levering.objects.values_list("abonnement_id", flat=True)}
    assert got == {a.abonnement["abonnementId"], star.abonnement["abonnementId"]}
    assert b_other_type.abonnement["abonnementId"] not in got
    again = copy.deepcopy(document)
    again["borgerflytninger"][0]["flyttedato"] = "2026-11-02"  # a correction: no SPEC 9 type
    assert import_register(again)["borgerflytning updated"] == 1
    assert Notifikation.objects.count() == 1


@pytest.mark.postgres
def test_an_import_that_fails_records_no_event(
    document,
    kommuner,
    abonnent,  # noqa: F811 - the fixture
):
    abonnent(kommuner["A"])
    document["borgerflytninger"].append({**document["borgerflytninger"][0], "id": "nej"})
    with pytest.raises(RecordError):
        import_register(document)
    assert not Borgerflytning.objects.exists() and not Notifikation.objects.exists()
