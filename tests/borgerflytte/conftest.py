import datetime

import factory
import pytest
from django.utils import timezone

from accessrules.models import Organisation, OrganisationType
from borgerflytte.models import Borgerflytning
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, TilknytningFactory

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
