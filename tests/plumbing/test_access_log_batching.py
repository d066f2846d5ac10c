"""The access log's batched writer (accessrules.accesslog) and its wiring in log_access."""

import os
import threading
import time

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accessrules.accesslog import BatchedWriter
from accessrules.models import AccessLogEntry
from accessrules.services import access_log_writer, log_access
from tests.factories import ApiClientFactory, BorgerFactory, StarFactory


class Recorder:
    def __init__(self, fail_first: int = 0):
        self.batches, self.threads, self.fail_first = [], [], fail_first
        self.written = threading.Event()

    def __call__(self, rows):
        self.threads.append(threading.current_thread().name)
        if self.fail_first:
            self.fail_first -= 1
            raise RuntimeError("database down")
        self.batches.append(list(rows))
        self.written.set()


def _writer(recorder, interval=0.02, **options) -> BatchedWriter:
    return BatchedWriter(recorder, interval_seconds=lambda: interval, **options)


def test_the_thread_writes_the_queued_rows_in_one_batch():
    recorder = Recorder()
    writer = _writer(recorder, interval=0.2)
    for n in range(3):
        writer.submit([n])
    assert recorder.written.wait(5)
    assert recorder.batches == [[[0], [1], [2]]]
    assert recorder.threads == ["access-log-writer"]
    writer.stop()


def test_a_full_batch_is_written_at_once_and_split_at_max_rows():
    recorder = Recorder()
    writer = _writer(recorder, interval=60, max_rows=2)  # only a full batch wakes the thread
    for n in range(5):
        writer.submit([n])
    deadline = time.monotonic() + 5
    while sum(map(len, recorder.batches)) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(len(batch) <= 2 for batch in recorder.batches)
    writer.stop()  # writes the rest
    assert [row for batch in recorder.batches for row in batch] == [[n] for n in range(5)]


def test_a_failed_batch_is_logged_and_later_rows_are_still_written(caplog):
    recorder = Recorder(fail_first=1)
    writer = _writer(recorder, interval=60)
    writer.submit(["lost"])
    writer.flush()
    writer.submit(["kept"])
    writer.flush()
    assert recorder.batches == [[["kept"]]]
    assert "Could not write 1 access-log rows" in caplog.text
    writer.stop()


def test_a_full_queue_drops_rows_and_says_so(caplog):
    recorder = Recorder()
    writer = _writer(recorder, interval=60, max_queued=2)
    for n in range(4):
        writer.submit([n])
    assert (writer.queued(), writer.dropped) == (2, 2)
    assert "Access-log queue full" in caplog.text
    writer.stop()
    assert recorder.batches == [[[0], [1]]]


def test_stop_ends_the_thread_and_a_later_row_starts_a_new_one():
    recorder = Recorder()
    writer = _writer(recorder, interval=60)
    writer.submit([1])
    first = writer._thread
    writer.stop()
    assert not first.is_alive()
    writer.submit([2])
    assert writer._thread is not first and writer._thread.is_alive()
    writer.stop()
    assert recorder.batches == [[[1]], [[2]]]


def test_a_forked_child_starts_with_an_empty_queue():
    recorder = Recorder()
    writer = _writer(recorder, interval=60)
    writer.submit(["parent's"])
    pid = os.fork()
    if pid == 0:  # the child: the parent's rows are not its own to write
        os._exit(0 if writer.queued() == 0 and writer._thread is None else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    writer.stop()
    assert recorder.batches == [[["parent's"]]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", "accesslog"])
@override_settings(ACCESS_LOG_DATABASE="accesslog", ACCESS_LOG_BATCH_MS=50)
def test_log_access_queues_and_the_writer_thread_stores_the_rows():
    borger, star = BorgerFactory(), StarFactory()
    client = ApiClientFactory(organisationer=[star])
    values = {"operation": "GetAsylOvergivelse", "client": client, "organisation": star}
    try:
        with CaptureQueriesContext(connections["accesslog"]) as in_request:
            log_access(**values, borger=borger, outcome=200, error_code=None, request_id="a")
            log_access(**values, borger=None, outcome=403, error_code=6005, request_id="b" * 50)
        assert in_request.captured_queries == []  # queued, not written by the caller
        deadline = time.monotonic() + 5
        while AccessLogEntry.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        access_log_writer.stop()  # and close the thread's connection before the flush
    rows = AccessLogEntry.objects.order_by("request_id")
    assert [(e.borger, e.outcome, e.error_code, e.request_id) for e in rows] == [
        (borger, 200, None, "a"),
        (None, 403, 6005, "b" * 46),
    ]
    assert {(e.client, e.organisation) for e in rows} == {(client, star)}
