"""Issue 21, item 1: rule 9244 in the admin's transition form runs with the caseworker's
organisation, as the API runs it with a client's active organisation: a kommune or a
jobcentre names only its own kommune's code, STAR any. The refusal is a form error on the
kommune code with the registry's Danish text; nothing is stored."""

import datetime

import pytest
from django.utils import timezone

from accessrules.models import Rolle
from asylovergivelse.models import Asylovergivelse
from tests.adminurl import admin_url
from tests.asylovergivelse.conftest import opret, state
from tests.factories import KommuneFactory, StarFactory
from tests.sagsbehandler import log_in

pytestmark = pytest.mark.django_db

ADD = "/admin/asylovergivelse/asylovergivelse/add/"
REFUSED = "9244 «The municipality code is incoherent with the caller» – Kommunekoden passer ikke"


def day(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def form(borger=None, **over) -> dict:
    data = {
        "overgivelsesdato": day(10),
        "cv_edit_end_date": day(40),
        "tidlig_cv_overgivelsesdato": "",
        "tidlig_kontrakt_overgivelsesdato": "",
        "overgivelseskommunekode": "101",
        "kommentar": "",
        **({"borger": borger.pk} if borger is not None else {}),
    }
    data.update(over)
    return data


@pytest.fixture
def support(client, django_user_model):
    """A Support caseworker of `organisation` (their role's group), signed in."""

    def login(organisation, *extra: str):
        return log_in(
            client, organisation, Rolle.SUPPORT, *extra, navn=f"support-{organisation.kode}"
        )

    return login


def field_errors(response, name: str) -> list[str]:
    return [str(e) for e in response.context["adminform"].form.errors.get(name, [])]


@pytest.mark.parametrize("caseworker_of", ["kommune", "jobcenter"])
def test_a_caseworker_changes_a_transition_to_their_own_kommunes_code_only(
    client, support, borger, request, caseworker_of
):
    KommuneFactory(kode="147")
    support(request.getfixturevalue(caseworker_of))
    row = opret(borger)
    url = admin_url(row)
    before = state()
    response = client.post(url, form(overgivelseskommunekode="147"))
    assert response.status_code == 200  # the form again, with the rule's error on the field
    [error] = field_errors(response, "overgivelseskommunekode")
    assert error.startswith(REFUSED), error
    assert REFUSED in response.content.decode()
    assert state() == before
    response = client.post(url, form(overgivelseskommunekode="101", cv_edit_end_date=day(41)))
    assert response.status_code == 302, field_errors(response, "__all__")
    row.refresh_from_db()
    assert row.cv_edit_end_date.isoformat() == day(41)
    history = row.history.first()
    assert history.organisation == request.getfixturevalue(caseworker_of)  # as itself


def test_a_jobcentre_caseworker_creates_a_transition_for_its_own_kommune_only(
    client, support, borger, jobcenter
):
    KommuneFactory(kode="147")
    support(jobcenter, "add_asylovergivelse")
    before = state()
    response = client.post(ADD, form(borger, overgivelseskommunekode="147"))
    assert response.status_code == 200
    [error] = field_errors(response, "overgivelseskommunekode")
    assert error.startswith(REFUSED), error
    assert state() == before
    response = client.post(ADD, form(borger, overgivelseskommunekode="0101"))  # the same kommune
    assert response.status_code == 302, field_errors(response, "__all__")
    stored = Asylovergivelse.objects.get()
    assert (stored.borger, stored.overgivelseskommunekode) == (borger, "0101")
    assert stored.history.get().organisation == jobcenter


def test_stars_caseworker_names_any_kommune(client, support, borger):
    KommuneFactory(kode="147")
    support(StarFactory(), "add_asylovergivelse")
    response = client.post(ADD, form(borger, overgivelseskommunekode="147"))
    assert response.status_code == 302, field_errors(response, "overgivelseskommunekode")
    assert Asylovergivelse.objects.get().overgivelseskommunekode == "147"
