"""Issue 21, item 3: a citizen's insight report (SPEC 7): every access-log row of the retention
period, from every organisation, an API client by name and a caseworker by organisation and
role (never by name), in Danish; as an admin page, CSV and PDF and a command; only with the
insight permission (STAR's Support by default); making it leaves a row of its own."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accessrules.accesslog import indsigt
from accessrules.accesslog import log as accesslog
from accessrules.core.caller import Caller
from accessrules.models import AccessLogEntry, Rolle, RolleKilde
from accessrules.sagsbehandlere import saet_sagsbehandler
from tests.factories import ApiClientFactory, BorgerFactory, KommuneFactory, StarFactory

pytestmark = pytest.mark.django_db


def caseworker(username, organisation, rolle):
    user = User.objects.create_user(username, password="en-lang-adgangskode-til-test")
    saet_sagsbehandler(
        user, organisation=organisation, rolle=rolle, kilde=RolleKilde.LOKAL, begrundelse="test"
    )
    return user


@pytest.fixture
def verden():
    star, kommune = StarFactory(kode="STAR"), KommuneFactory(kode="101", navn="Kommune 101")
    borger, anden = BorgerFactory(), BorgerFactory()
    klient = ApiClientFactory(navn="Fagsystem X")
    jens = caseworker("jens.jensen", kommune, Rolle.SAGSBEHANDLER)
    log = [
        (Caller(organisation=kommune, client=klient), "GetAsylOvergivelse", borger, 200, None),
        (Caller(organisation=kommune, client=klient), "GetAsylOvergivelse", borger, 404, 6005),
        (Caller(organisation=kommune, user=jens), "admin:vis_borger", borger, 200, None),
        (Caller(organisation=kommune, client=klient), "GetAsylOvergivelse", anden, 200, None),
    ]
    for caller, handling, who, outcome, code in log:
        accesslog.write(
            handling=handling, caller=caller, borger=who, outcome=outcome, error_code=code
        )
    old = AccessLogEntry.objects.create(
        handling="GetAsylOvergivelse", borger=borger, organisation=kommune, outcome=200
    )
    too_old = timezone.now() - datetime.timedelta(days=400)
    AccessLogEntry.objects.filter(pk=old.pk).update(created_at=too_old)
    return star, kommune, borger, jens


def test_the_rows_name_a_client_by_name_and_a_caseworker_by_role_only(verden):
    _, _, borger, jens = verden
    rows = [row.som_tekst() for row in indsigt.raekker(borger)]
    assert len(rows) == 3  # not the other citizen's, not the one past the retention
    assert [r[1:] for r in rows] == [
        ["Kommune 101 (7:101)", "API-klient «Fagsystem X»", "Opslag af asylovergivelse (API)",
         "Gennemført"],
        ["Kommune 101 (7:101)", "API-klient «Fagsystem X»", "Opslag af asylovergivelse (API)",
         "Afvist: ikke fundet (fejlkode 6005)"],
        ["Kommune 101 (7:101)", "En medarbejder med rollen Sagsbehandler (læse)",
         "Borgerens side vist i administrationen", "Gennemført"],
    ]  # fmt: skip
    assert all("jens" not in cell for row in rows for cell in row)


def test_a_caseworker_is_shown_with_the_role_they_had_then(verden):
    star, kommune, borger, jens = verden
    saet_sagsbehandler(
        jens, organisation=kommune, rolle=Rolle.SUPPORT, kilde=RolleKilde.LOKAL, begrundelse="t"
    )
    [*_, row] = indsigt.raekker(borger)
    assert row.hvem == "En medarbejder med rollen Sagsbehandler (læse)"


def test_only_the_insight_permission_star_support_by_default(client, verden):
    star, kommune, borger, _ = verden
    for username, organisation in (("kommune.support", kommune), ("star.sb", None)):
        if organisation is None:
            caseworker(username, star, Rolle.SAGSBEHANDLER)
        else:
            caseworker(username, organisation, Rolle.SUPPORT)
        client.login(username=username, password="en-lang-adgangskode-til-test")
        response = client.get(reverse("admin:borger_indsigt", args=[borger.pk]))
        assert response.status_code == 403 and "Ingen adgang" in response.content.decode()
        assert response["Content-Type"].startswith("text/html")
    assert not AccessLogEntry.objects.filter(handling="indsigt").exists()
    assert caseworker("star.support", star, Rolle.SUPPORT).has_perm("accessrules.indsigt")


def test_the_page_the_csv_and_the_pdf_each_leave_a_row(client, verden):
    star, _, borger, _ = verden
    user = caseworker("star.support", star, Rolle.SUPPORT)
    client.login(username="star.support", password="en-lang-adgangskode-til-test")
    found = client.post("/admin/accessrules/borger/indsigt/", {"cpr": borger.cpr})
    assert found.status_code == 302
    assert found["Location"] == reverse("admin:borger_indsigt", args=[borger.pk])
    page = client.get(found["Location"]).content.decode()
    assert "API-klient «Fagsystem X»" in page and "jens" not in page
    assert borger.cpr not in page and f"{borger.cpr[:6]}-xxxx" in page
    csv_response = client.get(f"{found['Location']}csv/")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == indsigt.KOLONNER and len(table) == 1 + 3 + 1  # and the page's own row
    pdf = client.get(f"{found['Location']}pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    rows = AccessLogEntry.objects.filter(handling="indsigt")
    assert rows.count() == 3
    assert {(r.user, r.borger, r.organisation, r.outcome) for r in rows} == {
        (user, borger, star, 200)
    }
    # the next report lists the reports made
    assert "Indsigtsrapport dannet" in client.get(found["Location"]).content.decode()


def test_an_unknown_cpr_is_a_form_error_and_a_row(client, verden):
    star, *_ = verden
    caseworker("star.support", star, Rolle.SUPPORT)
    client.login(username="star.support", password="en-lang-adgangskode-til-test")
    response = client.post("/admin/accessrules/borger/indsigt/", {"cpr": "0101011234"})
    assert response.status_code == 200 and "Ingen borger" in response.content.decode()
    row = AccessLogEntry.objects.get(handling="indsigt")
    assert (row.borger, row.outcome, row.error_code) == (None, 404, 1010)


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_the_command_reads_the_cpr_from_stdin(tmp_path, verden, fmt):
    star, _, borger, _ = verden
    out = tmp_path / f"rapport.{fmt}"
    call_command("indsigt", format=fmt, output=str(out), stdin=io.StringIO(borger.cpr + "\n"))
    content = out.read_bytes()
    if fmt == "csv":
        assert content.decode("utf-8-sig").count("\r\n") == 1 + 3
    else:
        assert content.startswith(b"%PDF")
    row = AccessLogEntry.objects.get(handling="indsigt")
    assert (row.borger, row.organisation, row.user) == (borger, star, None)
    with pytest.raises(CommandError, match="gyldigt CPR"):
        call_command("indsigt", format=fmt, output=str(out), stdin=io.StringIO("12\n"))


def test_every_handling_has_a_danish_name():
    from accessrules.access.tables import Operation
    from accessrules.admin.borger import FIND_CPR, VIS_BORGER
    from accessrules.api.routes import served

    declared = [endpoint.operation for endpoint in served()]  # also those declared there
    for handling in [*Operation, *declared, FIND_CPR, VIS_BORGER, indsigt.INDSIGT]:
        assert indsigt.handling_navn(handling) != handling, handling
