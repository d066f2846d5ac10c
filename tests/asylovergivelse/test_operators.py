import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from asylovergivelse.models import Asylovergivelse

pytestmark = pytest.mark.django_db


def today(n=0):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def stored(borger):
    return Asylovergivelse.objects.create(
        borger=borger,
        cv_edit_end_date=today(40),
        overgivelsesdato=today(10),
        overgivelseskommunekode="101",
    )


def ret(*args):
    out = StringIO()
    call_command("ret_asylovergivelse", *args, stdout=out)
    return out.getvalue()


def test_ret_changes_the_date_with_history(borger, stored):
    ret(
        "--cpr",
        borger.cpr,
        "--overgivelsesdato",
        today(12).isoformat(),
        "--kommentar",
        "Fejl i første registrering",
    )
    row = Asylovergivelse.objects.get()
    assert row.overgivelsesdato == today(12)
    latest = row.history.first()
    assert latest.history_change_reason.startswith("ret_asylovergivelse")
    assert "Fejl i første" in latest.history_change_reason


def test_ret_goes_through_the_rules(borger, stored):
    with pytest.raises(CommandError, match="9202"):
        ret("--cpr", borger.cpr, "--overgivelsesdato", today(12).isoformat())
    with pytest.raises(CommandError, match="9196"):
        ret("--cpr", borger.cpr, "--cv-edit-end-date", today(5).isoformat())
    assert Asylovergivelse.objects.get().overgivelsesdato == today(10)


def test_force_skips_a_named_rule_and_is_recorded(borger, stored):
    Asylovergivelse.objects.filter(pk=stored.pk).update(
        cv_edit_end_date=today(-1), overgivelsesdato=today(-20)
    )
    with pytest.raises(CommandError, match="9200"):
        ret("--cpr", borger.cpr, "--cv-edit-end-date", today(3).isoformat())
    ret(
        "--cpr",
        borger.cpr,
        "--cv-edit-end-date",
        today(3).isoformat(),
        "--force",
        "9200",
        "--kommentar",
        "Forlænget efter aftale",
    )
    row = Asylovergivelse.objects.get()
    assert row.cv_edit_end_date == today(3)
    assert "force 9200" in row.history.first().history_change_reason


def test_force_only_for_listed_rules(borger, stored):
    with pytest.raises(CommandError):
        ret("--cpr", borger.cpr, "--force", "9302")


def test_dry_run_and_bad_input(borger, stored):
    assert "would be" in ret(
        "--cpr", borger.cpr, "--cv-edit-end-date", today(41).isoformat(), "--dry-run"
    )
    assert Asylovergivelse.objects.get().cv_edit_end_date == today(40)
    with pytest.raises(CommandError, match="not a date"):
        ret("--cpr", borger.cpr, "--overgivelsesdato", "1/2/2026")
    with pytest.raises(CommandError, match="not a valid CPR"):
        ret("--cpr", "123")
    with pytest.raises(CommandError, match="no asylovergivelse"):
        ret("--cpr", "0101011234")


def test_admin_refuses_what_the_api_refuses(client, borger):
    admin = User.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    form = {
        "borger": borger.pk,
        "overgivelsesdato": today(10).isoformat(),
        "cv_edit_end_date": today(5).isoformat(),
        "overgivelseskommunekode": "101",
        "kommentar": "",
    }
    response = client.post("/admin/asylovergivelse/asylovergivelse/add/", form)
    assert response.status_code == 200
    assert "9196" in response.content.decode()
    assert not Asylovergivelse.objects.exists()
    form["cv_edit_end_date"] = today(40).isoformat()
    response = client.post("/admin/asylovergivelse/asylovergivelse/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Asylovergivelse.objects.get()
    assert row.history.first().history_user == admin


def test_admin_shows_a_cv_service_failure_and_stores_nothing(client, borger, settings):
    from asylovergivelse.cvservice import _backend_class

    admin = User.objects.create_superuser("admin2", password="x")
    client.force_login(admin)
    settings.CV_SERVICE_BACKEND = "tests.asylovergivelse.test_cv_service.ReadOnlyCv"
    _backend_class.cache_clear()
    try:
        form = {
            "borger": borger.pk,
            "overgivelsesdato": today(10).isoformat(),
            "cv_edit_end_date": today(40).isoformat(),
            "overgivelseskommunekode": "101",
            "kommentar": "",
        }
        response = client.post("/admin/asylovergivelse/asylovergivelse/add/", form, follow=True)
    finally:
        _backend_class.cache_clear()
    assert response.status_code == 200
    assert "9346" in response.content.decode()
    assert not Asylovergivelse.objects.exists()
