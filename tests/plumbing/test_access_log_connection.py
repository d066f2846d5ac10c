"""The access log's own connection (settings.ACCESS_LOG_DATABASE) and its failure handling."""

import pytest
from django.db import connections, transaction
from django.test import override_settings

from accessrules.models import AccessLogEntry
from accessrules.services import log_access
from tests.factories import ApiClientFactory, BorgerFactory, StarFactory


def _log(**over):
    values = {
        "operation": "GetAsylOvergivelse",
        "client": None,
        "organisation": None,
        "borger": None,
        "outcome": 200,
        "error_code": None,
        "request_id": "r" * 60,
    }
    log_access(**{**values, **over})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", "accesslog"])
@override_settings(ACCESS_LOG_DATABASE="accesslog")
def test_the_row_is_written_on_its_own_connection_with_asynchronous_commit():
    borger, star = BorgerFactory(), StarFactory()
    client = ApiClientFactory(organisationer=[star])
    _log(client=client, organisation=star, borger=borger, outcome=403, error_code=6005)
    entry = AccessLogEntry.objects.get()  # read on the default connection: committed
    assert (entry.client, entry.organisation, entry.borger) == (client, star, borger)
    assert (entry.outcome, entry.error_code, entry.request_id) == (403, 6005, "r" * 46)
    with connections["accesslog"].cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_a_failed_log_write_leaves_the_callers_transaction_usable(caplog):
    borger = BorgerFactory()
    with transaction.atomic():
        _log(outcome=-1)  # breaks the column's check constraint: the INSERT fails
        assert BorgerFactory().pk is not None  # the transaction still works
    assert AccessLogEntry.objects.count() == 0
    assert "Could not write the access log row" in caplog.text
    _log(borger=borger)
    assert AccessLogEntry.objects.get().borger == borger


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", "accesslog"])
@override_settings(ACCESS_LOG_DATABASE="accesslog")
def test_a_dropped_log_connection_is_reopened_and_the_row_written():
    borger = BorgerFactory()
    _log(borger=borger)
    log_connection = connections["accesslog"]
    with log_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connections["default"].cursor() as cursor:  # as a database restart would
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    _log(borger=borger, outcome=404)
    assert sorted(AccessLogEntry.objects.values_list("outcome", flat=True)) == [200, 404]
    with log_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
