"""SPEC 7a: an organisation may carry a CVR number (8 digits, unique), by which a SAML
assertion names it. `import_register` reads and writes it; a document without it is read as
before, and leaves a stored CVR as it is."""

import json

import pytest
from django.core.management import CommandError, call_command

from accessrules.models import Organisation
from accessrules.register import RecordError, import_register

pytestmark = pytest.mark.django_db


def org(kode, cvr="absent", kind=7):
    record = {"type": kind, "kode": kode, "navn": f"Kommune {kode}"}
    if cvr != "absent":
        record["cvr"] = cvr
    return record


def cvr_of(kode: str) -> str | None:
    return Organisation.objects.get(kode=kode).cvr


def test_cvr_is_written_kept_when_left_out_and_removed_with_null():
    stats = import_register({"organisationer": [org("101", "64942212"), org("147")]})
    assert stats["organisation created"] == 2
    assert (cvr_of("101"), cvr_of("147")) == ("64942212", None)
    assert (
        import_register({"organisationer": [org("101", "64942212")]})["organisation unchanged"] == 1
    )
    import_register({"organisationer": [org("101")]})  # left out: kept (backwards compatible)
    assert cvr_of("101") == "64942212"
    import_register({"organisationer": [org("101", None)]})  # a move takes two runs
    import_register({"organisationer": [org("147", "64942212")]})
    assert (cvr_of("101"), cvr_of("147")) == (None, "64942212")


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([org("101", "1234567")], "organisationer[0].cvr: cvr must be 8 digits"),
        ([org("101", 64942212)], "organisationer[0].cvr: cvr must be 8 digits"),
        ([org("101", "6494221x")], "cvr must be 8 digits"),
        ([org("101", "٦٤٩٤٢٢١٢")], "cvr must be 8 digits"),  # not ASCII digits
        ([org("101", "64942212"), org("147", "64942212")], "organisationer[1].cvr: cvr 64942212"),
    ],
)
def test_a_bad_or_repeated_cvr_names_its_record_and_nothing_is_written(records, message):
    with pytest.raises(RecordError) as refused:
        import_register({"organisationer": records})
    assert message in str(refused.value)
    assert not Organisation.objects.exists()


def test_a_cvr_another_stored_organisation_holds_is_refused():
    import_register({"organisationer": [org("101", "64942212")]})
    with pytest.raises(RecordError, match="belongs to organisation 7:101"):
        import_register({"organisationer": [org("147", "64942212")]})
    with pytest.raises(RecordError, match="until a run that removes it there"):
        import_register({"organisationer": [org("101", "11111111"), org("147", "64942212")]})
    assert (cvr_of("101"), Organisation.objects.filter(kode="147").exists()) == ("64942212", False)


def test_the_command_reads_cvr(tmp_path):
    path = tmp_path / "register.json"
    path.write_text(json.dumps({"organisationer": [org("101", "64942212")]}))
    call_command("import_register", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert cvr_of("101") == "64942212"
    path.write_text(json.dumps({"organisationer": [org("147", "bad")]}))
    with pytest.raises(CommandError, match="cvr must be 8 digits"):
        call_command("import_register", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
