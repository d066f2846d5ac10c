"""Every cell of every seed table through the one access decision."""

import datetime

import pytest
from django.utils import timezone

from accessrules.access.decide import decide
from accessrules.access.tables import TABLES, Level, Operation
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

pytestmark = pytest.mark.django_db

SEED_OPERATIONS = list(EXPECTED)


def _decide(operation, organisation, borger, *, system=False, today=None):
    client = ApiClientFactory(organisationer=[organisation], system=system)
    return decide(
        operation=operation,
        organisation=organisation,
        client=client,
        borger=borger,
        today=today or timezone.localdate(),
    )


@pytest.mark.parametrize("operation", SEED_OPERATIONS)
def test_transcribed_tables_match_the_hand_written_ones(operation):
    transcribed = {row: {lvl.value for lvl in levels} for row, levels in TABLES[operation].items()}
    assert transcribed == EXPECTED[operation]


@pytest.mark.parametrize(
    ("operation", "row", "level", "allowed"),
    [
        pytest.param(op, *case.values, id=f"{op.value}-{case.id}")
        for op in SEED_OPERATIONS
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
def test_tidligere_egne_window_boundary(days_ago, granted):
    # A made-up operation row is not needed: the Asylovergivelse table has no "Tidligere egne"
    # X, so test the relation itself through a table that grants it.
    from accessrules.access import decide as decide_module

    jobcenter = JobcenterFactory()
    borger = BorgerFactory()
    today = timezone.localdate()
    TilknytningFactory(
        borger=borger,
        organisation=jobcenter,
        fra=today - datetime.timedelta(days=400),
        til=today - datetime.timedelta(days=days_ago),
    )
    relations = decide_module._Relations(jobcenter, borger, today)
    assert relations.tidligere_egne() is (granted and days_ago > 0)
    assert relations.egne() is (days_ago == 0)


def test_tidligere_egne_window_follows_the_setting(settings):
    settings.TIDLIGERE_EGNE_BORGERE_DAYS = 10
    from accessrules.access.decide import _Relations

    jobcenter, borger, today = JobcenterFactory(), BorgerFactory(), timezone.localdate()
    TilknytningFactory(
        borger=borger,
        organisation=jobcenter,
        fra=today - datetime.timedelta(days=100),
        til=today - datetime.timedelta(days=11),
    )
    assert not _Relations(jobcenter, borger, today).tidligere_egne()


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


def test_expired_guest_access_is_no_access():
    from accessrules.access.decide import _Relations

    jobcenter, borger = JobcenterFactory(), BorgerFactory()
    GaesteadgangFactory(
        borger=borger, organisation=jobcenter, til=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not _Relations(jobcenter, borger, timezone.localdate()).gaest()


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
