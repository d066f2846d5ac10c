"""x-requestId under real concurrency: the unique constraint decides, not a check-then-insert."""

import threading

import pytest
from django.db import connection, transaction

from accessrules.accesslog.requestid import claim_request_id
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models import RequestId
from tests.factories import ApiClientFactory, StarFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_one_id_give_one_success():
    client = ApiClientFactory(organisationer=[StarFactory()])
    caller = Caller(organisation=None, client=client, request_id="same-id")
    barrier = threading.Barrier(8)
    outcomes = []
    lock = threading.Lock()

    def claim():
        try:
            barrier.wait()
            with transaction.atomic():
                claim_request_id(caller=caller, operation="probe")
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.violations[0].code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == [41200] * 7 + ["ok"]
    assert RequestId.objects.filter(request_id="same-id").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_claim_frees_the_id_for_a_waiting_request():
    client = ApiClientFactory(organisationer=[StarFactory()])
    caller = Caller(organisation=None, client=client, request_id="retry-me")
    first_claimed, release = threading.Event(), threading.Event()
    result = {}

    def first():
        try:
            with transaction.atomic():
                claim_request_id(caller=caller, operation="probe")
                first_claimed.set()
                release.wait(10)
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
        finally:
            connection.close()

    def second():
        first_claimed.wait(10)
        try:
            with transaction.atomic():
                claim_request_id(caller=caller, operation="probe")
            result["second"] = "ok"
        except DomainError as exc:
            result["second"] = exc.violations[0].code
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_claimed.wait(10)
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert result["second"] == "ok"
    assert RequestId.objects.filter(request_id="retry-me").count() == 1


@pytest.mark.django_db(transaction=True)
def test_claim_outside_a_transaction_is_a_programming_error():
    client = ApiClientFactory(organisationer=[StarFactory()])
    with pytest.raises(RuntimeError):
        claim_request_id(
            caller=Caller(organisation=None, client=client, request_id="x"), operation="probe"
        )
