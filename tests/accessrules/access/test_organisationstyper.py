"""What each organisation type is (accessrules.access.organisationstyper): its kommune, the
kommune's organisation looked up once per caller, a kommune's jobcentre."""

import pytest

from accessrules.access.organisationstyper import (
    ORGANISATIONSTYPER,
    SEED_RAEKKER,
    jobcenter_for,
    kommune_id,
    kommunekode_for,
)
from accessrules.core.caller import Caller
from accessrules.models import OrganisationType
from tests.factories import AndenAktoerFactory, JobcenterFactory, KommuneFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


def test_every_type_has_a_row_and_its_seed_row_name():
    assert set(ORGANISATIONSTYPER) == set(OrganisationType)
    assert set(SEED_RAEKKER.values()) == set(OrganisationType)


def test_the_kommune_of_each_type():
    assert kommunekode_for(KommuneFactory(kode="101")) == "101"
    assert kommunekode_for(JobcenterFactory(kode="10100")) == "101"
    assert kommunekode_for(AndenAktoerFactory()) is None
    assert kommunekode_for(StarFactory()) is None


def test_a_callers_kommune_is_looked_up_once():
    kommune = KommuneFactory(kode="101")
    caller = Caller(JobcenterFactory(kode="10100"))
    with statements() as sent:
        assert kommune_id(caller) == kommune.pk
        assert kommune_id(caller) == kommune.pk
    assert len(sent) == 1, sent
    assert kommune_id(Caller(kommune)) == kommune.pk
    assert kommune_id(Caller(StarFactory())) is None
    assert kommune_id(Caller(None)) is None


def test_a_kommunes_jobcentre_is_its_lowest_code():
    JobcenterFactory(kode="10101")
    lowest = JobcenterFactory(kode="10100")
    JobcenterFactory(kode="1010")  # kommune 10: not kommune 101's
    assert jobcenter_for("101") == lowest
    assert jobcenter_for("999") is None


def test_each_type_carries_its_flows_its_9244_codes_and_its_description():
    from accessrules.access.organisationstyper import Flytninger, Kommunekoder

    for typ in ORGANISATIONSTYPER.values():
        assert isinstance(typ.flytninger, Flytninger) and typ.flytninger_tekst.strip()
        assert isinstance(typ.kommunekoder, Kommunekoder)
    star = ORGANISATIONSTYPER[OrganisationType.STAR]
    assert (star.flytninger, star.kommunekoder) == (Flytninger.ALLE, Kommunekoder.ALLE)


def test_the_document_describes_the_types_from_the_table():
    """The header parameter's list and the flow list's table are built from ORGANISATIONSTYPER
    (a new type is described without editing them)."""
    from pathlib import Path

    from accessrules.access.organisationstyper import flytninger_tabel, typebeskrivelse

    document = (Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml").read_text()
    words = " ".join(document.split())
    assert f"Den aktive organisations type: {typebeskrivelse()}." in words
    for value, typ in ORGANISATIONSTYPER.items():
        assert f"{value} {typ.seed_raekke}" in typebeskrivelse()
    for typ in ORGANISATIONSTYPER.values():
        assert f"| {typ.seed_raekke} | {typ.flytninger_tekst} |" in document
    assert flytninger_tabel().count("\n") == len(ORGANISATIONSTYPER) + 1


def test_who_asks_about_a_type_reads_the_table():
    """No module outside organisationstyper decides by a type's identity (STAR, ...): what a
    type may see or name is read from its row."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    found = [
        str(path.relative_to(root))
        for package in ("accessrules", "borgerflytte", "asylovergivelse")
        for path in (root / package).rglob("*.py")
        if "is_star" in path.read_text() or "OrganisationType.STAR:" in path.read_text()
    ]
    assert found == []


def test_a_type_is_one_row_of_the_table():
    """OrganisationType's choices and ORGANISATIONSTYPER are built from core's TYPER."""
    from accessrules.core.organisationstyper import TYPER

    assert [(t.nummer, t.seed_raekke) for t in sorted(TYPER, key=lambda t: t.nummer)] == list(
        OrganisationType.choices
    )
    for typ in TYPER:
        assert getattr(OrganisationType, typ.navn) == typ.nummer
        assert ORGANISATIONSTYPER[OrganisationType(typ.nummer)] is typ
