import datetime

import factory
import pytest
from django.utils import timezone

from accessrules.models import Organisation, OrganisationType
from borgerflytte.models import Borgerflytning
from tests.factories import (
    BorgerFactory,
    JobcenterFactory,
    KommuneFactory,
    TilknytningFactory,
    cpr_for,
)

FRA_URL = "/v1/BorgerFlytte/action/bekraeftfraflytning"
TIL_URL = "/v1/BorgerFlytte/action/bekraefttilflytning"
LIST_URL = "/v1/BorgerFlytte"
CPR = "x-civilRegistrationIdentifier"


def kommune(kode: str) -> Organisation:
    """The kommune with this code, created if missing."""
    return Organisation.objects.get_or_create(
        type=OrganisationType.KOMMUNE, kode=kode, defaults={"navn": f"Kommune {kode}"}
    )[0]


class BorgerflytningFactory(factory.django.DjangoModelFactory):
    """Municipalities may be given by code: BorgerflytningFactory(tilflytningskommune="169")."""

    class Meta:
        model = Borgerflytning

    borger = factory.SubFactory(BorgerFactory)
    fraflytningskommune = "101"
    tilflytningskommune = "147"
    flyttedato = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for side in ("fraflytningskommune", "tilflytningskommune"):
            if isinstance(kwargs.get(side), str):
                kwargs[side] = kommune(kwargs[side])
        return kwargs


@pytest.fixture
def kommuner(db):
    """Kommune A (101) and B (147) with their jobcentres."""
    return {
        "A": KommuneFactory(kode="101"),
        "jcA": JobcenterFactory(kode="10100"),
        "B": KommuneFactory(kode="147"),
        "jcB": JobcenterFactory(kode="14700"),
    }


@pytest.fixture
def flow(kommuner):
    """A citizen affiliated to jobcentre A, living in B since the move (CPR register)."""
    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=kommuner["jcA"])
    TilknytningFactory(borger=borger, organisation=kommuner["B"])
    return BorgerflytningFactory(borger=borger)


def days(n: int) -> datetime.date:
    """Today + n days."""
    return timezone.localdate() + datetime.timedelta(days=n)


class FlytningFactory(factory.DictFactory):
    """A CPR `flytning` event as JSON (SPEC 5a): FlytningFactory(cpr=..., tilKommunekode="147")."""

    haendelseId = factory.Sequence(lambda n: f"cpr-{n}")
    type = "flytning"
    cpr = factory.Sequence(lambda n: cpr_for(20000 + n))
    fraKommunekode = "101"
    tilKommunekode = "147"
    flyttedato = factory.LazyFunction(lambda: days(-3).isoformat())


class IndrejseFactory(factory.DictFactory):
    haendelseId = factory.Sequence(lambda n: f"ind-{n}")
    type = "indrejse"
    cpr = factory.Sequence(lambda n: cpr_for(25000 + n))
    tilKommunekode = "147"
    dato = factory.LazyFunction(lambda: days(-3).isoformat())


class DoedsfaldFactory(factory.DictFactory):
    haendelseId = factory.Sequence(lambda n: f"doed-{n}")
    type = "doedsfald"
    cpr = factory.Sequence(lambda n: cpr_for(30000 + n))
    doedsdato = factory.LazyFunction(lambda: days(-1).isoformat())


def bosat(kommune, jobcenter=None, *, fra=None, borger=None):
    """A citizen living in `kommune` since `fra` (a year ago), affiliated to `jobcenter`."""
    borger = borger or BorgerFactory()
    fra = fra or days(-365)
    TilknytningFactory(borger=borger, organisation=kommune, fra=fra)
    if jobcenter is not None:
        TilknytningFactory(borger=borger, organisation=jobcenter, fra=fra)
    return borger
