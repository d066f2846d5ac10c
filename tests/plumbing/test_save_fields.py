"""save_fields (accessrules.queries): save(update_fields=...) with the UPDATE built once."""

import uuid

import pytest
from django.db import DatabaseError
from django.db.models import signals
from django.db.models.sql.compiler import SQLUpdateCompiler
from django.utils import timezone

from accessrules.queries import save_fields
from borgerflytte.models import Borgerflytning, Tilstand
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import StarFactory

pytestmark = pytest.mark.django_db


def test_only_the_named_fields_are_written_with_their_history_row(monkeypatch):
    flow = BorgerflytningFactory()
    star = StarFactory()
    compiled = []
    original = SQLUpdateCompiler.as_sql
    monkeypatch.setattr(
        SQLUpdateCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self)
    )
    flow.fraflytning_tidspunkt = timezone.now()
    flow.fraflytning_organisation = star
    flow.tilstand = Tilstand.AFSLUTTET
    flow.annulleret_af = "not saved: not named"
    flow._change_reason = "stamped"
    save_fields(flow, ["fraflytning_tidspunkt", "fraflytning_organisation", "tilstand"])
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert (stored.fraflytning_tidspunkt, stored.fraflytning_organisation) == (
        flow.fraflytning_tidspunkt,
        star,
    )
    assert (stored.tilstand, stored.annulleret_af) == (Tilstand.AFSLUTTET, "")
    assert compiled == []
    latest = stored.history.latest("history_id")
    assert (latest.history_type, latest.history_change_reason) == ("~", "stamped")
    assert latest.fraflytning_organisation_id == star.pk


def test_the_signals_are_the_orms():
    flow = BorgerflytningFactory()
    sent = []

    def pre(sender, **kwargs):
        sent.append(("pre", kwargs["update_fields"]))

    def post(sender, **kwargs):
        sent.append(("post", kwargs["created"], kwargs["update_fields"]))

    signals.pre_save.connect(pre, sender=Borgerflytning)
    signals.post_save.connect(post, sender=Borgerflytning)
    try:
        save_fields(flow, ["tilstand"])
    finally:
        signals.pre_save.disconnect(pre, sender=Borgerflytning)
        signals.post_save.disconnect(post, sender=Borgerflytning)
    assert sent == [("pre", {"tilstand"}), ("post", False, {"tilstand"})]


def test_no_row_updated_is_an_error_as_in_the_orm():
    flow = BorgerflytningFactory()
    flow.pk = uuid.uuid4()
    with pytest.raises(DatabaseError, match="did not affect any rows"):
        save_fields(flow, ["tilstand"])
