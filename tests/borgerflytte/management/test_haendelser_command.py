"""`indlaes_cpr_haendelser`: both file forms, standard input, progress, counts, the exit on a
rejection, --dry-run, and a malformed file refused whole before anything is applied."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from accessrules.models import Borger, Tilknytning
from borgerflytte.management import intake
from borgerflytte.models import Borgerflytning, HaendelseKvittering
from tests.borgerflytte.conftest import DoedsfaldFactory, FlytningFactory, IndrejseFactory, bosat

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("indlaes_cpr_haendelser", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def jsonl(tmp_path, events, name="events.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def document(tmp_path, events, name="events.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"haendelser": events}, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("write", [jsonl, document])
def test_a_file_is_applied_and_counted(kommuner, tmp_path, write):
    borger = bosat(kommuner["A"], kommuner["jcA"])
    events = [FlytningFactory(cpr=borger.cpr), IndrejseFactory(), FlytningFactory()]
    path = write(tmp_path, events)
    out, err, failed = run(path)
    assert failed is None, err
    assert "3 CPR events" in out
    assert "behandlet: 3" in out and "afvist: 0" in out and "allerede behandlet: 0" in out
    assert Borgerflytning.objects.get().borger == borger
    receipts = HaendelseKvittering.objects.all()
    assert {r.kilde for r in receipts} == {f"indlaes_cpr_haendelser {path.name}"}
    assert len(receipts) == 3


def test_a_rerun_is_allerede_behandlet(kommuner, tmp_path):
    path = jsonl(tmp_path, [FlytningFactory(), FlytningFactory()])
    run(path)
    out, _, failed = run(path)
    assert failed is None
    assert "allerede behandlet: 2" in out
    assert Borger.objects.count() == 2


def test_standard_input(kommuner, monkeypatch):
    events = [FlytningFactory(), DoedsfaldFactory()]
    text = "\ufeff" + json.dumps({"haendelser": events})  # with a BOM
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    out, err, failed = run("-")
    assert isinstance(failed, CommandError)
    assert "behandlet: 1" in out and "afvist: 1" in out
    assert HaendelseKvittering.objects.count() == 2
    assert {r.kilde for r in HaendelseKvittering.objects.all()} == {"indlaes_cpr_haendelser"}


def test_a_rejected_event_exits_non_zero_after_applying_the_rest(kommuner, tmp_path):
    events = [FlytningFactory(), FlytningFactory(tilKommunekode="999", haendelseId="bad-1")]
    events += [IndrejseFactory()]
    out, err, failed = run(jsonl(tmp_path, events))
    assert "1 event(s) rejected" in str(failed)
    assert "line 2 (bad-1): afvist: 1014 Failed to validate message (tilKommunekode)" in err
    assert "behandlet: 2" in out and "afvist: 1" in out
    assert Borger.objects.count() == 2
    assert HaendelseKvittering.objects.filter(status="afvist").get().haendelse_id == "bad-1"


def test_no_cpr_in_the_output(kommuner, tmp_path):
    event = DoedsfaldFactory()
    out, err, _ = run(jsonl(tmp_path, [event]))
    assert event["cpr"] not in out + err


def test_dry_run_with_a_rejection_keeps_nothing_and_exits_non_zero(kommuner, tmp_path):
    events = [FlytningFactory(), FlytningFactory(tilKommunekode="999")]
    out, _, failed = run(jsonl(tmp_path, events), "--dry-run")
    assert "1 event(s) rejected (afvist); nothing was kept (dry run)" in str(failed)
    assert "behandlet: 1" in out and "afvist: 1" in out
    assert not Borger.objects.exists() and not HaendelseKvittering.objects.exists()


def test_dry_run_reports_and_rolls_back(kommuner, tmp_path):
    borger = bosat(kommuner["A"], kommuner["jcA"])
    out, _, failed = run(jsonl(tmp_path, [FlytningFactory(cpr=borger.cpr)]), "--dry-run")
    assert failed is None
    assert "behandlet: 1" in out and "rolled back" in out
    assert not Borgerflytning.objects.exists()
    assert not HaendelseKvittering.objects.exists()
    assert Tilknytning.objects.filter(borger=borger, til__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json\n", "line 2: not valid JSON"),
        ("[1, 2]\n", "line 2: 1014 Failed to validate message (the event)"),
        ('{"haendelseId": "x"}\n', "line 2: 1014 Failed to validate message (type, cpr)"),
    ],
)
def test_a_malformed_line_refuses_the_whole_file(kommuner, tmp_path, text, message):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(FlytningFactory())
    path.write_text(f"{good}\n{text}{good}\n", encoding="utf-8")
    _, err, failed = run(path)
    assert "1 malformed event(s): nothing was applied" in str(failed)
    assert message in err
    assert not Borger.objects.exists() and not HaendelseKvittering.objects.exists()


def test_a_malformed_document_names_the_element(kommuner, tmp_path):
    path = document(tmp_path, [FlytningFactory(), FlytningFactory(flyttedato="2200-01-01")])
    _, err, failed = run(path)
    assert isinstance(failed, CommandError)
    assert (
        "haendelser[1] (line 11): 1014 Failed to validate message (haendelser[1].flyttedato)"
        in (err)
    )
    path.write_text('{"haendelser": [{"a": 1}, {"b": ]}', encoding="utf-8")
    _, err, failed = run(path)
    assert "haendelser[1] (line 1): not valid JSON" in err
    assert not HaendelseKvittering.objects.exists()


def test_an_unreadable_file(tmp_path):
    _, _, failed = run(tmp_path / "missing.json")
    assert "cannot read" in str(failed)
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"a": "\xe6"}\n')
    _, err, failed = run(path)
    assert "not UTF-8" in err and "nothing was applied" in str(failed)


def test_progress_lines_on_stderr(kommuner, tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "PROGRESS_EVERY", 2)
    _, err, failed = run(jsonl(tmp_path, [FlytningFactory() for _ in range(5)]))
    assert failed is None
    assert "2/5 events" in err and "4/5 events" in err


def test_a_large_file_is_read_in_chunks(kommuner, tmp_path, monkeypatch):
    """More events than a chunk, and a document longer than the reader's window."""
    from borgerflytte.haendelser import stream

    monkeypatch.setattr(stream, "READ_SIZE", 100)
    events = [FlytningFactory() for _ in range(30)]
    events += [dict(events[3])]  # a replay across chunks
    out, err, failed = run(document(tmp_path, events), "--chunk-size", "7")
    assert failed is None, err
    assert "behandlet: 30" in out and "allerede behandlet: 1" in out
    assert Borger.objects.count() == 30


def test_a_database_error_is_reported_without_a_cpr(kommuner, tmp_path, monkeypatch):
    from django.db import DatabaseError

    def fails(**kwargs):
        raise DatabaseError("Key (cpr)=(0101901234) already exists.")
        yield  # a generator, as the intake is

    monkeypatch.setattr(intake, "anvend_haendelser", fails)
    _, err, failed = run(jsonl(tmp_path, [FlytningFactory()]))
    assert "stopped by a database error after 0 events" in str(failed)
    assert "010190-xxxx" in str(failed) and "0101901234" not in str(failed) + err
