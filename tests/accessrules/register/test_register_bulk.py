"""import_register on many citizens: one COPY per table whose rows are checked as they are sent,
lookups only for what existed, and the guarantees kept (nothing written on an error anywhere,
a key twice refused wherever it is, text stored as given, a rerun changes nothing)."""

import copy
import io

import pytest

from accessrules.core import bulk
from accessrules.models import Borger, Organisation, Tilknytning
from accessrules.register import framework, import_register
from accessrules.register.framework import RecordError
from asylovergivelse.models import JobnetCv
from borgerflytte.models import Borgerflytning

pytestmark = pytest.mark.django_db

ORGANISATIONER = [
    {"type": 7, "kode": "101", "navn": "Københavns Kommune"},
    {"type": 7, "kode": "147", "navn": "Frederiksberg Kommune"},
    {"type": 8, "kode": "10100", "navn": "Jobcenter København"},
    {"type": 8, "kode": "14700", "navn": "Jobcenter Frederiksberg"},
]


def cpr(i: int) -> str:
    return f"{i + 1:02d}0190{1000 + i:04d}"


def borger(i: int, **extra) -> dict:
    return {
        "cpr": cpr(i),
        "kontaktgruppe": "flygtning",
        "tilknytninger": [{"organisation": "8:10100", "fra": "2020-01-01"}],
        "cv": {"nummer": f"CV-{i}", "status": "aktiv"},
        **extra,
    }


def document(n: int) -> dict:
    return {"organisationer": ORGANISATIONER, "borgere": [borger(i) for i in range(n)]}


def nothing_written() -> bool:
    models = (Organisation, Borger, Tilknytning, JobnetCv, Borgerflytning)
    return not any(model.objects.exists() for model in models)


@pytest.fixture
def small_chunks(monkeypatch):
    """Progress every 2 citizens; every row sent to COPY on its own (so that an error finds
    rows on their way); lookups (elsewhere than on PostgreSQL) 2 values at a time."""
    monkeypatch.setattr(framework, "CHUNK_SIZE", 2)
    monkeypatch.setattr(bulk, "COPY_BATCH", 1)
    monkeypatch.setattr(bulk, "WHERE_IN_CHUNK", 2)


def test_every_citizen_gets_its_own_rows_and_a_progress_line_per_chunk(small_chunks):
    err = io.StringIO()
    stats = import_register(document(5), progress=lambda line: err.write(line + "\n"))
    assert stats["borger created"] == 5
    assert stats["tilknytning created"] == stats["jobnet-CV created"] == 5
    assert err.getvalue().splitlines() == ["borgere: 2/5", "borgere: 4/5", "borgere: 5/5"]
    jobcenter = Organisation.objects.get(type=8, kode="10100")
    for i in range(5):
        citizen = Borger.objects.get(cpr=cpr(i))
        assert citizen.kontaktgruppe == "flygtning"
        assert citizen.jobnet_cv.nummer == f"CV-{i}"
        [tilknytning] = Tilknytning.objects.filter(borger=citizen)
        assert (tilknytning.organisation, tilknytning.fra.isoformat()) == (jobcenter, "2020-01-01")


def test_a_cpr_twice_anywhere_is_refused(small_chunks):
    doc = document(5)
    doc["borgere"][4]["cpr"] = cpr(0)
    with pytest.raises(RecordError) as error:
        import_register(doc)
    assert error.value.where.startswith("borgere[4]")
    assert nothing_written()


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda b: b.update(cpr="3102901234"), "borgere[4]"),
        (lambda b: b["cv"].update(status=["aktiv"]), "borgere[4] (cpr 050190-xxxx).cv"),
        (
            lambda b: b["tilknytninger"][0].update(til="2019-12-31"),
            "borgere[4] (cpr 050190-xxxx).tilknytninger[0]",
        ),
        (
            lambda b: b["tilknytninger"][0].update(organisation=["8:10100"]),
            "borgere[4] (cpr 050190-xxxx).tilknytninger[0].organisation",
        ),
        (
            lambda b: b["tilknytninger"].append(dict(b["tilknytninger"][0], til="2030-01-01")),
            "borgere[4] (cpr 050190-xxxx).tilknytninger[1]",
        ),
        (lambda b: b.update(tilknytninger={}), "borgere[4] (cpr 050190-xxxx).tilknytninger"),
    ],
)
def test_an_error_in_the_last_citizen_writes_nothing(small_chunks, mutate, where):
    """The rows before it are already on their way to the database when it is found."""
    doc = document(5)
    mutate(doc["borgere"][4])
    with pytest.raises(RecordError) as error:
        import_register(doc)
    assert error.value.where == where
    assert nothing_written()


def test_an_unhashable_organisation_type_is_a_record_error():
    doc = document(1)
    doc["organisationer"] = [{"type": [7], "kode": "101", "navn": "x"}]
    with pytest.raises(RecordError) as error:
        import_register(doc)
    assert error.value.where == "organisationer[0]"
    assert nothing_written()


def test_stored_and_new_citizens_in_one_document(small_chunks):
    import_register(document(3))
    doc = document(5)
    doc["borgere"][0]["tilknytninger"][0]["til"] = "2026-06-30"  # changed
    doc["borgere"][1]["tilknytninger"].append({"organisation": "8:14700", "fra": "2021-01-01"})
    doc["borgere"][1]["cv"]["status"] = "laast"
    doc["borgere"][2]["tilknytninger"][0]["fra"] = "2020-01-01"  # unchanged
    stats = import_register(copy.deepcopy(doc))
    assert stats == {
        "organisation unchanged": 4,
        "borger created": 2,
        "borger unchanged": 3,
        "tilknytning created": 3,  # the two new citizens' and one more of borgere[1]
        "tilknytning updated": 1,
        "tilknytning unchanged": 2,
        "jobnet-CV created": 2,
        "jobnet-CV updated": 1,
        "jobnet-CV unchanged": 2,
    }
    first, second = (Borger.objects.get(cpr=cpr(i)) for i in range(2))
    assert Tilknytning.objects.get(borger=first).til.isoformat() == "2026-06-30"
    assert sorted(t.organisation.kode for t in Tilknytning.objects.filter(borger=second)) == [
        "10100",
        "14700",
    ]
    assert second.jobnet_cv.status == "laast"
    assert Tilknytning.objects.count() == 6 and JobnetCv.objects.count() == 5
    # and once more: nothing to do
    stats = import_register(doc)
    assert not any(outcome in kind for kind in stats for outcome in ("created", "updated"))
    assert stats["tilknytning unchanged"] == 6


def test_a_relation_twice_for_a_stored_citizen_is_refused():
    import_register(document(1))
    doc = document(1)
    doc["borgere"][0]["tilknytninger"].append(dict(doc["borgere"][0]["tilknytninger"][0]))
    with pytest.raises(RecordError) as error:
        import_register(doc)
    assert error.value.where.endswith(".tilknytninger[1]")
    assert Tilknytning.objects.count() == 1


def test_text_is_stored_as_given():
    """Tabs, newlines, backslashes and braces survive the COPY text format."""
    doc = document(2)
    doc["organisationer"][0]["navn"] = "Kommune {0} \\N"
    doc["borgere"][0]["kontaktgruppe"] = "a\tb\nc\\d\re {x}"
    doc["borgere"][0]["cv"]["nummer"] = "\\N"
    doc["borgere"][1]["kontaktgruppe"] = ""
    doc["borgere"][1]["doedsdato"] = "2026-01-31"
    doc["borgere"][1]["cv"]["nummer"] = "{}{0}Ø"
    import_register(doc)
    assert Organisation.objects.get(type=7, kode="101").navn == "Kommune {0} \\N"
    first, second = (Borger.objects.get(cpr=cpr(i)) for i in range(2))
    assert (first.kontaktgruppe, first.doedsdato) == ("a\tb\nc\\d\re {x}", None)
    assert first.jobnet_cv.nummer == "\\N"
    assert (second.kontaktgruppe, second.doedsdato.isoformat()) == ("", "2026-01-31")
    assert second.jobnet_cv.nummer == "{}{0}Ø"
    assert import_register(doc)["borger unchanged"] == 2


@pytest.mark.parametrize("unknown", ['01019"1234', "0101\\91234", "{0101901234}", "NULL"])
def test_a_flow_for_an_unknown_odd_cpr_names_itself(unknown):
    """Looked up as one array: odd text is quoted, not taken for array syntax."""
    doc = document(1)
    doc["borgerflytninger"] = [
        {
            "id": "8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10",
            "cpr": unknown,
            "fraflytningskommune": "101",
            "tilflytningskommune": "147",
            "flyttedato": "2026-11-01",
        }
    ]
    with pytest.raises(RecordError) as error:
        import_register(doc)
    assert error.value.where == "borgerflytninger[0].cpr"
    assert nothing_written()
