"""import_register streamed from a file (issue 23 item 4): records CHUNK_SIZE at a time, a key
twice refused across chunks (and only then: a second import in one transaction starts
afresh), a lone surrogate escape found wherever the reads cut the file, standard input."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from accessrules.models import Borger, Organisation
from accessrules.register import framework, import_register, stream
from accessrules.register.framework import RecordError
from accessrules.register.stream import JsonFile
from borgerflytte.models import Borgerflytning
from tests.accessrules.register.test_register_bulk import borger, document

pytestmark = pytest.mark.django_db


def as_file(value) -> JsonFile:
    return JsonFile(io.BytesIO(json.dumps(value).encode()))


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(framework, "CHUNK_SIZE", 2)


def test_a_streamed_document_loads_chunk_by_chunk_and_reruns_unchanged(small_chunks):
    lines = []
    stats = import_register(as_file(document(5)), progress=lines.append)
    assert stats["borger created"] == 5 and Borger.objects.count() == 5
    assert lines == ["borgere: 2/5", "borgere: 4/5", "borgere: 5/5"]
    again = import_register(as_file(document(5)))
    assert again["borger unchanged"] == 5 and again["tilknytning unchanged"] == 5
    assert Borger.objects.count() == 5


@pytest.mark.parametrize("stored", [False, True])
def test_a_cpr_twice_in_different_chunks_is_refused(small_chunks, stored):
    if stored:
        import_register(as_file(document(1)))
    doc = document(3)
    doc["borgere"].append(borger(0, kontaktgruppe="andet"))
    with pytest.raises(RecordError) as failure:
        import_register(as_file(doc))
    assert failure.value.where.startswith("borgere[3]")
    assert "duplicate borger" in failure.value.message
    assert Borger.objects.count() == (1 if stored else 0)
    assert Borger.objects.filter(kontaktgruppe="andet").count() == 0


def test_a_flow_id_twice_in_different_chunks_is_refused(small_chunks):
    flow = {
        "id": "8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10",
        "cpr": borger(0)["cpr"],
        "fraflytningskommune": "101",
        "tilflytningskommune": "147",
        "flyttedato": "2026-11-01",
    }
    doc = {**document(1), "borgerflytninger": [flow, {**flow, "id": str(flow["id"])[:-1] + "1"}]}
    doc["borgerflytninger"].append(flow)
    with pytest.raises(RecordError, match="duplicate borgerflytning") as failure:
        import_register(as_file(doc))
    assert failure.value.where == "borgerflytninger[2]"
    assert not Borgerflytning.objects.exists() and not Organisation.objects.exists()


@pytest.mark.parametrize("offset", range(-14, 2))
def test_a_lone_surrogate_is_found_where_a_read_cuts_the_file(monkeypatch, offset):
    """The escape at every position across the boundary of the scan's reads; a pair there
    loads."""
    monkeypatch.setattr(stream, "READ_SIZE", 256)
    doc = document(6)
    text = json.dumps(doc).replace("CV-5", "CV-@")
    at = text.index("@")
    cut = (at // 256 + 1) * 256  # a read ends here (the file has no byte order mark)
    padding = "x" * (cut + offset - at + (256 if cut + offset < at else 0))
    assert (at + len(padding) - offset) % 256 == 0  # the escape starts `offset` from a cut
    escapes = [
        ("\\ud800", True),
        ("\\u0000", True),
        ("\\ud83d\\ude00", False),
        ("\\\\ud800", False),
    ]
    for escape, refused in escapes:
        data = text.replace("CV-@", f"CV-{padding}{escape}").encode()
        if refused:
            with pytest.raises(RecordError, match="lone surrogate or a NUL") as failure:
                import_register(JsonFile(io.BytesIO(data)))
            assert failure.value.where == "borgere[5].cv.nummer"
            assert not Borger.objects.exists()
        else:
            import_register(JsonFile(io.BytesIO(data)))
            assert Borger.objects.count() == 6
            Borger.objects.all().delete()


def test_standard_input_is_spooled_and_read_like_a_file(monkeypatch):
    data = json.dumps(document(3)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(_Unseekable(data)))
    out = io.StringIO()
    call_command("import_register", "-", stdout=out, stderr=io.StringIO())
    assert "borger created: 3" in out.getvalue() and Borger.objects.count() == 3


def test_a_document_cut_short_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "register.json"
    path.write_bytes(json.dumps(document(3)).encode()[:-30])
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("import_register", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Organisation.objects.exists()


class _Unseekable(io.BytesIO):
    def seekable(self) -> bool:
        return False
