"""A failing or unreachable CV service: 502 9338 (reading) / 9346 (writing), nothing stored."""

import pytest

from accessrules.models import RequestId
from asylovergivelse.cvservice import CvServiceError, JobnetCvInfo, backend_class
from asylovergivelse.models import Asylovergivelse
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, body, state
from tests.conftest import error_codes

pytestmark = pytest.mark.django_db


class UnreachableCv:
    def __init__(self, timeout_seconds=None):
        pass

    def hent_cv(self, borger):
        raise TimeoutError("no answer")

    def saet_cv_edit_end_date(self, borger, dato):
        raise TimeoutError("no answer")


class ReadOnlyCv(UnreachableCv):
    def hent_cv(self, borger):
        return JobnetCvInfo(nummer="CV-9", status="aktiv")

    def saet_cv_edit_end_date(self, borger, dato):
        raise CvServiceError("CVServiceForDFDG answered 500")


@pytest.fixture
def backend(settings):
    def use(cls):
        settings.CV_SERVICE_BACKEND = f"{__name__}.{cls.__name__}"
        backend_class.cache_clear()

    yield use
    backend_class.cache_clear()


class OddAnswerCv(UnreachableCv):
    def hent_cv(self, borger):
        return JobnetCvInfo(nummer="CV-9", status="slettet")


class BrokenCv(UnreachableCv):
    def hent_cv(self, borger):
        raise CvServiceError("GetCV answered 503")


def test_the_default_backend_is_the_local_register(settings):
    from asylovergivelse.cvservice import LocalCvRegister, cv_service

    assert settings.CV_SERVICE_BACKEND == "asylovergivelse.cvservice.LocalCvRegister"
    assert isinstance(cv_service(), LocalCvRegister)


@pytest.mark.parametrize("cls", [BrokenCv, OddAnswerCv], ids=["error", "unreadable-status"])
def test_9338_for_any_failure_or_unreadable_answer(jc, borger, backend, cls):
    backend(cls)
    before = state()
    response = jc.call("post", URL, body(), headers={CPR: borger.cpr, "x-requestId": "a"})
    assert_problem(response, 502, 9338)
    assert state() == before


def test_9338_when_the_cv_cannot_be_read(jc, borger, backend):
    backend(UnreachableCv)
    response = jc.call("post", URL, body(), headers={CPR: borger.cpr, "x-requestId": "a"})
    assert response.status_code == 502
    assert error_codes(response) == [9338]
    assert not Asylovergivelse.objects.exists()
    assert not RequestId.objects.exists()


def test_9346_when_the_deadline_cannot_be_written(jc, borger, backend):
    backend(ReadOnlyCv)
    response = jc.call("post", URL, body(), headers={CPR: borger.cpr, "x-requestId": "b"})
    assert response.status_code == 502
    assert error_codes(response) == [9346]
    assert not Asylovergivelse.objects.exists()
    assert not Asylovergivelse.history.exists()
    assert not RequestId.objects.exists()


def test_9346_on_update_keeps_the_old_values(jc, borger, backend):
    assert jc.call("post", URL, body(), headers={CPR: borger.cpr}).status_code == 201
    before = Asylovergivelse.objects.values().get()
    backend(ReadOnlyCv)
    response = jc.call(
        "put",
        URL,
        body(CVEditEndDate=before["overgivelsesdato"].isoformat()),
        headers={CPR: borger.cpr},
    )
    assert response.status_code == 502
    assert error_codes(response) == [9346]
    assert Asylovergivelse.objects.values().get() == before
    assert Asylovergivelse.history.count() == 1
