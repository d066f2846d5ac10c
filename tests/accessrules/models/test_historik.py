"""One way of recording who changed a record (accessrules.models.historik.stempl): the API
client and organisation on the history row of a flow as of a transition, the caseworker in
simple-history's history_user, the reason in history_change_reason."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from accessrules.core.caller import Caller
from accessrules.models.historik import HistoryCaller, stempl
from asylovergivelse.models import Asylovergivelse
from borgerflytte.models import Borgerflytning
from tests.borgerflytte.api.test_confirmations import fra
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import KommuneFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_every_history_the_services_write_has_the_callers_columns():
    for model in (Borgerflytning, Asylovergivelse):
        assert issubclass(model.history.model, HistoryCaller), model


def test_a_confirmation_records_its_client_and_organisation(integrator_for):
    kommune = KommuneFactory(kode="101")
    flow = BorgerflytningFactory(fraflytningskommune="101", tilflytningskommune="147")
    caller = integrator_for(kommune)
    assert fra(caller, flow).status_code == 204
    row = flow.history.order_by("-history_id").first()
    assert (row.api_client, row.organisation, row.history_user) == (
        caller.client,
        kommune,
        None,
    )
    assert row.history_change_reason.startswith("fraflytning bekræftet af ")


def test_a_caseworkers_change_records_the_user_and_the_reason():
    flow = BorgerflytningFactory(fraflytningskommune="101", tilflytningskommune="147")
    user = get_user_model().objects.create_user("sb", password="x")  # noqa: S106
    stempl(flow, Caller(organisation=None, user=user, label="admin"), "r" * 150)
    flow.save()
    row = flow.history.order_by("-history_id").first()
    assert (row.history_user, row.api_client, row.organisation) == (user, None, None)
    assert row.history_change_reason == "r" * 150  # whole: a flow's reason is a text column


def test_no_module_records_a_change_by_hand():
    """Only historik.py sets simple-history's per-instance fields or the caller's columns."""
    names = ("_change_reason =", "_history_user =", "history_caller =", "api_client = caller")
    found = [
        str(path.relative_to(ROOT))
        for package in ("accessrules", "borgerflytte", "asylovergivelse", "config")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and any(n in path.read_text() for n in names)
    ]
    assert found == ["accessrules/models/historik.py"]
