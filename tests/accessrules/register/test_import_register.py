import copy
import json

import pytest
from django.core.management import CommandError, call_command

from accessrules.models import (
    AndenAktoerTildeling,
    Borger,
    Gaesteadgang,
    Organisation,
    Tilknytning,
)
from asylovergivelse.models import JobnetCv
from borgerflytte.models import Borgerflytning

pytestmark = pytest.mark.django_db

# The example of SPEC 7a, plus the organisations its references need.
DOCUMENT = {
    "organisationer": [
        {"type": 7, "kode": "101", "navn": "Københavns Kommune"},
        {"type": 7, "kode": "147", "navn": "Frederiksberg Kommune"},
        {"type": 8, "kode": "10100", "navn": "Jobcenter København"},
        {"type": 8, "kode": "14700", "navn": "Jobcenter Frederiksberg"},
        {"type": 4, "kode": "12345678", "navn": "Eksempel Anden Aktør ApS"},
        {"type": 1, "kode": "STAR", "navn": "Styrelsen for Arbejdsmarked og Rekruttering"},
    ],
    "borgere": [
        {
            "cpr": "0101901234",
            "doedsdato": None,
            "kontaktgruppe": "flygtning",
            "tilknytninger": [{"organisation": "8:10100", "fra": "2020-01-01", "til": None}],
            "gaesteadgange": [
                {"organisation": "8:14700", "fra": "2026-01-01", "til": "2026-12-31"}
            ],
            "andenAktoerTildelinger": [
                {
                    "organisation": "4:12345678",
                    "jobcenter": "8:10100",
                    "fra": "2026-01-01",
                    "til": None,
                }
            ],
            "cv": {"nummer": "CV-0001", "status": "aktiv"},
        }
    ],
    "borgerflytninger": [
        {
            "id": "8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10",
            "cpr": "0101901234",
            "fraflytningskommune": "101",
            "tilflytningskommune": "147",
            "flyttedato": "2026-11-01",
        }
    ],
}


@pytest.fixture
def document_file(tmp_path):
    def write(document) -> str:
        path = tmp_path / "register.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return str(path)

    return write


def run(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_register", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return [
        m.objects.count()
        for m in (
            Organisation,
            Borger,
            Tilknytning,
            Gaesteadgang,
            AndenAktoerTildeling,
            JobnetCv,
            Borgerflytning,
        )
    ]


def test_the_spec_example_loads(document_file):
    out, err = run(document_file(DOCUMENT))
    assert counts() == [6, 1, 1, 1, 1, 1, 1]
    borger = Borger.objects.get(cpr="0101901234")
    assert borger.kontaktgruppe == "flygtning"
    assert borger.jobnet_cv.status == "aktiv"
    assert Borgerflytning.objects.get().borger == borger
    assert "borger created: 1" in out
    assert "borgere: 1/1" in err


def test_a_rerun_changes_nothing(document_file):
    path = document_file(DOCUMENT)
    run(path)
    out, _ = run(path)
    assert "created" not in out and "updated" not in out
    assert "borger unchanged: 1" in out and "borgerflytning unchanged: 1" in out
    assert counts() == [6, 1, 1, 1, 1, 1, 1]


def test_changes_are_applied_as_updates(document_file):
    run(document_file(DOCUMENT))
    changed = copy.deepcopy(DOCUMENT)
    changed["borgere"][0]["tilknytninger"][0]["til"] = "2026-06-30"
    changed["borgere"][0]["cv"]["status"] = "laast"
    changed["organisationer"][0]["navn"] = "Københavns Kommune (ny)"
    out, _ = run(document_file(changed))
    assert Tilknytning.objects.get().til.isoformat() == "2026-06-30"
    assert JobnetCv.objects.get().status == "laast"
    assert Organisation.objects.get(type=7, kode="101").navn.endswith("(ny)")
    assert "tilknytning updated: 1" in out


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d["borgere"][0].update(cpr="3102901234"), "borgere[0]"),
        (
            lambda d: d["borgere"][0]["tilknytninger"][0].update(organisation="8:99999"),
            "tilknytninger[0].organisation",
        ),
        (
            lambda d: d["borgere"][0]["tilknytninger"][0].update(fra="2020-13-01"),
            "tilknytninger[0].fra",
        ),
        (  # SPEC 8's range
            lambda d: d["borgere"][0]["tilknytninger"][0].update(fra="1899-12-31"),
            "tilknytninger[0].fra",
        ),
        (
            lambda d: d["borgere"][0]["gaesteadgange"][0].update(til="2025-01-01"),
            "gaesteadgange[0]",
        ),
        (lambda d: d["borgere"][0]["cv"].update(status="slettet"), "cv"),
        (
            lambda d: d["borgerflytninger"][0].update(tilflytningskommune="999"),
            "borgerflytninger[0].tilflytningskommune",
        ),
        (
            lambda d: d["organisationer"].append({"type": 9, "kode": "x", "navn": "y"}),
            "organisationer[6]",
        ),
        (lambda d: d.update(ukendt=[]), "document"),
        (lambda d: d["borgere"][0].update(hobby="golf"), "borgere[0]"),
        (lambda d: d["borgere"].append(copy.deepcopy(d["borgere"][0])), "borgere[1]"),
    ],
)
def test_a_bad_record_is_named_and_nothing_is_written(document_file, mutate, where):
    bad = copy.deepcopy(DOCUMENT)
    mutate(bad)
    with pytest.raises(CommandError) as failure:
        run(document_file(bad))
    assert where in str(failure.value)
    assert "nothing was written" in str(failure.value)
    assert counts() == [0, 0, 0, 0, 0, 0, 0]


def test_dry_run_writes_nothing(document_file):
    out, _ = run(document_file(DOCUMENT), "--dry-run")
    assert "would be" in out and "borger created: 1" in out
    assert counts() == [0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_not_a_document(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        run(str(path))


def test_missing_file():
    with pytest.raises(CommandError, match="cannot read"):
        run("/nonexistent/register.json")


def test_many_citizens_each_get_their_own_relations_and_optional_keys(document_file):
    """New citizens' ids come from the import itself (reserved, not read back): every
    relation lands on its own citizen, and a key one record has and the next lacks is
    the column's default there."""
    first = copy.deepcopy(DOCUMENT["borgere"][0])
    first["doedsdato"] = "2026-01-31"
    others = [
        {
            "cpr": f"02029{i:05d}",
            "tilknytninger": [{"organisation": "8:14700", "fra": f"2021-01-{i + 1:02d}"}],
            "cv": {"nummer": f"CV-{i}", "status": "laast"},
        }
        for i in range(3)
    ]
    existing = Borger.objects.create(cpr="0303901234", kontaktgruppe="x")
    document = {
        **DOCUMENT,
        "borgere": [
            first,
            *others,
            {"cpr": existing.cpr, "cv": {"nummer": "E", "status": "aktiv"}},
        ],
        "borgerflytninger": [
            {**DOCUMENT["borgerflytninger"][0], "cpr": others[2]["cpr"]},
        ],
    }
    run(document_file(document))
    assert Borger.objects.get(cpr=first["cpr"]).doedsdato.isoformat() == "2026-01-31"
    for i, record in enumerate(others):
        borger = Borger.objects.get(cpr=record["cpr"])
        assert (borger.doedsdato, borger.kontaktgruppe) == (None, "")
        [tilknytning] = Tilknytning.objects.filter(borger=borger)
        assert tilknytning.fra.isoformat() == f"2021-01-{i + 1:02d}"
        assert borger.jobnet_cv.nummer == f"CV-{i}"
    assert JobnetCv.objects.get(borger=existing).nummer == "E"
    assert Borgerflytning.objects.get().borger.cpr == others[2]["cpr"]
    later = Borger.objects.create(cpr="0404901234")  # the sequence is past the reserved ids
    assert later.pk > max(Borger.objects.exclude(pk=later.pk).values_list("pk", flat=True))
