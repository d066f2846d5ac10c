import datetime

import pytest
from django.utils import timezone

from accessrules.models import RequestId
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.conftest import error_codes
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


def assert_problem(response, status: int, code: int, field: str | None = None) -> None:
    """Exactly one error: this status, code and (when given) field."""
    assert response.status_code == status, response.content
    assert error_codes(response) == [code]
    if field is not None:
        assert response.json()["errors"][0]["field"] == field


def errors_of(response) -> list[tuple[int, str | None]]:
    return [(e["code"], e.get("field")) for e in response.json()["errors"]]


def opret(borger, **over) -> Asylovergivelse:
    """A stored transition (with its creation history row), +10 / +40 days, kommune 101."""
    values = {
        "cv_edit_end_date": timezone.localdate() + datetime.timedelta(days=40),
        "overgivelsesdato": timezone.localdate() + datetime.timedelta(days=10),
        "overgivelseskommunekode": "101",
    }
    values.update(over)
    return Asylovergivelse.objects.create(borger=borger, **values)


def state() -> tuple:
    """Everything a write could change: transitions, their history, CV deadlines, request ids."""
    return (
        list(Asylovergivelse.objects.order_by("pk").values()),
        Asylovergivelse.history.count(),
        list(JobnetCv.objects.order_by("pk").values_list("cv_edit_end_date", flat=True)),
        RequestId.objects.count(),
    )
