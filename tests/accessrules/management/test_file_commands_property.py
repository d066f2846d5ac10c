"""Issue 20, item 3: every command that reads a file, given a valid document with random bad
bytes and escapes in it (a seeded random loop), answers a clear message (a CommandError, never
a traceback) and leaves the database as it was, or, for the CPR events, as documented event by
event (SPEC 5a: a malformed file applies nothing; otherwise every event is applied or rejected
on its own, and counted)."""

import copy
import io
import json
import random
import re

import pytest
from django.core.management import CommandError, call_command

from accessrules.models import Borger, Organisation, Tilknytning
from asylovergivelse.models import JobnetCv
from borgerflytte.models import Borgerflytning, HaendelseKvittering
from tests.accessrules.register.test_import_register import DOCUMENT
from tests.borgerflytte.conftest import DoedsfaldFactory, FlytningFactory, IndrejseFactory, bosat
from tests.factories import JobcenterFactory, KommuneFactory

pytestmark = pytest.mark.django_db
TRIALS = 40
MARK = "@@MARK@@"
# JSON escapes that parse, some into text no database can store
ESCAPES = ["\\ud800", "\\udfff", "\\udc00x", "\\u0000", "\\ud83d", "\\\\", '\\"', "\\u00e6", "\\n"]
# bytes that break UTF-8 (a lone continuation, a UTF-8-encoded surrogate, a cut sequence) or
# JSON (a raw NUL or control character, a stray quote, bracket or backslash)
BYTES = [b"\xff", b"\x80", b"\xed\xa0\x80", b"\xc3", b"\x00", b"\x07", b'"', b"{", b"]", b"\\"]


def strings(value, path=()):
    """The paths of every string (keys and values) in parsed JSON."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield (*path, ("key", key))
            yield from strings(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from strings(inner, (*path, index))


def with_escape(document, rng: random.Random) -> bytes:
    """The document as JSON with one escape put into a random string or key."""
    document = copy.deepcopy(document)
    path = rng.choice(list(strings(document)))
    *parents, last = path
    holder = document
    for step in parents:
        holder = holder[step]
    if isinstance(last, tuple):  # a key
        key = last[1]
        at = rng.randint(0, len(key))
        holder[key[:at] + MARK + key[at:]] = holder.pop(key)
    else:
        text = holder[last]
        at = rng.randint(0, len(text))
        holder[last] = text[:at] + MARK + text[at:]
    escape = rng.choice(ESCAPES)
    return json.dumps(document, ensure_ascii=False).replace(MARK, escape).encode()


def with_bytes(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data))
        kind = rng.choice(["insert", "replace", "delete", "random"])
        if kind == "insert":
            data = data[:at] + rng.choice(BYTES) + data[at:]
        elif kind == "replace":
            data = data[:at] + rng.choice(BYTES) + data[at + 1 :]
        elif kind == "delete":
            data = data[:at] + data[at + 1 :]
        else:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at:]
    return data


def mutated(document, text: bytes, rng: random.Random) -> bytes:
    return with_escape(document, rng) if rng.random() < 0.5 else with_bytes(text, rng)


def snapshot() -> tuple:
    return tuple(
        sorted(map(str, model.objects.values_list()))
        for model in (Organisation, Borger, Tilknytning, JobnetCv, Borgerflytning)
    ) + (sorted(map(str, HaendelseKvittering.objects.values_list("haendelse_id", "status"))),)


def run(command: str, path, *args) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_import_register_refuses_a_broken_file_whole(tmp_path):
    rng = random.Random(20)
    text = json.dumps(DOCUMENT, ensure_ascii=False).encode()
    path = tmp_path / "register.json"
    outcomes = set()
    for trial in range(TRIALS):
        path.write_bytes(mutated(DOCUMENT, text, rng))
        before = snapshot()
        out, err, failed = run("import_register", path)
        if failed is not None:
            assert snapshot() == before, (trial, str(failed))
            assert str(failed) and "Traceback" not in err
        outcomes.add(failed is None)
    assert outcomes == {True, False}  # some mutations still load, most are refused


def events(trial: int, cpr: str) -> list[dict]:
    return [
        FlytningFactory(haendelseId=f"t{trial}-1", cpr=cpr),
        IndrejseFactory(haendelseId=f"t{trial}-2"),
        FlytningFactory(haendelseId=f"t{trial}-3", tilKommunekode="9999"),  # rejected
        DoedsfaldFactory(haendelseId=f"t{trial}-4", cpr=cpr),
        FlytningFactory(haendelseId=f"t{trial}-5"),
    ]


def counted(out: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r"^  ([a-z ]+): (\d+)$", out, re.MULTILINE)}


@pytest.mark.parametrize("form", ["document", "lines"])
def test_indlaes_cpr_haendelser_applies_a_broken_file_never_in_part(tmp_path, form):
    KommuneFactory(kode="101"), KommuneFactory(kode="147"), JobcenterFactory(kode="10100")
    rng = random.Random(5 if form == "document" else 7)
    path = tmp_path / "events.json"
    outcomes = set()
    for trial in range(TRIALS):
        borger = bosat(Organisation.objects.get(kode="101"))
        batch = events(trial, borger.cpr)
        if form == "document":
            valid = {"haendelser": batch}
            data = mutated(valid, json.dumps(valid, ensure_ascii=False).encode(), rng)
        else:
            line = rng.randrange(len(batch))
            lines = [json.dumps(e, ensure_ascii=False).encode() for e in batch]
            lines[line] = mutated(batch[line], lines[line], rng)
            data = b"\n".join(lines) + b"\n"
        path.write_bytes(data)
        before = snapshot()
        out, err, failed = run("indlaes_cpr_haendelser", path, "--chunk-size", "2")
        assert "Traceback" not in err
        if failed is not None and "nothing was applied" in str(failed):
            assert snapshot() == before, (trial, str(failed))
            outcomes.add("refused")
            continue
        # applied event by event: every event counted, rejected ones reported, all kept
        assert failed is None or "rejected (afvist)" in str(failed), (trial, str(failed))
        statuses = counted(out)
        assert sum(statuses.values()) >= len(batch) - 1, (trial, out)  # a line may merge
        receipts = HaendelseKvittering.objects.filter(haendelse_id__startswith=f"t{trial}-")
        assert receipts.count() >= statuses["behandlet"]
        outcomes.add("applied")
    assert outcomes == {"refused", "applied"}


def test_a_lone_surrogate_late_in_a_file_applies_nothing(tmp_path):
    """Issue 20: `"haendelseId": "x-\\ud800"` passed the first reading and then raised
    UnicodeEncodeError after earlier chunks committed: a traceback, 20 of 25 events kept."""
    KommuneFactory(kode="101"), KommuneFactory(kode="147")
    batch = [IndrejseFactory(haendelseId=f"e-{n}") for n in range(25)]
    batch[20]["haendelseId"] = "x-" + MARK
    text = json.dumps({"haendelser": batch}).replace(MARK, "\\ud800")
    path = tmp_path / "events.json"
    path.write_text(text, encoding="utf-8")
    out, err, failed = run("indlaes_cpr_haendelser", path, "--chunk-size", "5")
    assert failed is not None and "nothing was applied" in str(failed)
    assert "haendelser[20].haendelseId" in err
    assert not HaendelseKvittering.objects.exists() and not Borger.objects.exists()


def test_import_register_names_a_lone_surrogate_and_a_date_outside_the_range(tmp_path):
    path = tmp_path / "register.json"
    text = json.dumps(DOCUMENT).replace("CV-0001", "CV-\\ud800")
    path.write_text(text, encoding="utf-8")
    out, err, failed = run("import_register", path)
    assert "borgere[0].cv.nummer" in str(failed) and not Organisation.objects.exists()
    path.write_text(json.dumps(DOCUMENT).replace("2020-01-01", "0001-01-01"), encoding="utf-8")
    out, err, failed = run("import_register", path)
    assert "within 1900-01-01..2199-12-31: '0001-01-01'" in str(failed)
    assert not Organisation.objects.exists()
