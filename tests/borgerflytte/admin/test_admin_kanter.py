"""Issue 21, item 4: the rough edges a caseworker met on the first day, without a browser
(tests/browser/ has the visual ones): Danish error pages in the admin while the API keeps
problem+json, Danish history with labels, local minutes and the whole reason, actions only
where they can succeed, one CPR display per permission, a CPR search on every page, Danish
labels with the seed's names, one Danish date format."""

import re

import pytest
from django.contrib.auth.models import Permission

from borgerflytte import services
from borgerflytte.models import Tilstand
from tests.borgerflytte.conftest import bosat, days

pytestmark = pytest.mark.django_db
URL = "/admin/borgerflytte/borgerflytning/"


@pytest.fixture
def support(staff_login):
    return staff_login(
        "view_borgerflytning",
        "change_borgerflytning",
        "view_borger",
        "view_haendelsekvittering",
        "view_full_cpr",
        "view_asylovergivelse",
        "view_accesslogentry",
        username="support",
    )


@pytest.mark.parametrize(
    "path,status",
    [
        ("/admin/findes-ikke/", 404),
        (f"{URL}00000000-0000-0000-0000-000000000000/annuller/", 404),
        ("/admin/auth/user/", 403),
    ],
)
def test_admin_errors_are_danish_pages(client, support, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert ("Siden findes ikke" if status == 404 else "Ingen adgang") in page
    assert '"type": "about:blank"' not in page and "Borgerindsats" in page


def test_the_api_keeps_problem_json(client, support):
    response = client.get("/v1/findes-ikke")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert client.get("/").status_code == 404  # no "Se side" link leads there any more
    assert 'class="viewsitelink"' not in client.get("/admin/").content.decode()


def test_cancelling_is_not_offered_for_a_completed_flow(client, support, flow):
    flow.tilstand = Tilstand.AFSLUTTET
    flow.save()
    response = client.get(f"{URL}{flow.pk}/annuller/")
    assert response.status_code == 302 and response["Location"] == f"{URL}{flow.pk}/change/"
    page = client.get(response["Location"]).content.decode()
    assert "kan ikke annulleres" in page and "Annuller …" not in page
    title = re.search(r"<title>(.*?)</title>", client.get(URL).content.decode()).group(1)
    assert title.startswith("Borgerflytninger") and "ændres" not in title


def test_history_shows_labels_local_minutes_and_the_whole_reason(client, support, flow):
    begrundelse = "Dobbeltregistrering efter opkald fra borgeren; " * 4  # > 100 characters
    services.annuller(flytning_id=flow.pk, begrundelse=begrundelse.strip(), af="admin support")
    page = client.get(f"{URL}{flow.pk}/history/").content.decode()
    assert begrundelse.strip() in page  # not cut at 100
    assert "Afventer bekræftelser" in page and "Annulleret" in page
    assert "None" not in page and "+00:00" not in page and "View" not in page
    assert re.search(
        r"Annulleret:</strong> — &nbsp;&rarr;&nbsp;&nbsp;\d\d\.\d\d\.\d{4} \d\d:\d\d<", page
    )
    assert "Historik for" in page


def test_one_cpr_display_per_permission_and_a_search_on_every_page(client, support, flow):
    cpr = flow.borger.cpr
    for path in ("/admin/", URL, f"{URL}{flow.pk}/change/", "/admin/accessrules/accesslogentry/"):
        page = client.get(path).content.decode()
        assert 'id="cpr-soeg"' in page and 'method="post"' in page, path
        assert f"{cpr[:6]}-xxxx" not in page, path
    assert f">{cpr}</a>" in client.get(f"{URL}{flow.pk}/change/").content.decode()


def test_the_access_log_filter_is_danish(client, support):
    page = client.get("/admin/accessrules/accesslogentry/").content.decode()
    assert "Opslag af asylovergivelse (API)" in page and ">GetAsylOvergivelse<" not in page


def test_labels_are_danish_with_the_seeds_names_in_the_help(client, staff_login):
    staff_login()  # a superuser sees the add form
    page = client.get("/admin/asylovergivelse/asylovergivelse/add/").content.decode()
    assert "Frist for CV-rettelser" in page and "Element: CVEditEndDate" in page
    assert "Element: AsylumTransitionDate; JSON: overgivelsesdato" in page
    assert "Element: CorrectionComment; JSON: kommentar" in page
    assert ">CVEditEndDate:<" not in page


def test_registering_a_move_is_a_styled_form_with_a_danish_date(client, support, kommuner):
    support.user_permissions.add(Permission.objects.get(codename="registrer_flytning"))
    url = "/admin/borgerflytte/haendelsekvittering/registrer/"
    page = client.get(url).content.decode()
    assert 'class="vDateField' in page and "DD.MM.ÅÅÅÅ" in page and "ÅÅÅÅ-MM-DD" not in page
    assert "fieldset" in page and "admin/js/calendar.js" in page
    borger = bosat(kommuner["A"], kommuner["jcA"], fra=days(-400))
    data = {"cpr": borger.cpr, "fra": kommuner["A"].pk, "til": kommuner["A"].pk}
    page = client.post(url, {**data, "flyttedato": f"{days(10):%d.%m.%Y}"}).content.decode()
    assert page.count("En flytning er mellem to forskellige kommuner.") == 1  # shown once
    data["til"] = kommuner["B"].pk
    assert client.post(url, {**data, "flyttedato": f"{days(10):%d.%m.%Y}"}).status_code == 302
