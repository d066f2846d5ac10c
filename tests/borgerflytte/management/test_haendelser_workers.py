"""`indlaes_cpr_haendelser --workers N`: forked processes, each applying its share of the
citizens in the file's order, committed for real (so a transactional test database)."""

import datetime
import io
import json
import os
import sys

import pytest

from accessrules.models import Borger, Tilknytning
from borgerflytte.management import intake
from borgerflytte.models import Borgerflytning, HaendelseKvittering, Tilstand
from tests.borgerflytte.conftest import FlytningFactory, IndrejseFactory, bosat
from tests.borgerflytte.management.test_haendelser_command import jsonl, run

pytestmark = pytest.mark.django_db(transaction=True)


def shares(events, workers):
    return {intake.share_of(e, workers) for e in events}


def traced(monkeypatch, trace):
    """Each result, as a worker gets it, appended to `trace` with the worker's pid."""
    real = intake.anvend_haendelser

    def anvend_haendelser(**kwargs):
        for result in real(**kwargs):
            with open(trace, "a") as handle:
                handle.write(f"{os.getpid()} {result.haendelse_id}\n")
            yield result

    monkeypatch.setattr(intake, "anvend_haendelser", anvend_haendelser)


def test_every_citizen_keeps_its_order_and_every_event_its_receipt(kommuner, tmp_path, monkeypatch):
    """Citizens affiliated to jobcentre A move to B and, a day later, back to A, the second
    move far behind the first in the file: in order, the second move cancels the flow the
    first opened (a move back into the jobcentre's kommune opens none); out of order, the
    first would be refused or leave its flow waiting."""
    movers = [bosat(kommuner["A"], kommuner["jcA"]) for _ in range(6)]
    first = [FlytningFactory(cpr=b.cpr, tilKommunekode="147") for b in movers]
    new = [IndrejseFactory() for _ in range(20)]
    second = [
        FlytningFactory(cpr=b.cpr, fraKommunekode="147", tilKommunekode="101") for b in movers
    ]
    for event, later in zip(first, second, strict=True):
        dato = datetime.date.fromisoformat(event["flyttedato"]) + datetime.timedelta(days=1)
        later["flyttedato"] = dato.isoformat()
    events = first + new + second
    assert shares(events, 3) == {0, 1, 2}  # every worker has work
    traced(monkeypatch, tmp_path / "trace")
    out, err, failed = run(jsonl(tmp_path, events), "--workers", "3", "--chunk-size", "4")

    assert failed is None, err
    assert f"{len(events)} CPR events" in out and f"behandlet: {len(events)}" in out
    assert HaendelseKvittering.objects.filter(status="behandlet").count() == len(events)
    assert Borger.objects.count() == len(movers) + len(new)
    for borger in movers:
        flows = Borgerflytning.objects.filter(borger=borger)
        assert [f.tilstand for f in flows] == [Tilstand.ANNULLERET]
        open_ = Tilknytning.objects.filter(borger=borger, til__isnull=True)
        assert {t.organisation for t in open_} == {kommuner["A"], kommuner["jcA"]}
    trace = [line.split() for line in (tmp_path / "trace").read_text().splitlines()]
    assert len({pid for pid, _ in trace}) == 3 and os.getpid() not in {int(p) for p, _ in trace}
    order = {haendelse_id: (pid, i) for i, (pid, haendelse_id) in enumerate(trace)}
    for event, later in zip(first, second, strict=True):  # one worker, the file's order
        (pid, i), (later_pid, j) = order[event["haendelseId"]], order[later["haendelseId"]]
        assert pid == later_pid and i < j


def test_a_rejected_event_is_named_and_the_rest_applied(kommuner, tmp_path):
    events = [FlytningFactory() for _ in range(8)]
    events[5] = FlytningFactory(tilKommunekode="999", haendelseId="bad-1")
    out, err, failed = run(jsonl(tmp_path, events), "--workers", "2")
    assert "1 event(s) rejected" in str(failed)
    assert "line 6 (bad-1): afvist: 1014 Failed to validate message (tilKommunekode)" in err
    assert "behandlet: 7" in out and "afvist: 1" in out
    assert Borger.objects.count() == 7


def test_a_worker_that_dies_stops_the_command_and_the_others_finish(
    kommuner, tmp_path, monkeypatch
):
    events = [FlytningFactory() for _ in range(12)]
    assert shares([{**events[0], "haendelseId": "another"}], 2) == shares(events[:1], 2)
    doomed = {e["cpr"] for e in events if intake.share_of(e, 2) == 1}
    assert doomed and len(doomed) < len(events)
    real = intake.anvend_haendelser

    def dies_in_share_1(*, haendelser, **kwargs):
        for result in real(haendelser=haendelser, **kwargs):
            if result.haendelse_id in {e["haendelseId"] for e in events if e["cpr"] in doomed}:
                os._exit(9)  # as SIGKILL would: no word to the parent
            yield result

    monkeypatch.setattr(intake, "anvend_haendelser", dies_in_share_1)
    _, _, failed = run(jsonl(tmp_path, events), "--workers", "2", "--chunk-size", "1")
    assert "1 of 2 workers stopped" in str(failed) and "exit code 9" in str(failed)
    applied = set(Borger.objects.values_list("cpr", flat=True))
    assert applied >= {e["cpr"] for e in events} - doomed  # the other worker finished
    assert len(applied & doomed) == 1  # the dead one's first chunk had committed


def test_standard_input_with_workers(kommuner, monkeypatch):
    events = [FlytningFactory() for _ in range(6)]
    text = "".join(json.dumps(e) + "\n" for e in events)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    out, err, failed = run("-", "--workers", "2")
    assert failed is None, err
    assert "behandlet: 6" in out
    assert Borger.objects.count() == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "--workers must be at least 1"),
        (["--workers", "2", "--dry-run"], "use it with --workers 1"),
    ],
)
def test_bad_worker_options_apply_nothing(kommuner, tmp_path, args, message):
    _, _, failed = run(jsonl(tmp_path, [FlytningFactory()]), *args)
    assert message in str(failed)
    assert not HaendelseKvittering.objects.exists()
