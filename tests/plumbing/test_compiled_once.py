"""compiled_once (accessrules.compiled): SQL compiled once per queryset shape, same results as
the ORM's."""

import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler

from accessrules import compiled
from accessrules.compiled import compiled_once
from accessrules.models import ApiClient, Borger
from asylovergivelse.models import Asylovergivelse
from borgerflytte.models import Borgerflytning, Tilstand
from tests.borgerflytte.conftest import BorgerflytningFactory, kommune
from tests.factories import ApiClientFactory, BorgerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiles(monkeypatch):
    """Counts the ORM's compilations of SELECTs; starts with no kept shapes."""
    monkeypatch.setattr(compiled, "_shapes", {})
    calls = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: calls.append(1) or original(self, *a, **k)
    )
    return calls


def _loaded(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _transition(borger) -> Asylovergivelse:
    return Asylovergivelse.objects.create(
        borger=borger,
        cv_edit_end_date=datetime.date(2026, 12, 31),
        overgivelsesdato=datetime.date(2026, 12, 1),
        overgivelseskommunekode="101",
    )


def test_a_citizen_with_its_transition_as_the_orm_loads_them(compiles):
    with_transition, without = BorgerFactory(doedsdato=datetime.date(2026, 1, 2)), BorgerFactory()
    _transition(with_transition)
    citizens = compiled_once(Borger.objects.select_related("asylovergivelse"))
    compiles.clear()
    found = [citizens.filter(cpr=b.cpr).get() for b in (with_transition, without)]
    assert len(compiles) == 1  # one shape, two values
    orm = Borger.objects.select_related("asylovergivelse").get(cpr=with_transition.cpr)
    assert _loaded(found[0]) == _loaded(orm) and found[0]._state.db == "default"
    assert _loaded(found[0].asylovergivelse) == _loaded(orm.asylovergivelse)
    assert found[0].asylovergivelse.borger is found[0]
    with pytest.raises(Asylovergivelse.DoesNotExist):
        found[1].asylovergivelse  # noqa: B018 - loaded (as none) with the citizen


def test_pages_of_flows_equal_the_orms_for_every_value(compiles):
    a, b, c = kommune("101"), kommune("147"), kommune("169")
    base = datetime.date(2026, 1, 1)
    for n in range(12):
        BorgerflytningFactory(
            fraflytningskommune=[a, b, c][n % 3],
            tilflytningskommune=[b, c, a][n % 3],
            flyttedato=base + datetime.timedelta(days=n % 5),
        )
    Borgerflytning.objects.filter(flyttedato=base).update(tilstand=Tilstand.ANNULLERET)

    def page(queryset, k, day):
        queryset = queryset.filter(Q(fraflytningskommune=k) | Q(tilflytningskommune=k))
        queryset = queryset.filter(flyttedato__gte=day, tilstand=Tilstand.AFVENTER)
        return [flow.pk for flow in queryset.order_by("-flyttedato", "id")[1:4]]

    cases = [(k, base + datetime.timedelta(days=d)) for k in (a, b, c) for d in (0, 1, 3)]
    compiles.clear()
    kept = [page(compiled_once(Borgerflytning.objects.all()), k, d) for k, d in cases]
    assert len(compiles) == 1
    assert kept == [page(Borgerflytning.objects.all(), k, d) for k, d in cases]
    assert any(kept)


def test_a_value_is_only_ever_a_parameter(compiles):
    BorgerFactory(cpr="0101901234")
    citizens = compiled_once(Borger.objects.all())
    assert list(citizens.filter(cpr="x' OR '1'='1")) == []
    assert [b.cpr for b in citizens.filter(cpr="0101901234")] == ["0101901234"]


def test_a_boolean_value_is_part_of_the_shape(compiles):
    system, plain = ApiClientFactory(system=True), ApiClientFactory(system=False)
    clients = compiled_once(ApiClient.objects.all())
    assert list(clients.filter(system=True)) == [system]
    assert list(clients.filter(system=False)) == [plain]
    assert len(compiled._shapes) == 2


def test_shapes_it_does_not_keep_are_run_by_the_orm(compiles):
    borgere = BorgerFactory.create_batch(3)
    citizens = compiled_once(Borger.objects.order_by("cpr"))
    assert list(citizens.filter(cpr__in=[b.cpr for b in borgere[:2]])) == sorted(
        borgere[:2], key=lambda b: b.cpr
    )
    assert list(citizens.none()) == []
    assert list(citizens.filter(doedsdato__isnull=True).exclude(pk=borgere[0].pk)) == sorted(
        borgere[1:], key=lambda b: b.cpr
    )
    assert list(citizens.values_list("cpr", flat=True)) == sorted(b.cpr for b in borgere)
    assert compiled._shapes == {}


@pytest.mark.django_db(transaction=True)
def test_a_locked_lookup_runs_in_a_transaction_only(compiles):
    flow = BorgerflytningFactory()
    flows = compiled_once(Borgerflytning.objects.select_related("borger").select_for_update())
    with transaction.atomic():
        assert flows.filter(pk=flow.pk).get().borger == flow.borger
        assert list(flows.filter(pk=uuid.uuid4())) == []
    if connection.features.has_select_for_update:
        with pytest.raises(transaction.TransactionManagementError):
            list(flows.filter(pk=flow.pk))


def test_the_number_of_kept_shapes_is_bounded(compiles, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_SHAPES", 2)
    borger = BorgerFactory()
    citizens = compiled_once(Borger.objects.all())
    for limit in range(1, 6):  # each slice is a shape of its own
        assert list(citizens.filter(cpr=borger.cpr)[:limit]) == [borger]
    assert 1 <= len(compiled._shapes) <= 2


def test_only_some_columns_is_a_shape_of_its_own(compiles):
    first, second = BorgerFactory(kontaktgruppe="flygtning"), BorgerFactory()
    citizens = compiled_once(Borger.objects.only("cpr"))
    compiles.clear()
    found = [citizens.filter(cpr=b.cpr).get() for b in (first, second)]
    assert len(compiles) == 1
    assert found == [first, second]
    assert found[0].get_deferred_fields() == {"doedsdato", "kontaktgruppe"}
    assert found[0].kontaktgruppe == "flygtning"  # read when asked for, as the ORM does
    assert len(compiled_once(Borger.objects.all()).filter(cpr=first.cpr)) == 1
    assert len(compiled._shapes) == 2
