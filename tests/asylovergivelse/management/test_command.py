"""`manage.py ret_asylovergivelse`: operators' data fixes through the API's validation, rules,
service and history; `--force` explicit and recorded; `--dry-run`; clear errors."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from asylovergivelse.cvservice import backend_class
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import opret, state
from tests.factories import BorgerFactory

pytestmark = pytest.mark.django_db


def today(n=0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def stored(borger):
    return opret(borger)


def ret(*args) -> str:
    out = StringIO()
    call_command("ret_asylovergivelse", *args, stdout=out)
    return out.getvalue()


def test_ret_changes_the_date_with_history(borger, stored):
    output = ret(
        "--cpr",
        borger.cpr,
        "--overgivelsesdato",
        today(12).isoformat(),
        "--kommentar",
        "Fejl i første registrering",
    )
    assert borger.cpr not in output and "was updated" in output
    row = Asylovergivelse.objects.get()
    assert row.overgivelsesdato == today(12)
    assert row.cv_edit_end_date == today(40)  # not given: unchanged
    assert row.kommentar == "Fejl i første registrering"
    latest = row.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == "ret_asylovergivelse: Fejl i første registrering"
    assert latest.api_client is None and latest.organisation is None
    assert JobnetCv.objects.get().cv_edit_end_date == today(40)


def test_ret_sets_and_clears_early_dates_and_the_municipality(borger, stored):
    ret("--cpr", borger.cpr, "--tidlig-cv", today(3).isoformat(), "--kommunekode", "-1")
    row = Asylovergivelse.objects.get()
    assert (row.tidlig_cv_overgivelsesdato, row.overgivelseskommunekode) == (today(3), "-1")
    ret("--cpr", borger.cpr, "--tidlig-cv", "")
    assert Asylovergivelse.objects.get().tidlig_cv_overgivelsesdato is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--overgivelsesdato", "X"], "9202"),
        (["--cv-edit-end-date", "X"], "9196"),
        (["--tidlig-kontrakt", "X"], "9243"),
    ],
)
def test_ret_goes_through_the_rules(borger, stored, args, message):
    dates = {"9202": today(12), "9196": today(5), "9243": today(11)}
    args = [dates[message].isoformat() if a == "X" else a for a in args]
    before = state()
    with pytest.raises(CommandError, match=message):
        ret("--cpr", borger.cpr, *args)
    assert state() == before


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--overgivelsesdato", "1/2/2026"], "overgivelsesdato"),
        (["--overgivelsesdato", ""], "overgivelsesdato"),
        (["--cv-edit-end-date", "2026-02-30"], "CVEditEndDate"),
        (["--tidlig-cv", "i morgen"], "tidligCvOvergivelsesdato"),
        (["--kommunekode", "abc"], "overgivelseskommunekode"),
        (["--kommunekode", " 101"], "overgivelseskommunekode"),
        (["--kommentar", "x" * 1501], "kommentar"),
    ],
)
def test_bad_values_are_refused_as_the_api_refuses_them(borger, stored, args, field):
    before = state()
    with pytest.raises(CommandError, match=rf"1014 .*\({field}\)"):
        ret("--cpr", borger.cpr, *args)
    assert state() == before


def test_force_skips_a_named_rule_and_is_recorded(borger, stored):
    Asylovergivelse.objects.filter(pk=stored.pk).update(
        cv_edit_end_date=today(-1), overgivelsesdato=today(-20)
    )
    with pytest.raises(CommandError, match="9200"):
        ret("--cpr", borger.cpr, "--cv-edit-end-date", today(3).isoformat())
    output = ret(
        "--cpr",
        borger.cpr,
        "--cv-edit-end-date",
        today(3).isoformat(),
        "--force",
        "9200",
        "--kommentar",
        "Forlænget efter aftale",
    )
    assert "forced: 9200" in output
    row = Asylovergivelse.objects.get()
    assert row.cv_edit_end_date == today(3)
    assert row.history.first().history_change_reason == (
        "ret_asylovergivelse: force 9200: Forlænget efter aftale"
    )


def test_force_skips_only_the_named_rule(borger, stored):
    Asylovergivelse.objects.filter(pk=stored.pk).update(
        cv_edit_end_date=today(-1), overgivelsesdato=today(-20)
    )
    before = state()
    with pytest.raises(CommandError, match="9202"):
        ret("--cpr", borger.cpr, "--overgivelsesdato", today(-19).isoformat(), "--force", "9200")
    assert state() == before


@pytest.mark.parametrize("code", ["9302", "9201", "9244", "1014", "x"])
def test_force_only_for_listed_rules(borger, stored, code):
    with pytest.raises(CommandError, match="--force: invalid"):
        ret("--cpr", borger.cpr, "--force", code)


def test_dry_run_checks_but_writes_nothing(borger, stored):
    before = state()
    output = ret("--cpr", borger.cpr, "--cv-edit-end-date", today(41).isoformat(), "--dry-run")
    assert "would be updated" in output
    assert state() == before
    with pytest.raises(CommandError, match="9196"):
        ret("--cpr", borger.cpr, "--cv-edit-end-date", today(1).isoformat(), "--dry-run")


def test_unknown_or_invalid_citizen(borger, stored):
    with pytest.raises(CommandError, match="not a valid CPR"):
        ret("--cpr", "123")
    with pytest.raises(CommandError, match="no asylovergivelse") as unknown:
        ret("--cpr", "0101011234")
    assert "0101011234" not in str(unknown.value)
    with pytest.raises(CommandError, match="no asylovergivelse"):
        ret("--cpr", BorgerFactory().cpr)


def test_a_cv_service_failure_changes_nothing(borger, stored, settings):
    settings.CV_SERVICE_BACKEND = "tests.asylovergivelse.api.test_cv_service.ReadOnlyCv"
    backend_class.cache_clear()
    before = state()
    try:
        with pytest.raises(CommandError, match="9346"):
            ret("--cpr", borger.cpr, "--cv-edit-end-date", today(41).isoformat())
    finally:
        backend_class.cache_clear()
    assert state() == before


def test_the_command_exits_non_zero_from_the_shell(borger, stored, capsys):
    """CommandError is what manage.py turns into a message on stderr and exit status 1."""
    from django.core.management import get_commands, load_command_class

    # made after capsys replaced sys.stderr, so the command writes into the capture
    command = load_command_class(get_commands()["ret_asylovergivelse"], "ret_asylovergivelse")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "ret_asylovergivelse", "--cpr", "123"])
    assert exit_info.value.code == 1
    assert "not a valid CPR" in capsys.readouterr().err
