"""CompiledLookup (accessrules.queries): the ORM's SQL compiled once, the ORM's instances."""

import datetime
import uuid

import pytest
from django.db import transaction
from django.db.models.sql.compiler import SQLCompiler

from accessrules.models import Borger
from accessrules.queries import CompiledLookup, citizen_by_cpr
from asylovergivelse.models import Asylovergivelse
from borgerflytte.models import Borgerflytning
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import BorgerFactory

pytestmark = pytest.mark.django_db


def _citizens_with_transition() -> CompiledLookup:
    return CompiledLookup(
        lambda cpr: Borger.objects.select_related("asylovergivelse").filter(cpr=cpr),
        field=Borger._meta.get_field("cpr"),
        stand_in="9999999999",
    )


def _as_orm_loads(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_instance_and_its_related_object_equal_the_orms():
    borger = BorgerFactory(doedsdato=datetime.date(2026, 1, 2))
    Asylovergivelse.objects.create(
        borger=borger,
        cv_edit_end_date=datetime.date(2026, 12, 31),
        overgivelsesdato=datetime.date(2026, 12, 1),
        overgivelseskommunekode="101",
    )
    orm = Borger.objects.select_related("asylovergivelse").get(cpr=borger.cpr)
    found = _citizens_with_transition().get(borger.cpr)
    assert type(found) is Borger and found._state.db == "default" and not found._state.adding
    assert _as_orm_loads(found) == _as_orm_loads(orm)
    assert _as_orm_loads(found.asylovergivelse) == _as_orm_loads(orm.asylovergivelse)
    assert found.asylovergivelse.borger is found


def test_a_missing_related_object_raises_as_in_the_orm(django_assert_num_queries):
    borger = BorgerFactory()
    found = _citizens_with_transition().get(borger.cpr)
    with django_assert_num_queries(0), pytest.raises(Asylovergivelse.DoesNotExist):
        found.asylovergivelse  # noqa: B018 - loaded (as none) with the citizen


def test_no_row_is_none_and_the_value_is_a_parameter():
    BorgerFactory(cpr="0101901234")
    lookup = _citizens_with_transition()
    assert lookup.get("0101901235") is None
    assert lookup.get("x' OR '1'='1") is None
    assert lookup.get("0101901234").cpr == "0101901234"


def test_the_sql_is_compiled_once(monkeypatch):
    borgere = BorgerFactory.create_batch(3)
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)
    )
    lookup = _citizens_with_transition()
    assert [lookup.get(b.cpr) for b in borgere] == borgere
    assert len(compiled) == 1


def test_a_locked_lookup_by_uuid_with_two_joins():
    flow = BorgerflytningFactory()
    lookup = CompiledLookup(
        lambda pk: (
            Borgerflytning.objects.select_related("borger", "fraflytningskommune")
            .select_for_update(of=("self",))
            .filter(pk=pk)
        ),
        field=Borgerflytning._meta.pk,
        stand_in=uuid.UUID(int=0),
    )
    with transaction.atomic():
        found = lookup.get(flow.pk)
        assert lookup.get(uuid.uuid4()) is None
    assert (found.pk, found.flyttedato, found.oprettet) == (flow.pk, flow.flyttedato, flow.oprettet)
    assert found.borger == flow.borger and found.fraflytningskommune.kode == "101"
    assert found.fraflytningskommune._state.db == "default"


def test_a_stand_in_that_is_not_a_parameter_is_refused():
    lookup = CompiledLookup(
        lambda cpr: Borger.objects.filter(cpr="0101901234"),
        field=Borger._meta.get_field("cpr"),
        stand_in="9999999999",
    )
    with pytest.raises(ValueError, match="stand-in"):
        lookup.get("0101901234")


def test_citizen_by_cpr_names_nobody_for_the_null_cpr(django_assert_num_queries):
    BorgerFactory(cpr="0000000000")
    with django_assert_num_queries(0):
        assert citizen_by_cpr("0000000000") is None
