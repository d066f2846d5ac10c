import pytest
from django.contrib.auth.models import Permission

from asylovergivelse.models import Asylovergivelse
from tests.adminurl import admin_url
from tests.factories import BorgerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sagsbehandler(staff_login):
    return staff_login("view_borger", "view_asylovergivelse")


def test_changelist_masks_the_cpr(client, sagsbehandler):
    borger = BorgerFactory()
    html = client.get("/admin/accessrules/borger/").content.decode()
    assert f"{borger.cpr[:6]}-xxxx" in html
    assert borger.cpr not in html


def test_full_cpr_with_the_permission(client, sagsbehandler):
    sagsbehandler.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    borger = BorgerFactory()
    html = client.get("/admin/accessrules/borger/").content.decode()
    assert borger.cpr in html


def test_change_form_masks_the_cpr(client, sagsbehandler):
    borger = BorgerFactory()
    html = client.get(admin_url(borger)).content.decode()
    assert borger.cpr not in html


@pytest.mark.parametrize("form", ["plain", "dash"])
def test_find_by_cpr_is_a_post_that_redirects_by_id_and_is_logged(client, sagsbehandler, form):
    from accessrules.models import AccessLogEntry

    wanted = BorgerFactory()
    term = wanted.cpr if form == "plain" else f"{wanted.cpr[:6]}-{wanted.cpr[6:]}"
    response = client.post("/admin/accessrules/borger/find/", {"cpr": term})
    assert response.status_code == 302
    assert response["Location"] == admin_url(wanted)
    assert wanted.cpr not in response["Location"]
    row = AccessLogEntry.objects.get(handling="admin:find_cpr")
    assert (row.user, row.borger, row.outcome) == (sagsbehandler, wanted, 200)


def test_a_cpr_in_the_query_string_is_refused(client, sagsbehandler):
    borger = BorgerFactory()
    for query in ({"q": borger.cpr}, {"cpr__startswith": borger.cpr[:7]}, {"cpr": borger.cpr}):
        response = client.get("/admin/accessrules/borger/", query)
        assert response.status_code in (302, 400), query  # redirected, or a refused lookup


@pytest.mark.parametrize("lookup", ["cpr__startswith", "cpr__regex", "cpr__in", "borger__cpr"])
def test_cpr_lookups_are_not_allowed(rf, sagsbehandler, lookup):
    from django.contrib import admin

    from accessrules.models import Borger

    request = rf.get("/")
    request.user = sagsbehandler
    assert not admin.site.get_model_admin(Borger).lookup_allowed(lookup, "0505", request)


def test_prefix_lookup_gives_no_count(client, sagsbehandler):
    borger = BorgerFactory()
    response = client.get("/admin/accessrules/borger/", {"cpr__startswith": borger.cpr[:5]})
    assert response.status_code == 400  # a refused lookup: no list, no result count


def test_transition_list_masks_and_searches(client, sagsbehandler):
    import datetime

    borger = BorgerFactory()
    Asylovergivelse.objects.create(
        borger=borger,
        cv_edit_end_date=datetime.date(2026, 12, 1),
        overgivelsesdato=datetime.date(2026, 11, 1),
        overgivelseskommunekode="101",
    )
    listing = client.get("/admin/asylovergivelse/asylovergivelse/").content.decode()
    assert f"{borger.cpr[:6]}-xxxx" in listing and borger.cpr not in listing


def test_the_citizen_list_labels_and_filters_contact_groups_from_the_one_table(
    client, sagsbehandler
):
    samme = BorgerFactory(kontaktgruppe="familiesammenfoert")
    ny = BorgerFactory(kontaktgruppe="noget-nyt")
    ingen = BorgerFactory(kontaktgruppe="")
    html = client.get("/admin/accessrules/borger/").content.decode()
    assert "Familiesammenført" in html and "familiesammenfoert</td>" not in html
    assert "noget-nyt" in html  # an unknown code shows as itself
    for value, expected in (("familiesammenfoert", samme), ("-", ingen)):
        response = client.get("/admin/accessrules/borger/", {"kontaktgruppe": value})
        assert response.status_code == 200
        assert list(response.context["cl"].queryset) == [expected]
    assert (
        ny
        not in client.get("/admin/accessrules/borger/", {"kontaktgruppe": "flygtning"})
        .context["cl"]
        .queryset
    )
