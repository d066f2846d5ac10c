"""Issue 21, item 1: rule 9244 in the admin's transition form runs with the caseworker's
organisation, as the API runs it with a client's active organisation: a kommune or a
jobcentre names only its own kommune's code, STAR any. The refusal is a form error on the
kommune code with the registry's Danish text; nothing is stored."""

import datetime

import pytest
from django.utils import timezone

from accessrules.models import AccessLogEntry, Rolle
from asylovergivelse.models import Asylovergivelse
from tests.adminurl import admin_url
from tests.asylovergivelse.conftest import opret, state
from tests.factories import BorgerFactory, KommuneFactory, StarFactory
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
        **({"cpr": borger.cpr} if borger is not None else {}),
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


def test_a_new_transition_names_its_citizen_by_cpr_never_by_id(client, support, jobcenter):
    """Issue 20: the add form has a CPR field, not a raw-id field whose pop-up lists citizens'
    sequential ids (in CPR order)."""
    support(jobcenter, "add_asylovergivelse")
    page = client.get(ADD).content.decode()
    assert 'name="cpr"' in page and 'autocomplete="off"' in page
    assert 'name="borger"' not in page and "vForeignKeyRawIdAdminField" not in page
    assert "_popup=1" not in page and "lookup_" not in page


@pytest.mark.parametrize("which", ["unknown", "other kommune's"])
def test_a_cpr_the_caseworker_may_not_use_gets_one_message_and_a_refused_row(
    client, support, borger, jobcenter, which
):
    """An unknown CPR and one of a citizen the jobcentre does not reach read alike (the form is
    no oracle of who exists); each try is logged as a refused look-up before the answer."""
    other = BorgerFactory(kontaktgruppe="flygtning")  # no relation to jobcentre 10100
    cpr = "0101010000" if which == "unknown" else other.cpr
    support(jobcenter, "add_asylovergivelse")
    before = state()
    response = client.post(ADD, form(cpr=cpr))
    assert response.status_code == 200
    assert field_errors(response, "cpr") == [
        "Ingen borger med dette CPR-nummer, som din organisation må oprette en overgivelse for."
    ]
    assert cpr not in response.content.decode()  # the field is not echoed back
    assert state() == before
    row = AccessLogEntry.objects.get(handling="admin:find_cpr")
    expected = (None, 1010) if which == "unknown" else (other, 6005)
    assert (row.borger, row.error_code, row.outcome) == (*expected, 404)


def test_an_invalid_cpr_is_a_form_error_and_a_logged_try(client, support, jobcenter):
    support(jobcenter, "add_asylovergivelse")
    response = client.post(ADD, form(cpr="3102991234"))
    assert field_errors(response, "cpr") == ["Ikke et gyldigt CPR-nummer."]
    assert AccessLogEntry.objects.get(handling="admin:find_cpr").outcome == 400
