"""Every cell of every seed table through the one access decision, `require`."""

import datetime
from typing import NamedTuple

import pytest
from django.utils import timezone

from accessrules.access import require
from accessrules.access.tables import TABLES, Level, Operation
from accessrules.api.routes import served
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models import OrganisationType
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
from tests.matrix import EXPECTED, acting_organisation, citizen_in_relation, matrix_cases
from tests.statements import statements

pytestmark = pytest.mark.django_db

# Every operation an endpoint serves under a seed table, read from what the URLconf serves
# (never from the tables): a new one is enrolled here and fails until tests/matrix.py has its
# hand-written row.
SEED_OPERATIONS = sorted({endpoint.operation for endpoint in served() if endpoint.access_table})


UNKNOWN_CPR = "0101011234"


class Decision(NamedTuple):
    granted: bool
    level: Level | None = None
    code: int | None = None


def _decide(operation, organisation, borger, *, system=False, today=None):
    """require() for the citizen's CPR (None: a CPR nobody has)."""
    client = ApiClientFactory(organisationer=[organisation], system=system)
    caller = Caller(organisation=organisation, client=client)
    cpr = borger.cpr if borger is not None else UNKNOWN_CPR
    try:
        adgang = require(caller, operation, cpr=cpr, today=today or timezone.localdate())
    except DomainError as refusal:
        return Decision(False, code=refusal.codes[0])
    assert adgang.borger == borger
    return Decision(True, level=adgang.level)


@pytest.fixture
def only_level(monkeypatch):
    """Give GET_ASYL a table whose JobCenter row grants just `level` (no seed table has an X
    for every level: the relation itself is tested through the one decision)."""

    def grant(level):
        table = {OrganisationType.JOBCENTER: frozenset({level})}
        monkeypatch.setitem(TABLES, Operation.GET_ASYL, table)

    return grant


@pytest.mark.parametrize("operation", SEED_OPERATIONS)
def test_transcribed_tables_match_the_hand_written_ones(operation):
    assert operation in EXPECTED, f"{operation}: write its expected row in tests/matrix.py"
    transcribed = {row: {lvl.value for lvl in levels} for row, levels in TABLES[operation].items()}
    assert transcribed == EXPECTED[operation]


@pytest.mark.parametrize(
    ("operation", "row", "level", "allowed"),
    [
        pytest.param(op, *case.values, id=f"{op}-{case.id}")
        for op in SEED_OPERATIONS
        if op in EXPECTED  # else test_transcribed_tables_match_the_hand_written_ones fails
        for case in matrix_cases(op)
    ],
)
def test_every_cell(operation, row, level, allowed):
    organisation, system = acting_organisation(row, level)
    borger = citizen_in_relation(level, organisation)
    decision = _decide(operation, organisation, borger, system=system)
    assert decision.granted is allowed
    if not allowed:
        assert decision.code == 6005


@pytest.mark.parametrize(("days_ago", "granted"), [(120, True), (121, False), (0, False)])
def test_tidligere_egne_window_boundary(only_level, days_ago, granted):
    only_level(Level.TIDLIGERE_EGNE)
    jobcenter = JobcenterFactory()
    borger = BorgerFactory()
    today = timezone.localdate()
    TilknytningFactory(
        borger=borger,
        organisation=jobcenter,
        fra=today - datetime.timedelta(days=400),
        til=today - datetime.timedelta(days=days_ago),
    )
    decision = _decide(Operation.GET_ASYL, jobcenter, borger)
    assert decision.granted is (granted and days_ago > 0)


def test_egne_includes_the_last_day_of_the_affiliation(only_level):
    only_level(Level.EGNE)
    jobcenter, borger = JobcenterFactory(), BorgerFactory()
    TilknytningFactory(borger=borger, organisation=jobcenter, til=timezone.localdate())
    assert _decide(Operation.GET_ASYL, jobcenter, borger) == (True, Level.EGNE, None)


def test_tidligere_egne_window_follows_the_setting(settings, only_level):
    settings.TIDLIGERE_EGNE_BORGERE_DAYS = 10
    only_level(Level.TIDLIGERE_EGNE)
    jobcenter, borger, today = JobcenterFactory(), BorgerFactory(), timezone.localdate()
    TilknytningFactory(
        borger=borger,
        organisation=jobcenter,
        fra=today - datetime.timedelta(days=100),
        til=today - datetime.timedelta(days=11),
    )
    assert not _decide(Operation.GET_ASYL, jobcenter, borger).granted


def test_ended_affiliation_is_not_egne():
    jobcenter = JobcenterFactory()
    borger = BorgerFactory()
    TilknytningFactory(
        borger=borger, organisation=jobcenter, til=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not _decide(Operation.GET_ASYL, jobcenter, borger).granted


def test_affiliation_starting_tomorrow_is_not_egne_yet():
    jobcenter = JobcenterFactory()
    borger = BorgerFactory()
    TilknytningFactory(
        borger=borger, organisation=jobcenter, fra=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert not _decide(Operation.GET_ASYL, jobcenter, borger).granted


def test_expired_guest_access_is_no_access(only_level):
    only_level(Level.GAEST)
    jobcenter, borger = JobcenterFactory(), BorgerFactory()
    GaesteadgangFactory(
        borger=borger, organisation=jobcenter, til=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert _decide(Operation.GET_ASYL, jobcenter, borger) == (False, None, 6005)


def test_active_guest_access_is_gaesteadgang(only_level):
    only_level(Level.GAEST)
    jobcenter, borger = JobcenterFactory(), BorgerFactory()
    GaesteadgangFactory(borger=borger, organisation=jobcenter)
    assert _decide(Operation.GET_ASYL, jobcenter, borger) == (True, Level.GAEST, None)


def test_ended_anden_aktoer_assignment_is_no_access():
    aktoer, borger = AndenAktoerFactory(), BorgerFactory()
    AndenAktoerTildelingFactory(
        borger=borger,
        anden_aktoer=aktoer,
        fra=timezone.localdate() - datetime.timedelta(days=30),
        til=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert not _decide(Operation.GET_ASYL, aktoer, borger).granted


def test_active_anden_aktoer_assignment_is_anden_aktoer_egne():
    aktoer, borger = AndenAktoerFactory(), BorgerFactory()
    AndenAktoerTildelingFactory(borger=borger, anden_aktoer=aktoer)
    decision = _decide(Operation.GET_ASYL, aktoer, borger)
    assert (decision.granted, decision.level) == (True, Level.AA_EGNE)


def test_system_flag_does_not_widen_a_table_without_the_system_column():
    kommune, borger = KommuneFactory(), BorgerFactory()
    assert not _decide(Operation.GET_ASYL, kommune, borger, system=True).granted


@pytest.mark.parametrize(
    ("organisation_factory", "operation", "code"),
    [
        (StarFactory, Operation.GET_ASYL, 1010),
        (JobcenterFactory, Operation.GET_ASYL, 6005),
        (KommuneFactory, Operation.FRAFLYTNING, 1010),
        (KommuneFactory, Operation.TILFLYTNING, 6005),
        (AndenAktoerFactory, Operation.GET_ASYL, 6005),
    ],
)
def test_unknown_cpr_answer_depends_on_the_grant(organisation_factory, operation, code):
    decision = _decide(operation, organisation_factory(), None)
    assert (decision.granted, decision.code) == (False, code)


def test_anden_aktoer_has_no_row_of_its_own_in_borgerflytte():
    aktoer, borger = AndenAktoerFactory(), BorgerFactory()
    AndenAktoerTildelingFactory(borger=borger, anden_aktoer=aktoer)
    assert not _decide(Operation.FRAFLYTNING, aktoer, borger).granted
    assert OrganisationType.ANDEN_AKTOER not in TABLES[Operation.FRAFLYTNING]


def test_the_anden_aktoer_relation_names_the_assigning_jobcentres_kommune():
    aktoer, borger = AndenAktoerFactory(), BorgerFactory()
    AndenAktoerTildelingFactory(
        borger=borger, anden_aktoer=aktoer, jobcenter=JobcenterFactory(kode="14700")
    )
    caller = Caller(organisation=aktoer, client=ApiClientFactory(organisationer=[aktoer]))
    adgang = require(caller, Operation.GET_ASYL, cpr=borger.cpr)
    assert adgang.tildelt_af_kommuner == {"147"}


@pytest.mark.parametrize(
    ("organisation_factory", "with_assignment"),
    [(JobcenterFactory, False), (KommuneFactory, False), (AndenAktoerFactory, True)],
)
def test_known_and_unknown_cpr_cost_the_same_statements(organisation_factory, with_assignment):
    """SPEC 3: a caller without an "alle borgere" level cannot tell a known CPR from an
    unknown one, neither by the answer nor by the work done for it."""
    organisation = organisation_factory()
    known = BorgerFactory()
    if with_assignment:  # an assignment of another citizen: the query has rows to look at
        AndenAktoerTildelingFactory(anden_aktoer=organisation)
    counts, codes = [], []
    for borger in (known, None):
        with statements() as sent:
            decision = _decide(Operation.GET_ASYL, organisation, borger)
        counts.append(sent.verbs().count("SELECT"))
        codes.append(decision.code)
    assert codes == [6005, 6005]
    assert counts[0] == counts[1]


def test_a_caller_without_api_client_needs_no_table():
    """A caseworker or an operator: Django's permissions decide; an unknown CPR is 1010."""
    borger = BorgerFactory()
    assert require(Caller(organisation=None), Operation.GET_ASYL, cpr=borger.cpr).level is None
    with pytest.raises(DomainError) as refused:
        require(Caller(organisation=None), Operation.GET_ASYL, cpr=UNKNOWN_CPR)
    assert refused.value.codes == [1010]


@pytest.mark.parametrize(
    ("fra_days", "til_days", "level", "granted"),
    [
        (-30, None, Level.EGNE, True),  # an open residence in the jobcentre's kommune
        (0, None, Level.EGNE, True),  # the day the residence starts
        (-30, 0, Level.EGNE, True),  # the day it ends
        (1, None, Level.EGNE, False),  # a move registered ahead: not yet
        (-30, -1, Level.EGNE, False),  # ended yesterday: no longer own ...
        (-30, -1, Level.TIDLIGERE_EGNE, True),  # ... but a former own citizen
    ],
)
def test_a_jobcentres_own_citizens_include_its_kommunes_residents(
    only_level, fra_days, til_days, level, granted
):
    """SPEC 3: for a JobCenter, "Egne borgere" is an open jobcentre affiliation to it or an open
    residence in its kommune (jobcentre xxxNN serves kommune xxx)."""
    only_level(level)
    today = timezone.localdate()
    kommune, jobcenter = KommuneFactory(kode="147"), JobcenterFactory(kode="14700")
    borger = BorgerFactory()
    TilknytningFactory(
        borger=borger,
        organisation=kommune,
        fra=today + datetime.timedelta(days=fra_days),
        til=None if til_days is None else today + datetime.timedelta(days=til_days),
    )
    assert _decide(Operation.GET_ASYL, jobcenter, borger).granted is granted


def test_a_residence_in_another_kommune_is_not_the_jobcentres():
    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=KommuneFactory(kode="101"))
    jobcenter = JobcenterFactory(kode="14700")
    assert _decide(Operation.GET_ASYL, jobcenter, borger) == (False, None, 6005)


def test_a_kommune_does_not_see_its_jobcentres_affiliations():
    """The residence rule widens a jobcentre's own citizens, not a kommune's."""
    kommune, borger = KommuneFactory(kode="147"), BorgerFactory()
    TilknytningFactory(borger=borger, organisation=JobcenterFactory(kode="14700"))
    assert _decide(Operation.GET_ASYL, kommune, borger) == (False, None, 6005)
