import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from accessrules.models import AccessLogEntry, ApiClient, RequestId
from tests.factories import ApiClientFactory, JobcenterFactory, StarFactory

pytestmark = pytest.mark.django_db


def test_create_api_client_binds_organisations_and_prints_json_only():
    star, jobcenter = StarFactory(), JobcenterFactory()
    out = StringIO()
    call_command(
        "create_api_client",
        "fagsystem",
        "--organisation",
        star.reference,
        "--organisation",
        jobcenter.reference,
        "--scope",
        "borgerindsats.asylovergivelse.read",
        "--system",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    assert set(printed) == {"client_id", "client_secret"}
    client = ApiClient.objects.get(navn="fagsystem")
    assert set(client.organisationer.all()) == {star, jobcenter}
    assert client.system is True
    assert client.allowed_scopes == {"borgerindsats.asylovergivelse.read"}
    assert client.application.client_id == printed["client_id"]


@pytest.mark.parametrize("organisation", ["8:99999", "nonsense", "x:1"])
def test_create_api_client_refuses_an_unknown_organisation(organisation):
    with pytest.raises(CommandError, match="unknown organisation"):
        call_command(
            "create_api_client",
            "x",
            "--organisation",
            organisation,
            "--scope",
            "borgerindsats.asylovergivelse.read",
        )
    assert not ApiClient.objects.exists()


def test_create_api_client_refuses_a_duplicate_name():
    star = StarFactory()
    args = [
        "create_api_client",
        "dup",
        "--organisation",
        star.reference,
        "--scope",
        "borgerindsats.asylovergivelse.read",
    ]
    call_command(*args, stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command(*args, stdout=StringIO())
    assert ApiClient.objects.count() == 1


def test_create_api_client_dry_run_writes_nothing():
    call_command(
        "create_api_client",
        "dry",
        "--organisation",
        StarFactory().reference,
        "--scope",
        "borgerindsats.asylovergivelse.read",
        "--dry-run",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert not ApiClient.objects.exists()


def _age(model, days):
    model.objects.update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_purge_deletes_only_rows_past_retention(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    settings.REQUEST_ID_RETENTION_DAYS = 10
    client = ApiClientFactory(organisationer=[StarFactory()])
    AccessLogEntry.objects.create(handling="x", outcome=200)
    RequestId.objects.create(client=client, request_id="old", operation="x")
    _age(AccessLogEntry, 31)
    _age(RequestId, 11)
    AccessLogEntry.objects.create(handling="x", outcome=200)
    RequestId.objects.create(client=client, request_id="new", operation="x")
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "1 would be deleted" in out.getvalue()
    assert AccessLogEntry.objects.count() == 2
    call_command("purge", stdout=StringIO(), stderr=StringIO())
    assert AccessLogEntry.objects.count() == 1
    assert list(RequestId.objects.values_list("request_id", flat=True)) == ["new"]


def test_opret_grupper_is_idempotent_and_read_only_for_sagsbehandler():
    call_command("opret_grupper", stdout=StringIO())
    call_command("opret_grupper", stdout=StringIO())
    sagsbehandler = Group.objects.get(name="Sagsbehandler")
    codenames = set(sagsbehandler.permissions.values_list("codename", flat=True))
    assert {"view_borger", "view_asylovergivelse", "view_borgerflytning"} <= codenames
    assert all(c.startswith("view_") for c in codenames)
    assert "view_full_cpr" not in codenames
    support = set(Group.objects.get(name="Support").permissions.values_list("codename", flat=True))
    assert {"view_full_cpr", "change_asylovergivelse"} <= support
    assert not any(c.startswith("delete_") for c in support)
