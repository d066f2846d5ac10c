import datetime

import pytest
from django.utils import timezone

from asylovergivelse.models import JobnetCv
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, TilknytningFactory

URL = "/v1/Asylovergivelse"
CPR = "x-civilRegistrationIdentifier"


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def body(**over) -> dict:
    data = {
        "CVEditEndDate": days(40),
        "overgivelsesdato": days(10),
        "tidligCvOvergivelsesdato": days(5),
        "tidligKontraktOvergivelsesdato": days(1),
        "overgivelseskommunekode": "101",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


@pytest.fixture
def kommune(db):
    return KommuneFactory(kode="101", navn="København")


@pytest.fixture
def jobcenter(kommune):
    return JobcenterFactory(kode="10100")


@pytest.fixture
def borger(jobcenter, kommune):
    """A refugee affiliated to jobcenter 10100 and kommune 101, with an active jobnet CV."""
    citizen = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=citizen, organisation=jobcenter)
    TilknytningFactory(borger=citizen, organisation=kommune)
    JobnetCv.objects.create(borger=citizen, nummer="CV-1", status="aktiv")
    return citizen


@pytest.fixture
def jc(integrator_for, jobcenter):
    return integrator_for(jobcenter)
