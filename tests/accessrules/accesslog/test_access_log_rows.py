"""SPEC 7: every answered call has its access-log row before the answer leaves; a write's row
is in the write's own transaction; a row that cannot be written is a 503, never silence."""

import pytest
from django.db import DatabaseError, connection

from accessrules.accesslog import log
from accessrules.api import commits
from accessrules.models import AccessLogEntry, Borger, RequestId
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory
from tests.statements import statements

pytestmark = [pytest.mark.urls("tests.accessrules.api.probe"), pytest.mark.django_db]
CPR = "x-civilRegistrationIdentifier"


@pytest.fixture
def star(integrator_for):
    return integrator_for(StarFactory())


@pytest.fixture
def unwritable_log(monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("the access log table is not writable")

    monkeypatch.setattr(AccessLogEntry, "save", fail)
    monkeypatch.setattr(log, "insert_in_autocommit", fail)


def test_a_read_writes_its_row(star):
    borger = BorgerFactory()
    response = star.call("get", "/probe", headers={CPR: borger.cpr})
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.handling, entry.borger, entry.outcome, entry.error_code) == (
        "GetAsylOvergivelse",
        borger,
        200,
        None,
    )
    assert entry.client == star.client and entry.organisation == star.organisation


def test_a_refused_read_writes_its_row_with_the_code(star):
    response = star.call("get", "/probe", headers={CPR: "0101011234"})
    assert error_codes(response) == [1010]
    entry = AccessLogEntry.objects.get()
    assert (entry.borger, entry.outcome, entry.error_code) == (None, 404, 1010)


def test_a_read_whose_row_cannot_be_written_is_503(star, unwritable_log):
    response = star.call("get", "/probe", headers={CPR: BorgerFactory().cpr})
    assert (response.status_code, error_codes(response)) == (503, [50300])
    assert "0101" not in response.content.decode()


def test_a_refusals_row_no_standby_confirmed_is_answered_503(star, monkeypatch):
    """Issue 24: a refused call's row commits on its own, bounded by the operation deadline;
    committed on the primary only (the standby's wait cut short), the call is 503, not its
    refusal: nothing is answered without a row that survives a failover."""
    monkeypatch.setattr(commits, "unreplicated", lambda: True)
    response = star.call("get", "/probe", headers={CPR: "0101011234"})
    assert (response.status_code, error_codes(response)) == (503, [50300])
    entry = AccessLogEntry.objects.get()  # on the primary all the same
    assert (entry.outcome, entry.error_code) == (404, 1010)


def test_a_write_whose_row_cannot_be_written_is_undone(star, unwritable_log):
    """The row is written in the write's transaction: when it fails, the write is rolled back
    (here: the x-requestId claim) and the answer is 503."""
    body = {"antal": 1, "navn": "ok"}
    response = star.call(
        "post", "/probe", body, headers={CPR: BorgerFactory().cpr, "x-requestId": "r-1"}
    )
    assert (response.status_code, error_codes(response)) == (503, [50300])
    assert not RequestId.objects.exists()


def test_a_write_and_its_row_commit_together(star):
    borger = BorgerFactory()
    body = {"antal": 1, "navn": "ok"}
    with statements() as sent:
        response = star.call("post", "/probe", body, headers={CPR: borger.cpr, "x-requestId": "w"})
    assert response.status_code == 201
    sql = sent.all()
    claim = next(i for i, s in enumerate(sql) if "accessrules_requestid" in s)
    log = next(i for i, s in enumerate(sql) if "accessrules_accesslogentry" in s)
    release = [i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT")]
    assert claim < log < release[-1]  # inside the write's (here: nested) transaction
    assert AccessLogEntry.objects.get().outcome == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("level", ["remote_write", "off"])
def test_a_reads_row_is_one_statement_committed_at_the_setting(integrator_for, settings, level):
    """Issue 23: one round trip (no BEGIN, SET LOCAL, COMMIT): the INSERT in autocommit, which
    sets synchronous_commit to ACCESS_LOG_SYNCHRONOUS_COMMIT for its own transaction only
    (issue 24: remote_write by default, the row on the synchronous standby before the answer)."""
    settings.ACCESS_LOG_SYNCHRONOUS_COMMIT = level
    star = integrator_for(StarFactory())
    borger = Borger.objects.create(cpr="0101901234")
    with statements() as sent:
        assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    [row] = sent.matching("accessrules_accesslogentry")
    assert row.startswith("INSERT") and "set_config('synchronous_commit'," in row
    assert f"'{level}'" in row.rsplit("set_config", 1)[1], row
    assert sent.all()[-1] == row and sent.all() == sent.data(), sent  # no BEGIN, SET, COMMIT
    assert AccessLogEntry.objects.filter(borger=borger, outcome=200).count() == 1


def test_the_default_level_is_remote_write():
    from django.conf import settings

    assert settings.ACCESS_LOG_SYNCHRONOUS_COMMIT == "remote_write"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_rows_setting_holds_for_its_statement_and_is_gone_after_it():
    """The mechanism the row relies on: set_config(..., true) in a statement in autocommit is
    that statement's transaction's setting (read at its commit), not the connection's."""
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('synchronous_commit') "
            "FROM set_config('synchronous_commit', 'off', true)"
        )
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
