"""What each organisation type is (accessrules.access.organisationstyper): its kommune, the
kommune's organisation looked up once per caller, a kommune's jobcentre."""

import pytest

from accessrules.access.organisationstyper import (
    ORGANISATIONSTYPER,
    SEED_RAEKKER,
    jobcenter_for,
    kommune_id,
    kommunekode_for,
)
from accessrules.core.caller import Caller
from accessrules.models import OrganisationType
from tests.factories import AndenAktoerFactory, JobcenterFactory, KommuneFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


def test_every_type_has_a_row_and_its_seed_row_name():
    assert set(ORGANISATIONSTYPER) == set(OrganisationType)
    assert set(SEED_RAEKKER.values()) == set(OrganisationType)


def test_the_kommune_of_each_type():
    assert kommunekode_for(KommuneFactory(kode="101")) == "101"
    assert kommunekode_for(JobcenterFactory(kode="10100")) == "101"
    assert kommunekode_for(AndenAktoerFactory()) is None
    assert kommunekode_for(StarFactory()) is None


def test_a_callers_kommune_is_looked_up_once():
    kommune = KommuneFactory(kode="101")
    caller = Caller(JobcenterFactory(kode="10100"))
    with statements() as sent:
        assert kommune_id(caller) == kommune.pk
        assert kommune_id(caller) == kommune.pk
    assert len(sent) == 1, sent
    assert kommune_id(Caller(kommune)) == kommune.pk
    assert kommune_id(Caller(StarFactory())) is None
    assert kommune_id(Caller(None)) is None


def test_a_kommunes_jobcentre_is_its_lowest_code():
    JobcenterFactory(kode="10101")
    lowest = JobcenterFactory(kode="10100")
    JobcenterFactory(kode="1010")  # kommune 10: not kommune 101's
    assert jobcenter_for("101") == lowest
    assert jobcenter_for("999") is None
