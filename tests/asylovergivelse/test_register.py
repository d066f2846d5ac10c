"""The `cv` key of a citizen in the register document (import_register)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from asylovergivelse.models import JobnetCv
from tests.factories import BorgerFactory

pytestmark = pytest.mark.django_db


def load(tmp_path, document: dict) -> None:
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document))
    call_command("import_register", str(path), stdout=io.StringIO())


def doc(cpr: str, cv) -> dict:
    return {"borgere": [{"cpr": cpr, "kontaktgruppe": "flygtning", "cv": cv}]}


def test_cv_is_created_updated_and_a_rerun_changes_nothing(tmp_path):
    load(tmp_path, doc("0101901234", {"nummer": "CV-0001", "status": "aktiv"}))
    cv = JobnetCv.objects.get(borger__cpr="0101901234")
    assert (cv.nummer, cv.status, cv.cv_edit_end_date) == ("CV-0001", "aktiv", None)
    load(tmp_path, doc("0101901234", {"nummer": "CV-0001", "status": "arkiveret"}))
    load(tmp_path, doc("0101901234", {"nummer": "CV-0001", "status": "arkiveret"}))
    assert JobnetCv.objects.get().status == "arkiveret"
    assert JobnetCv.objects.count() == 1


def test_the_import_leaves_the_cv_deadline_alone(tmp_path):
    borger = BorgerFactory(cpr="0101901234")
    JobnetCv.objects.create(borger=borger, nummer="CV-1", cv_edit_end_date="2026-12-01")
    load(tmp_path, doc(borger.cpr, {"nummer": "CV-2", "status": "laast"}))
    cv = JobnetCv.objects.get()
    assert (cv.nummer, cv.status) == ("CV-2", "laast")
    assert cv.cv_edit_end_date.isoformat() == "2026-12-01"


@pytest.mark.parametrize(
    "cv",
    [
        {"nummer": "CV-1", "status": "slettet"},
        {"nummer": "", "status": "aktiv"},
        {"nummer": 7, "status": "aktiv"},
        {"nummer": "CV-1"},
        {"nummer": "CV-1", "status": "aktiv", "x": 1},
        "CV-1",
    ],
)
def test_a_bad_cv_names_itself_and_nothing_is_written(tmp_path, cv):
    with pytest.raises(CommandError, match=r"borgere\[0\].*cv"):
        load(tmp_path, doc("0101901234", cv))
    assert not JobnetCv.objects.exists()
