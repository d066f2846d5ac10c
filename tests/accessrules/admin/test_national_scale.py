"""Issue 23 item 2: the statements each admin list sends, so that a page that would be slow at
national scale fails here on small data: no exact count of a large table (a count reads at
most 10,001 rows), no DISTINCT (list filters and date periods have fixed choices), the access
log's list on its newest rows, a citizen's page on that citizen's rows only."""

import re

import pytest
from django.db import connection

from accessrules.admin import AccessLogEntryAdmin
from accessrules.models import AccessLogEntry
from tests.adminurl import admin_url
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import BorgerFactory, KommuneFactory, StarFactory
from tests.sagsbehandler import log_in
from tests.statements import statements

pytestmark = pytest.mark.django_db

LARGE_LISTS = [
    "/admin/accessrules/accesslogentry/",
    "/admin/accessrules/accesslogentry/?handling=GetAsylOvergivelse&outcome=200",
    "/admin/accessrules/accesslogentry/?created_at__year=2026",
    "/admin/accessrules/borger/",
    "/admin/accessrules/borger/?kontaktgruppe=flygtning",
    "/admin/accessrules/requestid/",
    "/admin/asylovergivelse/asylovergivelse/",
    "/admin/asylovergivelse/asylovergivelse/?borger__kontaktgruppe=flygtning",
    "/admin/borgerflytte/borgerflytning/",
    "/admin/borgerflytte/borgerflytning/?tilstand__exact=AFVENTER",
    "/admin/borgerflytte/haendelsekvittering/",
]


@pytest.mark.parametrize("url", LARGE_LISTS)
def test_a_large_tables_list_counts_at_most_10001_rows_and_reads_no_distinct(admin_client, url):
    BorgerFactory(kontaktgruppe="flygtning")
    with statements() as sent:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert not sent.matching("DISTINCT"), sent
    counts = sent.matching("COUNT(")
    assert counts, sent  # the paginator's total
    assert all("LIMIT 10001" in sql for sql in counts), counts


def test_the_access_log_list_opens_on_the_newest_rows(admin_client, monkeypatch):
    monkeypatch.setattr(AccessLogEntryAdmin, "list_per_page", 2)  # more than one page
    for _ in range(3):
        AccessLogEntry.objects.create(handling="GetAsylOvergivelse", outcome=200)
    with statements() as sent:
        response = admin_client.get("/admin/accessrules/accesslogentry/")
    assert response.status_code == 200
    [page] = [s for s in sent.all() if s.startswith('SELECT "accessrules_accesslogentry"."id"')]
    assert 'ORDER BY "accessrules_accesslogentry"."created_at" DESC' in page, page
    assert page.endswith("LIMIT 2"), page
    assert "mere end" not in response.content.decode()


def test_more_than_10000_rows_say_so(admin_client, monkeypatch):
    monkeypatch.setattr("accessrules.admin.skala.GRAENSE", 2)
    for _ in range(4):
        AccessLogEntry.objects.create(handling="GetAsylOvergivelse", outcome=200)
    response = admin_client.get("/admin/accessrules/accesslogentry/")
    assert "mere end 2 adgangslog" in response.content.decode()


def test_a_citizens_page_reads_only_that_citizens_log_rows(admin_client):
    borger = BorgerFactory()
    with statements() as sent:
        response = admin_client.get(admin_url(borger))
    assert response.status_code == 200
    reads = [s for s in sent.matching("accessrules_accesslogentry") if s.startswith("SELECT")]
    assert reads, sent
    assert all(f'"accessrules_accesslogentry"."borger_id" = {borger.pk}' in s for s in reads)
    assert not sent.matching("DISTINCT") and not sent.matching("COUNT("), sent


@pytest.mark.postgres
def test_the_dashboards_counts_each_read_an_index(admin_client):
    """Each count of the dashboard is answered from an index (with sequential scans off, so
    the plan on this small data is the one the index allows, not the cheapest on 0 rows)."""
    with statements() as sent:
        assert admin_client.get("/admin/").status_code == 200
    counts = sent.matching("COUNT(")
    assert len(counts) >= 5, sent
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in counts:
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan" not in plan and "Index" in plan, (sql, plan)


def _page_statement(sent) -> str:
    [page] = [s for s in sent.all() if s.startswith('SELECT "accessrules_accesslogentry"."id"')]
    return page


@pytest.mark.parametrize(
    "query", ["", "?handling=GetAsylOvergivelse&outcome=200", "?q=abc", "?outcome=404"]
)
def test_the_access_log_list_reads_only_the_last_days_unless_a_period_is_chosen(
    admin_client, query
):
    """Issue 23 item 2: the page and its count bounded on created_at (so PostgreSQL prunes
    the partitions of older days), whatever else is filtered; a row older than that is not
    on the page until "Alle datoer" is chosen, and its own page still opens."""
    import datetime

    from django.utils import timezone

    from accessrules.admin.skala import ALLE_DATOER, STANDARD_DAGE

    new = AccessLogEntry.objects.create(handling="GetAsylOvergivelse", outcome=200)
    old = AccessLogEntry.objects.create(handling="GetAsylOvergivelse", outcome=200)
    AccessLogEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=STANDARD_DAGE + 2)
    )
    url = "/admin/accessrules/accesslogentry/"
    with statements() as sent:
        response = admin_client.get(url + query)
    assert response.status_code == 200
    page = _page_statement(sent)
    assert '"accessrules_accesslogentry"."created_at" >= ' in page, page
    assert all('"created_at" >= ' in sql for sql in sent.matching("COUNT(")), sent
    if not query:
        assert [row.pk for row in response.context["cl"].result_list] == [new.pk]
        everything = admin_client.get(url, {"created_at__gte": ALLE_DATOER})
        assert {row.pk for row in everything.context["cl"].result_list} == {new.pk, old.pk}
        assert "Alle datoer" in everything.content.decode()
        assert admin_client.get(admin_url(old)).status_code == 200


@pytest.mark.postgres
def test_the_access_log_lists_page_is_planned_on_the_last_days_partitions(admin_client):
    """The page's statement, EXPLAINed: of a month of daily partitions, only those of the
    last days (and the DEFAULT one) are read."""
    import datetime

    from accessrules.accesslog import partitions

    for n in range(31):
        partitions.create(partitions.today() - datetime.timedelta(days=n))
    with statements() as sent:
        assert admin_client.get("/admin/accessrules/accesslogentry/").status_code == 200
    page = _page_statement(sent)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    prefix = partitions.name_of(partitions.today())[:-8]
    read = set(re.findall(rf"\b{prefix}\d{{8}}\b", plan))
    assert 0 < len(read) <= 9, plan  # 7 days, today and tomorrow at most, not 31 + ahead


@pytest.mark.postgres
@pytest.mark.parametrize(
    "url", ["/admin/accessrules/borger/", "/admin/borgerflytte/haendelsekvittering/"]
)
def test_a_caseworkers_restricted_lists_read_each_relation_through_its_index(client, url):
    """Issue 21 item 1: a caseworker's list by its citizens (the table's relations and the
    flows of its kommune) reads them as one UNION of indexed sets, no correlated subquery per
    citizen: an OR of a semi-join and an EXISTS scanned all 6 million citizens."""
    kommune = KommuneFactory(kode="101")
    BorgerflytningFactory(fraflytningskommune=kommune, tilflytningskommune=KommuneFactory())
    log_in(client, kommune)
    with statements() as sent:
        assert client.get(url).status_code == 200
    restricted = [s for s in sent.matching(" UNION ") if s.startswith("SELECT")]
    assert len(restricted) >= 2, sent  # the bounded count and the page
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in restricted:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "SubPlan" not in plan and "Seq Scan" not in plan, (sql, plan)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "url", ["/admin/accessrules/borger/", "/admin/borgerflytte/haendelsekvittering/"]
)
def test_a_kommune_with_many_citizens_walks_its_list_in_order_probing_each_relation(
    client, url, settings
):
    """Issue 21/23: beyond ADMIN_MANGE_BORGERE relation rows (kommune 101: 700,000 citizens)
    the page walks the list's own order through an index and probes each relation's index
    per row (no set of every visible id first: that took 13 s for a caseworker's page sorted
    by its random key at 6 million citizens)."""
    settings.ADMIN_MANGE_BORGERE = 0
    kommune = KommuneFactory(kode="101")
    BorgerflytningFactory(fraflytningskommune=kommune, tilflytningskommune=KommuneFactory())
    log_in(client, kommune)
    with statements() as sent:
        assert client.get(url).status_code == 200
    assert not sent.matching(" UNION "), sent
    [page] = [s for s in sent.matching("EXISTS") if not s.startswith("SELECT COUNT")]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    head = "\n".join(plan.splitlines()[:6])
    assert "Index Scan using" in head and "sortering_idx" in head, plan  # the list's order
    assert "Seq Scan" not in plan, plan
    assert not re.search(r"(?<!Incremental )Sort  \(", plan), plan  # nothing sorted whole


def test_a_count_beyond_the_bound_is_remembered_per_user_and_list(client, monkeypatch):
    """`mere end 10.000` is counted once per user and list (filters, search), then remembered
    (ADMIN_STOR_ANTAL_SECONDS) while the list is paged and sorted; a smaller count is always
    counted afresh."""
    monkeypatch.setattr("accessrules.admin.skala.GRAENSE", 2)
    star = StarFactory()
    for _ in range(3):
        BorgerFactory(kontaktgruppe="flygtning")

    def counted(url) -> bool:
        with statements() as sent:
            response = client.get(url)
        assert response.status_code == 200
        return bool(sent.matching("COUNT("))

    log_in(client, star, navn="one")
    assert counted("/admin/accessrules/borger/")
    assert not counted("/admin/accessrules/borger/")
    assert not counted("/admin/accessrules/borger/?o=1")  # another order: the same list
    assert counted("/admin/accessrules/borger/?kontaktgruppe=flygtning")
    assert counted("/admin/accessrules/borger/?kontaktgruppe=-")  # 0 rows: not remembered
    assert counted("/admin/accessrules/borger/?kontaktgruppe=-")
    log_in(client, star, navn="two")
    assert counted("/admin/accessrules/borger/")  # another user counts for themselves
