"""The one visibility mechanism, `restrict(queryset, caller, operation)`: for a queryset of
citizens, of transitions and of flows it keeps exactly the rows whose citizen `require`
grants (an operation with a seed table), or the flows the caller's type sees (the list), in
one statement."""

import datetime

import pytest
from django.utils import timezone

from accessrules.access import require, restrict
from accessrules.access.tables import TABLES, Level, Operation
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models import Borger, OrganisationType
from asylovergivelse.models import Asylovergivelse
from borgerflytte.models import Borgerflytning
from borgerflytte.rules import FRA, TIL, may_confirm
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import (
    AndenAktoerFactory,
    AndenAktoerTildelingFactory,
    ApiClientFactory,
    BorgerFactory,
    GaesteadgangFactory,
    JobcenterFactory,
    KommuneFactory,
    StarFactory,
    TilknytningFactory,
)
from tests.statements import statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two kommuner and their jobcentres, an anden aktør, STAR; a citizen in each relation."""
    today = timezone.localdate()
    k101, jc101 = KommuneFactory(kode="101"), JobcenterFactory(kode="10100")
    k147, jc147 = KommuneFactory(kode="147"), JobcenterFactory(kode="14700")
    aa, star = AndenAktoerFactory(), StarFactory()
    citizens = {name: BorgerFactory() for name in ("jc", "bopael", "tidligere", "gaest", "aa", "x")}
    TilknytningFactory(borger=citizens["jc"], organisation=jc101)
    TilknytningFactory(borger=citizens["bopael"], organisation=k101)
    TilknytningFactory(
        borger=citizens["tidligere"],
        organisation=jc101,
        til=today - datetime.timedelta(days=30),
    )
    GaesteadgangFactory(borger=citizens["gaest"], organisation=jc101)
    GaesteadgangFactory(borger=citizens["gaest"], organisation=aa)
    AndenAktoerTildelingFactory(borger=citizens["aa"], anden_aktoer=aa, jobcenter=jc101)
    TilknytningFactory(borger=citizens["x"], organisation=k147)
    for borger in citizens.values():
        Asylovergivelse.objects.create(
            borger=borger,
            cv_edit_end_date=today,
            overgivelsesdato=today,
            overgivelseskommunekode="101",
        )
    flows = [
        BorgerflytningFactory(borger=citizens["jc"], fraflytningskommune="101"),
        BorgerflytningFactory(
            borger=citizens["x"], fraflytningskommune="147", tilflytningskommune="169"
        ),
        BorgerflytningFactory(
            borger=citizens["aa"], fraflytningskommune="169", tilflytningskommune="101"
        ),
    ]
    callers = {
        org.reference: Caller(organisation=org, client=ApiClientFactory(organisationer=[org]))
        for org in (k101, jc101, k147, jc147, aa, star)
    }
    return {"citizens": citizens, "callers": callers, "flows": flows, "jc147": jc147}


def _granted(caller, operation) -> set[int]:
    found = set()
    for borger in Borger.objects.all():
        try:
            require(caller, operation, borger=borger)
        except DomainError:
            continue
        found.add(borger.pk)
    return found


def _compare(caller, operation):
    expected = _granted(caller, operation)
    assert set(restrict(Borger.objects.all(), caller, operation).values_list("pk", flat=True)) == (
        expected
    )
    transitions = restrict(Asylovergivelse.objects.all(), caller, operation)
    assert set(transitions.values_list("borger", flat=True)) == expected
    flows = restrict(Borgerflytning.objects.all(), caller, operation)
    assert set(flows.values_list("borger", flat=True)) == expected & set(
        Borgerflytning.objects.values_list("borger", flat=True)
    )
    return expected


@pytest.mark.parametrize("operation", list(TABLES))
def test_restrict_keeps_what_require_grants_for_every_seed_table(world, operation):
    for caller in world["callers"].values():
        _compare(caller, operation)


@pytest.mark.parametrize("level", list(Level))
def test_restrict_keeps_what_require_grants_under_each_level(world, monkeypatch, level):
    table = {row: frozenset({level}) for row in OrganisationType}
    monkeypatch.setitem(TABLES, Operation.GET_ASYL, table)
    seen = [_compare(caller, Operation.GET_ASYL) for caller in world["callers"].values()]
    if level != Level.SYSTEM_ALLE:  # no caller here is a system client
        assert any(seen), level  # the world has a citizen in this relation


def test_get_asyl_the_citizens_a_jobcentre_may_read(world):
    caller = world["callers"]["8:10100"]
    visible = restrict(Borger.objects.all(), caller, Operation.GET_ASYL)
    citizens = world["citizens"]
    assert set(visible) == {citizens["jc"], citizens["bopael"]}


def test_the_list_shows_the_flows_a_caller_may_confirm_a_side_of(world):
    for caller in world["callers"].values():
        flows = restrict(Borgerflytning.objects.all(), caller, Operation.LIST_FLYTNINGER)
        expected = {
            flow.pk
            for flow in Borgerflytning.objects.select_related(
                "fraflytningskommune", "tilflytningskommune"
            )
            if may_confirm(caller, flow, FRA) or may_confirm(caller, flow, TIL)
        }
        assert set(flows.values_list("pk", flat=True)) == expected, caller.organisation
    assert (
        restrict(
            Borgerflytning.objects.all(),
            world["callers"]["4:" + _aa(world)],
            Operation.LIST_FLYTNINGER,
        ).count()
        == 0
    )


def _aa(world) -> str:
    [reference] = [r for r in world["callers"] if r.startswith("4:")]
    return reference.partition(":")[2]


def test_restrict_is_one_statement_after_a_jobcentres_organisations(world):
    """The rows in one statement; a jobcentre's own citizens include its kommune's residents,
    whose organisation id is read first (as a value, the planner sizes the relations it
    probes: accessrules.access.adgang.egne_organisationer)."""
    caller = world["callers"]["8:10100"]
    caller.memo.clear()
    with statements() as sent:
        list(restrict(Asylovergivelse.objects.all(), caller, Operation.GET_ASYL))
    assert sent.verbs() == ["SELECT", "SELECT"]
    assert '"accessrules_organisation"' in sent.all()[0].split("WHERE")[0]
    caller = world["callers"]["7:101"]
    with statements() as sent:
        list(restrict(Asylovergivelse.objects.all(), caller, Operation.GET_ASYL))
    assert sent.verbs() == ["SELECT"]


def test_a_caller_without_a_client_is_not_restricted(world):
    everyone = restrict(Borger.objects.all(), Caller(organisation=None), Operation.GET_ASYL)
    assert everyone.count() == Borger.objects.count()
