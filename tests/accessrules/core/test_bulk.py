"""The bulk-load helpers (accessrules.core.bulk) on their own: COPY text, natural keys, rows
written with their defaults, ids reserved, and look-ups by many values. The register import
and the CPR intake test them at scale (tests/accessrules/register/test_register_bulk.py)."""

import datetime
import enum
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessrules.core import bulk
from accessrules.models import Borger, Organisation
from tests.factories import BorgerFactory, KommuneFactory, cpr_for


class Farve(enum.Enum):
    ROED = "roed"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("tab\there\nand\\back", "tab\\there\\nand\\\\back"),
        (None, "\\N"),
        (True, "t"),
        (False, "f"),
        (42, "42"),
        (datetime.date(2026, 12, 5), "2026-12-05"),
        (datetime.datetime(2026, 12, 5, 8, 30), "2026-12-05T08:30:00"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ({"a": "æ"}, '{"a": "æ"}'),
        (Farve.ROED, "roed"),
    ],
)
def test_copy_text(value, text):
    assert bulk.copy_text(value) == text


def test_copy_text_refuses_binary():
    with pytest.raises(TypeError):
        bulk.copy_text(b"x")


def test_key_of_gives_a_tuple_for_one_name_and_for_several():
    row = {"type": 7, "kode": "101", "navn": "x"}
    assert bulk.key_of(("kode",))(row) == ("101",)
    assert bulk.key_of(("type", "kode"))(row) == (7, "101")


@pytest.mark.django_db
def test_create_rows_writes_every_row_with_the_defaults_of_what_it_does_not_name():
    rows = (
        {"id": i, "cpr": cpr_for(n)} if i else {"cpr": cpr_for(n)}
        for n, i in enumerate(bulk.new_ids(Borger, 2) or [None, None])
    )
    created = bulk.create_rows(Borger, rows)
    assert len(created) == 2
    stored = Borger.objects.order_by("cpr")
    assert [b.cpr for b in stored] == [cpr_for(0), cpr_for(1)]
    assert {b.kontaktgruppe for b in stored} == {""} and {b.doedsdato for b in stored} == {None}
    assert bulk.create_rows(Borger, iter([])) == []


@pytest.mark.django_db
def test_new_ids_are_reserved_on_postgresql_only():
    ids = bulk.new_ids(Borger, 3)
    if connection.vendor == "postgresql":
        assert len(set(ids)) == 3 and bulk.new_ids(Borger, 0) == []
    else:
        assert ids is None


@pytest.mark.django_db
def test_where_in_reads_the_rows_of_many_values(monkeypatch):
    monkeypatch.setattr(bulk, "WHERE_IN_CHUNK", 2)
    borgere = [BorgerFactory() for _ in range(5)]
    KommuneFactory()
    wanted = [b.cpr for b in borgere[:4]] + ["0000000000"]
    found = bulk.where_in(Borger.objects.all(), "cpr", wanted)
    assert sorted(b.cpr for b in found) == sorted(wanted[:4])
    assert bulk.where_in(Organisation.objects.all(), "kode", []) == []


@pytest.mark.django_db
def test_update_rows_sets_each_rows_own_values_in_one_statement():
    borgere = [BorgerFactory(kontaktgruppe="x", doedsdato=None) for _ in range(5)]
    groups = ['a "quoted", {braced} \\ one', "NULL", "", "æøå"]
    rows = [
        {"id": b.pk, "kontaktgruppe": g, "doedsdato": datetime.date(2026, 1, 1 + n) if n else None}
        for n, (b, g) in enumerate(zip(borgere, groups, strict=False))
    ]
    with CaptureQueriesContext(connection) as sent:
        bulk.update_rows(Borger, ["kontaktgruppe", "doedsdato"], iter(rows))
    assert len(sent) == 1
    stored = Borger.objects.order_by("pk")
    assert [(b.cpr, b.kontaktgruppe, b.doedsdato) for b in stored] == [
        (borgere[0].cpr, groups[0], None),
        (borgere[1].cpr, "NULL", datetime.date(2026, 1, 2)),
        (borgere[2].cpr, "", datetime.date(2026, 1, 3)),
        (borgere[3].cpr, "æøå", datetime.date(2026, 1, 4)),
        (borgere[4].cpr, "x", None),  # not among the rows: unchanged
    ]
    with CaptureQueriesContext(connection) as sent:
        bulk.update_rows(Borger, ["kontaktgruppe"], [])
    assert len(sent) == 0


@pytest.mark.django_db
def test_any_of_filters_as_in_does_with_one_parameter_on_postgresql():
    borgere = [BorgerFactory() for _ in range(4)]
    wanted = [b.cpr for b in borgere[:3]] + ["0000000000"]
    with CaptureQueriesContext(connection) as sent:
        found = list(Borger.objects.filter(bulk.any_of("cpr", wanted)).order_by("pk"))
        by_id = list(Borger.objects.filter(bulk.any_of("id", [borgere[3].pk])))
        none = list(Borger.objects.filter(bulk.any_of("id", [])))
    assert found == borgere[:3] and by_id == [borgere[3]] and none == []
    if connection.vendor == "postgresql":
        assert "= ANY(" in sent.captured_queries[0]["sql"]
