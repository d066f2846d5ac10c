"""The CV service boundary (SPEC 6, issue 4.3): asked for the citizen's jobnet CV, told the CV
edit deadline. `CV_SERVICE_BACKEND` names the class; the default is the local register table.
A backend raises `CvServiceError` (or anything else, or times out): the caller answers 9338
(reading) / 9346 (writing) with 502 and stores nothing."""

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from accessrules.models import Borger
from asylovergivelse.models import JobnetCv


class CvServiceError(Exception):
    pass


@dataclass(frozen=True)
class JobnetCvInfo:
    nummer: str
    status: str  # aktiv, arkiveret, deaktiveret, laast


class CvService(Protocol):
    def hent_cv(self, borger: Borger) -> JobnetCvInfo | None: ...

    def saet_cv_edit_end_date(self, borger: Borger, dato: datetime.date) -> None: ...


class LocalCvRegister:
    """Reads and writes `asylovergivelse.JobnetCv` in the service's own database."""

    def __init__(self, timeout_seconds: float | None = None):
        self.timeout_seconds = timeout_seconds

    def hent_cv(self, borger: Borger) -> JobnetCvInfo | None:
        cv = JobnetCv.objects.filter(borger=borger).only("nummer", "status").first()
        return JobnetCvInfo(nummer=cv.nummer, status=cv.status) if cv else None

    def saet_cv_edit_end_date(self, borger: Borger, dato: datetime.date) -> None:
        JobnetCv.objects.filter(borger=borger).update(cv_edit_end_date=dato)


@cache
def backend_class(path: str):
    """The class CV_SERVICE_BACKEND names, imported once per path (`cache_clear()` forgets)."""
    return import_string(path)


def cv_service() -> CvService:
    backend = backend_class(settings.CV_SERVICE_BACKEND)
    return backend(timeout_seconds=settings.CV_SERVICE_TIMEOUT_SECONDS)
