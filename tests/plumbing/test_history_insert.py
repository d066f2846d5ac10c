"""New history rows are one INSERT built once per model (accessrules.history._InsertOnce)."""

import pytest
from django.db.models import signals
from django.db.models.sql.compiler import SQLInsertCompiler

from borgerflytte.models import Borgerflytning
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import StarFactory

pytestmark = pytest.mark.django_db

History = Borgerflytning.history.model


def _history_values(row) -> dict:
    skip = {"history_id", "history_date"}
    return {f.attname: getattr(row, f.attname) for f in History._meta.fields if f.name not in skip}


@pytest.fixture
def orm_inserts(monkeypatch):
    compiled = []
    original = SQLInsertCompiler.as_sql
    monkeypatch.setattr(
        SQLInsertCompiler,
        "as_sql",
        lambda self, *a, **k: compiled.append(self.query.model) or original(self, *a, **k),
    )
    return compiled


def test_a_change_writes_the_row_simple_history_would_without_the_orm_insert(orm_inserts):
    flow = BorgerflytningFactory()
    flow.fraflytning_organisation = StarFactory()
    flow._change_reason = "fraflytning bekræftet"
    orm_inserts.clear()
    flow.save()
    assert History not in orm_inserts
    row = flow.history.latest("history_id")
    assert row.pk is not None and row.history_type == "~"
    assert row.history_change_reason == "fraflytning bekræftet"
    values = _history_values(row)
    for name in ("id", "borger_id", "fraflytning_organisation_id", "flyttedato", "oprettet"):
        assert values[name] == getattr(flow, name)
    assert flow.history.count() == 2


def test_the_instance_is_saved_state(orm_inserts):
    flow = BorgerflytningFactory()
    row = History(
        **{f.attname: getattr(flow, f.attname) for f in Borgerflytning._meta.concrete_fields},
        history_type="~",
        history_date=flow.oprettet,
    )
    row.save()
    assert row.pk == History.objects.latest("history_id").pk
    assert (row._state.adding, row._state.db) == (False, "default")
    assert History not in orm_inserts


def test_a_model_with_save_receivers_of_its_own_is_saved_by_the_orm(orm_inserts):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_save.connect(receiver, sender=History)
    try:
        flow = BorgerflytningFactory()
    finally:
        signals.post_save.disconnect(receiver, sender=History)
    assert History in orm_inserts
    assert [row.id for row in seen] == [flow.pk]
