"""Issue 20, item 2, "not by ordering": rows made in bulk get their ids in CPR order (the CPR
intake sorts a chunk's CPRs, register extracts come sorted), so no list a Sagsbehandler sees
with masked CPRs may follow the id: it follows each row's random key
(`accessrules.models.sortering`), also when a column is sorted by `?o=`. 30 citizens who
share a birth date: a random order equals the CPR order (or its reverse) with probability
2/30!, nil."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accessrules.admin.borger import BorgerAdmin
from accessrules.models import Borger, Rolle, RolleKilde
from accessrules.register import import_register
from accessrules.sagsbehandlere import saet_sagsbehandler
from asylovergivelse.admin import AsylovergivelseAdmin
from asylovergivelse.models import Asylovergivelse, JobnetCv
from borgerflytte.haendelser import modtag_haendelser
from borgerflytte.models import Borgerflytning, HaendelseKvittering
from tests.borgerflytte.conftest import BorgerflytningFactory, IndrejseFactory, days
from tests.factories import KommuneFactory, StarFactory
from tests.sagsbehandler import log_in
from tests.statements import statements

N = 30
CPRS = [f"0801601{n:03d}" for n in range(100, 100 + 7 * N, 7)]  # sorted, one birth date
LISTS = {
    "/admin/accessrules/borger/": Borger,
    "/admin/borgerflytte/haendelsekvittering/": HaendelseKvittering,
    "/admin/asylovergivelse/asylovergivelse/": Asylovergivelse,
    "/admin/asylovergivelse/jobnetcv/": JobnetCv,
    "/admin/borgerflytte/borgerflytning/": Borgerflytning,
}


@pytest.fixture
def star(db):
    return StarFactory()


@pytest.fixture
def i_cpr_orden(star):
    """The citizens as the CPR intake makes them (one chunk, its CPRs sorted), then a
    transition, a CV and a flow each, made in CPR order as an import makes them (the flows
    with the register's ids, in CPR order too)."""
    KommuneFactory(kode="101")
    KommuneFactory(kode="147")
    events = [IndrejseFactory(cpr=cpr, tilKommunekode="147") for cpr in CPRS]
    modtag_haendelser(haendelser=events, kilde="cpr-udtræk")
    borgere = list(Borger.objects.order_by("pk"))
    assert [b.cpr for b in borgere] == CPRS  # ids in CPR order: what the list must not show
    for i, borger in enumerate(borgere):
        Asylovergivelse.objects.create(
            borger=borger,
            overgivelsesdato=days(0),
            cv_edit_end_date=days(30),
            overgivelseskommunekode="147",
        )
        JobnetCv.objects.create(borger=borger, nummer=f"CV-{i}", status="aktiv")
        BorgerflytningFactory(borger=borger, id=uuid.UUID(int=i + 1), flyttedato=days(-5))
    return borgere


def shown(client, url: str, **query) -> list[str]:
    """The CPRs of the list's rows, in the order shown."""
    response = client.get(url, query)
    assert response.status_code == 200, url
    rows = response.context["cl"].result_list
    return [row.cpr if isinstance(row, Borger) else row.borger.cpr for row in rows]


def by_key(model) -> list[str]:
    rows = model.objects.order_by("sorteringsnoegle", "pk")
    return [row.cpr if model is Borger else row.borger.cpr for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_a_sagsbehandlers_list_is_not_in_cpr_order(client, star, i_cpr_orden, url):
    log_in(client, star, Rolle.SAGSBEHANDLER)
    order = shown(client, url)
    assert sorted(order) == CPRS
    assert order not in (CPRS, CPRS[::-1])
    assert order == by_key(LISTS[url])  # each row's random key, not its id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "o"),
    [
        ("/admin/accessrules/borger/", "0"),  # the CPR column: ignored
        ("/admin/accessrules/borger/", "-0"),
        ("/admin/accessrules/borger/", "1"),  # kontaktgruppe: the same for all 30
        ("/admin/accessrules/borger/", "-2"),  # doedsdato: empty for all 30
        ("/admin/borgerflytte/haendelsekvittering/", "0"),  # modtaget: one chunk
        ("/admin/borgerflytte/haendelsekvittering/", "-5"),  # haendelse_id: free text, ignored
        ("/admin/asylovergivelse/asylovergivelse/", "3"),  # overgivelseskommunekode
        ("/admin/borgerflytte/borgerflytning/", "3"),  # flyttedato: one date
        ("/admin/borgerflytte/borgerflytning/", "-1"),  # fra (A)
    ],
)
def test_no_sorted_column_breaks_its_ties_by_the_id(client, star, i_cpr_orden, url, o):
    log_in(client, star, Rolle.SAGSBEHANDLER)
    order = shown(client, url, o=o)
    assert order not in (CPRS, CPRS[::-1])
    assert order == by_key(LISTS[url])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_admin", "column", "url"),
    [
        (BorgerAdmin, "id", "/admin/accessrules/borger/"),
        (AsylovergivelseAdmin, "borger", "/admin/asylovergivelse/asylovergivelse/"),  # its id
    ],
)
def test_a_column_sorted_by_an_id_is_ignored_for_a_masked_user(
    client, star, i_cpr_orden, monkeypatch, model_admin, column, url
):
    monkeypatch.setattr(model_admin, "list_display", [*model_admin.list_display, column])
    o = str(len(model_admin.list_display) - 1)
    user = log_in(client, star, Rolle.SAGSBEHANDLER)
    model = LISTS[url]
    assert shown(client, url, o=o) == shown(client, url, o=f"-{o}") == by_key(model)
    saet_sagsbehandler(
        user, organisation=star, rolle=Rolle.SUPPORT, kilde=RolleKilde.LOKAL, begrundelse="t"
    )
    assert shown(client, url, o=o) == CPRS  # Support: as asked


@pytest.mark.django_db
def test_support_who_sees_full_cprs_keeps_todays_order(client, star, i_cpr_orden):
    log_in(client, star, Rolle.SUPPORT)
    assert shown(client, "/admin/accessrules/borger/") == CPRS[::-1]  # the newest first
    assert shown(client, "/admin/accessrules/borger/", o="0") == CPRS  # by CPR, as asked
    receipts = HaendelseKvittering.objects.order_by("-modtaget", "haendelse_id")  # the model's
    expected = [r.borger.cpr for r in receipts.select_related("borger")]
    assert shown(client, "/admin/borgerflytte/haendelsekvittering/") == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_a_masked_list_reads_its_page_through_an_index(client, star, i_cpr_orden, url):
    """The page's statement is ordered by the key through an index (national scale: 6
    million citizens, issue 23): no sequential scan and no sort of the whole table (a sort of
    one flyttedato's or one chunk's rows after an index is an incremental sort)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    log_in(client, star, Rolle.SAGSBEHANDLER)
    table = LISTS[url]._meta.db_table
    with statements() as sent:
        assert client.get(url).status_code == 200
    [page] = [s for s in sent.all() if s.startswith(f'SELECT "{table}"."') and "ORDER BY" in s]
    assert '"sorteringsnoegle"' in page.split("ORDER BY")[1], page
    if "LIMIT" not in page:  # one page of rows: read whole, as on a national list's page
        page += " LIMIT 100"
    with connection.cursor() as cursor:
        # what the indexes allow, not the cheapest plan for 30 rows: a whole Sort is then
        # left only where no index gives the order
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = [row[0].strip() for row in cursor.fetchall()]
    text = "\n".join(plan)
    assert "Seq Scan" not in text and "Index Scan using" in text, text
    assert not [line for line in plan if line.startswith(("Sort  (", "->  Sort  ("))], text


# --- the key itself: random for every row, whoever inserts it --------------------------------


@pytest.mark.django_db
def test_the_intake_and_the_register_import_give_each_row_its_own_random_key(star):
    KommuneFactory(kode="147")
    modtag_haendelser(
        haendelser=[IndrejseFactory(cpr=cpr, tilKommunekode="147") for cpr in CPRS[:15]],
        kilde="t",
    )
    organisationer = [
        {"type": 7, "kode": "101", "navn": "K"},
        {"type": 8, "kode": "10100", "navn": "JC"},
    ]
    borgere = [{"cpr": cpr, "cv": {"nummer": cpr, "status": "aktiv"}} for cpr in CPRS[15:]]
    import_register({"organisationer": organisationer, "borgere": borgere})
    for model in (Borger, HaendelseKvittering, JobnetCv):
        keys = list(model.objects.order_by("pk").values_list("sorteringsnoegle", flat=True))
        assert len(set(keys)) == len(keys) >= 15, model  # one each, not one for all
        assert keys not in (sorted(keys), sorted(keys, reverse=True)), model


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_stored_citizen_its_own_random_key():
    executor = MigrationExecutor(connection)
    nodes = executor.loader.graph.nodes
    [adds] = [key for key in nodes if key[0] == "accessrules" and "sorteringsnoegle" in key[1]]
    # the migration before the one that adds the key, whatever their numbers
    [before] = [key for key in nodes[adds].dependencies if key[0] == "accessrules"]
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps.get_model("accessrules", "Borger")
        old.objects.bulk_create(old(cpr=cpr) for cpr in CPRS)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    keys = list(Borger.objects.order_by("pk").values_list("sorteringsnoegle", flat=True))
    assert len(set(keys)) == N
    assert keys not in (sorted(keys), sorted(keys, reverse=True))
